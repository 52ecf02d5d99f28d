"""The county's red/amber/green thresholds (issue 6, point 2); the rules that use
them are in ``monitoring.services.figures``."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from counties.models import County, Membership
from jwp import audit
from monitoring.models import RagThresholds
from workplans.services.rules import require_secretariat


def thresholds_for(county: County) -> RagThresholds:
    """The county's thresholds, created with the defaults (90 % / 70 %) the first time."""
    found = RagThresholds.objects.for_county(county).first()
    if found is None:
        found, _created = RagThresholds.objects.for_county(county).get_or_create(
            county_id=getattr(county, "pk", county)
        )
    return found


def thresholds_save(
    *, membership: Membership, green_from: Decimal, amber_from: Decimal
) -> RagThresholds:
    require_secretariat(membership)
    if not (0 <= amber_from <= green_from):
        raise ValidationError(
            {"amber_from": _("Amber must start at or below green, and at zero or more.")}
        )
    with transaction.atomic():
        row = thresholds_for(membership.county)
        row.green_from, row.amber_from = green_from, amber_from
        row.save(update_fields=["green_from", "amber_from"])
        audit.record(
            county=membership.county,
            actor=membership.user,
            verb="rag_thresholds.save",
            target=row,
            summary=_("Red/amber/green thresholds set: green from %(g)s %%, amber from %(a)s %%")
            % {"g": green_from, "a": amber_from},
        )
    return row
