"""The daily reminder sweep (Celery beat, 06:00 Africa/Nairobi).

Thresholds. On the sweep's day an item that is not done has reached exactly one
threshold, the most specific one its due date allows:

    due in 8–14 days → "d14";  2–7 days → "d7";  0–1 day → "d1";  past due → "overdue";

and an item more than 7 days past due is also *escalated* to the county's secretariat.
Only that threshold is sent, and only if it was never sent before for that item and
person. So a missed day (beat down) sends the reminder a day late instead of never, an
item created due tomorrow gets one "d1" reminder (not three at once), and a reminder
that was overtaken (d14 never went out, the item is now 6 days away) is not sent
late: the more specific "d7" replaces it. Items overdue for more than
``OVERDUE_LOOKBACK_DAYS`` are not reminded any more: the sweep looks at a window.

At most once. ``Notification``'s unique constraint (county, item key, threshold,
recipient) is the lock: each reminder is inserted in its own savepoint and only the
transaction whose insert succeeded e-mails it. A second sweep the same day, a retried
task or a second beat all find the row and send nothing.

Recipients. The item's responsible users who are *current, active* members of the
county; when it names nobody (or nobody who is still a member) the county's
secretariat. Users without an e-mail address get the in-app notification only.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from calendars.items import DatedItem, dated_items
from counties.models import County, Membership
from jwp.jobs import enqueue_on_commit
from jwp.roles import Role
from jwp.tenancy import county_context
from notifications.models import (
    DeliveryMode,
    EmailDelivery,
    Notification,
    NotificationPreference,
    Threshold,
)

logger = logging.getLogger(__name__)

REMINDER_DAYS = 14  # the earliest reminder
ESCALATE_AFTER_DAYS = 7  # overdue for more than this: the secretariat is told
OVERDUE_LOOKBACK_DAYS = 30  # older overdue items are no longer reminded


def threshold_for(due: date, today: date) -> str | None:
    """The most specific threshold an item due on ``due`` has reached on ``today``."""
    days = (due - today).days
    if days < 0:
        return Threshold.OVERDUE
    if days <= 1:
        return Threshold.DAYS_1
    if days <= 7:
        return Threshold.DAYS_7
    if days <= REMINDER_DAYS:
        return Threshold.DAYS_14
    return None


def is_escalated(due: date, today: date) -> bool:
    return (today - due).days > ESCALATE_AFTER_DAYS


@dataclass
class _Members:
    """The county's current, active members: who may receive, and the secretariat."""

    users: dict = field(default_factory=dict)  # user id → User
    secretariat: list[int] = field(default_factory=list)
    modes: dict = field(default_factory=dict)  # (user id, kind) → DeliveryMode

    @classmethod
    def of(cls, county: County) -> _Members:
        members = cls()
        rows = (
            Membership.objects.for_county(county)
            .filter(user__is_active=True)
            .select_related("user")
            .order_by("user_id")
        )
        for membership in rows:
            members.users[membership.user_id] = membership.user
            if membership.role == Role.SECRETARIAT:
                members.secretariat.append(membership.user_id)
        preferences = NotificationPreference.objects.filter(user_id__in=members.users)
        members.modes = {(p.user_id, p.kind): p.mode for p in preferences}
        return members

    def mode(self, user_id: int, kind: str) -> str:
        if not self.users[user_id].email:
            return DeliveryMode.IN_APP
        return self.modes.get((user_id, kind), DeliveryMode.IMMEDIATE)


def planned_reminders(item: DatedItem, today: date, members: _Members) -> list[tuple[int, str]]:
    """(recipient id, threshold) pairs this item calls for today."""
    if item.done:
        return []
    threshold = threshold_for(item.date, today)
    if threshold is None:
        return []
    responsible = [uid for uid in item.responsible_user_ids if uid in members.users]
    recipients = responsible or members.secretariat
    planned = [(uid, threshold) for uid in recipients]
    if threshold == Threshold.OVERDUE and is_escalated(item.date, today):
        planned += [
            (uid, Threshold.ESCALATED) for uid in members.secretariat if uid not in recipients
        ]
    return planned


