"""Variance and red/amber/green against the county's thresholds (issue 6, point 2)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from counties.models import County, Membership
from jwp import audit
from monitoring.models import Direction, RagThresholds
from workplans.services.rules import require_secretariat

HUNDRED = Decimal("100")

# --- variance and red/amber/green ----------------------------------------------


class Rag:
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    LABELS = {
        GREEN: gettext_lazy("On track"),
        AMBER: gettext_lazy("Needs attention"),
        RED: gettext_lazy("Off track"),
    }


@dataclass(frozen=True)
class Variance:
    target: Decimal
    actual: Decimal
    difference: Decimal  # actual − target
    percent: Decimal | None  # actual as % of target (None when the target is 0)
    rag: str

    @property
    def rag_label(self) -> str:
        return str(Rag.LABELS[self.rag])


def performance(*, target: Decimal, actual: Decimal, direction: str) -> Decimal | None:
    """How well the actual meets the target, in %; 100 = exactly on target.

    Increase: actual / target. Decrease: at or below target is ≥ 100;
    above it falls as target / actual.
    """
    if direction == Direction.DECREASE:
        if actual <= target:
            return HUNDRED
        return (target * HUNDRED / actual) if actual else None
    if target == 0:
        return HUNDRED if actual >= 0 else None
    return actual * HUNDRED / target


def rag_status(*, target, actual, direction: str, thresholds: RagThresholds) -> str:
    score = performance(target=target, actual=actual, direction=direction)
    if score is None:
        return Rag.RED
    if score >= thresholds.green_from:
        return Rag.GREEN
    if score >= thresholds.amber_from:
        return Rag.AMBER
    return Rag.RED


def variance(
    *, target: Decimal, actual: Decimal, direction: str, thresholds: RagThresholds
) -> Variance:
    percent = (
        (actual * HUNDRED / target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if target
        else None
    )
    return Variance(
        target=target,
        actual=actual,
        difference=actual - target,
        percent=percent,
        rag=rag_status(target=target, actual=actual, direction=direction, thresholds=thresholds),
    )


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
