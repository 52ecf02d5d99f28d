"""Writes and rules for contacts: personal data under the Data Protection Act 2019.

A contact records why the county may hold it (s.30, the lawful basis); the
person may ask for everything held about them (s.26, see
``counties.selectors.contact_subject_access``) and for its erasure (s.40).
Erasure leaves participation statistics true (an attendance line keeps its
gender, youth and disability marks) and an audit trace without personal data.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import (
    ActionItem,
    Attendance,
    Contact,
    County,
    LawfulBasis,
    Nomination,
    Stakeholder,
    StructureMember,
)
from jwp import audit
from jwp.models import AuditEvent
from jwp.spreadsheets import safe_row

__all__ = [
    "CONTACT_FIELDS",
    "ERASED_NAME",
    "ERASED_SUMMARY",
    "contact_check_lawful_basis",
    "contact_erase",
    "contact_export",
    "contact_save",
]

ERASED_NAME = "Erased person"
ERASED_SUMMARY = "Contact record erased on request"

# What a contact form or an import row may set.
CONTACT_FIELDS = (
    "organization",
    "name",
    "position",
    "email",
    "phone",
    "gender",
    "lawful_basis",
    "consent_recorded_at",
    "consent_note",
)


def contact_check_lawful_basis(*, lawful_basis: str, consent_recorded_at, consent_note: str):
    """Consent (s.30(1)(a)) must be provable: when and how the person agreed.

    Returns the consent fields to store: cleared for the other bases, where a
    consent date would misstate why the county holds the data.
    """
    if lawful_basis != LawfulBasis.CONSENT:
        return None, ""
    errors = {}
    if consent_recorded_at is None:
        errors["consent_recorded_at"] = _("Consent needs the date the person agreed.")
    elif consent_recorded_at > timezone.now():
        errors["consent_recorded_at"] = _("The consent date cannot be in the future.")
    if not (consent_note or "").strip():
        errors["consent_note"] = _("Say how the person gave consent (e.g. signed form).")
    if errors:
        raise ValidationError(errors)
    return consent_recorded_at, consent_note.strip()


def contact_save(*, county: County, actor, contact: Contact | None = None, **fields) -> Contact:
    """Create or edit a contact of this county. The caller has checked who may."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"contact_save() got unexpected fields: {sorted(unknown)}")
    creating = contact is None
    contact = contact or Contact(county=county)
    contact.check_same_county(county)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.consent_recorded_at, contact.consent_note = contact_check_lawful_basis(
        lawful_basis=contact.lawful_basis,
        consent_recorded_at=contact.consent_recorded_at,
        consent_note=contact.consent_note,
    )
    contact.full_clean(exclude=["county"])
    with transaction.atomic():
        contact.save()
        audit.record(
            county=county,
            actor=actor,
            verb="contact.create" if creating else "contact.update",
            target=contact,
            summary=(
                f"{'Added' if creating else 'Edited'} contact {contact.name} "
                f"({contact.organization.short_name})"
            ),
            data={"fields": sorted(fields), "lawful_basis": contact.lawful_basis},
        )
    return contact


def _audit_events_about(county: County, contact_id: int):
    return AuditEvent.objects.for_county(county).filter(
        target_type=Contact._meta.label_lower, target_id=str(contact_id)
    )


