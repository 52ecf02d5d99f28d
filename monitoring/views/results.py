"""Pages of results (issue 6, point 2): the plan's M&E table, the indicator page,
a result with its groups, evidence and comments, the verification list. Thin:
the rules are in monitoring.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jwp.access import county_view, get_in_county
from jwp.forms import add_service_errors
from jwp.uploads import serve_file
from monitoring import forms, selectors, services
from monitoring.models import (
    GROUPS,
    Category,
    Evidence,
    Indicator,
    Result,
    ResultComment,
    ResultDisaggregation,
    ResultStatus,
)
from monitoring.services.figures import rounded
from workplans.models import JointWorkPlan
from workplans.services.rules import EditConflict, is_editable

CONFLICT = gettext_lazy(
    "Someone else changed this result meanwhile; nothing was overwritten. Check it again."
)


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
        Result.objects.select_related(
            "indicator__plan",
            "indicator__responsible_organization",
            "indicator__objective",
            "indicator__activity",
            "submitted_by",
            "verified_by",
        ),
        request.county,
        pk=result_id,
    )


def nav(request, plan, sub: str = "", **extra) -> dict:
    """Context of a page under the plan's M&E tab; ``sub`` names the M&E sub-page."""
    return {
        "plan": plan,
        "tab": "monitoring",
        "me_tab": sub,
        "editable": is_editable(plan),
        "can_manage": services.can_manage_indicator(request.membership)
        or request.membership.role == "sector_lead",
        **extra,
    }


@county_view()
def plan_monitoring(request, plan_id: int):
    plan = _plan(request, plan_id)
    rows = selectors.indicator_table(county=request.county, plan=plan)
    return render(
        request,
        "monitoring/plan_monitoring.html",
        nav(
            request,
            plan,
            "indicators",
            rows=rows,
            periods=selectors.plan_periods(plan),
            thresholds=services.thresholds_for(request.county),
        ),
    )


def _save_result(request, form, indicator, quarter: int) -> bool:
    data = form.cleaned_data
    try:
        services.result_save_draft(
            membership=request.membership,
            indicator=indicator,
            fiscal_year=indicator.plan.fiscal_year,
            quarter=quarter,
            value=data.get("value"),
            narrative=data["narrative"],
            row_version=data["row_version"],
            disaggregation=form.disaggregation(),
        )
    except ValidationError as exc:
        form.add_service_errors(exc)
    except EditConflict:
        form.add_error(None, CONFLICT)
    else:
        messages.success(request, _("Result saved as a draft."))
        return True
    return False


@county_view()
def indicator_detail(request, indicator_id: int):
    indicator = _indicator(request, indicator_id)
    plan = indicator.plan
    can_report = services.can_report(request.membership, indicator)
    (row,) = selectors.indicator_table(county=request.county, plan=plan, indicators=[indicator])
    open_quarters = [c.period.quarter for c in row.cells if c.result is None]
    form = forms.ResultForm(request.POST or None, indicator=indicator, quarters=open_quarters)
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        if form.is_valid() and _save_result(request, form, indicator, form.cleaned_data["quarter"]):
            return redirect("monitoring:indicator", request.county.slug, indicator.pk)
    returned = []
    for cell in row.cells:
        result = cell.result
        if result is not None:
            result.can_edit = can_report and result.status in services.EDITABLE
            result.can_verify = result.status == ResultStatus.SUBMITTED and (
                services.may_verify(request.membership, result)
            )
            if result.return_comment and result.status in services.EDITABLE:
                returned.append(cell)
    return render(
        request,
        "monitoring/indicator_detail.html",
        nav(
            request,
            plan,
            "indicators",
            indicator=indicator,
            row=row,
            form=form,
            can_report=can_report,
            returned=returned,
            open_quarters=open_quarters,
            has_results=len(open_quarters) < len(row.cells),
            can_manage_this=services.can_manage_indicator(
                request.membership, activity=indicator.activity
            ),
            baseline_text=services.indicator_value(indicator, indicator.baseline_value),
            plan_target_text=services.indicator_value(indicator, indicator.plan_target),
        ),
    )


