"""Routes of the overlaps area (mounted by workplans/urls.py)."""

from django.urls import path

from workplans.views import overlaps

urlpatterns = [
    path("<int:plan_id>/overlaps/", overlaps.overlap_list, name="overlap_list"),
    path(
        "<int:plan_id>/overlaps/<int:flag_id>/resolve/",
        overlaps.overlap_resolve_view,
        name="overlap_resolve",
    ),
]
