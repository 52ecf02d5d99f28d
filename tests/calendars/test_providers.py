"""Every dated thing of the product reaches the calendar, with who is responsible and
whether it is done — and only the county's own (a neighbour in every test)."""

from collections import Counter
from datetime import date

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calendars.items import ItemKind, dated_items
from jwp.tenancy import county_context
from tests import factories
from tests.calendars.world import YEAR, World


def _items(county, start=YEAR[0], end=YEAR[1], **kwargs):
    with county_context([county]):
        return dated_items(county, start, end, **kwargs)


def test_every_kind_appears_for_a_year(county):
    World(county).add(3)
    kinds = Counter(item.kind for item in _items(county))
    assert kinds == {
        ItemKind.PFM: 11,
        ItemKind.USAID: 5,
        ItemKind.SECTOR_PLAN_STEP: 3,
        ItemKind.PARTICIPATION: 6,  # opens and closes
        ItemKind.NOMINATION: 3,
        ItemKind.MEETING: 3,
        ItemKind.ACTION_ITEM: 3,
        ItemKind.MILESTONE: 3,
        # 3 indicators × Q1–Q3 (Q4 is due on 31 July, in the next year)
        ItemKind.RESULT_SUBMISSION: 9,
        ItemKind.JWP: 3,
        ItemKind.ADAPTATION: 3,
        ItemKind.RECOMMENDATION: 3,
    }


def test_items_are_sorted_by_date_and_keys_are_unique(county):
    World(county).add(3)
    items = _items(county)
    assert [(i.date, i.key) for i in items] == sorted((i.date, i.key) for i in items)
    assert len({i.key for i in items}) == len(items)
    assert all(i.county_id == county.pk for i in items)


def test_done_flags_follow_each_rows_state(county):
    World(county).add(3)
    done = {}
    for item in _items(county):
        done.setdefault(item.kind, []).append(item.done)
    # The first row of each kind was completed; the others are open.
    for kind in (
        ItemKind.SECTOR_PLAN_STEP,
        ItemKind.NOMINATION,
        ItemKind.MILESTONE,
        ItemKind.ADAPTATION,
        ItemKind.RECOMMENDATION,
    ):
        assert done[kind] == [True, False, False], kind
    results = [i for i in _items(county, kinds=[ItemKind.RESULT_SUBMISSION]) if i.done]
    assert [i.key.rsplit(":", 1)[1] for i in results] == ["q1"]  # only the submitted one
    # Meetings and windows in the past are done (it is past 2025/26).
    assert all(done[ItemKind.MEETING]) and all(done[ItemKind.PARTICIPATION])


def test_responsible_users_per_kind(county):
    world = World(county).add(2)
    items = {i.key: i for i in _items(county)}
    steps = [i for i in items.values() if i.kind == ItemKind.SECTOR_PLAN_STEP]
    assert all(world.sector_lead.pk in i.responsible_user_ids for i in steps)
    assert all(i.sector_id == world.sector.pk for i in steps)
    nominations = [i for i in items.values() if i.kind == ItemKind.NOMINATION]
    partner_users = {org.pk: user.pk for org, user in world.partners}
    assert {i.responsible_user_ids for i in nominations} <= {(u,) for u in partner_users.values()}
    assert all(i.responsible_user_ids for i in nominations)
    results = [i for i in items.values() if i.kind == ItemKind.RESULT_SUBMISSION]
    assert all(len(i.responsible_user_ids) == 1 for i in results)
    assert all(i.sector_id == world.sector.pk for i in results)
    actions = sorted(
        (i for i in items.values() if i.kind == ItemKind.ACTION_ITEM), key=lambda i: i.date
    )
    assert actions[0].responsible_user_ids == (world.sector_lead.pk,)
    assert actions[1].responsible_user_ids == ()  # no account: the secretariat
    adaptations = sorted(
        (i for i in items.values() if i.kind == ItemKind.ADAPTATION), key=lambda i: i.date
    )
    assert adaptations[0].responsible_user_ids == (world.sector_lead.pk,)  # the named person
    assert adaptations[0].sector_id == world.sector.pk
    # else the responsible organization's partner members
    assert adaptations[1].responsible_user_ids == (world.partners[-1][1].pk,)
    recommendations = [i for i in items.values() if i.kind == ItemKind.RECOMMENDATION]
    assert all(len(i.responsible_user_ids) == 1 for i in recommendations)
    pfm = [i for i in items.values() if i.kind == ItemKind.PFM]
    assert all(i.responsible_user_ids == () and i.legal_reference for i in pfm)
    assert "pfm:cfsp:2025/26" in items


def test_result_submissions_are_due_a_month_after_each_quarter(county):
    World(county).add(1)
    items = _items(county, YEAR[0], date(2026, 7, 31), kinds=[ItemKind.RESULT_SUBMISSION])
    dates = sorted(i.date for i in items)
    assert dates == [date(2025, 10, 31), date(2026, 1, 31), date(2026, 4, 30), date(2026, 7, 31)]


def test_a_draft_plans_indicators_owe_no_results(county):
    from workplans.models import JointWorkPlan

    world = World(county).add(1)
    with county_context([county]):
        JointWorkPlan.objects.for_county(county).filter(pk=world.workplan.pk).update(status="draft")
    assert not _items(county, kinds=[ItemKind.RESULT_SUBMISSION])


def test_a_range_cuts_the_items(county):
    World(county).add(3)
    items = _items(county, date(2025, 9, 1), date(2025, 9, 30))
    assert {i.kind for i in items} == {ItemKind.PFM, ItemKind.USAID, ItemKind.SECTOR_PLAN_STEP}
    assert all(date(2025, 9, 1) <= i.date <= date(2025, 9, 30) for i in items)


def test_a_neighbours_rows_never_appear(county, neighbour):
    World(neighbour).add(3)
    items = _items(county)
    assert {i.kind for i in items} == {ItemKind.PFM, ItemKind.USAID}


def test_the_providers_read_as_many_queries_for_10_rows_as_for_3(county, neighbour):
    world = World(county).add(3)
    World(neighbour).add(2)
    with CaptureQueriesContext(connection) as few:
        three = _items(county)
    world.add(7)
    with CaptureQueriesContext(connection) as many:
        ten = _items(county)
    assert len(ten) > len(three)
    # 17 queries on PostgreSQL: savepoint, set_config; JWP events; plan steps + the sector
    # leads (read once, shared); participation windows; nominations + the partners (read
    # once, shared); meetings; action items; review milestones; indicators + results;
    # adaptations; recommendations; set_config (restore), release. The PFM and USAID
    # items are computed (no query).
    assert len(many) == len(few), [q["sql"][:90] for q in many.captured_queries]
    assert len(few) <= 17, [q["sql"][:90] for q in few.captured_queries]


def test_seasons_events_and_meetings_under_way_are_not_left_open_for_reminders(county):
    """The reminder sweep reminds what is not done, and calls it overdue after its date:
    a season, an event or a meeting that has begun must not be "overdue"."""
    factories.CalendarEventFactory(
        county=county, starts_on=date(2026, 10, 14), ends_on=date(2026, 10, 16)
    )
    with time_machine.travel("2026-10-15 09:00 +03:00", tick=False):
        items = {i.key: i for i in _items(county, date(2026, 9, 1), date(2026, 12, 31))}
        event = next(i for i in items.values() if i.kind == ItemKind.JWP)
        assert event.done
        assert items["usaid:planning-opens:FY2027"].done  # 1 Sep, season until 31 Dec
        assert not items["usaid:planning-closes:FY2027"].done
        assert not items["pfm:quarterly-report:2026/27-q1"].done  # 30 Oct
