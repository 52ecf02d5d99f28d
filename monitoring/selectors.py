"""Reads of the monitoring pages: a constant number of queries per page.

Every M&E figure a page, the API or a PDF shows is prepared here, by the rules of
``monitoring.services.figures`` (verified results only; provisional beside; not rated
without a target; the year by the indicator's aggregation; numbers by its decimals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.utils.translation import gettext_lazy

from counties.models import County
from jwp.fiscal import kenyan_quarter_bounds, kenyan_to_usaid_quarter
from monitoring.models import Indicator, IndicatorTarget, Result, ResultStatus
from monitoring.services import Rag, Variance, figures, thresholds_for


def quarter_start(fiscal_year: str, quarter: int) -> date:
    return kenyan_quarter_bounds(fiscal_year, quarter)[0]


@dataclass
class Period:
    fiscal_year: str
    quarter: int

    @property
    def usaid(self) -> str:
        return kenyan_to_usaid_quarter(self.fiscal_year, self.quarter)

    @property
    def label(self) -> str:
        return f"{self.fiscal_year} Q{self.quarter}"


def plan_periods(plan) -> list[Period]:
    return [Period(plan.fiscal_year, q) for q in (1, 2, 3, 4)]


@dataclass
class Cell:
    """One quarter of an indicator, ready to show: the target, the verified actual
    (the only value that is rated), the provisional (submitted) value beside it, the
    status. Drafts are never shown as figures, only as a state."""

    period: Period
    target: IndicatorTarget | None = None
    result: Result | None = None
    variance: Variance | None = None  # verified actual against the target; else None
    target_text: str = ""
    actual_text: str = ""  # the verified actual ("" when none)
    provisional_text: str = ""  # the submitted value awaiting verification
    value_text: str = ""  # the result's value whatever its state (its own page only)
    not_rated_reason: str = ""
    qualitative: bool = False  # described in words: never rated

    @property
    def verified(self) -> bool:
        return figures.counts(self.result)

    @property
    def provisional(self) -> bool:
        return figures.is_provisional(self.result)

    @property
    def rag(self) -> str:
        return self.variance.rag if self.variance else Rag.NOT_RATED

    @property
    def rag_label(self) -> str:
        return str(Rag.LABELS[self.rag])


@dataclass
class IndicatorRow:
    indicator: Indicator
    cells: list[Cell] = field(default_factory=list)
    year: Variance | None = None  # the year so far from verified results, when rated
    year_actual_text: str = ""
    year_target_text: str = ""
    year_not_rated_reason: str = ""
    # The year so far if the provisional values were verified as they are (shown
    # beside the year, marked provisional; None when nothing is provisional).
    provisional_year: figures.Year | None = None
    provisional_year_text: str = ""
    annual_target: Decimal | None = None
    annual_target_text: str = ""
    baseline_text: str = ""
    plan_target_text: str = ""

    @property
    def rag(self) -> str:
        return self.year.rag if self.year else Rag.NOT_RATED

    @property
    def rag_label(self) -> str:
        return str(Rag.LABELS[self.rag])


def plan_indicators(*, county: County, plan):
    return (
        Indicator.objects.for_county(county)
        .filter(plan=plan)
        .select_related("objective", "activity", "responsible_organization")
    )


def _cell(indicator, period, target, result, thresholds) -> Cell:
    cell = Cell(period, target, result, qualitative=indicator.is_qualitative)
    target_value = target.value if target is not None else None
    cell.target_text = figures.indicator_value(indicator, target_value)
    if result is not None:
        result.indicator = indicator
        cell.value_text = figures.indicator_value(indicator, result.value)
    if indicator.is_qualitative:
        return cell
    if figures.counts(result):
        cell.actual_text = figures.indicator_value(indicator, result.value)
        cell.variance = figures.rate(indicator, target_value, result.value, thresholds)
    elif figures.is_provisional(result):
        cell.provisional_text = figures.indicator_value(indicator, result.value)
    if cell.variance is None:
        cell.not_rated_reason = _not_rated(target_value, result)
    return cell


def _not_rated(target_value, result) -> str:
    if result is None:
        return str(NOT_REPORTED)
    if figures.is_provisional(result):
        return str(NOT_VERIFIED)
    if not figures.counts(result):
        return str(NOT_SUBMITTED)
    if target_value is None:
        return str(NO_TARGET)
    return ""


NO_TARGET = gettext_lazy("no target for this quarter")
NOT_VERIFIED = gettext_lazy("not verified yet")
NOT_REPORTED = gettext_lazy("not reported")
NOT_SUBMITTED = gettext_lazy("draft, not submitted yet")


def _year(row: IndicatorRow, thresholds) -> None:
    """The row's year so far (verified only), the provisional year beside it, and the
    annual target; all by the indicator's aggregation (``services.figures``)."""
    indicator = row.indicator
    if indicator.is_qualitative:
        return
    row.baseline_text = figures.indicator_value(indicator, indicator.baseline_value)
    row.plan_target_text = figures.indicator_value(indicator, indicator.plan_target)
    targets = [c.target.value if c.target else None for c in row.cells]
    row.annual_target = figures.annual_target(indicator, targets)
    row.annual_target_text = figures.indicator_value(indicator, row.annual_target)
    verified = [
        (t, c.result.value if c.verified else None) for t, c in zip(targets, row.cells, strict=True)
    ]
    year = figures.year_so_far(indicator, verified, thresholds)
    row.year = year.variance
    row.year_actual_text = figures.indicator_value(indicator, year.actual)
    row.year_target_text = figures.indicator_value(indicator, year.target)
    if year.variance is None:
        row.year_not_rated_reason = str(NOT_VERIFIED if year.actual is None else NO_TARGET)
    if any(c.provisional for c in row.cells):
        with_provisional = [
            (t, c.result.value if (c.verified or c.provisional) else None)
            for t, c in zip(targets, row.cells, strict=True)
        ]
        row.provisional_year = figures.year_so_far(indicator, with_provisional, thresholds)
        row.provisional_year_text = figures.indicator_value(indicator, row.provisional_year.actual)


