"""The daily sweep: who is reminded of what, on which day, and never twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from calendars.items import ItemKind
from counties.models import ActionStatus, Membership
from jwp.roles import Role
from jwp.tenancy import county_context
from notifications.emails import reminder_when
from notifications.models import (
    DeliveryMode,
    EmailDelivery,
    Notification,
    NotificationPreference,
    Threshold,
)
from notifications.services.reminders import threshold_for
from tests import factories
from tests.notifications.conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("only_action_items")]
DAY = timedelta(days=1)


def reminders(county, **filters) -> list[tuple[str, str]]:
    """(recipient e-mail, threshold) of the county's reminders, oldest first."""
    with county_context([county]):
        rows = Notification.objects.for_county(county).filter(**filters).order_by("pk")
        return list(rows.values_list("recipient__email", "threshold"))


def deliveries(county) -> list[EmailDelivery]:
    with county_context([county]):
        return list(EmailDelivery.objects.for_county(county).order_by("pk"))


def test_the_sweep_run_twice_sends_once(county, owner, action_item, sweep):
    action_item(TODAY + 7 * DAY)
    assert sweep()["notifications"] == 1
    assert sweep()["notifications"] == 0  # beat fired twice, or the task was retried
    assert reminders(county) == [(owner.email, Threshold.DAYS_7)]
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert [d.status for d in deliveries(county)] == ["sent"]


def test_each_threshold_goes_out_on_its_day_and_once(
    county, owner, secretariat, action_item, sweep
):
    due = TODAY + 20 * DAY
    action_item(due)
    sent_on = {}
    for offset in range(-20, 12):  # every morning from 20 days before to 11 days after
        day = due + offset * DAY
        before = set(reminders(county))
        sweep(day)
        for reminder in set(reminders(county)) - before:
            sent_on[reminder] = offset
    assert sent_on == {
        (owner.email, Threshold.DAYS_14): -14,
        (owner.email, Threshold.DAYS_7): -7,
        (owner.email, Threshold.DAYS_1): -1,
        (owner.email, Threshold.OVERDUE): 1,
        (secretariat.email, Threshold.ESCALATED): 8,  # overdue for more than 7 days
    }
    assert len(mail.outbox) == 5


@pytest.mark.parametrize(
    "days_left,expected",
    [
        (15, None),
        (14, "d14"),
        (8, "d14"),
        (7, "d7"),
        (2, "d7"),
        (1, "d1"),
        (0, "d1"),
        (-1, "overdue"),
    ],
)
def test_the_most_specific_threshold_reached(days_left, expected):
    assert threshold_for(TODAY + days_left * DAY, TODAY) == expected


def test_a_missed_morning_sends_the_reminder_a_day_late(county, owner, action_item, sweep):
    due = TODAY + 20 * DAY
    action_item(due)
    sweep(due - 13 * DAY)  # beat was down on the 14-days morning
    assert reminders(county) == [(owner.email, Threshold.DAYS_14)]
    sweep(due - 6 * DAY)  # and on the 7-days morning: d7 a day late, d14 not again
    assert reminders(county) == [(owner.email, Threshold.DAYS_14), (owner.email, Threshold.DAYS_7)]


def test_an_item_created_due_tomorrow_gets_one_reminder_not_three(
    county, owner, action_item, sweep
):
    action_item(TODAY + DAY)
    sweep()
    assert reminders(county) == [(owner.email, Threshold.DAYS_1)]
    assert len(mail.outbox) == 1
    assert "Due tomorrow" in mail.outbox[0].subject


def test_overdue_items_past_the_window_are_not_reminded(county, action_item, sweep):
    action_item(TODAY - 31 * DAY)
    sweep()
    assert reminders(county) == []


def test_done_and_cancelled_items_are_not_reminded(county, action_item, sweep):
    action_item(TODAY + DAY, status=ActionStatus.DONE)
    action_item(TODAY - 9 * DAY, status=ActionStatus.CANCELLED)
    sweep()
    assert reminders(county) == [] and mail.outbox == []


def test_escalation_reaches_the_county_secretariat_only(
    county, neighbour, owner, secretariat, neighbour_secretariat, action_item, sweep
):
    due = TODAY - 8 * DAY
    action_item(due)
    sweep(due + 7 * DAY)  # exactly 7 days overdue: not yet escalated
    assert reminders(county) == [(owner.email, Threshold.OVERDUE)]
    sweep()
    assert reminders(county, threshold=Threshold.ESCALATED) == [
        (secretariat.email, Threshold.ESCALATED)
    ]
    assert reminders(neighbour) == []
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {owner.email, secretariat.email}
    escalation = mail.outbox[-1]
    assert escalation.subject.startswith("Samburu: Escalated:")
    assert "overdue for more than 7 days" in escalation.body


def test_an_item_without_an_owner_reminds_the_secretariat(
    county, secretariat, neighbour_secretariat, action_item, sweep
):
    action_item(TODAY + 7 * DAY, owner_user=None)
    sweep()
    assert reminders(county) == [(secretariat.email, Threshold.DAYS_7)]
    assert [m.to for m in mail.outbox] == [[secretariat.email]]


