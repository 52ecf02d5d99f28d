"""Sending one e-mail delivery, and the secretariat's retry of a failed one.

The delivery row is locked while it is sent, so the task, its retry and the
sweeper's re-enqueue never send the same e-mail twice; a row that is no longer
pending is left alone.
"""

from __future__ import annotations

from smtplib import SMTPException

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import County, Membership
from jwp import audit
from jwp.jobs import enqueue_on_commit
from jwp.tenancy import county_context
from notifications.emails import build_message
from notifications.models import DeliveryStatus, EmailDelivery, Notification

# What a mail server or the network raise; anything else is a bug and is not retried.
SEND_ERRORS = (SMTPException, OSError)


def _contents(delivery: EmailDelivery) -> list[Notification]:
    qs = Notification.objects.for_county(delivery.county_id)
    if delivery.is_digest:
        return list(qs.filter(digest=delivery).order_by("due_date", "pk"))
    return list(qs.filter(pk=delivery.notification_id))


def _refusal(delivery: EmailDelivery, notifications: list[Notification]) -> str:
    """Why this e-mail must not be sent any more ("" when it may)."""
    if not notifications:  # the reminders were deleted with their item
        return _("Not sent: the reminders no longer exist.")
    still_member = (
        Membership.objects.for_county(delivery.county_id)
        .filter(user_id=delivery.recipient_id, user__is_active=True)
        .exists()
    )
    if not still_member:  # removed (or deactivated) since the reminder was made
        return _("Not sent: %(to)s is no longer a member of the county.") % {
            "to": delivery.to_email
        }
    return ""


def delivery_attempt(*, delivery_id: int, county_id: int, final: bool) -> Exception | None:
    """Try to send a pending delivery once; return the error if the mail server failed.

    The attempt is recorded (attempts, last error); on the ``final`` attempt a failure
    marks the delivery failed, which the secretariat sees and may retry.
    """
    with county_context([county_id]):
        delivery = (
            EmailDelivery.objects.for_county(county_id)
            .select_for_update()
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return None  # sent already, or nothing to send: idempotent
        county = County.objects.get(pk=county_id)
        notifications = _contents(delivery)
        now = timezone.now()
        delivery.attempts += 1
        delivery.last_attempt_at = now
        refusal = _refusal(delivery, notifications)
        if refusal:
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = refusal
            delivery.save()
            return None
        try:
            build_message(delivery, county, notifications).send()
        except SEND_ERRORS as exc:
            delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if final:
                delivery.status = DeliveryStatus.FAILED
            delivery.save()
            return exc
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = now
        delivery.last_error = ""
        delivery.save()
    return None


def delivery_retry(*, delivery: EmailDelivery, actor) -> None:
    """The secretariat sends a failed (or stuck pending) e-mail again."""
    from notifications.tasks import send_email_delivery

    if delivery.status == DeliveryStatus.SENT:
        raise ValidationError(_("This e-mail was sent already."))
    delivery.status = DeliveryStatus.PENDING
    delivery.save(update_fields=["status"])
    audit.record(
        county=delivery.county,
        actor=actor,
        verb="notifications.email_retry",
        target=delivery,
        summary=_("E-mail to %(to)s queued again") % {"to": delivery.to_email},
    )
    enqueue_on_commit(send_email_delivery, delivery_id=delivery.pk, county_id=delivery.county_id)
