"""Starting, revising and laying out sector plans."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from counties.models import County, Membership, Sector
from jwp.roles import Role
from sectorplans.models import (
    PlanDocument,
    PlanStatus,
    PlanStep,
    RevisionKind,
    SectorPlan,
    SectorPlanStep,
)
from sectorplans.services.rules import (
    _record,
    _require_secretariat,
    default_role,
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