def _groups_table(result: Result, rows) -> list[dict]:
    by_category: dict[str, dict] = {}
    for row in rows:
        by_category.setdefault(row.category, {})[row.group] = row.value
    table = []
    for category in result.indicator.categories:
        values = by_category.get(category, {})
        table.append(
            {
                "label": Category(category).label,
                "groups": [(label, values.get(group)) for group, label in GROUPS[category]],
                "given": bool(values),
            }
        )
    return table


@county_view()
def result_detail(request, result_id: int):
    """One quarter's result: values by group, evidence, comments, and the actions the
    user's role allows (edit and submit the draft; verify or return it)."""
    result = _result(request, result_id)
    indicator = result.indicator
    membership = request.membership
    can_report = services.can_report(membership, indicator)
    can_edit = can_report and result.status in services.EDITABLE
    form = forms.ResultForm(
        request.POST or None,
        indicator=indicator,
        quarter_fixed=True,
        initial={
            "quarter": result.quarter,
            "value": None if result.value is None else rounded(result.value, indicator.decimals),
            "narrative": result.narrative,
            "row_version": result.row_version,
        },
    )
    groups = list(ResultDisaggregation.objects.for_county(request.county).filter(result=result))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid() and _save_result(request, form, indicator, result.quarter):
            return redirect("monitoring:result", request.county.slug, result.pk)
    elif can_edit:
        stored: dict = {}
        for row in groups:
            stored.setdefault(row.category, {})[row.group] = row.value
        forms.initial_groups(form, stored)
    submitted = result.status == ResultStatus.SUBMITTED
    refusal = services.verify_refusal(membership, result)
    can_see_files = services.can_see_evidence(membership, indicator)
    evidence = (
        list(
            Evidence.objects.for_county(request.county)
            .filter(result=result)
            .select_related("uploaded_by")
        )
        if can_see_files
        else []
    )
    comments = list(
        ResultComment.objects.for_county(request.county)
        .filter(result=result)
        .select_related("author")
    )
    return render(
        request,
        "monitoring/result_detail.html",
        nav(
            request,
            indicator.plan,
            "indicators",
            result=result,
            indicator=indicator,
            period=selectors.Period(result.fiscal_year, result.quarter),
            due=services.result_due_date(result.fiscal_year, result.quarter),
            groups=_groups_table(result, groups),
            form=form,
            can_edit=can_edit,
            can_verify=not refusal and submitted,
            verify_ready=submitted and services.result_verify_readiness(result=result).ready,
            verify_refusal=refusal if services.can_verify(membership) else "",
            can_return=services.can_verify(membership) and submitted,
            check=None
            if indicator.is_qualitative
            else selectors.verification(county=request.county, result=result),
            can_see_files=can_see_files,
            can_attach=can_see_files and services.can_attach(membership, result),
            evidence=evidence,
            evidence_form=forms.EvidenceForm(),
            comments=comments,
            comment_form=forms.CommentForm() if services.can_comment(membership) else None,
        ),
    )


def _back(request, result: Result):
    if request.POST.get("back") == "awaiting":
        return redirect("monitoring:awaiting", request.county.slug)
    if request.POST.get("back") == "indicator":
        return redirect("monitoring:indicator", request.county.slug, result.indicator_id)
    return redirect("monitoring:result", request.county.slug, result.pk)