def test_a_removed_member_gets_nothing_and_the_secretariat_is_told_instead(
    county, owner, secretariat, action_item, sweep
):
    action_item(TODAY + 7 * DAY)
    with county_context([county]):
        Membership.objects.for_county(county).filter(user=owner).delete()
    sweep()
    assert reminders(county) == [(secretariat.email, Threshold.DAYS_7)]
    assert owner.email not in {a for m in mail.outbox for a in m.to}


def test_a_member_of_the_neighbour_county_only_is_not_reminded_of_this_county(
    county, neighbour, secretariat, make_member, action_item, sweep
):
    outsider = make_member(neighbour, Role.PARTNER)
    action_item(TODAY + 7 * DAY, owner_user=outsider)
    sweep()
    assert reminders(county) == [(secretariat.email, Threshold.DAYS_7)]
    assert reminders(neighbour) == []


def test_a_recipient_without_e_mail_is_reminded_in_the_app_only(county, owner, action_item, sweep):
    type(owner).objects.filter(pk=owner.pk).update(email="")
    action_item(TODAY + 7 * DAY)
    sweep()
    with county_context([county]):
        notification = Notification.objects.for_county(county).get()
    assert notification.email_mode == DeliveryMode.IN_APP
    assert mail.outbox == [] and deliveries(county) == []


def test_the_e_mail_has_a_text_and_an_html_part(county, owner, action_item, sweep):
    action_item(TODAY + 5 * DAY, description="Consolidate the draft JWP for the TWG")
    sweep()
    message = mail.outbox[0]
    assert message.subject == "Samburu: Due in 5 days: Consolidate the draft JWP for the TWG"
    assert "Consolidate the draft JWP for the TWG" in message.body
    assert "Due in 5 days (28 Nov 2026)" in message.body
    assert "http://" in message.body and "/meetings/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<a href=" in html and "Consolidate the draft JWP for the TWG" in html


def test_digest_preference_gives_one_digest_e_mail_a_day(county, owner, action_item, sweep):
    NotificationPreference.objects.create(
        user=owner, kind=ItemKind.ACTION_ITEM, mode=DeliveryMode.DIGEST
    )
    action_item(TODAY + DAY, description="Send the attendance list")
    action_item(TODAY + 7 * DAY, description="Book the venue")
    action_item(TODAY - 2 * DAY, description="Circulate the minutes")
    sweep()
    sweep()  # a second run the same day makes no second digest
    assert len(reminders(county)) == 3
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [owner.email]
    assert "(3)" in digest.subject
    for title in ("Send the attendance list", "Book the venue", "Circulate the minutes"):
        assert title in digest.body and title in digest.alternatives[0][0]
    [delivery] = deliveries(county)
    assert delivery.digest_date == TODAY and delivery.status == "sent"

    sweep(TODAY + DAY)  # nothing new the next morning: no digest
    assert len(mail.outbox) == 1
    sweep(TODAY + 2 * DAY)  # the attendance list is overdue: a new digest with it alone
    assert len(mail.outbox) == 2
    assert "Send the attendance list" in mail.outbox[1].body
    assert "Overdue by 1 day" in mail.outbox[1].body
    assert "Book the venue" not in mail.outbox[1].body


def test_the_preference_is_per_kind_of_item(county, owner, action_item, sweep):
    NotificationPreference.objects.create(
        user=owner, kind=ItemKind.MEETING, mode=DeliveryMode.IN_APP
    )
    action_item(TODAY + 7 * DAY)
    sweep()
    assert len(mail.outbox) == 1  # meetings are in-app only; action items still e-mailed
    NotificationPreference.objects.create(
        user=owner, kind=ItemKind.ACTION_ITEM, mode=DeliveryMode.IN_APP
    )
    action_item(TODAY + 7 * DAY)
    sweep()
    assert len(reminders(county)) == 2 and len(mail.outbox) == 1


def test_the_database_refuses_a_second_reminder_of_the_same_threshold(county, owner):
    first = factories.NotificationFactory(county=county, recipient=owner, item_key="actionitem:1")
    with county_context([county]), pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            county=county,
            recipient=owner,
            item_key=first.item_key,
            threshold=first.threshold,
            kind=first.kind,
            title="Again",
            due_date=first.due_date,
        )


@pytest.mark.parametrize(
    "kind,days_left,expected",
    [
        (ItemKind.ACTION_ITEM, 5, "Due in 5 days"),
        (ItemKind.ACTION_ITEM, 1, "Due tomorrow"),
        (ItemKind.ACTION_ITEM, 0, "Due today"),
        (ItemKind.ACTION_ITEM, -1, "Overdue by 1 day"),
        (ItemKind.MEETING, 7, "Starts in 7 days"),
        (ItemKind.PARTICIPATION, 1, "Starts tomorrow"),
    ],
)
def test_the_reminder_says_when_in_words(kind, days_left, expected):
    now = timezone.now()
    notification = factories.NotificationFactory.build(
        kind=kind, created_at=now, due_date=timezone.localdate(now) + days_left * DAY
    )
    assert reminder_when(notification) == expected
