"""The plan's approval (section 8), signatures and amendments (new versions).

Manual §4.2 step 3: the secretariat consolidates the co-created plan, the TWG reviews
it in a held TWG meeting (its chair endorses it or returns it with comments), the
County Executive Committee approves it (the CEC Member for Finance and Economic
Planning records the Cabinet decision), and the holders of the signatory offices sign
it. Each step has a readiness (:func:`workplan_step_readiness`) that its page shows
and its service requires; each records a :class:`PlanDecision` (who, in which office,
on what basis, when), can be returned one step with a reason, and notifies the
people who act next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Meeting, MeetingKind, Membership, OfficeKind
from counties.offices import holdings_on
from counties.services.offices import office_get_or_create
from jwp.readiness import Check, Readiness, require_ready
from jwp.roles import Role
from notifications.services.events import notify
from workplans.models import (
    ActivityWard,
    BudgetLine,
    Commitment,
    DecisionOutcome,
    JointActivity,
    JointWorkPlan,
    Objective,
    OverlapFlag,
    OverlapResolution,
    PlanDecision,
    PlanPartner,
    PlanStatus,
    PlanStep,
    SignatoryCapacity,
    Signature,
)
from workplans.services.rules import record, require_secretariat


@dataclass(frozen=True)
class Step:
    step: str
    source: str  # the status the plan must be at
    target: str  # the status the step moves it to
    office: str = ""  # the office whose holder takes the step ("" = the secretariat)
    outcome: str = ""


STEPS: dict[str, Step] = {
    PlanStep.CONSOLIDATE: Step(
        PlanStep.CONSOLIDATE,
        PlanStatus.CO_CREATION,
        PlanStatus.CONSOLIDATED,
        outcome=DecisionOutcome.CONSOLIDATED,
    ),
    PlanStep.TWG_REVIEW: Step(
        PlanStep.TWG_REVIEW,
        PlanStatus.CONSOLIDATED,
        PlanStatus.TWG_REVIEWED,
        OfficeKind.TWG_CHAIR,
        DecisionOutcome.ENDORSED,
    ),
    PlanStep.CEC_APPROVAL: Step(
        PlanStep.CEC_APPROVAL,
        PlanStatus.TWG_REVIEWED,
        PlanStatus.CEC_APPROVED,
        OfficeKind.CEC_FINANCE,
        DecisionOutcome.APPROVED,
    ),
    PlanStep.SIGNING: Step(PlanStep.SIGNING, PlanStatus.CEC_APPROVED, PlanStatus.SIGNED),
}
# The step waiting at each status.
STEP_AT: dict[str, Step] = {s.source: s for s in STEPS.values()}
# A plan at one of these statuses can be returned one step, by the holder of the office
# that reviews it there (who would otherwise take the next step).
RETURNS: dict[str, tuple[str, str]] = {
    PlanStatus.CONSOLIDATED: (PlanStatus.CO_CREATION, OfficeKind.TWG_CHAIR),
    PlanStatus.TWG_REVIEWED: (PlanStatus.CONSOLIDATED, OfficeKind.CEC_FINANCE),
    PlanStatus.CEC_APPROVED: (PlanStatus.TWG_REVIEWED, OfficeKind.CEC_FINANCE),
}
# Only the move from draft to the co-creation workshop is a plain step.
TRANSITIONS: dict[str, tuple[str, str]] = {
    PlanStatus.CO_CREATION: (PlanStatus.DRAFT, Role.SECRETARIAT),
}
SIGNABLE = frozenset({PlanStatus.CEC_APPROVED, PlanStatus.SIGNED})
SLOT_OFFICE = {
    SignatoryCapacity.COUNTY_SECRETARY: OfficeKind.COUNTY_SECRETARY,
    SignatoryCapacity.CEC_FINANCE: OfficeKind.CEC_FINANCE,
    SignatoryCapacity.PARTNER: OfficeKind.PARTNER_SIGNATORY,
}


def _today() -> date:
    return timezone.localdate()


def _url(name: str, *args) -> str:
    return reverse(name, args=list(args))


def step_url(plan: JointWorkPlan, step: str) -> str:
    return reverse("workplans:plan_step", args=[plan.county.slug, plan.pk, step])


def office_assign_url(county, kind: str, organization_id: int | None = None) -> str:
    """Where the secretariat assigns a holder to a vacant office ("" if not routed)."""
    try:
        url = reverse("counties:office_assign", args=[county.slug])
    except NoReverseMatch:
        return ""
    return f"{url}?kind={kind}" + (f"&organization={organization_id}" if organization_id else "")


def _office_label(kind: str) -> str:
    return str(OfficeKind(kind).label)


# --- the draft → co-creation step ----------------------------------------------


def workplan_advance(*, plan: JointWorkPlan, membership: Membership, to: str) -> JointWorkPlan:
    """Open the co-creation workshop on a draft plan (the secretariat). The checked steps
    after it are taken on their own pages (:func:`workplan_consolidate`…)."""
    membership.check_same_county(plan)
    if to not in TRANSITIONS:
        raise ValidationError(_("This step is taken on its own page, after its readiness checks."))
    source, _role = TRANSITIONS[to]
    require_secretariat(membership)
    _require_status(plan, source)
    with transaction.atomic():
        _set_status(plan, source, to)
        record(
            plan=plan,
            actor=membership.user,
            verb="workplan.advance",
            target=plan,
            summary=f"Plan moved from {source} to {to}",
            source=source,
            to=to,
        )
    return plan


def _require_status(plan: JointWorkPlan, source: str) -> None:
    if plan.status != source:
        raise ValidationError(
            _("The plan is %(now)s; it must be %(source)s first.")
            % {"now": plan.get_status_display(), "source": PlanStatus(source).label}
        )


def _set_status(plan: JointWorkPlan, source: str, to: str, **extra) -> None:
    updated = (
        JointWorkPlan.objects.for_county(plan.county_id)
        .filter(pk=plan.pk, status=source)
        .update(status=to, status_changed_at=timezone.now(), **extra)
    )
    if not updated:
        raise ValidationError(_("Someone else moved the plan on; reload the page."))
    plan.status = to
    for name, value in extra.items():
        setattr(plan, name, value)


# --- who takes a step ------------------------------------------------------------


def _holding(county, kind: str, today: date):
    return holdings_on(county=county, on=today).filter(office__kind=kind).first()


def require_office(*, plan: JointWorkPlan, membership: Membership, kind: str, doing: str):
    """The holding of ``kind`` held today by this member, or PermissionDenied naming it."""
    holding = _holding(plan.county_id, kind, _today())
    if holding is None:
        raise PermissionDenied(
            _(
                "The office of %(office)s has no holder today, so nobody can %(doing)s. The "
                "secretariat assigns one on the offices page."
            )
            % {"office": _office_label(kind), "doing": doing}
        )
    if holding.user_id != membership.user_id:
        raise PermissionDenied(
            _("Only the %(office)s (%(name)s) can %(doing)s; you do not hold this office.")
            % {"office": _office_label(kind), "name": holding.user, "doing": doing}
        )
    return holding


def step_actor_label(*, plan: JointWorkPlan, step: str) -> str:
    """Who takes the step: "the JWP secretariat", "the County Secretary, … (A. Name)"."""
    spec = STEPS[step]
    if step == PlanStep.SIGNING:
        return _("the holder of each signatory office")
    if not spec.office:
        return _("the JWP secretariat")
    holding = _holding(plan.county_id, spec.office, _today())
    label = _office_label(spec.office)
    return f"{label} ({holding.user})" if holding else label


def _signed(plan: JointWorkPlan):
    return Signature.objects.for_county(plan.county_id).filter(plan=plan, signed_at__isnull=False)


def may_take_step(*, plan: JointWorkPlan, membership: Membership, step: str) -> bool:
    """Whether this member is the one who takes ``step`` (not whether the plan is ready)."""
    spec = STEPS[step]
    if step == PlanStep.SIGNING:
        return False  # per slot: see can_sign
    if not spec.office:
        return membership.role == Role.SECRETARIAT
    holding = _holding(plan.county_id, spec.office, _today())
    return holding is not None and holding.user_id == membership.user_id


def may_return(*, plan: JointWorkPlan, membership: Membership) -> bool:
    """Whether this member may send the plan back one step now (as the service allows)."""
    if plan.status not in RETURNS:
        return False
    if plan.status == PlanStatus.CEC_APPROVED and _signed(plan).exists():
        return False
    holding = _holding(plan.county_id, RETURNS[plan.status][1], _today())
    return holding is not None and holding.user_id == membership.user_id


# --- readiness ---------------------------------------------------------------------


def plan_content_checks(plan: JointWorkPlan) -> list[Check]:
    """What the plan itself must have before anyone can endorse it (five queries)."""
    county, slug = plan.county_id, plan.county.slug
    objectives = Objective.objects.for_county(county).filter(plan=plan).count()
    activities = JointActivity.objects.for_county(county).filter(plan=plan)
    n_activities = activities.count()
    with_wards = set(
        ActivityWard.objects.for_county(county)
        .filter(activity__plan=plan)
        .values_list("activity_id", flat=True)
    )
    incomplete = [
        a.title
        for a in activities.only("id", "title", "start_date", "end_date")
        if a.pk not in with_wards or not a.start_date or not a.end_date
    ]
    open_flags = (
        OverlapFlag.objects.for_county(county)
        .filter(plan=plan, resolution=OverlapResolution.OPEN)
        .count()
    )
    partners = list(
        PlanPartner.objects.for_county(county)
        .filter(plan=plan)
        .select_related("organization")
        .order_by("organization__name")
    )
    contributing = set(
        BudgetLine.objects.for_county(county)
        .filter(activity__plan=plan, contributor__isnull=False)
        .values_list("contributor_id", flat=True)
    ) | set(
        Commitment.objects.for_county(county)
        .filter(activity__plan=plan, contributor__isnull=False)
        .values_list("contributor_id", flat=True)
    )
    silent = [p.organization.name for p in partners if p.organization_id not in contributing]
    return [
        Check(
            _("Objectives (section 2)"),
            met=objectives > 0,
            detail=_("%(n)d objective(s).") % {"n": objectives}
            if objectives
            else _("The plan has no objectives yet."),
            fix_url=_url("workplans:objectives", slug, plan.pk),
        ),
        Check(
            _("Joint activities (section 3)"),
            met=n_activities > 0 and not incomplete,
            detail=(
                _("The plan has no activities yet.")
                if not n_activities
                else _("Without wards or dates: %(titles)s.") % {"titles": ", ".join(incomplete)}
                if incomplete
                else _(
                    "%(n)d activities, each with its sector, lead organization, wards and dates."
                )
                % {"n": n_activities}
            ),
            fix_url=_url("workplans:activities", slug, plan.pk),
        ),
        Check(
            _("Overlaps resolved"),
            met=open_flags == 0,
            detail=_("%(n)d possible overlap(s) still to resolve.") % {"n": open_flags}
            if open_flags
            else _("No open overlap."),
            fix_url=_url("workplans:overlap_list", slug, plan.pk),
        ),
        Check(
            _("Every partner's contribution (section 4)"),
            met=not silent,
            detail=_("No budget lines or commitments from: %(names)s.")
            % {"names": ", ".join(silent)}
            if silent
            else _("Every partner in section 1 has budget lines or commitments."),
            fix_url=_url("workplans:budget", slug, plan.pk),
        ),
    ]


def _office_check(county, kind: str, holding, organization=None) -> Check:
    label = (
        _("Authorized signatory of %(org)s") % {"org": organization.name}
        if organization is not None
        else _office_label(kind)
    )
    return Check(
        label,
        met=holding is not None,
        detail=_("Held by %(name)s.") % {"name": holding.user}
        if holding
        else _("Nobody holds this office: assign its holder."),
        fix_url=office_assign_url(county, kind, getattr(organization, "pk", None)),
    )


def held_twg_meetings(*, county, today: date | None = None):
    """The county's TWG meetings that have taken place (their day is not in the future)."""
    today = today or _today()
    return (
        Meeting.objects.for_county(county)
        .filter(kind=MeetingKind.TWG, starts_at__date__lte=today)
        .order_by("-starts_at")
    )


