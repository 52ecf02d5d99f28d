"""The bell, the list (filters, mark one / all read), preferences and the secretariat's
e-mail page: each user sees only their own notifications, only in counties they belong to."""

import pytest
from django.urls import reverse
from django.utils import timezone

from calendars.items import ItemKind
from counties.models import Membership
from jwp.roles import Role
from jwp.tenancy import county_context
from notifications.models import DeliveryMode, Notification, NotificationPreference
from tests import factories

pytestmark = pytest.mark.django_db
LIST = reverse("notifications:list")


def notify(county, user, n: int = 1, **fields) -> list[Notification]:
    return [
        factories.NotificationFactory(county=county, recipient=user, **fields) for _ in range(n)
    ]


def bell(response) -> str:
    html = response.content.decode()
    start = html.index('id="bell"')
    return html[start : html.index("</a>", start)]


def test_the_bell_counts_unread_notifications_of_all_my_counties(
    client, county, neighbour, make_member
):
    me = make_member(county, Role.PARTNER)
    factories.MembershipFactory(county=neighbour, user=me, role=Role.PARTNER)
    notify(county, me, 2)
    notify(neighbour, me, 1)
    notify(county, me, 1, read_at=timezone.now())
    notify(county, make_member(county), 5)  # someone else's
    client.force_login(me)
    response = client.get(reverse("counties:home", args=[county.slug]))
    assert '<span class="bell-count">3</span>' in bell(response)
    assert "3 unread notifications" in bell(response)


def test_after_leaving_a_county_its_notifications_are_gone(client, county, neighbour, make_member):
    me = make_member(county, Role.PARTNER)
    factories.MembershipFactory(county=neighbour, user=me, role=Role.PARTNER)
    notify(county, me, 1, title="Samburu reminder")
    notify(neighbour, me, 1, title="Turkana reminder")
    with county_context([neighbour]):
        Membership.objects.for_county(neighbour).filter(user=me).delete()
    client.force_login(me)
    response = client.get(LIST)
    assert "Samburu reminder" in response.content.decode()
    assert "Turkana reminder" not in response.content.decode()
    assert '<span class="bell-count">1</span>' in bell(response)


def test_the_list_shows_only_my_own_notifications(client, county, make_member):
    me, colleague = make_member(county), make_member(county)
    notify(county, me, 1, title="Mine to do")
    notify(county, colleague, 1, title="Colleague's to do")
    client.force_login(me)
    html = client.get(LIST).content.decode()
    assert "Mine to do" in html and "Colleague's to do" not in html


def test_no_notifications_shows_the_empty_state(client, county, make_member):
    client.force_login(make_member(county))
    html = client.get(LIST).content.decode()
    assert "You are all caught up" in html
    assert 'class="bell-count"' not in html


def test_the_list_filters_by_state_county_and_kind(client, county, neighbour, make_member):
    me = make_member(county)
    factories.MembershipFactory(county=neighbour, user=me, role=Role.OBSERVER)
    notify(county, me, 1, title="Unread action")
    notify(county, me, 1, title="Read action", read_at=timezone.now())
    notify(neighbour, me, 1, title="Turkana meeting", kind=ItemKind.MEETING)
    client.force_login(me)

    def titles(**query):
        html = client.get(LIST, query).content.decode()
        return {t for t in ("Unread action", "Read action", "Turkana meeting") if t in html}

    assert titles() == {"Unread action", "Turkana meeting"}
    assert titles(state="all") == {"Unread action", "Read action", "Turkana meeting"}
    assert titles(state="all", county=county.slug) == {"Unread action", "Read action"}
    assert titles(kind=ItemKind.MEETING) == {"Turkana meeting"}
    assert "No notifications match" in client.get(LIST, {"kind": ItemKind.PFM}).content.decode()


def test_the_list_is_paginated(client, county, make_member):
    me = make_member(county)
    notify(county, me, 27)
    client.force_login(me)
    response = client.get(LIST)
    assert len(response.context["page"].object_list) == 25
    assert "Page 1 of 2" in response.content.decode()