def _insert_once(**fields) -> Notification | None:
    """Insert a reminder; None if it exists (the constraint refused it: someone sent it)."""
    try:
        with transaction.atomic():
            return Notification.objects.create(**fields)
    except IntegrityError:
        return None


def _queue_email(*, county: County, recipient, notification=None, digest_date=None):
    from notifications.tasks import send_email_delivery

    try:
        with transaction.atomic():
            delivery = EmailDelivery.objects.create(
                county=county,
                recipient=recipient,
                to_email=recipient.email,
                notification=notification,
                digest_date=digest_date,
            )
    except IntegrityError:
        return None  # today's digest exists already
    enqueue_on_commit(send_email_delivery, delivery_id=delivery.pk, county_id=county.pk)
    return delivery


@dataclass
class SweepResult:
    notifications: int = 0
    emails: int = 0
    digests: int = 0

    def add(self, other: SweepResult) -> None:
        self.notifications += other.notifications
        self.emails += other.emails
        self.digests += other.digests


def county_reminders_sweep(*, county: County, today: date) -> SweepResult:
    """Remind this county's items for ``today``; call inside ``county_context([county])``."""
    result = SweepResult()
    members = _Members.of(county)
    items = dated_items(
        county,
        today - timedelta(days=OVERDUE_LOOKBACK_DAYS),
        today + timedelta(days=REMINDER_DAYS),
        today=today,  # the sweep's day decides what is done, not the real clock
    )
    planned = [
        (item, uid, th) for item in items for uid, th in planned_reminders(item, today, members)
    ]
    if not planned:
        return _digests(county=county, today=today, members=members, result=result)
    # Skip what was sent on earlier days without provoking the constraint; the insert
    # below still relies on it for the race between two sweeps running at once.
    sent = set(
        Notification.objects.for_county(county)
        .filter(item_key__in={item.key for item, _uid, _th in planned})
        .values_list("item_key", "threshold", "recipient_id")
    )
    for item, uid, threshold in planned:
        if (item.key, threshold, uid) in sent:
            continue
        mode = members.mode(uid, item.kind)
        notification = _insert_once(
            county=county,
            recipient_id=uid,
            item_key=item.key,
            kind=item.kind,
            threshold=threshold,
            title=item.title[:300],
            due_date=item.date,
            url=item.url[:300],
            email_mode=mode,
        )
        if notification is None:
            continue
        result.notifications += 1
        if mode == DeliveryMode.IMMEDIATE:
            _queue_email(county=county, recipient=members.users[uid], notification=notification)
            result.emails += 1
    return _digests(county=county, today=today, members=members, result=result)


def _digests(*, county: County, today: date, members: _Members, result: SweepResult):
    """One digest e-mail per user and day listing their reminders not yet in a digest.

    A digest already made today (a second sweep) is not made again; reminders that
    arrive after it wait for tomorrow's.
    """
    waiting = defaultdict(list)
    rows = Notification.objects.for_county(county).filter(
        email_mode=DeliveryMode.DIGEST, digest__isnull=True, recipient_id__in=members.users
    )
    for notification_id, user_id in rows.values_list("pk", "recipient_id"):
        waiting[user_id].append(notification_id)
    for user_id, ids in waiting.items():
        user = members.users[user_id]
        if not user.email:
            continue
        delivery = _queue_email(county=county, recipient=user, digest_date=today)
        if delivery is None:
            continue
        Notification.objects.for_county(county).filter(pk__in=ids).update(digest=delivery)
        result.digests += 1
    return result


def reminders_sweep(*, today: date | None = None) -> SweepResult:
    """Every county's reminders for today, each county in its own transaction."""
    today = today or timezone.localdate()
    total, failed = SweepResult(), []
    for county in County.objects.order_by("pk"):
        try:
            with county_context([county]):
                total.add(county_reminders_sweep(county=county, today=today))
        except Exception:  # one county's bad data must not stop the others' reminders
            logger.exception("Reminder sweep failed for %s", county)
            failed.append(county.name)
    if failed:
        raise RuntimeError(f"Reminder sweep failed for: {', '.join(failed)} (see the log).")
    return total
