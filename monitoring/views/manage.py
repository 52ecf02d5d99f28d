"""Pages to manage indicators, their quarterly targets and the county's red/amber/green
thresholds (issue 6, point 1). The secretariat manages every indicator; a sector lead
those of their own sector's activities (``monitoring.services.can_manage_indicator``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from counties.selectors import county_organizations
from jwp.access import county_view, require
from jwp.forms import add_service_errors
from jwp.roles import Role
from monitoring import forms, selectors, services
from monitoring.models import IndicatorTarget, Measure
from monitoring.views.results import _indicator, _plan, nav
from workplans.models import JointActivity, Objective
from workplans.services.rules import EditConflict

STALE = gettext_lazy(
    "Someone else saved this indicator while you were editing it; nothing was overwritten. "
    "Reload the page to see their version."
)


def _parents(request, plan):
    """The objectives and activities the user may attach indicators to."""
    membership = request.membership
    activities = JointActivity.objects.for_county(request.county).filter(plan=plan)
    if membership.role == Role.SECRETARIAT:
        objectives = list(Objective.objects.for_county(request.county).filter(plan=plan))
    else:
        objectives = []
        activities = activities.filter(sector_id=membership.sector_id)
    return objectives, list(activities.order_by("title"))


def _may_manage_any(request) -> bool:
    membership = request.membership
    return membership.role == Role.SECRETARIAT or (
        membership.role == Role.SECTOR_LEAD and membership.sector_id is not None
    )


def _edit(request, plan, indicator=None):
    objectives, activities = _parents(request, plan)
    form = forms.IndicatorForm(
        request.POST or None,
        instance=indicator,
        objectives=objectives,
        activities=activities,
        organizations=county_organizations(county=request.county),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.indicator_save(
                membership=request.membership,
                plan=plan,
                indicator=indicator,
                row_version=form.cleaned_data.get("row_version") if indicator else None,
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except EditConflict:
            form.add_error(None, STALE)
        else:
            messages.success(request, _("Indicator saved."))
            return redirect("monitoring:indicator", request.county.slug, saved.pk)
    return render(
        request,
        "monitoring/indicator_form.html",
        nav(request, plan, "indicators", form=form, indicator=indicator),
    )


@county_view()
def indicator_create(request, plan_id: int):
    plan = _plan(request, plan_id)
    require(_may_manage_any(request))
    return _edit(request, plan)


@county_view()
def indicator_edit(request, indicator_id: int):
    indicator = _indicator(request, indicator_id)
    require(services.can_manage_indicator(request.membership, activity=indicator.activity))
    return _edit(request, indicator.plan, indicator)


@county_view()
@require_POST
def indicator_delete(request, indicator_id: int):
    indicator = _indicator(request, indicator_id)
    try:
        services.indicator_delete(membership=request.membership, indicator=indicator)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("monitoring:indicator", request.county.slug, indicator.pk)
    messages.success(request, _("Indicator “%(name)s” deleted.") % {"name": indicator.name})
    return redirect("monitoring:plan", request.county.slug, indicator.plan_id)


@county_view()
def indicator_targets(request, indicator_id: int):
    indicator = _indicator(request, indicator_id)
    plan = indicator.plan
    require(services.can_manage_indicator(request.membership, activity=indicator.activity))
    periods = selectors.plan_periods(plan)
    current = {
        t.quarter: t.value
        for t in IndicatorTarget.objects.for_county(request.county).filter(
            indicator=indicator, fiscal_year=plan.fiscal_year
        )
    }
    percentage = indicator.measure == Measure.PERCENTAGE
    form = forms.TargetsForm(
        request.POST or None,
        periods=periods,
        targets=current,
        percentage=percentage,
        decimals=indicator.decimals,
    )
    if request.method == "POST" and form.data.get("loaded", form.current) != form.current:
        # Someone saved targets since this form was read: show theirs, save nothing.
        messages.error(request, form.STALE)
        form = forms.TargetsForm(
            periods=periods,
            targets=current,
            percentage=percentage,
            decimals=indicator.decimals,
        )
    elif request.method == "POST" and not indicator.is_qualitative and form.is_valid():
        try:
            services.targets_save(
                membership=request.membership,
                indicator=indicator,
                fiscal_year=plan.fiscal_year,
                values=form.values(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Targets saved."))
            return redirect("monitoring:indicator", request.county.slug, indicator.pk)
    return render(
        request,
        "monitoring/targets_form.html",
        nav(request, plan, "indicators", indicator=indicator, form=form),
    )


@county_view()
def thresholds(request):
    if request.membership.role != Role.SECRETARIAT:
        raise PermissionDenied
    current = services.thresholds_for(request.county)
    form = forms.ThresholdsForm(
        request.POST or None,
        initial={"green_from": current.green_from, "amber_from": current.amber_from},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.thresholds_save(membership=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Red/amber/green thresholds saved."))
            return redirect("monitoring:thresholds", request.county.slug)
    return render(request, "monitoring/thresholds.html", {"form": form, "thresholds": current})
