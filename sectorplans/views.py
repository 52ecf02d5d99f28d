"""HTML views of the sector plan workflow: thin, the rules are in services.

Member pages go through ``county_view``; the public pages (``.public = True``) resolve
the county from the slug themselves and show only published plans, windows that have
opened and documents marked public — never another county's, never a draft's notes.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import County
from jwp.access import county_view, get_county_or_404, get_in_county
from jwp.forms import add_service_errors
from jwp.inputs import int_param
from jwp.pagination import paginate
from jwp.ratelimit import allow_request
from jwp.roles import Capability, Role
from jwp.tenancy import county_context
from jwp.uploads import serve_file
from sectorplans import forms, selectors, services, timeline
from sectorplans.models import (
    Moderation,
    ParticipationWindow,
    Phase,
    PlanDocument,
    PlanStatus,
    PublicComment,
    SectorPlan,
    StepKind,
)

# Public comments: at most this many per client address and window of seconds.
COMMENT_RATE_LIMIT = 5
COMMENT_RATE_PERIOD = 10 * 60


def _plan(request, plan_id: int) -> SectorPlan:
    return get_in_county(
        SectorPlan.objects.select_related("sector", "lead", "county", "revision_of"),
        request.county,
        pk=plan_id,
    )


def _steps_of(plan: SectorPlan) -> list:
    """The plan's 47 step records, each knowing its plan (no query per row)."""
    steps = list(selectors.plan_steps(plan=plan))
    for ps in steps:
        ps.plan = plan
    return steps


