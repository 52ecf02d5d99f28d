"""Step records: start, complete (with the gates), skip, reopen."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership, Organization
from sectorplans.models import (
    DECISION_KIND_OF_STEP,
    FINISHED,
    FORMAL_APPROVAL_STEP,
    PARTICIPATION_WINDOWS,
    PUBLICATION_STEP,
    Moderation,
    ParticipationWindow,
    PlanDecision,
    PlanStatus,
    PlanStep,
    StepKind,
    StepStatus,
)
from sectorplans.services.rules import (
    _LOCKING_STEPS,
    _NOT_SKIPPABLE,
    _record_step,
    _require_actor,
    _require_secretariat,
    _snapshot,
)

# --- steps --------------------------------------------------------------------


def plan_step_update(
    *,
    plan_step: PlanStep,
    membership: Membership,
    planned_start: date | None,
    due_date: date | None,
    responsible_role: str = "",
    responsible_organization: Organization | None = None,
    notes: str = "",
) -> PlanStep:
    """Dates, who is responsible and notes: the step's actor or the secretariat."""
    _require_actor(membership, plan_step)
    if planned_start and due_date and due_date < planned_start:
        raise ValidationError({"due_date": _("The due date is before the planned start.")})
    before = _snapshot(plan_step)
    plan_step.planned_start, plan_step.due_date = planned_start, due_date
    plan_step.responsible_role = responsible_role
    plan_step.responsible_organization = responsible_organization
    plan_step.notes = notes.strip()
    with transaction.atomic():
        plan_step.save()
        _record_step(plan_step, membership.user, "planstep.update", "edited", before)
    return plan_step


def plan_step_start(*, plan_step: PlanStep, membership: Membership) -> PlanStep:
    _require_actor(membership, plan_step)
    if plan_step.status != StepStatus.NOT_STARTED:
        raise ValidationError(_("Only a step not started yet can be started."))
    before = _snapshot(plan_step)
    with transaction.atomic():
        plan_step.status = StepStatus.IN_PROGRESS
        plan_step.save(update_fields=["status"])
        _record_step(plan_step, membership.user, "planstep.start", "started", before)
    return plan_step


def _unfinished_before(plan_step: PlanStep) -> list[int]:
    return list(
        plan_step.plan.steps.filter(step__number__lt=plan_step.step.number)
        .exclude(status__in=FINISHED)
        .values_list("step__number", flat=True)
        .order_by("step__number")
    )


def _window_of(plan_step: PlanStep) -> ParticipationWindow | None:
    """The participation window a step opens (invite) or collects (public input)."""
    number = plan_step.step.number
    first = next((a for a, b in PARTICIPATION_WINDOWS if number in (a, b)), None)
    if first is None:
        return None
    return (
        ParticipationWindow.objects.for_county(plan_step.county_id)
        .filter(plan=plan_step.plan_id, plan_step__step__number=first)
        .first()
    )


def _check_gates(plan_step: PlanStep, now: datetime) -> None:
    """The moments a step may not be completed yet, each with what to do instead."""
    step = plan_step.step
    if step.is_sign_off:
        missing = _unfinished_before(plan_step)
        if missing:
            raise ValidationError(
                _(
                    "Step %(n)d signs off everything before it: steps %(list)s are not done "
                    "or skipped with a reason yet."
                )
                % {"n": step.number, "list": ", ".join(map(str, missing))}
            )
    if step.number == PUBLICATION_STEP:
        formal = plan_step.plan.steps.get(step__number=FORMAL_APPROVAL_STEP)
        if formal.status != StepStatus.DONE:
            raise ValidationError(
                _("The plan cannot be published before the Assembly's formal approval (step 46).")
            )
    if step.opens_window and _window_of(plan_step) is None:
        raise ValidationError(
            _("Open the participation window of step %(n)d first.") % {"n": step.number}
        )
    if step.kind == StepKind.PUBLIC_INPUT:
        window = _window_of(plan_step)
        if window is None:
            raise ValidationError(_("No participation window was opened for this step."))
        if not window.has_closed(now):
            raise ValidationError(
                _("The public's views are recorded once the window has closed (%(when)s).")
                % {"when": timezone.localtime(window.closes_at).strftime("%d %b %Y %H:%M")}
            )
        pending = window.comments.filter(moderation=Moderation.PENDING).count()
        if pending:
            raise ValidationError(_("%(n)d comments still await moderation.") % {"n": pending})


def _record_decision(
    plan_step: PlanStep,
    membership: Membership,
    on_behalf: str,
    *,
    body: str,
    decided_on: date | None,
    reference: str,
    adjustments: str,
) -> PlanDecision:
    number = plan_step.step.number
    errors = {}
    if not body.strip():
        errors["body"] = _("Write down what was said or decided.")
    if decided_on is None:
        errors["decided_on"] = _("Give the date.")
    if number == FORMAL_APPROVAL_STEP and not reference.strip():
        errors["reference"] = _("Give the Hansard or resolution reference of the approval.")
    if errors:
        raise ValidationError(errors)
    return PlanDecision.objects.create(
        county=plan_step.county,
        plan=plan_step.plan,
        plan_step=plan_step,
        kind=DECISION_KIND_OF_STEP[number],
        body=body.strip(),
        adjustments=adjustments.strip(),
        decided_on=decided_on,
        reference=reference.strip(),
        recorded_by=membership.user,
        on_behalf_of=on_behalf,
    )


