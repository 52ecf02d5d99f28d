"""Celery tasks for reminders: thin — they call the services."""

from datetime import timedelta

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from jwp.tenancy import all_counties_context
from notifications.models import DeliveryStatus, EmailDelivery
from notifications.services import delivery, reminders

# A delivery nobody has tried after this long lost its broker message (broker down).
UNSENT_AFTER = timedelta(minutes=5)
# A delivery in its retries whose next try is this late lost it too (backoff ≤ 1 h).
RETRY_LOST_AFTER = timedelta(hours=2)


@shared_task(acks_late=True)
def sweep_reminders() -> dict:
    """Daily at 06:00 Africa/Nairobi (jwp/celery.py): remind every county's items."""
    result = reminders.reminders_sweep()
    return {
        "notifications": result.notifications,
        "emails": result.emails,
        "digests": result.digests,
    }


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=delivery.SEND_ERRORS,
    retry_backoff=60,  # 1, 2, 4, 8, 16 minutes (with jitter), at most an hour
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=5,
)
def send_email_delivery(self, *, delivery_id: int, county_id: int) -> str:
    final = self.request.retries >= self.max_retries
    error = delivery.delivery_attempt(delivery_id=delivery_id, county_id=county_id, final=final)
    if error is not None and not final:
        raise error  # autoretry_for: retried with exponential backoff
    return "failed" if error is not None else "done"


@shared_task
def resend_pending_emails() -> int:
    """Sweeper: re-enqueue deliveries whose broker message was lost (broker down)."""
    now = timezone.now()
    with all_counties_context():
        pending = list(
            EmailDelivery.objects.all_counties()
            .filter(status=DeliveryStatus.PENDING)
            .filter(
                Q(attempts=0, created_at__lt=now - UNSENT_AFTER)
                | Q(attempts__gt=0, last_attempt_at__lt=now - RETRY_LOST_AFTER)
            )
            .values_list("pk", "county_id")
        )
    for delivery_id, county_id in pending:
        send_email_delivery.delay(delivery_id=delivery_id, county_id=county_id)
    return len(pending)
