"""Home's cards: the count in the heading and the rows come from one selector, so
"Members (9)" never lists 8 without saying there is one more."""

import pytest
from django.urls import reverse

from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories

pytestmark = pytest.mark.django_db


def _home(client, user, county):
    client.force_login(user)
    return client.get(reverse("counties:home", args=[county.slug]))


def test_members_count_and_rows_agree_and_say_how_many_more(
    client, county, neighbour, make_member, django_assert_max_num_queries
):
    users = [make_member(county, Role.OBSERVER) for _ in range(9)]
    make_member(neighbour, Role.SECRETARIAT)  # not counted here
    client.force_login(users[0])
    # as test_query_counts' home budget: the two member queries are the rows and the count
    with django_assert_max_num_queries(25):
        response = client.get(reverse("counties:home", args=[county.slug]))
    members = response.context["members"]
    assert members.total == 9 and len(members.rows) == 8 and members.more == 1
    page = response.content.decode()
    assert "(9)" in page and "and 1 more." in page


def test_a_switched_off_account_is_neither_counted_nor_listed(client, county, make_member):
    users = [make_member(county, Role.OBSERVER) for _ in range(3)]
    users[2].is_active = False
    users[2].save()
    members = _home(client, users[0], county).context["members"]
    assert members.total == 2
    assert {m.user_id for m in members.rows} == {users[0].pk, users[1].pk}


def test_a_short_list_is_counted_without_a_second_query(
    county, neighbour, django_assert_num_queries
):
    from counties import selectors

    factories.MembershipFactory(county=county)
    factories.MembershipFactory(county=neighbour)
    with county_context([county]), django_assert_num_queries(1):
        preview = selectors.preview(selectors.county_members(county=county), limit=8)
    assert preview.total == 1 and preview.more == 0


def test_neighbours_member_cannot_open_this_home(client, county, neighbour, make_member):
    assert _home(client, make_member(neighbour, Role.SECRETARIAT), county).status_code == 404
