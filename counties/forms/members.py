"""Forms for members, invitations, sectors and organizations."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from counties.forms.picks import OrganizationPicksMixin
from counties.models import Organization, Sector
from jwp.forms import ConstraintErrorsMixin
from jwp.roles import Role


class RoleFieldsMixin(OrganizationPicksMixin, forms.Form):
    """Role with the sector (sector leads) and organization (partners) it needs."""

    role = forms.ChoiceField(label=_("Role"), choices=[("", _("— choose a role —")), *Role.choices])
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        required=False,
        help_text=_("Required for a sector lead."),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.all(),
        required=False,
        help_text=_("Required for a partner; optional for others."),
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.for_county(county).filter(is_active=True)
        self.pick_organizations("organization", county=county)

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.SECTOR_LEAD and not data.get("sector"):
            self.add_error("sector", _("A sector lead needs a sector."))
        if data.get("role") == Role.PARTNER and not data.get("organization"):
            self.add_error("organization", _("A partner needs an organization."))
        return data


class InvitationForm(RoleFieldsMixin):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))

    field_order = ["full_name", "email", "role", "sector", "organization"]


class MembershipForm(RoleFieldsMixin):
    pass


class SectorForm(ConstraintErrorsMixin, forms.ModelForm):
    class Meta:
        model = Sector
        fields = ["name", "mtef_sector", "description", "order", "is_active"]


class OrganizationForm(ConstraintErrorsMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["name", "acronym", "category", "iati_identifier", "website", "description"]


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            from jwp.models import User

            probe = User(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
