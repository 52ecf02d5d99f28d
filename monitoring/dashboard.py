"""The plan's M&E dashboard (issue 6, point 10): indicators by red/amber/green,
targets against actuals per quarter as server-drawn SVG charts, results awaiting
verification, overdue submissions, and the open adaptations and recommendations
that the progress and learning apps keep.

A fixed number of queries whatever the number of indicators: indicators, county
thresholds, targets, results (with their submitters), and one query per panel of
the other apps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitoring.models import Frequency, ResultStatus
from monitoring.selectors import IndicatorRow, indicator_table
from monitoring.services import Rag, format_value, result_due_date

DONE = frozenset({ResultStatus.SUBMITTED, ResultStatus.VERIFIED})
# Quarters a frequency expects a result for.
EXPECTED_QUARTERS = {
    Frequency.QUARTERLY: (1, 2, 3, 4),
    Frequency.BIANNUAL: (2, 4),
    Frequency.ANNUAL: (4,),
}
NO_DATA = Rag.NOT_RATED
RAG_ORDER = [
    (Rag.RED, Rag.LABELS[Rag.RED]),
    (Rag.AMBER, Rag.LABELS[Rag.AMBER]),
    (Rag.GREEN, Rag.LABELS[Rag.GREEN]),
    (NO_DATA, gettext_lazy("Not rated yet")),
]
PANEL_SIZE = 5

# --- charts -------------------------------------------------------------------------

WIDTH, HEIGHT = 520, 250
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 22, 58
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above ``value`` (axis top)."""
    if value <= 0:
        return Decimal(1)
    exponent = Decimal(10) ** (value.adjusted())
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent  # pragma: no cover (10 always fits)


