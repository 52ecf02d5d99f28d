"""Joint monitoring visits: the visit, participants' findings, photos and follow-up actions."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from counties.models import Membership
from learning.models import (
    ActionStatus,
    MonitoringVisit,
    VisitAction,
    VisitFinding,
    VisitOrganization,
    VisitPhoto,
    VisitSector,
    VisitWard,
)
from learning.photos import process_photo
from learning.services.reflection import _replace_links
from learning.services.rules import bump, can_contribute_to_visit, record, require_secretariat
from workplans.models import JointWorkPlan

VISIT_FIELDS = ("title", "visited_on", "sites", "summary")


def visit_save(
    *,
    membership: Membership,
    plan: JointWorkPlan,
    visit: MonitoringVisit | None = None,
    row_version: int | None = None,
    wards: Sequence = (),
    sectors: Sequence = (),
    organizations: Sequence = (),
    **fields,
) -> MonitoringVisit:
    require_secretariat(membership)
    plan.check_same_county(membership, visit, *sectors)
    unknown = set(fields) - set(VISIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown visit fields: {sorted(unknown)}")
    errors = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = _("Say what the visit was for.")
    if any(w.county_id != plan.county_id for w in wards):
        errors["wards"] = _("Choose wards of this county.")
    if not wards and not (fields.get("sites") or "").strip():
        errors["sites"] = _("Name the wards or the sites visited.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if visit is None:
            visit = MonitoringVisit.objects.create(
                county_id=plan.county_id, plan=plan, created_by=membership.user, **fields
            )
            verb = "learning.visit.create"
        else:
            bump(visit, row_version, **fields)
            verb = "learning.visit.update"
        county_id = plan.county_id
        _replace_links(VisitWard, county_id, "visit", visit, "ward", wards)
        _replace_links(VisitSector, county_id, "visit", visit, "sector", sectors)
        _replace_links(VisitOrganization, county_id, "visit", visit, "organization", organizations)
        record(
            visit, membership, verb, _("Joint monitoring visit “%(t)s” saved") % {"t": visit.title}
        )
    return visit


def _require_contributor(membership: Membership, visit: MonitoringVisit) -> None:
    visit.check_same_county(membership)
    if not can_contribute_to_visit(membership, visit):
        raise PermissionDenied(
            _("Only the secretariat and the visit's participants may add findings and photos.")
        )


def finding_add(*, membership: Membership, visit: MonitoringVisit, text: str) -> VisitFinding:
    _require_contributor(membership, visit)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the finding.")})
    with transaction.atomic():
        finding = VisitFinding.objects.create(
            county_id=visit.county_id,
            visit=visit,
            text=text.strip(),
            organization_id=membership.organization_id,
            created_by=membership.user,
        )
        record(
            visit,
            membership,
            "learning.visit.finding",
            _("Finding added: %(t)s") % {"t": text[:200]},
        )
    return finding


def photo_add(
    *, membership: Membership, visit: MonitoringVisit, upload, caption: str = ""
) -> VisitPhoto:
    """Store a photo as a clean JPEG (learning.photos); the original is never kept."""
    _require_contributor(membership, visit)
    processed = process_photo(upload)
    with transaction.atomic():
        photo = VisitPhoto(
            county_id=visit.county_id,
            visit=visit,
            caption=(caption or "").strip()[:200],
            width=processed.width,
            height=processed.height,
            uploaded_by=membership.user,
        )
        photo.image.save("photo.jpg", processed.content, save=False)
        photo.save()
        record(
            visit, membership, "learning.visit.photo", _("Photo added to the visit"), photo=photo.pk
        )
    return photo


def photo_delete(*, membership: Membership, photo: VisitPhoto) -> None:
    """The secretariat or the uploader removes a photo (and its file, after commit)."""
    photo.check_same_county(membership)
    if photo.uploaded_by_id != membership.user_id:
        require_secretariat(membership)
    with transaction.atomic():
        record(
            photo.visit,
            membership,
            "learning.visit.photo_delete",
            _("Photo removed"),
            photo=photo.pk,
        )
        VisitPhoto.objects.for_county(photo.county_id).filter(pk=photo.pk).delete()
        transaction.on_commit(lambda: photo.image.delete(save=False))


def action_add(
    *, membership: Membership, visit: MonitoringVisit, action: str, responsible: str, due_date
) -> VisitAction:
    require_secretariat(membership)
    visit.check_same_county(membership)
    errors = {}
    if not (action or "").strip():
        errors["action"] = _("Describe the follow-up action.")
    if not (responsible or "").strip():
        errors["responsible"] = _("Say who is responsible.")
    if due_date is None:
        errors["due_date"] = _("Give a due date.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = VisitAction.objects.create(
            county_id=visit.county_id,
            visit=visit,
            action=action.strip(),
            responsible=responsible.strip(),
            due_date=due_date,
        )
        record(
            visit,
            membership,
            "learning.visit.action",
            _("Follow-up action: %(a)s") % {"a": row.action},
        )
    return row


def action_set_status(
    *, membership: Membership, action: VisitAction, status: str, row_version: int | None = None
) -> None:
    require_secretariat(membership)
    action.check_same_county(membership)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    before = action.status
    with transaction.atomic():
        bump(action, row_version, status=status)
        record(
            action.visit,
            membership,
            "learning.visit.action_status",
            _("Follow-up action “%(a)s”: %(s)s")
            % {"a": action.action, "s": action.get_status_display()},
            action=action.pk,
            before=before,
        )
