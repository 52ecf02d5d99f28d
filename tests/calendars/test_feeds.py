"""ICS feeds: the RFC 5545 writer, and what each secret link may show."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calendars import ics, services
from calendars.items import DatedItem
from calendars.models import FeedToken, hash_token
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from tests.calendars.world import World

STAMP = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def _item(**kwargs) -> DatedItem:
    fields = {"key": "jwpevent:7", "county_id": 25, "kind": "jwp", "title": "TWG review"}
    fields.update(kwargs)
    fields.setdefault("date", date(2026, 12, 1))
    return DatedItem(**fields)


# --- the writer ----------------------------------------------------------------------


def test_text_is_escaped():
    assert ics.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "Ushirikiano wa kaunti — " * 10
    folded = ics.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join([pieces[0], *(p[1:] for p in pieces[1:])]) == line
    short = "SUMMARY:short"
    assert ics.fold(short) == short
    # Multi-byte characters at the edge stay whole.
    assert all(p.encode().decode() for p in ics.fold("X:" + "é" * 100).split("\r\n"))


def test_a_calendar_of_all_day_events_with_crlf_dtstamp_and_uid():
    body = ics.calendar(
        [
            _item(title="Pause, reflect; learn", end=date(2026, 12, 2)),
            _item(
                key="pfm:cfsp:2025/26",
                kind="pfm",
                title="County Fiscal Strategy Paper",
                date=date(2026, 2, 28),
                legal_reference="PFM Act 2012 s.117",
                url="/samburu/calendar/",
            ),
        ],
        name="JWP · Samburu",
        stamp=STAMP,
        base_url="https://jwp.example/",
    )
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # CRLF only
    assert body.count("BEGIN:VEVENT") == 2 and body.count("DTSTAMP:20261123T060000Z") == 2
    assert "UID:jwpevent:7.county-25@jwp.calendar" in body
    assert "UID:pfm:cfsp:2025/26.county-25@jwp.calendar" in body
    # All-day: VALUE=DATE and an exclusive end (a two-day event ends the day after).
    assert "DTSTART;VALUE=DATE:20261201\r\nDTEND;VALUE=DATE:20261203" in body
    assert "DTSTART;VALUE=DATE:20260228\r\nDTEND;VALUE=DATE:20260301" in body
    assert "SUMMARY:Pause\\, reflect\\; learn" in body
    assert "DESCRIPTION:County PFM milestone\\nPFM Act 2012 s.117" in body
    assert "URL:https://jwp.example/samburu/calendar/" in body


# --- the feeds -------------------------------------------------------------------------


def _feed(client, token):
    return client.get(reverse("calendar_feed", args=[token]))


def test_a_county_feed_has_the_countys_items_and_never_a_neighbours(
    client, county, neighbour, secretariat
):
    factories.CalendarEventFactory(county=county, title="Samburu TWG review")
    factories.CalendarEventFactory(county=neighbour, title="Turkana TWG review")
    with county_context([county]):
        token = services.county_feed_issue(county=county, actor=secretariat)
    response = _feed(client, token)  # no login: the token is the credential
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert "Samburu TWG review" in body and "Turkana" not in body
    assert f".county-{county.pk}@" in body and f".county-{neighbour.pk}@" not in body
    assert "pfm:" in body  # the statutory calendar too


def test_a_user_feed_has_the_items_of_all_the_users_counties_only(
    client, county, neighbour, make_member
):
    user = make_member(county, Role.PARTNER)
    factories.CalendarEventFactory(county=county, title="Samburu TWG review")
    factories.CalendarEventFactory(county=neighbour, title="Turkana TWG review")
    token = services.user_feed_issue(user=user)
    body = _feed(client, token).content.decode()
    assert "Samburu TWG review" in body and "Turkana TWG review" not in body
    # Once the user is also a member in Turkana, the same link shows both.
    membership = factories.MembershipFactory(county=neighbour, user=user, role=Role.OBSERVER)
    body = _feed(client, token).content.decode()
    assert "Samburu TWG review" in body and "Turkana TWG review" in body
    # Revoked from Turkana: Turkana's items leave the feed at once.
    with county_context([neighbour]):
        membership.delete()
    body = _feed(client, token).content.decode()
    assert "Samburu TWG review" in body and "Turkana TWG review" not in body


def test_revoked_regenerated_and_unknown_tokens_are_404(client, county, secretariat):
    first = services.user_feed_issue(user=secretariat)
    second = services.user_feed_issue(user=secretariat)  # the old link stops working
    assert _feed(client, first).status_code == 404
    assert _feed(client, second).status_code == 200
    services.user_feed_revoke(user=secretariat)
    assert _feed(client, second).status_code == 404
    assert _feed(client, "not-a-token").status_code == 404
    with county_context([county]):
        token = services.county_feed_issue(county=county, actor=secretariat)
        services.county_feed_revoke(county=county, actor=secretariat)
    assert _feed(client, token).status_code == 404


def test_tokens_are_stored_hashed_only(county, secretariat):
    token = services.user_feed_issue(user=secretariat)
    feed = FeedToken.objects.get(user=secretariat)
    assert feed.token_hash == hash_token(token) and token not in feed.token_hash
    assert len(token) >= 40


def test_an_inactive_users_feed_is_404(client, county, make_member):
    user = make_member(county, Role.OBSERVER)
    token = services.user_feed_issue(user=user)
    user.is_active = False
    user.save()
    assert _feed(client, token).status_code == 404


def test_the_feeds_page_shows_a_new_link_once(client, county, secretariat):
    client.force_login(secretariat)
    url = reverse("calendars:feeds", args=[county.slug])
    response = client.post(url, {"which": "personal", "action": "issue"}, follow=True)
    body = response.content.decode()
    link = response.context["new"]["url"]
    assert "shown only once" in body and link in body and link.endswith(".ics")
    assert client.get(link).status_code == 200
    body = client.get(url).content.decode()
    assert link not in body and "A link is active since" in body


def test_the_secretariat_manages_the_county_feed_and_it_is_audited(client, county, secretariat):
    client.force_login(secretariat)
    url = reverse("calendars:feeds", args=[county.slug])
    client.post(url, {"which": "county", "action": "issue"})
    client.post(url, {"which": "county", "action": "revoke"})
    assert not FeedToken.objects.filter(county=county, revoked_at__isnull=True).exists()
    with county_context([county]):
        verbs = set(AuditEvent.objects.for_county(county).values_list("verb", flat=True))
    assert {"calendar_feed.issue", "calendar_feed.revoke"} <= verbs


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.PARTNER, Role.EXECUTIVE])
def test_other_roles_cannot_touch_the_county_feed(client, county, make_member, role):
    client.force_login(make_member(county, role))
    url = reverse("calendars:feeds", args=[county.slug])
    assert client.post(url, {"which": "county", "action": "issue"}).status_code == 403
    assert "county calendar" not in client.get(url).content.decode()
    # Their own personal feed they may make.
    assert client.post(url, {"which": "personal", "action": "issue"}).status_code == 302


def test_the_feed_reads_a_fixed_window_around_today(client, county, secretariat):
    factories.CalendarEventFactory(county=county, title="Far future", starts_on=date(2031, 1, 1))
    token = services.user_feed_issue(user=secretariat)
    with time_machine.travel("2026-11-23 09:00 +03:00", tick=False):
        body = _feed(client, token).content.decode()
    assert "Far future" not in body and "pfm:cfsp:2026/27" in body


def test_a_county_feed_reads_as_many_queries_for_10_rows_as_for_3(client, county, secretariat):
    world = World(county).add(3)
    with county_context([county]):
        token = services.county_feed_issue(county=county, actor=secretariat)
    with time_machine.travel("2026-01-10 09:00 +03:00", tick=False):  # 2025/26 in the window
        with CaptureQueriesContext(connection) as few:
            assert _feed(client, token).status_code == 200
        world.add(7)
        with CaptureQueriesContext(connection) as many:
            body = _feed(client, token).content.decode()
    assert body.count("BEGIN:VEVENT") > 60
    # token lookup, the providers' queries inside the county's context, last_used_at
    assert len(many) == len(few), [q["sql"][:90] for q in many.captured_queries]
