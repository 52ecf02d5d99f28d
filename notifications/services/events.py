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
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from calendars.items import ItemKind
from counties.models import County, Membership
from notifications.models import DeliveryMode, NotificationPreference, Threshold
from notifications.services.reminders import _insert_once, _queue_email


def notify(
    *,
    county: County,
    recipients: Iterable,
    key: str,
    title: str,
    url: str = "",
    actor=None,
    kind: str = ItemKind.WORKFLOW,
) -> int:
    """Notify each recipient once for this event; returns how many were notified."""
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
            email_mode=mode,
        )
        if notification is None:
            continue  # this event was already notified to this person
        sent += 1
        if mode == DeliveryMode.IMMEDIATE:
            _queue_email(county=county, recipient=user, notification=notification)
    return sent