@county_view()
def plan_list(request):
    county = request.county
    form = forms.PlanFilterForm(
        request.GET or None, county=county, periods=selectors.plan_periods(county=county)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    plans = selectors.county_plans(
        county=county,
        sector=filters.get("sector"),
        period=filters.get("period") or None,
        status=filters.get("status", ""),
    )
    return render(
        request,
        "sectorplans/plan_list.html",
        {
            "form": form,
            "page": paginate(request, plans),
            "today": timezone.localdate(),
            "can_create": request.membership.role in (Role.SECRETARIAT, Role.SECTOR_LEAD),
        },
    )


@county_view(Capability.EDIT_SECTOR_WORK)
def plan_new(request):
    county = request.county
    initial = {"period_start": 2023}
    if request.membership.role == Role.SECTOR_LEAD:
        initial["sector"] = request.membership.sector_id
    form = forms.PlanForm(request.POST or None, county=county, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.sector_plan_create(
                county=county, membership=request.membership, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sector plan started with its 47 steps."))
            return redirect(plan)
    return render(request, "sectorplans/plan_new.html", {"form": form})


def _quick_label(ps, membership, *, in_order: bool) -> str:
    """The one-click action of a step on the plan page, if the member may take it there:
    steps that need a record, a window, a confirmation (sign-off, publication) or a
    reason (done before an earlier step) are completed on their own page."""
    step = ps.step
    if ps.is_finished or not in_order or step.needs_record or step.kind in _NO_QUICK_KINDS:
        return ""
    if services.acts_as(membership, ps) is None:
        return ""
    return _("Mark done")


_NO_QUICK_KINDS = (
    StepKind.INVITE_VIEWS,
    StepKind.PUBLIC_INPUT,
    StepKind.SIGN_OFF,
    StepKind.PUBLICATION,
)


@county_view()
def plan_detail(request, plan_id: int):
    plan = _plan(request, plan_id)
    steps = _steps_of(plan)
    today = timezone.localdate()
    membership = request.membership
    in_order = True  # every earlier step is finished
    for ps in steps:
        ps.overdue = ps.is_overdue(today)
        ps.quick_label = _quick_label(ps, membership, in_order=in_order)
        in_order = in_order and ps.is_finished
    phases = [
        (label, [ps for ps in steps if ps.step.phase == value]) for value, label in Phase.choices
    ]
    finished = sum(ps.is_finished for ps in steps)
    return render(
        request,
        "sectorplans/plan_detail.html",
        {
            "plan": plan,
            "phases": phases,
            "finished": finished,
            "percent": round(100 * finished / len(steps)) if steps else 0,
            "overdue": sum(ps.overdue for ps in steps),
            "current": next((ps for ps in steps if not ps.is_finished), None),
            "windows": selectors.plan_windows(plan=plan),
            "decisions": selectors.plan_decisions(plan=plan),
            "documents": selectors.plan_documents(plan=plan),
            "audit": paginate(request, selectors.plan_audit(plan=plan), per_page=20),
            "can_edit": services.can_edit_plan(membership, plan),
            "is_secretariat": membership.role == Role.SECRETARIAT,
        },
    )


@county_view()
def plan_timeline(request, plan_id: int):
    plan = _plan(request, plan_id)
    steps = _steps_of(plan)
    is_secretariat = request.membership.role == Role.SECRETARIAT
    form = forms.LayOutForm(request.POST or None, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        count = services.plan_lay_out(
            plan=plan, membership=request.membership, start=form.cleaned_data["start"]
        )
        messages.success(request, _("%(n)d steps laid out.") % {"n": count})
        return redirect("sectorplans:timeline", county_slug=request.county.slug, plan_id=plan.pk)
    today = timezone.localdate()
    return render(
        request,
        "sectorplans/plan_timeline.html",
        {
            "plan": plan,
            "chart": timeline.build(steps, today),
            "today": today,
            "form": form if is_secretariat else None,
        },
    )


@county_view(Capability.EDIT_SECTOR_WORK)
def plan_revise(request, plan_id: int):
    plan = _plan(request, plan_id)
    form = forms.ReviseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.sector_plan_revise(
                plan=plan, membership=request.membership, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Revision started; the documents were carried forward."))
            return redirect(revision)
    return render(request, "sectorplans/plan_revise.html", {"plan": plan, "form": form})


def _step_forms(request, plan_step, action: str, out_of_order: list[int]) -> dict:
    """The step page's forms; only the one that was posted is bound."""
    data = request.POST if request.method == "POST" else None

    def bound(name):
        return data if action == name else None

    window = plan_step.windows.first()
    window_initial = (
        {
            "title": window.title,
            "invitation": window.invitation,
            "opens_at": timezone.localtime(window.opens_at),
            "closes_at": timezone.localtime(window.closes_at),
        }
        if window
        else {
            "title": plan_step.step.description,
            "opens_at": timezone.localtime().replace(second=0, microsecond=0),
            "closes_at": (timezone.localtime() + timezone.timedelta(days=21)).replace(
                second=0, microsecond=0
            ),
        }
    )
    return {
        "complete": forms.CompleteForm(
            bound("complete"), plan_step=plan_step, out_of_order=out_of_order, prefix="complete"
        ),
        "skip": forms.ReasonForm(bound("skip"), prefix="skip"),
        "reopen": forms.ReasonForm(bound("reopen"), prefix="reopen"),
        "edit": forms.StepEditForm(
            bound("edit"),
            county=request.county,
            prefix="edit",
            initial={
                "planned_start": plan_step.planned_start,
                "due_date": plan_step.due_date,
                "responsible_role": plan_step.responsible_role,
                "responsible_organization": plan_step.responsible_organization_id,
                "notes": plan_step.notes,
            },
        ),
        "window": forms.WindowForm(bound("window"), prefix="window", initial=window_initial),
    }


_STEP_ACTIONS = {
    "start": lambda ps, m, data: services.plan_step_start(plan_step=ps, membership=m),
    # ``confirm`` is the page's question; the service checks the same readiness itself.
    "complete": lambda ps, m, data: services.plan_step_complete(
        plan_step=ps, membership=m, **{k: v for k, v in data.items() if k != "confirm"}
    ),
    "skip": lambda ps, m, data: services.plan_step_skip(plan_step=ps, membership=m, **data),
    "reopen": lambda ps, m, data: services.plan_step_reopen(plan_step=ps, membership=m, **data),
    "edit": lambda ps, m, data: services.plan_step_update(plan_step=ps, membership=m, **data),
    "window": lambda ps, m, data: services.participation_window_open(
        plan_step=ps, membership=m, **data
    ),
}
_DONE_MESSAGES = {
    "start": _("Step started."),
    "complete": _("Step done."),
    "skip": _("Step skipped."),
    "reopen": _("Step returned: it is in progress again."),
    "edit": _("Step saved."),
    "window": _("Participation window saved."),
}


@county_view()
def step_detail(request, plan_id: int, number: int):
    plan = _plan(request, plan_id)
    plan_step = selectors.plan_step(plan=plan, number=number)
    if plan_step is None:
        raise Http404
    plan_step.plan = plan
    action = request.POST.get("action", "") if request.method == "POST" else ""
    finished = plan_step.is_finished
    out_of_order = [] if finished else services.steps_not_done_before(plan_step=plan_step)
    step_forms = _step_forms(request, plan_step, action, out_of_order)
    if request.method == "POST":
        if action not in _STEP_ACTIONS:
            raise Http404
        form = step_forms.get(action)
        if form is None or form.is_valid():
            try:
                _STEP_ACTIONS[action](
                    plan_step, request.membership, form.cleaned_data if form else {}
                )
            except ValidationError as exc:
                if form is None:
                    messages.error(request, " ".join(exc.messages))
                else:
                    add_service_errors(form, exc)
            else:
                messages.success(request, _DONE_MESSAGES[action])
                if action == "complete":
                    return redirect(f"{plan.get_absolute_url()}#step-{number}")
                return redirect(
                    "sectorplans:step",
                    county_slug=request.county.slug,
                    plan_id=plan.pk,
                    number=number,
                )
    held = services.held_offices(request.membership)
    on_behalf = services.acts_as(request.membership, plan_step, held=held)
    readiness = None if plan_step.is_finished else services.plan_step_readiness(plan_step=plan_step)
    return render(
        request,
        "sectorplans/step_detail.html",
        {
            "plan": plan,
            "ps": plan_step,
            "forms": step_forms,
            "action": action,
            "can_act": on_behalf is not None,
            "on_behalf": on_behalf,
            "actor": services.actor_label(plan_step),
            "readiness": readiness,
            "can_complete": on_behalf is not None and readiness is not None and readiness.ready,
            "out_of_order": out_of_order,
            "can_return": services.may_return(request.membership, plan_step, held=held),
            "window": plan_step.windows.first(),
            "decisions": plan_step.decisions.select_related("recorded_by"),
            "documents": plan_step.documents.select_related("uploaded_by"),
            "overdue": plan_step.is_overdue(),
        },
    )


@county_view()
def document_upload(request, plan_id: int):
    plan = _plan(request, plan_id)
    number = request.GET.get("step") or request.POST.get("step")
    plan_step = selectors.plan_step(plan=plan, number=int_param(number) or 0) if number else None
    if number and plan_step is None:
        raise Http404
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_document_upload(
                plan=plan, membership=request.membership, plan_step=plan_step, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect(plan)
    return render(
        request,
        "sectorplans/document_upload.html",
        {"plan": plan, "ps": plan_step, "form": form},
    )


@county_view()
def document_download(request, document_id: int):
    document = get_in_county(PlanDocument, request.county, pk=document_id)
    return serve_file(document.file, download_name=document.download_name)


def _window(request, window_id: int) -> ParticipationWindow:
    return get_in_county(
        ParticipationWindow.objects.select_related("plan__sector", "plan_step__step"),
        request.county,
        pk=window_id,
    )


@county_view()
def window_detail(request, window_id: int):
    """The moderation queue, then the responses once the window has closed."""
    window = _window(request, window_id)
    window.plan_step.plan = window.plan
    response_form = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "close":
                services.participation_window_close(window=window, membership=request.membership)
            else:
                comment = get_in_county(
                    PublicComment.objects.filter(window=window),
                    request.county,
                    pk=request.POST.get("comment") or 0,
                )
                comment.window = window
                if action in ("accept", "reject"):
                    services.public_comment_moderate(
                        comment=comment, membership=request.membership, accept=action == "accept"
                    )
                elif action == "respond":
                    response_form = forms.ResponseForm(request.POST, prefix=f"c{comment.pk}")
                    if response_form.is_valid():
                        services.public_comment_respond(
                            comment=comment,
                            membership=request.membership,
                            **response_form.cleaned_data,
                        )
                        response_form = None
                else:
                    raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if response_form is None:
                messages.success(request, _("Saved."))
                return redirect(
                    "sectorplans:window", county_slug=request.county.slug, window_id=window.pk
                )
    comments = list(selectors.window_comments(window=window))
    for comment in comments:
        comment.form = (
            response_form
            if response_form is not None and response_form.prefix == f"c{comment.pk}"
            else forms.ResponseForm(
                prefix=f"c{comment.pk}",
                initial={"response": comment.response, "reason": comment.response_reason},
            )
        )
    return render(
        request,
        "sectorplans/window_detail.html",
        {
            "window": window,
            "plan": window.plan,
            "pending": [c for c in comments if c.moderation == Moderation.PENDING],
            "accepted": [c for c in comments if c.moderation == Moderation.ACCEPTED],
            "rejected": [c for c in comments if c.moderation == Moderation.REJECTED],
            "can_moderate": services.acts_as(request.membership, window.plan_step) is not None,
            "is_open": window.is_open(),
            "has_closed": window.has_closed(),
        },
    )


# --- public pages -------------------------------------------------------------


def _public(view):
    """Resolve the county from the slug and open its context; no membership needed."""

    def wrapper(request, county_slug: str, **kwargs):
        county = get_county_or_404(county_slug)
        with county_context([county]):
            return view(request, county, **kwargs)

    wrapper.public = True
    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@_public
def public_home(request, county: County):
    """The county's public page: published plans and participation windows."""
    now = timezone.now()
    windows = list(selectors.public_windows(county=county, now=now))
    return render(
        request,
        "sectorplans/public_home.html",
        {
            "county": county,
            "plans": selectors.published_plans(county=county),
            "open_windows": [w for w in windows if w.is_open(now)],
            "closed_windows": [w for w in windows if w.has_closed(now)],
        },
    )


@_public
def public_plan(request, county: County, plan_id: int):
    """A published plan: its documents, participation record and approval dates."""
    plan = get_in_county(
        SectorPlan.objects.select_related("sector").filter(status=PlanStatus.PUBLISHED),
        county,
        pk=plan_id,
    )
    return render(
        request,
        "sectorplans/public_plan.html",
        {
            "county": county,
            "plan": plan,
            "documents": selectors.plan_documents(plan=plan, public_only=True),
            "windows": selectors.plan_windows(plan=plan),
            "decisions": selectors.plan_decisions(plan=plan).filter(
                kind__in=("semi_final_approval", "formal_approval")
            ),
        },
    )


@_public
def public_window(request, county: County, window_id: int):
    """A window's draft documents and comment form; once closed, "you said, we did"."""
    now = timezone.now()
    window = get_in_county(
        ParticipationWindow.objects.select_related("plan__sector", "plan_step__step").filter(
            opens_at__lte=now
        ),
        county,
        pk=window_id,
    )
    form = forms.PublicCommentForm(request.POST or None, county=county)
    status = 200
    if request.method == "POST":
        if not allow_request(
            request, "public-comment", limit=COMMENT_RATE_LIMIT, period=COMMENT_RATE_PERIOD
        ):
            form.add_error(
                None, _("Too many comments from your connection. Please try again later.")
            )
            status = 429
        elif form.is_spam:
            messages.success(request, _("Thank you: your comment was received."))
            return redirect(request.path)
        elif form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            try:
                services.public_comment_submit(window=window, now=now, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("Thank you: your comment was received. It is published after moderation."),
                )
                return redirect(request.path)
    return render(
        request,
        "sectorplans/public_window.html",
        {
            "county": county,
            "window": window,
            "plan": window.plan,
            "is_open": window.is_open(now),
            "has_closed": window.has_closed(now),
            "form": form,
            "documents": selectors.plan_documents(plan=window.plan, public_only=True),
            "comments": selectors.window_comments(window=window, moderation=Moderation.ACCEPTED),
        },
        status=status,
    )


@_public
def public_document(request, county: County, document_id: int):
    """A public document of a published plan, or of a plan that has opened a window."""
    document = get_in_county(
        PlanDocument.objects.select_related("plan").filter(is_public=True), county, pk=document_id
    )
    plan = document.plan
    shown = (
        plan.status == PlanStatus.PUBLISHED
        or plan.windows.filter(opens_at__lte=timezone.now()).exists()
    )
    if not shown:
        raise Http404
    return serve_file(document.file, download_name=document.download_name)
