"""Kenyan and USAID fiscal years side by side."""

import itertools
import re
from datetime import date, timedelta

import pytest

from jwp import fiscal


@pytest.mark.parametrize(
    "day,label,kq,usfy,usq",
    [
        (date(2025, 7, 1), "2025/26", 1, 2025, 4),
        (date(2025, 9, 30), "2025/26", 1, 2025, 4),
        (date(2025, 10, 1), "2025/26", 2, 2026, 1),
        (date(2025, 12, 31), "2025/26", 2, 2026, 1),
        (date(2026, 1, 1), "2025/26", 3, 2026, 2),
        (date(2026, 6, 30), "2025/26", 4, 2026, 3),
        (date(1999, 7, 15), "1999/00", 1, 1999, 4),
    ],
)
def test_a_day_in_both_calendars(day, label, kq, usfy, usq):
    assert fiscal.kenyan_fy_label(day) == label
    assert fiscal.kenyan_quarter(day) == kq
    assert (fiscal.usaid_fy(day), fiscal.usaid_quarter(day)) == (usfy, usq)


def test_usaid_q1_is_kenyas_q2():
    assert fiscal.both_calendars(date(2025, 11, 15)) == "2025/26 Q2 · FY2026 Q1"


def test_bounds_and_labels():
    assert fiscal.kenyan_fy_bounds("2024/25") == (date(2024, 7, 1), date(2025, 6, 30))
    assert fiscal.is_kenyan_fy_label("2024/25") and not fiscal.is_kenyan_fy_label("2024/26")
    assert not fiscal.is_kenyan_fy_label("twenty")


# --- the two-calendar module: boundaries, round trips, conversions, validation -------


@pytest.mark.parametrize(
    "day,kenyan,usaid",
    [
        (date(2025, 6, 30), "2024/25 Q4", "FY2025 Q3"),  # last day of a Kenyan year
        (date(2025, 7, 1), "2025/26 Q1", "FY2025 Q4"),  # first day of a Kenyan year
        (date(2025, 9, 30), "2025/26 Q1", "FY2025 Q4"),  # last day of a USAID year
        (date(2025, 10, 1), "2025/26 Q2", "FY2026 Q1"),  # first day of a USAID year
        (date(2025, 12, 31), "2025/26 Q2", "FY2026 Q1"),  # new year's eve ...
        (date(2026, 1, 1), "2025/26 Q3", "FY2026 Q2"),  # ... changes both quarters
        (date(2028, 2, 29), "2027/28 Q3", "FY2028 Q2"),  # leap day
        (date(2028, 3, 31), "2027/28 Q3", "FY2028 Q2"),
        (date(2028, 4, 1), "2027/28 Q4", "FY2028 Q3"),
    ],
)
def test_a_day_gets_its_quarter_in_both_calendars(day, kenyan, usaid):
    assert fiscal.kenyan_quarter_of(day).label == kenyan
    assert fiscal.usaid_quarter_of(day).label == usaid
    assert fiscal.both_calendars(day) == f"{kenyan} · {usaid}"
    assert day in fiscal.parse_quarter(kenyan) and day in fiscal.parse_quarter(usaid)


