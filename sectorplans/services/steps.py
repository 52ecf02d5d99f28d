"""Step records: start, complete (with the gates), skip, reopen."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership, Organization
from counties.offices import office_holder
from jwp.readiness import Check, Readiness, require_ready
from notifications.services.events import notify
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
    PublicComment,
    StepKind,
    StepStatus,
)
from sectorplans.services.rules import (
    _LOCKING_STEPS,
    _NOT_SKIPPABLE,
    HOLDER_ONLY,
    _record_step,
    _require_actor,
    _snapshot,
    actor_label,
    acts_as,
    step_actors,
    step_office,
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


class _PlanState:
    """The plan's step records and decisions, read once (two queries) for the checks."""

    def __init__(self, plan_step: PlanStep):
        plan = plan_step.plan
        self.steps = {
            ps.step.number: ps
            for ps in PlanStep.objects.for_county(plan_step.county_id)
            .filter(plan=plan)
            .select_related("step")
        }
        self.steps[plan_step.step.number] = plan_step
        self.decisions: dict[int, list[PlanDecision]] = {}
        number_of = {ps.pk: n for n, ps in self.steps.items()}
        for decision in PlanDecision.objects.for_county(plan_step.county_id).filter(plan=plan):
            self.decisions.setdefault(number_of[decision.plan_step_id], []).append(decision)

    def unfinished_before(self, number: int) -> list[int]:
        return [n for n, ps in sorted(self.steps.items()) if n < number and not ps.is_finished]

    def day_of(self, number: int) -> date | None:
        """When a step happened: its latest decision's date, else the day it was done."""
        if number in self.decisions:
            return max(d.decided_on for d in self.decisions[number])
        ps = self.steps.get(number)
        if ps is None or ps.status != StepStatus.DONE or ps.completed_at is None:
            return None
        return timezone.localdate(ps.completed_at)

    def next_unfinished(self, number: int) -> PlanStep | None:
        return next(
            (ps for n, ps in sorted(self.steps.items()) if n > number and not ps.is_finished), None
        )


def depends_on(number: int) -> int:
    """The step a step's decision answers: the one before it in the seed table. The CEC's
    comments (11, 22, 32) answer the briefing or circulation before them, the committee's
    input (27, 35) the consultation of 26 and 34, the semi-final approval (43) follows the
    public's final comments (42), and the House's approval (46) the submission of 45."""
    return number - 1


def _step_url(plan_step: PlanStep, number: int, anchor: str = "") -> str:
    plan = plan_step.plan
    url = reverse(
        "sectorplans:step",
        kwargs={"county_slug": plan.county.slug, "plan_id": plan.pk, "number": number},
    )
    return url + anchor


def _window_url(plan_step: PlanStep, window_id: int) -> str:
    return reverse(
        "sectorplans:window",
        kwargs={"county_slug": plan_step.plan.county.slug, "window_id": window_id},
    )


def _office_assign_url(plan_step: PlanStep, kind: str) -> str:
    """Where the secretariat assigns the office ('' until the offices pages exist)."""
    try:
        url = reverse("counties:office_assign", args=[plan_step.plan.county.slug])
    except NoReverseMatch:
        return ""
    return f"{url}?kind={kind}&sector={plan_step.plan.sector_id}"


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


def _office_check(plan_step: PlanStep, today: date) -> Check | None:
    kind = step_office(plan_step)
    if kind is None:
        return None
    holding = office_holder(
        county=plan_step.county_id, kind=kind, sector=plan_step.plan.sector_id, on=today
    )
    label = actor_label(plan_step)
    return Check(
        _("Office holder"),
        met=holding is not None,
        detail=(
            _("%(office)s: %(name)s.") % {"office": label, "name": holding.user}
            if holding
            else _("Nobody holds the office of %(office)s today.") % {"office": label}
        ),
        fix_url=_office_assign_url(plan_step, kind),
        # The secretariat may record a CEC or committee step for a vacant office; a
        # sign-off is the holder's own act.
        blocking=plan_step.step.number in HOLDER_ONLY,
    )


