"""Forms of the calendar: the filters and a JWP process event. Rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from calendars.items import ItemKind
from calendars.models import CalendarEvent
from counties.selectors import county_sectors
from jwp import fiscal
from jwp.forms import BoundedIntegerField

STATUS_CHOICES = [("", _("Open and done")), ("open", _("Open")), ("done", _("Done"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# Workflow turns are notifications, not dated items: not a calendar filter.
CALENDAR_KINDS = [(k, label) for k, label in ItemKind.choices if k != ItemKind.WORKFLOW]


class FilterForm(forms.Form):
    """Filters of the list (all of them) and the month (kind, sector, status)."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *CALENDAR_KINDS]
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"), required=False, queryset=None, empty_label=_("All sectors")
    )
    period = forms.CharField(
        label=_("Fiscal year or quarter"),
        required=False,
        max_length=20,
        help_text=_("Kenyan (2026/27, 2026/27 Q2) or USAID (FY2027, FY2027 Q1)."),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    mine = forms.BooleanField(
        label=_("Only mine"),
        required=False,
        help_text=_("Items you are responsible for (or, for the secretariat, unassigned ones)."),
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = county_sectors(county=county).order_by("order", "name")

    def clean_period(self):
        value = self.cleaned_data["period"].strip()
        if value:
            try:
                return fiscal.parse_period(value)
            except fiscal.InvalidFiscalLabel as exc:
                raise forms.ValidationError(str(exc)) from exc
        return None

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        for name, day in (("date_from", start), ("date_to", end)):
            if day and not fiscal.MIN_YEAR <= day.year < fiscal.MAX_YEAR:
                self.add_error(
                    name,
                    _("Choose a date between %(min)s and %(max)s.")
                    % {"min": fiscal.MIN_YEAR, "max": fiscal.MAX_YEAR - 1},
                )
                start = end = None
        if start and end and end < start:
            self.add_error("date_to", _("“To” must be on or after “From”."))
        elif start and end and (end - start).days > 3 * 366:
            self.add_error("date_to", _("Choose at most three years at a time."))
        return data

    def range(self, default: tuple) -> tuple:
        """The dates to show: the typed dates win over the period, the period over the default."""
        data = self.cleaned_data if self.is_valid() else {}
        start, end = default
        if data.get("period"):
            start, end = data["period"].bounds
        if data.get("date_from") or data.get("date_to"):
            start = data.get("date_from") or start
            end = data.get("date_to") or end
            if end < start:
                end = start
        return start, end


class EventForm(forms.ModelForm):
    row_version = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CalendarEvent
        fields = ["kind", "title", "starts_on", "ends_on", "sector", "notes"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = county_sectors(county=county).order_by("order", "name")
        self.fields["sector"].empty_label = _("All sectors (county-wide)")
        if self.instance.pk:
            self.fields["row_version"].initial = self.instance.row_version

    def clean(self):
        # The rules are the service's; ModelForm's own instance validation would run the
        # model's check constraint first with a less helpful message.
        return self.cleaned_data

    def _post_clean(self):
        pass
