"""Routes of the overlaps area (mounted by workplans/urls.py)."""

urlpatterns = []
