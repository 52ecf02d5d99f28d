"""Forms of the plan's checked steps (section 8): what each decision records."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workplans.models import DecisionOutcome

DATE = forms.DateInput(attrs={"type": "date"})


class ConsolidateForm(forms.Form):
    comments = forms.CharField(
        label=_("Note for the TWG"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TwgReviewForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("TWG meeting"),
        queryset=None,
        help_text=_("The held TWG meeting in which the plan was reviewed."),
    )
    outcome = forms.ChoiceField(
        label=_("The chair's decision"),
        choices=[
            (DecisionOutcome.ENDORSED, _("Endorse the plan for CEC approval")),
            (DecisionOutcome.RETURNED, _("Return it to co-creation with comments")),
        ],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("Comments of the TWG"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when the plan is returned: what must change."),
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.title} · {m.starts_at:%d %b %Y}"


class CecApprovalForm(forms.Form):
    reference = forms.CharField(
        label=_("Cabinet (CEC) decision reference"),
        max_length=120,
        help_text=_("As in the CEC minutes, e.g. CEC/SBR/2025/07/04."),
    )
    decided_on = forms.DateField(label=_("Date of the CEC decision"), widget=DATE)
    comments = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label=_("Why it goes back"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What must change before it comes back to you."),
    )