def _window_checks(plan_step: PlanStep, now: datetime) -> list[Check]:
    step = plan_step.step
    if not (step.opens_window or step.kind == StepKind.PUBLIC_INPUT):
        return []
    window = _window_of(plan_step)
    label = _("Participation window")
    if window is None:
        first = next(a for a, b in PARTICIPATION_WINDOWS if step.number in (a, b))
        detail = (
            _("Open the participation window of step %(n)d first.")
            if step.opens_window
            else _("No participation window was opened for this step (step %(n)d opens it).")
        )
        return [
            Check(
                label,
                met=False,
                detail=detail % {"n": first},
                fix_url=_step_url(plan_step, first, "#window"),
            )
        ]
    if step.kind != StepKind.PUBLIC_INPUT:
        return [Check(label, met=True, detail=window.title)]
    closed = window.has_closed(now)
    pending = window.comments.filter(moderation=Moderation.PENDING).count()
    url = _window_url(plan_step, window.pk)
    return [
        Check(
            label,
            met=closed,
            detail=""
            if closed
            else _("The public's views are recorded once the window has closed (%(when)s).")
            % {"when": timezone.localtime(window.closes_at).strftime("%d %b %Y %H:%M")},
            fix_url=url,
        ),
        Check(
            _("Moderation"),
            met=not pending,
            detail=_("%(n)d comments still await moderation.") % {"n": pending} if pending else "",
            fix_url=url,
        ),
    ]


def _comment_checks(plan_step: PlanStep) -> list[Check]:
    """Before a sign-off or publication: every comment of the earlier windows moderated,
    and every accepted one answered ("you said, we did")."""
    number = plan_step.step.number
    rows = list(
        PublicComment.objects.for_county(plan_step.county_id)
        .filter(
            window__plan=plan_step.plan_id,
            window__plan_step__step__number__lt=number,
            moderation__in=(Moderation.PENDING, Moderation.ACCEPTED),
        )
        .order_by("window__opens_at", "submitted_at", "id")
        .values_list(
            "topic", "moderation", "response", "window_id", "window__plan_step__step__number"
        )
    )
    pending = [r for r in rows if r[1] == Moderation.PENDING]
    unanswered = [r for r in rows if r[1] == Moderation.ACCEPTED and not r[2]]
    return [
        Check(
            _("Moderation"),
            met=not pending,
            detail=_("%(n)d comments still await moderation.") % {"n": len(pending)}
            if pending
            else _("Every comment of the earlier windows is moderated."),
            fix_url=_window_url(plan_step, pending[0][3]) if pending else "",
        ),
        Check(
            _("You said, we did"),
            met=not unanswered,
            detail=_("No response yet to the accepted comments %(list)s.")
            % {
                "list": ", ".join(
                    _("“%(topic)s” (step %(n)d)") % {"topic": topic, "n": step}
                    for topic, _m, _r, _w, step in unanswered
                )
            }
            if unanswered
            else _("Every accepted comment has its response."),
            fix_url=_window_url(plan_step, unanswered[0][3]) if unanswered else "",
        ),
    ]


def _decision_date_problem(state: _PlanState, number: int, decided_on: date, today: date) -> str:
    """What is wrong with a decision date of step ``number`` ('' when nothing is)."""
    if decided_on > today:
        return _("%(day)s is in the future: record a decision once it is taken.") % {
            "day": f"{decided_on:%d %b %Y}"
        }
    answered = depends_on(number)
    answered_on = state.day_of(answered)
    if answered_on is not None and decided_on < answered_on:
        return _("%(day)s is before step %(n)d, which this step answers, was done (%(then)s).") % {
            "day": f"{decided_on:%d %b %Y}",
            "n": answered,
            "then": f"{answered_on:%d %b %Y}",
        }
    return ""