def plan_step_complete(
    *,
    plan_step: PlanStep,
    membership: Membership,
    notes: str = "",
    body: str = "",
    decided_on: date | None = None,
    reference: str = "",
    adjustments: str = "",
    now: datetime | None = None,
) -> PlanStep:
    """Mark a step done. CEC and Assembly steps record what was said or decided
    (``body``, ``decided_on``; the formal approval also its ``reference``)."""
    now = now or timezone.now()
    on_behalf = _require_actor(membership, plan_step)
    if plan_step.status == StepStatus.DONE:
        raise ValidationError(_("Step %(n)d is already done.") % {"n": plan_step.step.number})
    _check_gates(plan_step, now)
    plan = plan_step.plan
    before = _snapshot(plan_step)
    with transaction.atomic():
        decision = None
        if plan_step.step.needs_record:
            decision = _record_decision(
                plan_step,
                membership,
                on_behalf,
                body=body,
                decided_on=decided_on,
                reference=reference,
                adjustments=adjustments,
            )
        plan_step.status = StepStatus.DONE
        plan_step.skip_reason = ""
        plan_step.completed_by = membership.user
        plan_step.completed_at = now
        plan_step.on_behalf_of = on_behalf
        if notes.strip():
            plan_step.notes = notes.strip()
        plan_step.save()
        if plan_step.step.number == FORMAL_APPROVAL_STEP:
            plan.status = PlanStatus.APPROVED
            plan.approved_on, plan.approval_reference = decision.decided_on, decision.reference
            plan.save(update_fields=["status", "approved_on", "approval_reference"])
        elif plan_step.step.number == PUBLICATION_STEP:
            plan.status, plan.published_at = PlanStatus.PUBLISHED, now
            plan.save(update_fields=["status", "published_at"])
        extra = {"on_behalf_of": on_behalf} if on_behalf else {}
        if decision is not None:
            extra["decision"] = {
                "kind": decision.kind,
                "decided_on": decision.decided_on.isoformat(),
                "reference": decision.reference,
            }
        summary = "done" + (f" (on behalf of {on_behalf})" if on_behalf else "")
        _record_step(plan_step, membership.user, "planstep.complete", summary, before, **extra)
    return plan_step


def plan_step_skip(*, plan_step: PlanStep, membership: Membership, reason: str) -> PlanStep:
    on_behalf = _require_actor(membership, plan_step)
    if plan_step.step.number in _NOT_SKIPPABLE:
        raise ValidationError(_("Step %(n)d cannot be skipped.") % {"n": plan_step.step.number})
    if plan_step.is_finished:
        raise ValidationError(_("This step is already finished."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the step is skipped.")})
    before = _snapshot(plan_step)
    with transaction.atomic():
        plan_step.status = StepStatus.SKIPPED
        plan_step.skip_reason = reason.strip()
        plan_step.completed_by, plan_step.completed_at = membership.user, timezone.now()
        plan_step.on_behalf_of = on_behalf
        plan_step.save()
        _record_step(plan_step, membership.user, "planstep.skip", "skipped", before)
    return plan_step


def plan_step_reopen(*, plan_step: PlanStep, membership: Membership, reason: str) -> PlanStep:
    """Secretariat only, with a reason; never under a later sign-off that still stands."""
    _require_secretariat(membership)
    membership.check_same_county(plan_step)
    if not plan_step.is_finished:
        raise ValidationError(_("Only a done or skipped step can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the step is reopened.")})
    later = list(
        plan_step.plan.steps.filter(
            step__number__gt=plan_step.step.number,
            step__number__in=_LOCKING_STEPS,
            status__in=FINISHED,
        ).values_list("step__number", flat=True)
    )
    if later:
        raise ValidationError(
            _("Step %(n)d is finished and rests on this one: reopen it first.") % {"n": max(later)}
        )
    plan = plan_step.plan
    before = _snapshot(plan_step)
    with transaction.atomic():
        plan_step.status = StepStatus.IN_PROGRESS
        plan_step.skip_reason = ""
        plan_step.completed_by = plan_step.completed_at = None
        plan_step.on_behalf_of = ""
        plan_step.save()
        if plan_step.step.number == PUBLICATION_STEP:
            plan.status, plan.published_at = PlanStatus.APPROVED, None
            plan.save(update_fields=["status", "published_at"])
        elif plan_step.step.number == FORMAL_APPROVAL_STEP:
            plan.status, plan.approved_on, plan.approval_reference = PlanStatus.PREPARING, None, ""
            plan.save(update_fields=["status", "approved_on", "approval_reference"])
        _record_step(
            plan_step, membership.user, "planstep.reopen", "reopened", before, reason=reason.strip()
        )
    return plan_step
