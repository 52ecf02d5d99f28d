"""Celery tasks for counties: thin — set the county context, fetch, call a service."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from counties import services
from counties.models import Invitation
from jwp.tenancy import all_counties_context, county_context


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(self, *, invitation_id: int, county_id: int) -> str:
    with county_context([county_id]):
        invitation = (
            Invitation.objects.for_county(county_id)
            .select_related("county")
            .filter(
                pk=invitation_id,
                sent_at__isnull=True,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
            )
            .first()
        )
        if invitation is None:
            return "nothing to send"  # already sent, accepted or revoked: idempotent
        services.invitation_send(invitation=invitation)
        return "sent"


@shared_task
def resend_unsent_invitations() -> int:
    """Sweeper: re-enqueue invitations whose message never left (broker was down)."""
    cutoff = timezone.now() - timedelta(minutes=5)
    with all_counties_context():
        pending = list(
            Invitation.objects.all_counties()
            .filter(
                sent_at__isnull=True,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
                created_at__lt=cutoff,
            )
            .values_list("pk", "county_id")
        )
    for invitation_id, county_id in pending:
        send_invitation.delay(invitation_id=invitation_id, county_id=county_id)
    return len(pending)
