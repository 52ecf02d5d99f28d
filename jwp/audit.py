"""Recording the audit trail. Services call ``record`` inside their transaction."""

from django.db import models

from jwp.models import AuditEvent


def record(
    *,
    county,
    actor,
    verb: str,
    target: models.Model | None = None,
    summary: str,
    data: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        county=county,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        data=data or {},
    )
