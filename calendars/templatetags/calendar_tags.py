"""``{% load calendar_tags %}``: the label of a dated item's kind."""

from django import template

from calendars.items import ItemKind

register = template.Library()
_LABELS = dict(ItemKind.choices)


@register.filter
def kind_label(item) -> str:
    return _LABELS.get(getattr(item, "kind", item), "")
