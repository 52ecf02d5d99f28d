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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership, Office, OfficeHolding, OfficeKind, Organization, Sector
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


def slot_errors(*, kind: str, sector=None, organization=None) -> dict[str, str]:
    """What is missing to name one office of ``kind``: its sector, or its organization."""
    errors = {}
    if kind in SECTOR_KINDS and sector is None:
        errors["sector"] = _("Choose the sector of this office.")
    if kind in ORGANIZATION_KINDS and organization is None:
        errors["organization"] = _("Choose the organization of this office.")
    return errors


def eligible_holders(*, county, kind: str, organization=None) -> QuerySet[Membership]:
    """The county's active members who may hold an office of ``kind`` (``may_hold`` as a query)."""
    members = Membership.objects.for_county(county).filter(
        role__in=ELIGIBLE_ROLES[kind], user__is_active=True
    )
    if kind in ORGANIZATION_KINDS:
        members = members.filter(organization_id=getattr(organization, "pk", organization))
    return members.select_related("user", "sector", "organization").order_by(
        "user__full_name", "user__email"
    )


def signatory_organizations(*, county) -> QuerySet[Organization]:
    """Organizations whose authorized signatory the county names: those with a partner
    member in the county, or whose signatory office already exists there."""
    return Organization.objects.filter(
        Q(
            pk__in=Membership.objects.for_county(county)
            .filter(role=Role.PARTNER)
            .values("organization")
        )
        | Q(
            pk__in=Office.objects.for_county(county)
            .filter(kind=K.PARTNER_SIGNATORY)
            .values("organization")
        )
    ).order_by("name")


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


def county_offices(*, county, on: date | None = None) -> QuerySet[Office]:
    """The county's offices, each with ``current_holdings``: its holding on ``on`` (a list
    of at most one), in two queries however many offices there are."""
    on = on or timezone.localdate()
    current = OfficeHolding.objects.for_county(county).filter(_held_on(on)).select_related("user")
    return (
        Office.objects.for_county(county)
        .select_related("sector", "organization")
        .prefetch_related(Prefetch("holdings", queryset=current, to_attr="current_holdings"))
        .order_by("kind", "sector__order", "sector__name", "organization__name", "pk")
    )


def office_history(*, office: Office) -> QuerySet[OfficeHolding]:
    return (
        OfficeHolding.objects.for_county(office.county_id)
        .filter(office=office)
        .select_related("user", "assigned_by")
        .order_by("-starts_on", "-pk")
    )


@dataclass
class OfficeSlot:
    """One office of the county as the offices page shows it, created or not yet."""

    kind: str
    title: str
    sector: Sector | None = None
    organization: Organization | None = None
    current: OfficeHolding | None = None
    history: list[OfficeHolding] = field(default_factory=list)  # every holding, newest first

    @property
    def group(self) -> str:
        """The heading the page lists the office under."""
        if self.kind in SECTOR_KINDS or self.kind in ORGANIZATION_KINDS:
            return str(OfficeKind(self.kind).label)
        return _("County offices")

    @property
    def label(self) -> str:
        """The office's name under its heading: the sector, the organization, or the office."""
        if self.sector is not None:
            return str(self.sector)
        if self.organization is not None:
            return str(self.organization)
        return self.title

    @property
    def key(self) -> tuple:
        return (self.kind, getattr(self.sector, "pk", None), getattr(self.organization, "pk", None))

    @property
    def assign_query(self) -> str:
        """The query string that prefills the assign form with this office."""
        params = {"kind": self.kind}
        if self.sector is not None:
            params["sector"] = self.sector.pk
        if self.organization is not None:
            params["organization"] = self.organization.pk
        return "?" + urlencode(params)

    @property
    def past(self) -> list[OfficeHolding]:
        return [h for h in self.history if h is not self.current]


def office_board(*, county, on: date | None = None) -> list[OfficeSlot]:
    """Every office of the county with its holder on ``on`` and its history, in three
    queries whatever the number of offices and holdings: the active sectors, the
    signatory organizations, and all holdings. The county-wide offices come first,
    then one CEC member and one Assembly committee chair per active sector, then one
    authorized signatory per partner organization (DESIGN.md, Offices); an office whose
    sector was closed or whose organization left keeps its row while it has a history."""
    on = on or timezone.localdate()
    sectors = list(Sector.objects.for_county(county).filter(is_active=True))
    organizations = list(signatory_organizations(county=county))
    slots: dict[tuple, OfficeSlot] = {}

    def add(kind, sector=None, organization=None) -> OfficeSlot:
        title = Office(kind=kind, sector=sector, organization=organization).title
        slot = OfficeSlot(kind, title, sector, organization)
        return slots.setdefault(slot.key, slot)

    for kind in OfficeKind.values:
        if kind in SECTOR_KINDS:
            for sector in sectors:
                add(kind, sector=sector)
        elif kind in ORGANIZATION_KINDS:
            for organization in organizations:
                add(kind, organization=organization)
        else:
            add(kind)
    holdings = (
        OfficeHolding.objects.for_county(county)
        .select_related("user", "office", "office__sector", "office__organization")
        .order_by("-starts_on", "-pk")
    )
    for holding in holdings:
        office = holding.office
        slot = add(office.kind, office.sector, office.organization)
        slot.history.append(holding)
        if slot.current is None and holding.held_on(on):
            slot.current = holding
    # the county-wide offices first, then per sector, then per organization; stable
    # within a kind (sectors in their order, organizations by name)
    order = {
        kind: (kind in SECTOR_KINDS or kind in ORGANIZATION_KINDS, n)
        for n, kind in enumerate(OfficeKind.values)
    }
    return sorted(slots.values(), key=lambda s: order[s.kind])


def offices_by_user(*, county, users: Iterable, on: date | None = None) -> dict[int, list[str]]:
    """The titles of the offices each of ``users`` holds on ``on`` (one query), by user id."""
    held: dict[int, list[str]] = defaultdict(list)
    user_ids = [getattr(u, "pk", u) for u in users]
    for holding in holdings_on(county=county, on=on).filter(user_id__in=user_ids):
        held[holding.user_id].append(holding.office.title)
    return dict(held)