def last_decision(plan: JointWorkPlan, stage: str, outcome: str | None = None):
    rows = PlanDecision.objects.for_county(plan.county_id).filter(plan=plan, stage=stage)
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows.order_by("-created_at", "-pk").first()


def _status_check(plan: JointWorkPlan, source: str) -> Check:
    return Check(
        _("Plan status"),
        met=plan.status == source,
        detail=_("The plan is %(now)s; this step needs it %(source)s.")
        % {"now": plan.get_status_display(), "source": PlanStatus(source).label}
        if plan.status != source
        else plan.get_status_display(),
    )


def signature_slots(*, plan: JointWorkPlan, today: date | None = None) -> list[Signature]:
    """The plan's slots, each with ``holding``: its office's holder today (or None)."""
    today = today or _today()
    holdings = {h.office_id: h for h in holdings_on(county=plan.county_id, on=today)}
    slots = list(
        Signature.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .select_related("organization", "signed_by", "office__organization", "office__sector")
    )
    for slot in slots:
        slot.holding = holdings.get(slot.office_id)
        slot.assign_url = (
            ""
            if slot.holding or slot.office_id is None
            else office_assign_url(plan.county, slot.office.kind, slot.office.organization_id)
        )
    return slots


def workplan_step_readiness(
    *, plan: JointWorkPlan, step: str, today: date | None = None
) -> Readiness:
    """The checks of one step, each met or blocking with a link to fix it."""
    today = today or _today()
    spec = STEPS[step]
    county = plan.county
    checks = [_status_check(plan, spec.source)]
    if step == PlanStep.SIGNING:
        for slot in signature_slots(plan=plan, today=today):
            if slot.signed_at is None:
                checks.append(
                    _office_check(
                        county, SLOT_OFFICE[slot.capacity], slot.holding, slot.organization
                    )
                )
        return Readiness(checks)
    checks += plan_content_checks(plan)
    holdings = {}
    if spec.office:
        for h in holdings_on(county=county, on=today):
            holdings.setdefault((h.office.kind, h.office.organization_id), h)
        checks.append(_office_check(county, spec.office, holdings.get((spec.office, None))))
    if step == PlanStep.TWG_REVIEW:
        held = held_twg_meetings(county=county, today=today).first()
        checks.append(
            Check(
                _("A held TWG meeting"),
                met=held is not None,
                detail=_("Latest: %(title)s, %(day)s.")
                % {"title": held.title, "day": timezone.localtime(held.starts_at).date()}
                if held
                else _("No TWG meeting has taken place yet: the review is made in one."),
                fix_url=_url("counties:meetings", county.slug),
            )
        )
    if step == PlanStep.CEC_APPROVAL:
        review = last_decision(plan, PlanStep.TWG_REVIEW)
        checks.append(
            Check(
                _("TWG review"),
                met=review is not None and review.outcome == DecisionOutcome.ENDORSED,
                detail=_("Endorsed by %(name)s on %(day)s.")
                % {"name": review.by, "day": review.decided_on}
                if review is not None and review.outcome == DecisionOutcome.ENDORSED
                else _("The TWG has not endorsed the plan."),
            )
        )
        # Who will sign: not blocking yet, but the plan cannot be signed without them.
        for kind, organization in _slot_offices(plan):
            holding = holdings.get((kind, getattr(organization, "pk", None)))
            if holding is None:
                check = _office_check(county, kind, None, organization)
                checks.append(
                    Check(
                        check.label,
                        met=False,
                        detail=_(
                            "Signatory office without a holder: the plan cannot be signed until "
                            "one is assigned."
                        ),
                        fix_url=check.fix_url,
                        blocking=False,
                    )
                )
    return Readiness(checks)


