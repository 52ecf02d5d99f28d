"""Filters of the PDF templates."""

from django import template

register = template.Library()


@register.filter
def css_string(value) -> str:
    """A value as the inside of a CSS string: quotes, backslashes and line ends escaped."""
    out = []
    for char in str(value):
        if char in '"\\' or ord(char) < 0x20:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return "".join(out)


@register.filter
def amount(value) -> str:
    """A Decimal with thousands separators and cents, no currency (the column says KES)."""
    from decimal import Decimal

    if value in (None, ""):
        return "—"
    return f"{Decimal(value):,.2f}"
