"""Forms of the learning pages; the county's choices are set by the view, rules live in
learning.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from counties.forms.picks import OrganizationPicksMixin
from counties.models import Membership, Organization, Sector, Ward
from jwp.forms import BoundedIntegerField
from learning.models import (
    ActionStatus,
    BriefStatus,
    Criterion,
    Evaluation,
    EvaluationKind,
    LearningQuestion,
    Lesson,
    LessonSource,
    MonitoringVisit,
    PauseAndReflect,
    Priority,
    Rating,
    RecommendationStatus,
    Theme,
)

DATE = forms.DateInput(attrs={"type": "date"})


class RowVersionForm(forms.Form):
    row_version = BoundedIntegerField(widget=forms.HiddenInput, required=False)


def _sectors(county):
    return Sector.objects.for_county(county).filter(is_active=True).order_by("order", "name")


class SessionForm(OrganizationPicksMixin, RowVersionForm):
    title = forms.CharField(
        label=_("Focus"),
        max_length=200,
        help_text=_("A specific theme, or the overall work planning period."),
    )
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    facilitator = forms.CharField(label=_("Facilitator"), max_length=200)
    organizations = forms.ModelMultipleChoiceField(
        label=_("Participating organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Participating members"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    other_participants = forms.CharField(
        label=_("Other participants"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Names of people without an account, one per line."),
    )
    participant_count = BoundedIntegerField(
        label=_("Number of participants"), min_value=0, required=False
    )
    follow_up = forms.CharField(
        label=_("Follow-up agreed"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.pick_organizations("organizations", county=county)
        self.fields["members"].queryset = Membership.objects.for_county(county).select_related(
            "user"
        )
        self.fields["members"].label_from_instance = lambda m: m.user.full_name or m.user.email


class AnswerForm(forms.Form):
    question = forms.ChoiceField(label=_("Learning question"), choices=LearningQuestion.choices)
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))


class LessonForm(RowVersionForm):
    title = forms.CharField(
        label=_("Lesson"), max_length=250, help_text=_("The lesson in one sentence.")
    )
    text = forms.CharField(label=_("What we learned"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What shows it: data, observations, reports."),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=LessonSource.choices, initial=LessonSource.OTHER
    )
    session = forms.ModelChoiceField(
        label=_("Pause and reflect session"),
        queryset=PauseAndReflect.objects.none(),
        required=False,
    )
    visit = forms.ModelChoiceField(
        label=_("Joint monitoring visit"), queryset=MonitoringVisit.objects.none(), required=False
    )
    evaluation = forms.ModelChoiceField(
        label=_("Evaluation"), queryset=Evaluation.objects.none(), required=False
    )
    source_note = forms.CharField(label=_("Source (other)"), max_length=200, required=False)

    def __init__(self, *args, county, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = _sectors(county)
        self.fields["session"].queryset = PauseAndReflect.objects.for_county(county).filter(
            plan=plan
        )
        self.fields["visit"].queryset = MonitoringVisit.objects.for_county(county).filter(plan=plan)
        self.fields["evaluation"].queryset = (
            Evaluation.objects.for_county(county).filter(plan=plan).select_related("plan")
        )


class LessonSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=_("All sectors"),
    )
    theme = forms.ChoiceField(
        label=_("Theme"), choices=[("", _("All themes")), *Theme.choices], required=False
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("All sources")), *LessonSource.choices], required=False
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = _sectors(county)


class BriefForm(RowVersionForm):
    title = forms.CharField(label=_("Title"), max_length=250)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}))
    lessons = forms.ModelMultipleChoiceField(
        label=_("Lessons"),
        queryset=Lesson.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the lessons; set their order below (1 comes first)."),
    )

    def __init__(self, *args, county, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.lesson_choices = list(
            Lesson.objects.for_county(county).filter(plan=plan).order_by("title")
        )
        self.fields["lessons"].queryset = Lesson.objects.for_county(county).filter(plan=plan)

    def picker(self, order: dict | None = None) -> list[tuple]:
        """(lesson, ticked, order number) for every lesson of the plan, as last typed."""
        order = order or {}
        value = self["lessons"].value() or []
        ticked = {str(getattr(v, "pk", v)) for v in value}
        return [
            (
                lesson,
                str(lesson.pk) in ticked,
                self.data.get(f"order-{lesson.pk}", "")
                if self.is_bound
                else order.get(lesson.pk, ""),
            )
            for lesson in self.lesson_choices
        ]

    def ordered_lessons(self, data) -> list:
        """The ticked lessons sorted by the ``order-<id>`` numbers the user typed."""

        def position(lesson):
            raw = data.get(f"order-{lesson.pk}", "")
            try:
                return (int(raw), lesson.title)
            except ValueError:
                return (10_000, lesson.title)

        return sorted(self.cleaned_data["lessons"], key=position)


class BriefStatusForm(RowVersionForm):
    status = forms.ChoiceField(choices=BriefStatus.choices)


class VisitForm(OrganizationPicksMixin, RowVersionForm):
    title = forms.CharField(label=_("Purpose of the visit"), max_length=200)
    visited_on = forms.DateField(label=_("Date"), widget=DATE)
    wards = forms.ModelMultipleChoiceField(
        label=_("Wards"),
        queryset=Ward.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sites = forms.CharField(
        label=_("Sites visited"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Participating organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    summary = forms.CharField(
        label=_("Summary of findings"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the county's own wards can be chosen: another county's ward id is "not a choice".
        self.fields["wards"].queryset = Ward.objects.filter(county=county).order_by("name")
        self.fields["sectors"].queryset = _sectors(county)
        self.pick_organizations("organizations", county=county)


class VisitFilterForm(forms.Form):
    ward = forms.ModelChoiceField(
        label=_("Ward"), queryset=Ward.objects.none(), required=False, empty_label=_("All wards")
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=_("All sectors"),
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.filter(county=county).order_by("name")
        self.fields["sector"].queryset = _sectors(county)


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_(
            "JPEG, PNG or WebP. It is resized to 1600 pixels and its location data removed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class ActionForm(forms.Form):
    action = forms.CharField(label=_("Follow-up action"), max_length=300)
    responsible = forms.CharField(label=_("Responsible"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)


class ActionStatusForm(RowVersionForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class EvaluationForm(RowVersionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvaluationKind.choices)
    conducted_on = forms.DateField(label=_("Date"), widget=DATE)
    conducted_by = forms.CharField(
        label=_("Conducted by"),
        max_length=200,
        help_text=_("Internal, externally facilitated or external; who led it."),
    )
    methods = forms.CharField(
        label=_("Methods"),
        max_length=300,
        required=False,
        help_text=_("E.g. key informant interviews, focus groups, document review."),
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class RatingsForm(RowVersionForm):
    """One rating (1–4, or not rated) and findings per DAC criterion."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Not rated")), *Rating.choices]
        for value, label in Criterion.choices:
            self.fields[f"rating_{value}"] = forms.TypedChoiceField(
                label=label, choices=choices, coerce=int, empty_value=None, required=False
            )
            self.fields[f"findings_{value}"] = forms.CharField(
                label=_("Findings: %(c)s") % {"c": label},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def ratings(self) -> dict:
        return {
            c: (self.cleaned_data[f"rating_{c}"], self.cleaned_data[f"findings_{c}"])
            for c in Criterion.values
        }

    def rows(self):
        """(criterion label, rating field, findings field) for the template's table."""
        return [
            (label, self[f"rating_{value}"], self[f"findings_{value}"])
            for value, label in Criterion.choices
        ]


class RecommendationForm(OrganizationPicksMixin, forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible_organization = forms.ModelChoiceField(
        label=_("Responsible organization"), queryset=Organization.objects.none(), required=False
    )
    responsible_user = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=Membership.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("Timeline (done by)"), widget=DATE)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.MEDIUM
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.pick_organizations("responsible_organization", county=county)
        self.fields["responsible_user"].queryset = Membership.objects.for_county(
            county
        ).select_related("user")
        self.fields["responsible_user"].label_from_instance = lambda m: (
            m.user.full_name or m.user.email
        )


class RecommendationStatusForm(RowVersionForm):
    status = forms.ChoiceField(label=_("New status"), choices=RecommendationStatus.choices)
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when closing: what was done, or why it is dropped."),
    )


class CloseOutForm(RowVersionForm):
    achievements = forms.CharField(
        label=_("Achievements"), widget=forms.Textarea(attrs={"rows": 5})
    )
    challenges = forms.CharField(label=_("Challenges"), widget=forms.Textarea(attrs={"rows": 4}))
    lessons_summary = forms.CharField(
        label=_("Lessons learned"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    lessons = forms.ModelMultipleChoiceField(
        label=_("Lessons to carry forward"),
        queryset=Lesson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, county, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lessons"].queryset = (
            Lesson.objects.for_county(county).filter(plan=plan).order_by("title")
        )
