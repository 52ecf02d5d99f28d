"""Recording the audit trail. Services call ``record`` inside their transaction."""

from django.db import models
from django.db.models import Q, QuerySet

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


def label(model: type[models.Model] | models.Model) -> str:
    """What ``record`` stores as ``target_type`` for a model."""
    return model._meta.label_lower


def trail(
    *, obj: models.Model, key: str, children: tuple[type[models.Model], ...] = ()
) -> QuerySet[AuditEvent]:
    """The audit trail of one object: the events about the object itself, and the events
    about its children, named explicitly, that were recorded with ``data[key]`` = the
    object's id. Both conditions, so another kind of object with the same id (a work
    plan's overlap recorded with ``plan: 1`` under the sector plan #1) never shows."""
    own = Q(target_type=label(obj), target_id=str(obj.pk))
    kids = Q(target_type__in=[label(c) for c in children], **{f"data__{key}": obj.pk})
    return (
        AuditEvent.objects.for_county(obj.county_id)
        .filter(own | kids if children else own)
        .select_related("actor")
    )
