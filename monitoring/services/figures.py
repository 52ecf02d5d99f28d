"""The M&E figures: every rule behind a status, a percentage and a year so far, in one
place (issue 12, point 4). Pages, the dashboard, the API and the PDFs reach them
through ``monitoring.selectors``; nothing else computes a status.

The rules:

* **Only verified results count.** Status, variance and year so far come from verified
  results. A submitted result is *provisional*: its value is shown beside them, marked
  as such, and never moves a status. Drafts (a returned result is a draft again)
  never count and are never shown as figures.
* **Not rated**: a quarter without a target, or without a verified result, has no
  status.
* **Achievement** (the percentage shown) always reads "higher is better":
  where an increase is better it is actual ÷ target, where a decrease is better it is
  target ÷ actual. 100 % is exactly on target; 108 % is better than target for either
  direction. The variance is written in words ("1.2 above target").
* **Status**: "On track" from the county's green threshold of achievement,
  "Needs attention" from the amber threshold, "Off track" below. Where a decrease is
  better, "On track" only at or below the target (the page's legend): just above it is
  at best "Needs attention".
* **The year** follows the indicator's aggregation: *sum* adds the quarters,
  *latest* takes the latest quarter, *average* averages them. The year so far covers
  the quarters with a verified result; its target is taken over the same quarters the
  same way. The annual target is taken over the four quarters' targets.
* **Numbers** are written with the indicator's decimal places (counts: whole numbers,
  "600 children").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitoring.models import Aggregation, Direction, RagThresholds, ResultStatus

HUNDRED = Decimal("100")
TENTH = Decimal("0.1")


class Rag:
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_RATED = "none"
    LABELS = {
        GREEN: gettext_lazy("On track"),
        AMBER: gettext_lazy("Needs attention"),
        RED: gettext_lazy("Off track"),
        NOT_RATED: gettext_lazy("Not rated"),
    }


# --- writing numbers ---------------------------------------------------------------


def rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_value(value: Decimal | None, decimals: int = 2, unit: str = "") -> str:
    """``value`` with ``decimals`` places and thousands grouped, then the unit:
    600.00 with 0 places → "600 children"; None → ""."""
    if value is None:
        return ""
    text = number_format(rounded(value, decimals), decimal_pos=decimals, force_grouping=True)
    return f"{text} {unit}".strip() if unit else text


def places_error(value: Decimal | None, decimals: int) -> str:
    """Why ``value`` does not fit ``decimals`` places ("" when it does): a count is a
    whole number."""
    if value is None or rounded(value, decimals) == value:
        return ""
    if decimals == 0:
        return _("Enter a whole number: this indicator has no decimal places.")
    return _("Enter at most %(n)s decimal places.") % {"n": decimals}


def indicator_value(indicator, value: Decimal | None, *, unit: bool = False) -> str:
    return format_value(value, indicator.decimals, indicator.unit if unit else "")


# --- achievement, status, variance ----------------------------------------------------


def achievement(*, target: Decimal, actual: Decimal, direction: str) -> Decimal | None:
    """How well the actual meets the target, in % (100 = on target, more is better):
    actual ÷ target, or target ÷ actual where a decrease is better. None when it cannot
    be a ratio (a zero denominator)."""
    if direction == Direction.DECREASE:
        return target * HUNDRED / actual if actual else None
    return actual * HUNDRED / target if target else None


def rag_status(*, target, actual, direction: str, thresholds: RagThresholds) -> str:
    """Green, amber or red for a verified actual against a target (see the module)."""
    decrease = direction == Direction.DECREASE
    score = achievement(target=target, actual=actual, direction=direction)
    if score is None:
        # Increase against a zero target, or a decrease down to zero: nothing was
        # expected / nothing could be better.
        return Rag.GREEN if actual >= target else Rag.RED
    if score >= thresholds.green_from and (not decrease or actual <= target):
        return Rag.GREEN
    if score >= thresholds.amber_from:
        return Rag.AMBER
    return Rag.RED


# Kept under its old name: other apps call it.
performance = achievement


@dataclass(frozen=True)
class Variance:
    """A rated figure: a verified actual against its target."""

    target: Decimal
    actual: Decimal
    difference: Decimal  # actual − target
    percent: Decimal | None  # achievement, to 0.1 (None when it cannot be a ratio)
    rag: str
    direction: str = Direction.INCREASE
    decimals: int = 2

    @property
    def rag_label(self) -> str:
        return str(Rag.LABELS[self.rag])

    @property
    def difference_label(self) -> str:
        """The variance in words, whichever direction is better: "1.2 above target"."""
        amount = format_value(abs(self.difference), self.decimals)
        if rounded(self.difference, self.decimals) == 0:
            return _("on target")
        if self.difference > 0:
            return _("%(n)s above target") % {"n": amount}
        return _("%(n)s below target") % {"n": amount}

    @property
    def percent_label(self) -> str:
        if self.percent is None:
            return ""
        return _("%(p)s%% achieved") % {"p": format_value(self.percent, 1)}


def variance(
    *,
    target: Decimal,
    actual: Decimal,
    direction: str,
    thresholds: RagThresholds,
    decimals: int = 2,
) -> Variance:
    score = achievement(target=target, actual=actual, direction=direction)
    return Variance(
        target=target,
        actual=actual,
        difference=actual - target,
        percent=score.quantize(TENTH, rounding=ROUND_HALF_UP) if score is not None else None,
        rag=rag_status(target=target, actual=actual, direction=direction, thresholds=thresholds),
        direction=direction,
        decimals=decimals,
    )


def rate(indicator, target, actual, thresholds) -> Variance | None:
    """The indicator's variance, or None (not rated) without a target or an actual."""
    if target is None or actual is None or indicator.is_qualitative:
        return None
    return variance(
        target=target,
        actual=actual,
        direction=indicator.direction,
        thresholds=thresholds,
        decimals=indicator.decimals,
    )


