"""Writes and rules for meetings and workshops: the meeting, its attendance
register and its action items (manual §4.1, §9.4)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Contact,
    CoordinationStructure,
    County,
    Gender,
    Meeting,
    MeetingKind,
    Membership,
    Organization,
)
from jwp import audit
from notifications.services.events import resolve

__all__ = [
    "action_item_add",
    "action_item_set_status",
    "attendance_add",
    "attendance_remove",
    "meeting_create",
    "meeting_update",
]

# The fields a meeting form may set; everything else (county, author) is the service's.
MEETING_FIELDS = frozenset(
    {
        "kind",
        "title",
        "structure",
        "starts_at",
        "ends_at",
        "venue",
        "is_virtual",
        "virtual_link",
        "agenda",
        "minutes",
        "decisions",
    }
)


def _check_meeting(meeting: Meeting) -> None:
    """The rules a meeting must keep, whoever writes it."""
    errors: dict[str, str] = {}
    if meeting.kind not in MeetingKind.values:
        errors["kind"] = _("Choose a kind of meeting.")
    if meeting.ends_at and meeting.starts_at and meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if meeting.is_virtual and not meeting.virtual_link:
        errors["virtual_link"] = _("A virtual meeting needs the link people join with.")
    if not meeting.is_virtual and not meeting.venue.strip():
        errors["venue"] = _("Give the venue, or tick “virtual” and give the meeting link.")
    if errors:
        raise ValidationError(errors)
    try:
        meeting.full_clean(exclude=["county", "created_by"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _set_fields(meeting: Meeting, fields: dict) -> list[str]:
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise TypeError(f"meeting fields not writable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    return sorted(fields)


@transaction.atomic
def meeting_create(
    *,
    county: County,
    actor,
    kind: str,
    title: str,
    starts_at: datetime,
    structure: CoordinationStructure | None = None,
    **fields,
) -> Meeting:
    """Schedule a meeting or workshop of the county (agenda, venue or link)."""
    meeting = Meeting(county=county, created_by=actor if actor and actor.is_authenticated else None)
    meeting.check_same_county(structure)
    _set_fields(meeting, {"kind": kind, "title": title, "starts_at": starts_at, **fields})
    meeting.structure = structure
    _check_meeting(meeting)
    meeting.save()
    audit.record(
        county=county,
        actor=actor,
        verb="meeting.create",
        target=meeting,
        summary=f"Scheduled {meeting.get_kind_display()}: {meeting.title}",
    )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor, **fields) -> Meeting:
    """Edit a meeting: details before it, minutes and decisions after it."""
    if "structure" in fields:
        meeting.check_same_county(fields["structure"])
    changed = _set_fields(meeting, fields)
    _check_meeting(meeting)
    meeting.save()
    audit.record(
        county=meeting.county,
        actor=actor,
        verb="meeting.update",
        target=meeting,
        summary=f"Edited {meeting.title}",
        data={"fields": changed},
    )
    return meeting


@transaction.atomic
def attendance_add(
    *,
    meeting: Meeting,
    actor,
    name: str = "",
    contact: Contact | None = None,
    organization: Organization | None = None,
    position: str = "",
    gender: str = Gender.UNSPECIFIED,
    is_youth: bool = False,
    has_disability: bool = False,
) -> Attendance:
    """Add one person to the attendance register.

    A contact of the county may stand in for the typed details: its name,
    organization and position fill what was left blank.
    """
    meeting.check_same_county(contact)
    if contact is not None:
        name = name.strip() or contact.name
        organization = organization or contact.organization
        position = position.strip() or contact.position
        if gender == Gender.UNSPECIFIED:
            gender = contact.gender
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the person's name, or choose a contact.")})
    if gender not in Gender.values:
        raise ValidationError({"gender": _("Choose a valid gender.")})
    if (
        Attendance.objects.for_county(meeting.county_id)
        .filter(meeting=meeting, name__iexact=name)
        .exists()
    ):
        raise ValidationError(
            {"name": _("%(name)s is already in this meeting's register.") % {"name": name}}
        )
    attendance = Attendance.objects.create(
        county_id=meeting.county_id,
        meeting=meeting,
        name=name,
        contact=contact,
        organization=organization,
        position=position.strip(),
        gender=gender,
        is_youth=is_youth,
        has_disability=has_disability,
    )
    audit.record(
        county=meeting.county,
        actor=actor,
        verb="attendance.add",
        target=meeting,
        summary=f"Registered an attendee at {meeting.title}",
    )
    return attendance


@transaction.atomic
def attendance_remove(*, attendance: Attendance, actor) -> None:
    meeting = attendance.meeting
    attendance.delete()
    # The attendee's name stays out of the audit trail: it is personal data
    # that an erasure request must be able to remove.
    audit.record(
        county=meeting.county,
        actor=actor,
        verb="attendance.remove",
        target=meeting,
        summary=f"Removed an attendee from {meeting.title}",
    )


@transaction.atomic
def action_item_add(
    *,
    meeting: Meeting,
    actor,
    description: str,
    owner_name: str,
    due_date: date | None,
    owner_organization: Organization | None = None,
    owner_user=None,
) -> ActionItem:
    """Record what the meeting agreed someone will do, by when."""
    errors = {}
    if not description.strip():
        errors["description"] = _("Say what is to be done.")
    if not owner_name.strip():
        errors["owner_name"] = _("Say who will do it.")
    if due_date is None:
        errors["due_date"] = _("Give a due date, so the action can be followed up.")
    if (
        owner_user is not None
        and not Membership.objects.for_county(meeting.county_id).filter(user=owner_user).exists()
    ):
        errors["owner_user"] = _("Choose a member of this county.")
    if errors:
        raise ValidationError(errors)
    item = ActionItem.objects.create(
        county_id=meeting.county_id,
        meeting=meeting,
        description=description.strip(),
        owner_name=owner_name.strip(),
        owner_organization=owner_organization,
        owner_user=owner_user,
        due_date=due_date,
    )
    audit.record(
        county=meeting.county,
        actor=actor,
        verb="action_item.add",
        target=item,
        summary=f"Action from {meeting.title}: {item.description}",
    )
    return item


@transaction.atomic
def action_item_set_status(*, action_item: ActionItem, actor, status: str) -> ActionItem:
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    before = action_item.get_status_display()
    action_item.status = status
    action_item.completed_at = timezone.now() if status == ActionStatus.DONE else None
    action_item.save(update_fields=["status", "completed_at"])
    if status in (ActionStatus.DONE, ActionStatus.CANCELLED):  # its reminders are done with
        resolve(county=action_item.meeting.county, key=f"actionitem:{action_item.pk}")
    audit.record(
        county=action_item.meeting.county,
        actor=actor,
        verb="action_item.set_status",
        target=action_item,
        summary=f"{action_item.description}: {before} → {action_item.get_status_display()}",
    )
    return action_item
