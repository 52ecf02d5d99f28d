"""Versioned plan documents."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from counties.models import Membership
from jwp.uploads import validate_document
from sectorplans.models import (
    PlanDocument,
    PlanStep,
    SectorPlan,
)
from sectorplans.services.rules import (
    _record,
    _require_actor,
    can_edit_plan,
)

# --- documents ----------------------------------------------------------------


def plan_document_upload(
    *,
    plan: SectorPlan,
    membership: Membership,
    upload,
    kind: str,
    title: str,
    plan_step: PlanStep | None = None,
    is_public: bool = False,
) -> PlanDocument:
    """A new version of one of the plan's documents (PDF, DOCX or XLSX, checked by content).

    Tied to a step: that step's actor (or the secretariat). Otherwise: the plan's editors."""
    membership.check_same_county(plan)
    if plan_step is not None:
        plan.check_same_county(plan_step)
        if plan_step.plan_id != plan.pk:
            raise ValidationError({"plan_step": _("Choose a step of this plan.")})
        _require_actor(membership, plan_step)
    elif not can_edit_plan(membership, plan):
        raise PermissionDenied(_("Only the secretariat or the sector lead adds documents."))
    try:
        file_kind = validate_document(upload)
    except ValidationError as exc:
        raise ValidationError({"upload": exc.messages}) from exc
    with transaction.atomic():
        latest = (
            PlanDocument.objects.for_county(plan.county_id)
            .filter(plan=plan, kind=kind)
            .select_for_update()
            .aggregate(v=Max("version"))["v"]
        )
        document = PlanDocument(
            county=plan.county,
            plan=plan,
            plan_step=plan_step,
            kind=kind,
            title=title.strip(),
            version=(latest or 0) + 1,
            file_kind=file_kind,
            size=upload.size,
            is_public=is_public,
            uploaded_by=membership.user,
        )
        document.file.save(upload.name, upload, save=False)
        document.full_clean(exclude=["county", "plan", "plan_step", "uploaded_by", "file"])
        document.save()
        _record(
            plan=plan,
            actor=membership.user,
            verb="document.upload",
            target=document,
            summary=f"Uploaded {document.title} v{document.version}"
            + (f" (step {plan_step.step.number})" if plan_step else ""),
            after={"kind": kind, "version": document.version, "public": is_public},
        )
    return document
