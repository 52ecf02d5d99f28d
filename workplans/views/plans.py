"""HTML views of the plan, its sections and its workflow: thin, the rules are in
workplans/services/plans.py. Every page goes through ``county_view``; objects are
fetched with ``get_in_county`` (another county's id is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from counties.models import Organization, Sector
from jwp.access import county_view, get_in_county, require
from jwp.fiscal import both_calendars
from jwp.forms import add_service_errors
from jwp.pagination import paginate
from jwp.roles import Capability, Role
from jwp.uploads import serve_file
from workplans import forms_plans as forms
from workplans import selectors
from workplans.models import (
    Annex,
    CidpProgramme,
    JointActivity,
    JointWorkPlan,
    Objective,
    PlanStatus,
    PlanStep,
    ReviewMilestone,
    Risk,
)
from workplans.services import plans as services
from workplans.services import signatures, workflow
from workplans.services.rules import is_editable


def _plan(request, plan_id: int) -> JointWorkPlan:
    return get_in_county(
        JointWorkPlan.objects.select_related("lead_agency", "county", "amends"),
        request.county,
        pk=plan_id,
    )


def _to_plan(request, plan: JointWorkPlan, anchor: str = ""):
    return redirect(f"{_url(request, 'workplans:plan', plan.pk)}{'#' + anchor if anchor else ''}")


def _url(request, name, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=[request.county.slug, *args])


def _is_secretariat(request) -> bool:
    return request.membership.role == Role.SECRETARIAT


def _plan_context(request, plan: JointWorkPlan, tab: str) -> dict:
    return {
        "plan": plan,
        "tab": tab,
        "editable": is_editable(plan),
        "is_secretariat": _is_secretariat(request),
    }


def _conflict_rows(form, current, names) -> list[tuple[str, str, str]]:
    """(label, their saved value, the user's input) for every field that differs."""
    rows = []
    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        theirs = getattr(current, name)
        if hasattr(theirs, "all"):
            theirs = ", ".join(str(o) for o in theirs.all())
        display = getattr(current, f"get_{name}_display", None)
        theirs = display() if display else theirs
        mine = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if hasattr(mine, "__iter__") and not isinstance(mine, str):
            mine = ", ".join(str(o) for o in mine)
        if field.__class__.__name__ == "TypedChoiceField" or getattr(field, "choices", None):
            mine = dict(field.choices).get(mine, mine) if isinstance(mine, str) else mine
        if str(theirs or "") != str(mine or ""):
            rows.append((field.label, theirs, mine))
    return rows


def _conflict(form, exc: services.EditConflict, names) -> list:
    form.add_error(None, str(exc))
    rows = _conflict_rows(form, exc.current, names)
    # The next save is made against what is there now (the user has seen it).
    data = form.data.copy()
    data["row_version"] = exc.current.row_version
    form.data = data
    return rows


# --- plans ---------------------------------------------------------------------


@county_view()
def plan_list(request):
    county = request.county
    form = forms.PlanFilterForm(
        request.GET or None, years=selectors.workplan_fiscal_years(county=county)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    plans = selectors.county_workplans(
        county=county,
        fiscal_year=filters.get("fiscal_year", ""),
        status=filters.get("status", ""),
    )
    return render(
        request,
        "workplans/plan_list.html",
        {"form": form, "page": paginate(request, plans), "can_create": _is_secretariat(request)},
    )


@county_view(Capability.MANAGE_STAKEHOLDERS)
def plan_new(request):
    county = request.county
    form = forms.PlanForm(request.POST or None, county=county)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("row_version", None)
        try:
            plan = services.workplan_create(county=county, membership=request.membership, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Joint work plan created. Add its objectives next."))
            return _to_plan(request, plan)
    return render(request, "workplans/plan_form.html", {"form": form, "plan": None})


@county_view()
def plan_detail(request, plan_id: int):
    plan = _plan(request, plan_id)
    membership = request.membership
    counts = selectors.sector_activity_counts(plan=plan)
    sectors = [
        (s, counts.get(s.pk, 0))
        for s in Sector.objects.for_county(request.county).filter(is_active=True)
    ]
    versions = list(selectors.plan_versions(plan=plan))
    return render(
        request,
        "workplans/plan_detail.html",
        {
            **_plan_context(request, plan, "overview"),
            "start_calendars": both_calendars(plan.start_date),
            "end_calendars": both_calendars(plan.end_date),
            "partners": selectors.plan_partners(plan=plan),
            "objectives": selectors.plan_objectives(plan=plan),
            "sectors": sectors,
            "activity_total": sum(counts.values()),
            **_workflow_context(plan, membership),
            "can_amend": plan.is_locked and _is_secretariat(request) and versions[-1].pk == plan.pk,
            "versions": versions,
            "statuses": PlanStatus.choices,
        },
    )


def _workflow_context(plan: JointWorkPlan, membership) -> dict:
    """The approval card: the step waiting now (its page, whether it is this member's),
    the signature slots with today's holders, and the decisions so far."""
    waiting = workflow.STEP_AT.get(plan.status)
    slots = workflow.signature_slots(plan=plan) if plan.status in workflow.SIGNABLE else []
    vacant = [s for s in slots if s.signed_at is None and s.holding is None]
    for slot in slots:  # no "Sign as" while any slot is vacant: signing would be refused
        slot.can_sign = (
            plan.status == PlanStatus.CEC_APPROVED
            and not vacant
            and signatures.can_sign(membership, slot, slot.holding)
        )
    return {
        "waiting_step": waiting,
        "waiting_label": PlanStep(waiting.step).label if waiting else "",
        "my_step": waiting is not None
        and (
            workflow.may_take_step(plan=plan, membership=membership, step=waiting.step)
            or any(s.can_sign for s in slots)
        ),
        "can_open_workshop": plan.status == PlanStatus.DRAFT
        and membership.role == Role.SECRETARIAT,
        "signatures": slots,
        "vacant_slots": vacant,
        "decisions": selectors.plan_decisions(plan=plan),
    }


@county_view(Capability.MANAGE_STAKEHOLDERS)
def plan_edit(request, plan_id: int):
    plan = _plan(request, plan_id)
    initial = {
        "row_version": plan.row_version,
        "partners": selectors.plan_partners(plan=plan),
    }
    form = forms.PlanForm(
        request.POST or None, instance=plan, county=request.county, editing=True, initial=initial
    )
    conflict = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        row_version = data.pop("row_version")
        plan = _plan(request, plan_id)  # the form's instance holds the user's values
        try:
            services.workplan_update(
                plan=plan, membership=request.membership, row_version=row_version, **data
            )
        except services.EditConflict as exc:
            conflict = _conflict(form, exc, services.PLAN_FIELDS)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Section 1 saved."))
            return _to_plan(request, plan)
    return render(
        request,
        "workplans/plan_form.html",
        {**_plan_context(request, plan, "overview"), "form": form, "conflict": conflict},
    )


@require_POST
@county_view()
def plan_advance(request, plan_id: int):
    plan = _plan(request, plan_id)
    try:
        services.workplan_advance(
            plan=plan, membership=request.membership, to=request.POST.get("to", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The plan is now: %(s)s.") % {"s": plan.get_status_display()})
    return _to_plan(request, plan, "workflow")


@require_POST
@county_view(Capability.MANAGE_STAKEHOLDERS)
def plan_amend(request, plan_id: int):
    plan = _plan(request, plan_id)
    try:
        new = services.workplan_amend(plan=plan, membership=request.membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _to_plan(request, plan)
    messages.success(request, _("Amendment started as version %(v)d.") % {"v": new.version})
    return _to_plan(request, new)


@county_view()
def plan_differences(request, plan_id: int):
    plan = _plan(request, plan_id)
    if plan.amends is None:
        raise Http404
    diff = selectors.plan_differences(county=request.county, old=plan.amends, new=plan)
    return render(
        request,
        "workplans/plan_differences.html",
        {**_plan_context(request, plan, "differences"), "old": plan.amends, "diff": diff},
    )


# --- CIDP programmes and objectives --------------------------------------------


@county_view()
def programme_list(request, programme_id: int | None = None):
    county = request.county
    programme = get_in_county(CidpProgramme, county, pk=programme_id) if programme_id else None
    form = forms.CidpProgrammeForm(request.POST or None, instance=programme, county=county)
    if request.method == "POST":
        require(_is_secretariat(request))
        if form.is_valid():
            try:
                services.cidp_programme_save(
                    county=county,
                    membership=request.membership,
                    programme=programme,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Programme saved."))
                return redirect("workplans:programmes", county_slug=county.slug)
    return render(
        request,
        "workplans/programme_list.html",
        {
            "page": paginate(request, selectors.cidp_programmes(county=county)),
            "form": form if _is_secretariat(request) else None,
            "editing": programme,
        },
    )


@county_view()
def objective_list(request, plan_id: int):
    plan = _plan(request, plan_id)
    return _objective_page(request, plan, None)


@county_view(Capability.MANAGE_STAKEHOLDERS)
def objective_edit(request, objective_id: int):
    objective = get_in_county(
        Objective.objects.select_related("plan__lead_agency", "plan__county"),
        request.county,
        pk=objective_id,
    )
    return _objective_page(request, objective.plan, objective)


def _objective_page(request, plan, objective):
    form = forms.ObjectiveForm(request.POST or None, instance=objective, county=request.county)
    if request.method == "POST":
        require(_is_secretariat(request))
        if form.is_valid():
            try:
                services.objective_save(
                    plan=plan,
                    membership=request.membership,
                    objective=objective,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Objective saved."))
                return redirect(_url(request, "workplans:objectives", plan.pk))
    return render(
        request,
        "workplans/plan_objectives.html",
        {
            **_plan_context(request, plan, "objectives"),
            "objectives": selectors.plan_objectives(plan=plan),
            "form": form,
            "editing": objective,
        },
    )


@require_POST
@county_view(Capability.MANAGE_STAKEHOLDERS)
def objective_delete(request, objective_id: int):
    objective = get_in_county(
        Objective.objects.select_related("plan"), request.county, pk=objective_id
    )
    try:
        services.objective_delete(objective=objective, membership=request.membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_url(request, "workplans:objectives", objective.plan_id))


# --- activities and the sector view --------------------------------------------


def _activity(request, activity_id: int) -> JointActivity:
    return get_in_county(
        JointActivity.objects.select_related(
            "plan__lead_agency", "plan__county", "sector", "objective", "lead_organization"
        ),
        request.county,
        pk=activity_id,
    )


def _with_flags(request, activities) -> tuple[list, dict]:
    activities = list(activities)
    flags = selectors.overlaps_for_activities(
        county=request.county, activity_ids=[a.pk for a in activities]
    )
    membership = request.membership
    for a in activities:
        a.flags = flags.get(a.pk, [])
        a.can_edit = services.can_edit_activity(membership, a)
    return activities, flags


@county_view()
def sector_view(request, plan_id: int, sector_id: int):
    """The co-creation workshop's page for one Sector Working Group."""
    plan = _plan(request, plan_id)
    sector = get_in_county(Sector, request.county, pk=sector_id)
    activities, _flags = _with_flags(request, selectors.plan_activities(plan=plan, sector=sector))
    membership = request.membership
    return render(
        request,
        "workplans/sector_view.html",
        {
            **_plan_context(request, plan, "activities"),
            "sector": sector,
            "activities": activities,
            "can_add": services.can_add_activity(membership)
            and (membership.role != Role.SECTOR_LEAD or membership.sector_id == sector.pk),
        },
    )


@county_view()
def activity_list(request, plan_id: int):
    plan = _plan(request, plan_id)
    activities, _flags = _with_flags(request, selectors.plan_activities(plan=plan))
    return render(
        request,
        "workplans/activity_list.html",
        {
            **_plan_context(request, plan, "activities"),
            "activities": activities,
            "sectors": Sector.objects.for_county(request.county).filter(is_active=True),
            "can_add": services.can_add_activity(request.membership),
        },
    )


@county_view()
def activity_detail(request, activity_id: int):
    activity = _activity(request, activity_id)
    [activity], _flags = _with_flags(
        request, selectors.plan_activities(plan=activity.plan, ids=[activity.pk])
    )
    # What a delete would take with it, shown before the member tries (the service
    # refuses the same list).
    delete_readiness = (
        services.activity_delete_readiness(activity, request.membership)
        if activity.can_edit and is_editable(activity.plan)
        else None
    )
    return render(
        request,
        "workplans/activity_detail.html",
        {
            **_plan_context(request, activity.plan, "activities"),
            "activity": activity,
            "start_calendars": both_calendars(activity.start_date),
            "end_calendars": both_calendars(activity.end_date),
            "delete_readiness": delete_readiness,
        },
    )


def _activity_form(request, plan, instance=None, initial=None):
    membership = request.membership
    sectors = organizations = None
    if membership.role == Role.SECTOR_LEAD:
        sectors = Sector.objects.for_county(request.county).filter(pk=membership.sector_id)
    if membership.role == Role.PARTNER:
        organizations = Organization.objects.filter(pk=membership.organization_id)
    return forms.ActivityForm(
        request.POST or None,
        instance=instance,
        plan=plan,
        sectors=sectors,
        organizations=organizations,
        initial=initial,
    )


@county_view()
def activity_new(request, plan_id: int):
    plan = _plan(request, plan_id)
    membership = request.membership
    require(services.can_add_activity(membership))
    initial = {"start_date": plan.start_date, "end_date": plan.end_date}
    if request.GET.get("sector"):
        initial["sector"] = request.GET["sector"]
    if membership.role == Role.SECTOR_LEAD:
        initial["sector"] = membership.sector_id
    if membership.role == Role.PARTNER:
        initial["lead_organization"] = membership.organization_id
    form = _activity_form(request, plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("row_version", None)
        try:
            activity = services.activity_create(plan=plan, membership=membership, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Activity added."))
            return redirect(_url(request, "workplans:sector", plan.pk, activity.sector_id))
    return render(
        request,
        "workplans/activity_form.html",
        {**_plan_context(request, plan, "activities"), "form": form, "activity": None},
    )


@county_view()
def activity_edit(request, activity_id: int):
    activity = _activity(request, activity_id)
    plan = activity.plan
    require(services.can_edit_activity(request.membership, activity))
    form = _activity_form(
        request,
        plan,
        instance=activity,
        initial={
            "row_version": activity.row_version,
            "wards": list(activity.wards.all()),
            "supporting_organizations": list(activity.supporting_organizations.all()),
        },
    )
    conflict = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        row_version = data.pop("row_version")
        fresh = _activity(request, activity_id)
        try:
            services.activity_update(
                activity=fresh, membership=request.membership, row_version=row_version, **data
            )
        except services.EditConflict as exc:
            conflict = _conflict(
                form, exc, (*services.ACTIVITY_FIELDS, "wards", "supporting_organizations")
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Activity saved."))
            return redirect(_url(request, "workplans:activity", activity.pk))
    return render(
        request,
        "workplans/activity_form.html",
        {
            **_plan_context(request, plan, "activities"),
            "form": form,
            "activity": activity,
            "conflict": conflict,
        },
    )


@require_POST
@county_view()
def activity_delete(request, activity_id: int):
    activity = _activity(request, activity_id)
    try:
        services.activity_delete(
            activity=activity,
            membership=request.membership,
            confirmed=request.POST.get("confirm") == "yes",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_url(request, "workplans:activity", activity.pk))
    messages.success(request, _("Activity deleted."))
    return redirect(_url(request, "workplans:sector", activity.plan_id, activity.sector_id))


# --- risks (6), review milestones (7), annexes (9) -----------------------------

SECTIONS = {
    "risk": (Risk, forms.RiskForm, "workplans:risks", selectors.plan_risks),
    "milestone": (
        ReviewMilestone,
        forms.MilestoneForm,
        "workplans:milestones",
        selectors.plan_milestones,
    ),
}


def _section_page(request, plan, kind: str, item=None):
    _model, form_class, url_name, rows = SECTIONS[kind]
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST":
        require(_is_secretariat(request))
        if form.is_valid():
            try:
                services.section_item_save(
                    plan=plan,
                    membership=request.membership,
                    kind=kind,
                    item=item,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(_url(request, url_name, plan.pk))
    return render(
        request,
        f"workplans/plan_{kind}s.html",
        {
            **_plan_context(request, plan, f"{kind}s"),
            "rows": rows(plan=plan),
            "form": form,
            "editing": item,
        },
    )


def _section_item(request, kind: str, item_id: int):
    model = SECTIONS[kind][0]
    return get_in_county(
        model.objects.select_related("plan__lead_agency", "plan__county"),
        request.county,
        pk=item_id,
    )


@county_view()
def risk_list(request, plan_id: int):
    return _section_page(request, _plan(request, plan_id), "risk")


@county_view(Capability.MANAGE_STAKEHOLDERS)
def risk_edit(request, risk_id: int):
    item = _section_item(request, "risk", risk_id)
    return _section_page(request, item.plan, "risk", item)


@county_view()
def milestone_list(request, plan_id: int):
    return _section_page(request, _plan(request, plan_id), "milestone")


@county_view(Capability.MANAGE_STAKEHOLDERS)
def milestone_edit(request, milestone_id: int):
    item = _section_item(request, "milestone", milestone_id)
    return _section_page(request, item.plan, "milestone", item)


def _delete(request, item, url_name: str):
    try:
        services.section_item_delete(item=item, membership=request.membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Deleted."))
    return redirect(_url(request, url_name, item.plan_id))


@require_POST
@county_view(Capability.MANAGE_STAKEHOLDERS)
def risk_delete(request, risk_id: int):
    return _delete(request, _section_item(request, "risk", risk_id), "workplans:risks")


@require_POST
@county_view(Capability.MANAGE_STAKEHOLDERS)
def milestone_delete(request, milestone_id: int):
    item = _section_item(request, "milestone", milestone_id)
    return _delete(request, item, "workplans:milestones")


@county_view()
def annex_list(request, plan_id: int):
    plan = _plan(request, plan_id)
    form = forms.AnnexForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(_is_secretariat(request))
        if form.is_valid():
            try:
                services.annex_upload(plan=plan, membership=request.membership, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Annex uploaded."))
                return redirect(_url(request, "workplans:annexes", plan.pk))
    return render(
        request,
        "workplans/plan_annexes.html",
        {
            **_plan_context(request, plan, "annexes"),
            "rows": selectors.plan_annexes(plan=plan),
            "form": form,
        },
    )


@county_view()
def annex_download(request, annex_id: int):
    annex = get_in_county(Annex, request.county, pk=annex_id)
    return serve_file(annex.file)


@require_POST
@county_view(Capability.MANAGE_STAKEHOLDERS)
def annex_delete(request, annex_id: int):
    annex = get_in_county(Annex.objects.select_related("plan"), request.county, pk=annex_id)
    return _delete(request, annex, "workplans:annexes")
