"""The secretariat's list of overlap flags of a plan, with filters, and resolving one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from counties.models import Sector
from jwp.access import county_view, get_in_county, require
from jwp.forms import add_service_errors
from jwp.pagination import paginate
from jwp.roles import Role
from workplans import selectors
from workplans.models import JointWorkPlan, OverlapReason, OverlapResolution
from workplans.services.overlaps import can_resolve_overlaps, overlap_resolve
from workplans.services.rules import is_editable


class OverlapFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            ("open", gettext_lazy("To resolve")),
            ("resolved", gettext_lazy("Resolved")),
        ],
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        required=False,
        choices=[("", gettext_lazy("Any reason")), *OverlapReason.choices],
    )
    sector = forms.ModelChoiceField(
        label=gettext_lazy("Sector"),
        required=False,
        queryset=Sector.objects.none(),
        empty_label=gettext_lazy("All sectors"),
        to_field_name="slug",
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.for_county(county).filter(is_active=True)


class OverlapResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=gettext_lazy("Resolution"),
        choices=[c for c in OverlapResolution.choices if c[0] != OverlapResolution.OPEN],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "How the organizations settled it: which activity absorbs the other, "
            "who goes first, or why both are needed."
        ),
    )


def plan_editable(plan: JointWorkPlan) -> bool:
    return is_editable(plan)


def _with_pairs(flags) -> list:
    flags = list(flags)
    for flag in flags:
        flag.pair = (flag.activity_a, flag.activity_b)
    return flags


def _plan(request, plan_id: int) -> JointWorkPlan:
    return get_in_county(JointWorkPlan, request.county, pk=plan_id)


@county_view()
def overlap_list(request, plan_id: int):
    county = request.county
    plan = _plan(request, plan_id)
    form = OverlapFilterForm(request.GET or None, county=county)
    filters = form.cleaned_data if form.is_valid() else {}
    flags = selectors.overlap_flags(
        county=county,
        plan=plan,
        state=filters.get("state", ""),
        reason=filters.get("reason", ""),
        sector=filters.get("sector"),
    )
    page = paginate(request, flags)
    page.object_list = _with_pairs(page.object_list)
    return render(
        request,
        "workplans/overlaps/list.html",
        {
            "plan": plan,
            "form": form,
            "page": page,
            "open_count": selectors.overlap_flags(county=county, plan=plan, state="open").count(),
            "can_resolve": can_resolve_overlaps(request.membership, plan),
            "tab": "overlaps",
            "editable": plan_editable(plan),
        },
    )


@county_view()
def overlap_resolve_view(request, plan_id: int, flag_id: int):
    county = request.county
    plan = _plan(request, plan_id)
    flag = get_in_county(selectors.overlap_flags(county=county, plan=plan), county, pk=flag_id)
    require(request.membership.role == Role.SECRETARIAT)  # a locked plan: the service says so
    flag.pair = (flag.activity_a, flag.activity_b)
    initial = {"note": flag.note}
    if flag.resolution != OverlapResolution.OPEN:
        initial["resolution"] = flag.resolution
    form = OverlapResolveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            overlap_resolve(flag=flag, membership=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Overlap resolved."))
            return redirect("workplans:overlap_list", county_slug=county.slug, plan_id=plan.pk)
    return render(
        request,
        "workplans/overlaps/resolve.html",
        {
            "plan": plan,
            "flag": flag,
            "form": form,
            "tab": "overlaps",
            "editable": plan_editable(plan),
        },
    )
