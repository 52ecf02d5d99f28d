"""Rules shared by every part of a joint work plan (sections, budget, overlaps)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from counties.models import Membership
from jwp import audit
from jwp.roles import Role
from workplans.models import JointWorkPlan, PlanStatus

# From the County Executive Committee's approval the plan is what gets signed:
# nothing changes any more; after signing only an amendment does.
FROZEN = frozenset({PlanStatus.CEC_APPROVED, PlanStatus.SIGNED})


class EditConflict(Exception):
    """Someone saved the row since the user opened it; ``current`` is the row now."""

    def __init__(self, current):
        super().__init__(
            _(
                "Someone else saved this while you were editing it. Their version is shown "
                "next to yours; nothing was overwritten. Check the values and save again."
            )
        )
        self.current = current


def is_editable(plan: JointWorkPlan) -> bool:
    return plan.status not in FROZEN and not plan.is_locked


def require_editable(plan: JointWorkPlan) -> None:
    """Every write to a plan or its parts calls this first (budget and overlaps too)."""
    if plan.is_locked:
        raise ValidationError(_("This plan is signed and locked. Start an amendment to change it."))
    if plan.status in FROZEN:
        raise ValidationError(
            _(
                "The County Executive Committee has approved this plan; it can no longer be "
                "changed. Once it is signed, start an amendment."
            )
        )


def require_secretariat(membership: Membership) -> None:
    if membership.role != Role.SECRETARIAT:
        raise PermissionDenied(_("Only the JWP secretariat may do this."))


def record(*, plan: JointWorkPlan, actor, verb: str, target, summary: str, **data) -> None:
    """The audit trail of a plan: every event carries the plan's id."""
    audit.record(
        county=plan.county,
        actor=actor,
        verb=verb,
        target=target,
        summary=summary,
        data={"workplan": plan.pk, **data},
    )
