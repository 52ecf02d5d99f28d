"""Reminder e-mails: retried with backoff, failures shown to the secretariat, nothing lost
when the broker is down."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
import time_machine
from celery import signals
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from counties.models import Membership
from jwp.celery import app as celery_app
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from notifications import tasks
from notifications.models import DeliveryStatus, EmailDelivery
from tests import factories
from tests.notifications.conftest import TODAY, six_am

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("only_action_items")]


def the_delivery(county) -> EmailDelivery:
    with county_context([county]):
        return EmailDelivery.objects.for_county(county).select_related("notification").get()


@pytest.fixture
def smtp_down(monkeypatch):
    """The mail server hangs up on every message (the only thing mocked: SMTP)."""

    def refuse(self, messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    # Eager tasks re-raise Celery's Retry by default; let the retries run in-process.
    celery_app.conf.task_eager_propagates = False
    return monkeypatch


@pytest.fixture
def retries():
    """The countdowns Celery schedules the retries with (from its task_retry signal)."""
    seen = []

    def record(sender=None, reason=None, **kwargs):
        seen.append(reason.when)

    signals.task_retry.connect(record, weak=False)
    yield seen
    signals.task_retry.disconnect(record)


def test_a_failing_mail_server_is_retried_with_backoff_then_marked_failed(
    county, owner, action_item, sweep, smtp_down, retries
):
    action_item(TODAY + 7 * timezone.timedelta(days=1))
    sweep()
    delivery = the_delivery(county)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == tasks.send_email_delivery.max_retries + 1 == 6
    assert delivery.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert mail.outbox == []
    # Exponential backoff with full jitter: each countdown at most 60 s × 2^retry.
    assert len(retries) == 5
    assert all(0 <= when <= 60 * 2**i for i, when in enumerate(retries))


def test_the_secretariat_sees_the_failed_e_mail_and_sends_it_again(
    client,
    county,
    owner,
    secretariat,
    action_item,
    sweep,
    smtp_down,
    django_capture_on_commit_callbacks,
):
    action_item(TODAY + 7 * timezone.timedelta(days=1), description="Book the venue")
    sweep()
    smtp_down.undo()  # the mail server is back
    client.force_login(secretariat)
    url = reverse("notifications_county:deliveries", args=[county.slug])
    page = client.get(url).content.decode()
    assert "Book the venue" in page and "Failed" in page and "SMTPServerDisconnected" in page
    assert owner.email in page and ">Retry<" in page

    delivery = the_delivery(county)
    retry = reverse("notifications_county:delivery_retry", args=[county.slug, delivery.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, {"next": url})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[owner.email]]
    delivery = the_delivery(county)
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 7
    assert "Book the venue" not in client.get(url).content.decode()  # nothing needs attention
    with county_context([county]):
        assert (
            AuditEvent.objects.for_county(county).filter(verb="notifications.email_retry").exists()
        )


def test_only_the_secretariat_sees_the_county_s_e_mails(client, county, make_member):
    client.force_login(make_member(county, Role.EXECUTIVE))
    assert (
        client.get(reverse("notifications_county:deliveries", args=[county.slug])).status_code
        == 403
    )


def test_a_sent_e_mail_is_not_sent_again(client, county, secretariat):
    delivery = factories.EmailDeliveryFactory(county=county, status=DeliveryStatus.SENT)
    client.force_login(secretariat)
    retry = reverse("notifications_county:delivery_retry", args=[county.slug, delivery.pk])
    response = client.post(retry, follow=True)
    assert b"This e-mail was sent already." in response.content
    assert mail.outbox == []


def test_broker_down_leaves_the_e_mail_pending_and_the_sweeper_sends_it(
    county, owner, action_item, sweep, monkeypatch
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis: Connection refused.")

    monkeypatch.setattr(tasks.send_email_delivery, "apply_async", broker_down)
    action_item(TODAY + timezone.timedelta(days=7))
    sweep()  # the reminder is saved although its e-mail could not be queued
    delivery = the_delivery(county)
    assert delivery.status == DeliveryStatus.PENDING and mail.outbox == []

    monkeypatch.undo()
    with time_machine.travel(six_am(TODAY) + timedelta(minutes=2)):
        assert tasks.resend_pending_emails() == 0  # too fresh: its message may be on its way
    with time_machine.travel(six_am(TODAY) + timedelta(minutes=6)):
        assert tasks.resend_pending_emails() == 1
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert the_delivery(county).status == DeliveryStatus.SENT
    with time_machine.travel(six_am(TODAY) + timedelta(minutes=12)):
        assert tasks.resend_pending_emails() == 0  # sent: nothing left
    assert len(mail.outbox) == 1


def test_an_e_mail_is_not_sent_to_someone_who_left_the_county_meanwhile(
    county, owner, action_item, sweep, monkeypatch
):
    monkeypatch.setattr(tasks.send_email_delivery, "apply_async", lambda *a, **k: None)
    action_item(TODAY + timezone.timedelta(days=7))
    sweep()  # the e-mail waits (its message was lost)
    with county_context([county]):
        Membership.objects.for_county(county).filter(user=owner).delete()
    monkeypatch.undo()
    with time_machine.travel(six_am(TODAY) + timedelta(minutes=6)):
        tasks.resend_pending_emails()
    assert mail.outbox == []
    delivery = the_delivery(county)
    assert delivery.status == DeliveryStatus.FAILED
    assert "no longer a member of the county" in delivery.last_error
