"""The joint work plan API: plans, activities, budget lines and commitments for members;
partners pledge, confirm and withdraw their own commitments under the service rules."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counties.models import Ward
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from workplans.models import ActivityWard, Commitment, PlanStatus

pytestmark = pytest.mark.django_db


def api(name, county, **kwargs):
    return reverse(f"api:{name}", kwargs={"county_slug": county.slug, **kwargs})


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return json.loads(response.content)


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, status=PlanStatus.CO_CREATION)


@pytest.fixture
def partner(county):
    return factories.MembershipFactory(county=county, role=Role.PARTNER)


@pytest.fixture
def other_partner(county):
    return factories.MembershipFactory(county=county, role=Role.PARTNER)


@pytest.fixture
def activity(county, plan):
    return factories.JointActivityFactory(county=county, plan=plan)


def _activities(county, plan, n, ward=None):
    made = [factories.JointActivityFactory(county=county, plan=plan) for _ in range(n)]
    if ward is not None:
        with county_context([county]):
            ActivityWard.objects.bulk_create(
                ActivityWard(county=county, activity=a, ward=ward) for a in made
            )
    return made


def test_members_list_the_countys_plans(client, county, neighbour, plan, make_member):
    factories.JointWorkPlanFactory(county=neighbour, title="Turkana JWP")
    client.force_login(make_member(county, Role.OBSERVER))
    body = client.get(api("work_plans", county)).json()
    assert [p["id"] for p in body["results"]] == [plan.pk]
    assert body["results"][0]["status"] == "co_creation"


def test_activities_filter_by_sector_status_and_ward(client, county, plan, make_member):
    ward = Ward.objects.filter(county=county).order_by("code").first()
    in_ward = _activities(county, plan, 2, ward=ward)
    _activities(county, plan, 1)
    client.force_login(make_member(county, Role.OBSERVER))
    url = api("work_plan_activities", county, plan_id=plan.pk)
    assert client.get(url).json()["count"] == 3
    body = client.get(url, {"ward": ward.code}).json()
    assert sorted(a["id"] for a in body["results"]) == sorted(a.pk for a in in_ward)
    assert body["results"][0]["wards"] == [ward.code]
    assert client.get(url, {"sector": "health"}).json()["count"] == 3
    assert client.get(url, {"sector": "education"}).json()["count"] == 0
    assert client.get(url, {"status": "completed"}).json()["count"] == 0


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name",
    ["work_plans", "work_plan_activities", "work_plan_budget_lines", "work_plan_commitments"],
)
def test_list_endpoints_read_a_fixed_number_of_queries(client, county, make_member, name):
    """3 rows and 10 rows cost the same (no query per row)."""
    client.force_login(make_member(county, Role.SECRETARIAT))
    counts = []
    for n in (3, 10):
        plan = factories.JointWorkPlanFactory(county=county, fiscal_year=f"20{n + 20}/{n + 21}")
        ward = Ward.objects.filter(county=county).order_by("code").first()
        for a in _activities(county, plan, n, ward=ward):
            factories.BudgetLineFactory(county=county, activity=a)
            factories.CommitmentFactory(county=county, activity=a)
        kwargs = {} if name == "work_plans" else {"plan_id": plan.pk}
        counts.append(_count_queries(client, api(name, county, **kwargs)))
    assert counts[0] == counts[1], counts
    # at most 15 on PostgreSQL (13 on SQLite): session, user, county, membership, plan,
    # count, page (+ wards and supporters prefetched for activities), savepoints of
    # the county context and (PostgreSQL) its set_config calls
    assert counts[0] <= 15


def test_partner_sees_only_its_own_lines_and_commitments_until_consolidation(
    client, county, plan, activity, partner, other_partner
):
    mine = factories.CommitmentFactory(
        county=county, activity=activity, contributor=partner.organization
    )
    factories.CommitmentFactory(
        county=county, activity=activity, contributor=other_partner.organization
    )
    factories.BudgetLineFactory(county=county, activity=activity, contributor=partner.organization)
    factories.BudgetLineFactory(
        county=county, activity=activity, contributor=other_partner.organization
    )
    client.force_login(partner.user)
    body = client.get(api("work_plan_commitments", county, plan_id=plan.pk)).json()
    assert [c["id"] for c in body["results"]] == [mine.pk]
    lines = client.get(api("work_plan_budget_lines", county, plan_id=plan.pk)).json()
    assert [line["contributor"] for line in lines["results"]] == [partner.organization_id]
    with county_context([county]):
        plan.status = PlanStatus.CONSOLIDATED
        plan.save()
    body = client.get(api("work_plan_commitments", county, plan_id=plan.pk)).json()
    assert body["count"] == 2


def test_partner_cannot_read_another_partners_draft_commitment(
    client, county, activity, partner, other_partner
):
    theirs = factories.CommitmentFactory(
        county=county, activity=activity, contributor=other_partner.organization
    )
    client.force_login(partner.user)
    problem(client.get(api("commitment", county, commitment_id=theirs.pk)), 404)


def test_partner_pledges_confirms_and_withdraws_its_own_commitment(
    client, county, plan, activity, partner
):
    client.force_login(partner.user)
    response = client.post(
        api("work_plan_commitments", county, plan_id=plan.pk),
        {"activity": activity.pk, "amount": "1000.00", "currency": "USD", "exchange_rate": "129.5"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pledged" and body["contributor"] == partner.organization_id
    assert Decimal(body["amount_kes"]) == Decimal("129500.00")
    url = api("commitment", county, commitment_id=body["id"])
    confirmed = client.patch(
        url, {"status": "confirmed", "row_version": body["row_version"]}, "application/json"
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    stale = client.patch(
        url,
        {"status": "withdrawn", "reason": "x", "row_version": body["row_version"]},
        "application/json",
    )
    problem(stale, 409)
    no_reason = client.patch(
        url,
        {"status": "withdrawn", "row_version": confirmed.json()["row_version"]},
        "application/json",
    )
    assert "reason" in problem(no_reason, 400)["errors"]
    withdrawn = client.patch(
        url,
        {"status": "withdrawn", "reason": "Budget cut", "row_version": 2},
        "application/json",
    )
    assert withdrawn.json()["status"] == "withdrawn", withdrawn.content
    with county_context([county]):
        assert Commitment.objects.for_county(county).get(pk=body["id"]).withdrawn_reason


def test_partner_cannot_commit_for_another_organization(
    client, county, plan, activity, partner, other_partner
):
    client.force_login(partner.user)
    response = client.post(
        api("work_plan_commitments", county, plan_id=plan.pk),
        {"activity": activity.pk, "amount": "10", "contributor": other_partner.organization_id},
        content_type="application/json",
    )
    problem(response, 403)


def test_partner_cannot_confirm_another_organizations_commitment(
    client, county, plan, activity, partner, other_partner
):
    with county_context([county]):
        plan.status = PlanStatus.CONSOLIDATED  # now visible to every member
        plan.save()
    theirs = factories.CommitmentFactory(
        county=county, activity=activity, contributor=other_partner.organization
    )
    client.force_login(partner.user)
    response = client.patch(
        api("commitment", county, commitment_id=theirs.pk),
        {"status": "confirmed", "row_version": 1},
        "application/json",
    )
    problem(response, 403)


def test_observer_cannot_pledge(client, county, plan, activity, make_member):
    client.force_login(make_member(county, Role.OBSERVER))
    response = client.post(
        api("work_plan_commitments", county, plan_id=plan.pk),
        {"activity": activity.pk, "amount": "10"},
        content_type="application/json",
    )
    problem(response, 403)


def test_bad_input_is_400_with_field_errors(client, county, plan, activity, partner):
    client.force_login(partner.user)
    url = api("work_plan_commitments", county, plan_id=plan.pk)
    body = problem(
        client.post(
            url, {"activity": activity.pk, "amount": "-5"}, content_type="application/json"
        ),
        400,
    )
    assert "amount" in body["errors"]
    body = problem(
        client.post(
            url,
            {"activity": activity.pk, "amount": "5", "currency": "USD"},
            content_type="application/json",
        ),
        400,
    )
    assert "exchange_rate" in body["errors"]
    other_plan = factories.JointWorkPlanFactory(county=county, fiscal_year="2024/25")
    other_plan_activity = factories.JointActivityFactory(county=county, plan=other_plan)
    body = problem(
        client.post(
            url,
            {"activity": other_plan_activity.pk, "amount": "5"},
            content_type="application/json",
        ),
        400,
    )
    assert "activity" in body["errors"]


def test_neighbour_gets_404(client, county, plan, activity, neighbour, make_member):
    theirs = factories.CommitmentFactory(county=county, activity=activity)
    client.force_login(make_member(neighbour, Role.SECRETARIAT))
    problem(client.get(api("work_plans", county)), 404)
    problem(client.get(api("work_plan_activities", county, plan_id=plan.pk)), 404)
    problem(client.get(api("commitment", county, commitment_id=theirs.pk)), 404)
    # and this county's objects under the neighbour's own slug
    problem(client.get(api("work_plan_activities", neighbour, plan_id=plan.pk)), 404)
    problem(client.get(api("commitment", neighbour, commitment_id=theirs.pk)), 404)


def test_secretariat_commits_only_a_contributor_of_the_plan(
    client, county, neighbour, plan, activity, secretariat
):
    """Issue 13, M1: an organization id is one the form would offer (the plan's partners
    and activity leads), not any organization of the platform."""
    elsewhere = factories.StakeholderFactory(county=neighbour).organization
    client.force_login(secretariat)
    url = api("work_plan_commitments", county, plan_id=plan.pk)
    refused = client.post(
        url,
        {"activity": activity.pk, "amount": "10", "contributor": elsewhere.pk},
        content_type="application/json",
    )
    assert "contributor" in json.dumps(problem(refused, 400))
    lead = client.post(
        url,
        {"activity": activity.pk, "amount": "10", "contributor": activity.lead_organization_id},
        content_type="application/json",
    )
    assert lead.status_code == 201, lead.content
