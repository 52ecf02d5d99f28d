"""Forms of the monitoring pages; rules live in monitoring.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.models import QUARTERS


class ResultForm(forms.Form):
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)
    value = forms.DecimalField(
        label=_("Actual"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    narrative = forms.CharField(
        label=_("Qualitative result or comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RowVersionForm(forms.Form):
    row_version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(RowVersionForm):
    comment = forms.CharField(
        label=_("What needs correcting"), widget=forms.Textarea(attrs={"rows": 2})
    )
