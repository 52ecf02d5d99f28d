"""The month, list and clash pages; JWP events (roles, validation, stale edits, audit)."""

from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calendars.models import CalendarEvent
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from tests.calendars.world import World

# The clock is mocked: "today" is 23 November 2026 in these tests.
TODAY = "2026-11-23 09:00 +03:00"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _url(name, county, *args):
    return reverse(f"calendars:{name}", args=[county.slug, *args])


def test_the_month_shows_both_calendars_today_and_items_as_links(client, county, make_member):
    event = factories.CalendarEventFactory(county=county, starts_on=date(2026, 11, 27))
    client.force_login(make_member(county, Role.OBSERVER))
    body = client.get(_url("month", county)).content.decode()
    assert "November 2026 · 2026/27 Q2 · FY2027 Q1" in body
    assert 'aria-current="date"' in body
    assert f'href="{_url("event", county, event.pk)}"' in body
    assert "?month=2026-10" in body and "?month=2026-12" in body
    assert "Add a JWP event" not in body  # an observer only reads


def test_the_month_moves_and_filters(client, county, make_member):
    factories.CalendarEventFactory(county=county, title="Co-creation", starts_on=date(2026, 9, 8))
    client.force_login(make_member(county, Role.OBSERVER))
    body = client.get(_url("month", county), {"month": "2026-09"}).content.decode()
    assert "September 2026 · 2026/27 Q1 · FY2026 Q4" in body
    assert "Co-creation" in body and "Annual Development Plan" in body  # 1 Sep
    body = client.get(_url("month", county), {"month": "2026-09", "kind": "pfm"}).content.decode()
    assert "Co-creation" not in body and "Annual Development Plan" in body
    # A bad month falls back to this month rather than failing.
    assert "November 2026" in client.get(_url("month", county), {"month": "13-x"}).content.decode()


def test_the_list_filters_by_kind_sector_period_and_dates(client, county, make_member):
    sector = factories.SectorFactory(county=county, name="Water")
    factories.CalendarEventFactory(
        county=county, title="Water TWG", starts_on=date(2026, 12, 3), sector=sector
    )
    factories.CalendarEventFactory(county=county, title="Close-out", starts_on=date(2027, 6, 20))
    client.force_login(make_member(county, Role.OBSERVER))
    url = _url("list", county)
    body = client.get(url).content.decode()  # from today to the end of 2026/27
    assert "Water TWG" in body and "Close-out" in body and "County Fiscal Strategy Paper" in body
    assert "Annual Development Plan" not in body  # 1 Sep 2026 is before today
    body = client.get(url, {"sector": sector.pk}).content.decode()
    assert "Water TWG" in body and "Close-out" not in body and "Fiscal Strategy" not in body
    body = client.get(url, {"kind": "jwp", "period": "FY2027 Q1"}).content.decode()
    assert "Water TWG" in body and "Close-out" not in body
    body = client.get(url, {"period": "2026/27 Q1"}).content.decode()  # Kenyan Q1: Jul–Sep
    assert "Annual Development Plan" in body and "Water TWG" not in body
    body = client.get(url, {"date_from": "2027-06-01", "date_to": "2027-06-30"}).content.decode()
    assert "Close-out" in body and "Water TWG" not in body
    assert "County Appropriation law" in body and "PFM Act 2012 s.131" in body


def test_only_mine_keeps_what_the_user_is_responsible_for(client, county, make_member):
    world = World(county).add(2)
    client.force_login(world.sector_lead)
    page = client.get(_url("list", county), {"period": "2025/26", "mine": "on"}).context["page"]
    kinds = {i.kind for i in page.object_list}
    # The sector lead: their sector's plan steps and windows, the action item and the
    # adaptation named after them; not the statutory calendar or the partners' results.
    assert kinds == {"sector_plan_step", "participation", "action_item", "adaptation"}
    client.force_login(make_member(county, Role.SECRETARIAT))
    page = client.get(_url("list", county), {"period": "2025/26", "mine": "on"}).context["page"]
    assert "pfm" in {i.kind for i in page.object_list}  # nobody named: the secretariat's
    assert "result_submission" not in {i.kind for i in page.object_list}


