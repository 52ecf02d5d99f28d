"""A user's own notifications (read / unread) and their e-mail preferences.

Marking read is the user's private bookkeeping, not a county decision: it is not
audited. Preference changes are per user, not per county.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from calendars.items import ItemKind
from notifications.models import DeliveryMode, Notification, NotificationPreference


def _own(user, county_ids: list[int]):
    return Notification.objects.all_counties().filter(recipient=user, county_id__in=county_ids)


def notification_mark_read(*, user, county_ids: list[int], notification_id: int) -> Notification:
    """Mark one of the user's notifications read; 404 for anyone else's (or a left county's)."""
    notification = (
        _own(user, county_ids).select_related("county").filter(pk=notification_id).first()
    )
    if notification is None:
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user, county_ids: list[int]) -> int:
    return _own(user, county_ids).filter(read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user, modes: dict[str, str]) -> None:
    """Store the user's mode per item kind; the default (e-mail immediately) needs no row."""
    for kind in ItemKind.values:
        mode = modes.get(kind, DeliveryMode.IMMEDIATE)
        if mode == DeliveryMode.IMMEDIATE:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"mode": mode}
            )
