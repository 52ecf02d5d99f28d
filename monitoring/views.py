"""HTML pages of monitoring (issue 6, points 1–2): thin; rules in services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jwp.access import county_view, get_in_county
from jwp.forms import add_service_errors
from monitoring import forms, selectors, services
from monitoring.models import Indicator, Result, ResultStatus
from workplans.models import JointWorkPlan
from workplans.services.rules import EditConflict, is_editable

CONFLICT = _("Someone else changed this result meanwhile; nothing was overwritten. Check it again.")


def _plan(request, plan_id: int) -> JointWorkPlan:
    return get_in_county(JointWorkPlan, request.county, pk=plan_id)


def _indicator(request, indicator_id: int) -> Indicator:
    return get_in_county(
        Indicator.objects.select_related(
            "plan", "objective", "activity", "responsible_organization"
        ),
        request.county,
        pk=indicator_id,
    )


def _result(request, result_id: int) -> Result:
    return get_in_county(
        Result.objects.select_related("indicator__plan", "indicator__responsible_organization"),
        request.county,
        pk=result_id,
    )


def _nav(request, plan, **extra) -> dict:
    return {"plan": plan, "tab": "monitoring", "editable": is_editable(plan), **extra}


@county_view()
def plan_monitoring(request, plan_id: int):
    plan = _plan(request, plan_id)
    rows = selectors.indicator_table(county=request.county, plan=plan)
    return render(
        request,
        "monitoring/plan_monitoring.html",
        _nav(
            request,
            plan,
            rows=rows,
            periods=selectors.plan_periods(plan),
            thresholds=services.thresholds_for(request.county),
        ),
    )


@county_view()
def indicator_detail(request, indicator_id: int):
    indicator = _indicator(request, indicator_id)
    plan = indicator.plan
    can_report = services.can_report(request.membership, indicator)
    form = forms.ResultForm(request.POST or None)
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.result_save_draft(
                    membership=request.membership,
                    indicator=indicator,
                    fiscal_year=plan.fiscal_year,
                    quarter=data["quarter"],
                    value=data["value"],
                    narrative=data["narrative"],
                    row_version=data["row_version"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except EditConflict:
                form.add_error(None, CONFLICT)
            else:
                messages.success(request, _("Result saved as a draft."))
                return redirect("monitoring:indicator", request.county.slug, indicator.pk)
    (row,) = selectors.indicator_table(county=request.county, plan=plan, indicators=[indicator])
    for cell in row.cells:
        result = cell.result
        if result is not None:
            result.can_edit = can_report and result.status in services.EDITABLE
            result.can_verify = services.can_verify(request.membership) and (
                result.status == ResultStatus.SUBMITTED
            )
    return render(
        request,
        "monitoring/indicator_detail.html",
        _nav(request, plan, indicator=indicator, row=row, form=form, can_report=can_report),
    )


def _act(request, result_id: int, action) -> object:
    result = _result(request, result_id)
    form_class = forms.ReturnForm if action is services.result_return else forms.RowVersionForm
    form = form_class(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            action(membership=request.membership, result=result, **data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except EditConflict:
            messages.error(request, CONFLICT)
        else:
            messages.success(
                request, _("Result: %(status)s.") % {"status": result.get_status_display()}
            )
    else:
        messages.error(request, _("Say what needs correcting."))
    if request.POST.get("back") == "awaiting":
        return redirect("monitoring:awaiting", request.county.slug)
    return redirect("monitoring:indicator", request.county.slug, result.indicator_id)


@county_view()
@require_POST
def result_submit(request, result_id: int):
    return _act(request, result_id, services.result_submit)


@county_view()
@require_POST
def result_verify(request, result_id: int):
    return _act(request, result_id, services.result_verify)


@county_view()
@require_POST
def result_return(request, result_id: int):
    return _act(request, result_id, services.result_return)


@county_view()
def awaiting_verification(request):
    if not services.can_verify(request.membership):
        raise PermissionDenied
    results = list(selectors.results_awaiting_verification(county=request.county))
    return render(request, "monitoring/awaiting.html", {"results": results})
