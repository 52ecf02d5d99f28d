"""The API skeleton every feature follows.

- Everything county-owned lives under ``/api/v1/counties/<county_slug>/``;
  views inherit ``CountyAPIMixin``, which resolves the county, checks
  membership (404 for non-members, like the HTML) and opens the county context.
- Pagination: ``?page=`` and ``?page_size=`` (max 200).
- Errors: RFC 9457 ``application/problem+json``.
"""

from __future__ import annotations

from rest_framework import exceptions, generics
from rest_framework.permissions import BasePermission

from counties.models import County
from jwp.access import membership_in
from jwp.drf import Pagination, problem_exception_handler
from jwp.roles import Capability, role_can
from jwp.tenancy import county_context


class HasCountyCapability(BasePermission):
    """The member's role holds the view's ``capability`` (``view`` by default)."""

    def has_permission(self, request, view) -> bool:
        capability = getattr(view, "capability", Capability.VIEW)
        membership = getattr(request, "membership", None)
        return membership is not None and role_can(membership.role, capability)


class CountyAPIMixin:
    """Resolve ``county_slug``; 404 to non-members; run inside the county context."""

    capability = Capability.VIEW

    def get_permissions(self):
        return [*super().get_permissions(), HasCountyCapability()]

    def dispatch(self, request, *args, **kwargs):
        county = County.objects.filter(slug=kwargs.get("county_slug", "")).first()
        self._county = county
        with county_context([county] if county else []):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        self.perform_authentication(request)
        county = self._county
        if county is None:
            raise exceptions.NotFound
        membership = membership_in(county, request.user) if request.user.is_authenticated else None
        if request.user.is_authenticated and membership is None:
            raise exceptions.NotFound
        request.county = county
        request.membership = membership
        super().initial(request, *args, **kwargs)

    @property
    def county(self):
        return self.request.county


class CountyListAPIView(CountyAPIMixin, generics.ListAPIView):
    """A paginated, filterable list of one county's objects."""


__all__ = ["CountyAPIMixin", "CountyListAPIView", "Pagination", "problem_exception_handler"]