def _slot_offices(plan: JointWorkPlan) -> list[tuple[str, object]]:
    partners = [
        link.organization
        for link in PlanPartner.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .select_related("organization")
        .order_by("organization__name")
    ]
    return [
        (OfficeKind.COUNTY_SECRETARY, None),
        (OfficeKind.CEC_FINANCE, None),
        *((OfficeKind.PARTNER_SIGNATORY, org) for org in partners),
    ]


# --- the steps -----------------------------------------------------------------------


def _secretariat_users(county) -> list:
    return [
        m.user
        for m in Membership.objects.for_county(county)
        .filter(role=Role.SECRETARIAT)
        .select_related("user")
    ]


def _decide(
    *,
    plan: JointWorkPlan,
    membership: Membership,
    stage: str,
    outcome: str,
    to: str,
    decided_on: date,
    holding=None,
    **fields,
) -> PlanDecision:
    source = plan.status
    _set_status(plan, source, to)
    decision = PlanDecision.objects.create(
        county_id=plan.county_id,
        plan=plan,
        stage=stage,
        outcome=outcome,
        from_status=source,
        to_status=to,
        decided_on=decided_on,
        by=membership.user,
        office=holding.office if holding else None,
        office_title=holding.office.title if holding else str(_("JWP Secretariat")),
        **fields,
    )
    record(
        plan=plan,
        actor=membership.user,
        verb="workplan.returned" if outcome == DecisionOutcome.RETURNED else "workplan.decision",
        target=plan,
        summary=f"{PlanStep(stage).label}: {DecisionOutcome(outcome).label} "
        f"({source} → {to}) by {membership.user} as {decision.office_title}",
        decision=decision.pk,
        source=source,
        to=to,
    )
    return decision