def contact_export(*, county: County, actor, contact: Contact, fmt: str) -> tuple[bytes, str]:
    """Everything held about the person (DPA s.26), as JSON or CSV; the export is audited.

    Returns (content, content type). The audit event is recorded first so that
    the export itself is part of what it lists.
    """
    from counties.selectors import contact_subject_access

    contact.check_same_county(county)
    audit.record(
        county=county,
        actor=actor,
        verb="contact.export",
        target=contact,
        summary=f"Exported everything held about contact {contact.name} ({fmt.upper()})",
        data={"format": fmt},
    )
    record = contact_subject_access(county=county, contact=contact)
    if fmt == "json":
        text = json.dumps(record, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        return text.encode(), "application/json"
    if fmt == "csv":
        return _record_as_csv(record).encode("utf-8-sig"), "text/csv"
    raise ValueError(f"Unknown export format {fmt!r}")


def _record_as_csv(record: dict) -> str:
    """One line per value: section, item number, field, value (the JSON, flattened)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "item", "field", "value"])
    for section, value in record.items():
        items = value if isinstance(value, list) else [value]
        for number, item in enumerate(items, start=1):
            if isinstance(item, dict):
                for field, field_value in item.items():
                    writer.writerow(safe_row([section, number, field, _csv_value(field_value)]))
            else:
                writer.writerow(safe_row([section, number, "", _csv_value(item)]))
    return out.getvalue()


def _csv_value(value):
    """Text for the cell; numbers stay numbers (``safe_cell`` leaves them alone)."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _scrub_mentions(county: County, contact: Contact) -> int:
    """Replace the person's name, e-mail and phone in other audit events.

    Events about a structure or a meeting may name the person in their summary
    or data ("Nominated … to the TWG"); the event stays, the person goes. A
    namesake in the same county loses their name in those texts too: erring on
    the side of erasure.
    """
    needles = [(value, ERASED_NAME) for value in (contact.name, contact.email, contact.phone)]
    needles = [(value.strip(), repl) for value, repl in needles if len(value.strip()) >= 3]
    if not needles:
        return 0
    mentions = Q()
    for value, _repl in needles:
        mentions |= Q(summary__icontains=value) | Q(data__icontains=value)
    patterns = [(re.compile(re.escape(value), re.IGNORECASE), repl) for value, repl in needles]

    def scrub(value):
        if isinstance(value, str):
            for pattern, repl in patterns:
                value = pattern.sub(repl, value)
            return value
        if isinstance(value, dict):
            return {scrub(k): scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value

    events = list(AuditEvent.objects.for_county(county).filter(mentions))
    for event in events:
        event.summary, event.data = scrub(event.summary)[:300], scrub(event.data)
    AuditEvent.objects.for_county(county).bulk_update(events, ["summary", "data"])
    return len(events)


def contact_erase(*, county: County, actor, contact: Contact) -> dict[str, int]:
    """Erase a person on request (DPA s.40), everywhere this county holds them.

    In one transaction: attendance lines become "Erased person" (keeping gender,
    youth and disability so participation figures stay true), the stakeholder
    register forgets them as key contact, structure memberships go, nominations
    lose their nominee, attendance lines and action items typed with their name
    are anonymised, audit events about them lose their summary and data, and
    other audit events that mention them lose the mention. Free text (minutes,
    agendas) is not rewritten: the confirm page asks the secretariat to check it.
    Then the contact is deleted and one audit event without personal data says
    what was done. Returns the counts recorded in that event.
    """
    contact.check_same_county(county)
    former_id = contact.pk
    with transaction.atomic():
        counts = {
            "attendance_anonymised": Attendance.objects.for_county(county)
            .filter(contact=contact)
            .update(name=ERASED_NAME, position="", contact=None),
            "stakeholders_unset": Stakeholder.objects.for_county(county)
            .filter(key_contact=contact)
            .update(key_contact=None),
            "structure_memberships_deleted": StructureMember.objects.for_county(county)
            .filter(contact=contact)
            .delete()[0],
            "nominations_unset": Nomination.objects.for_county(county)
            .filter(nominee=contact)
            .update(nominee=None),
            # Lines typed by name rather than linked to the contact: the same name in
            # the same county is taken to be the same person (erring toward erasure).
            "attendance_by_name_anonymised": Attendance.objects.for_county(county)
            .filter(contact__isnull=True, name__iexact=contact.name)
            .update(name=ERASED_NAME, position=""),
            "action_owners_anonymised": ActionItem.objects.for_county(county)
            .filter(owner_name__iexact=contact.name)
            .update(owner_name=ERASED_NAME),
            "audit_events_scrubbed": _audit_events_about(county, former_id).update(
                summary=ERASED_SUMMARY, data={}
            ),
            "audit_mentions_scrubbed": _scrub_mentions(county, contact),
        }
        contact.delete()
        audit.record(
            county=county,
            actor=actor,
            verb="contact.erase",
            summary=f"{ERASED_SUMMARY} (Data Protection Act 2019, s.40)",
            data={"former_contact_id": former_id, **counts},
        )
    return counts
