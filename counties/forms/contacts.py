"""Forms for contacts (personal data, Data Protection Act 2019)."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counties.forms.picks import OrganizationPicksMixin
from counties.models import Contact, LawfulBasis
from jwp.forms import ConstraintErrorsMixin

__all__ = ["ContactForm"]


class ContactForm(OrganizationPicksMixin, ConstraintErrorsMixin, forms.ModelForm):
    """A contact with its lawful basis; consent needs a date and a note (s.30).

    The database refuses consent without a date; this form says so first, next
    to the field, and also asks how consent was given.
    """

    consent_recorded_at = forms.DateField(
        label=_("Date of consent"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Required when the lawful basis is consent."),
    )

    class Meta:
        model = Contact
        fields = [
            "organization",
            "name",
            "position",
            "email",
            "phone",
            "gender",
            "lawful_basis",
            "consent_recorded_at",
            "consent_note",
        ]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def __init__(self, *args, county, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations
            if organizations.count() == 1 and not self.instance.pk:
                self.initial.setdefault("organization", organizations.first().pk)
        else:
            self.pick_organizations("organization", county=county)
        if self.instance.consent_recorded_at:
            self.initial["consent_recorded_at"] = timezone.localdate(
                self.instance.consent_recorded_at
            )
        self.fields["consent_note"].help_text = _(
            "Required when the lawful basis is consent, e.g. signed attendance form."
        )
        # Consent makes both fields required: the labels then stop saying "optional".
        basis = self.data.get("lawful_basis") if self.is_bound else self.instance.lawful_basis
        if basis == LawfulBasis.CONSENT:
            for name in ("consent_recorded_at", "consent_note"):
                self.fields[name].required = True
            self.fields["consent_recorded_at"].error_messages["required"] = _(
                "Consent needs the date the person agreed."
            )
            self.fields["consent_note"].error_messages["required"] = _(
                "Say how the person gave consent (e.g. signed form)."
            )

    def clean_consent_recorded_at(self):
        day = self.cleaned_data.get("consent_recorded_at")
        if day is None:
            return None
        if day > timezone.localdate():
            raise forms.ValidationError(_("The consent date cannot be in the future."))
        return timezone.make_aware(datetime.combine(day, time.min))

    def clean(self):
        data = super().clean()
        if data.get("lawful_basis") == LawfulBasis.CONSENT:
            if not data.get("consent_recorded_at") and "consent_recorded_at" not in self.errors:
                self.add_error(
                    "consent_recorded_at", _("Consent needs the date the person agreed.")
                )
            note = (data.get("consent_note") or "").strip()
            if not note and "consent_note" not in self.errors:
                self.add_error(
                    "consent_note", _("Say how the person gave consent (e.g. signed form).")
                )
        return data

    def _post_clean(self):
        # The model's own check (consent has a date) is the database's lock; the
        # service validates the whole contact. Skip the instance round trip here.
        pass
