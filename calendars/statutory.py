"""The county budget calendar (PFM Act 2012) and the USAID planning season, by fiscal year.

Sources, copied into the project so a fresh clone needs nothing else:

* County budget calendar, Public Finance Management Act 2012 (Kenya), as
  summarised in the project's reference data (``shared/data/README.md``):
  budget circular by 30 August (s.128, PFM (County Governments) Regulations
  2015 r.30); Annual Development Plan to the assembly by 1 September (s.126);
  County Budget Review and Outlook Paper to the Executive Committee by 30
  September (s.118); sector working group reports in January (Regulations
  r.30); County Fiscal Strategy Paper to the assembly by 28 February (s.117);
  budget estimates to the assembly by 30 April (s.129); Appropriation law by
  30 June (s.131); quarterly reports within one month after each quarter ends
  (s.166). JWP Implementation Manual §2.3 (the county PEM and PFM calendars).
* USAID planning season: learning brief on the Samburu County JWP process
  (seed ``002_…``): "USAID's program planning starts in September and ends in
  December, while the implementation begins in January of the subsequent year
  to December"; the US government fiscal year runs 1 October – 30 September.

A milestone belongs to the Kenyan fiscal year in which it *falls* (the CFSP of
28 February 2026 is "pfm:cfsp:2025/26"; it prepares the 2026/27 budget). The
quarterly report of a quarter is due one month after the quarter ends, same
day of the month, or the month's last day when it has fewer days (30 September
→ 30 October; 31 December → 31 January).
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from jwp.fiscal import KENYA, FiscalQuarter, FiscalYear


@dataclass(frozen=True)
class Milestone:
    key: str
    title: str
    date: date
    legal_reference: str = ""
    end: date | None = None  # a season, e.g. USAID planning September–December
    source: str = ""


def one_month_after(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def pfm_milestones(year: FiscalYear) -> list[Milestone]:
    """Every statutory county PFM milestone falling in a Kenyan fiscal year, by date."""
    assert year.calendar == KENYA, "PFM milestones follow the Kenyan fiscal year"
    fy, first, second = year.label, year.first_year, year.first_year + 1
    budget = year.next().label  # the budget these documents prepare
    ctx = {"budget": budget}
    items = [
        Milestone(
            f"pfm:budget-circular:{fy}",
            _("Budget circular issued (for the %(budget)s budget)") % ctx,
            date(first, 8, 30),
            "PFM Act 2012 s.128; PFM (County Governments) Regulations 2015 r.30",
        ),
        Milestone(
            f"pfm:adp:{fy}",
            _("Annual Development Plan (%(budget)s) to the County Assembly") % ctx,
            date(first, 9, 1),
            "PFM Act 2012 s.126",
        ),
        Milestone(
            f"pfm:cbrop:{fy}",
            _("County Budget Review and Outlook Paper to the County Executive Committee"),
            date(first, 9, 30),
            "PFM Act 2012 s.118",
        ),
        Milestone(
            f"pfm:swg-reports:{fy}",
            _("Sector working group reports (January)"),
            date(second, 1, 31),
            "PFM (County Governments) Regulations 2015 r.30",
        ),
        Milestone(
            f"pfm:cfsp:{fy}",
            _("County Fiscal Strategy Paper to the County Assembly"),
            date(second, 2, 28),
            "PFM Act 2012 s.117",
        ),
        Milestone(
            f"pfm:budget-estimates:{fy}",
            _("Budget estimates (%(budget)s) to the County Assembly") % ctx,
            date(second, 4, 30),
            "PFM Act 2012 s.129",
        ),
        Milestone(
            f"pfm:appropriation:{fy}",
            _("County Appropriation law (%(budget)s) passed") % ctx,
            date(second, 6, 30),
            "PFM Act 2012 s.131",
        ),
    ]
    # The reports due in this year: last year's Q4 (July) and this year's Q1–Q3.
    quarters = [FiscalQuarter(year.previous(), 4), *year.quarters()[:3]]
    items += [
        Milestone(
            f"pfm:quarterly-report:{q.year.label}-q{q.number}",
            _("Quarterly budget implementation report for %(quarter)s") % {"quarter": q.label},
            one_month_after(q.end),
            "PFM Act 2012 s.166",
        )
        for q in quarters
    ]
    return sorted(items, key=lambda m: (m.date, m.key))


USAID_SOURCE = "Learning brief, Samburu County JWP (USAID planning September–December)"


def usaid_milestones(year: FiscalYear) -> list[Milestone]:
    """USAID partners' planning season and year boundaries falling in a Kenyan fiscal year.

    In Kenyan year 2026/27: planning for FY2027 opens 1 Sep 2026 … closes 31 Dec
    2026; FY2027 begins 1 Oct 2026; implementation begins 1 Jan 2027; FY2027 ends
    30 Sep 2027 (in the next Kenyan year).
    """
    assert year.calendar == KENYA, "milestones are grouped by Kenyan fiscal year"
    first, second = year.first_year, year.first_year + 1
    fy = f"FY{second}"  # the USAID year that starts on 1 October of this Kenyan year
    ctx = {"fy": fy, "year": second}
    items = [
        Milestone(
            f"usaid:planning-opens:{fy}",
            _("USAID partners' annual work planning opens (September–December)"),
            date(first, 9, 1),
            end=date(first, 12, 31),
            source=USAID_SOURCE,
        ),
        Milestone(
            f"usaid:fy-end:FY{first}",
            _("USAID fiscal year FY%(year)s ends") % {"year": first},
            date(first, 9, 30),
            source="US government fiscal year, 1 October – 30 September",
        ),
        Milestone(
            f"usaid:fy-start:{fy}",
            _("USAID fiscal year %(fy)s begins") % ctx,
            date(first, 10, 1),
            source="US government fiscal year, 1 October – 30 September",
        ),
        Milestone(
            f"usaid:planning-closes:{fy}",
            _("USAID partners' work plans final (planning closes)"),
            date(first, 12, 31),
            source=USAID_SOURCE,
        ),
        Milestone(
            f"usaid:implementation-starts:{second}",
            _("USAID partners' implementation year %(year)s begins (January–December)") % ctx,
            date(second, 1, 1),
            source=USAID_SOURCE,
        ),
    ]
    return sorted(items, key=lambda m: (m.date, m.key))


def milestones_between(fn, start: date, end: date) -> list[Milestone]:
    """``fn``'s milestones of every Kenyan year overlapping [start, end], within it."""
    year, items = FiscalYear.of(KENYA, start), []
    while year.start <= end:
        items += [m for m in fn(year) if start <= m.date <= end]
        year = year.next()
    return items
