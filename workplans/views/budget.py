"""HTML views of the cost-share budget, commitments and disbursements: thin.

Every object is fetched through ``visible_contributions``: a partner member asking
for another organization's line or commitment before the plan is consolidated gets
404, as if it did not exist; after consolidation it may read it but not change it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jwp.access import county_view, get_in_county
from jwp.forms import add_service_errors
from jwp.pagination import paginate
from jwp.roles import Role
from workplans import forms_budget as forms
from workplans import reconciliation as money
from workplans import selectors
from workplans.models import (
    BudgetLine,
    Commitment,
    CommitmentStatus,
    JointWorkPlan,
)
from workplans.services import budget as services
from workplans.services.rules import is_editable, require_editable

CONFLICT_MESSAGE = _(
    "Someone else saved this while you were editing it. Nothing was overwritten: "
    "their current values are shown next to yours. Check them, then save again "
    "to keep yours."
)


CONFLICT_FIELDS = (
    "kind",
    "amount",
    "currency",
    "exchange_rate",
    "vote_code",
    "appropriation_reference",
)

# The plan's tab strip, or a budget-only one where it is not there.


def _plan(request, plan_id: int) -> JointWorkPlan:
    return get_in_county(JointWorkPlan.objects.select_related("county"), request.county, pk=plan_id)


def _line(request, line_id: int) -> BudgetLine:
    line = get_in_county(
        BudgetLine.objects.select_related(
            "activity__plan", "activity__sector", "contributor", "component"
        ),
        request.county,
        pk=line_id,
    )
    _require_visible(request, line.activity.plan, line.contributor_id)
    return line


def _commitment(request, commitment_id: int) -> Commitment:
    commitment = get_in_county(
        Commitment.objects.select_related(
            "activity__plan", "activity__sector", "contributor", "budget_line__component"
        ),
        request.county,
        pk=commitment_id,
    )
    _require_visible(request, commitment.activity.plan, commitment.contributor_id)
    return commitment


def _require_visible(request, plan, contributor_id) -> None:
    rule = selectors.visible_contributions(membership=request.membership, plan=plan)
    if rule and contributor_id != request.membership.organization_id:
        raise Http404


def _can_contribute(membership) -> bool:
    return membership.role in (Role.SECRETARIAT, Role.PARTNER)


def _context(request, plan, **extra) -> dict:
    return {
        "plan": plan,
        "shared": selectors.contributions_shared(plan),
        "can_contribute": _can_contribute(request.membership),
        "can_add_line": services.can_add_budget_line(request.membership, plan),
        "is_partner": request.membership.role == Role.PARTNER,
        # the plan tab strip's notice: frozen from the CEC's approval on
        "editable": is_editable(plan),
        **extra,
    }


# --- budget -------------------------------------------------------------------


@county_view()
def budget_summary(request, plan_id: int):
    plan = _plan(request, plan_id)
    summary = selectors.budget_summary(
        county=request.county, plan=plan, membership=request.membership
    )
    return render(
        request, "workplans/budget/summary.html", _context(request, plan, summary=summary)
    )


@county_view()
def budget_lines(request, plan_id: int):
    plan = _plan(request, plan_id)
    lines = list(
        selectors.plan_budget_lines(county=request.county, plan=plan, membership=request.membership)
    )
    for line in lines:
        line.editable = services.can_change_budget_line(request.membership, line, plan)
    return render(request, "workplans/budget/lines.html", _context(request, plan, lines=lines))


@county_view()
def budget_line_new(request, plan_id: int):
    plan = _plan(request, plan_id)
    if not _can_contribute(request.membership):
        raise PermissionDenied
    if not services.can_add_budget_line(request.membership, plan):
        return _frozen(request, plan)
    form = forms.BudgetLineForm(
        request.POST or None,
        plan=plan,
        membership=request.membership,
        initial={"activity": request.GET.get("activity"), "currency": "KES"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data.pop("row_version", None)
        try:
            services.budget_line_create(membership=request.membership, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Budget line added."))
            return redirect("workplans:budget_lines", request.county.slug, plan.pk)
    return render(
        request,
        "workplans/budget/line_form.html",
        _context(request, plan, form=form, title=_("Add a budget line")),
    )


def _frozen(request, plan):
    """A plan closed to changes: say so instead of showing a form that will be refused."""
    try:
        require_editable(plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("workplans:budget_lines", request.county.slug, plan.pk)


def _conflict_rows(form, current, fields) -> list[tuple[str, str, str]]:
    """(label, their current value, your input) for the fields that differ."""
    rows = []
    for name in fields:
        theirs = getattr(current, f"get_{name}_display", lambda n=name: getattr(current, n))()
        bound = form[name]
        value = form.cleaned_data.get(name, bound.value())
        mine = (
            dict(bound.field.choices).get(value, value)
            if hasattr(bound.field, "choices")
            else value
        )
        rows.append(
            (bound.label, "" if theirs is None else str(theirs), "" if mine is None else str(mine))
        )
    return rows


def _show_conflict(form, exc) -> list:
    form.add_error(None, CONFLICT_MESSAGE)
    if exc.current is None:
        form.add_error(None, _("It has been deleted in the meantime."))
        return []
    data = form.data.copy()
    data["row_version"] = exc.current.row_version
    form.data = data
    return exc.current


@county_view()
def budget_line_edit(request, line_id: int):
    line = _line(request, line_id)
    plan = line.activity.plan
    if not services.can_edit_contribution(request.membership, line.contributor_id):
        raise PermissionDenied
    if not services.can_change_budget_line(request.membership, line, plan):
        return _frozen(request, plan)
    initial = {
        f: getattr(line, f)
        for f in ("component", "kind", "amount", "currency", "exchange_rate", "comment")
    }
    initial["row_version"] = line.row_version
    form = forms.BudgetLineForm(
        request.POST or None,
        plan=plan,
        membership=request.membership,
        editing=True,
        initial=initial,
    )
    conflict = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.budget_line_update(
                membership=request.membership,
                line=line,
                row_version=data.pop("row_version") or 0,
                **data,
            )
        except services.EditConflict as exc:
            current = _show_conflict(form, exc)
            if current:
                conflict = _conflict_rows(
                    form,
                    current,
                    ["component", "kind", "amount", "currency", "exchange_rate", "comment"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Budget line saved."))
            return redirect("workplans:budget_lines", request.county.slug, plan.pk)
    return render(
        request,
        "workplans/budget/line_form.html",
        _context(
            request, plan, form=form, line=line, conflict=conflict, title=_("Edit a budget line")
        ),
    )


@require_POST
@county_view()
def budget_line_delete(request, line_id: int):
    line = _line(request, line_id)
    if not services.can_edit_contribution(request.membership, line.contributor_id):
        raise PermissionDenied
    form = forms.RowVersionForm(request.POST)
    try:
        if not form.is_valid():
            raise services.EditConflict(line)
        services.budget_line_delete(
            membership=request.membership, line=line, row_version=form.cleaned_data["row_version"]
        )
    except services.EditConflict:
        messages.error(request, CONFLICT_MESSAGE)
        return redirect("workplans:budget_line", request.county.slug, line.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Budget line removed."))
    return redirect("workplans:budget_lines", request.county.slug, line.activity.plan_id)


# --- commitments --------------------------------------------------------------


@county_view()
def commitments(request, plan_id: int):
    plan = _plan(request, plan_id)
    rows = list(
        selectors.plan_commitments(county=request.county, plan=plan, membership=request.membership)
    )
    by_contributor, total, overdue = selectors.promises_vs_money(
        reconciliation=money.reconcile(
            county=request.county,
            plan=plan,
            membership=request.membership,
            parts=frozenset({"commitments", "released"}),
        ),
        commitments=rows,
        today=timezone.localdate(),
    )
    return render(
        request,
        "workplans/budget/commitments.html",
        _context(
            request,
            plan,
            commitments=rows,
            by_contributor=by_contributor,
            total=total,
            overdue=overdue,
        ),
    )


def _lines_for(request, plan):
    return (
        selectors.plan_budget_lines(county=request.county, plan=plan, membership=request.membership)
        if request.membership.role == Role.SECRETARIAT
        else selectors.plan_budget_lines(
            county=request.county, plan=plan, membership=request.membership
        ).filter(contributor_id=request.membership.organization_id)
    )


@county_view()
def commitment_new(request, plan_id: int):
    plan = _plan(request, plan_id)
    if not _can_contribute(request.membership):
        raise PermissionDenied
    form = forms.CommitmentForm(
        request.POST or None,
        plan=plan,
        membership=request.membership,
        lines=_lines_for(request, plan),
        initial={"activity": request.GET.get("activity"), "currency": "KES"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data.pop("row_version", None)
        try:
            commitment = services.commitment_create(membership=request.membership, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Commitment of %(amount)s %(currency)s recorded as pledged.")
                % {"amount": f"{commitment.amount:,.2f}", "currency": commitment.currency},
            )
            return redirect("workplans:commitments", request.county.slug, plan.pk)
    return render(
        request,
        "workplans/budget/commitment_form.html",
        _context(request, plan, form=form, title=_("Commit funds")),
    )


def _commitment_page(request, commitment, *, form=None, withdraw=None, disburse=None, conflict=()):
    plan = commitment.activity.plan
    editable = services.can_edit_contribution(request.membership, commitment.contributor_id)
    pledged = commitment.status == CommitmentStatus.PLEDGED
    is_open = commitment.status in services.OPEN_STATUSES
    if editable and pledged and form is None:
        form = forms.CommitmentForm(
            plan=plan,
            membership=request.membership,
            editing=True,
            county_funding=commitment.contributor_id is None,
            initial={
                "kind": commitment.kind,
                "amount": commitment.amount,
                "currency": commitment.currency,
                "exchange_rate": commitment.exchange_rate,
                "vote_code": commitment.vote_code,
                "appropriation_reference": commitment.appropriation_reference,
                "row_version": commitment.row_version,
            },
        )
    disbursements = list(commitment.disbursements.all())
    return render(
        request,
        "workplans/budget/commitment_detail.html",
        _context(
            request,
            plan,
            commitment=commitment,
            form=form if editable and pledged else None,
            confirm_form=forms.RowVersionForm(initial={"row_version": commitment.row_version}),
            withdraw_form=withdraw
            or forms.WithdrawForm(initial={"row_version": commitment.row_version}),
            disburse_form=disburse or forms.DisbursementForm(),
            can_confirm=editable and pledged,
            can_withdraw=editable and is_open,
            can_disburse=editable and commitment.status == CommitmentStatus.CONFIRMED,
            is_county=commitment.contributor_id is None,
            remaining=f"{commitment.amount - sum((d.amount for d in disbursements), 0):,.2f}",
            disbursements=disbursements,
            disbursed_kes=sum((d.amount_kes for d in disbursements), 0),
            conflict=conflict,
        ),
    )


@county_view()
def commitment_detail(request, commitment_id: int):
    commitment = _commitment(request, commitment_id)
    if request.method != "POST":
        return _commitment_page(request, commitment)
    if not services.can_edit_contribution(request.membership, commitment.contributor_id):
        raise PermissionDenied
    form = forms.CommitmentForm(
        request.POST,
        plan=commitment.activity.plan,
        membership=request.membership,
        editing=True,
        county_funding=commitment.contributor_id is None,
    )
    conflict = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.commitment_update(
                membership=request.membership,
                commitment=commitment,
                row_version=data.pop("row_version") or 0,
                **data,
            )
        except services.EditConflict as exc:
            current = _show_conflict(form, exc)
            if current:
                conflict = _conflict_rows(
                    form, current, [n for n in CONFLICT_FIELDS if n in form.fields]
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Commitment saved."))
            return redirect("workplans:commitment", request.county.slug, commitment.pk)
    return _commitment_page(request, commitment, form=form, conflict=conflict)


def _transition(request, commitment_id: int, form_class, action):
    commitment = _commitment(request, commitment_id)
    if not services.can_edit_contribution(request.membership, commitment.contributor_id):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = action(commitment, form.cleaned_data)
        except services.EditConflict:
            messages.error(request, CONFLICT_MESSAGE)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return form, commitment
        else:
            messages.success(request, message)
            return None, commitment
    return form, commitment


@require_POST
@county_view()
def commitment_confirm(request, commitment_id: int):
    def act(commitment, data):
        services.commitment_confirm(
            membership=request.membership, commitment=commitment, row_version=data["row_version"]
        )
        return _("Commitment confirmed.")

    _form, commitment = _transition(request, commitment_id, forms.RowVersionForm, act)
    return redirect("workplans:commitment", request.county.slug, commitment.pk)


@require_POST
@county_view()
def commitment_withdraw(request, commitment_id: int):
    def act(commitment, data):
        services.commitment_withdraw(membership=request.membership, commitment=commitment, **data)
        return flag_messages(request, commitment, _("Commitment withdrawn."))

    form, commitment = _transition(request, commitment_id, forms.WithdrawForm, act)
    if form is not None and form.errors:
        return _commitment_page(request, commitment, withdraw=form)
    return redirect("workplans:commitment", request.county.slug, commitment.pk)


@require_POST
@county_view()
def disbursement_new(request, commitment_id: int):
    def act(commitment, data):
        d = services.disbursement_record(
            membership=request.membership, commitment=commitment, **data
        )
        return _("Disbursement of %(amount)s %(currency)s recorded.") % {
            "amount": f"{d.amount:,.2f}",
            "currency": d.currency,
        }

    form, commitment = _transition(request, commitment_id, forms.DisbursementForm, act)
    if form is not None and form.errors:
        return _commitment_page(request, commitment, disburse=form)
    return redirect(reverse("workplans:commitment", args=[request.county.slug, commitment.pk]))


# --- reconciliation -----------------------------------------------------------


def flag_messages(request, saved, message: str) -> str:  # also progress's expenditure form
    """The success message, with a warning for each money flag the write raised."""
    for flag in getattr(saved, "money_flags", ()):
        messages.warning(
            request,
            _("Flagged: %(label)s — %(detail)s. The secretariat has been told.")
            % {"label": flag.label, "detail": flag.detail},
        )
    return message


@county_view()
def reconciliation(request, plan_id: int):
    """Budgeted, committed, confirmed, released and spent side by side, and the flags.

    ``?activity=<id>`` adds that activity's budget lines (only if the member sees a
    funding of it: the same visibility rule as every other figure)."""
    plan = _plan(request, plan_id)
    rec = money.reconcile(county=request.county, plan=plan, membership=request.membership)
    chosen = None
    raw = request.GET.get("activity", "")
    if raw.isdigit():
        chosen = next((a for a in rec.by_activity if a.key == int(raw)), None)
    lines = (
        list(
            money.line_figures(
                county=request.county, plan=plan, membership=request.membership, activity=chosen.key
            )
        )
        if chosen
        else []
    )
    return render(
        request,
        "workplans/budget/reconciliation.html",
        _context(
            request,
            plan,
            rec=rec,
            page=paginate(request, rec.rows, per_page=50),
            flags=[(f, money.flag_url(request.county, plan, f)) for f in rec.flags],
            chosen=chosen,
            lines=lines,
        ),
    )