def test_marking_one_read_with_htmx_swaps_the_row_and_the_bell(client, county, make_member):
    me = make_member(county)
    first, _second = notify(county, me, 2)
    client.force_login(me)
    response = client.post(reverse("notifications:read", args=[first.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{first.pk}"' in html and "Mark read" not in html
    assert 'hx-swap-oob="true"' in html and '<span class="bell-count">1</span>' in html
    factories.refresh(first)
    assert first.read_at is not None


def test_marking_one_read_without_javascript_returns_to_the_list(client, county, make_member):
    me = make_member(county)
    [notification] = notify(county, me)
    client.force_login(me)
    response = client.post(
        reverse("notifications:read", args=[notification.pk]), {"next": LIST + "?state=all"}
    )
    assert response.status_code == 302 and response["Location"] == LIST + "?state=all"


def test_nobody_marks_someone_else_s_notification(client, county, make_member):
    [theirs] = notify(county, make_member(county))
    client.force_login(make_member(county))
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    factories.refresh(theirs)
    assert theirs.read_at is None


def test_mark_all_read_marks_only_mine(client, county, make_member):
    me, colleague = make_member(county), make_member(county)
    notify(county, me, 3)
    [theirs] = notify(county, colleague)
    client.force_login(me)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "3 notifications marked read." in response.content.decode()
    assert 'class="bell-count"' not in bell(response)
    factories.refresh(theirs)
    assert theirs.read_at is None


def test_anonymous_users_are_sent_to_log_in(client):
    for url in (LIST, reverse("notifications:preferences")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_preferences_are_saved_per_kind(client, county, make_member):
    me = make_member(county)
    client.force_login(me)
    url = reverse("notifications:preferences")
    html = client.get(url).content.decode()
    assert "Action item" in html and "Daily digest e-mail" in html
    data = {kind: DeliveryMode.IMMEDIATE for kind in ItemKind.values}
    data[ItemKind.ACTION_ITEM] = DeliveryMode.DIGEST
    data[ItemKind.PFM] = DeliveryMode.IN_APP
    response = client.post(url, data, follow=True)
    assert "Your reminder preferences are saved." in response.content.decode()
    assert dict(NotificationPreference.objects.filter(user=me).values_list("kind", "mode")) == {
        ItemKind.ACTION_ITEM: DeliveryMode.DIGEST,
        ItemKind.PFM: DeliveryMode.IN_APP,
    }
    html = client.get(url).content.decode()
    assert f'name="{ItemKind.ACTION_ITEM}" value="digest" checked' in html


def test_a_bad_preference_is_refused(client, county, make_member):
    me = make_member(county)
    client.force_login(me)
    data = {kind: DeliveryMode.IMMEDIATE for kind in ItemKind.values}
    data[ItemKind.PFM] = "carrier-pigeon"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=me).exists()


# --- query counts --------------------------------------------------------------------


def _queries(client, url, django_assert_max_num_queries) -> tuple[int, int]:
    with django_assert_max_num_queries(1000) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(response.context["page"].object_list), len(captured)


def test_list_query_count(client, county, neighbour, make_member, django_assert_max_num_queries):
    me = make_member(county)
    factories.MembershipFactory(county=neighbour, user=me, role=Role.OBSERVER)
    client.force_login(me)
    notify(county, me, 2)
    notify(neighbour, me, 1)
    rows, three = _queries(client, LIST, django_assert_max_num_queries)
    assert rows == 3
    notify(county, me, 7)
    rows, ten = _queries(client, LIST, django_assert_max_num_queries)
    assert rows == 10
    assert three == ten
    # 15 queries on PostgreSQL (12 on SQLite, without set_config): request savepoint,
    # session, user, memberships (savepoint, set_config user id, SELECT, release),
    # context savepoint, set_config county ids, COUNT for the pages, the bell's COUNT
    # (the user id is set already), rows with their county, reset county ids, 2 releases
    assert ten <= 15


def test_deliveries_query_count(client, county, secretariat, django_assert_max_num_queries):
    client.force_login(secretariat)
    url = reverse("notifications_county:deliveries", args=[county.slug])
    for _ in range(3):
        factories.EmailDeliveryFactory(county=county, status="failed", last_error="refused")
    rows, three = _queries(client, url, django_assert_max_num_queries)
    assert rows == 3
    for _ in range(7):
        factories.EmailDeliveryFactory(county=county, status="pending")
    rows, ten = _queries(client, url, django_assert_max_num_queries)
    assert rows == 10
    assert three == ten
    # 17 queries on PostgreSQL (14 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county ids, membership, COUNT, the bell (the user's
    # memberships: savepoint, set_config user id, SELECT, release; COUNT unread), rows
    # with recipient, reminder and digest size, reset county ids, 2 releases
    assert ten <= 17
