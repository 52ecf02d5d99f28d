"""Forms of the progress pages; the rules live in progress.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jwp.forms import BoundedIntegerField
from progress.models import QUARTERS, AdaptationStatus, Trigger


class DateInput(forms.DateInput):
    input_type = "date"


class RowVersionForm(forms.Form):
    row_version = BoundedIntegerField(widget=forms.HiddenInput, required=False)


class ProgressForm(RowVersionForm):
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)
    percent_complete = BoundedIntegerField(
        label=_("Completion percentage"), min_value=0, max_value=100
    )
    progress_made = forms.CharField(
        label=_("Progress made"), widget=forms.Textarea(attrs={"rows": 3})
    )
    challenges = forms.CharField(
        label=_("Challenges/barriers"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    solutions = forms.CharField(
        label=_("Solutions/actions taken"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ExpenditureForm(RowVersionForm):
    budget_line = forms.TypedChoiceField(label=_("Budget line"), coerce=int)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)
    amount_kes = forms.DecimalField(
        label=_("Amount spent (KES)"), max_digits=16, decimal_places=2, min_value=0
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].choices = [(line.pk, label) for line, label in lines]


class FeedbackForm(forms.Form):
    from_name = forms.CharField(label=_("From whom"), max_length=200)
    organization = forms.TypedChoiceField(
        label=_("Organization"), coerce=int, required=False, empty_value=None
    )
    activity = forms.TypedChoiceField(
        label=_("Activity"), coerce=int, required=False, empty_value=None
    )
    text = forms.CharField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    requires_action = forms.BooleanField(
        label=_("Requires action"),
        required=False,
        help_text=_("Raises an adaptation item at the next check."),
    )

    def __init__(self, *args, organizations=(), activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "—")] + [(o.pk, o.name) for o in organizations]
        self.fields["activity"].choices = [("", _("The plan as a whole"))] + [
            (a.pk, a.title) for a in activities
        ]


class AdaptationForm(RowVersionForm):
    proposed_action = forms.CharField(
        label=_("Proposed action"), widget=forms.Textarea(attrs={"rows": 2})
    )
    timeline = forms.DateField(label=_("Timeline"), widget=DateInput)
    responsible_organization = forms.TypedChoiceField(
        label=_("Responsible organization"), coerce=int, required=False, empty_value=None
    )
    responsible_user = forms.TypedChoiceField(
        label=_("Responsible person"), coerce=int, required=False, empty_value=None
    )
    expected_outcome = forms.CharField(
        label=_("Expected outcome"), widget=forms.Textarea(attrs={"rows": 2})
    )
    actual_outcome = forms.CharField(
        label=_("Actual outcome"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=AdaptationStatus.choices)

    def __init__(self, *args, organizations=(), users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organization"].choices = [("", "—")] + [
            (o.pk, o.name) for o in organizations
        ]
        self.fields["responsible_user"].choices = [("", "—")] + [(u.pk, str(u)) for u in users]


class AdaptationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *AdaptationStatus.choices], required=False
    )
    trigger = forms.ChoiceField(
        label=_("Trigger"), choices=[("", _("All")), *Trigger.choices], required=False
    )


class ReportCreateForm(forms.Form):
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)


class NarrativeForm(RowVersionForm):
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    progress_narrative = forms.CharField(
        label=_("Progress against planned objectives"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    challenges_narrative = forms.CharField(
        label=_("Challenges encountered and how they are addressed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    lessons_narrative = forms.CharField(
        label=_("Lessons learned"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    corrective_actions_narrative = forms.CharField(
        label=_("Corrective actions taken"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ReviewForm(RowVersionForm):
    decision = forms.ChoiceField(
        label=_("The TWG's decision"),
        choices=[
            ("accept", _("Reviewed: ready to share")),
            ("return", _("Return to the secretariat for changes")),
        ],
        widget=forms.RadioSelect,
    )
    reviewed_on = forms.DateField(label=_("Date of the TWG review"), widget=DateInput)
    comments = forms.CharField(
        label=_("TWG comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
