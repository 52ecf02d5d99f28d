"""Routes of the spreadsheets area (mounted by workplans/urls.py)."""

urlpatterns = []
