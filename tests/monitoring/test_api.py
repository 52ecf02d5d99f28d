"""The monitoring API: read indicators, targets and results; partners write their own."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jwp.roles import Role
from jwp.tenancy import county_context
from monitoring.models import Result, ResultStatus
from tests import factories

pytestmark = pytest.mark.django_db


def url(county, name, **kwargs):
    return reverse(f"api:{name}", kwargs={"county_slug": county.slug, **kwargs})


@pytest.fixture
def indicator(county):
    indicator = factories.IndicatorFactory(county=county)
    factories.IndicatorTargetFactory(county=county, indicator=indicator, quarter=1)
    return indicator


def test_members_read_indicators_targets_and_results_with_filters(
    client, county, make_member, indicator
):
    factories.ResultFactory(county=county, indicator=indicator, status=ResultStatus.SUBMITTED)
    factories.IndicatorFactory(county=factories.turkana())
    client.force_login(make_member(county, Role.OBSERVER))
    body = client.get(url(county, "indicators"), {"plan": indicator.plan_id}).json()
    assert [i["id"] for i in body["results"]] == [indicator.pk]
    assert body["results"][0]["responsible_organization_name"]
    targets = client.get(url(county, "indicator_targets"), {"indicator": indicator.pk}).json()
    assert targets["count"] == 1 and targets["results"][0]["value"] == "100.00"
    results = client.get(url(county, "results"), {"status": "submitted"}).json()
    assert results["count"] == 1
    assert client.get(url(county, "results"), {"status": "verified"}).json()["count"] == 0


def test_a_partner_submits_its_own_result_and_the_secretariat_returns_then_verifies(
    client, county, make_member, indicator
):
    partner = make_member(county, Role.PARTNER, organization=indicator.responsible_organization)
    client.force_login(partner)
    response = client.post(
        url(county, "results"),
        {
            "indicator": indicator.pk,
            "fiscal_year": "2025/26",
            "quarter": 1,
            "value": "75",
            "submit": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    result = response.json()
    assert result["status"] == "submitted" and result["value"] == "75.00"
    detail = url(county, "result", result_id=result["id"])
    # a partner cannot verify
    response = client.patch(
        detail,
        {"status": "verified", "row_version": result["row_version"]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    client.force_login(make_member(county, Role.SECRETARIAT))
    response = client.patch(
        detail,
        {"status": "returned", "row_version": result["row_version"]},
        content_type="application/json",
    )
    assert response.status_code == 400 and "comment" in response.json()["errors"]
    response = client.patch(
        detail,
        {"status": "returned", "comment": "Check Q1", "row_version": result["row_version"]},
        content_type="application/json",
    )
    returned = response.json()
    assert returned["status"] == "draft" and returned["return_comment"] == "Check Q1"
    client.force_login(partner)
    stale = client.patch(
        detail,
        {"value": "80", "row_version": result["row_version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    fixed = client.patch(
        detail,
        {"value": "80", "row_version": response.json()["row_version"]},
        content_type="application/json",
    ).json()
    assert fixed["value"] == "80.00" and fixed["status"] == "draft"
    assert fixed["return_comment"] == "Check Q1"  # shown until resubmitted
    submitted = client.patch(
        detail,
        {"status": "submitted", "row_version": fixed["row_version"]},
        content_type="application/json",
    ).json()
    assert submitted["status"] == "submitted" and submitted["return_comment"] == ""
    client.force_login(make_member(county, Role.SECRETARIAT))
    verified = client.patch(
        detail,
        {"status": "verified", "row_version": submitted["row_version"]},
        content_type="application/json",
    )
    assert verified.json()["status"] == "verified"
    with county_context([county]):
        assert Result.objects.for_county(county).get(pk=result["id"]).value == Decimal("80")
    # verified: no more changes
    client.force_login(partner)
    locked = client.patch(
        detail,
        {"value": "1", "row_version": verified.json()["row_version"]},
        content_type="application/json",
    )
    assert locked.status_code == 400


def test_a_partner_of_another_organization_cannot_post_results(
    client, county, make_member, indicator
):
    client.force_login(make_member(county, Role.PARTNER))
    response = client.post(
        url(county, "results"),
        {"indicator": indicator.pk, "fiscal_year": "2025/26", "quarter": 1, "value": "5"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_another_countys_indicator_is_not_found(client, county, neighbour, make_member):
    theirs = factories.IndicatorFactory(county=neighbour)
    result = factories.ResultFactory(county=neighbour, indicator=theirs)
    client.force_login(make_member(county, Role.SECRETARIAT))
    response = client.post(
        url(county, "results"),
        {"indicator": theirs.pk, "fiscal_year": "2025/26", "quarter": 1, "value": "5"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert client.get(url(county, "result", result_id=result.pk)).status_code == 404


def test_results_carry_their_values_by_group(client, county, make_member):
    indicator = factories.IndicatorFactory(county=county, by_sex=True)
    client.force_login(
        make_member(county, Role.PARTNER, organization=indicator.responsible_organization)
    )
    body = {"indicator": indicator.pk, "fiscal_year": "2025/26", "quarter": 1, "value": "80"}
    wrong = client.post(
        url(county, "results"),
        {**body, "disaggregation": {"sex": {"female": "50", "male": "20"}}},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "sex" in wrong.json()["errors"]
    created = client.post(
        url(county, "results"),
        {**body, "disaggregation": {"sex": {"female": "50", "male": "30"}}, "submit": True},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["disaggregation"] == {"sex": {"female": "50.00", "male": "30.00"}}
    listed = client.get(url(county, "results")).json()["results"]
    assert listed[0]["disaggregation"]["sex"]["male"] == "30.00"


def test_the_figures_follow_the_me_rules_and_stay_in_the_county(
    client, county, neighbour, make_member, indicator
):
    """Target 100 in Q1: a submitted 90 is provisional and not rated; verified, it rates."""
    result = factories.ResultFactory(
        county=county, indicator=indicator, value=Decimal("90"), status=ResultStatus.SUBMITTED
    )
    client.force_login(make_member(county, Role.OBSERVER))
    figures = url(county, "work_plan_indicator_figures", plan_id=indicator.plan_id)
    body = client.get(figures).json()
    (row,) = body["indicators"]
    q1 = row["quarters"][0]
    assert (q1["target"], q1["actual"], q1["provisional"], q1["status"]) == (
        "100.00",
        None,
        "90.00",
        "none",
    )
    assert row["annual_target"] == "100.00" and row["year_so_far"]["status"] == "none"
    with county_context([county]):
        result.status = ResultStatus.VERIFIED
        result.save(update_fields=["status"])
    with CaptureQueriesContext(connection) as one:
        client.get(figures)
    for _ in range(3):
        factories.IndicatorFactory(county=county, plan=indicator.plan)
    with CaptureQueriesContext(connection) as four:
        row = client.get(figures).json()["indicators"][0]
    assert len(four) == len(one)
    assert row["quarters"][0]["status"] == "green" and row["year_so_far"]["actual"] == "90.00"
    assert row["quarters"][0]["achievement_percent"] == "90.0"
    client.force_login(make_member(neighbour, Role.SECRETARIAT))
    other = url(neighbour, "work_plan_indicator_figures", plan_id=indicator.plan_id)
    assert client.get(other).status_code == 404
