"""Writes and rules of the sector plan workflow. One place per rule.

Who may complete a step is read from the step's *specific actor* in the seed table
(``ACTOR_ROLES``); the secretariat may act for anyone, and is then recorded as acting
on the actor's behalf. Rules that refuse raise ``PermissionDenied`` (wrong person:
403) or ``ValidationError`` with a message that says what to do (wrong moment: 400).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import County, Membership, Organization, Sector, Ward
from jwp import audit
from jwp.roles import Role
from jwp.uploads import validate_document
from sectorplans.models import (
    COMMENT_MAX_LENGTH,
    DECISION_KIND_OF_STEP,
    FINISHED,
    FORMAL_APPROVAL_STEP,
    PARTICIPATION_WINDOWS,
    PUBLICATION_STEP,
    SIGN_OFF_STEPS,
    Moderation,
    ParticipationWindow,
    PlanDecision,
    PlanDocument,
    PlanStatus,
    PlanStep,
    PublicComment,
    Response,
    RevisionKind,
    SectorPlan,
    SectorPlanStep,
    StepKind,
    StepStatus,
)

_SWG = frozenset({Role.SECTOR_LEAD, Role.SECRETARIAT})

ACTOR_ROLES: dict[str, frozenset[str]] = {
    # Economic Planning *is* the county's JWP secretariat.
    "County Finance and Economic Planning": frozenset({Role.SECRETARIAT}),
    # The Sector Working Group: the plan's own sector lead, or the secretariat, which
    # convenes every SWG (an SWG is not a role of its own in jwp).
    "Sector Working Group": _SWG,
    "Sector Working Group and Committees": _SWG,
    "Sector Lead and County Finance and Economic Planning": _SWG,
    "County Finance and Economic Planning and Sector Working Group": _SWG,
    "Sector Lead, Sector Working Group": _SWG,
    "Sector Lead with County Finance and Economic Planning": _SWG,
    # The County Executive Committee (CBEF's views are recorded with the CEC's).
    "CEC": frozenset({Role.EXECUTIVE}),
    "CEC and CBEF": frozenset({Role.EXECUTIVE}),
    # The County Assembly: its sectoral committee, or the whole House.
    "Sectoral Committee": frozenset({Role.ASSEMBLY}),
    "Whole House": frozenset({Role.ASSEMBLY}),
    # The public gives its views in a participation window; nobody completes the step
    # for them but the secretariat, on their behalf, once the window has closed.
    "Citizens/CSOs": frozenset(),
}

# A step that, once finished, a reopening of an earlier step must not slip under.
_LOCKING_STEPS = SIGN_OFF_STEPS | {PUBLICATION_STEP}
_NOT_SKIPPABLE = SIGN_OFF_STEPS | {PUBLICATION_STEP}


def actor_roles(step: SectorPlanStep) -> frozenset[str]:
    """The roles that complete a step themselves (see ``ACTOR_ROLES`` for the mapping)."""
    return ACTOR_ROLES[step.specific_actor]


def default_role(step: SectorPlanStep) -> str:
    roles = actor_roles(step)
    for role in (Role.EXECUTIVE, Role.ASSEMBLY, Role.SECTOR_LEAD):
        if role in roles:
            return role
    return Role.SECRETARIAT


def acts_as(membership: Membership, plan_step: PlanStep) -> str | None:
    """'' if the member is the step's actor, the actor's name if the secretariat acts for
    it, None if the member may not act on this step at all."""
    roles = actor_roles(plan_step.step)
    if membership.role in roles and (
        membership.role != Role.SECTOR_LEAD or membership.sector_id == plan_step.plan.sector_id
    ):
        return ""
    if membership.role == Role.SECRETARIAT:
        return plan_step.step.specific_actor
    return None


def _require_actor(membership: Membership, plan_step: PlanStep) -> str:
    membership.check_same_county(plan_step)
    on_behalf = acts_as(membership, plan_step)
    if on_behalf is None:
        raise PermissionDenied(
            _("Step %(n)d is for %(actor)s (or the secretariat on their behalf).")
            % {"n": plan_step.step.number, "actor": plan_step.step.specific_actor}
        )
    return on_behalf


def can_edit_plan(membership: Membership, plan: SectorPlan) -> bool:
    """The secretariat, or the lead of the plan's own sector."""
    if membership.role == Role.SECRETARIAT:
        return True
    return membership.role == Role.SECTOR_LEAD and membership.sector_id == plan.sector_id


