"""A real Celery worker on Redis: beat's sweep delivered twice still e-mails each reminder once."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from jwp.celery import app as celery_app
from jwp.tenancy import county_context
from notifications import tasks
from notifications.models import DeliveryStatus, EmailDelivery


def _wait_for_mails(n: int) -> None:
    deadline = time.monotonic() + 60
    while len(mail.outbox) < n and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("only_action_items")
def test_a_real_worker_sends_each_reminder_once_when_beat_fires_twice(county, owner, action_item):
    today = timezone.localdate()
    action_item(today + timedelta(days=7), description="Book the venue")
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        tasks.sweep_reminders.delay()
        tasks.sweep_reminders.delay()  # beat fired twice
        _wait_for_mails(1)
        # One worker takes tasks in order: once a third sweep's new reminder is out,
        # the second sweep is over too.
        action_item(today + timedelta(days=1), description="Send the attendance list")
        tasks.sweep_reminders.delay()
        _wait_for_mails(2)
    assert sorted(m.subject for m in mail.outbox) == [
        "Samburu: Due in 7 days: Book the venue",
        "Samburu: Due tomorrow: Send the attendance list",
    ]
    with county_context([county]):
        statuses = list(EmailDelivery.objects.for_county(county).values_list("status", flat=True))
    assert statuses == [DeliveryStatus.SENT, DeliveryStatus.SENT]
