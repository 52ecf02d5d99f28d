"""Query counts of the county workspace's HTML pages, so N+1 cannot creep in.

Every page is measured with ≥ 3 rows in each of its lists (and rows in the neighbour
county, which must not cost anything). Counts are the larger of SQLite and PostgreSQL:
PostgreSQL adds three ``set_config`` calls for row-level security (the county context's
set and reset, and the user id that lets the county switcher read the user's own
memberships in other counties).
"""

import pytest
from django.urls import reverse

from jwp import audit
from jwp.fiscal import kenyan_fy_label
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories


def page(name: str, county) -> str:
    return reverse(f"counties:{name}", kwargs={"county_slug": county.slug})


def add_members(county, n: int) -> None:
    """n members of mixed roles, so role details (sector, organization) are rendered."""
    roles = [Role.PARTNER, Role.SECTOR_LEAD, Role.OBSERVER]
    for i in range(n):
        factories.MembershipFactory(county=county, role=roles[i % len(roles)])


def add_organizations(county, n: int) -> None:
    """n organizations engaged in the county: by a partner member or by a contact."""
    for i in range(n):
        if i % 2:
            factories.ContactFactory(county=county)
        else:
            factories.MembershipFactory(county=county, role=Role.PARTNER)


def add_audit_events(county, actor, n: int) -> None:
    with county_context([county]):
        for i in range(n):
            audit.record(county=county, actor=actor, verb="test.event", summary=f"Event {i}")


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.fixture
def three_of_everything(county, neighbour, secretariat):
    """≥ 3 rows in every list: members, organizations, invitations, audit events;
    the ten sectors come from the migrations. The neighbour gets some too."""
    add_members(neighbour, 3)
    add_organizations(neighbour, 3)
    add_members(county, 3)
    add_organizations(county, 3)
    for _ in range(3):
        factories.InvitationFactory(county=county, invited_by=secretariat)
    add_audit_events(county, secretariat, 3)


def rows_and_queries(client, url, django_assert_max_num_queries) -> tuple[int, int]:
    """(rows on the page, queries it took)."""
    with django_assert_max_num_queries(1000) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(response.context["page"].object_list), len(captured)


@pytest.mark.usefixtures("three_of_everything")
def test_county_home_query_count(secretariat_client, county, django_assert_max_num_queries):
    for kind in ("twg", "secretariat", "inception_team"):
        structure = factories.StructureFactory(county=county, kind=kind, cycle=kenyan_fy_label())
        for _ in range(3):
            factories.StructureMemberFactory(county=county, structure=structure)
    # 24 queries (PostgreSQL; 21 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, COUNT members,
    # COUNT organizations, structures + their members, quadrant counts, upcoming
    # meetings, sector plans, switcher savepoint, set_config user_id, my memberships,
    # release, first 8 members, first 12 organizations, active sectors, set_config reset,
    # 2 releases
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    with django_assert_max_num_queries(25):
        response = secretariat_client.get(page("home", county))
    assert response.status_code == 200
    assert len(response.context["members"].rows) >= 3
    assert len(response.context["organizations"].rows) >= 3
    assert len(response.context["structures"]) == 3


@pytest.mark.usefixtures("three_of_everything")
def test_member_list_query_count(secretariat_client, county, django_assert_max_num_queries):
    # 19 queries (PostgreSQL; 16 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, COUNT members, switcher
    # savepoint, set_config user_id, my memberships, release, page of members, open
    # invitations, the invite form's sectors and organizations, set_config reset, 2 releases
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    # +1: the offices the page's members hold today (one query for the page).
    with django_assert_max_num_queries(21):
        response = secretariat_client.get(page("members", county))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) >= 3
    assert len(response.context["invitations"]) == 3


@pytest.mark.usefixtures("three_of_everything")
def test_member_list_query_count_for_an_observer(
    client, county, make_member, django_assert_max_num_queries
):
    client.force_login(make_member(county, Role.OBSERVER))
    # 16 queries (PostgreSQL; 13 on SQLite): as for the secretariat, without the open
    # invitations and the invite form's two choice lists
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    # +1: the offices the page's members hold today (one query for the page).
    with django_assert_max_num_queries(18):
        response = client.get(page("members", county))
    assert response.status_code == 200


@pytest.mark.usefixtures("three_of_everything")
def test_organization_list_query_count(secretariat_client, county, django_assert_max_num_queries):
    # 16 queries (PostgreSQL; 13 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, COUNT organizations, switcher
    # savepoint, set_config user_id, my memberships, release, page of organizations,
    # set_config reset, 2 releases
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    with django_assert_max_num_queries(17):
        response = secretariat_client.get(page("organizations", county))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) >= 3


@pytest.mark.usefixtures("three_of_everything")
def test_sector_list_query_count(secretariat_client, county, django_assert_max_num_queries):
    # 15 queries (PostgreSQL; 12 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, switcher savepoint,
    # set_config user_id, my memberships, release, sectors, set_config reset, 2 releases
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    with django_assert_max_num_queries(16):
        response = secretariat_client.get(page("sectors", county))
    assert response.status_code == 200
    assert len(response.context["sectors"]) >= 3


@pytest.mark.usefixtures("three_of_everything")
def test_audit_trail_query_count(secretariat_client, county, django_assert_max_num_queries):
    # 16 queries (PostgreSQL; 13 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, COUNT events, switcher
    # savepoint, set_config user_id, my memberships, release, page of events with actors,
    # set_config reset, 2 releases
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    with django_assert_max_num_queries(17):
        response = secretariat_client.get(page("audit", county))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) >= 3


def test_more_members_add_no_queries_to_the_member_list(
    secretariat_client, county, secretariat, django_assert_max_num_queries
):
    url = page("members", county)
    add_members(county, 2)  # with the secretariat: 3 members
    for _ in range(3):
        factories.InvitationFactory(county=county, invited_by=secretariat)
    rows_3, at_3 = rows_and_queries(secretariat_client, url, django_assert_max_num_queries)

    add_members(county, 7)
    for _ in range(7):
        factories.InvitationFactory(county=county, invited_by=secretariat)
    rows_10, at_10 = rows_and_queries(secretariat_client, url, django_assert_max_num_queries)

    assert (rows_3, rows_10) == (3, 10)
    assert at_3 == at_10


def test_more_organizations_add_no_queries_to_the_organization_list(
    secretariat_client, county, django_assert_max_num_queries
):
    url = page("organizations", county)
    add_organizations(county, 3)
    rows_3, at_3 = rows_and_queries(secretariat_client, url, django_assert_max_num_queries)

    add_organizations(county, 7)
    rows_10, at_10 = rows_and_queries(secretariat_client, url, django_assert_max_num_queries)

    assert (rows_3, rows_10) == (3, 10)
    assert at_3 == at_10
