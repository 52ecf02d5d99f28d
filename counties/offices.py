"""Offices: who holds which named position on a given day (DESIGN.md, Offices).

The one place that answers "does this person hold this office on this day?" and
"who holds it?". Services that bind a decision or a signature to an office ask
here; views and templates only show the answer.

Which role may hold which office is :data:`ELIGIBLE_ROLES`: the County Secretary and
the CEC members are County Executive members, the Chief Officer and the TWG chair
are county officers (secretariat or executive), a committee chair sits in the
Assembly, and a partner's signatory is a partner member of that organization.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from counties.models import Membership, Office, OfficeHolding, OfficeKind
from jwp.roles import Role

K = OfficeKind
ELIGIBLE_ROLES: dict[str, frozenset[str]] = {
    K.COUNTY_SECRETARY: frozenset({Role.EXECUTIVE}),
    K.CEC_FINANCE: frozenset({Role.EXECUTIVE}),
    K.CEC_SECTOR: frozenset({Role.EXECUTIVE}),
    K.CHIEF_OFFICER_PLANNING: frozenset({Role.SECRETARIAT, Role.EXECUTIVE}),
    K.TWG_CHAIR: frozenset({Role.SECRETARIAT, Role.EXECUTIVE, Role.SECTOR_LEAD}),
    K.ASSEMBLY_CHAIR: frozenset({Role.ASSEMBLY}),
    K.PARTNER_SIGNATORY: frozenset({Role.PARTNER}),
}
SECTOR_KINDS = frozenset({K.CEC_SECTOR, K.ASSEMBLY_CHAIR})
ORGANIZATION_KINDS = frozenset({K.PARTNER_SIGNATORY})


def may_hold(membership: Membership, office: Office) -> bool:
    """Whether this member's role fits the office (a partner only its own organization's)."""
    if membership.role not in ELIGIBLE_ROLES[office.kind]:
        return False
    if office.kind in ORGANIZATION_KINDS:
        return membership.organization_id == office.organization_id
    return True


def _held_on(day: date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def office_find(*, county, kind: str, sector=None, organization=None) -> Office | None:
    """The county's office of this kind (for this sector / organization), if created."""
    return (
        Office.objects.for_county(county)
        .filter(
            kind=kind,
            sector_id=getattr(sector, "pk", sector),
            organization_id=getattr(organization, "pk", organization),
        )
        .first()
    )


def office_holder(
    *, county, kind: str, sector=None, organization=None, on: date | None = None
) -> OfficeHolding | None:
    """The holding of the office on ``on`` (today by default), or None: vacant."""
    on = on or timezone.localdate()
    return (
        OfficeHolding.objects.for_county(county)
        .filter(
            _held_on(on),
            office__kind=kind,
            office__sector_id=getattr(sector, "pk", sector),
            office__organization_id=getattr(organization, "pk", organization),
        )
        .select_related("user", "office", "office__sector", "office__organization")
        .first()
    )


def holds_office(
    *, user, county, kind: str, sector=None, organization=None, on: date | None = None
) -> bool:
    holding = office_holder(
        county=county, kind=kind, sector=sector, organization=organization, on=on
    )
    return holding is not None and holding.user_id == user.pk


def offices_held(*, user, county, on: date | None = None) -> list[OfficeHolding]:
    """The offices this person holds in the county on ``on`` (a member may hold several)."""
    on = on or timezone.localdate()
    return list(
        OfficeHolding.objects.for_county(county)
        .filter(_held_on(on), user=user)
        .select_related("office", "office__sector", "office__organization")
        .order_by("office__kind", "office_id")
    )


def holdings_on(*, county, on: date | None = None) -> QuerySet[OfficeHolding]:
    """Every holding current on ``on``, for pages that show many slots at once (one query)."""
    on = on or timezone.localdate()
    return (
        OfficeHolding.objects.for_county(county)
        .filter(_held_on(on))
        .select_related("user", "office", "office__sector", "office__organization")
    )


def office_history(*, office: Office) -> QuerySet[OfficeHolding]:
    return (
        OfficeHolding.objects.for_county(office.county_id)
        .filter(office=office)
        .select_related("user", "assigned_by")
        .order_by("-starts_on", "-pk")
    )
