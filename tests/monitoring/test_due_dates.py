"""A quarter's result is due one month after the quarter ends."""

from datetime import date

import pytest

from monitoring.services import quarter_end, result_due_date


@pytest.mark.parametrize(
    "fy,quarter,end,due",
    [
        ("2024/25", 1, date(2024, 9, 30), date(2024, 10, 31)),
        ("2024/25", 2, date(2024, 12, 31), date(2025, 1, 31)),
        ("2024/25", 3, date(2025, 3, 31), date(2025, 4, 30)),
        ("2024/25", 4, date(2025, 6, 30), date(2025, 7, 31)),
        ("2027/28", 3, date(2028, 3, 31), date(2028, 4, 30)),
    ],
)
def test_due_one_month_after_the_quarter_ends(fy, quarter, end, due):
    assert quarter_end(fy, quarter) == end
    assert result_due_date(fy, quarter) == due
