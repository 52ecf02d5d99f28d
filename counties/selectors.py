"""Reads for counties, members, sectors and organizations. Always take the county."""

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet

from counties.models import (
    Contact,
    CoordinationStructure,
    County,
    Invitation,
    Membership,
    Nomination,
    Organization,
    Sector,
    Stakeholder,
    StakeholderSector,
    StakeholderWard,
    StructureMember,
)
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
    """Organizations engaged in the county: in its register, or with members or contacts."""
    qs = Organization.objects.filter(
        Q(pk__in=Stakeholder.objects.for_county(county).values("organization"))
        | Q(pk__in=Membership.objects.for_county(county).values("organization"))
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


# --- stakeholder register and structures -----------------------------------


def county_stakeholders(
    *,
    county: County,
    category: str = "",
    sector=None,
    ward=None,
    interest: str = "",
    influence: str = "",
    preg: str = "",
    query: str = "",
) -> QuerySet[Stakeholder]:
    qs = (
        Stakeholder.objects.for_county(county)
        .select_related("organization", "key_contact")
        .prefetch_related("sectors", "wards")
    )
    if category:
        qs = qs.filter(organization__category=category)
    if sector:
        links = StakeholderSector.objects.for_county(county).filter(sector_id=sector)
        qs = qs.filter(pk__in=links.values("stakeholder"))
    if ward:
        links = StakeholderWard.objects.for_county(county).filter(ward_id=ward)
        qs = qs.filter(pk__in=links.values("stakeholder"))
    if interest:
        qs = qs.filter(interest=interest)
    if influence:
        qs = qs.filter(influence=influence)
    if preg in ("yes", "no"):
        qs = qs.filter(is_preg_partner=preg == "yes")
    if query:
        qs = qs.filter(
            Q(organization__name__icontains=query) | Q(organization__acronym__icontains=query)
        )
    return qs.order_by("organization__name")


def county_structures(*, county: County, cycle: str = "") -> QuerySet[CoordinationStructure]:
    qs = (
        CoordinationStructure.objects.for_county(county)
        .select_related("sector")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=StructureMember.objects.for_county(county).select_related(
                    "contact", "user", "organization"
                ),
            )
        )
    )
    return qs.filter(cycle=cycle) if cycle else qs


def structure_nominations(*, county: County, structure) -> QuerySet[Nomination]:
    return (
        Nomination.objects.for_county(county)
        .filter(structure=structure)
        .select_related("organization", "nominee", "invited_by")
    )


def sectors_without_swg(*, county: County, cycle: str) -> QuerySet[Sector]:
    with_swg = CoordinationStructure.objects.for_county(county).filter(
        kind="swg", cycle=cycle, is_active=True
    )
    return county_sectors(county=county, active_only=True).exclude(pk__in=with_swg.values("sector"))
