"""Quarters of a plan's Kenyan fiscal year, with the USAID quarter beside (manual §2.8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jwp.fiscal import (
    kenyan_fy_bounds,
    kenyan_quarter,
    kenyan_quarter_bounds,
    kenyan_to_usaid_quarter,
)


@dataclass(frozen=True)
class Quarter:
    fiscal_year: str
    quarter: int

    @property
    def start(self) -> date:
        return kenyan_quarter_bounds(self.fiscal_year, self.quarter)[0]

    @property
    def end(self) -> date:
        return kenyan_quarter_bounds(self.fiscal_year, self.quarter)[1]

    @property
    def label(self) -> str:
        return f"{self.fiscal_year} Q{self.quarter}"

    @property
    def usaid(self) -> str:
        return kenyan_to_usaid_quarter(self.fiscal_year, self.quarter)

    @property
    def previous(self) -> Quarter | None:
        return Quarter(self.fiscal_year, self.quarter - 1) if self.quarter > 1 else None

    def as_dict(self) -> dict:
        return {
            "fiscal_year": self.fiscal_year,
            "quarter": self.quarter,
            "label": self.label,
            "usaid": self.usaid,
            "start": self.start,
            "end": self.end,
        }


def plan_quarters(plan) -> list[Quarter]:
    return [Quarter(plan.fiscal_year, q) for q in (1, 2, 3, 4)]


def quarter_of(fiscal_year: str, day: date) -> int | None:
    """The quarter of ``fiscal_year`` that ``day`` falls in, or None outside the year."""
    first, last = kenyan_fy_bounds(fiscal_year)
    if not first <= day <= last:
        return None
    return kenyan_quarter(day)