def _require_secretariat(membership: Membership) -> None:
    if membership.role != Role.SECRETARIAT:
        raise PermissionDenied(_("Only the JWP secretariat may do this."))


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _snapshot(ps: PlanStep) -> dict:
    return {
        "status": ps.status,
        "skip_reason": ps.skip_reason,
        "planned_start": _iso(ps.planned_start),
        "due_date": _iso(ps.due_date),
        "responsible_role": ps.responsible_role,
        "responsible_organization": ps.responsible_organization_id,
        "notes": ps.notes,
        "completed_by": ps.completed_by_id,
        "completed_at": _iso(ps.completed_at),
        "on_behalf_of": ps.on_behalf_of,
    }


def _record(*, plan: SectorPlan, actor, verb: str, target, summary: str, **data) -> None:
    """Every sector-plan event carries its plan's id, so the plan page can show its trail."""
    audit.record(
        county=plan.county,
        actor=actor,
        verb=verb,
        target=target,
        summary=summary,
        data={"plan": plan.pk, **data},
    )


def _record_step(ps: PlanStep, actor, verb: str, summary: str, before: dict, **data) -> None:
    _record(
        plan=ps.plan,
        actor=actor,
        verb=verb,
        target=ps,
        summary=f"Step {ps.step.number}: {summary}",
        step=ps.step.number,
        before=before,
        after=_snapshot(ps),
        **data,
    )


# --- plans --------------------------------------------------------------------


def sector_plan_create(
    *,
    county: County,
    membership: Membership,
    sector: Sector,
    period_start: int,
    title: str,
    lead=None,
    revision_of: SectorPlan | None = None,
    revision_kind: str = RevisionKind.ORIGINAL,
    version: int = 1,
) -> SectorPlan:
    """Start a five-year sector plan (aligned to the CIDP) with its 47 step records."""
    membership.check_same_county(county)
    sector.check_same_county(county)
    if membership.role != Role.SECRETARIAT and not (
        membership.role == Role.SECTOR_LEAD and membership.sector_id == sector.pk
    ):
        raise PermissionDenied(_("Only the secretariat or this sector's lead starts its plan."))
    if lead is not None and not Membership.objects.for_county(county).filter(user=lead).exists():
        raise ValidationError({"lead": _("The lead must be a member of this county.")})
    if (
        SectorPlan.objects.for_county(county)
        .filter(sector=sector, period_start=period_start, version=version)
        .exists()
    ):
        raise ValidationError(
            {"period_start": _("This sector already has a plan for this period.")}
        )
    with transaction.atomic():
        plan = SectorPlan(
            county=county,
            sector=sector,
            period_start=period_start,
            period_end=period_start + 4,
            version=version,
            title=title.strip(),
            lead=lead,
            revision_of=revision_of,
            revision_kind=revision_kind,
            created_by=membership.user,
        )
        plan.full_clean(exclude=["county", "sector", "lead", "revision_of", "created_by"])
        plan.save()
        PlanStep.objects.bulk_create(
            PlanStep(county=county, plan=plan, step=step, responsible_role=default_role(step))
            for step in SectorPlanStep.objects.all()
        )
        _record(
            plan=plan,
            actor=membership.user,
            verb="sectorplan.create",
            target=plan,
            summary=f"Started the sector plan {plan.title} ({plan.period_label})",
            after={"sector": sector.pk, "period": plan.period_label, "version": version},
        )
    return plan