def _act(request, result_id: int, action) -> object:
    result = _result(request, result_id)
    form = forms.RowVersionForm(request.POST)
    if form.is_valid():
        try:
            action(membership=request.membership, result=result, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except EditConflict:
            messages.error(request, CONFLICT)
        else:
            messages.success(
                request, _("Result: %(status)s.") % {"status": result.get_status_display()}
            )
    return _back(request, result)


@county_view()
@require_POST
def result_submit(request, result_id: int):
    return _act(request, result_id, services.result_submit)


DECISIONS = {
    "verify": {
        "action": services.result_verify,
        "form": forms.RowVersionForm,
        "done": gettext_lazy("Result verified: it now counts in the figures."),
    },
    "return": {
        "action": services.result_return,
        "form": forms.ReturnForm,
        "done": gettext_lazy("Result returned to its reporter as a draft."),
    },
}


def _decide(request, result_id: int, decision: str):
    """Verify or return a result: a confirmed decision. GET (or a POST without
    ``confirmed``) shows what is decided on (target, actual, variance, previous
    quarters, evidence) and the readiness checks; a POST with ``confirmed`` takes the
    step through the service, which checks the same readiness."""
    result = _result(request, result_id)
    membership = request.membership
    spec = DECISIONS[decision]
    refusal = (
        services.verify_refusal(membership, result)
        if decision == "verify"
        else ("" if services.can_verify(membership) else services.VERIFIER_ONLY)
    )
    if refusal:
        return render(request, "monitoring/refused.html", {"message": refusal}, status=403)
    data = request.POST if request.method == "POST" else request.GET
    comment = data.get("comment", "")
    form = spec["form"](
        data if request.method == "POST" and data.get("confirmed") else None,
        initial={"row_version": result.row_version, "comment": comment},
    )
    if form.is_bound and form.is_valid():
        try:
            spec["action"](membership=membership, result=result, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except EditConflict:
            form.add_error(None, CONFLICT)
        else:
            messages.success(request, spec["done"])
            return _back(request, result)
    readiness = (
        services.result_verify_readiness(result=result)
        if decision == "verify"
        else services.result_return_readiness(result=result, comment=comment)
    )
    evidence = list(
        Evidence.objects.for_county(request.county)
        .filter(result=result)
        .select_related("uploaded_by")
    )
    return render(
        request,
        "monitoring/result_decision.html",
        nav(
            request,
            result.indicator.plan,
            "indicators",
            decision=decision,
            result=result,
            indicator=result.indicator,
            period=selectors.Period(result.fiscal_year, result.quarter),
            check=selectors.verification(county=request.county, result=result),
            readiness=readiness,
            evidence=evidence,
            form=form,
            back=data.get("back", ""),
        ),
    )


@county_view()
def result_verify(request, result_id: int):
    return _decide(request, result_id, "verify")


@county_view()
def result_return(request, result_id: int):
    return _decide(request, result_id, "return")


@county_view()
@require_POST
def comment_add(request, result_id: int):
    result = _result(request, result_id)
    form = forms.CommentForm(request.POST)
    if not services.can_comment(request.membership):
        raise PermissionDenied
    if form.is_valid():
        try:
            services.comment_add(
                membership=request.membership, result=result, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write a comment."))
    return redirect("monitoring:result", request.county.slug, result.pk)


@county_view()
@require_POST
def evidence_add(request, result_id: int):
    result = _result(request, result_id)
    if not services.can_report(request.membership, result.indicator):
        raise PermissionDenied
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                membership=request.membership,
                result=result,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Evidence attached."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("monitoring:result", request.county.slug, result.pk)


def _evidence(request, evidence_id: int) -> Evidence:
    evidence = get_in_county(
        Evidence.objects.select_related("result__indicator"), request.county, pk=evidence_id
    )
    if not services.can_see_evidence(request.membership, evidence.result.indicator):
        raise Http404  # another partner's files: as if they did not exist
    return evidence


@county_view()
def evidence_download(request, evidence_id: int):
    evidence = _evidence(request, evidence_id)
    return serve_file(evidence.file)


@county_view()
@require_POST
def evidence_delete(request, evidence_id: int):
    evidence = _evidence(request, evidence_id)
    services.evidence_delete(membership=request.membership, evidence=evidence)
    messages.success(request, _("Evidence removed."))
    return redirect("monitoring:result", request.county.slug, evidence.result_id)


@county_view()
def awaiting_verification(request):
    if not services.can_verify(request.membership):
        raise PermissionDenied
    results = selectors.results_awaiting_verification(county=request.county)
    for result in results:
        result.may_verify = services.may_verify(request.membership, result)
    return render(request, "monitoring/awaiting.html", {"results": results})
