"""The two planning calendars of a JWP: Kenya's fiscal year and USAID's.

* Kenya (national and county governments): 1 July – 30 June, labelled "2025/26";
  quarters Q1 = Jul–Sep … Q4 = Apr–Jun ("2025/26 Q2").
* USAID (US government): 1 October – 30 September, labelled by the calendar year
  in which it ends, "FY2026"; quarters Q1 = Oct–Dec … Q4 = Jul–Sep ("FY2026 Q1").

Both years start on the first day of a calendar quarter, three months apart, so
every Kenyan quarter *is* exactly one USAID quarter (2025/26 Q2 = FY2026 Q1 =
October–December 2025) and a Kenyan year overlaps two USAID years (2025/26 =
FY2025 Q4 + FY2026 Q1–Q3). Manual §2.8 (challenge 4, "non-alignment of planning
/budgeting cycles") is why every period in the product can be shown in both.

This is the one module that converts dates, periods and labels between them.
Labels are parsed strictly: :class:`InvalidFiscalLabel` says what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

KENYA = "kenya"
USAID = "usaid"
CALENDARS = (KENYA, USAID)
_START_MONTH = {KENYA: 7, USAID: 10}

_KENYA_YEAR = re.compile(r"(?P<first>\d{4})/(?P<second>\d{2})", re.ASCII)
_USAID_YEAR = re.compile(r"FY(?P<fy>\d{4})", re.IGNORECASE | re.ASCII)
_QUARTER = re.compile(r"(?P<year>.+?)\s+Q(?P<quarter>\d+)", re.IGNORECASE | re.ASCII)


# Labels outside these years are typing mistakes, and their neighbours would overflow
# Python's dates (year 9999): refused like any other bad label.
MIN_YEAR, MAX_YEAR = 1900, 2199


class InvalidFiscalLabel(ValueError):
    """A label that is neither "2025/26", "2025/26 Q2", "FY2026" nor "FY2026 Q1"."""


def _month_start(year: int, month: int) -> date:
    """First day of a month counted from January of ``year`` (month may exceed 12)."""
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class FiscalYear:
    """One fiscal year of one calendar, identified by the calendar year it starts in."""

    calendar: str
    first_year: int  # 2025/26 → 2025; FY2026 → 2025 (it starts on 1 October 2025)

    def __post_init__(self) -> None:
        if self.calendar not in CALENDARS:
            raise ValueError(f"Unknown fiscal calendar {self.calendar!r}.")

    @classmethod
    def of(cls, calendar: str, day: date) -> FiscalYear:
        month = _START_MONTH[calendar]
        return cls(calendar, day.year if day.month >= month else day.year - 1)

    @property
    def label(self) -> str:
        if self.calendar == KENYA:
            return f"{self.first_year}/{(self.first_year + 1) % 100:02d}"
        return f"FY{self.first_year + 1}"

    @property
    def start(self) -> date:
        return date(self.first_year, _START_MONTH[self.calendar], 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def bounds(self) -> tuple[date, date]:
        return self.start, self.end

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> FiscalYear:
        return FiscalYear(self.calendar, self.first_year + 1)

    def previous(self) -> FiscalYear:
        return FiscalYear(self.calendar, self.first_year - 1)

    def quarter(self, number: int) -> FiscalQuarter:
        return FiscalQuarter(self, number)

    def quarters(self) -> list[FiscalQuarter]:
        return [FiscalQuarter(self, n) for n in (1, 2, 3, 4)]

    def overlapping(self, calendar: str) -> list[FiscalYear]:
        """The other calendar's years that share days with this one (two, or itself)."""
        if calendar == self.calendar:
            return [self]
        return [FiscalYear.of(calendar, self.start), FiscalYear.of(calendar, self.end)]

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    year: FiscalYear
    number: int  # 1–4

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise InvalidFiscalLabel(
                _("A quarter is Q1 to Q4, not %(number)r.") % {"number": self.number}
            )

    @classmethod
    def of(cls, calendar: str, day: date) -> FiscalQuarter:
        number = (day.month - _START_MONTH[calendar]) % 12 // 3 + 1
        return cls(FiscalYear.of(calendar, day), number)

    @property
    def calendar(self) -> str:
        return self.year.calendar

    @property
    def label(self) -> str:
        return f"{self.year.label} Q{self.number}"

    @property
    def start(self) -> date:
        return _month_start(self.year.first_year, self.year.start.month + 3 * (self.number - 1))

    @property
    def end(self) -> date:
        return _month_start(self.year.first_year, self.year.start.month + 3 * self.number) - (
            timedelta(days=1)
        )

    @property
    def bounds(self) -> tuple[date, date]:
        return self.start, self.end

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def in_calendar(self, calendar: str) -> FiscalQuarter:
        """The same three months in the other calendar (the offset is exactly one quarter)."""
        return FiscalQuarter.of(calendar, self.start)

    @property
    def kenyan(self) -> FiscalQuarter:
        return self.in_calendar(KENYA)

    @property
    def usaid(self) -> FiscalQuarter:
        return self.in_calendar(USAID)

    def next(self) -> FiscalQuarter:
        return FiscalQuarter.of(self.calendar, self.end + timedelta(days=1))

    def previous(self) -> FiscalQuarter:
        return FiscalQuarter.of(self.calendar, self.start - timedelta(days=1))

    def __str__(self) -> str:
        return self.label