def _dates_check(plan_step: PlanStep, state: _PlanState) -> Check:
    """Before a sign-off or publication: the decisions it rests on are dated sensibly."""
    wrong = []
    for number, decisions in sorted(state.decisions.items()):
        if number >= plan_step.step.number:
            continue
        for decision in decisions:
            problem = _decision_date_problem(
                state, number, decision.decided_on, timezone.localdate(decision.recorded_at)
            )
            if problem:
                wrong.append((number, problem))
    return Check(
        _("Decision dates"),
        met=not wrong,
        detail=" ".join(_("Step %(n)d: %(problem)s") % {"n": n, "problem": p} for n, p in wrong)
        or _("Every earlier decision is dated after the step it answers, and not ahead."),
        fix_url=_step_url(plan_step, wrong[0][0]) if wrong else "",
    )


def plan_step_readiness(
    *, plan_step: PlanStep, now: datetime | None = None, state: _PlanState | None = None
) -> Readiness:
    """What completing the step needs, each check met or blocking with where to fix it.
    The step page shows it; :func:`plan_step_complete` requires it."""
    now = now or timezone.now()
    state = state or _PlanState(plan_step)
    step = plan_step.step
    checks = [c for c in [_office_check(plan_step, timezone.localdate(now))] if c]
    if step.is_sign_off:
        missing = state.unfinished_before(step.number)
        checks.append(
            Check(
                _("Earlier steps"),
                met=not missing,
                detail=_(
                    "Step %(n)d signs off everything before it: steps %(list)s are not done "
                    "or skipped with a reason yet."
                )
                % {"n": step.number, "list": ", ".join(map(str, missing))}
                if missing
                else _("Every earlier step is done or skipped with a reason."),
                fix_url=_step_url(plan_step, missing[0]) if missing else "",
            )
        )
    if step.number == PUBLICATION_STEP:
        formal = state.steps[FORMAL_APPROVAL_STEP]
        checks.append(
            Check(
                _("Formal approval"),
                met=formal.status == StepStatus.DONE,
                detail=""
                if formal.status == StepStatus.DONE
                else _(
                    "The plan cannot be published before the Assembly's formal approval (step 46)."
                ),
                fix_url=_step_url(plan_step, FORMAL_APPROVAL_STEP),
            )
        )
    if step.is_sign_off or step.number == PUBLICATION_STEP:
        checks += _comment_checks(plan_step)
        checks.append(_dates_check(plan_step, state))
    else:
        checks += _window_checks(plan_step, now)
    return Readiness(checks)


def steps_not_done_before(*, plan_step: PlanStep) -> list[int]:
    """Earlier steps not done or skipped: completing this one first needs a reason."""
    return list(
        plan_step.plan.steps.filter(step__number__lt=plan_step.step.number)
        .exclude(status__in=FINISHED)
        .values_list("step__number", flat=True)
        .order_by("step__number")
    )


def _notify_turn(plan_step: PlanStep, *, actor, key: str, title: str, on: date) -> int:
    return notify(
        county=plan_step.plan.county,
        recipients=step_actors(plan_step, on=on),
        key=key,
        title=title,
        url=_step_url(plan_step, plan_step.step.number),
        actor=actor,
    )


def _notify_next(plan_step: PlanStep, state: _PlanState, *, actor, now: datetime) -> None:
    """Tell the actors of the next unfinished step that it is their turn."""
    following = state.next_unfinished(plan_step.step.number)
    if following is None:
        return
    following.plan = plan_step.plan
    _notify_turn(
        following,
        actor=actor,
        key=f"sectorplan:{plan_step.plan_id}:step:{plan_step.step.number}:finished:"
        f"{now.isoformat()}",
        title=_("%(plan)s: step %(n)d is yours — %(what)s")
        % {
            "plan": plan_step.plan.title,
            "n": following.step.number,
            "what": following.step.description,
        },
        on=timezone.localdate(now),
    )


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
    return PlanDecision.objects.create(
        county=plan_step.county,
        plan=plan_step.plan,
        plan_step=plan_step,
        kind=DECISION_KIND_OF_STEP[plan_step.step.number],
        body=body.strip(),
        adjustments=adjustments.strip(),
        decided_on=decided_on,
        reference=reference.strip(),
        recorded_by=membership.user,
        on_behalf_of=on_behalf,
    )