def test_the_list_says_what_is_wrong_with_a_filter(client, county, make_member):
    client.force_login(make_member(county, Role.OBSERVER))
    body = client.get(_url("list", county), {"period": "2026-27"}).content.decode()
    assert "write it as 2025/26 (Kenya) or FY2026 (USAID)" in body
    body = client.get(
        _url("list", county), {"date_from": "2027-01-10", "date_to": "2027-01-01"}
    ).content.decode()
    assert "must be on or after" in body
    body = client.get(_url("list", county), {"date_from": "9999-12-01"}).content.decode()
    assert "Choose a date between 1900 and 2198" in body


def test_years_beyond_the_calendar_are_refused_not_a_server_error(client, county, make_member):
    client.force_login(make_member(county, Role.OBSERVER))
    response = client.get(_url("month", county), {"month": "9999-12"})
    assert response.status_code == 200 and "November 2026" in response.content.decode()
    response = client.get(_url("clash", county), {"year": "FY9999"})
    assert response.status_code == 200 and "between 1900 and 2199" in response.context["error"]


def test_the_list_is_paginated(client, county, make_member):
    for day in range(1, 29):
        factories.CalendarEventFactory(county=county, starts_on=date(2027, 2, day))
    client.force_login(make_member(county, Role.OBSERVER))
    body = client.get(_url("list", county), {"kind": "jwp"}).content.decode()
    assert "Page 1 of 1" not in body and body.count("TWG review") == 28
    factories.CalendarEventFactory(county=county, starts_on=date(2027, 3, 1))
    factories.CalendarEventFactory(county=county, starts_on=date(2027, 3, 2))
    factories.CalendarEventFactory(county=county, starts_on=date(2027, 3, 3))
    body = client.get(_url("list", county), {"kind": "jwp"}).content.decode()
    assert "Page 1 of 2" in body and "kind=jwp" in body


def test_the_clash_view_marks_county_milestones_in_the_usaid_season(client, county, make_member):
    factories.CalendarEventFactory(
        county=county, kind="co_creation", title="Co-creation", starts_on=date(2026, 10, 28)
    )
    client.force_login(make_member(county, Role.OBSERVER))
    response = client.get(_url("clash", county), {"year": "2026/27"})
    rows = {r.item.key: r for r in response.context["rows"]}
    assert rows["pfm:adp:2026/27"].in_season is not None  # 1 Sep, in Sep–Dec
    assert rows["pfm:cbrop:2026/27"].is_clash
    assert not rows["pfm:cfsp:2026/27"].is_clash  # 28 Feb: clear of the season
    assert not rows["pfm:appropriation:2026/27"].is_clash
    # The first-quarter report (30 Oct) is two days after the co-creation workshop.
    report = rows["pfm:quarterly-report:2026/27-q1"]
    assert [o.title for o in report.clashes] == ["Co-creation"]
    # Meetings count as JWP process too (a TWG meeting the week of the CFSP).
    factories.MeetingFactory(county=county, title="TWG meeting", starts_at=_noon(2027, 2, 24))
    rows = {r.item.key: r for r in client.get(_url("clash", county)).context["rows"]}
    assert [o.title for o in rows["pfm:cfsp:2026/27"].clashes] == ["TWG meeting"]
    body = response.content.decode()
    assert "2026/27 · FY2026 Q4 – FY2027 Q3" in body and "inside the USAID planning season" in body
    # A USAID year works too; a bad label says why and shows the current year.
    assert client.get(_url("clash", county), {"year": "FY2027"}).context["year"].label == "FY2027"
    response = client.get(_url("clash", county), {"year": "2026/28"})
    assert (
        response.context["year"].label == "2026/27"
        and "the year after" in response.context["error"]
    )


def _noon(*ymd):
    return timezone.make_aware(datetime(*ymd, 12))


# --- JWP events ---------------------------------------------------------------------


def _form(**overrides):
    data = {"kind": "pause_and_reflect", "title": "Pause and reflect", "starts_on": "2026-12-08"}
    data.update(overrides)
    return data


