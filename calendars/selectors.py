"""Reads of the calendar pages. Every page is one call to ``dated_items`` (a fixed
number of queries whatever the number of items) plus what the filters need."""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format

from calendars.items import DatedItem, ItemKind, dated_items
from jwp.fiscal import KENYA, MAX_YEAR, MIN_YEAR, USAID, FiscalYear, both_calendars
from jwp.roles import Role

KIND_LABELS = dict(ItemKind.choices)


def filtered(
    items, *, sector_id: int | None = None, status: str = "", mine=None
) -> list[DatedItem]:
    """``mine``: a membership; keeps the items its user is responsible for — for the
    secretariat also those with nobody named (reminders go to the secretariat then)."""
    if mine is not None:
        secretariat = mine.role == Role.SECRETARIAT
        items = [
            i
            for i in items
            if mine.user_id in i.responsible_user_ids
            or (secretariat and not i.responsible_user_ids)
        ]
    if sector_id:
        items = [i for i in items if i.sector_id == sector_id]
    if status == "open":
        items = [i for i in items if not i.done]
    elif status == "done":
        items = [i for i in items if i.done]
    return list(items)


# --- month ---------------------------------------------------------------------------


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    items: list[DatedItem] = field(default_factory=list)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]
    previous: date
    next: date
    count: int

    @property
    def title(self) -> str:
        """ "November 2026 · 2026/27 Q2 · FY2027 Q1": a month lies in one quarter of each."""
        return f"{date_format(self.first, 'F Y')} · {both_calendars(self.first)}"


def parse_month(value: str, today: date) -> date:
    """ "2026-11" → 1 November 2026; anything else → this month."""
    try:
        year, month = (int(part) for part in value.split("-"))
        if MIN_YEAR <= year < MAX_YEAR:
            return date(year, month, 1)
    except (ValueError, TypeError):
        pass
    return today.replace(day=1)


def month(county, first: date, *, kinds=None, sector_id=None, status="", mine=None) -> Month:
    today = timezone.localdate()
    cal = _calendar.Calendar(firstweekday=0)  # weeks start on Monday
    days = list(cal.itermonthdates(first.year, first.month))
    items = filtered(
        dated_items(county, days[0], days[-1], kinds=kinds, today=today),
        sector_id=sector_id,
        status=status,
        mine=mine,
    )
    by_day: dict[date, list[DatedItem]] = {}
    for item in items:
        by_day.setdefault(item.date, []).append(item)
    cells = [
        Day(
            d,
            d.month == first.month,
            d == today,
            by_day.get(d, []) if d.month == first.month else [],
        )
        for d in days
    ]
    last = first.replace(day=_calendar.monthrange(first.year, first.month)[1])
    return Month(
        first=first,
        weeks=[cells[i : i + 7] for i in range(0, len(cells), 7)],
        previous=(first - timedelta(days=1)).replace(day=1),
        next=last + timedelta(days=1),
        count=sum(len(c.items) for c in cells),
    )


# --- the clash view ---------------------------------------------------------------------

# Two rules, documented on the page (manual §2.8 challenges 4 and 7; learning brief 002):
# 1. Season: a county PFM milestone falling inside the USAID partners' planning season
#    (1 September – 31 December): county planners prepare the ADP, the CBROP and the
#    first-quarter report while partners write their own work plans.
# 2. Same week: a county PFM milestone within CLASH_DAYS of a USAID milestone, a JWP
#    process event or a meeting: the same people are needed in both places.
CLASH_DAYS = 7
# The JWP column: the events the secretariat scheduled and the meetings held or planned.
TIMELINE_KINDS = (ItemKind.PFM, ItemKind.USAID, ItemKind.JWP, ItemKind.MEETING)


@dataclass
class TimelineRow:
    item: DatedItem
    clashes: list[DatedItem] = field(default_factory=list)
    in_season: DatedItem | None = None

    @property
    def column(self) -> str:
        return {ItemKind.PFM: "county", ItemKind.USAID: "usaid"}.get(self.item.kind, "jwp")

    @property
    def is_clash(self) -> bool:
        return bool(self.clashes or self.in_season)


def timeline(county, year: FiscalYear) -> list[TimelineRow]:
    # Seasons that began before the year still cover its first months: look back.
    items = dated_items(county, year.start - timedelta(days=180), year.end, kinds=TIMELINE_KINDS)
    seasons = [i for i in items if i.kind == ItemKind.USAID and i.end]
    others = [i for i in items if i.kind != ItemKind.PFM]
    rows = []
    for item in items:
        if item.date < year.start:
            continue
        row = TimelineRow(item)
        if item.kind == ItemKind.PFM:
            row.in_season = next((s for s in seasons if s.date <= item.date <= s.end), None)
            row.clashes = [o for o in others if abs((o.date - item.date).days) <= CLASH_DAYS]
        rows.append(row)
    # A USAID milestone or JWP event that a county milestone collides with is marked too.
    clashing = {o.key for r in rows for o in r.clashes}
    for row in rows:
        if row.item.key in clashing:
            row.clashes = [r.item for r in rows if row.item in r.clashes]
    return rows


def year_choices(today: date) -> list[tuple[str, str]]:
    """Kenyan and USAID years around today, for the filters."""
    kenyan = FiscalYear.of(KENYA, today)
    usaid = FiscalYear.of(USAID, today)
    return [
        *[(y.label, y.label) for y in (kenyan.previous(), kenyan, kenyan.next())],
        *[(y.label, y.label) for y in (usaid.previous(), usaid, usaid.next())],
    ]