def sector_plan_revise(
    *, plan: SectorPlan, membership: Membership, kind: str, title: str = ""
) -> SectorPlan:
    """A yearly update (same period, next version) or the five-year review (next period)
    of an approved plan, starting from its documents."""
    if kind not in (RevisionKind.YEARLY, RevisionKind.FIVE_YEAR):
        raise ValidationError({"kind": _("Choose a yearly update or a five-year review.")})
    if plan.status == PlanStatus.PREPARING:
        raise ValidationError(_("Only an approved plan is revised; finish this one first."))
    siblings = SectorPlan.objects.for_county(plan.county_id).filter(sector=plan.sector_id)
    period_start = plan.period_start if kind == RevisionKind.YEARLY else plan.period_end + 1
    latest = siblings.filter(period_start=period_start).aggregate(v=Max("version"))["v"]
    version = (latest or 0) + 1
    if kind == RevisionKind.YEARLY:
        default_title = _("%(title)s — yearly update %(v)d") % {"title": plan.title, "v": version}
    else:
        default_title = _("%(sector)s sector plan %(a)d–%(b)d") % {
            "sector": plan.sector.name,
            "a": period_start,
            "b": period_start + 4,
        }
    with transaction.atomic():
        revision = sector_plan_create(
            county=plan.county,
            membership=membership,
            sector=plan.sector,
            period_start=period_start,
            title=title or default_title,
            lead=plan.lead,
            revision_of=plan,
            revision_kind=kind,
            version=version,
        )
        steps = {ps.step.number: ps for ps in revision.steps.select_related("step")}
        carried = [
            PlanDocument(
                county=plan.county,
                plan=revision,
                plan_step=steps.get(doc.plan_step.step.number) if doc.plan_step_id else None,
                kind=doc.kind,
                title=doc.title,
                version=doc.version,
                file=doc.file.name,
                file_kind=doc.file_kind,
                size=doc.size,
                is_public=False,
                carried_from=doc,
                uploaded_by=doc.uploaded_by,
                uploaded_at=doc.uploaded_at,
            )
            for doc in plan.documents.select_related("plan_step__step")
        ]
        PlanDocument.objects.bulk_create(carried)
        _record(
            plan=revision,
            actor=membership.user,
            verb="sectorplan.revise",
            target=revision,
            summary=f"Started {revision.get_revision_kind_display()} of {plan.title}"
            f" ({len(carried)} documents carried forward)",
            after={"revision_of": plan.pk, "kind": kind, "documents": len(carried)},
        )
    return revision


def plan_lay_out(*, plan: SectorPlan, membership: Membership, start: date) -> int:
    """Secretariat: plan every unfinished step from ``start`` with the default durations.

    Unfinished steps follow each other from ``start``; public input runs alongside the
    step that opened its window. Finished steps keep their dates and take no time.
    Returns how many steps were planned."""
    _require_secretariat(membership)
    membership.check_same_county(plan)
    steps = list(plan.steps.select_related("step").order_by("step__number"))
    cursor, previous_start, changed = start, start, []
    for ps in steps:
        if ps.is_finished:
            continue
        begin = previous_start if ps.step.alongside_previous else cursor
        due = begin + timedelta(days=ps.step.default_days)
        previous_start, cursor = begin, max(cursor, due)
        ps.planned_start, ps.due_date = begin, due
        changed.append(ps)
    with transaction.atomic():
        PlanStep.objects.for_county(plan.county_id).bulk_update(
            changed, ["planned_start", "due_date"]
        )
        _record(
            plan=plan,
            actor=membership.user,
            verb="sectorplan.lay_out",
            target=plan,
            summary=f"Laid out {len(changed)} steps from {start:%d %b %Y} to {cursor:%d %b %Y}",
            after={"start": start.isoformat(), "end": cursor.isoformat(), "steps": len(changed)},
        )
    return len(changed)


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


# --- public participation -----------------------------------------------------


