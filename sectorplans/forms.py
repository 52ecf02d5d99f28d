"""Forms of the sector plan workflow. They shape input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counties.forms.picks import OrganizationPicksMixin
from counties.models import Organization, Sector, Ward
from jwp.forms import BoundedIntegerField
from jwp.models import User
from jwp.roles import Role
from sectorplans.models import (
    COMMENT_MAX_LENGTH,
    DocumentKind,
    PlanStatus,
    Response,
    RevisionKind,
)

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PlanForm(forms.Form):
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.none())
    period_start = BoundedIntegerField(
        label=_("First year of the plan period"),
        min_value=2013,
        max_value=2100,
        help_text=_("Five years, aligned to the CIDP: 2023 gives 2023–2027."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    lead = forms.ModelChoiceField(label=_("Lead"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.for_county(county).filter(is_active=True)
        from counties.models import Membership

        self.fields["lead"].queryset = User.objects.filter(
            pk__in=Membership.objects.for_county(county).values("user")
        ).order_by("full_name")


class PlanFilterForm(forms.Form):
    """The overview's filters (GET); invalid values are ignored, not shown as errors."""

    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.none(), required=False, empty_label=_("All")
    )
    period = forms.TypedChoiceField(label=_("Period"), required=False, coerce=int)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *PlanStatus.choices]
    )

    def __init__(self, *args, county, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.for_county(county)
        self.fields["period"].choices = [("", _("All"))] + [(p, f"{p}–{p + 4}") for p in periods]


class LayOutForm(forms.Form):
    start = forms.DateField(label=_("Start the first unfinished step on"), widget=DATE)


class ReviseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Revision"),
        choices=[c for c in RevisionKind.choices if c[0]],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class StepEditForm(OrganizationPicksMixin, forms.Form):
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DATE)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    responsible_role = forms.ChoiceField(
        label=_("Responsible role"), choices=[("", "—"), *Role.choices], required=False
    )
    responsible_organization = forms.ModelChoiceField(
        label=_("Responsible organization"), queryset=Organization.objects.all(), required=False
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.pick_organizations("responsible_organization", county=county)


class CompleteForm(forms.Form):
    """Completing a step; CEC and Assembly steps also record what was said or decided."""

    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    body = forms.CharField(
        label=_("Comments / decision"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    decided_on = forms.DateField(
        label=_("Date of the comments or decision"), required=False, widget=DATE
    )
    reference = forms.CharField(
        label=_("Hansard / resolution reference"), max_length=200, required=False
    )
    adjustments = forms.CharField(
        label=_("Adjustments required"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    out_of_order_reason = forms.CharField(
        label=_("Why this step is done before the earlier ones"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(label=_("I have read the checks above and confirm."))

    RECORD_FIELDS = ("body", "decided_on", "reference", "adjustments")

    def __init__(self, *args, plan_step, out_of_order=(), **kwargs):
        super().__init__(*args, **kwargs)
        number = plan_step.step.number
        if out_of_order:
            self.fields["out_of_order_reason"].help_text = _(
                "Steps %(list)s are not done yet. The reason is shown with the step and kept "
                "in the audit trail."
            ) % {"list": ", ".join(map(str, out_of_order))}
        else:
            del self.fields["out_of_order_reason"]
        if not (plan_step.step.is_sign_off or plan_step.step.kind == "publication"):
            del self.fields["confirm"]
        if not plan_step.step.needs_record:
            for name in self.RECORD_FIELDS:
                del self.fields[name]
        else:
            self.fields["body"].required = True
            self.fields["decided_on"].required = True
            self.fields["decided_on"].initial = timezone.localdate()
            if number != 46:
                del self.fields["reference"]
            else:
                self.fields["reference"].required = True
            if number != 43:
                del self.fields["adjustments"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class WindowForm(forms.Form):
    title = forms.CharField(label=_("What we ask the public about"), max_length=200)
    invitation = forms.CharField(
        label=_("Invitation to the public"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Shown on the public page above the comment form."),
    )
    opens_at = forms.DateTimeField(label=_("Opens"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes"), widget=DATETIME)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The window must close after it opens."))
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    upload = forms.FileField(
        label=_("File"), help_text=_("PDF, Word (DOCX) or Excel (XLSX), up to 20 MB.")
    )
    is_public = forms.BooleanField(
        label=_("Show on the public pages (drafts for participation, the published plan)"),
        required=False,
    )


class ResponseForm(forms.Form):
    response = forms.ChoiceField(label=_("Response"), choices=Response.choices)
    reason = forms.CharField(
        label=_("What we did, and why"), widget=forms.Textarea(attrs={"rows": 2})
    )


class PublicCommentForm(forms.Form):
    """The citizen's form. ``website`` is a honeypot: hidden from people, filled by bots."""

    name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    organization = forms.CharField(label=_("Organization or group"), max_length=200, required=False)
    ward = forms.ModelChoiceField(
        label=_("Your ward"),
        queryset=Ward.objects.none(),
        required=False,
        empty_label=_("— choose your ward —"),
    )
    topic = forms.CharField(label=_("Topic"), max_length=200)
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": COMMENT_MAX_LENGTH}),
        help_text=_("Plain text, up to %(n)d characters. Comments are published after moderation.")
        % {"n": COMMENT_MAX_LENGTH},
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.filter(county=county).order_by("name")

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))
