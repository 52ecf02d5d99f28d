"""(d) The quarterly M&E progress report: per indicator the targets, verified
results, variance and red/amber/green of every quarter up to the report's, with
charts (server-rendered SVG). Only verified results count in an issued report;
the others are listed as awaiting verification.

When the secretariat has written the quarter's progress report (``progress``
app, ``progress.selectors.report_data``), its narrative, activity progress,
expenditure and adaptations are included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from documents.renderers import charts
from monitoring import selectors
from monitoring.services import Rag, thresholds_for

TEMPLATE = "documents/pdf/report.html"


@dataclass
class Quarter:
    label: str
    target: Decimal | None = None
    actual: Decimal | None = None
    note: str = ""
    variance: object = None


@dataclass
class Row:
    indicator: object
    quarters: list[Quarter] = field(default_factory=list)

    @property
    def current(self) -> Quarter:
        return self.quarters[-1]


def _quarter(cell) -> Quarter:
    """One quarter as the report shows it: the verified actual and its variance as
    ``monitoring.selectors`` prepared them (the M&E rules); a submitted result is
    listed as awaiting verification."""
    q = Quarter(cell.period.label, target=cell.target.value if cell.target else None)
    result = cell.result
    if result is None:
        q.note = "not_reported"
    elif not cell.verified:
        q.note = "awaiting"
    else:
        q.actual = result.value
        q.note = result.narrative
        q.variance = cell.variance
    return q


def indicator_rows(plan, quarter: int) -> list[Row]:
    rows = []
    for table_row in selectors.indicator_table(county=plan.county, plan=plan):
        row = Row(table_row.indicator)
        for cell in table_row.cells[:quarter]:
            row.quarters.append(_quarter(cell))
        rows.append(row)
    return rows


def _progress_sections(plan, fiscal_year: str, quarter: int) -> dict | None:
    """The quarter's progress report (the ``progress`` app): its narrative, activity
    progress, expenditure and adaptations; None when none was written."""
    from progress.models import ProgressReport
    from progress.selectors import report_data

    report = (
        ProgressReport.objects.for_county(plan.county_id)
        .filter(plan=plan, fiscal_year=fiscal_year, quarter=quarter)
        .select_related("plan__lead_agency", "county", "reviewed_by")
        .first()
    )
    if report is None:
        return None
    data = report_data(report)
    data["narrative"] = [n for n in data["narrative"] if (n["text"] or "").strip()]
    return data


def counts_any(rows: list[Row]) -> bool:
    return any(r.current.variance is not None for r in rows)


def context(job, plan) -> dict:
    quarter = int(job.params["quarter"])
    fiscal_year = job.params.get("fiscal_year", plan.fiscal_year)
    rows = indicator_rows(plan, quarter)
    counts = {rag: 0 for rag in (Rag.GREEN, Rag.AMBER, Rag.RED)}
    for row in rows:
        if row.current.variance is not None:
            counts[row.current.variance.rag] += 1
    quantitative = [r for r in rows if not r.indicator.is_qualitative]
    summary_chart = charts.percent_of_target(
        [
            (
                r.indicator.name,
                r.current.variance.percent if r.current.variance else None,
                r.current.variance.rag if r.current.variance else None,
            )
            for r in quantitative
        ]
    )
    indicator_charts = [
        charts.data_uri(
            charts.target_vs_actual(
                r.indicator.name,
                [(q.label.split(" ")[-1], q.target, q.actual) for q in r.quarters],
                r.indicator.unit,
            )
        )
        for r in quantitative
    ]
    return {
        "plan": plan,
        "fiscal_year": fiscal_year,
        "quarter": quarter,
        "period_label": f"{fiscal_year} Q{quarter}",
        "usaid_label": selectors.Period(fiscal_year, quarter).usaid,
        "rows": rows,
        "counts": counts,
        "reported": sum(counts.values()),
        "awaiting": sum(1 for r in rows if r.current.note == "awaiting"),
        "not_reported": sum(1 for r in rows if r.current.note == "not_reported"),
        "thresholds": thresholds_for(plan.county),
        # Drawn only when an indicator has a verified result this quarter.
        "summary_chart": charts.data_uri(summary_chart) if counts_any(rows) else "",
        "indicator_charts": indicator_charts,
        "progress": _progress_sections(plan, fiscal_year, quarter),
    }