def participation_window_open(
    *,
    plan_step: PlanStep,
    membership: Membership,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    invitation: str = "",
) -> ParticipationWindow:
    """Open (or re-date) the window of an invite step; the step is then in progress."""
    if not plan_step.step.opens_window:
        raise ValidationError(_("This step does not invite public views."))
    _require_actor(membership, plan_step)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The window must close after it opens.")})
    window = _window_of(plan_step)
    before = (
        {"opens_at": _iso(window.opens_at), "closes_at": _iso(window.closes_at)} if window else None
    )
    with transaction.atomic():
        window = window or ParticipationWindow(
            county=plan_step.county, plan=plan_step.plan, plan_step=plan_step
        )
        window.title, window.invitation = title.strip(), invitation.strip()
        window.opens_at, window.closes_at = opens_at, closes_at
        window.opened_by = window.opened_by or membership.user
        window.save()
        if plan_step.status == StepStatus.NOT_STARTED:
            plan_step.status = StepStatus.IN_PROGRESS
            plan_step.save(update_fields=["status"])
        _record(
            plan=plan_step.plan,
            actor=membership.user,
            verb="window.update" if before else "window.open",
            target=window,
            summary=f"Step {plan_step.step.number}: participation window "
            f"{timezone.localtime(opens_at):%d %b %Y} – {timezone.localtime(closes_at):%d %b %Y}",
            step=plan_step.step.number,
            before=before,
            after={"opens_at": _iso(opens_at), "closes_at": _iso(closes_at)},
        )
    return window


def participation_window_close(
    *, window: ParticipationWindow, membership: Membership, now: datetime | None = None
) -> ParticipationWindow:
    """Close an open window now (the hearings are over early)."""
    now = now or timezone.now()
    if not window.is_open(now):
        raise ValidationError(_("This window is not open."))
    return participation_window_open(
        plan_step=window.plan_step,
        membership=membership,
        title=window.title,
        invitation=window.invitation,
        opens_at=window.opens_at,
        closes_at=now,
    )


def _clean_text(value: str, limit: int) -> str:
    """Plain text: control characters out (newlines kept), trimmed to the limit."""
    kept = "".join(ch for ch in value if ch in "\n\t" or ch.isprintable())
    return kept.replace("\r\n", "\n").strip()[:limit]


def public_comment_submit(
    *,
    window: ParticipationWindow,
    topic: str,
    body: str,
    name: str = "",
    organization: str = "",
    ward: Ward | None = None,
    now: datetime | None = None,
) -> PublicComment:
    """Anyone may comment while the window is open; comments wait for moderation."""
    now = now or timezone.now()
    if now < window.opens_at:
        raise ValidationError(
            _("Comments open on %(when)s.")
            % {"when": timezone.localtime(window.opens_at).strftime("%d %b %Y %H:%M")}
        )
    if window.has_closed(now):
        raise ValidationError(
            _("This participation window closed on %(when)s; comments are no longer taken.")
            % {"when": timezone.localtime(window.closes_at).strftime("%d %b %Y %H:%M")}
        )
    if ward is not None and ward.county_id != window.county_id:
        raise ValidationError({"ward": _("Choose a ward of this county.")})
    body = _clean_text(body, COMMENT_MAX_LENGTH + 1)
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": _("Keep the comment under %(n)d characters.") % {"n": COMMENT_MAX_LENGTH}}
        )
    if not body or not topic.strip():
        raise ValidationError(_("Give a topic and a comment."))
    with transaction.atomic():
        comment = PublicComment.objects.create(
            county=window.county,
            window=window,
            name=_clean_text(name, 120),
            organization=_clean_text(organization, 200),
            ward=ward,
            topic=_clean_text(topic, 200),
            body=body,
            submitted_at=now,
        )
        _record(
            plan=window.plan,
            actor=None,
            verb="comment.submit",
            target=comment,
            summary=f"Public comment received on {window.title}",
            window=window.pk,
        )
    return comment


def _require_window_actor(membership: Membership, window: ParticipationWindow) -> None:
    if acts_as(membership, window.plan_step) is None:
        raise PermissionDenied(
            _("The working group that opened this window (or the secretariat) does this.")
        )