# --- which results count --------------------------------------------------------------


def counts(result) -> bool:
    """A verified result: the only kind that moves a status or a year so far."""
    return result is not None and result.status == ResultStatus.VERIFIED


def is_provisional(result) -> bool:
    """Submitted, awaiting verification: shown, marked provisional, never counted."""
    return result is not None and result.status == ResultStatus.SUBMITTED


# --- the year -------------------------------------------------------------------------


def aggregate(kind: str, values: Iterable[Decimal]) -> Decimal | None:
    """Quarters' values (in quarter order) made into one by the indicator's kind."""
    values = list(values)
    if not values:
        return None
    if kind == Aggregation.SUM:
        return sum(values, Decimal(0))
    if kind == Aggregation.AVERAGE:
        return sum(values, Decimal(0)) / len(values)
    return values[-1]


def annual_target(indicator, targets: Iterable[Decimal | None]) -> Decimal | None:
    """The year's target from its quarters' targets (None when none is set)."""
    return aggregate(indicator.aggregation, [t for t in targets if t is not None])


@dataclass(frozen=True)
class Year:
    """The year so far: what it adds up to and, when it can be rated, its variance."""

    actual: Decimal | None = None
    target: Decimal | None = None
    variance: Variance | None = None
    quarters: int = 0  # how many quarters it covers


def year_so_far(
    indicator, quarters: list[tuple[Decimal | None, Decimal | None]], thresholds
) -> Year:
    """``quarters``: (target, actual) per quarter in order, actual None where the
    quarter has no value that counts. The target is taken over the quarters that have
    an actual (sum: their targets added; latest: the latest one's; average: averaged);
    no target among them → not rated."""
    reported = [(t, a) for t, a in quarters if a is not None]
    if indicator.is_qualitative or not reported:
        return Year()
    kind = indicator.aggregation
    actual = aggregate(kind, (a for _t, a in reported))
    if kind == Aggregation.LATEST:
        target = reported[-1][0]
    else:
        target = aggregate(kind, (t for t, _a in reported if t is not None))
    return Year(actual, target, rate(indicator, target, actual, thresholds), len(reported))
