"""What waits for a member in the plan's approval: the TWG review they chair, the CEC
approval they record, a signature slot of an office they hold, a returned plan for the
secretariat. Three queries whatever the number of plans."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from counties.models import OfficeKind
from counties.offices import offices_held
from jwp.roles import Role
from notifications.waiting import WaitingItem, waiting_provider
from workplans.models import (
    DecisionOutcome,
    JointWorkPlan,
    PlanDecision,
    PlanStatus,
    PlanStep,
    Signature,
)

AREA = gettext_lazy("Joint work plan")
# The office that takes the step waiting at a status.
OFFICE_STEPS = {
    OfficeKind.TWG_CHAIR: (
        PlanStatus.CONSOLIDATED,
        PlanStep.TWG_REVIEW,
        gettext_lazy("You chair the TWG; the plan was consolidated and waits for its review."),
    ),
    OfficeKind.CEC_FINANCE: (
        PlanStatus.TWG_REVIEWED,
        PlanStep.CEC_APPROVAL,
        gettext_lazy("You are the CEC Member for Finance; the TWG endorsed the plan."),
    ),
}


def _step_url(county, plan_id: int, step: str) -> str:
    return reverse("workplans:plan_step", args=[county.slug, plan_id, step])


@waiting_provider
def plans_waiting(membership, today) -> Iterator[WaitingItem]:
    county = membership.county
    held = offices_held(user=membership.user, county=county, on=today)
    kinds = {h.office.kind for h in held}
    steps = {OFFICE_STEPS[k][0]: k for k in kinds if k in OFFICE_STEPS}
    if steps:
        for plan in JointWorkPlan.objects.for_county(county).filter(status__in=steps):
            _status, step, why = OFFICE_STEPS[steps[plan.status]]
            yield WaitingItem(
                key=f"workplan:{plan.pk}:{step}",
                title=str(plan),
                why=str(why),
                url=_step_url(county, plan.pk, step),
                since=plan.status_changed_at,
                area=str(AREA),
            )
    if held:
        slots = (
            Signature.objects.for_county(county)
            .filter(
                office_id__in=[h.office_id for h in held],
                signed_at__isnull=True,
                plan__status=PlanStatus.CEC_APPROVED,
            )
            .select_related("plan", "office__organization")
        )
        for slot in slots:
            yield WaitingItem(
                key=f"workplan:{slot.plan_id}:signature:{slot.pk}",
                title=str(slot.plan),
                why=_("The CEC approved the plan; you sign it as %(office)s.")
                % {"office": slot.office.title},
                url=_step_url(county, slot.plan_id, PlanStep.SIGNING),
                since=slot.plan.status_changed_at,
                area=str(AREA),
            )
    if membership.role == Role.SECRETARIAT:
        returned = (
            PlanDecision.objects.for_county(county)
            .filter(
                outcome=DecisionOutcome.RETURNED,
                to_status=PlanStatus.CO_CREATION,
                plan__status=PlanStatus.CO_CREATION,
            )
            .select_related("plan", "by")
            .order_by("plan_id", "-created_at")
        )
        seen = set()
        for decision in returned:
            if decision.plan_id in seen:
                continue
            seen.add(decision.plan_id)
            yield WaitingItem(
                key=f"workplan:{decision.plan_id}:returned",
                title=str(decision.plan),
                why=_("Returned to co-creation by %(name)s: %(reason)s")
                % {"name": decision.by, "reason": decision.comments},
                url=_step_url(county, decision.plan_id, PlanStep.CONSOLIDATE),
                since=decision.created_at,
                area=str(AREA),
            )
