"""The plan's M&E page, the indicator page and the verification list."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jwp.roles import Role
from jwp.tenancy import county_context
from monitoring import selectors
from monitoring.models import Direction, ResultStatus
from tests import factories

pytestmark = pytest.mark.django_db

D = Decimal


def indicator_with_data(
    plan,
    *,
    aggregation="latest",
    direction=Direction.INCREASE,
    n_quarters=4,
    status=ResultStatus.VERIFIED,
):
    indicator = factories.IndicatorFactory(
        county=plan.county, plan=plan, aggregation=aggregation, direction=direction
    )
    for q in range(1, n_quarters + 1):
        factories.IndicatorTargetFactory(
            county=plan.county, indicator=indicator, quarter=q, value=D(100)
        )
        factories.ResultFactory(
            county=plan.county,
            indicator=indicator,
            quarter=q,
            value=D(60 + 10 * q),
            status=status,
        )
    return indicator


def test_the_table_shows_both_calendars_and_the_year(county):
    plan = factories.JointWorkPlanFactory(county=county, fiscal_year="2025/26")
    cumulative = indicator_with_data(plan, aggregation="sum")
    latest = indicator_with_data(plan)
    with county_context([county]):
        rows = {r.indicator.pk: r for r in selectors.indicator_table(county=county, plan=plan)}
    periods = [c.period for c in rows[latest.pk].cells]
    assert [p.usaid for p in periods] == ["FY2025 Q4", "FY2026 Q1", "FY2026 Q2", "FY2026 Q3"]
    assert [c.variance.rag for c in rows[latest.pk].cells] == ["amber", "amber", "green", "green"]
    # sum: 70+80+90+100 against 400; latest: the latest quarter
    assert rows[cumulative.pk].year.actual == D(340) and rows[cumulative.pk].year.target == D(400)
    assert rows[cumulative.pk].year.rag == "amber"
    assert rows[latest.pk].year.actual == D(100) and rows[latest.pk].year.rag == "green"


def test_the_me_page_has_a_constant_number_of_queries(client, county, make_member):
    plan = factories.JointWorkPlanFactory(county=county)
    client.force_login(make_member(county, Role.OBSERVER))
    url = reverse("monitoring:plan", args=[county.slug, plan.pk])
    indicator_with_data(plan)
    client.get(url)  # creates the county's thresholds
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for status in (ResultStatus.SUBMITTED, ResultStatus.DRAFT, ResultStatus.VERIFIED):
        indicator_with_data(plan, direction=Direction.DECREASE, status=status)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    body = response.content.decode()
    assert "FY2026 Q1" in body and ("Off track" in body or "On track" in body)


def test_the_indicator_page_shows_the_buttons_each_role_may_use(client, county, make_member):
    plan = factories.JointWorkPlanFactory(county=county)
    indicator = indicator_with_data(plan, n_quarters=1, status=ResultStatus.SUBMITTED)
    url = reverse("monitoring:indicator", args=[county.slug, indicator.pk])
    with county_context([county]):
        result = indicator.results.get()
    result_url = reverse("monitoring:result", args=[county.slug, result.pk])
    client.force_login(make_member(county, Role.SECRETARIAT))
    body = client.get(url).content.decode()
    assert "Verify" in body and "Edit the indicator" in body
    assert "Return for correction" in client.get(result_url).content.decode()
    client.force_login(make_member(county, Role.OBSERVER))
    body = client.get(url).content.decode()
    assert "Verify" not in body and "Save draft" not in body and "Edit the indicator" not in body
    body = client.get(result_url).content.decode()
    assert "Return for correction" not in body and "Add a comment" not in body
    assert client.post(url, {"quarter": 2, "value": "5"}).status_code == 403


def test_a_partner_enters_and_submits_through_the_pages(client, county, make_member):
    plan = factories.JointWorkPlanFactory(county=county)
    indicator = factories.IndicatorFactory(county=county, plan=plan)
    user = make_member(county, Role.PARTNER, organization=indicator.responsible_organization)
    client.force_login(user)
    url = reverse("monitoring:indicator", args=[county.slug, indicator.pk])
    response = client.post(url, {"quarter": 2, "value": "42"})
    assert response.status_code == 302
    with county_context([county]):
        result = indicator.results.get()
    assert result.status == ResultStatus.DRAFT and result.value == D(42)
    submit = reverse("monitoring:result_submit", args=[county.slug, result.pk])
    assert client.post(submit, {"row_version": result.row_version}).status_code == 302
    assert factories.refresh(result).status == ResultStatus.SUBMITTED
    # the verification list is the secretariat's
    awaiting = reverse("monitoring:awaiting", args=[county.slug])
    assert client.get(awaiting).status_code == 403
    client.force_login(make_member(county, Role.SECRETARIAT))
    assert indicator.name in client.get(awaiting).content.decode()
    back = reverse("monitoring:result_return", args=[county.slug, result.pk])
    # a return needs a reason, and a confirmation
    empty = client.post(back, {"row_version": result.row_version, "comment": "", "confirmed": "1"})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    asked = client.post(back, {"row_version": result.row_version, "comment": "Attach the register"})
    assert "Confirm: return for correction" in asked.content.decode()
    assert factories.refresh(result).status == ResultStatus.SUBMITTED
    confirmed = {"row_version": result.row_version, "comment": "Attach the register"}
    assert client.post(back, {**confirmed, "confirmed": "1"}).status_code == 302
    returned = factories.refresh(result)
    assert returned.status == ResultStatus.DRAFT
    assert returned.return_comment == "Attach the register"


def test_a_partner_of_another_organization_cannot_submit_by_url(client, county, make_member):
    result = factories.ResultFactory(county=county)
    client.force_login(make_member(county, Role.PARTNER))
    submit = reverse("monitoring:result_submit", args=[county.slug, result.pk])
    assert client.post(submit, {"row_version": result.row_version}).status_code == 403
    assert factories.refresh(result).status == ResultStatus.DRAFT
