"""Assigning offices to members and ending a holding (audited, history kept).

The secretariat assigns. An office has at most one holder on any day: assigning a
new holder from a date ends the current open holding the day before (a hand-over);
a holding that would overlap another dated holding is refused with the dates.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from counties.models import Membership, Office, OfficeHolding
from counties.offices import ORGANIZATION_KINDS, SECTOR_KINDS, may_hold, slot_errors
from jwp import audit
from jwp.roles import Capability, role_can


def _require_manager(membership: Membership) -> None:
    if not role_can(membership.role, Capability.MANAGE_MEMBERS):
        raise PermissionDenied(_("Only the JWP secretariat assigns offices."))


def office_get_or_create(*, county, kind: str, sector=None, organization=None) -> Office:
    """The county's office of this kind; sector and organization only where the kind has them."""
    if errors := slot_errors(kind=kind, sector=sector, organization=organization):
        raise ValidationError(errors)
    if sector is not None and sector.county_id != county.pk:
        raise ValidationError({"sector": _("Choose a sector of this county.")})
    office, _created = Office.objects.for_county(county).get_or_create(
        county=county,
        kind=kind,
        sector=sector if kind in SECTOR_KINDS else None,
        organization=organization if kind in ORGANIZATION_KINDS else None,
    )
    return office


def office_assign(
    *,
    office: Office,
    holder: Membership,
    starts_on: date,
    ends_on: date | None = None,
    by: Membership,
    note: str = "",
) -> OfficeHolding:
    """Make ``holder`` the holder of ``office`` from ``starts_on`` (until ``ends_on``)."""
    by.check_same_county(office, holder)
    _require_manager(by)
    if not holder.user.is_active:
        raise ValidationError({"holder": _("This account is deactivated.")})
    if not may_hold(holder, office):
        raise ValidationError(
            {
                "holder": _("A %(role)s cannot hold the office of %(office)s.")
                % {"role": holder.get_role_display(), "office": office.title}
            }
        )
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    county_id = office.county_id
    with transaction.atomic():
        holdings = OfficeHolding.objects.for_county(county_id).select_for_update()
        current = holdings.filter(office=office, ends_on__isnull=True).first()
        if current is not None:
            if current.starts_on >= starts_on:
                raise ValidationError(
                    {
                        "starts_on": _(
                            "%(name)s holds this office from %(day)s; a new holder starts after."
                        )
                        % {"name": current.user, "day": current.starts_on}
                    }
                )
            current.ends_on = starts_on - timedelta(days=1)
            current.save(update_fields=["ends_on"])
            audit.record(
                county=office.county,
                actor=by.user,
                verb="office.end",
                target=current,
                summary=f"{current.user} ends as {office.title} on {current.ends_on}",
            )
        overlap = holdings.filter(office=office, starts_on__lte=ends_on or date.max).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
        )
        clash = overlap.first()
        if clash is not None:
            raise ValidationError(
                {
                    "starts_on": _("%(name)s held this office from %(start)s to %(end)s.")
                    % {"name": clash.user, "start": clash.starts_on, "end": clash.ends_on}
                }
            )
        holding = OfficeHolding.objects.create(
            county_id=county_id,
            office=office,
            user=holder.user,
            starts_on=starts_on,
            ends_on=ends_on,
            assigned_by=by.user,
            note=note,
        )
        audit.record(
            county=office.county,
            actor=by.user,
            verb="office.assign",
            target=holding,
            summary=f"{holder.user} holds {office.title} from {starts_on}",
            data={"office": office.pk, "user": holder.user_id, "from": str(starts_on)},
        )
    return holding


def office_holding_end(*, holding: OfficeHolding, ends_on: date, by: Membership) -> OfficeHolding:
    """End a holding on ``ends_on`` (kept in the history)."""
    by.check_same_county(holding)
    _require_manager(by)
    if ends_on < holding.starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    if holding.ends_on is not None and holding.ends_on <= ends_on:
        raise ValidationError({"ends_on": _("This holding has already ended.")})
    with transaction.atomic():
        holding.ends_on = ends_on
        holding.save(update_fields=["ends_on"])
        audit.record(
            county=holding.office.county,
            actor=by.user,
            verb="office.end",
            target=holding,
            summary=f"{holding.user} ends as {holding.office.title} on {ends_on}",
        )
    return holding


def office_slot_assign(
    *,
    county,
    kind: str,
    sector=None,
    organization=None,
    holder: Membership,
    starts_on: date,
    ends_on: date | None = None,
    by: Membership,
    note: str = "",
) -> OfficeHolding:
    """Assign the office named by kind (and sector / organization), creating it on first
    use; nothing is created when the assignment is refused."""
    _require_manager(by)
    with transaction.atomic():
        office = office_get_or_create(
            county=county, kind=kind, sector=sector, organization=organization
        )
        return office_assign(
            office=office, holder=holder, starts_on=starts_on, ends_on=ends_on, by=by, note=note
        )
