"""Writes and rules of the joint work plan itself: section 1, objectives (2), activities
(3), risks (6), review milestones (7), annexes (9) and the approval workflow (8).

Rules that refuse raise ``PermissionDenied`` (wrong person: 403) or
``ValidationError`` with a message that says what to do (wrong moment: 400).
A stale edit raises ``EditConflict`` carrying the row as it is now, so the page can
show the other person's values next to the user's own; nothing is overwritten.

Once the County Executive Committee has approved a plan, what it approved is what
gets signed: every write refuses (``require_editable``), and after signing the only
way to change the plan is an amendment, which makes a new version.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from counties.models import County, Membership, Organization, Sector, SubCounty, Ward
from jwp import audit, visibility
from jwp.constraints import integrity_errors
from jwp.readiness import Check, Readiness, require_ready
from jwp.roles import Role
from jwp.uploads import validate_document
from workplans.models import (
    ActivitySupporter,
    ActivityWard,
    Annex,
    BudgetLine,
    CidpProgramme,
    Commitment,
    JointActivity,
    JointWorkPlan,
    Objective,
    PlanPartner,
    ReviewMilestone,
    Risk,
    ScopeLevel,
)
from workplans.services import overlaps as overlap_services
from workplans.services.amendments import workplan_amend  # noqa: F401 (one module for callers)
from workplans.services.rules import EditConflict, record, require_editable, require_secretariat
from workplans.services.signatures import can_sign, signature_sign  # noqa: F401 (one module for callers)
from workplans.services.workflow import (  # noqa: F401 (one module for callers)
    TRANSITIONS,
    workplan_advance,
    workplan_cec_approve,
    workplan_consolidate,
    workplan_return,
    workplan_twg_review,
)

PLAN_FIELDS = (
    "title",
    "scope_level",
    "scope_codes",
    "lead_agency",
    "start_date",
    "end_date",
    "reporting_frequency",
)
ACTIVITY_FIELDS = (
    "title",
    "description",
    "sector",
    "objective",
    "lead_organization",
    "start_date",
    "end_date",
    "expected_output",
    "status",
)


# --- rules ---------------------------------------------------------------------


def can_edit_plan(membership: Membership, plan: JointWorkPlan) -> bool:
    return membership.role == Role.SECRETARIAT and not plan.is_locked


def can_edit_activity(membership: Membership, activity: JointActivity) -> bool:
    """Secretariat any; a sector lead its sector's; a partner those its organization leads."""
    return can_lead_activity(membership, activity.sector_id, activity.lead_organization_id)


def can_lead_activity(membership: Membership, sector_id, lead_organization_id) -> bool:
    if membership.role == Role.SECRETARIAT:
        return True
    if membership.role == Role.SECTOR_LEAD:
        return membership.sector_id == sector_id
    if membership.role == Role.PARTNER:
        return membership.organization_id == lead_organization_id
    return False


def can_add_activity(membership: Membership) -> bool:
    return membership.role in (Role.SECRETARIAT, Role.SECTOR_LEAD, Role.PARTNER)


def _update_versioned(model, obj, *, row_version: int, values: dict):
    """Write ``values`` only if nobody saved since ``row_version`` was read."""
    updated = (
        model.objects.for_county(obj.county_id)
        .filter(pk=obj.pk, row_version=row_version)
        .update(**values, row_version=row_version + 1)
    )
    if not updated:
        raise EditConflict(model.objects.for_county(obj.county_id).get(pk=obj.pk))
    for name, value in values.items():
        setattr(obj, name, value)
    obj.row_version = row_version + 1


# --- section 1 -----------------------------------------------------------------


