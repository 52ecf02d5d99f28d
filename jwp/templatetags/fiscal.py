"""``{% load fiscal %}``: show a date or a period in both planning calendars.

    {{ day|both_calendars }}          2025/26 Q2 · FY2026 Q1
    {{ day|kenyan_fy }}               2025/26
    {{ day|usaid_fy }}                FY2026
    {{ "2025/26 Q2"|usaid_period }}   FY2026 Q1
    {{ "FY2026 Q1"|kenyan_period }}   2025/26 Q2
    {{ label|in_both_calendars }}     2025/26 Q2 · FY2026 Q1 (any year or quarter label)

Filters never raise in a template: an empty or unparsable value renders as it came.
"""

from datetime import date, datetime

from django import template

from jwp import fiscal

register = template.Library()


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


@register.filter
def both_calendars(value) -> str:
    day = _day(value)
    return fiscal.both_calendars(day) if day else ""


@register.filter
def kenyan_fy(value) -> str:
    day = _day(value)
    return fiscal.kenyan_year(day).label if day else ""


@register.filter
def usaid_fy(value) -> str:
    day = _day(value)
    return fiscal.usaid_year(day).label if day else ""


def _convert(value, calendar: str) -> str:
    try:
        period = fiscal.parse_period(str(value))
    except fiscal.InvalidFiscalLabel:
        return value or ""
    if isinstance(period, fiscal.FiscalQuarter):
        return period.in_calendar(calendar).label
    years = period.overlapping(calendar)
    return "–".join(dict.fromkeys(y.label for y in years))


@register.filter
def usaid_period(value) -> str:
    return _convert(value, fiscal.USAID)


@register.filter
def kenyan_period(value) -> str:
    return _convert(value, fiscal.KENYA)


@register.filter
def in_both_calendars(value) -> str:
    try:
        return fiscal.in_both_calendars(str(value))
    except fiscal.InvalidFiscalLabel:
        return value or ""
