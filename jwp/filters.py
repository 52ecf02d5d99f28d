"""The API's filter and ordering backends: what a query string may ask of a list.

* Filters are built on the county's own rows: a filter that picks an object (``?activity=``)
  looks it up with ``.for_county(request.county)``, so it neither trips the fail-closed
  manager nor offers another county's ids; an id past the column's range is a 400.
* Ordering accepts only the fields a view lists in ``ordering_fields`` (none by default,
  never ``__all__``), and only paths that end in one value per row (no many-to-many, no
  reverse relation, no method), so ``?ordering=`` cannot duplicate rows or reach a 500.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter

from jwp.inputs import ID_MAX
from jwp.tenancy import CountyOwned


class CountyModelChoiceField(filter_fields.ModelChoiceField):
    """An object id of the county: anything but a number the id column can hold is invalid."""

    def to_python(self, value):
        if value not in self.empty_values:
            text = str(value).strip()
            if not (text.isascii() and text.isdigit() and 0 < int(text) <= ID_MAX):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class CountyFilterSet(django_filters.FilterSet):
    """Every API filterset: object filters choose among the request's county's rows."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        county = getattr(request, "county", None)
        for f in self.filters.values():
            if not isinstance(f, django_filters.ModelChoiceFilter):
                continue
            f.field_class = CountyModelChoiceField
            model = f.queryset.model if f.queryset is not None else None
            if model is not None and issubclass(model, CountyOwned):
                f.queryset = model.objects.for_county(county) if county else model.objects.none()


class CountyFilterBackend(DjangoFilterBackend):
    filterset_base = CountyFilterSet


def _orderable(model, path: str) -> bool:
    """True when ``path`` names a stored field, through single-valued relations only."""
    for part in path.split("__"):
        if model is None:
            return False
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return part == "pk"
        if field.many_to_many or field.one_to_many or not getattr(field, "concrete", False):
            return False
        model = field.related_model
    return True


class DocumentedOrderingFilter(OrderingFilter):
    """``?ordering=`` over the view's own ``ordering_fields`` only."""

    ordering_description = _(
        "Order by one of the fields listed for this list (prefix - to reverse)."
    )

    def get_valid_fields(self, queryset, view, context=None):
        fields = getattr(view, "ordering_fields", None)
        if not fields or fields == "__all__":
            return []
        model = queryset.model
        return [(name, name) for name in fields if _orderable(model, name)]
