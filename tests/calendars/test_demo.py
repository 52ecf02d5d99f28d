"""The calendar demo leaves items in the next 14 days (the reminder sweep relies on it)."""

from datetime import timedelta

from django.utils import timezone

from calendars import demo
from calendars.items import ItemKind, dated_items
from counties.demo import Demo
from jwp.fiscal import kenyan_year, parse_year
from jwp.roles import Role
from jwp.tenancy import county_context


def test_the_demo_schedules_jwp_events_in_the_next_two_weeks_in_both_counties(
    county, neighbour, make_member
):
    users = {
        "secretariat@samburu.demo": make_member(county, Role.SECRETARIAT),
        "secretariat@turkana.demo": make_member(neighbour, Role.SECRETARIAT),
    }
    demo.seed(Demo(counties={county.code: county, neighbour.code: neighbour}, users=users))
    today = timezone.localdate()
    for place in (county, neighbour):
        with county_context([place]):
            soon = dated_items(place, today, today + timedelta(days=14), kinds=[ItemKind.JWP])
            everything = dated_items(
                place,
                today - timedelta(days=800),
                today + timedelta(days=400),
                kinds=[ItemKind.JWP],
            )
        assert soon and all(not item.done for item in soon), place
        assert all(item.county_id == place.pk for item in everything)
    # The last finished cycle, a fiscal year before today's: all of it held.
    label = demo.last_cycle_label()
    last = parse_year(label)
    assert last.end < kenyan_year(today).start
    with county_context([county]):
        cycle = dated_items(county, *last.bounds, kinds=[ItemKind.JWP], today=today)
    titles = [i.title for i in cycle]
    assert (
        f"Co-creation workshop {label}" in titles
        and f"Close-out and learning event {label}" in titles
    )
    assert len(cycle) == len(demo.LAST_CYCLE) and all(i.done for i in cycle)