def test_the_secretariat_schedules_a_jwp_event_and_it_is_audited(client, county, secretariat):
    client.force_login(secretariat)
    response = client.post(_url("event_new", county), _form(ends_on="2026-12-09"))
    assert response.status_code == 302 and response["Location"].endswith("?month=2026-12")
    with county_context([county]):
        event = CalendarEvent.objects.for_county(county).get()
        assert (
            AuditEvent.objects.for_county(county)
            .filter(verb="calendar_event.create", target_id=str(event.pk))
            .exists()
        )
    assert (event.created_by, event.ends_on) == (secretariat, date(2026, 12, 9))


def test_an_event_cannot_end_before_it_starts_and_the_form_keeps_the_input(
    client, county, secretariat
):
    client.force_login(secretariat)
    response = client.post(_url("event_new", county), _form(ends_on="2026-12-01"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "cannot be before the date the event starts" in body and "Pause and reflect" in body
    with county_context([county]):
        assert not CalendarEvent.objects.for_county(county).exists()


def test_an_event_in_year_9999_is_refused(client, county, secretariat):
    client.force_login(secretariat)
    response = client.post(_url("event_new", county), _form(starts_on="9999-12-31"))
    assert response.status_code == 200 and "starts_on" in response.context["form"].errors


def test_a_neighbours_sector_is_refused(client, county, neighbour, secretariat):
    other = factories.SectorFactory(county=neighbour)
    client.force_login(secretariat)
    response = client.post(_url("event_new", county), _form(sector=other.pk))
    assert response.status_code == 200 and "sector" in response.context["form"].errors


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.PARTNER, Role.SECTOR_LEAD, Role.EXECUTIVE])
def test_only_the_secretariat_manages_events(client, county, make_member, role):
    event = factories.CalendarEventFactory(county=county)
    client.force_login(make_member(county, role))
    assert client.get(_url("event", county, event.pk)).status_code == 200
    assert client.post(_url("event_new", county), _form()).status_code == 403
    assert client.post(_url("event_edit", county, event.pk), _form()).status_code == 403
    assert client.post(_url("event_delete", county, event.pk)).status_code == 403


def test_a_stale_edit_does_not_overwrite_a_newer_one(client, county, secretariat):
    event = factories.CalendarEventFactory(county=county, title="Inception")
    client.force_login(secretariat)
    url = _url("event_edit", county, event.pk)
    first = client.post(url, _form(title="Inception (moved)", row_version=1))
    assert first.status_code == 302
    second = client.post(url, _form(title="Inception (other)", row_version=1))
    assert second.status_code == 200 and "changed this event meanwhile" in second.content.decode()
    with county_context([county]):
        event.refresh_from_db()
    assert (event.title, event.row_version) == ("Inception (moved)", 2)


def test_removing_an_event_is_audited(client, county, secretariat):
    event = factories.CalendarEventFactory(county=county)
    client.force_login(secretariat)
    assert client.post(_url("event_delete", county, event.pk)).status_code == 302
    with county_context([county]):
        assert not CalendarEvent.objects.for_county(county).exists()
        assert AuditEvent.objects.for_county(county).filter(verb="calendar_event.delete").exists()


# --- query counts ------------------------------------------------------------------------


# PostgreSQL counts: savepoints and set_config calls included. Both pages: session, user,
# county, membership, the switcher's memberships (+ set_config), the bell's count, the
# sector filter, and one dated_items() call. In the year (list): the providers' 13
# queries (events; steps + sector leads; windows; nominations + partners; meetings;
# action items; milestones; indicators + results; adaptations; recommendations). In
# December 2025 (month) only meetings and action items have rows, no result is due:
# the people and indicator queries are not needed.
@pytest.mark.parametrize(
    "name,params,bound",
    [("list", {"period": "2025/26"}, 29), ("month", {"month": "2025-12"}, 25)],
)
def test_the_pages_read_as_many_queries_for_10_rows_as_for_3(
    client, county, make_member, is_postgres, name, params, bound
):
    world = World(county).add(3)
    client.force_login(make_member(county, Role.OBSERVER))
    url = _url(name, county)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    world.add(7)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, params)
    assert response.status_code == 200
    body = response.content.decode()
    if name == "month":
        assert body.count(">TWG meeting") == 10
    else:
        assert response.context["page"].paginator.count > 60 and "Page 1 of" in body
    assert len(many) == len(few), [q["sql"][:90] for q in many.captured_queries]
    if is_postgres:
        assert len(few) <= bound, [q["sql"][:90] for q in few.captured_queries]
