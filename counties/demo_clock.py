"""The demo's clock: its story is written for one day and moved, by whole years, to today.

The demo modules date their story as if today were ``DESIGN_TODAY`` (1 August 2025):
the 2024/25 plan was signed in July 2024 and ran its four quarters, the last quarter's
adaptation follow-up was recorded on 31 July 2025, and the 2025/26 plan is being
co-created. Every fixed date, year and fiscal-year label in the demo goes through
:func:`shift`, :func:`year` or :func:`fiscal_year`, which add :func:`years` — the whole
years from ``DESIGN_TODAY`` to today — so a seed run in any later year tells the same
story in that year's calendars.

Whole years, not days: 1 July stays the start of a Kenyan fiscal year and 1 October of
a USAID one, so quarters and labels keep lining up. The price is that the story is up
to a year old just before each anniversary of ``DESIGN_TODAY``; dates that must be near
"now" (meetings, deadlines, the open participation window) stay relative to
``timezone.localdate()`` in their own modules. Because every design date the demo
presents as done is before ``DESIGN_TODAY``, and :func:`years` rounds down, nothing
done is ever dated after today. The calendar's process events of a whole cycle
(``calendars/demo.py``) are dated a cycle earlier (``extra_years=-1``): the last cycle
that is over.

The clock is read at each call (tests move it with time-machine), never at import.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from django.utils import timezone

from jwp.fiscal import FiscalYear, parse_year

# After the last thing the story records as done (31 July 2025), before the 2025/26
# plan's co-created activities start (August–October 2025). 1 August also keeps the
# plan in co-creation in today's Kenyan fiscal year for eleven months of every twelve.
DESIGN_TODAY = date(2025, 8, 1)

Day = TypeVar("Day", bound=date)  # a date or a datetime (aware or naive)


def _add_years(day: Day, years: int) -> Day:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def years(today: date | None = None) -> int:
    """Whole years from ``DESIGN_TODAY`` to today (rounded down; 0 on the design day)."""
    today = today or timezone.localdate()
    n = today.year - DESIGN_TODAY.year
    return n if _add_years(DESIGN_TODAY, n) <= today else n - 1


def shift(day: Day, extra_years: int = 0) -> Day:
    """A design date or datetime moved by :func:`years` (29 February → 28 February);
    ``extra_years=-1`` dates it a cycle earlier (the calendar's past cycle)."""
    return _add_years(day, years() + extra_years)


def year(design_year: int) -> int:
    """A design year (in a title or a sentence) moved like the dates."""
    return design_year + years()


def fiscal_year(label: str, extra_years: int = 0) -> str:
    """A design fiscal-year label moved like the dates: "2024/25" → "2025/26" a year on;
    USAID labels too ("FY2025" → "FY2026")."""
    design = parse_year(label)
    return FiscalYear(design.calendar, design.first_year + years() + extra_years).label
