"""Access helpers: resolve the county from the URL and fetch objects inside it.

Every county page goes through ``county_view``: anonymous users are sent to
log in, non-members get 404 (never 403: we do not reveal what exists), members
whose role lacks the capability get 403. Single objects are fetched with
``get_in_county`` so another county's id is indistinguishable from a missing one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest

from counties.models import County, Membership
from jwp.roles import Capability, role_can
from jwp.tenancy import CountyOwned, county_context


def get_county_or_404(slug: str) -> County:
    county = County.objects.filter(slug=slug).first()
    if county is None:
        raise Http404("No such county.")
    return county


def membership_in(county: County, user) -> Membership | None:
    """The user's membership in the county; call inside the county's context."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.for_county(county)
        .select_related("sector", "organization")
        .filter(user=user)
        .first()
    )


def county_view(capability: str = Capability.VIEW) -> Callable:
    """Decorate a view taking ``county_slug``; sets request.county and request.membership."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, county_slug: str, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            county = get_county_or_404(county_slug)
            with county_context([county]):
                membership = membership_in(county, request.user)
                if membership is None:
                    raise Http404("No such county.")
                if not role_can(membership.role, capability):
                    raise PermissionDenied
                request.county = county
                request.membership = membership
                return view(request, *args, **kwargs)

        wrapper.county_capability = capability
        return wrapper

    return decorator


def get_in_county(model_or_qs, county: County, **lookup) -> CountyOwned:
    """One county-owned object, or 404 if it does not exist *in this county*."""
    qs = model_or_qs.objects if hasattr(model_or_qs, "objects") else model_or_qs
    try:
        obj = qs.for_county(county).filter(**lookup).first()
    except (ValueError, TypeError, OverflowError, ValidationError):
        # an id from a form or query that is not a number the column can hold
        raise Http404 from None
    if obj is None:
        raise Http404
    return obj


def my_memberships(request: HttpRequest) -> list[Membership]:
    """The user's memberships in every county, read once per request."""
    if not hasattr(request, "_my_memberships"):
        from counties.selectors import memberships_for_user

        request._my_memberships = memberships_for_user(request.user)
    return request._my_memberships


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
