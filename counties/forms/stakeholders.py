"""Forms for the stakeholder register, organizations, structures and nominations."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counties.forms.picks import OrganizationPicksMixin
from counties.models import (
    Contact,
    CoordinationStructure,
    Gender,
    Level,
    Membership,
    Organization,
    OrganizationCategory,
    Sector,
    Stakeholder,
    StructureKind,
    Ward,
)
from jwp.fiscal import kenyan_fy_choices
from jwp.forms import ConstraintErrorsMixin


class WardChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, ward) -> str:
        return f"{ward.name} ({ward.subcounty.name})"


def _coverage_fields(form: forms.Form, county) -> None:
    form.fields["sectors"] = forms.ModelMultipleChoiceField(
        label=_("Sectors where it works"),
        required=False,
        queryset=Sector.objects.for_county(county).filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    form.fields["wards"] = WardChoiceField(
        label=_("Wards where it works"),
        required=False,
        queryset=Ward.objects.filter(county=county)
        .select_related("subcounty")
        .order_by("subcounty__name", "name"),
        widget=forms.CheckboxSelectMultiple,
    )


class StakeholderForm(OrganizationPicksMixin, ConstraintErrorsMixin, forms.ModelForm):
    class Meta:
        model = Stakeholder
        fields = [
            "organization",
            "role",
            "interest",
            "influence",
            "involvement",
            "communication_strategy",
            "key_contact",
            "is_preg_partner",
            "remarks",
        ]
        widgets = {
            "role": forms.Textarea(attrs={"rows": 2}),
            "communication_strategy": forms.Textarea(attrs={"rows": 2}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.constraint_county = county
        self.pick_organizations("organization", county=county)
        self.fields["key_contact"].queryset = Contact.objects.for_county(county).select_related(
            "organization"
        )
        self.fields["key_contact"].help_text = _("A contact of this organization in the county.")
        _coverage_fields(self, county)
        if self.instance.pk:
            self.fields["sectors"].initial = list(self.instance.sectors.all())
            self.fields["wards"].initial = list(self.instance.wards.all())

    def _post_clean(self):
        # Uniqueness and cross-county rules live in the service, which reports them
        # against the right field; model validation here would query without a county.
        pass


class CoverageForm(forms.Form):
    """What a partner edits on its own row: where it works."""

    def __init__(self, *args, county, stakeholder, **kwargs):
        super().__init__(*args, **kwargs)
        _coverage_fields(self, county)
        self.fields["sectors"].initial = list(stakeholder.sectors.all())
        self.fields["wards"].initial = list(stakeholder.wards.all())


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or acronym"), required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *OrganizationCategory.choices],
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        required=False,
        queryset=Sector.objects.none(),
        empty_label=_("All sectors"),
    )
    ward = forms.ModelChoiceField(
        label=_("Ward"), required=False, queryset=Ward.objects.none(), empty_label=_("All wards")
    )
    interest = forms.ChoiceField(
        label=_("Interest"), required=False, choices=[("", _("Any")), *Level.choices]
    )
    influence = forms.ChoiceField(
        label=_("Influence"), required=False, choices=[("", _("Any")), *Level.choices]
    )
    preg = forms.ChoiceField(
        label=_("USAID/PREG"),
        required=False,
        choices=[("", _("Any")), ("yes", _("PREG partners")), ("no", _("Other partners"))],
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.for_county(county)
        self.fields["ward"].queryset = Ward.objects.filter(county=county).order_by("name")

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "query": data["q"].strip(),
            "category": data["category"],
            "sector": data["sector"].pk if data["sector"] else None,
            "ward": data["ward"].pk if data["ward"] else None,
            "interest": data["interest"],
            "influence": data["influence"],
            "preg": data["preg"],
        }


class NewOrganizationForm(ConstraintErrorsMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["name", "acronym", "category", "iati_identifier", "website", "description"]


class StructureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Structure"), choices=StructureKind.choices)
    cycle = forms.ChoiceField(label=_("JWP cycle (fiscal year)"))
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        required=False,
        queryset=Sector.objects.none(),
        help_text=_("Sector Working Groups only."),
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the structure's standard name."),
    )
    mandate = forms.CharField(
        label=_("Mandate"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    terms_of_reference = forms.FileField(
        label=_("Terms of reference"),
        required=False,
        help_text=_("PDF or Word (DOCX), up to 20 MB."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.for_county(county)
        self.fields["cycle"].choices = kenyan_fy_choices()

    @classmethod
    def initial_for(cls, structure: CoordinationStructure) -> dict:
        return {
            "kind": structure.kind,
            "cycle": structure.cycle,
            "sector": structure.sector_id,
            "name": structure.name,
            "mandate": structure.mandate,
            "is_active": structure.is_active,
        }


class StructureMemberForm(forms.Form):
    contact = forms.ModelChoiceField(
        label=_("Contact"), required=False, queryset=Contact.objects.none()
    )
    user = forms.ModelChoiceField(
        label=_("or a platform user"), required=False, queryset=Membership.objects.none()
    )
    position = forms.CharField(label=_("Position"), required=False, max_length=200)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Gender.choices, initial=Gender.UNSPECIFIED
    )
    has_decision_authority = forms.BooleanField(
        label=_("Has decision-making authority"), required=False
    )
    is_chair = forms.BooleanField(label=_("Chair"), required=False)

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.for_county(county).select_related(
            "organization"
        )
        self.fields["user"].queryset = Membership.objects.for_county(county).select_related("user")
        self.fields["user"].label_from_instance = lambda m: f"{m.user} ({m.get_role_display()})"

    def clean(self):
        data = super().clean()
        if bool(data.get("contact")) == bool(data.get("user")):
            raise forms.ValidationError(_("Choose either a contact or a platform user."))
        return data


class NominationInviteForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    due_date = forms.DateField(
        label=_("Nomination due by"), widget=forms.DateInput(attrs={"type": "date"})
    )
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["due_date"].initial = timezone.localdate() + timedelta(days=14)


class NominateForm(forms.Form):
    nominee = forms.ModelChoiceField(label=_("Nominee"), queryset=Contact.objects.none())

    def __init__(self, *args, county, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = Contact.objects.for_county(county).filter(
            organization=organization
        )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    has_decision_authority = forms.BooleanField(
        label=_("Has decision-making authority"), required=False
    )
