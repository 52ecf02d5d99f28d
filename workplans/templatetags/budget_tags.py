"""Money in templates: ``{{ amount|kes }}`` → "KES 1,234,567.50"."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def kes(value) -> str:
    """A Decimal amount in KES with thousands separators (never via float)."""
    if value in (None, ""):
        return "—"
    return f"KES {Decimal(value):,.2f}"


@register.filter
def money(obj) -> str:
    """An amount in its own currency, with the rate used for USD."""
    text = f"{obj.currency} {obj.amount:,.2f}"
    if obj.exchange_rate:
        text += f" @ {obj.exchange_rate:,.4f}"
    return text
