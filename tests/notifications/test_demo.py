"""The demo runs this morning's sweep: `make run` shows reminders under the bell and
e-mails waiting for the worker."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from jwp.models import User
from jwp.tenancy import county_context
from notifications.models import DeliveryStatus, EmailDelivery, Notification, Threshold

pytestmark = pytest.mark.django_db


def test_the_demo_s_action_items_are_reminded_to_their_owners(client, county):
    call_command("seed_demo", stdout=StringIO())
    client.force_login(User.objects.get(email="secretariat@samburu.demo"))
    # The action items' reminders (the demo's other turns and flags would push them past
    # the first page on some days).
    response = client.get(reverse("notifications:list"), {"kind": "action_item"})
    html = response.content.decode()
    assert "Consolidate the draft JWP for the TWG" in html  # the secretariat's own, in 5 days
    assert "Name youth and women" in html  # its owner has no account: the secretariat
    assert "Submit partner cost-share commitments" not in html  # the partner's
    assert 'class="bell-count"' in html

    client.force_login(User.objects.get(email="partner@nawiri.demo"))
    page = client.get(reverse("notifications:list")).context["page"]
    [overdue] = [n for n in page.object_list if n.threshold == Threshold.OVERDUE]
    assert overdue.title == "Submit partner cost-share commitments for the draft JWP"

    with county_context([county]):
        statuses = set(EmailDelivery.objects.for_county(county).values_list("status", flat=True))
    assert statuses == {DeliveryStatus.PENDING}  # the worker sends them after the seed commits


def test_something_waits_for_the_secretariat_and_for_nawiri_in_the_demo(client, county):
    call_command("seed_demo", stdout=StringIO())
    page = reverse("waiting:page", args=[county.slug])
    client.force_login(User.objects.get(email="secretariat@samburu.demo"))
    keys = [row.item.key for row in client.get(page).context["page"].object_list]
    assert any(key.startswith("progressreport:") for key in keys)  # the Q3 report in review
    assert any(key.endswith(":decide") for key in keys)  # World Vision's nominee
    client.force_login(User.objects.get(email="partner@nawiri.demo"))
    response = client.get(page)
    keys = [row.item.key for row in response.context["page"].object_list]
    assert any(key.endswith(":nominate") for key in keys)  # invited to the Health SWG
    with county_context([county]):
        turns = Notification.objects.for_county(county).filter(
            recipient__email="partner@nawiri.demo", threshold=Threshold.TURN
        )
        # the invitation to nominate is an unread turn (the chain's past turns are read)
        unread = turns.filter(read_at__isnull=True)
        assert unread.filter(item_key__startswith="nomination:").exists()
        assert not turns.filter(read_at__isnull=True, item_key__startswith="workplan:").exists()
