"""Workflow events: telling the people who must act next that it is their turn.

Every workflow transition (a plan consolidated, a TWG review recorded, a result
submitted, a sector-plan step signed off…) calls :func:`notify` from its service,
inside the service's transaction, with the users who act next. They get an in-app
notification (the bell) and, according to their preference for the "workflow" kind,
an e-mail now, a line in the daily digest, or nothing more.

    notify(
        county=plan.county,
        recipients=[holder.user for holder in twg_chairs],
        key=f"workplan:{plan.pk}:consolidated:{event.pk}",
        title=_("The 2026/27 joint work plan waits for the TWG review"),
        url=reverse("workplans:readiness", args=[county.slug, plan.pk, "twg"]),
        actor=membership.user,
    )

``key`` identifies the event: the same key is never notified twice to the same
person (the Notification unique constraint), so a retried service or a
double-click sends one notification. Include something that changes when the event
really happens again (the audit event's pk, a version, a date), or a plan returned
twice would not be notified the second time.

Only current, active members of ``county`` receive anything: a user of another
county, a removed member or a deactivated account is silently skipped, so a caller
cannot leak an event across counties by passing the wrong user. The actor is not
notified of their own step.

What waits for a member (whether or not they were notified) is answered by
``notifications.waiting``; the notification only says "it is your turn now".

When the step is taken, the service calls :func:`resolve` with the item's key, so the
turn does not stay in the bell of whoever was told (nor of a colleague told with
them). Give notify keys that start with the item's key and a colon, and resolve the
item's key::

    resolve(county=plan.county, key=f"workplan:{plan.pk}")      # the step is taken
    notify(county=plan.county, key=f"workplan:{plan.pk}:twg_reviewed:{event.pk}", ...)

Both also tell the header's "waiting for you" count that the county changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from calendars.items import ItemKind
from counties.models import County, Membership
from notifications.models import DeliveryMode, Notification, NotificationPreference, Threshold
from notifications.services.reminders import _insert_once, _queue_email
from notifications.waiting import county_changed


def notify(
    *,
    county: County,
    recipients: Iterable,
    key: str,
    title: str,
    url: str = "",
    actor=None,
    kind: str = ItemKind.WORKFLOW,
    why: str = "",
) -> int:
    """Notify each recipient once for this event; returns how many were notified.

    ``why`` says in one sentence why it is the recipient's turn ("You are on the
    2025/26 TWG; the secretariat sent the report for review."): the list and the
    e-mail show it under the title.
    """
    county_changed(county.pk)
    wanted = {getattr(u, "pk", u) for u in recipients if u is not None}
    if actor is not None:
        wanted.discard(actor.pk)
    if not wanted:
        return 0
    members = {
        m.user_id: m.user
        for m in Membership.objects.for_county(county)
        .filter(user_id__in=wanted, user__is_active=True)
        .select_related("user")
    }
    modes = dict(
        NotificationPreference.objects.filter(user_id__in=members, kind=kind).values_list(
            "user_id", "mode"
        )
    )
    today = timezone.localdate()
    sent = 0
    for user_id, user in sorted(members.items()):
        mode = modes.get(user_id, DeliveryMode.IMMEDIATE) if user.email else DeliveryMode.IN_APP
        notification = _insert_once(
            county=county,
            recipient_id=user_id,
            item_key=key[:200],
            kind=kind,
            threshold=Threshold.TURN,
            title=str(title)[:300],
            due_date=today,
            url=url[:300],
            why=str(why)[:500],
            email_mode=mode,
        )
        if notification is None:
            continue  # this event was already notified to this person
        sent += 1
        if mode == DeliveryMode.IMMEDIATE:
            _queue_email(county=county, recipient=user, notification=notification)
    return sent


def resolve(*, county: County, key: str) -> int:
    """The item ``key`` is done: its unread notifications are marked read.

    Marks read, in ``county``, every unread notification whose item key is ``key``
    or starts with ``key + ":"`` — the "your turn" events of the item
    (``"progressreport:12:submitted:3"``) and its date reminders (``"actionitem:7"``
    reminded 7 days before and when overdue) — for every recipient: the member who
    acted and the colleagues who were told with them. Call it from the service that
    takes the step, inside its transaction and the county's context, before notifying
    the next actors (whose new keys it would otherwise mark read too). Returns how many
    were marked.
    """
    county_changed(county.pk)
    return (
        Notification.objects.for_county(county)
        .filter(read_at__isnull=True)
        .filter(Q(item_key=key) | Q(item_key__startswith=f"{key}:"))
        .update(read_at=timezone.now())
    )