def _clean_scope(county: County, level: str, codes: list[str]) -> list[str]:
    """Sub-county or ward codes of *this* county; none for the whole county."""
    codes = sorted({c.strip() for c in codes if c and c.strip()})
    if level == ScopeLevel.COUNTY:
        return []
    model = SubCounty if level == ScopeLevel.SUBCOUNTIES else Ward
    if not codes:
        raise ValidationError({"scope_codes": _("Choose at least one.")})
    known = set(model.objects.filter(county=county, code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationError(
            {
                "scope_codes": _("Not in %(county)s: %(codes)s.")
                % {"county": county.name, "codes": ", ".join(unknown)}
            }
        )
    return codes


def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise ValidationError({"end_date": _("The end date is before the start date.")})


def workplan_create(
    *,
    county: County,
    membership: Membership,
    fiscal_year: str,
    title: str,
    lead_agency: Organization,
    start_date: date,
    end_date: date,
    scope_level: str = ScopeLevel.COUNTY,
    scope_codes: list[str] | None = None,
    partners: list[Organization] = (),
    reporting_frequency: str = "quarterly",
) -> JointWorkPlan:
    membership.check_same_county(county)
    require_secretariat(membership)
    _check_dates(start_date, end_date)
    codes = _clean_scope(county, scope_level, scope_codes or [])
    if JointWorkPlan.objects.for_county(county).filter(fiscal_year=fiscal_year).exists():
        raise ValidationError(
            {
                "fiscal_year": _("This county already has a joint work plan for %(fy)s.")
                % {"fy": fiscal_year}
            }
        )
    with transaction.atomic():
        plan = JointWorkPlan.objects.create(
            county=county,
            fiscal_year=fiscal_year,
            title=title,
            scope_level=scope_level,
            scope_codes=codes,
            lead_agency=lead_agency,
            start_date=start_date,
            end_date=end_date,
            reporting_frequency=reporting_frequency,
            created_by=membership.user,
        )
        _set_partners(plan, partners)
        record(
            plan=plan,
            actor=membership.user,
            verb="workplan.create",
            target=plan,
            summary=f"Joint work plan {fiscal_year} created",
        )
    return plan


def _set_partners(plan: JointWorkPlan, partners) -> None:
    wanted = {o.pk for o in partners}
    links = PlanPartner.objects.for_county(plan.county_id).filter(plan=plan)
    links.exclude(organization_id__in=wanted).delete()
    have = set(links.values_list("organization_id", flat=True))
    PlanPartner.objects.bulk_create(
        PlanPartner(county_id=plan.county_id, plan=plan, organization_id=pk)
        for pk in sorted(wanted - have)
    )


def workplan_update(
    *,
    plan: JointWorkPlan,
    membership: Membership,
    row_version: int,
    partners=None,
    **fields,
) -> JointWorkPlan:
    """Section 1. ``row_version`` is the one the user's form was built from."""
    membership.check_same_county(plan)
    require_secretariat(membership)
    require_editable(plan)
    values = {k: v for k, v in fields.items() if k in PLAN_FIELDS}
    _check_dates(values.get("start_date", plan.start_date), values.get("end_date", plan.end_date))
    if "scope_level" in values:
        values["scope_codes"] = _clean_scope(
            plan.county, values["scope_level"], values.get("scope_codes") or []
        )
    with transaction.atomic():
        _update_versioned(JointWorkPlan, plan, row_version=row_version, values=values)
        if partners is not None:
            _set_partners(plan, partners)
        record(
            plan=plan,
            actor=membership.user,
            verb="workplan.update",
            target=plan,
            summary="Section 1 updated",
        )
    return plan


# --- CIDP programmes and objectives (section 2) --------------------------------


def cidp_programme_save(
    *,
    county: County,
    membership: Membership,
    code: str,
    name: str,
    sector: Sector,
    programme: CidpProgramme | None = None,
) -> CidpProgramme:
    membership.check_same_county(county)
    sector.check_same_county(county)
    require_secretariat(membership)
    clash = CidpProgramme.objects.for_county(county).filter(code=code)
    if programme is not None:
        programme.check_same_county(county)
        clash = clash.exclude(pk=programme.pk)
    if clash.exists():
        raise ValidationError({"code": _("A programme with this code already exists.")})
    with integrity_errors(), transaction.atomic():  # two saving the same code at once
        if programme is None:
            programme = CidpProgramme.objects.create(
                county=county, code=code, name=name, sector=sector
            )
        else:
            programme.code, programme.name, programme.sector = code, name, sector
            programme.save()
        audit.record(
            county=county,
            actor=membership.user,
            verb="cidp_programme.save",
            target=programme,
            summary=f"CIDP programme {code} saved",
        )
    return programme


def objective_save(
    *,
    plan: JointWorkPlan,
    membership: Membership,
    statement: str,
    priority_area: str,
    programme: CidpProgramme | None = None,
    objective: Objective | None = None,
) -> Objective:
    membership.check_same_county(plan)
    plan.check_same_county(programme, objective)
    require_secretariat(membership)
    require_editable(plan)
    with transaction.atomic():
        if objective is None:
            objective = Objective.objects.create(
                county_id=plan.county_id,
                plan=plan,
                statement=statement,
                priority_area=priority_area,
                programme=programme,
                order=Objective.objects.for_county(plan.county_id).filter(plan=plan).count(),
            )
        else:
            objective.statement, objective.priority_area = statement, priority_area
            objective.programme = programme
            objective.save()
        record(
            plan=plan,
            actor=membership.user,
            verb="objective.save",
            target=objective,
            summary=f"Objective saved: {statement}",
        )
    return objective


def objective_delete(*, objective: Objective, membership: Membership) -> None:
    plan = objective.plan
    membership.check_same_county(plan)
    require_secretariat(membership)
    require_editable(plan)
    with transaction.atomic():
        record(
            plan=plan,
            actor=membership.user,
            verb="objective.delete",
            target=objective,
            summary=f"Objective deleted: {objective.statement}",
        )
        objective.delete()


# --- activities (section 3) ----------------------------------------------------


def _check_activity(plan: JointWorkPlan, values: dict, wards, supporters) -> None:
    plan.check_same_county(values.get("sector"), values.get("objective"))
    if values.get("objective") is not None and values["objective"].plan_id != plan.pk:
        raise ValidationError({"objective": _("Choose an objective of this plan.")})
    start, end = values["start_date"], values["end_date"]
    errors = {}
    if start < plan.start_date or start > plan.end_date:
        errors["start_date"] = _("Start within the plan's dates (%(s)s – %(e)s).") % {
            "s": plan.start_date,
            "e": plan.end_date,
        }
    if end < start:
        errors["end_date"] = _("The end date is before the start date.")
    elif end > plan.end_date:
        errors["end_date"] = _("End by the plan's end date (%(e)s).") % {"e": plan.end_date}
    if any(w.county_id != plan.county_id for w in wards):
        errors["wards"] = _("Choose wards of this county.")
    if values["lead_organization"].pk in {o.pk for o in supporters}:
        errors["supporting_organizations"] = _("The lead organization is not also a supporter.")
    if errors:
        raise ValidationError(errors)


def _set_links(activity: JointActivity, wards, supporters) -> None:
    county_id = activity.county_id
    ActivityWard.objects.for_county(county_id).filter(activity=activity).delete()
    ActivityWard.objects.bulk_create(
        ActivityWard(county_id=county_id, activity=activity, ward=w) for w in wards
    )
    ActivitySupporter.objects.for_county(county_id).filter(activity=activity).delete()
    ActivitySupporter.objects.bulk_create(
        ActivitySupporter(county_id=county_id, activity=activity, organization=o)
        for o in supporters
    )


def activity_create(
    *,
    plan: JointWorkPlan,
    membership: Membership,
    wards=(),
    supporting_organizations=(),
    **fields,
) -> JointActivity:
    membership.check_same_county(plan)
    values = {k: v for k, v in fields.items() if k in ACTIVITY_FIELDS}
    if not can_lead_activity(membership, values["sector"].pk, values["lead_organization"].pk):
        raise PermissionDenied(_activity_refusal(membership))
    require_editable(plan)
    _check_activity(plan, values, wards, supporting_organizations)
    with transaction.atomic():
        activity = JointActivity.objects.create(
            county_id=plan.county_id, plan=plan, created_by=membership.user, **values
        )
        _set_links(activity, wards, supporting_organizations)
        record(
            plan=plan,
            actor=membership.user,
            verb="activity.create",
            target=activity,
            summary=f"Activity added: {activity.title}",
        )
        overlap_services.refresh_overlaps(plan=plan)
    return activity


def _activity_refusal(membership: Membership) -> str:
    if membership.role == Role.SECTOR_LEAD:
        return _("A sector lead edits only the activities of their own sector.")
    if membership.role == Role.PARTNER:
        return _("A partner edits only the activities its organization leads.")
    return _("Your role cannot edit activities.")


def activity_update(
    *,
    activity: JointActivity,
    membership: Membership,
    row_version: int,
    wards=None,
    supporting_organizations=None,
    **fields,
) -> JointActivity:
    plan = activity.plan
    membership.check_same_county(plan)
    values = {k: v for k, v in fields.items() if k in ACTIVITY_FIELDS}
    merged = {name: values.get(name, getattr(activity, name)) for name in ACTIVITY_FIELDS}
    # Both the activity as it is and as it would be must be the member's to edit:
    # a partner cannot hand its activity to another organization, nor take one.
    if not (
        can_edit_activity(membership, activity)
        and can_lead_activity(membership, merged["sector"].pk, merged["lead_organization"].pk)
    ):
        raise PermissionDenied(_activity_refusal(membership))
    require_editable(plan)
    current_wards = list(wards) if wards is not None else list(activity.wards.all())
    current_supporters = (
        list(supporting_organizations)
        if supporting_organizations is not None
        else list(activity.supporting_organizations.all())
    )
    _check_activity(plan, merged, current_wards, current_supporters)
    with transaction.atomic():
        _update_versioned(JointActivity, activity, row_version=row_version, values=values)
        _set_links(activity, current_wards, current_supporters)
        record(
            plan=plan,
            actor=membership.user,
            verb="activity.update",
            target=activity,
            summary=f"Activity updated: {activity.title}",
        )
        overlap_services.refresh_overlaps(plan=plan)
    return activity


def activity_delete_readiness(activity: JointActivity, membership=None) -> Readiness:
    """What deleting the activity would take with it, as checks: another organization's
    budget line or commitment (the county government's included) blocks, it is theirs
    to withdraw or move; the lead organization's own go with the activity (a warning
    the member confirms). Given the ``membership``, a contribution it may not see
    (``jwp.visibility.contribution``) is named without its organization or amount."""
    county_slug = activity.plan.county.slug
    rows = [
        (line, _("Budget line"), line.component.name, "workplans:budget_line")
        for line in BudgetLine.objects.for_county(activity.county_id)
        .filter(activity=activity)
        .select_related("contributor", "component")
    ] + [
        (c, _("Commitment"), c.get_status_display(), "workplans:commitment")
        for c in Commitment.objects.for_county(activity.county_id)
        .filter(activity=activity)
        .select_related("contributor")
    ]
    checks = []
    for obj, kind, label, url_name in rows:
        own = obj.contributor_id is not None and obj.contributor_id == activity.lead_organization_id
        if membership is not None and not visibility.contribution(
            membership=membership, plan=activity.plan, obj=obj
        ):
            checks.append(
                Check(
                    label=f"{_('Another organization')} · {kind}",
                    met=False,
                    blocking=not own,
                    detail=_("theirs to withdraw or move to another activity first."),
                )
            )
            continue
        organization = obj.contributor.name if obj.contributor else _("County government")
        checks.append(
            Check(
                label=f"{organization} · {kind} · {label}",
                met=False,
                blocking=not own,
                detail=f"{obj.currency} {obj.amount:,.2f} — "
                + (
                    _("deleted with the activity.")
                    if own
                    else _("theirs to withdraw or move to another activity first.")
                ),
                fix_url=reverse(url_name, args=[county_slug, obj.pk]),
            )
        )
    return Readiness(checks)


def activity_delete(
    *, activity: JointActivity, membership: Membership, confirmed: bool = False
) -> None:
    """Refused while the activity carries another organization's budget lines or
    commitments (activity_delete_readiness); the lead's own go with it once the member
    has confirmed seeing them."""
    plan = activity.plan
    membership.check_same_county(plan)
    if not can_edit_activity(membership, activity):
        raise PermissionDenied(_activity_refusal(membership))
    require_editable(plan)
    readiness = activity_delete_readiness(activity, membership)
    require_ready(
        readiness,
        intro=_(
            "This activity carries other organizations' money: ask them to withdraw it or "
            "move it to another activity first."
        ),
    )
    if readiness.warnings and not confirmed:
        raise ValidationError(
            _(
                "Confirm that the lead organization's %(count)s budget lines and commitments "
                "are deleted with the activity."
            )
            % {"count": len(readiness.warnings)}
        )
    with transaction.atomic():
        record(
            plan=plan,
            actor=membership.user,
            verb="activity.delete",
            target=activity,
            summary=f"Activity deleted: {activity.title}",
            money_deleted=[f"{c.label}: {c.detail}" for c in readiness.warnings],
        )
        activity.delete()
        overlap_services.refresh_overlaps(plan=plan)


# --- risks (6), review milestones (7), annexes (9) -----------------------------

SIMPLE_SECTIONS = {
    "risk": (Risk, ("description", "likelihood", "impact", "mitigation", "responsible")),
    "milestone": (
        ReviewMilestone,
        ("deliverable", "review_date", "responsible", "status", "notes"),
    ),
}


def section_item_save(
    *, plan: JointWorkPlan, membership: Membership, kind: str, item=None, **fields
):
    """Add or change a risk or a review milestone (secretariat, plan not frozen)."""
    model, names = SIMPLE_SECTIONS[kind]
    membership.check_same_county(plan)
    plan.check_same_county(item)
    require_secretariat(membership)
    require_editable(plan)
    values = {k: v for k, v in fields.items() if k in names}
    with transaction.atomic():
        if item is None:
            item = model.objects.create(county_id=plan.county_id, plan=plan, **values)
        else:
            for name, value in values.items():
                setattr(item, name, value)
            item.save()
        record(
            plan=plan,
            actor=membership.user,
            verb=f"{kind}.save",
            target=item,
            summary=f"{model._meta.verbose_name.capitalize()} saved: {item}",
        )
    return item


def section_item_delete(*, item, membership: Membership) -> None:
    """Delete a risk, review milestone or annex."""
    plan = item.plan
    membership.check_same_county(plan)
    require_secretariat(membership)
    require_editable(plan)
    with transaction.atomic():
        record(
            plan=plan,
            actor=membership.user,
            verb=f"{item._meta.model_name}.delete",
            target=item,
            summary=f"{item._meta.verbose_name.capitalize()} deleted: {item}",
        )
        if isinstance(item, Annex):
            transaction.on_commit(lambda name=item.file.name: item.file.storage.delete(name))
        item.delete()


def annex_upload(*, plan: JointWorkPlan, membership: Membership, title: str, file) -> Annex:
    membership.check_same_county(plan)
    require_secretariat(membership)
    require_editable(plan)
    try:
        validate_document(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with transaction.atomic():
        annex = Annex.objects.create(
            county_id=plan.county_id,
            plan=plan,
            title=title,
            file=file,
            uploaded_by=membership.user,
        )
        record(
            plan=plan,
            actor=membership.user,
            verb="annex.upload",
            target=annex,
            summary=f"Annex uploaded: {title}",
        )
    return annex
