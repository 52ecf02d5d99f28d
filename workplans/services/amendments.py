"""Amendments: a signed plan changes only by a new version (sections 1–3, 6, 7, 9 and
the cost-share copied; the Changes tab reads which activity became which)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership
from workplans.models import (
    ActivitySupporter,
    ActivityWard,
    Annex,
    JointActivity,
    JointWorkPlan,
    Objective,
    PlanPartner,
    PlanStatus,
    ReviewMilestone,
    Risk,
)
from workplans.services import budget as budget_services
from workplans.services import overlaps as overlap_services
from workplans.services.rules import record, require_secretariat


def _copy(model, rows, **overrides) -> dict[int, object]:
    """Copy rows (without their pk), returning {old pk: new row}."""
    mapping = {}
    for row in rows:
        old_pk = row.pk
        row.pk = row.id = None
        row._state.adding = True
        for name, value in overrides.items():
            setattr(row, name, value(row) if callable(value) else value)
        row.save()
        mapping[old_pk] = row
    return mapping


def workplan_amend(*, plan: JointWorkPlan, membership: Membership) -> JointWorkPlan:
    """A signed plan changes only by a new version that copies its sections 1–3, 6, 7, 9
    (annexes share the stored file) and, through the budget service, its cost-share."""
    membership.check_same_county(plan)
    require_secretariat(membership)
    if not plan.is_locked:
        raise ValidationError(_("Only a signed plan is amended; change this one directly."))
    county_id = plan.county_id
    if (
        JointWorkPlan.objects.for_county(county_id)
        .filter(fiscal_year=plan.fiscal_year, version__gt=plan.version)
        .exists()
    ):
        raise ValidationError(_("This plan already has a newer version; amend that one."))
    with transaction.atomic():
        old_pk = plan.pk
        old = JointWorkPlan.objects.for_county(county_id).get(pk=old_pk)
        new = _copy(
            JointWorkPlan,
            [JointWorkPlan.objects.for_county(county_id).get(pk=old_pk)],
            version=old.version + 1,
            amends=old,
            status=PlanStatus.DRAFT,
            status_changed_at=None,
            locked_at=None,
            row_version=1,
            created_by=membership.user,
            created_at=timezone.now(),
        )[old_pk]
        for link in PlanPartner.objects.for_county(county_id).filter(plan=old):
            PlanPartner.objects.create(
                county_id=county_id, plan=new, organization_id=link.organization_id
            )
        objectives = _copy(
            Objective, Objective.objects.for_county(county_id).filter(plan=old), plan=new
        )
        activities = _copy(
            JointActivity,
            JointActivity.objects.for_county(county_id).filter(plan=old),
            plan=new,
            row_version=1,
            objective=lambda a: objectives[a.objective_id] if a.objective_id else None,
        )
        for through, field in ((ActivityWard, "ward_id"), (ActivitySupporter, "organization_id")):
            through.objects.bulk_create(
                through(
                    county_id=county_id,
                    activity=activities[link.activity_id],
                    **{field: getattr(link, field)},
                )
                for link in through.objects.for_county(county_id).filter(activity__plan=old)
            )
        _copy(Risk, Risk.objects.for_county(county_id).filter(plan=old), plan=new)
        _copy(
            ReviewMilestone,
            ReviewMilestone.objects.for_county(county_id).filter(plan=old),
            plan=new,
        )
        _copy(Annex, Annex.objects.for_county(county_id).filter(plan=old), plan=new)
        budget_services.copy_budget(old_plan=old, new_plan=new, activity_map=activities)
        overlap_services.refresh_overlaps(plan=new)
        # The differences view reads which activity became which from this record.
        record(
            plan=new,
            actor=membership.user,
            verb="workplan.amend",
            target=new,
            summary=f"Amendment started: version {new.version}",
            amends=old.pk,
            activity_map={str(k): a.pk for k, a in activities.items()},
        )
    return new
