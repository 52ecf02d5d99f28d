"""Sector-plan steps waiting for a member (``notifications.waiting``).

A step waits for a member when they act on it themselves — they hold the office the
step is bound to (``STEP_OFFICES``) for the plan's sector, or their role is the step's
actor (a sector lead only for their own sector) — and it is their turn: every earlier
step is done or skipped, or the step is overdue. Two queries: the member's offices
and the steps.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from jwp.roles import Role
from notifications.waiting import WaitingItem, waiting_provider
from sectorplans.models import FINISHED, PlanStatus, PlanStep
from sectorplans.services.rules import ACTOR_ROLES, STEP_OFFICES, held_offices

_SHOWN = 20  # a plan far behind its timeline would otherwise list every overdue step


def _own_steps(membership) -> Q | None:
    """The steps the member acts on themselves (not on someone's behalf)."""
    own = Q()
    for kind, sector_id in held_offices(membership):
        numbers = [n for n, k in STEP_OFFICES.items() if k == kind]
        if numbers:
            own |= Q(step__number__in=numbers, plan__sector_id=sector_id)
    actors = [actor for actor, roles in ACTOR_ROLES.items() if membership.role in roles]
    if membership.role == Role.SECRETARIAT:
        actors += [actor for actor, roles in ACTOR_ROLES.items() if not roles]
    if actors:
        by_role = Q(step__specific_actor__in=actors) & ~Q(step__number__in=list(STEP_OFFICES))
        if membership.role == Role.SECTOR_LEAD:
            by_role &= Q(plan__sector_id=membership.sector_id)
        own |= by_role
    return own or None


@waiting_provider
def sector_plan_steps(membership, today: date) -> Iterable[WaitingItem]:
    own = _own_steps(membership)
    if own is None:
        return []
    unfinished = PlanStep.objects.filter(plan=OuterRef("plan")).exclude(status__in=FINISHED)
    last_finished = PlanStep.objects.filter(
        plan=OuterRef("plan"), status__in=FINISHED, step__number__lt=OuterRef("step__number")
    )
    steps = (
        PlanStep.objects.for_county(membership.county_id)
        .filter(own, plan__status__in=(PlanStatus.PREPARING, PlanStatus.APPROVED))
        .exclude(status__in=FINISHED)
        .annotate(
            first_open=Subquery(unfinished.order_by("step__number").values("step__number")[:1]),
            since=Subquery(last_finished.order_by("-completed_at").values("completed_at")[:1]),
        )
        .filter(Q(step__number=F("first_open")) | Q(due_date__lt=today))
        .select_related("step", "plan", "plan__county")
        .order_by("due_date", "plan_id", "step__number")[:_SHOWN]
    )
    items = []
    for ps in steps:
        plan, number = ps.plan, ps.step.number
        overdue = ps.due_date is not None and ps.due_date < today
        why = (
            _("Overdue since %(day)s.") % {"day": f"{ps.due_date:%d %b %Y}"}
            if overdue
            else _("Every earlier step is done; this step is yours.")
        )
        items.append(
            WaitingItem(
                key=f"sectorplan:{plan.pk}:step:{number}",
                title=_("%(plan)s — step %(n)d: %(what)s")
                % {"plan": plan.title, "n": number, "what": ps.step.description},
                why=why,
                url=reverse(
                    "sectorplans:step",
                    kwargs={"county_slug": plan.county.slug, "plan_id": plan.pk, "number": number},
                ),
                since=ps.due_date if overdue else ps.since,
                area=_("Sector plans"),
            )
        )
    return items
