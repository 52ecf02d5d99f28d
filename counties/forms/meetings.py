"""Forms for meetings, their attendance register and action items.

The forms only parse input; the rules (ends after it starts, a venue or a link,
no one registered twice) live in ``counties.services.meetings``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from counties import selectors
from counties.models import ActionStatus, CoordinationStructure, Gender, Meeting
from jwp.forms import ConstraintErrorsMixin

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date-and-time picker; typed text still works without it."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _datetime_field(label, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


class MeetingForm(ConstraintErrorsMixin, forms.ModelForm):
    """A new meeting (details and agenda) or an existing one (also minutes and decisions)."""

    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"), required=False)
    virtual_link = forms.URLField(
        label=_("Meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("For a virtual or hybrid meeting, e.g. a Zoom or Teams link."),
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "structure",
            "starts_at",
            "ends_at",
            "venue",
            "is_virtual",
            "virtual_link",
            "agenda",
            "minutes",
            "decisions",
        ]

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.constraint_county = county
        self.fields["structure"].queryset = CoordinationStructure.objects.for_county(county).filter(
            is_active=True
        )
        self.fields["structure"].help_text = _("The structure that convenes the meeting, if any.")
        if self.instance.pk is None:
            # Minutes and decisions are written after the meeting, on its edit page.
            del self.fields["minutes"]
            del self.fields["decisions"]

    def _post_clean(self):
        # The service validates the meeting (with the county); skip the model's own pass.
        pass


class AttendanceForm(forms.Form):
    """One row of the attendance register."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Give the person's name, or choose a contact.")},
    )
    contact = forms.ModelChoiceField(
        label=_("Or a contact"),
        queryset=None,
        required=False,
        help_text=_("Fills in the name, organization and position you leave blank."),
    )
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Gender.choices, initial=Gender.UNSPECIFIED
    )
    is_youth = forms.BooleanField(label=_("Youth (18–35)"), required=False)
    has_disability = forms.BooleanField(label=_("Person with disability"), required=False)

    # A chosen contact stands in for the name; the server decides, not the browser.
    use_required_attribute = False

    def __init__(self, *args, county, **kwargs):
        kwargs.setdefault("auto_id", "attendance_%s")
        super().__init__(*args, **kwargs)
        if self.data.get(self.add_prefix("contact")):
            self.fields["name"].required = False
        self.fields["organization"].queryset = selectors.county_organizations(county=county)
        self.fields["contact"].queryset = selectors.attendee_contacts(county=county)
        self.fields["contact"].label_from_instance = lambda c: f"{c.name} — {c.organization}"


class ActionItemForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner_name = forms.CharField(label=_("Owner"), max_length=200)
    owner_organization = forms.ModelChoiceField(
        label=_("Owner's organization"), queryset=None, required=False
    )
    owner_user = forms.ModelChoiceField(
        label=_("Platform user to remind"),
        queryset=None,
        required=False,
        help_text=_("If the owner is a member of this county's workspace."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, county, **kwargs):
        kwargs.setdefault("auto_id", "action_%s")
        super().__init__(*args, **kwargs)
        self.fields["owner_organization"].queryset = selectors.county_organizations(county=county)
        self.fields["owner_user"].queryset = selectors.county_member_users(county=county)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
