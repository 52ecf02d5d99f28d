"""Reads for counties, members, sectors and organizations. Always take the county."""

from django.db import transaction
from django.db.models import Q, QuerySet

from counties.models import Contact, County, Invitation, Membership, Organization, Sector
from jwp.models import AuditEvent
from jwp.tenancy import activate_user


def memberships_for_user(user) -> list[Membership]:
    """The user's memberships in every county (the county switcher).

    Reads across counties under the user's own context: row-level security
    admits a member's own membership rows and nothing else of other counties.
    """
    if not user.is_authenticated:
        return []
    with transaction.atomic():
        activate_user(user)
        return list(
            Membership.objects.all_counties()
            .filter(user=user)
            .select_related("county")
            .order_by("county__name")
        )


def county_members(*, county: County, role: str = "", query: str = "") -> QuerySet[Membership]:
    qs = Membership.objects.for_county(county).select_related("user", "sector", "organization")
    if role:
        qs = qs.filter(role=role)
    if query:
        qs = qs.filter(Q(user__full_name__icontains=query) | Q(user__email__icontains=query))
    return qs.order_by("user__full_name", "user__email")


def county_sectors(*, county: County, active_only: bool = False) -> QuerySet[Sector]:
    qs = Sector.objects.for_county(county)
    return qs.filter(is_active=True) if active_only else qs


def county_organizations(
    *, county: County, category: str = "", query: str = ""
) -> QuerySet[Organization]:
    """Organizations engaged in the county: those with members or contacts there."""
    qs = Organization.objects.filter(
        Q(pk__in=Membership.objects.for_county(county).values("organization"))
        | Q(pk__in=Contact.objects.for_county(county).values("organization"))
    )
    if category:
        qs = qs.filter(category=category)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(acronym__icontains=query))
    return qs.order_by("name")


def organization_contacts(*, county: County, organization: Organization) -> QuerySet[Contact]:
    return Contact.objects.for_county(county).filter(organization=organization)


def open_invitations(*, county: County) -> QuerySet[Invitation]:
    return (
        Invitation.objects.for_county(county)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("sector", "organization", "invited_by")
    )


def county_audit_events(*, county: County, verb: str = "") -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.for_county(county).select_related("actor")
    return qs.filter(verb=verb) if verb else qs
