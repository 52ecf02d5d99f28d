"""The plan's M&E dashboard (issue 6, point 10): RAG buckets, SVG charts, overdue
submissions, panels of other apps, and constant query counts on the dashboard, the
result page and the verification list (3 rows cost what 10 rows cost)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jwp.roles import Role
from jwp.tenancy import county_context
from monitoring import dashboard as board
from monitoring.models import Frequency, Measure, ResultStatus
from tests import factories

pytestmark = pytest.mark.django_db

D = Decimal
POSTGRES = connection.vendor == "postgresql"


def indicator(plan, targets, results, **fields):
    """results: {quarter: (value, status)}."""
    found = factories.IndicatorFactory(county=plan.county, plan=plan, **fields)
    for quarter, value in enumerate(targets, start=1):
        if value is not None:
            factories.IndicatorTargetFactory(
                county=plan.county, indicator=found, quarter=quarter, value=D(value)
            )
    for quarter, (value, status) in results.items():
        factories.ResultFactory(
            county=plan.county,
            indicator=found,
            quarter=quarter,
            value=None if value is None else D(value),
            narrative="" if value is not None else "Reported in words",
            status=status,
        )
    return found


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, fiscal_year="2024/25")


def test_nice_axis_tops():
    assert [board.nice_ceiling(D(v)) for v in ("0", "7", "13", "21", "470", "700", "25000")] == [
        D(1),
        D(10),
        D(20),
        D(25),
        D(500),
        D(1000),
        D(25000),
    ]


def test_buckets_follow_the_year_so_far(county, plan):
    v, s = ResultStatus.VERIFIED, ResultStatus.SUBMITTED
    green = indicator(plan, ["100", "100"], {1: ("50", v), 2: ("300", v)}, aggregation="sum")
    amber = indicator(plan, ["100", "100"], {1: ("100", v), 2: ("75", v)})  # latest quarter
    # a provisional (submitted) 10 does not move the verified 100 off track
    provisional = indicator(plan, ["100", "100"], {1: ("100", v), 2: ("10", s)})
    red = indicator(plan, ["100"], {1: ("10", v)})
    unrated = indicator(plan, [], {1: (None, v)}, measure=Measure.QUALITATIVE)
    only_submitted = indicator(plan, ["100"], {1: ("100", s)})
    with county_context([county]):
        data = board.dashboard(county=county, plan=plan, today=date(2024, 11, 1))
    buckets = {key: [r.indicator for r in rows] for key, _label, rows in data.by_rag}
    assert buckets == {
        "red": [red],
        "amber": [amber],
        "green": [green, provisional],
        "none": [unrated, only_submitted],
    }
    assert [r.indicator for r in data.awaiting] == [provisional, only_submitted]
    assert [r.value_text for r in data.awaiting] == ["10", "100"]
    assert {c.indicator_id for c in data.charts} == {
        green.pk,
        amber.pk,
        provisional.pk,
        red.pk,
        only_submitted.pk,
    }


def test_overdue_is_one_month_after_the_quarter_without_a_submission(county, plan):
    v, d = ResultStatus.VERIFIED, ResultStatus.DRAFT
    late = indicator(plan, ["10", "10", "10", "0"], {1: ("10", v), 2: ("4", d)})
    annual = indicator(plan, ["5", "5", "5", "5"], {}, frequency=Frequency.ANNUAL)
    qualitative = indicator(plan, [], {}, measure=Measure.QUALITATIVE)
    with county_context([county]):
        rows = board.dashboard(county=county, plan=plan, today=date(2025, 2, 1)).rows

    def found(today):
        return [(o.row.indicator, o.period.quarter) for o in board.overdue(rows, today)]

    # Q2 (Oct–Dec 2024) is due 31 January 2025: late on 1 February, not on 31 January
    assert found(date(2025, 1, 31)) == [(qualitative, 1)]
    assert found(date(2025, 2, 1)) == [(qualitative, 1), (late, 2), (qualitative, 2)]
    # a zero target expects nothing; an annual indicator only its Q4 (due 31 July 2025)
    later = found(date(2025, 8, 1))
    assert (late, 4) not in later and (annual, 4) in later and (annual, 3) not in later
    assert (late, 3) in later and (late, 1) not in later


def test_the_chart_writes_values_and_status_in_words(county, plan):
    found = indicator(plan, ["600", "600"], {1: ("610", ResultStatus.VERIFIED)}, unit="children")
    with county_context([county]):
        (row,) = board.dashboard(county=county, plan=plan, today=date(2024, 10, 1)).rows
    chart = board.chart(row)
    assert chart.indicator_id == found.pk
    assert [b.label for g in chart.groups for b in g.bars] == ["600", "610", "600"]
    assert chart.groups[0].rag_label == "On track" and chart.groups[1].rag_label == "Not rated"
    assert "Q1: target 600, actual 610 (on track)" in chart.desc
    assert "Q2: target 600, actual not reported (not rated)" in chart.desc
    target, actual = chart.groups[0].bars
    assert actual.height > target.height > 0  # 610 drawn taller than 600
    assert chart.ticks[-1][1] == "1,000"


def test_the_panels_of_other_apps_show_count_and_links(client, county, make_member, plan):
    evaluation = factories.EvaluationFactory(county=county, plan=plan)
    for _ in range(3):
        factories.RecommendationFactory(county=county, evaluation=evaluation)
    client.force_login(make_member(county, Role.OBSERVER))
    response = client.get(reverse("monitoring:dashboard", args=[county.slug, plan.pk]))
    data = response.context["board"]
    assert data.recommendations.available and data.recommendations.count == 3
    assert all(item["url"] for item in data.recommendations.items)
    assert data.adaptations.available and data.adaptations.count == 0
    body = response.content.decode()
    assert "Open recommendations" in body and "No open adaptations." in body


def test_the_dashboard_page_is_accessible_text_not_colour_only(client, county, make_member, plan):
    indicator(plan, ["100"], {1: ("95", ResultStatus.VERIFIED)}, name="Boreholes")
    client.force_login(make_member(county, Role.OBSERVER))
    body = client.get(reverse("monitoring:dashboard", args=[county.slug, plan.pk])).content
    body = body.decode()
    assert 'role="img"' in body and "<title id=" in body and "<desc id=" in body
    assert "Boreholes: targets and actuals per quarter" in body
    assert ">On track</text>" in body  # the status as a word under the bars


# --- query counts ----------------------------------------------------------------------


def _count(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def add_indicators(plan, n):
    for _ in range(n):
        indicator(
            plan,
            ["100", "100", "100", "100"],
            {1: ("90", ResultStatus.VERIFIED), 2: ("40", ResultStatus.SUBMITTED)},
            by_sex=True,
        )


def test_dashboard_queries_do_not_grow_with_indicators(client, county, make_member, plan):
    """Session, user, county, membership (+ the county switcher's memberships),
    indicators, thresholds, targets, results with submitters, open adaptations, open
    recommendations; PostgreSQL adds its set_config calls."""
    client.force_login(make_member(county, Role.SECRETARIAT))
    url = reverse("monitoring:dashboard", args=[county.slug, plan.pk])
    add_indicators(plan, 3)
    _count(client, url)  # creates the county's thresholds
    three, response = _count(client, url)
    assert len(response.context["board"].rows) == 3
    add_indicators(plan, 7)
    ten, response = _count(client, url)
    assert len(response.context["board"].rows) == 10
    assert three == ten
    # frame: session, user, county, membership, the switcher's memberships, notifications
    # (+ savepoints); page: plan, indicators, thresholds, targets, results with
    # submitters, open adaptations, open recommendations. PostgreSQL: + set_config calls
    # (one fewer when a cache is already warm: the bound is the larger count).
    assert ten <= (23 if POSTGRES else 19), ten


def test_result_page_queries_do_not_grow_with_comments_and_evidence(client, county, make_member):
    """Result with indicator and people, groups, evidence with uploaders, comments with
    authors, plus the page frame."""
    result = factories.ResultFactory(county=county, indicator__by_sex=True)
    partner = make_member(
        county, Role.PARTNER, organization=result.indicator.responsible_organization
    )
    client.force_login(partner)
    url = reverse("monitoring:result", args=[county.slug, result.pk])

    def add(n):
        for _ in range(n):
            factories.EvidenceFactory(county=county, result=result, uploaded_by=partner)
            factories.ResultCommentFactory(
                county=county, result=result, author=factories.UserFactory()
            )

    add(3)
    _count(client, url)  # creates the county's thresholds
    three, response = _count(client, url)
    assert len(response.context["comments"]) == 3 and len(response.context["evidence"]) == 3
    add(7)
    ten, response = _count(client, url)
    assert len(response.context["comments"]) == 10
    assert three == ten
    # page: result with indicator and people, groups, evidence with uploaders,
    # comments with authors, and the quarter against its target (thresholds, targets,
    # results of the indicator); the rest is the frame (see above).
    assert ten <= (23 if POSTGRES else 19), ten


def test_verification_list_queries_do_not_grow(client, county, make_member, plan):
    client.force_login(make_member(county, Role.SECRETARIAT))
    url = reverse("monitoring:awaiting", args=[county.slug])

    def add(n):
        for _ in range(n):
            factories.ResultFactory(
                county=county,
                indicator__plan=plan,
                status=ResultStatus.SUBMITTED,
                submitted_by=factories.UserFactory(),
            )

    add(3)
    _count(client, url)  # creates the county's thresholds
    three, response = _count(client, url)
    assert len(response.context["results"]) == 3
    add(7)
    ten, response = _count(client, url)
    assert len(response.context["results"]) == 10
    assert three == ten
    # page: submitted results with indicator, plan, organization and submitter.
    assert ten <= (17 if POSTGRES else 13), ten