def _start(plan: JointWorkPlan, membership: Membership, step: str) -> Step:
    membership.check_same_county(plan)
    spec = STEPS[step]
    _require_status(plan, spec.source)
    return spec


def workplan_consolidate(
    *, plan: JointWorkPlan, membership: Membership, comments: str = ""
) -> PlanDecision:
    """The secretariat consolidates the co-created plan for the TWG."""
    _start(plan, membership, PlanStep.CONSOLIDATE)
    if membership.role != Role.SECRETARIAT:
        raise PermissionDenied(_("Only the JWP secretariat consolidates the plan."))
    require_ready(
        workplan_step_readiness(plan=plan, step=PlanStep.CONSOLIDATE),
        intro=_("The plan cannot be consolidated yet."),
    )
    with transaction.atomic():
        decision = _decide(
            plan=plan,
            membership=membership,
            stage=PlanStep.CONSOLIDATE,
            outcome=DecisionOutcome.CONSOLIDATED,
            to=PlanStatus.CONSOLIDATED,
            decided_on=_today(),
            comments=comments,
        )
        chair = _holding(plan.county_id, OfficeKind.TWG_CHAIR, _today())
        notify(
            county=plan.county,
            recipients=[chair.user] if chair else [],
            key=f"workplan:{plan.pk}:consolidated:{decision.pk}",
            title=_("%(plan)s was consolidated: it waits for the TWG review") % {"plan": plan},
            url=step_url(plan, PlanStep.TWG_REVIEW),
            actor=membership.user,
        )
    return decision


