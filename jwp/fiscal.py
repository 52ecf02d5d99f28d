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
