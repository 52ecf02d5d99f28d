"""HTML pages of progress, reports and adaptive management: thin; rules in services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from counties.models import Membership, Organization
from jwp import visibility
from jwp.access import county_view, get_in_county
from jwp.forms import add_service_errors
from jwp.pagination import paginate
from progress import forms, selectors, services
from progress.models import (
    AdaptationItem,
    Expenditure,
    ProgressReport,
    ReportStatus,
)
from progress.periods import Quarter, plan_quarters
from workplans.models import ActivitySupporter, JointActivity, JointWorkPlan, PlanPartner
from workplans.reconciliation import reconcile
from workplans.services.rules import EditConflict, is_editable
from workplans.views.budget import flag_messages

CONFLICT = _("Someone else saved this meanwhile; nothing was overwritten. Check it and save again.")


def _plan(request, plan_id: int) -> JointWorkPlan:
    return get_in_county(
        JointWorkPlan.objects.select_related("lead_agency"), request.county, pk=plan_id
    )


def _nav(plan, **extra) -> dict:
    return {"plan": plan, "tab": "progress", "editable": is_editable(plan), **extra}


def _plan_organizations(county, plan) -> list[Organization]:
    """The organizations of a plan: lead agency, partners, activity leads and supporters."""
    ids = {plan.lead_agency_id}
    ids |= set(
        PlanPartner.objects.for_county(county)
        .filter(plan=plan)
        .values_list("organization_id", flat=True)
    )
    ids |= set(
        JointActivity.objects.for_county(county)
        .filter(plan=plan)
        .values_list("lead_organization_id", flat=True)
    )
    ids |= set(
        ActivitySupporter.objects.for_county(county)
        .filter(activity__plan=plan)
        .values_list("organization_id", flat=True)
    )
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


# --- the progress grid and an activity's entries ----------------------------------


@county_view()
def plan_progress(request, plan_id: int):
    plan = _plan(request, plan_id)
    grid = selectors.progress_grid(county=request.county, plan=plan, membership=request.membership)
    m = request.membership
    for row in grid.rows:
        row.can_edit = services.can_report_activity(m, row.activity, row.supporter_ids)
    return render(
        request,
        "progress/plan_progress.html",
        _nav(
            plan,
            grid=grid,
            open_count=selectors.open_adaptations(plan).count(),
            can_check=services.is_secretariat(m),
        ),
    )


def _line_label(line) -> str:
    who = line.contributor.short_name if line.contributor else _("County government")
    return f"{line.component} · {who} · KES {line.amount_kes:,.2f}"


def _conflict_rows(current, form, names) -> list:
    if current is None:
        return []
    return [(form.fields[n].label, getattr(current, n), form.data.get(n, "")) for n in names]


@county_view()
def activity_progress(request, activity_id: int):
    activity = get_in_county(
        JointActivity.objects.select_related("plan", "lead_organization", "sector", "objective"),
        request.county,
        pk=activity_id,
    )
    plan, m = activity.plan, request.membership
    grid = selectors.progress_grid(
        county=request.county, plan=plan, membership=m, activities=[activity]
    )
    row = grid.rows[0]
    can_progress = services.can_report_activity(m, activity, row.supporter_ids)
    editable_lines = [
        r.line
        for r in row.lines
        if services.can_record_expenditure(m, r.line, activity, row.supporter_ids)
    ]
    line_choices = [(line, _line_label(line)) for line in editable_lines]
    quarter = request.GET.get("quarter")
    initial_q = int(quarter) if quarter in ("1", "2", "3", "4") else None
    existing = row.progress.get(initial_q) if initial_q else None
    progress_form = forms.ProgressForm(
        initial=(
            {
                "quarter": existing.quarter,
                "percent_complete": existing.percent_complete,
                "progress_made": existing.progress_made,
                "challenges": existing.challenges,
                "solutions": existing.solutions,
                "row_version": existing.row_version,
            }
            if existing
            else {"quarter": initial_q}
        ),
        prefix="p",
    )
    expenditure_form = forms.ExpenditureForm(
        lines=line_choices, prefix="e", initial={"quarter": initial_q}
    )
    conflict = []
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "progress":
            if not can_progress:
                raise PermissionDenied
            progress_form = forms.ProgressForm(request.POST, prefix="p")
            if progress_form.is_valid():
                d = progress_form.cleaned_data
                try:
                    services.progress_save(membership=m, activity=activity, **d)
                except ValidationError as exc:
                    add_service_errors(progress_form, exc)
                except EditConflict as exc:
                    progress_form.add_error(None, CONFLICT)
                    conflict = _conflict_rows(
                        exc.current,
                        progress_form,
                        ["percent_complete", "progress_made", "challenges", "solutions"],
                    )
                else:
                    messages.success(request, _("Progress saved."))
                    return redirect("progress:activity", request.county.slug, activity.pk)
        elif which == "expenditure":
            if not editable_lines:
                raise PermissionDenied
            expenditure_form = forms.ExpenditureForm(request.POST, lines=line_choices, prefix="e")
            if expenditure_form.is_valid():
                d = dict(expenditure_form.cleaned_data)
                line = next(x for x in editable_lines if x.pk == d.pop("budget_line"))
                try:
                    saved = services.expenditure_save(membership=m, budget_line=line, **d)
                except ValidationError as exc:
                    add_service_errors(expenditure_form, exc)
                except EditConflict as exc:
                    expenditure_form.add_error(None, CONFLICT)
                    conflict = _conflict_rows(exc.current, expenditure_form, ["amount_kes", "note"])
                else:
                    done = flag_messages(request, saved, _("Expenditure saved."))
                    messages.success(request, done)
                    return redirect("progress:activity", request.county.slug, activity.pk)
        else:
            return redirect("progress:activity", request.county.slug, activity.pk)
    expenditures = {
        (e.budget_line_id, e.quarter): e
        for e in Expenditure.objects.for_county(request.county).filter(
            activity=activity, fiscal_year=plan.fiscal_year
        )
    }
    # What each contributor released for the activity and spent: shown before an entry,
    # so spending beyond it (recorded, flagged) is no surprise.
    funding = reconcile(county=request.county, plan=plan, membership=m, activity=activity)
    for line_row in row.lines:
        line_row.entries = [expenditures.get((line_row.line.pk, q)) for q in (1, 2, 3, 4)]
    return render(
        request,
        "progress/activity_progress.html",
        _nav(
            plan,
            activity=activity,
            row=row,
            quarters=plan_quarters(plan),
            progress_form=progress_form,
            expenditure_form=expenditure_form,
            can_progress=can_progress,
            can_spend=bool(editable_lines),
            funding=funding,
            conflict=conflict,
        ),
    )


# --- feedback -------------------------------------------------------------------


@county_view()
def feedback(request, plan_id: int):
    plan = _plan(request, plan_id)
    m = request.membership
    activities = list(
        JointActivity.objects.for_county(request.county).filter(plan=plan).only("pk", "title")
    )
    organizations = _plan_organizations(request.county, plan)
    form = forms.FeedbackForm(
        request.POST or None, organizations=organizations, activities=activities
    )
    can_log = services.can_log_feedback(m)
    if request.method == "POST":
        if not can_log:
            raise PermissionDenied
        if form.is_valid():
            d = dict(form.cleaned_data)
            activity_id = d.pop("activity")
            activity = next((a for a in activities if a.pk == activity_id), None)
            org_id = d.pop("organization")
            organization = next((o for o in organizations if o.pk == org_id), None)
            try:
                services.feedback_record(
                    membership=m, plan=plan, activity=activity, organization=organization, **d
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Feedback recorded."))
                return redirect("progress:feedback", request.county.slug, plan.pk)
    page = paginate(request, selectors.feedback_list(county=request.county, plan=plan))
    return render(
        request, "progress/feedback.html", _nav(plan, page=page, form=form, can_log=can_log)
    )


# --- adaptive management ------------------------------------------------------------


@county_view()
def adaptations(request, plan_id: int):
    plan = _plan(request, plan_id)
    filters = forms.AdaptationFilterForm(request.GET or None)
    status = trigger = ""
    if filters.is_valid():
        status, trigger = filters.cleaned_data["status"], filters.cleaned_data["trigger"]
    page = paginate(
        request,
        selectors.adaptation_list(county=request.county, plan=plan, status=status, trigger=trigger),
    )
    return render(
        request,
        "progress/adaptations.html",
        _nav(
            plan, page=page, filters=filters, can_check=services.is_secretariat(request.membership)
        ),
    )


@county_view()
@require_POST
def check_now(request, plan_id: int):
    plan = _plan(request, plan_id)
    if not services.is_secretariat(request.membership):
        raise PermissionDenied
    created = services.detect_for_plan(plan=plan, actor=request.user)
    if created:
        messages.success(
            request,
            ngettext(
                "%(n)s new adaptation item raised.",
                "%(n)s new adaptation items raised.",
                len(created),
            )
            % {"n": len(created)},
        )
    else:
        messages.success(request, _("Checked: nothing new needs adaptation."))
    return redirect("progress:adaptations", request.county.slug, plan.pk)


ADAPTATION_FORM_FIELDS = [
    "proposed_action",
    "timeline",
    "responsible_organization",
    "responsible_user",
    "expected_outcome",
    "actual_outcome",
    "status",
]


@county_view()
def adaptation(request, adaptation_id: int):
    item = get_in_county(
        AdaptationItem.objects.select_related(
            "plan",
            "activity",
            "budget_line__component",
            "result__indicator",
            "feedback",
            "responsible_organization",
            "responsible_user",
            "updated_by",
        ),
        request.county,
        pk=adaptation_id,
    )
    plan, m = item.plan, request.membership
    can_edit = services.can_update_adaptation(m, item)
    organizations = _plan_organizations(request.county, plan)
    users = [
        x.user
        for x in Membership.objects.for_county(request.county)
        .select_related("user")
        .order_by("user__full_name")
    ]
    initial = {
        n: getattr(item, n)
        for n in ("proposed_action", "timeline", "expected_outcome", "actual_outcome", "status")
    }
    initial.update(
        responsible_organization=item.responsible_organization_id,
        responsible_user=item.responsible_user_id,
        row_version=item.row_version,
    )
    form = forms.AdaptationForm(
        request.POST or None, initial=initial, organizations=organizations, users=users
    )
    conflict = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            d = dict(form.cleaned_data)
            row_version = d.pop("row_version")
            org_id, user_id = d.pop("responsible_organization"), d.pop("responsible_user")
            d["responsible_organization"] = next((o for o in organizations if o.pk == org_id), None)
            d["responsible_user"] = next((u for u in users if u.pk == user_id), None)
            try:
                services.adaptation_update(membership=m, item=item, row_version=row_version, **d)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except EditConflict as exc:
                form.add_error(None, CONFLICT)
                conflict = _conflict_rows(
                    exc.current, form, ["proposed_action", "timeline", "actual_outcome", "status"]
                )
            else:
                messages.success(request, _("Adaptation item saved."))
                return redirect("progress:adaptations", request.county.slug, plan.pk)
    return render(
        request,
        "progress/adaptation.html",
        _nav(plan, item=item, form=form, can_edit=can_edit, conflict=conflict),
    )


# --- quarterly progress reports --------------------------------------------------


@county_view()
def reports(request, plan_id: int):
    plan = _plan(request, plan_id)
    m = request.membership
    form = forms.ReportCreateForm(request.POST or None)
    if request.method == "POST":
        if not services.is_secretariat(m):
            raise PermissionDenied
        if form.is_valid():
            try:
                report = services.report_create(
                    membership=m, plan=plan, quarter=form.cleaned_data["quarter"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(report.get_absolute_url())
    rows = list(selectors.reports_for(county=request.county, plan=plan, membership=m))
    for r in rows:
        r.quarter_obj = Quarter(r.fiscal_year, r.quarter)
    return render(
        request,
        "progress/reports.html",
        _nav(
            plan,
            reports=rows,
            form=form,
            can_create=services.is_secretariat(m),
            sees_drafts=services.can_see_drafts(m, plan),
        ),
    )


def _report(request, report_id: int) -> ProgressReport:
    report = get_in_county(
        ProgressReport.objects.select_related("plan__lead_agency", "county", "reviewed_by"),
        request.county,
        pk=report_id,
    )
    if not visibility.report(membership=request.membership, report=report):
        raise PermissionDenied
    return report


@county_view()
def report(request, report_id: int):
    report = _report(request, report_id)
    m = request.membership
    can_edit = services.is_secretariat(m) and report.status == ReportStatus.DRAFT
    form = forms.NarrativeForm(
        request.POST or None,
        initial={
            **{n: getattr(report, n) for n in services.NARRATIVE_FIELDS},
            "row_version": report.row_version,
        },
    )
    conflict = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            d = dict(form.cleaned_data)
            row_version = d.pop("row_version")
            try:
                services.report_save_narrative(
                    membership=m, report=report, row_version=row_version, **d
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except EditConflict as exc:
                form.add_error(None, CONFLICT)
                conflict = _conflict_rows(exc.current, form, list(services.NARRATIVE_FIELDS))
            else:
                messages.success(request, _("Narrative saved."))
                return redirect(report.get_absolute_url())
    data = selectors.report_data(report)
    return render(
        request,
        "progress/report.html",
        _nav(
            report.plan,
            report=report,
            data=data,
            form=form,
            can_edit=can_edit,
            conflict=conflict,
            can_submit=services.is_secretariat(m) and report.status == ReportStatus.DRAFT,
            can_review=report.status == ReportStatus.IN_REVIEW
            and services.can_review(m, report.plan),
            can_share=services.is_secretariat(m) and report.status == ReportStatus.REVIEWED,
            review_form=forms.ReviewForm(
                initial={"row_version": report.row_version, "reviewed_on": timezone.localdate()}
            ),
        ),
    )


def _report_action(request, report_id: int, action, form_class=forms.RowVersionForm):
    report = _report(request, report_id)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(report.get_absolute_url())
    try:
        action(report, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except EditConflict:
        messages.error(request, CONFLICT)
    else:
        messages.success(request, _("Progress report: %(s)s.") % {"s": report.get_status_display()})
    return redirect(report.get_absolute_url())


@county_view()
@require_POST
def report_submit(request, report_id: int):
    m = request.membership
    return _report_action(
        request,
        report_id,
        lambda r, d: services.report_submit(membership=m, report=r, row_version=d["row_version"]),
    )


@county_view()
@require_POST
def report_review(request, report_id: int):
    m = request.membership
    return _report_action(
        request,
        report_id,
        lambda r, d: services.report_review(
            membership=m,
            report=r,
            reviewed_on=d["reviewed_on"],
            comments=d["comments"],
            accept=d["decision"] == "accept",
            row_version=d["row_version"],
        ),
        forms.ReviewForm,
    )


@county_view()
@require_POST
def report_share(request, report_id: int):
    m = request.membership
    return _report_action(
        request,
        report_id,
        lambda r, d: services.report_share(membership=m, report=r, row_version=d["row_version"]),
    )