def _fmt(value: Decimal) -> str:
    """An axis tick: up to two decimal places, no trailing zeros."""
    text = format_value(value, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    label_y: float
    css: str
    cx: float = 0.0  # centre, for the value written above the bar


@dataclass
class Group:
    x: float  # centre
    quarter: str
    usaid: str
    rag_label: str
    rag: str
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    indicator_id: int
    title: str
    desc: str
    unit: str
    groups: list[Group]
    ticks: list[tuple[float, str]]
    size: dict


def chart(row: IndicatorRow) -> Chart | None:
    """Targets (outlined bars) against verified actuals (solid bars) per quarter, a
    provisional (submitted, unverified) value as a hatched bar marked "provisional";
    every bar carries its value as text and every quarter its status in words. Drafts
    are not drawn."""
    indicator = row.indicator
    if indicator.is_qualitative:
        return None
    values = [
        v
        for c in row.cells
        for v in (
            c.target.value if c.target else None,
            c.result.value if (c.verified or c.provisional) else None,
        )
        if v is not None
    ]
    if not values:
        return None
    top = nice_ceiling(max(values))

    def y_of(value: Decimal) -> float:
        return round(TOP + PLOT_H - float(value / top) * PLOT_H, 1)

    slot = PLOT_W / len(row.cells)
    bar_w = round(slot * 0.32, 1)
    groups, lines = [], []
    for index, cell in enumerate(row.cells):
        centre = round(LEFT + slot * index + slot / 2, 1)
        # A quarter with neither a target nor a value has nothing to rate: no word.
        shown = cell.target is not None or cell.verified or cell.provisional
        group = Group(
            x=centre,
            quarter=f"Q{cell.period.quarter}",
            usaid=cell.period.usaid,
            rag=cell.rag if shown else "",
            rag_label=cell.rag_label if shown else "",
        )
        target = cell.target.value if cell.target else None
        actual = cell.result.value if cell.verified else None
        provisional = cell.result.value if cell.provisional else None
        for offset, value, css, label in (
            (-bar_w - 2, target, "bar-target", cell.target_text),
            (2, actual, f"bar-actual rag-{cell.rag}", cell.actual_text),
            (2, provisional, "bar-provisional", cell.provisional_text),
        ):
            if value is None:
                continue
            y = y_of(value)
            group.bars.append(
                Bar(
                    x=round(centre + offset, 1),
                    y=y,
                    width=bar_w,
                    height=round(TOP + PLOT_H - y, 1),
                    label=label,
                    label_y=round(y - 4, 1),
                    css=css,
                    cx=round(centre + offset + bar_w / 2, 1),
                )
            )
        groups.append(group)
        if provisional is not None:
            said = _("%(v)s provisional, awaiting verification") % {"v": cell.provisional_text}
        else:
            said = cell.actual_text or _("not reported")
        lines.append(
            _("%(q)s: target %(t)s, actual %(a)s (%(rag)s)")
            % {
                "q": cell.period.label,
                "t": cell.target_text or _("none"),
                "a": said,
                "rag": cell.rag_label.lower(),
            }
        )
    ticks = [(y_of(top * k / 4), _fmt(top * k / 4)) for k in range(5)]
    return Chart(
        indicator_id=indicator.pk,
        title=_("%(name)s: targets and actuals per quarter") % {"name": indicator.name},
        desc="; ".join(lines) + ".",
        unit=indicator.unit,
        groups=groups,
        ticks=ticks,
        size={
            "width": WIDTH,
            "height": HEIGHT,
            "left": LEFT,
            "right": WIDTH - RIGHT,
            "top": TOP,
            "bottom": TOP + PLOT_H,
            "quarter_y": TOP + PLOT_H + 16,
            "usaid_y": TOP + PLOT_H + 30,
            "rag_y": TOP + PLOT_H + 46,
            "unit_y": TOP - 8,
        },
    )


# --- overdue ------------------------------------------------------------------------


@dataclass
class Overdue:
    row: IndicatorRow
    period: object
    due: date
    result: object  # the draft, if one was started


def overdue(rows: list[IndicatorRow], today: date) -> list[Overdue]:
    """Quarters whose result is past due (one month after the quarter) and not yet
    submitted or verified. A quarter is expected when the indicator's frequency reports
    it and, for numeric indicators, a target above zero is set for it."""
    found = []
    for row in rows:
        indicator = row.indicator
        expected = EXPECTED_QUARTERS.get(indicator.frequency, (1, 2, 3, 4))
        for cell in row.cells:
            period = cell.period
            if period.quarter not in expected:
                continue
            if not indicator.is_qualitative and (cell.target is None or cell.target.value <= 0):
                continue
            due = result_due_date(period.fiscal_year, period.quarter)
            if due >= today:
                continue
            if cell.result is not None and cell.result.status in DONE:
                continue
            found.append(Overdue(row, period, due, cell.result))
    return sorted(found, key=lambda o: (o.due, o.row.indicator.order, o.row.indicator.pk))


# --- panels of other apps -------------------------------------------------------------


@dataclass
class Panel:
    available: bool
    count: int = 0
    items: list[dict] = field(default_factory=list)


def _panel(loader, plan) -> Panel:
    """Count and first few of another app's open items; unavailable if the app's
    selector does not exist (yet)."""
    if loader is None:
        return Panel(available=False)
    rows = list(loader(plan))
    items = []
    for item in rows[:PANEL_SIZE]:
        url = getattr(item, "get_absolute_url", None)
        items.append(
            {
                "text": str(item),
                "url": url() if callable(url) else "",
                "due": getattr(item, "due_date", None) or getattr(item, "timeline", None),
            }
        )
    return Panel(available=True, count=len(rows), items=items)


def _loader(module: str, name: str):
    try:
        imported = __import__(module, fromlist=[name])
    except ImportError:
        return None
    return getattr(imported, name, None)


# --- the page -------------------------------------------------------------------------


@dataclass
class Dashboard:
    rows: list[IndicatorRow]
    by_rag: list[tuple[str, str, list[IndicatorRow]]]
    charts: list[Chart]
    awaiting: list
    overdue: list[Overdue]
    adaptations: Panel
    recommendations: Panel


def dashboard(*, county, plan, today: date, thresholds=None) -> Dashboard:
    rows = indicator_table(county=county, plan=plan, with_submitters=True, thresholds=thresholds)
    buckets: dict[str, list[IndicatorRow]] = {key: [] for key, _label in RAG_ORDER}
    for row in rows:
        buckets[row.year.rag if row.year else NO_DATA].append(row)
    awaiting = []
    for row in rows:
        for cell in row.cells:
            if cell.result is not None and cell.result.status == ResultStatus.SUBMITTED:
                cell.result.value_text = cell.provisional_text
                awaiting.append(cell.result)
    awaiting.sort(key=lambda r: (str(r.submitted_at), r.pk))
    return Dashboard(
        rows=rows,
        by_rag=[(key, label, buckets[key]) for key, label in RAG_ORDER],
        charts=[c for c in (chart(row) for row in rows) if c is not None],
        awaiting=awaiting,
        overdue=overdue(rows, today),
        adaptations=_panel(_loader("progress.selectors", "open_adaptations"), plan),
        recommendations=_panel(_loader("learning.selectors", "open_recommendations"), plan),
    )