def public_comment_moderate(
    *, comment: PublicComment, membership: Membership, accept: bool
) -> PublicComment:
    """Accept a comment (shown publicly, then answered) or reject it (spam, abuse)."""
    membership.check_same_county(comment)
    _require_window_actor(membership, comment.window)
    before = comment.moderation
    with transaction.atomic():
        comment.moderation = Moderation.ACCEPTED if accept else Moderation.REJECTED
        comment.moderated_by, comment.moderated_at = membership.user, timezone.now()
        comment.save(update_fields=["moderation", "moderated_by", "moderated_at"])
        _record(
            plan=comment.window.plan,
            actor=membership.user,
            verb="comment.moderate",
            target=comment,
            summary=f"Comment {comment.pk} {comment.moderation}",
            before={"moderation": before},
            after={"moderation": comment.moderation},
        )
    return comment


def public_comment_respond(
    *,
    comment: PublicComment,
    membership: Membership,
    response: str,
    reason: str,
    now: datetime | None = None,
) -> PublicComment:
    """After the window closes, say what became of an accepted comment, and why."""
    membership.check_same_county(comment)
    _require_window_actor(membership, comment.window)
    if not comment.window.has_closed(now):
        raise ValidationError(_("Responses are recorded once the window has closed."))
    if comment.moderation != Moderation.ACCEPTED:
        raise ValidationError(_("Only accepted comments get a response."))
    if response not in Response.values:
        raise ValidationError({"response": _("Choose a response.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say what was done with the comment, and why.")})
    before = {"response": comment.response, "reason": comment.response_reason}
    with transaction.atomic():
        comment.response, comment.response_reason = response, reason.strip()
        comment.responded_by, comment.responded_at = membership.user, now or timezone.now()
        comment.save(update_fields=["response", "response_reason", "responded_by", "responded_at"])
        _record(
            plan=comment.window.plan,
            actor=membership.user,
            verb="comment.respond",
            target=comment,
            summary=f"Responded to comment {comment.pk}: {comment.get_response_display()}",
            before=before,
            after={"response": response, "reason": comment.response_reason},
        )
    return comment


# --- documents ----------------------------------------------------------------


def plan_document_upload(
    *,
    plan: SectorPlan,
    membership: Membership,
    upload,
    kind: str,
    title: str,
    plan_step: PlanStep | None = None,
    is_public: bool = False,
) -> PlanDocument:
    """A new version of one of the plan's documents (PDF, DOCX or XLSX, checked by content).

    Tied to a step: that step's actor (or the secretariat). Otherwise: the plan's editors."""
    membership.check_same_county(plan)
    if plan_step is not None:
        plan.check_same_county(plan_step)
        if plan_step.plan_id != plan.pk:
            raise ValidationError({"plan_step": _("Choose a step of this plan.")})
        _require_actor(membership, plan_step)
    elif not can_edit_plan(membership, plan):
        raise PermissionDenied(_("Only the secretariat or the sector lead adds documents."))
    try:
        file_kind = validate_document(upload)
    except ValidationError as exc:
        raise ValidationError({"upload": exc.messages}) from exc
    with transaction.atomic():
        latest = (
            PlanDocument.objects.for_county(plan.county_id)
            .filter(plan=plan, kind=kind)
            .select_for_update()
            .aggregate(v=Max("version"))["v"]
        )
        document = PlanDocument(
            county=plan.county,
            plan=plan,
            plan_step=plan_step,
            kind=kind,
            title=title.strip(),
            version=(latest or 0) + 1,
            file_kind=file_kind,
            size=upload.size,
            is_public=is_public,
            uploaded_by=membership.user,
        )
        document.file.save(upload.name, upload, save=False)
        document.full_clean(exclude=["county", "plan", "plan_step", "uploaded_by", "file"])
        document.save()
        _record(
            plan=plan,
            actor=membership.user,
            verb="document.upload",
            target=document,
            summary=f"Uploaded {document.title} v{document.version}"
            + (f" (step {plan_step.step.number})" if plan_step else ""),
            after={"kind": kind, "version": document.version, "public": is_public},
        )
    return document
