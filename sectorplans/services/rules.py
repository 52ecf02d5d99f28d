"""Writes and rules of the sector plan workflow. One place per rule.

Who may complete a step is read from the step's *specific actor* in the seed table
(``ACTOR_ROLES``); the secretariat may act for anyone, and is then recorded as acting
on the actor's behalf. Rules that refuse raise ``PermissionDenied`` (wrong person:
403) or ``ValidationError`` with a message that says what to do (wrong moment: 400).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from counties.models import Membership
from jwp import audit
from jwp.roles import Role
from sectorplans.models import (
    PUBLICATION_STEP,
    SIGN_OFF_STEPS,
    PlanStep,
    SectorPlan,
    SectorPlanStep,
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