def _require_held_meeting(plan: JointWorkPlan, meeting: Meeting | None) -> None:
    if meeting is None:
        raise ValidationError({"meeting": _("Choose the TWG meeting that reviewed the plan.")})
    if meeting.county_id != plan.county_id or meeting.kind != MeetingKind.TWG:
        raise ValidationError({"meeting": _("Choose a TWG meeting of this county.")})
    day = timezone.localtime(meeting.starts_at).date()
    if day > _today():
        raise ValidationError(
            {
                "meeting": _(
                    "The TWG meeting of %(day)s has not taken place yet; record its review "
                    "after the meeting."
                )
                % {"day": day}
            }
        )


def workplan_twg_review(
    *,
    plan: JointWorkPlan,
    membership: Membership,
    meeting: Meeting | None,
    outcome: str,
    comments: str = "",
) -> PlanDecision:
    """The TWG chair records the review made in a held TWG meeting: endorse, or return
    the plan to co-creation with comments."""
    _start(plan, membership, PlanStep.TWG_REVIEW)
    doing = _("record the TWG review")
    if outcome == DecisionOutcome.RETURNED:
        return workplan_return(plan=plan, membership=membership, reason=comments, meeting=meeting)
    if outcome != DecisionOutcome.ENDORSED:
        raise ValidationError({"outcome": _("Choose: endorse, or return with comments.")})
    holding = require_office(
        plan=plan, membership=membership, kind=OfficeKind.TWG_CHAIR, doing=doing
    )
    _require_held_meeting(plan, meeting)
    require_ready(
        workplan_step_readiness(plan=plan, step=PlanStep.TWG_REVIEW),
        intro=_("The TWG cannot endorse the plan yet."),
    )
    with transaction.atomic():
        decision = _decide(
            plan=plan,
            membership=membership,
            stage=PlanStep.TWG_REVIEW,
            outcome=DecisionOutcome.ENDORSED,
            to=PlanStatus.TWG_REVIEWED,
            decided_on=timezone.localtime(meeting.starts_at).date(),
            holding=holding,
            meeting=meeting,
            comments=comments,
        )
        finance = _holding(plan.county_id, OfficeKind.CEC_FINANCE, _today())
        notify(
            county=plan.county,
            recipients=[finance.user] if finance else [],
            key=f"workplan:{plan.pk}:twg_reviewed:{decision.pk}",
            title=_("The TWG endorsed %(plan)s: it waits for the CEC approval") % {"plan": plan},
            url=step_url(plan, PlanStep.CEC_APPROVAL),
            actor=membership.user,
        )
    return decision


