"""The Gantt-like timeline of a plan, computed for a server-rendered SVG.

Geometry only: the template draws it. Overdue steps are hatched *and* carry a text
mark, so the meaning never rests on colour alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sectorplans.models import PlanStep

LABEL_WIDTH = 34
CHART_WIDTH = 820
ROW = 18
TOP = 26


@dataclass
class Bar:
    plan_step: PlanStep
    x: float
    width: float
    y: float
    overdue: bool

    @property
    def text_y(self) -> float:
        return self.y + ROW - 6

    @property
    def end_x(self) -> float:
        return round(self.x + self.width, 1)


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Timeline:
    bars: list[Bar]
    ticks: list[Tick]
    today_x: float | None
    width: int
    height: int
    start: date
    end: date


def _month_starts(start: date, end: date):
    current = date(start.year, start.month, 1)
    while current <= end:
        yield current
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)


def build(steps: list[PlanStep], today: date) -> Timeline | None:
    """None when no step has dates yet (the secretariat lays out the timeline first)."""
    dated = [ps for ps in steps if ps.planned_start and ps.due_date]
    if not dated:
        return None
    start = min(ps.planned_start for ps in dated)
    end = max(max(ps.due_date for ps in dated), today) + timedelta(days=7)
    start = min(start, today)
    days = max((end - start).days, 1)
    scale = CHART_WIDTH / days

    def x_of(day: date) -> float:
        return round(LABEL_WIDTH + (day - start).days * scale, 1)

    bars = []
    for index, ps in enumerate(steps):
        y = TOP + index * ROW
        if not (ps.planned_start and ps.due_date):
            continue
        x = x_of(ps.planned_start)
        width = max(round((ps.due_date - ps.planned_start).days * scale, 1), 2)
        bars.append(Bar(ps, x, width, y + 3, ps.is_overdue(today)))
    months = list(_month_starts(start, end))
    step = max(1, len(months) // 12)  # at most about twelve labels
    ticks = [
        Tick(x_of(m), m.strftime("%b %Y") if m.month == 1 or i == 0 else m.strftime("%b"))
        for i, m in enumerate(months)
        if m >= start and i % step == 0
    ]
    today_x = x_of(today) if start <= today <= end else None
    return Timeline(
        bars=bars,
        ticks=ticks,
        today_x=today_x,
        width=LABEL_WIDTH + CHART_WIDTH + 10,
        height=TOP + len(steps) * ROW + 16,  # room for the "today" label at the foot
        start=start,
        end=end,
    )