# --- parsing ---------------------------------------------------------------------


def parse_year(label: str) -> FiscalYear:
    """ "2025/26" or "FY2026" → a FiscalYear; anything else raises InvalidFiscalLabel."""
    text = (label or "").strip()
    if match := _KENYA_YEAR.fullmatch(text):
        first = int(match["first"])
        if (first + 1) % 100 != int(match["second"]):
            raise InvalidFiscalLabel(
                _(
                    "“%(label)s” is not a fiscal year: the second part must be the year after "
                    "the first (%(first)s/%(expected)02d)."
                )
                % {"label": text, "first": first, "expected": (first + 1) % 100}
            )
        return _in_range(FiscalYear(KENYA, first), text)
    if match := _USAID_YEAR.fullmatch(text):
        return _in_range(FiscalYear(USAID, int(match["fy"]) - 1), text)
    raise InvalidFiscalLabel(
        _("“%(label)s” is not a fiscal year: write it as 2025/26 (Kenya) or FY2026 (USAID).")
        % {"label": text}
    )


def _in_range(year: FiscalYear, text: str) -> FiscalYear:
    if not MIN_YEAR <= year.first_year < MAX_YEAR:
        raise InvalidFiscalLabel(
            _("“%(label)s” is not a fiscal year between %(min)s and %(max)s.")
            % {"label": text, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return year


def parse_quarter(label: str) -> FiscalQuarter:
    """ "2025/26 Q2" or "FY2026 Q1" → a FiscalQuarter; anything else raises InvalidFiscalLabel."""
    text = (label or "").strip()
    match = _QUARTER.fullmatch(text)
    if match is None:
        raise InvalidFiscalLabel(
            _(
                "“%(label)s” is not a fiscal quarter: write it as 2025/26 Q2 (Kenya) "
                "or FY2026 Q1 (USAID)."
            )
            % {"label": text}
        )
    year = parse_year(match["year"])
    number = int(match["quarter"])
    if number not in (1, 2, 3, 4):
        raise InvalidFiscalLabel(
            _("“%(label)s”: a quarter is Q1 to Q4.") % {"label": text},
        )
    return FiscalQuarter(year, number)


def parse_period(label: str) -> FiscalYear | FiscalQuarter:
    """A year or a quarter label, in either calendar."""
    text = (label or "").strip()
    if _QUARTER.fullmatch(text):
        return parse_quarter(text)
    return parse_year(text)


# --- dates → labels ------------------------------------------------------------


def kenyan_year(day: date) -> FiscalYear:
    return FiscalYear.of(KENYA, day)


def usaid_year(day: date) -> FiscalYear:
    return FiscalYear.of(USAID, day)


def kenyan_quarter_of(day: date) -> FiscalQuarter:
    return FiscalQuarter.of(KENYA, day)


def usaid_quarter_of(day: date) -> FiscalQuarter:
    return FiscalQuarter.of(USAID, day)


def both_calendars(day: date) -> str:
    """'2025/26 Q2 · FY2026 Q1' — a date's place in both planning calendars."""
    return f"{kenyan_quarter_of(day).label} · {usaid_quarter_of(day).label}"


def in_both_calendars(label: str) -> str:
    """Any period label shown in both calendars, Kenya's first.

    "2025/26 Q2" and "FY2026 Q1" → "2025/26 Q2 · FY2026 Q1";
    "2025/26" → "2025/26 · FY2025 Q4 – FY2026 Q3"; "FY2026" → "FY2026 · 2025/26 Q2 – 2026/27 Q1".
    """
    period = parse_period(label)
    if isinstance(period, FiscalQuarter):
        return f"{period.kenyan.label} · {period.usaid.label}"
    other = USAID if period.calendar == KENYA else KENYA
    first = period.quarter(1).in_calendar(other)
    last = period.quarter(4).in_calendar(other)
    return f"{period.label} · {first.label} – {last.label}"


def quarters_between(calendar: str, start: date, end: date) -> Iterator[FiscalQuarter]:
    """Every quarter of a calendar that overlaps [start, end], in order."""
    quarter = FiscalQuarter.of(calendar, start)
    while quarter.start <= end:
        yield quarter
        quarter = quarter.next()


# --- the original helpers (imported across the project; kept) ---------------------


def kenyan_fy_start_year(day: date) -> int:
    return kenyan_year(day).first_year


def kenyan_fy_label(day: date | None = None) -> str:
    return kenyan_year(day or timezone.localdate()).label


def kenyan_fy_choices(*, around: date | None = None, before: int = 2, after: int = 1):
    """(label, label) pairs for the fiscal years around a day, newest first."""
    start = kenyan_fy_start_year(around or timezone.localdate())
    years = range(start + after, start - before - 1, -1)
    return [(FiscalYear(KENYA, y).label,) * 2 for y in years]


def is_kenyan_fy_label(label: str) -> bool:
    try:
        return parse_year(label).calendar == KENYA
    except InvalidFiscalLabel:
        return False


def kenyan_fy_bounds(label: str) -> tuple[date, date]:
    """1 July – 30 June of a label like 2025/26."""
    year = parse_year(label)
    if year.calendar != KENYA:
        raise InvalidFiscalLabel(
            _("“%(label)s” is a USAID year; a Kenyan fiscal year is written 2025/26.")
            % {"label": label}
        )
    return year.bounds


def kenyan_quarter(day: date) -> int:
    """Q1 = Jul–Sep … Q4 = Apr–Jun."""
    return kenyan_quarter_of(day).number


def kenyan_quarter_bounds(fiscal_year: str, quarter: int) -> tuple[date, date]:
    """First and last day of quarter 1–4 of a Kenyan fiscal year label."""
    return FiscalQuarter(parse_kenyan_year(fiscal_year), quarter).bounds


def parse_kenyan_year(label: str) -> FiscalYear:
    kenyan_fy_bounds(label)  # validates
    return parse_year(label)


def usaid_fy(day: date) -> int:
    """The US government's fiscal year (1 October – 30 September): FY2026 starts 1 Oct 2025."""
    return usaid_year(day).first_year + 1


def usaid_fy_label(day: date | None = None) -> str:
    return usaid_year(day or timezone.localdate()).label


def usaid_quarter(day: date) -> int:
    """Q1 = Oct–Dec … Q4 = Jul–Sep."""
    return usaid_quarter_of(day).number


def kenyan_to_usaid_quarter(fiscal_year: str, quarter: int) -> str:
    """ "2025/26", 2 → "FY2026 Q1" (monitoring keeps its periods as Kenyan year + quarter)."""
    return FiscalQuarter(parse_kenyan_year(fiscal_year), quarter).usaid.label