def indicator_table(
    *, county: County, plan, indicators=None, with_submitters: bool = False, thresholds=None
) -> list[IndicatorRow]:
    """Per indicator and quarter of the plan's year: target, verified actual, variance,
    status, the provisional value; per indicator the year so far and the annual target.
    Four queries whatever the number of indicators (indicators, thresholds, targets,
    results). Each result knows its indicator (no query); ``with_submitters`` selects
    who submitted it."""
    indicators = list(
        indicators if indicators is not None else plan_indicators(county=county, plan=plan)
    )
    ids = [i.pk for i in indicators]
    thresholds = thresholds or thresholds_for(county)
    targets = {
        (t.indicator_id, t.quarter): t
        for t in IndicatorTarget.objects.for_county(county).filter(
            indicator_id__in=ids, fiscal_year=plan.fiscal_year
        )
    }
    results_qs = Result.objects.for_county(county).filter(
        indicator_id__in=ids, fiscal_year=plan.fiscal_year
    )
    if with_submitters:
        results_qs = results_qs.select_related("submitted_by")
    results = {(r.indicator_id, r.quarter): r for r in results_qs}
    periods = plan_periods(plan)
    rows = []
    for indicator in indicators:
        row = IndicatorRow(indicator)
        for period in periods:
            key = (indicator.pk, period.quarter)
            row.cells.append(
                _cell(indicator, period, targets.get(key), results.get(key), thresholds)
            )
        _year(row, thresholds)
        rows.append(row)
    return rows


def results_awaiting_verification(*, county: County) -> list[Result]:
    """Submitted results, oldest first, each with ``value_text`` (its value written by
    the indicator's rules)."""
    results = list(
        Result.objects.for_county(county)
        .filter(status=ResultStatus.SUBMITTED)
        .select_related("indicator__plan", "indicator__responsible_organization", "submitted_by")
        .order_by("submitted_at", "pk")
    )
    for result in results:
        result.value_text = figures.indicator_value(result.indicator, result.value, unit=True)
    return results


@dataclass
class Verification:
    """What the verifier weighs (issue 12): the quarter's target, the submitted value,
    the variance and status it would have once verified, the previous quarters."""

    cell: Cell
    would_be: Variance | None
    previous: list[Cell]
    row: IndicatorRow


def verification(*, county: County, result: Result, thresholds=None) -> Verification:
    indicator = result.indicator
    thresholds = thresholds or thresholds_for(county)
    year = SimpleNamespace(fiscal_year=result.fiscal_year)  # the result's year, not the plan's
    (row,) = indicator_table(
        county=county, plan=year, indicators=[indicator], thresholds=thresholds
    )
    cell = row.cells[result.quarter - 1]
    target = cell.target.value if cell.target is not None else None
    return Verification(
        cell=cell,
        would_be=figures.rate(indicator, target, result.value, thresholds),
        previous=row.cells[: result.quarter - 1],
        row=row,
    )
