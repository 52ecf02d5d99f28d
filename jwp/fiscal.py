"""Kenyan fiscal years (1 July – 30 June, labelled "2025/26").

The JWP cycle is the Kenyan fiscal year. The full two-calendar module (USAID
years and quarters side by side) arrives with the fiscal-calendar issue.
"""

from datetime import date

from django.utils import timezone


def kenyan_fy_start_year(day: date) -> int:
    return day.year if day.month >= 7 else day.year - 1


def kenyan_fy_label(day: date | None = None) -> str:
    start = kenyan_fy_start_year(day or timezone.localdate())
    return f"{start}/{(start + 1) % 100:02d}"


def kenyan_fy_choices(*, around: date | None = None, before: int = 2, after: int = 1):
    """(label, label) pairs for the fiscal years around a day, newest first."""
    start = kenyan_fy_start_year(around or timezone.localdate())
    years = range(start + after, start - before - 1, -1)
    return [(f"{y}/{(y + 1) % 100:02d}", f"{y}/{(y + 1) % 100:02d}") for y in years]


def is_kenyan_fy_label(label: str) -> bool:
    try:
        first, second = label.split("/")
        return len(first) == 4 and len(second) == 2 and (int(first) + 1) % 100 == int(second)
    except ValueError:
        return False


def kenyan_fy_bounds(label: str) -> tuple[date, date]:
    """1 July – 30 June of a label like 2025/26."""
    start = int(label.split("/")[0])
    return date(start, 7, 1), date(start + 1, 6, 30)


def kenyan_quarter(day: date) -> int:
    """Q1 = Jul–Sep … Q4 = Apr–Jun."""
    return (day.month - 7) % 12 // 3 + 1


def usaid_fy(day: date) -> int:
    """The US government's fiscal year (1 October – 30 September): FY2026 starts 1 Oct 2025."""
    return day.year + 1 if day.month >= 10 else day.year


def usaid_quarter(day: date) -> int:
    """Q1 = Oct–Dec … Q4 = Jul–Sep."""
    return (day.month - 10) % 12 // 3 + 1


def both_calendars(day: date) -> str:
    """'2025/26 Q2 · FY2026 Q1' — a date's place in both planning calendars."""
    return (
        f"{kenyan_fy_label(day)} Q{kenyan_quarter(day)} · FY{usaid_fy(day)} Q{usaid_quarter(day)}"
    )
