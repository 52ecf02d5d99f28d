"""Query counts of the sector plan pages and API, with ≥ 3 rows in every list (and rows
in the neighbour county, which cost nothing). Counts are the larger of SQLite and
PostgreSQL, which adds three set_config calls (county context set and reset, user id)."""

import pytest
from django.urls import reverse

from jwp.tenancy import county_context
from sectorplans.models import SectorPlan
from tests import factories
from tests.sectorplans.conftest import complete_up_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_plans(county, neighbour, secretariat_m):
    """Three Samburu plans (one published, with its windows, decisions and documents),
    one Turkana plan."""
    factories.sector_plan(neighbour)
    plans = [factories.sector_plan(county, by=secretariat_m) for _ in range(3)]
    complete_up_to(plans[0], 47, secretariat_m)
    for plan in plans:
        for _ in range(3):
            factories.PlanDocumentFactory(county=county, plan=plan)
    with county_context([county]):
        window = plans[0].windows.first()
    for _ in range(3):
        factories.PublicCommentFactory(county=county, window=window)
    return plans


@pytest.fixture
def secretariat_client(client, secretariat_m):
    client.force_login(secretariat_m.user)
    return client


def test_overview_query_count(
    secretariat_client, county, three_plans, django_assert_max_num_queries
):
    # 18 queries (PostgreSQL; 15 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, periods (filter choices),
    # COUNT plans, switcher savepoint, set_config user_id, my memberships, release,
    # sectors (filter choices), page of plans with progress, set_config reset, 2 releases
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    with django_assert_max_num_queries(19):
        response = secretariat_client.get(
            reverse("sectorplans:plans", kwargs={"county_slug": county.slug})
        )
    assert len(response.context["page"].object_list) == 3


def test_plan_page_query_count(
    secretariat_client, county, three_plans, django_assert_max_num_queries
):
    plan = three_plans[0]
    # 21 queries (PostgreSQL; 18 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, plan, its 47 steps,
    # COUNT audit events, switcher savepoint, set_config user_id, my memberships,
    # release, windows with counts, decisions, documents, page of events,
    # set_config reset, 2 releases
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    with django_assert_max_num_queries(22):
        response = secretariat_client.get(
            reverse("sectorplans:plan", kwargs={"county_slug": county.slug, "plan_id": plan.pk})
        )
    assert len(response.context["windows"]) == 6
    assert len(response.context["decisions"]) == 7
    assert len(response.context["documents"]) == 3


def test_public_plan_page_query_count(client, county, three_plans, django_assert_max_num_queries):
    plan = three_plans[0]
    # 11 queries (PostgreSQL; 9 on SQLite): request savepoint, county, context
    # savepoint, set_config county_ids, published plan, formal decisions, public
    # documents, windows with counts, set_config reset, 2 releases
    with django_assert_max_num_queries(11):
        response = client.get(
            reverse(
                "sectorplans:public_plan", kwargs={"county_slug": county.slug, "plan_id": plan.pk}
            )
        )
    assert response.status_code == 200


def test_api_plan_list_query_count(
    secretariat_client, county, three_plans, django_assert_max_num_queries
):
    # 12 queries (PostgreSQL; 10 on SQLite): request savepoint, county, context
    # savepoint, set_config county_ids, session, user, membership, COUNT plans, page of
    # plans with progress, set_config reset, 2 releases
    with django_assert_max_num_queries(12):
        response = secretariat_client.get(
            reverse("api:sector_plans", kwargs={"county_slug": county.slug})
        )
    assert response.json()["count"] == 3


def test_more_plans_add_no_queries_to_the_overview(
    secretariat_client, county, secretariat_m, django_assert_max_num_queries
):
    url = reverse("sectorplans:plans", kwargs={"county_slug": county.slug})
    counts = []
    for n in (3, 7):
        while True:
            with county_context([county]):
                have = SectorPlan.objects.for_county(county).count()
            if have >= n:
                break
            factories.sector_plan(county, by=secretariat_m)
        with django_assert_max_num_queries(1000) as captured:
            secretariat_client.get(url)
        counts.append(len(captured))
    assert counts[0] == counts[1]
