"""A real Celery worker on Redis sends an invitation enqueued after commit."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from counties import services
from counties.models import Invitation
from jwp.celery import app as celery_app
from jwp.roles import Role
from jwp.tenancy import county_context


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_the_invitation(county, secretariat):
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with county_context([county]):
            invitation = services.invitation_create(
                county=county,
                invited_by=secretariat,
                email="worker@example.org",
                full_name="Worker Test",
                role=Role.OBSERVER,
            )
        deadline = time.monotonic() + 30
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [["worker@example.org"]]
    with county_context([county]):
        invitation = Invitation.objects.for_county(county).get(pk=invitation.pk)
    assert invitation.sent_at is not None