def workplan_cec_approve(
    *,
    plan: JointWorkPlan,
    membership: Membership,
    reference: str,
    decided_on: date | None,
    comments: str = "",
) -> PlanDecision:
    """The CEC Member for Finance and Economic Planning records the Cabinet's approval
    (its decision reference and date); the signature slots are opened."""
    _start(plan, membership, PlanStep.CEC_APPROVAL)
    holding = require_office(
        plan=plan,
        membership=membership,
        kind=OfficeKind.CEC_FINANCE,
        doing=_("record the CEC approval"),
    )
    errors = {}
    if not (reference or "").strip():
        errors["reference"] = _("Give the Cabinet (CEC) decision reference.")
    review = last_decision(plan, PlanStep.TWG_REVIEW, DecisionOutcome.ENDORSED)
    if decided_on is None:
        errors["decided_on"] = _("Give the date of the CEC decision.")
    elif decided_on > _today():
        errors["decided_on"] = _("The CEC decision date cannot be in the future.")
    elif review is not None and decided_on < review.decided_on:
        errors["decided_on"] = _(
            "The CEC cannot have approved the plan before the TWG reviewed it (%(day)s)."
        ) % {"day": review.decided_on}
    if errors:
        raise ValidationError(errors)
    require_ready(
        workplan_step_readiness(plan=plan, step=PlanStep.CEC_APPROVAL),
        intro=_("The plan cannot be approved yet."),
    )
    with transaction.atomic():
        decision = _decide(
            plan=plan,
            membership=membership,
            stage=PlanStep.CEC_APPROVAL,
            outcome=DecisionOutcome.APPROVED,
            to=PlanStatus.CEC_APPROVED,
            decided_on=decided_on,
            holding=holding,
            reference=reference.strip(),
            comments=comments,
        )
        slots = _create_signature_slots(plan)
        holders = {h.office_id: h.user for h in holdings_on(county=plan.county_id)}
        notify(
            county=plan.county,
            recipients=[holders[s.office_id] for s in slots if s.office_id in holders],
            key=f"workplan:{plan.pk}:cec_approved:{decision.pk}",
            title=_("%(plan)s was approved by the CEC: it waits for your signature")
            % {"plan": plan},
            url=step_url(plan, PlanStep.SIGNING),
            actor=membership.user,
        )
    return decision


