"""Reads of notifications. A user's notifications are read across their member counties."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate

from counties.models import County
from jwp.access import my_memberships
from jwp.tenancy import activate_user
from notifications.models import DeliveryStatus, EmailDelivery, Notification, NotificationPreference


def read_memberships(request) -> list:
    """``my_memberships``, noting the transaction in which they were first read.

    Reading them sets the user id for the rest of that transaction (row-level
    security then admits the user's own notifications), so the bell need not set it
    again when it counts in the same transaction.
    """
    fresh = not hasattr(request, "_my_memberships")
    memberships = my_memberships(request)
    if fresh and connection.in_atomic_block:
        request._user_id_set_in = connection.atomic_blocks[0]
    return memberships


def member_county_ids(request) -> list[int]:
    return [m.county_id for m in read_memberships(request)]


def user_notifications(
    *, user, county_ids: list[int], unread: bool = False, county_id=None, kind: str = ""
) -> QuerySet[Notification]:
    """The user's own notifications in counties they still belong to (newest first).

    Call inside ``county_context(county_ids)``.
    """
    ids = [county_id] if county_id in county_ids else county_ids
    qs = (
        Notification.objects.all_counties()
        .filter(recipient=user, county_id__in=ids)
        .select_related("county")
    )
    if unread:
        qs = qs.filter(read_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    # Newest reminders first; within one morning's reminders the most urgent first.
    return qs.order_by(TruncDate("created_at").desc(), "due_date", "-pk")


def _count_unread(user, county_ids: list[int], *, activate: bool = True) -> int:
    # Row-level security admits a user's own notifications once the user id is set.
    if activate:
        activate_user(user)
    return (
        Notification.objects.all_counties()
        .filter(recipient=user, county_id__in=county_ids, read_at__isnull=True)
        .count()
    )


def unread_count(request) -> int:
    """The bell: one COUNT per page.

    The header shows the bell before the county switcher, so on most pages the bell is
    what first reads the user's memberships, which sets the user id for the current
    transaction. If they were read in another transaction, the user id is set again
    (one more query on PostgreSQL).
    """
    if hasattr(request, "_unread_notifications"):
        return request._unread_notifications
    if not request.user.is_authenticated:
        return 0
    county_ids = member_county_ids(request)
    if not county_ids:
        count = 0
    elif connection.in_atomic_block:
        same = getattr(request, "_user_id_set_in", None) is connection.atomic_blocks[0]
        count = _count_unread(request.user, county_ids, activate=not same)
    else:  # rendered outside the request's transaction: the setting needs one
        with transaction.atomic():
            count = _count_unread(request.user, county_ids)
    request._unread_notifications = count
    return count


def preference_modes(user) -> dict[str, str]:
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))


def county_deliveries(*, county: County, status: str = "") -> QuerySet[EmailDelivery]:
    """The county's reminder e-mails for the secretariat: what failed or waits first."""
    qs = (
        EmailDelivery.objects.for_county(county)
        .select_related("recipient", "notification")
        .annotate(digest_size=Count("digest_items"))
    )
    if status in DeliveryStatus.values:
        qs = qs.filter(status=status)
    elif status != "all":  # the default: what needs the secretariat's attention
        qs = qs.filter(status__in=(DeliveryStatus.FAILED, DeliveryStatus.PENDING))
    return qs.order_by("-created_at", "-pk")
