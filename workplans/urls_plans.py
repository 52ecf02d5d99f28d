"""Routes of the plans area (mounted by workplans/urls.py)."""

urlpatterns = []
