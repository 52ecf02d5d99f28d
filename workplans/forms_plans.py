"""Forms of the plan, its sections and its workflow. They shape input; the rules live in
workplans/services/plans.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from counties.forms.picks import OrganizationPicksMixin
from counties.models import Organization, Sector, SubCounty, Ward
from jwp.fiscal import kenyan_fy_choices
from jwp.forms import BoundedIntegerField, ConstraintErrorsMixin
from workplans.models import (
    ActivityStatus,
    CidpProgramme,
    JointActivity,
    JointWorkPlan,
    Objective,
    PlanStatus,
    ReviewMilestone,
    Risk,
    ScopeLevel,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanFilterForm(forms.Form):
    """The list's filters (GET); invalid values are ignored, not shown as errors."""

    fiscal_year = forms.ChoiceField(label=_("Fiscal year"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *PlanStatus.choices]
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [("", _("All"))] + [(y, y) for y in years]


class PlanForm(OrganizationPicksMixin, ConstraintErrorsMixin, forms.ModelForm):
    """Section 1. ``row_version`` travels with the form so a stale save is caught."""

    scope_codes = forms.MultipleChoiceField(
        label=_("Sub-counties or wards in scope"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Only for selected sub-counties or wards; hold Ctrl to choose several."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organizations"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Each partner's leadership signs the plan."),
    )
    row_version = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = JointWorkPlan
        fields = [
            "fiscal_year",
            "title",
            "scope_level",
            "scope_codes",
            "lead_agency",
            "start_date",
            "end_date",
            "reporting_frequency",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, county, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.constraint_county = county
        self.fields["fiscal_year"] = forms.ChoiceField(
            label=_("Fiscal year"), choices=kenyan_fy_choices(before=1, after=2)
        )
        if editing:
            del self.fields["fiscal_year"]
        self.pick_organizations("lead_agency", "partners", county=county)
        subcounties = SubCounty.objects.filter(county=county)
        wards = Ward.objects.filter(county=county).select_related("subcounty")
        self.fields["scope_codes"].choices = [
            (_("Sub-counties"), [(s.code, s.name) for s in subcounties]),
            (_("Wards"), [(w.code, f"{w.name} ({w.subcounty.name})") for w in wards]),
        ]

    def clean_row_version(self):
        return self.cleaned_data.get("row_version") or 1


class CidpProgrammeForm(ConstraintErrorsMixin, forms.ModelForm):
    class Meta:
        model = CidpProgramme
        fields = ["code", "name", "sector"]

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.constraint_county = county
        self.fields["sector"].queryset = Sector.objects.for_county(county)


class ObjectiveForm(ConstraintErrorsMixin, forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["statement", "priority_area", "programme"]

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.constraint_county = county
        self.fields["programme"].queryset = CidpProgramme.objects.for_county(county)


class ActivityForm(OrganizationPicksMixin, ConstraintErrorsMixin, forms.ModelForm):
    supporting_organizations = forms.ModelMultipleChoiceField(
        label=_("Supporting organizations"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    wards = forms.ModelMultipleChoiceField(
        label=_("Wards"),
        queryset=Ward.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    row_version = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = JointActivity
        fields = [
            "title",
            "description",
            "sector",
            "objective",
            "lead_organization",
            "supporting_organizations",
            "wards",
            "start_date",
            "end_date",
            "expected_output",
            "status",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "expected_output": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plan: JointWorkPlan, sectors=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        county = self.constraint_county = plan.county_id
        self.fields["sector"].queryset = sectors or Sector.objects.for_county(county)
        self.fields["objective"].queryset = Objective.objects.for_county(county).filter(plan=plan)
        self.pick_organizations("supporting_organizations", county=county)
        self.pick_organizations("lead_organization", county=county, base=organizations)
        self.fields["wards"].queryset = Ward.objects.filter(county_id=county)
        self.fields["status"].choices = ActivityStatus.choices

    def clean_row_version(self):
        return self.cleaned_data.get("row_version") or 1


class RiskForm(ConstraintErrorsMixin, forms.ModelForm):
    class Meta:
        model = Risk
        fields = ["description", "likelihood", "impact", "mitigation", "responsible"]
        widgets = {"mitigation": forms.Textarea(attrs={"rows": 2})}


class MilestoneForm(ConstraintErrorsMixin, forms.ModelForm):
    class Meta:
        model = ReviewMilestone
        fields = ["deliverable", "review_date", "responsible", "status", "notes"]
        widgets = {"review_date": DATE}


class AnnexForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word (DOCX) or Excel (XLSX)."))


SCOPE_LEVELS = ScopeLevel
