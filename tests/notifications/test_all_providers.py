"""The sweep with every provider registered (statutory calendars, meetings, plans...)."""

from datetime import datetime, time, timedelta

import pytest
import time_machine

from calendars.items import dated_items
from jwp.tenancy import county_context
from notifications.models import Notification
from notifications.services.reminders import county_reminders_sweep, threshold_for
from tests import factories
from tests.notifications.conftest import NAIROBI, TODAY

pytestmark = pytest.mark.django_db


def test_every_provider_s_open_items_are_reminded_once(county, secretariat, action_item, sweep):
    action_item(TODAY + timedelta(days=3), owner_user=None)
    sweep()
    sweep()
    with county_context([county]):
        items = {
            item.key: item
            for item in dated_items(
                county, TODAY - timedelta(days=30), TODAY + timedelta(days=14), today=TODAY
            )
        }
        rows = list(Notification.objects.for_county(county).values_list("item_key", "threshold"))
    expected = {
        (key, threshold_for(item.date, TODAY))
        for key, item in items.items()
        if not item.done and threshold_for(item.date, TODAY)
    }
    assert ("actionitem:", "d7") in {(key[:11], th) for key, th in expected}
    assert sorted(rows) == sorted(expected)  # one per item (all the secretariat's), no duplicates


def test_a_sweep_for_a_given_day_judges_every_item_by_that_day_not_the_real_clock(
    county, secretariat, django_capture_on_commit_callbacks
):
    """One clock per sweep: a sweep for TODAY (a missed day caught up, the demo) reminds a
    meeting and a participation window three days after TODAY even when the machine's
    clock is already past them; before, the providers read the real date and called them
    held and opened, and nothing was sent."""
    three_days_on = datetime.combine(TODAY + timedelta(days=3), time(9, 0), tzinfo=NAIROBI)
    meeting = factories.MeetingFactory(county=county, starts_at=three_days_on)
    window = factories.ParticipationWindowFactory(
        county=county, opens_at=three_days_on, closes_at=three_days_on + timedelta(days=14)
    )
    with (
        time_machine.travel(three_days_on + timedelta(days=10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
        county_context([county]),
    ):
        county_reminders_sweep(county=county, today=TODAY)
        keys = set(Notification.objects.for_county(county).values_list("item_key", "threshold"))
    assert (f"meeting:{meeting.pk}", "d7") in keys
    assert (f"participation:{window.pk}:opens", "d7") in keys
