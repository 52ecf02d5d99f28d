"""Routes of the budget area (mounted by workplans/urls.py)."""

urlpatterns = []
