"""Reads of notifications. A user's notifications are read across their member counties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from counties.models import County
from jwp.access import my_memberships
from jwp.tenancy import activate_user
from notifications.models import DeliveryStatus, EmailDelivery, Notification, NotificationPreference
from notifications.waiting import WaitingItem, cached_count, remember_count, waiting_for


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


# --- what waits for the member (notifications.waiting) ---------------------------------


@dataclass(frozen=True)
class WaitingRow:
    """One item of the "Waiting for you" page, ready to show."""

    item: WaitingItem
    since_day: date | None
    waiting: str  # "for 3 days", "since today"


def _day(since) -> date | None:
    if isinstance(since, datetime):
        return timezone.localdate(since)
    return since


def waiting_label(since, today: date) -> str:
    """How long an item has waited, as people say it: "since today", "for 3 days"."""
    day = _day(since)
    if day is None:
        return ""
    if day >= today:
        return _("since today")
    return _("for %(time)s") % {"time": timesince(day, today, depth=1)}


def waiting_rows(membership, *, today: date) -> list[WaitingRow]:
    """Everything waiting for the member, grouped by area (the area whose item waited
    longest first), the longest-waiting first within an area. Also refreshes the
    header's cached count, so the header and the page agree."""
    items = waiting_for(membership, today=today)
    remember_count(membership, len(items), today=today)
    rank: dict[str, int] = {}
    for item in items:  # oldest first: an area ranks by its longest-waiting item
        rank.setdefault(item.area, len(rank))
    ordered = sorted(enumerate(items), key=lambda pair: (rank[pair[1].area], pair[0]))
    return [
        WaitingRow(item=item, since_day=_day(item.since), waiting=waiting_label(item.since, today))
        for _, item in ordered
    ]


def group_by_area(rows) -> list[tuple[str, list[WaitingRow]]]:
    """A page of rows as (area, rows) groups, in order."""
    return [(area, list(group)) for area, group in groupby(rows, key=lambda r: r.item.area)]


def header_waiting_count(request) -> int | None:
    """The header's count in the current county: the cached one (no SQL), or None when
    nothing fresh is cached (the header then asks for it after the page loads)."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    return cached_count(membership)