def _completion_errors(
    plan_step: PlanStep,
    state: _PlanState,
    today: date,
    *,
    body: str,
    decided_on: date | None,
    reference: str,
    out_of_order: list[int],
    out_of_order_reason: str,
) -> dict[str, str]:
    """The field errors of what the member typed (the plan's state is the readiness's)."""
    number = plan_step.step.number
    errors = {}
    if out_of_order and not out_of_order_reason.strip():
        errors["out_of_order_reason"] = _(
            "Steps %(list)s before this one are not done: say why this step is done first."
        ) % {"list": ", ".join(map(str, out_of_order))}
    if not plan_step.step.needs_record:
        return errors
    if not body.strip():
        errors["body"] = _("Write down what was said or decided.")
    if decided_on is None:
        errors["decided_on"] = _("Give the date.")
    else:
        problem = _decision_date_problem(state, number, decided_on, today)
        if problem:
            errors["decided_on"] = problem
    if number == FORMAL_APPROVAL_STEP and not reference.strip():
        errors["reference"] = _("Give the Hansard or resolution reference of the approval.")
    return errors


def plan_step_complete(
    *,
    plan_step: PlanStep,
    membership: Membership,
    notes: str = "",
    body: str = "",
    decided_on: date | None = None,
    reference: str = "",
    adjustments: str = "",
    out_of_order_reason: str = "",
    now: datetime | None = None,
    notify_next: bool = True,
) -> PlanStep:
    """Mark a step done, once its readiness is met. CEC and Assembly steps record what
    was said or decided (``body``, ``decided_on``: not ahead of ``now``, not before the
    step it answers; the formal approval also its ``reference``). A step done while an
    earlier one is not needs ``out_of_order_reason``. The next step's actors are told,
    unless ``notify_next`` is False: recording steps long past, whose turns are over."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    on_behalf = _require_actor(membership, plan_step, on=today)
    number = plan_step.step.number
    if plan_step.status == StepStatus.DONE:
        raise ValidationError(_("Step %(n)d is already done.") % {"n": number})
    state = _PlanState(plan_step)
    require_ready(
        plan_step_readiness(plan_step=plan_step, now=now, state=state),
        intro=_("Step %(n)d cannot be completed yet.") % {"n": number},
    )
    out_of_order = state.unfinished_before(number)
    errors = _completion_errors(
        plan_step,
        state,
        today,
        body=body,
        decided_on=decided_on,
        reference=reference,
        out_of_order=out_of_order,
        out_of_order_reason=out_of_order_reason,
    )
    if errors:
        raise ValidationError(errors)
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
        plan_step.out_of_order_reason = out_of_order_reason.strip() if out_of_order else ""
        plan_step.completed_by = membership.user
        plan_step.completed_at = now
        plan_step.on_behalf_of = on_behalf
        if notes.strip():
            plan_step.notes = notes.strip()
        plan_step.save()
        if number == FORMAL_APPROVAL_STEP:
            plan.status = PlanStatus.APPROVED
            plan.approved_on, plan.approval_reference = decision.decided_on, decision.reference
            plan.save(update_fields=["status", "approved_on", "approval_reference"])
        elif number == PUBLICATION_STEP:
            plan.status, plan.published_at = PlanStatus.PUBLISHED, now
            plan.save(update_fields=["status", "published_at"])
        extra = {"on_behalf_of": on_behalf} if on_behalf else {}
        if out_of_order:
            extra["out_of_order"] = {
                "before": out_of_order,
                "reason": plan_step.out_of_order_reason,
            }
            extra["reason"] = plan_step.out_of_order_reason
        if decision is not None:
            extra["decision"] = {
                "kind": decision.kind,
                "decided_on": decision.decided_on.isoformat(),
                "reference": decision.reference,
            }
        summary = "done" + (f" (on behalf of {on_behalf})" if on_behalf else "")
        if out_of_order:
            summary += f", before step{'s' if len(out_of_order) > 1 else ''} " + ", ".join(
                map(str, out_of_order)
            )
        _record_step(plan_step, membership.user, "planstep.complete", summary, before, **extra)
        if notify_next:
            _notify_next(plan_step, state, actor=membership.user, now=now)
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
    now = timezone.now()
    with transaction.atomic():
        plan_step.status = StepStatus.SKIPPED
        plan_step.skip_reason = reason.strip()
        plan_step.completed_by, plan_step.completed_at = membership.user, now
        plan_step.on_behalf_of = on_behalf
        plan_step.save()
        _record_step(plan_step, membership.user, "planstep.skip", "skipped", before)
        _notify_next(plan_step, _PlanState(plan_step), actor=membership.user, now=now)
    return plan_step


def may_return(membership: Membership, plan_step: PlanStep, *, held=None) -> bool:
    """Whether the member may return this finished step: whoever may complete it."""
    return plan_step.is_finished and acts_as(membership, plan_step, held=held) is not None


def plan_step_reopen(*, plan_step: PlanStep, membership: Membership, reason: str) -> PlanStep:
    """Return a finished step one step back to "in progress", with a reason, by whoever
    may complete it (a sign-off only by its office holder). Never under the step that
    follows it or a later sign-off that still stands: those are returned first."""
    membership.check_same_county(plan_step)
    number = plan_step.step.number
    if acts_as(membership, plan_step) is None:
        raise PermissionDenied(
            _("Step %(n)d is returned by %(actor)s (or the secretariat on their behalf).")
            % {"n": number, "actor": actor_label(plan_step)}
            if number not in HOLDER_ONLY
            else _("Step %(n)d is returned only by the %(actor)s in office.")
            % {"n": number, "actor": actor_label(plan_step)}
        )
    if not plan_step.is_finished:
        raise ValidationError(_("Only a done or skipped step can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the step is reopened.")})
    later = list(
        plan_step.plan.steps.filter(
            Q(step__number__in=_LOCKING_STEPS) | Q(step__number=number + 1),
            step__number__gt=number,
            status__in=FINISHED,
        ).values_list("step__number", flat=True)
    )
    if later:
        raise ValidationError(
            _("Step %(n)d is finished and rests on this one: reopen it first.") % {"n": max(later)}
        )
    plan = plan_step.plan
    before = _snapshot(plan_step)
    now = timezone.now()
    with transaction.atomic():
        plan_step.status = StepStatus.IN_PROGRESS
        plan_step.skip_reason = plan_step.out_of_order_reason = ""
        plan_step.completed_by = plan_step.completed_at = None
        plan_step.on_behalf_of = ""
        plan_step.save()
        if number == PUBLICATION_STEP:
            plan.status, plan.published_at = PlanStatus.APPROVED, None
            plan.save(update_fields=["status", "published_at"])
        elif number == FORMAL_APPROVAL_STEP:
            plan.status, plan.approved_on, plan.approval_reference = PlanStatus.PREPARING, None, ""
            plan.save(update_fields=["status", "approved_on", "approval_reference"])
        _record_step(
            plan_step, membership.user, "planstep.reopen", "reopened", before, reason=reason.strip()
        )
        _notify_turn(
            plan_step,
            actor=membership.user,
            key=f"sectorplan:{plan.pk}:step:{number}:returned:{now.isoformat()}",
            title=_("%(plan)s: step %(n)d was returned to you — %(reason)s")
            % {"plan": plan.title, "n": number, "reason": reason.strip()[:80]},
            on=timezone.localdate(now),
        )
    return plan_step
