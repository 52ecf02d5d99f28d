"""The plan's approval (section 8), signatures and amendments (new versions)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership
from jwp.roles import Role
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
    SignatoryCapacity,
    Signature,
)
from workplans.services import budget as budget_services
from workplans.services import overlaps as overlap_services
from workplans.services.rules import record, require_secretariat

# to-status: (the status it comes from, the role that takes the step)
TRANSITIONS: dict[str, tuple[str, str]] = {
    PlanStatus.CO_CREATION: (PlanStatus.DRAFT, Role.SECRETARIAT),
    PlanStatus.CONSOLIDATED: (PlanStatus.CO_CREATION, Role.SECRETARIAT),
    PlanStatus.TWG_REVIEWED: (PlanStatus.CONSOLIDATED, Role.SECRETARIAT),
    PlanStatus.CEC_APPROVED: (PlanStatus.TWG_REVIEWED, Role.EXECUTIVE),
}


# --- workflow (section 8) ------------------------------------------------------


def workplan_advance(*, plan: JointWorkPlan, membership: Membership, to: str) -> JointWorkPlan:
    """Take the next step of the approval: only from the step before, only by its role."""
    membership.check_same_county(plan)
    if to not in TRANSITIONS:
        raise ValidationError(_("Plans are signed by their signatories, not moved there."))
    source, role = TRANSITIONS[to]
    if membership.role != role:
        raise PermissionDenied(
            _("Only the County Executive Committee approves the plan.")
            if role == Role.EXECUTIVE
            else _("Only the JWP secretariat may do this.")
        )
    if plan.status != source:
        raise ValidationError(
            _("The plan is %(now)s; it must be %(source)s first.")
            % {
                "now": plan.get_status_display(),
                "source": PlanStatus(source).label,
            }
        )
    with transaction.atomic():
        updated = (
            JointWorkPlan.objects.for_county(plan.county_id)
            .filter(pk=plan.pk, status=source)
            .update(status=to, status_changed_at=timezone.now())
        )
        if not updated:
            raise ValidationError(_("Someone else moved the plan on; reload the page."))
        plan.status = to
        if to == PlanStatus.CEC_APPROVED:
            _create_signature_slots(plan)
        record(
            plan=plan,
            actor=membership.user,
            verb="workplan.advance",
            target=plan,
            summary=f"Plan moved from {source} to {to}",
            source=source,
            to=to,
        )
    return plan


def _create_signature_slots(plan: JointWorkPlan) -> None:
    county_id = plan.county_id
    partner_ids = (
        PlanPartner.objects.for_county(county_id)
        .filter(plan=plan)
        .order_by("organization__name")
        .values_list("organization_id", flat=True)
    )
    Signature.objects.bulk_create(
        [
            Signature(county_id=county_id, plan=plan, capacity=SignatoryCapacity.COUNTY_SECRETARY),
            Signature(county_id=county_id, plan=plan, capacity=SignatoryCapacity.CEC_FINANCE),
            *(
                Signature(
                    county_id=county_id,
                    plan=plan,
                    capacity=SignatoryCapacity.PARTNER,
                    organization_id=org_id,
                )
                for org_id in partner_ids
            ),
        ]
    )


def can_sign(membership: Membership, signature: Signature) -> bool:
    if signature.signed_at is not None:
        return False
    if signature.capacity == SignatoryCapacity.PARTNER:
        return (
            membership.role == Role.PARTNER
            and membership.organization_id == signature.organization_id
        )
    return membership.role == Role.EXECUTIVE


def signature_sign(*, signature: Signature, membership: Membership, title: str = "") -> Signature:
    """The signatory signs as themselves: name, title and date come from their account."""
    plan = signature.plan
    membership.check_same_county(plan)
    if plan.status != PlanStatus.CEC_APPROVED:
        raise ValidationError(
            _("The plan can be signed only after the County Executive Committee approves it.")
        )
    if signature.signed_at is not None:
        raise ValidationError(_("This signature is already in."))
    already = Signature.objects.for_county(plan.county_id).filter(
        plan=plan, signed_by=membership.user
    )
    if already.exists():
        raise ValidationError(
            _(
                "You have already signed this plan in another capacity: each slot needs its own "
                "signatory."
            )
        )
    if not can_sign(membership, signature):
        raise PermissionDenied(
            _("Only the partner's own leadership signs for it.")
            if signature.capacity == SignatoryCapacity.PARTNER
            else _("County signatures are given by members of the County Executive.")
        )
    user = membership.user
    now = timezone.now()
    with transaction.atomic():
        updated = (
            Signature.objects.for_county(plan.county_id)
            .filter(pk=signature.pk, signed_at__isnull=True)
            .update(
                signed_by=user,
                signer_name=user.full_name or user.email,
                signer_title=title or user.title,
                signed_at=now,
            )
        )
        if not updated:
            raise ValidationError(_("This signature is already in."))
        signature.signed_by, signature.signed_at = user, now
        signature.signer_name, signature.signer_title = (
            user.full_name or user.email,
            title or user.title,
        )
        record(
            plan=plan,
            actor=user,
            verb="signature.sign",
            target=signature,
            summary=f"Signed as {signature.get_capacity_display()}",
        )
        unsigned = (
            Signature.objects.for_county(plan.county_id)
            .filter(plan=plan, signed_at__isnull=True)
            .exists()
        )
        if not unsigned:
            JointWorkPlan.objects.for_county(plan.county_id).filter(pk=plan.pk).update(
                status=PlanStatus.SIGNED, status_changed_at=now, locked_at=now
            )
            plan.status, plan.locked_at = PlanStatus.SIGNED, now
            record(
                plan=plan,
                actor=user,
                verb="workplan.signed",
                target=plan,
                summary="Last signature in: plan signed and locked",
            )
    return signature


# --- amendments ----------------------------------------------------------------


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
