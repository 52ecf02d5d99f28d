"""Writes and rules of the sector plan workflow. One place per rule.

Who may complete a step is read from the step's *specific actor* in the seed table
(``ACTOR_ROLES``); the secretariat may act for anyone, and is then recorded as acting
on the actor's behalf. Rules that refuse raise ``PermissionDenied`` (wrong person:
403) or ``ValidationError`` with a message that says what to do (wrong moment: 400).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from counties.models import Membership, OfficeKind
from counties.offices import office_holder, offices_held
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


# Steps the manual binds to a named office of the plan's sector (DESIGN.md, Offices).
# The CEC member responsible for the sector gives the CEC's comments (11, 22, 32) and
# signs off the phases (15, 28); the chair of the Assembly's sectoral committee records
# what the committee said or decided (27, 35, 41, 43). Every other step keeps the role
# rule of ``ACTOR_ROLES``: the Sector Working Group and Economic Planning are not
# offices, and the whole House (46) has no office in jwp.
STEP_OFFICES: dict[int, str] = {
    **dict.fromkeys((11, 22, 32, 15, 28), OfficeKind.CEC_SECTOR),
    **dict.fromkeys((27, 35, 41, 43), OfficeKind.ASSEMBLY_CHAIR),
}
# A sign-off is the office holder's own act: nobody signs it on their behalf.
HOLDER_ONLY = frozenset(n for n in SIGN_OFF_STEPS if n in STEP_OFFICES)

# (office kind, sector id) pairs a member holds on a day; see ``held_offices``.
Held = frozenset[tuple[str, int | None]]


def held_offices(membership: Membership, on: date | None = None) -> Held:
    """The offices the member holds on ``on`` (one query; pass it on to ``acts_as``)."""
    return frozenset(
        (h.office.kind, h.office.sector_id)
        for h in offices_held(user=membership.user_id, county=membership.county_id, on=on)
    )


def step_office(plan_step: PlanStep) -> str | None:
    return STEP_OFFICES.get(plan_step.step.number)


def actor_label(plan_step: PlanStep) -> str:
    """Who the step is for, in words: the office of the plan's sector, or the seed's actor."""
    kind = step_office(plan_step)
    if kind is None:
        return plan_step.step.specific_actor
    return f"{OfficeKind(kind).label} ({plan_step.plan.sector.name})"


def actor_roles(step: SectorPlanStep) -> frozenset[str]:
    """The roles that complete a step themselves (see ``ACTOR_ROLES`` for the mapping)."""
    return ACTOR_ROLES[step.specific_actor]


def default_role(step: SectorPlanStep) -> str:
    roles = actor_roles(step)
    for role in (Role.EXECUTIVE, Role.ASSEMBLY, Role.SECTOR_LEAD):
        if role in roles:
            return role
    return Role.SECRETARIAT


def acts_as(
    membership: Membership, plan_step: PlanStep, *, held: Held | None = None, on=None
) -> str | None:
    """'' if the member is the step's actor, the actor's name if the secretariat acts for
    it, None if the member may not act on this step at all.

    A step bound to an office (``STEP_OFFICES``) is the holder's on the day ``on``
    (today); ``held`` is the member's ``held_offices`` when the caller already has it."""
    kind = step_office(plan_step)
    if kind is not None:
        if held is None:
            held = held_offices(membership, on)
        if (kind, plan_step.plan.sector_id) in held:
            return ""
    else:
        roles = actor_roles(plan_step.step)
        if membership.role in roles and (
            membership.role != Role.SECTOR_LEAD or membership.sector_id == plan_step.plan.sector_id
        ):
            return ""
    if membership.role == Role.SECRETARIAT and plan_step.step.number not in HOLDER_ONLY:
        return actor_label(plan_step)
    return None


def _require_actor(membership: Membership, plan_step: PlanStep, *, on=None) -> str:
    membership.check_same_county(plan_step)
    on_behalf = acts_as(membership, plan_step, on=on)
    if on_behalf is None:
        if plan_step.step.number in HOLDER_ONLY:
            message = _("Step %(n)d is signed off by the %(actor)s in office on the day.")
        else:
            message = _("Step %(n)d is for %(actor)s (or the secretariat on their behalf).")
        raise PermissionDenied(
            message % {"n": plan_step.step.number, "actor": actor_label(plan_step)}
        )
    return on_behalf


def step_actors(plan_step: PlanStep, *, on: date | None = None) -> list:
    """The users who act on a step themselves (not the secretariat on their behalf, unless
    the step is the secretariat's): the office holder of a bound step, else the members
    of its role (a sector lead only of the plan's sector). Whom to tell it is their turn."""
    plan = plan_step.plan
    kind = step_office(plan_step)
    if kind is not None:
        holding = office_holder(county=plan_step.county_id, kind=kind, sector=plan.sector_id, on=on)
        return [holding.user] if holding else []
    roles = actor_roles(plan_step.step) or frozenset({Role.SECRETARIAT})
    own_sector = ~Q(role=Role.SECTOR_LEAD) | Q(sector_id=plan.sector_id)
    members = Membership.objects.for_county(plan_step.county_id).filter(own_sector, role__in=roles)
    return [m.user for m in members.select_related("user")]


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
