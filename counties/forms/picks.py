"""Organization pick lists, one mechanism for every form (issue 12).

A list offers the organizations engaged in the county (``organizations_for_pick``),
plus the ones the form started with. Any other organization is found through the search
box beside the list: the "Find" button submits the form, which then offers what matched
(at most ORGANIZATION_PICK_LIMIT) and asks the member to choose; nothing is saved on a
search. No JavaScript needed.

A posted id is accepted only when the list offers it: engaged in the county, or found by
the search text posted with the form (issue 13, M1: no linking by a raw id). Linking an
organization never lets the county edit its shared profile
(``counties.services.organizations``).
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.utils.html import format_html
from django.utils.translation import gettext as _

from counties.models import Organization
from counties.selectors import organizations_for_pick

SEARCH_BUTTON = "_find_organization"


def _search_box(widget, name: str) -> str:
    return format_html(
        '<span class="org-search"><label class="visually-hidden" for="id_{0}-search">{1}</label>'
        '<input type="search" id="id_{0}-search" name="{0}-search" value="{2}" '
        'placeholder="{1}" autocomplete="off">'
        '<button type="submit" class="secondary" name="{3}" value="{0}" formnovalidate>'
        "{4}</button></span>",
        name,
        _("Search all organizations"),
        widget.search_query,
        SEARCH_BUTTON,
        _("Find"),
    )


class OrganizationSelect(forms.Select):
    search_query = ""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            "{}{}", super().render(name, value, attrs, renderer), _search_box(self, name)
        )


class OrganizationSelectMultiple(forms.SelectMultiple):
    search_query = ""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            "{}{}", super().render(name, value, attrs, renderer), _search_box(self, name)
        )


def _chosen(form: forms.Form, name: str) -> list:
    """The pks the list must keep offering: the value the form started with (the
    instance's, or the initial one). Never what was posted: a posted id must be one the
    list offers (engaged in the county, or found by the search posted with it)."""
    values = form.initial.get(name, form.fields[name].initial)
    if values is None and getattr(form, "instance", None) is not None:
        values = getattr(form.instance, f"{name}_id", None)
    if values is None or values == "":
        return []
    if hasattr(values, "all"):  # a queryset or a related manager
        values = values.all()
    elif not isinstance(values, (list, tuple, set)):
        values = [values]
    pks = []
    for v in values:
        v = getattr(v, "pk", v)
        if str(v).isdigit():
            pks.append(int(v))
    return pks


class OrganizationPicksMixin:
    """Forms with organization pick lists call ``pick_organizations`` in __init__.
    When the member pressed "Find", the form is not valid: it shows what was found
    next to the list and nothing else."""

    organization_picks: dict[str, str]

    def pick_organizations(self, *names: str, county, base=None) -> None:
        base = Organization.objects.all() if base is None else base
        self.organization_picks = getattr(self, "organization_picks", {})
        for name in names:
            field = self.fields[name]
            query = (
                self.data.get(f"{self.add_prefix(name)}-search", "") if self.is_bound else ""
            ).strip()
            offered = organizations_for_pick(county=county, query=query)
            multiple = isinstance(field, forms.ModelMultipleChoiceField)
            field.widget = (OrganizationSelectMultiple if multiple else OrganizationSelect)(
                attrs=field.widget.attrs
            )
            field.widget.search_query = query
            # Setting the queryset also gives the new widget its choices.
            field.queryset = base.filter(
                Q(pk__in=offered.values("pk")) | Q(pk__in=_chosen(self, name))
            ).order_by("name")
            self.organization_picks[name] = query

    def full_clean(self):
        super().full_clean()
        # Enter in any text box presses the form's first button, which may be a "Find":
        # it is a search only when some search box has text; otherwise a normal save.
        if not self.is_bound or SEARCH_BUTTON not in self.data:
            return
        searched = {n: q for n, q in getattr(self, "organization_picks", {}).items() if q}
        if not searched:
            return
        # Only the search's answer: the rest of the form is checked when it is saved.
        self._errors = ErrorDict()
        for name, query in searched.items():
            if len(query) < 2:
                message = _("Type at least two letters of the organization's name, then Find.")
            else:
                message = _("Organizations matching “%(q)s” are now in the list: choose one.") % {
                    "q": query
                }
            self.add_error(name, message)