def workplan_return(
    *,
    plan: JointWorkPlan,
    membership: Membership,
    reason: str,
    meeting: Meeting | None = None,
) -> PlanDecision:
    """Send the plan back one step with a reason (audited; the secretariat and whoever
    took the step before are told). A TWG return is made in a held TWG meeting."""
    membership.check_same_county(plan)
    if plan.status not in RETURNS:
        raise ValidationError(
            _("A plan that is %(now)s cannot be returned.") % {"now": plan.get_status_display()}
        )
    back_to, kind = RETURNS[plan.status]
    holding = require_office(
        plan=plan, membership=membership, kind=kind, doing=_("return the plan")
    )
    if not (reason or "").strip():
        raise ValidationError({"comments": _("Say why the plan goes back and what must change.")})
    stage = STEP_AT[plan.status].step
    if stage == PlanStep.TWG_REVIEW:
        _require_held_meeting(plan, meeting)
    if plan.status == PlanStatus.CEC_APPROVED and _signed(plan).exists():
        raise ValidationError(
            _("Signatures are already in: the approved plan can no longer be returned.")
        )
    previous = (
        PlanDecision.objects.for_county(plan.county_id)
        .filter(plan=plan, to_status=plan.status)
        .exclude(outcome=DecisionOutcome.RETURNED)
        .order_by("-created_at", "-pk")
        .first()
    )
    with transaction.atomic():
        if plan.status == PlanStatus.CEC_APPROVED:
            Signature.objects.for_county(plan.county_id).filter(plan=plan).delete()
        decision = _decide(
            plan=plan,
            membership=membership,
            stage=stage,
            outcome=DecisionOutcome.RETURNED,
            to=back_to,
            decided_on=timezone.localtime(meeting.starts_at).date() if meeting else _today(),
            holding=holding,
            meeting=meeting,
            comments=reason.strip(),
        )
        notify(
            county=plan.county,
            recipients=[*_secretariat_users(plan.county_id), previous.by if previous else None],
            key=f"workplan:{plan.pk}:returned:{decision.pk}",
            title=_("%(plan)s was returned to %(status)s: %(reason)s")
            % {"plan": plan, "status": PlanStatus(back_to).label, "reason": reason.strip()},
            url=_url("workplans:plan", plan.county.slug, plan.pk) + "#decisions",
            actor=membership.user,
        )
    return decision


def _create_signature_slots(plan: JointWorkPlan) -> list[Signature]:
    county = plan.county
    slots = []
    for kind, organization in _slot_offices(plan):
        office = office_get_or_create(county=county, kind=kind, organization=organization)
        capacity = next(c for c, k in SLOT_OFFICE.items() if k == kind)
        slots.append(
            Signature(
                county_id=county.pk,
                plan=plan,
                capacity=capacity,
                office=office,
                organization=organization,
            )
        )
    return Signature.objects.bulk_create(slots)