@pytest.mark.parametrize(
    "label,start,end",
    [
        ("2025/26", date(2025, 7, 1), date(2026, 6, 30)),
        ("FY2026", date(2025, 10, 1), date(2026, 9, 30)),
        ("2099/00", date(2099, 7, 1), date(2100, 6, 30)),  # the century rolls over
        ("2025/26 Q1", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025/26 Q2", date(2025, 10, 1), date(2025, 12, 31)),
        ("2027/28 Q3", date(2028, 1, 1), date(2028, 3, 31)),  # includes 29 Feb 2028
        ("2027/28 Q4", date(2028, 4, 1), date(2028, 6, 30)),
        ("FY2026 Q1", date(2025, 10, 1), date(2025, 12, 31)),
        ("FY2028 Q2", date(2028, 1, 1), date(2028, 3, 31)),
        ("FY2026 Q4", date(2026, 7, 1), date(2026, 9, 30)),
    ],
)
def test_label_bounds_label_round_trip(label, start, end):
    period = fiscal.parse_period(label)
    assert period.bounds == (start, end)
    assert period.label == label
    # Both ends of the bounds map back to the same label.
    of = (
        fiscal.FiscalQuarter.of
        if isinstance(period, fiscal.FiscalQuarter)
        else fiscal.FiscalYear.of
    )
    assert of(period.calendar, start) == period == of(period.calendar, end)
    assert of(period.calendar, start - timedelta(days=1)) != period
    assert of(period.calendar, end + timedelta(days=1)) != period


def test_the_leap_year_quarter_is_one_day_longer():
    leap, common = fiscal.parse_quarter("2027/28 Q3"), fiscal.parse_quarter("2026/27 Q3")
    assert (leap.end - leap.start).days == 90 and (common.end - common.start).days == 89
    assert fiscal.parse_year("2027/28").end - fiscal.parse_year("2027/28").start == timedelta(
        days=365
    )


@pytest.mark.parametrize(
    "kenyan,usaid",
    [
        ("2025/26 Q1", "FY2025 Q4"),
        ("2025/26 Q2", "FY2026 Q1"),
        ("2025/26 Q3", "FY2026 Q2"),
        ("2025/26 Q4", "FY2026 Q3"),
    ],
)
def test_each_kenyan_quarter_is_exactly_one_usaid_quarter(kenyan, usaid):
    k, u = fiscal.parse_quarter(kenyan), fiscal.parse_quarter(usaid)
    assert k.usaid == u and u.kenyan == k
    assert k.bounds == u.bounds
    assert fiscal.kenyan_to_usaid_quarter(k.year.label, k.number) == usaid


def test_a_year_iterates_its_quarters_without_gaps():
    for label in ("2025/26", "FY2026", "2027/28"):
        year = fiscal.parse_year(label)
        quarters = year.quarters()
        assert [q.label for q in quarters] == [f"{label} Q{n}" for n in (1, 2, 3, 4)]
        assert quarters[0].start == year.start and quarters[-1].end == year.end
        for before, after in itertools.pairwise(quarters):
            assert after.start - before.end == timedelta(days=1)
            assert before.next() == after and after.previous() == before
    assert fiscal.parse_quarter("2025/26 Q4").next().label == "2026/27 Q1"
    assert fiscal.parse_quarter("FY2026 Q1").previous().label == "FY2025 Q4"


def test_a_kenyan_year_overlaps_two_usaid_years():
    year = fiscal.parse_year("2025/26")
    assert [y.label for y in year.overlapping(fiscal.USAID)] == ["FY2025", "FY2026"]
    assert [y.label for y in fiscal.parse_year("FY2026").overlapping(fiscal.KENYA)] == [
        "2025/26",
        "2026/27",
    ]
    assert fiscal.in_both_calendars("2025/26") == "2025/26 · FY2025 Q4 – FY2026 Q3"
    assert fiscal.in_both_calendars("FY2026 Q1") == "2025/26 Q2 · FY2026 Q1"


def test_quarters_between_spans_the_range():
    quarters = fiscal.quarters_between(fiscal.USAID, date(2025, 9, 30), date(2026, 1, 1))
    assert [q.label for q in quarters] == ["FY2025 Q4", "FY2026 Q1", "FY2026 Q2"]


@pytest.mark.parametrize(
    "label,message",
    [
        ("2025/27", "the year after the first (2025/26)"),
        ("2025-26", "write it as 2025/26 (Kenya) or FY2026 (USAID)"),
        ("FY26", "write it as 2025/26 (Kenya) or FY2026 (USAID)"),
        ("", "is not a fiscal year"),
        ("+025/26", "is not a fiscal year"),
        ("２０２５/26", "is not a fiscal year"),  # full-width digits are not digits here
        ("2025/26 Q5", "a quarter is Q1 to Q4"),
        ("FY2026 Q0", "a quarter is Q1 to Q4"),
        ("2025/26Q2", "is not a fiscal year"),
        ("FY9999", "between 1900 and 2199"),
        ("9998/99 Q1", "between 1900 and 2199"),
        ("0001/02", "between 1900 and 2199"),
    ],
)
def test_invalid_labels_are_rejected_with_a_clear_error(label, message):
    with pytest.raises(fiscal.InvalidFiscalLabel, match=re.escape(message)):
        fiscal.parse_period(label)


def test_the_kenyan_helpers_refuse_a_usaid_label():
    with pytest.raises(fiscal.InvalidFiscalLabel, match="is a USAID year"):
        fiscal.kenyan_fy_bounds("FY2026")
    assert not fiscal.is_kenyan_fy_label("FY2026")
    with pytest.raises(fiscal.InvalidFiscalLabel):
        fiscal.kenyan_quarter_bounds("2025/26", 5)


def test_kenyan_fy_choices_newest_first():
    assert fiscal.kenyan_fy_choices(around=date(2026, 11, 23)) == [
        ("2027/28", "2027/28"),
        ("2026/27", "2026/27"),
        ("2025/26", "2025/26"),
        ("2024/25", "2024/25"),
    ]


def test_template_filters_show_both_calendars():
    from django.template import Context, Template

    rendered = Template(
        "{% load fiscal %}{{ day|both_calendars }}|{{ day|kenyan_fy }}|{{ day|usaid_fy }}|"
        "{{ k|usaid_period }}|{{ u|kenyan_period }}|{{ y|usaid_period }}|"
        "{{ k|in_both_calendars }}|{{ bad|in_both_calendars }}|{{ none|both_calendars }}"
    ).render(
        Context(
            {
                "day": date(2026, 11, 23),
                "k": "2026/27 Q2",
                "u": "FY2027 Q1",
                "y": "2026/27",
                "bad": "someday",
                "none": None,
            }
        )
    )
    assert rendered.split("|") == [
        "2026/27 Q2 · FY2027 Q1",
        "2026/27",
        "FY2027",
        "FY2027 Q1",
        "2026/27 Q2",
        "FY2026–FY2027",
        "2026/27 Q2 · FY2027 Q1",
        "someday",
        "",
    ]
