"""Signing (section 8): the holder of each slot's office on the day of signing signs;
the last signature locks the plan. The slots are made at CEC approval (workflow)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership, Office
from counties.offices import holdings_on
from jwp.readiness import require_ready
from notifications.services.events import notify
from workplans.models import PlanStatus, PlanStep, Signature
from workplans.services.rules import record
from workplans.services.workflow import (
    _secretariat_users,
    _set_status,
    _url,
    workplan_step_readiness,
)

_UNKNOWN = object()


def can_sign(membership: Membership, signature: Signature, holding=_UNKNOWN) -> bool:
    """Whether this member holds the slot's office today (``holding``: the office's
    current holding, None when vacant, when the caller has it; else it is read)."""
    if signature.signed_at is not None or signature.office_id is None:
        return False
    if holding is _UNKNOWN:
        holding = (
            holdings_on(county=signature.county_id).filter(office_id=signature.office_id).first()
        )
    return holding is not None and holding.user_id == membership.user_id


def signature_sign(*, signature: Signature, membership: Membership) -> Signature:
    """The holder of the slot's office on the day of signing signs; the signature keeps
    their name and the office's title."""
    plan = signature.plan
    membership.check_same_county(plan)
    if plan.status != PlanStatus.CEC_APPROVED:
        raise ValidationError(
            _("The plan can be signed only after the County Executive Committee approves it.")
        )
    if signature.signed_at is not None:
        raise ValidationError(_("This signature is already in."))
    office = (
        Office.objects.for_county(plan.county_id)
        .select_related("organization")
        .get(pk=signature.office_id)
        if signature.office_id
        else None
    )
    if office is None:
        raise ValidationError(_("This signature slot is bound to no office."))
    holding = holdings_on(county=plan.county_id).filter(office=office).first()
    if holding is None or holding.user_id != membership.user_id:
        raise PermissionDenied(
            _(
                "Only the holder of the office of %(office)s on the day of signing signs this "
                "slot (today: %(name)s); you do not hold this office."
            )
            % {"office": office.title, "name": holding.user if holding else _("nobody")}
        )
    require_ready(
        workplan_step_readiness(plan=plan, step=PlanStep.SIGNING),
        intro=_("The plan cannot be signed until every signatory office has a holder."),
    )
    already = Signature.objects.for_county(plan.county_id).filter(
        plan=plan, signed_by=membership.user
    )
    if already.exists():
        raise ValidationError(
            _(
                "You have already signed this plan in another office: each slot needs its own "
                "signatory."
            )
        )
    user = membership.user
    now = timezone.now()
    name, title = user.full_name or user.email, office.title
    with transaction.atomic():
        updated = (
            Signature.objects.for_county(plan.county_id)
            .filter(pk=signature.pk, signed_at__isnull=True)
            .update(signed_by=user, signer_name=name, signer_title=title, signed_at=now)
        )
        if not updated:
            raise ValidationError(_("This signature is already in."))
        signature.signed_by, signature.signed_at = user, now
        signature.signer_name, signature.signer_title = name, title
        record(
            plan=plan,
            actor=user,
            verb="signature.sign",
            target=signature,
            summary=f"Signed as {title} by {name}",
            office=office.pk,
        )
        unsigned = (
            Signature.objects.for_county(plan.county_id)
            .filter(plan=plan, signed_at__isnull=True)
            .exists()
        )
        if not unsigned:
            _set_status(plan, PlanStatus.CEC_APPROVED, PlanStatus.SIGNED, locked_at=now)
            record(
                plan=plan,
                actor=user,
                verb="workplan.signed",
                target=plan,
                summary="Last signature in: plan signed and locked",
            )
            notify(
                county=plan.county,
                recipients=_secretariat_users(plan.county_id),
                key=f"workplan:{plan.pk}:signed",
                title=_("%(plan)s is signed by every signatory and locked") % {"plan": plan},
                url=_url("workplans:plan", plan.county.slug, plan.pk),
                actor=user,
            )
    return signature
