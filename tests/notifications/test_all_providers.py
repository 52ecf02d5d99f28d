"""The sweep with every provider registered (statutory calendars, meetings, plans...)."""

from datetime import timedelta

import pytest

from calendars.items import dated_items
from jwp.tenancy import county_context
from notifications.models import Notification
from notifications.services.reminders import threshold_for
from tests.notifications.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_every_provider_s_open_items_are_reminded_once(county, secretariat, action_item, sweep):
    action_item(TODAY + timedelta(days=3), owner_user=None)
    sweep()
    sweep()
    with county_context([county]):
        items = {
            item.key: item
            for item in dated_items(county, TODAY - timedelta(days=30), TODAY + timedelta(days=14))
        }
        rows = list(Notification.objects.for_county(county).values_list("item_key", "threshold"))
    expected = {
        (key, threshold_for(item.date, TODAY))
        for key, item in items.items()
        if not item.done and threshold_for(item.date, TODAY)
    }
    assert ("actionitem:", "d7") in {(key[:11], th) for key, th in expected}
    assert sorted(rows) == sorted(expected)  # one per item (all the secretariat's), no duplicates
