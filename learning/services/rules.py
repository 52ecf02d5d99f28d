"""Who may do what in the learning area, the audit helper and stale-edit protection.

- The JWP secretariat manages everything: sessions, briefs, visits (and their
  follow-up actions), evaluations, recommendations and the close-out.
- Sector leads and partners contribute for what they take part in:
  * a lesson on a plan: a partner whose organization takes part in the plan (lead
    agency, plan partner, or lead/supporter of one of its activities); a sector
    lead on any plan of the county, but the lesson must be tagged with their
    sector. They may edit the lessons they wrote;
  * findings and photos of a joint monitoring visit: a partner whose organization
    took part in the visit; a sector lead whose sector the visit covered.
- Everyone in the county reads.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils.translation import gettext as _

from counties.models import Membership
from jwp import audit
from jwp.roles import Role
from workplans.models import ActivitySupporter, JointActivity, JointWorkPlan, PlanPartner
from workplans.services.rules import EditConflict


def is_secretariat(membership: Membership) -> bool:
    return membership.role == Role.SECRETARIAT


def require_secretariat(membership: Membership) -> None:
    if not is_secretariat(membership):
        raise PermissionDenied(_("Only the JWP secretariat may do this."))


def takes_part_in_plan(membership: Membership, plan: JointWorkPlan) -> bool:
    """The partner's organization is the lead agency, a plan partner or in an activity."""
    org_id = membership.organization_id
    if org_id is None:
        return False
    if plan.lead_agency_id == org_id:
        return True
    county = plan.county_id
    if PlanPartner.objects.for_county(county).filter(plan=plan, organization_id=org_id).exists():
        return True
    if (
        JointActivity.objects.for_county(county)
        .filter(plan=plan, lead_organization_id=org_id)
        .exists()
    ):
        return True
    return (
        ActivitySupporter.objects.for_county(county)
        .filter(activity__plan=plan, organization_id=org_id)
        .exists()
    )


def can_add_lesson(membership: Membership, plan: JointWorkPlan) -> bool:
    if membership.role in (Role.SECRETARIAT, Role.SECTOR_LEAD):
        return True
    return membership.role == Role.PARTNER and takes_part_in_plan(membership, plan)


def can_edit_lesson(membership: Membership, lesson) -> bool:
    if is_secretariat(membership):
        return True
    return lesson.created_by_id == membership.user_id and can_add_lesson(membership, lesson.plan)


def can_contribute_to_visit(
    membership: Membership, visit, *, organization_ids=None, sector_ids=None
) -> bool:
    """Add findings and photos. Pass the visit's ids when already loaded (list pages)."""
    if is_secretariat(membership):
        return True
    if membership.role == Role.PARTNER:
        if organization_ids is None:
            organization_ids = set(visit.organizations.values_list("pk", flat=True))
        return membership.organization_id in organization_ids
    if membership.role == Role.SECTOR_LEAD:
        if sector_ids is None:
            sector_ids = set(visit.sectors.values_list("pk", flat=True))
        return membership.sector_id in sector_ids
    return False


def record(obj, membership: Membership, verb: str, summary: str, **data) -> None:
    plan_id = getattr(obj, "plan_id", None)
    audit.record(
        county=obj.county,
        actor=membership.user,
        verb=verb,
        target=obj,
        summary=summary,
        data={
            **({"workplan": plan_id} if plan_id else {}),
            **{k: str(v) if v is not None else None for k, v in data.items()},
        },
    )


def bump(obj, row_version: int | None, **fields) -> None:
    """Save ``fields`` only if nobody saved since ``row_version`` (None: the loaded one)."""
    model = type(obj)
    seen = obj.row_version if row_version is None else row_version
    updated = (
        model.objects.for_county(obj.county_id)
        .filter(pk=obj.pk, row_version=seen)
        .update(row_version=F("row_version") + 1, **fields)
    )
    if not updated:
        raise EditConflict(model.objects.for_county(obj.county_id).filter(pk=obj.pk).first())
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.row_version = seen + 1
