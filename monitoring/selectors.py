"""Reads of the monitoring pages: a constant number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from counties.models import County
from jwp.fiscal import kenyan_quarter_bounds, kenyan_to_usaid_quarter
from monitoring.models import Indicator, IndicatorTarget, Result, ResultStatus
from monitoring.services import Variance, thresholds_for, variance


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
    period: Period
    target: IndicatorTarget | None = None
    result: Result | None = None
    variance: Variance | None = None


@dataclass
class IndicatorRow:
    indicator: Indicator
    cells: list[Cell] = field(default_factory=list)
    year: Variance | None = None


def plan_indicators(*, county: County, plan):
    return (
        Indicator.objects.for_county(county)
        .filter(plan=plan)
        .select_related("objective", "activity", "responsible_organization")
    )


def _year(indicator, cells, thresholds) -> Variance | None:
    """The year so far: cumulative indicators add quarters up; others take the
    latest quarter with both a target and an actual."""
    pairs = [
        (c.target.value, c.result.value)
        for c in cells
        if c.target is not None and c.result is not None and c.result.value is not None
    ]
    if not pairs:
        return None
    if indicator.cumulative:
        target = sum((t for t, _a in pairs), Decimal(0))
        actual = sum((a for _t, a in pairs), Decimal(0))
    else:
        target, actual = pairs[-1]
    return variance(
        target=target, actual=actual, direction=indicator.direction, thresholds=thresholds
    )


def indicator_table(
    *, county: County, plan, indicators=None, with_submitters: bool = False, thresholds=None
) -> list[IndicatorRow]:
    """Per indicator and quarter of the plan's year: target, actual, variance, RAG.
    Each result knows its indicator (no query); ``with_submitters`` selects who
    submitted it."""
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
            cell = Cell(
                period,
                targets.get((indicator.pk, period.quarter)),
                results.get((indicator.pk, period.quarter)),
            )
            if cell.result is not None:
                cell.result.indicator = indicator
            if (
                cell.target is not None
                and cell.result is not None
                and cell.result.value is not None
                and not indicator.is_qualitative
            ):
                cell.variance = variance(
                    target=cell.target.value,
                    actual=cell.result.value,
                    direction=indicator.direction,
                    thresholds=thresholds,
                )
            row.cells.append(cell)
        if not indicator.is_qualitative:
            row.year = _year(indicator, row.cells, thresholds)
        rows.append(row)
    return rows


def results_awaiting_verification(*, county: County):
    return (
        Result.objects.for_county(county)
        .filter(status=ResultStatus.SUBMITTED)
        .select_related("indicator__plan", "indicator__responsible_organization", "submitted_by")
        .order_by("submitted_at", "pk")
    )
