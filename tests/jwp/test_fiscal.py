"""Kenyan and USAID fiscal years side by side."""

from datetime import date

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
