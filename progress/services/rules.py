"""Who may do what in progress reporting, and the stale-edit guard every write uses.

- Activity progress and expenditure: the JWP secretariat, or a partner whose
  organization leads or supports the activity (expenditure also: the budget line's
  contributor). Nobody else — sector leads, the executive, the assembly and observers
  read.
- Stakeholder feedback: any member who may comment (every role but observer).
- Adaptation items: the secretariat; the responsible organization's partners and the
  responsible person update progress on their own items.
- Progress reports are prepared by the JWP Secretariat, reviewed by the TWG, and
  shared with all stakeholders (manual §4.4 step 2). jwp.roles has no TWG role: the
  TWG is a coordination structure of the plan's cycle (counties.CoordinationStructure,
  kind "twg"). So:
    * drafts and reports in review are seen by the secretariat, the executive and
      sector leads (the county officers who sit on the TWG) and by any member who is
      a platform-user member of the plan's TWG for that cycle (e.g. a partner's
      representative on the TWG);
    * the TWG review is recorded by a TWG member, or by the secretariat on the TWG's
      behalf (it minutes the TWG meeting), with the reviewer, the date and comments;
    * a shared report is seen by every member of the county, partners, the assembly
      and observers included.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from counties.models import CoordinationStructure, Membership, StructureKind, StructureMember
from jwp import audit
from jwp.roles import Capability, Role, role_can
from workplans.services.rules import EditConflict

DRAFT_READERS = frozenset({Role.SECRETARIAT, Role.EXECUTIVE, Role.SECTOR_LEAD})


def is_secretariat(membership: Membership) -> bool:
    return membership.role == Role.SECRETARIAT


def require_secretariat(membership: Membership) -> None:
    if not is_secretariat(membership):
        raise PermissionDenied(_("Only the JWP secretariat may do this."))


def can_report_activity(membership: Membership, activity, supporter_ids=None) -> bool:
    """Secretariat, or a partner of the lead or a supporting organization.

    ``supporter_ids`` (organization ids) saves a query when the caller has them."""
    if is_secretariat(membership):
        return True
    if membership.role != Role.PARTNER or membership.organization_id is None:
        return False
    if membership.organization_id == activity.lead_organization_id:
        return True
    if supporter_ids is None:
        from workplans.models import ActivitySupporter

        return (
            ActivitySupporter.objects.for_county(activity.county_id)
            .filter(activity=activity, organization_id=membership.organization_id)
            .exists()
        )
    return membership.organization_id in supporter_ids


def can_record_expenditure(membership: Membership, line, activity, supporter_ids=None) -> bool:
    if (
        membership.role == Role.PARTNER
        and line.contributor_id is not None
        and membership.organization_id == line.contributor_id
    ):
        return True
    return can_report_activity(membership, activity, supporter_ids)


def can_log_feedback(membership: Membership) -> bool:
    return role_can(membership.role, Capability.COMMENT)


def can_update_adaptation(membership: Membership, item) -> bool:
    if is_secretariat(membership):
        return True
    if item.responsible_user_id is not None and item.responsible_user_id == membership.user_id:
        return True
    return (
        membership.role == Role.PARTNER
        and item.responsible_organization_id is not None
        and membership.organization_id == item.responsible_organization_id
    )


def is_twg_member(membership: Membership, cycle: str) -> bool:
    """A platform-user member of the county's TWG of that cycle (read once per request)."""
    cache = membership.__dict__.setdefault("_twg_cycles", {})
    if cycle not in cache:
        structures = CoordinationStructure.objects.for_county(membership.county_id).filter(
            kind=StructureKind.TWG, cycle=cycle
        )
        cache[cycle] = (
            StructureMember.objects.for_county(membership.county_id)
            .filter(structure__in=structures, user_id=membership.user_id)
            .exists()
        )
    return cache[cycle]


def can_see_drafts(membership: Membership, plan) -> bool:
    return membership.role in DRAFT_READERS or is_twg_member(membership, plan.fiscal_year)


def can_review(membership: Membership, plan) -> bool:
    return is_secretariat(membership) or is_twg_member(membership, plan.fiscal_year)


def clean_quarter(quarter) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Choose a quarter from 1 to 4.")})


def guarded_update(obj, row_version: int | None, *, statuses=None, **fields) -> None:
    """Save ``fields`` only if the row is unchanged since ``row_version`` (and, given
    ``statuses``, still in one of them): two people editing never overwrite each other."""
    model = type(obj)
    qs = model.objects.for_county(obj.county_id).filter(pk=obj.pk)
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    if row_version is not None:
        qs = qs.filter(row_version=row_version)
    if not qs.update(row_version=F("row_version") + 1, **fields):
        current = model.objects.for_county(obj.county_id).filter(pk=obj.pk).first()
        if statuses is not None and current is not None and current.status not in statuses:
            raise ValidationError(
                _("This is now “%(status)s”; it cannot be changed that way.")
                % {"status": current.get_status_display()}
            )
        raise EditConflict(current)
    obj.refresh_from_db()


def record(obj, actor, verb: str, summary: str, **data) -> None:
    audit.record(
        county=obj.county,
        actor=actor,
        verb=verb,
        target=obj,
        summary=summary,
        data={
            "workplan": obj.plan_id,
            **{k: str(v) if v is not None else None for k, v in data.items()},
        },
    )
