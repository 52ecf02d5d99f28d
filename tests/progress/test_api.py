"""The progress API: read progress, expenditure and adaptation items; partners write
their own activities' progress and spending; stale writes get 409."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jwp.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
D = Decimal


def url(county, name):
    return reverse(f"api:{name}", kwargs={"county_slug": county.slug})


@pytest.fixture
def activity(county):
    return factories.JointActivityFactory(county=county)


def post(client, county, name, data):
    return client.post(url(county, name), data, content_type="application/json")


def test_a_partner_reports_progress_on_its_own_activity_and_a_stale_edit_gets_409(
    client, county, make_member, activity
):
    client.force_login(make_member(county, Role.PARTNER, organization=activity.lead_organization))
    data = {"activity": activity.pk, "quarter": 2, "percent_complete": 30, "progress_made": "ok"}
    created = post(client, county, "activity_progress", data)
    assert created.status_code == 201, created.content
    row = created.json()
    assert (row["fiscal_year"], row["percent_complete"]) == ("2025/26", 30)
    changed = post(
        client,
        county,
        "activity_progress",
        {**data, "percent_complete": 50, "row_version": row["row_version"]},
    )
    assert changed.status_code == 201 and changed.json()["percent_complete"] == 50
    stale = post(
        client,
        county,
        "activity_progress",
        {**data, "percent_complete": 70, "row_version": row["row_version"]},
    )
    assert stale.status_code == 409
    bad = post(client, county, "activity_progress", {**data, "percent_complete": 101})
    assert bad.status_code == 400
    listing = client.get(url(county, "activity_progress"), {"activity": activity.pk}).json()
    assert [r["percent_complete"] for r in listing["results"]] == [50]


def test_a_partner_cannot_report_on_another_organizations_activity(
    client, county, make_member, activity
):
    client.force_login(make_member(county, Role.PARTNER))
    data = {"activity": activity.pk, "quarter": 1, "percent_complete": 5, "progress_made": "x"}
    assert post(client, county, "activity_progress", data).status_code == 403
    line = factories.BudgetLineFactory(county=county, activity=activity)
    spend = {"budget_line": line.pk, "quarter": 1, "amount_kes": "10.00"}
    assert post(client, county, "expenditures", spend).status_code == 403


def test_the_secretariat_records_spending_and_another_countys_line_is_unknown(
    client, county, neighbour, make_member
):
    line = factories.BudgetLineFactory(county=county, amount=D("100.00"))
    theirs = factories.BudgetLineFactory(county=neighbour)
    client.force_login(make_member(county, Role.SECRETARIAT))
    response = post(
        client,
        county,
        "expenditures",
        {"budget_line": line.pk, "quarter": 3, "amount_kes": "99.99"},
    )
    assert response.status_code == 201 and response.json()["amount_kes"] == "99.99"
    unknown = post(
        client, county, "expenditures", {"budget_line": theirs.pk, "quarter": 3, "amount_kes": "1"}
    )
    assert unknown.status_code == 400 and "budget_line" in unknown.json()["errors"]


def test_adaptations_are_listed_with_filters_and_a_constant_number_of_queries(
    client, county, neighbour, make_member
):
    plan = factories.JointWorkPlanFactory(county=county)
    factories.AdaptationItemFactory(county=neighbour)
    client.force_login(make_member(county, Role.OBSERVER))

    def add(n):
        for _ in range(n):
            factories.AdaptationItemFactory(county=county, plan=plan)

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(county, "adaptations")).json()["count"] == 3
    add(7)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url(county, "adaptations"), {"status": "open"}).json()
    assert len(many) == len(few)
    assert body["count"] == 10 and body["results"][0]["url"].startswith("/samburu/progress/")
    assert client.get(url(county, "adaptations"), {"status": "done"}).json()["count"] == 0


def test_a_neighbours_member_gets_404(client, county, neighbour, make_member):
    client.force_login(make_member(neighbour, Role.SECRETARIAT))
    for name in ("activity_progress", "expenditures", "adaptations"):
        assert client.get(url(county, name)).status_code == 404
