"""Forms for the county's offices: which office, and who holds it from when.

The forms only parse input; which role may hold which office, one holder at a time
and the dates are decided by ``counties.offices`` and ``counties.services.offices``.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counties import selectors
from counties.forms.meetings import DateInput
from counties.models import Membership, OfficeKind, Organization, Sector
from counties.offices import ORGANIZATION_KINDS, SECTOR_KINDS, eligible_holders, slot_errors

__all__ = ["OfficeChoiceForm", "OfficeEndForm", "OfficeHolderForm"]


class OfficeChoiceForm(forms.Form):
    """Which office: the kind, and its sector or organization where the kind has one.

    Read from the query string (``?kind=…&sector=…&organization=…``), so a blocker
    elsewhere can link straight to the office it needs."""

    kind = forms.ChoiceField(label=_("Office"), choices=OfficeKind.choices)
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        required=False,
        help_text=_("For a CEC member or an Assembly committee chair."),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("For a partner's authorized signatory."),
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = selectors.county_sectors(county=county, active_only=True)
        self.fields["organization"].queryset = selectors.county_organizations(county=county)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind is None:
            return data
        # A sector or an organization given for a kind without one is not part of the office.
        if kind not in SECTOR_KINDS:
            data["sector"] = None
        if kind not in ORGANIZATION_KINDS:
            data["organization"] = None
        for name, message in slot_errors(
            kind=kind, sector=data.get("sector"), organization=data.get("organization")
        ).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class OfficeHolderForm(forms.Form):
    """Who holds the chosen office, from when (until when), and why."""

    holder = forms.ModelChoiceField(
        label=_("Holder"),
        queryset=Membership.objects.none(),
        error_messages={"invalid_choice": _("Choose a member of this county who may hold it.")},
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty while the term is open."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("E.g. the appointment letter or gazette notice."),
    )

    def __init__(self, *args, county, kind, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        holder = self.fields["holder"]
        holder.queryset = eligible_holders(county=county, kind=kind, organization=organization)
        holder.label_from_instance = lambda m: " · ".join(
            filter(None, [str(m.user), m.get_role_display(), m.role_detail])
        )
        self.fields["starts_on"].initial = timezone.localdate()


class OfficeEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Last day in office"), widget=DateInput(), initial=timezone.localdate
    )
