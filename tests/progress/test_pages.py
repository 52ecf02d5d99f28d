"""The progress pages: grid, activity entries, feedback, adaptation list and edit page."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jwp.roles import Role
from jwp.tenancy import county_context
from progress.models import ActivityProgress, AdaptationItem, Feedback
from tests import factories

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, status="signed")


def page_reads(captured) -> list[str]:
    """The page's own queries (work plans and progress tables); the session, user,
    county, membership and top-bar queries of every page come on top."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if ('"workplans_' in q["sql"] or '"progress_' in q["sql"]) and "SAVEPOINT" not in q["sql"]
    ]


def add_activity(plan, n=1):
    for _ in range(n):
        activity = factories.JointActivityFactory(county=plan.county, plan=plan)
        line = factories.BudgetLineFactory(county=plan.county, activity=activity)
        factories.BudgetLineFactory(county=plan.county, activity=activity, amount=D("5.00"))
        for q in (1, 2):
            factories.ActivityProgressFactory(
                county=plan.county, activity=activity, quarter=q, percent_complete=20 * q
            )
            factories.ExpenditureFactory(county=plan.county, budget_line=line, quarter=q)


def test_the_progress_grid_reads_as_many_queries_for_10_activities_as_for_3(
    client, plan, county, make_member
):
    client.force_login(make_member(county, Role.PARTNER))
    url = reverse("progress:plan", args=[county.slug, plan.pk])
    add_activity(plan, 3)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    add_activity(plan, 7)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    # 7: plan, activities, progress, supporters, spending (one GROUP BY), budget lines,
    # open adaptations count
    assert len(page_reads(many)) == 7, page_reads(many)
    body = response.content.decode()
    assert "2025/26 Q1" in body and "FY2025 Q4" in body and "KES 20,000.00" in body


def test_the_adaptation_list_reads_as_many_queries_for_10_items_as_for_3(
    client, plan, county, make_member
):
    client.force_login(make_member(county, Role.OBSERVER))
    url = reverse("progress:adaptations", args=[county.slug, plan.pk])
    org = factories.OrganizationFactory()
    user = factories.UserFactory()

    def add(n):
        for _ in range(n):
            factories.AdaptationItemFactory(
                county=county, plan=plan, responsible_organization=org, responsible_user=user
            )

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(7)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    # 3: plan, count (paginator), the page's items with county, organization and
    # person joined
    assert len(page_reads(many)) == 3, page_reads(many)
    assert response.content.decode().count("pill adaptation-open") == 10
    assert "Check now" not in response.content.decode()  # the secretariat's button


def test_the_adaptation_list_filters_by_status_and_trigger(client, plan, county, make_member):
    factories.AdaptationItemFactory(county=county, plan=plan, source_summary="Alpha")
    factories.AdaptationItemFactory(
        county=county, plan=plan, source_summary="Bravo", status="done", actual_outcome="x"
    )
    factories.AdaptationItemFactory(
        county=county, plan=plan, source_summary="Charlie", trigger="budget_overrun"
    )
    client.force_login(make_member(county, Role.OBSERVER))
    url = reverse("progress:adaptations", args=[county.slug, plan.pk])
    body = client.get(url, {"status": "open", "trigger": "feedback"}).content.decode()
    assert "Alpha" in body and "Bravo" not in body and "Charlie" not in body


def test_a_partner_reports_progress_only_on_its_own_activities(client, plan, county, make_member):
    ours = factories.OrganizationFactory()
    own = factories.JointActivityFactory(county=county, plan=plan, lead_organization=ours)
    foreign = factories.JointActivityFactory(county=county, plan=plan)
    client.force_login(make_member(county, Role.PARTNER, organization=ours))
    data = {"form": "progress", "p-quarter": 2, "p-percent_complete": 45, "p-progress_made": "ok"}
    own_url = reverse("progress:activity", args=[county.slug, own.pk])
    assert client.post(own_url, data).status_code == 302
    foreign_url = reverse("progress:activity", args=[county.slug, foreign.pk])
    assert "Save progress" not in client.get(foreign_url).content.decode()
    assert client.post(foreign_url, data).status_code == 403
    with county_context([county]):
        rows = list(
            ActivityProgress.objects.for_county(county).values_list(
                "activity_id", "percent_complete"
            )
        )
    assert rows == [(own.pk, 45)]
    # a stale form is refused and shows both versions
    with county_context([county]):
        saved = ActivityProgress.objects.for_county(county).get()
    client.post(own_url, {**data, "p-percent_complete": 50, "p-row_version": saved.row_version})
    response = client.post(
        own_url, {**data, "p-percent_complete": 60, "p-row_version": saved.row_version}
    )
    assert (
        response.status_code == 200
        and "Saved by someone else meanwhile" in response.content.decode()
    )
    assert factories.refresh(saved).percent_complete == 50


def test_expenditure_is_entered_on_the_activity_page(client, plan, county, make_member):
    line = factories.BudgetLineFactory(county=county, activity__plan=plan, amount=D("100.00"))
    client.force_login(make_member(county, Role.SECRETARIAT))
    url = reverse("progress:activity", args=[county.slug, line.activity_id])
    response = client.post(
        url,
        {"form": "expenditure", "e-budget_line": line.pk, "e-quarter": 1, "e-amount_kes": "120.50"},
    )
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "KES 120.50" in body and "120.5%" in body and "Overrun" in body


def test_members_log_feedback_observers_read_it(client, plan, county, make_member):
    url = reverse("progress:feedback", args=[county.slug, plan.pk])
    form = {
        "from_name": "Chief, Wamba",
        "text": "Water point broken",
        "received_on": "2025-08-01",
        "requires_action": "on",
    }
    client.force_login(make_member(county, Role.OBSERVER))
    assert client.post(url, form).status_code == 403
    client.force_login(make_member(county, Role.ASSEMBLY))
    assert client.post(url, {**form, "received_on": "2999-01-01"}).status_code == 200  # future
    assert client.post(url, form).status_code == 302
    with county_context([county]):
        (fb,) = Feedback.objects.for_county(county)
    assert fb.requires_action and fb.received_on == date(2025, 8, 1)
    assert "Water point broken" in client.get(url).content.decode()


def test_check_now_is_the_secretariats_and_raises_items_once(client, plan, county, make_member):
    factories.FeedbackFactory(county=county, plan=plan, received_on=date(2025, 8, 1))
    url = reverse("progress:check_now", args=[county.slug, plan.pk])
    client.force_login(make_member(county, Role.PARTNER))
    assert client.post(url).status_code == 403
    client.force_login(make_member(county, Role.SECRETARIAT))
    client.post(url)
    client.post(url)
    with county_context([county]):
        assert AdaptationItem.objects.for_county(county).filter(plan=plan).count() == 1


def test_the_adaptation_page_saves_with_a_row_version(client, plan, county, make_member):
    item = factories.AdaptationItemFactory(county=county, plan=plan)
    client.force_login(make_member(county, Role.SECRETARIAT))
    url = reverse("progress:adaptation", args=[county.slug, item.pk])
    form = {
        "proposed_action": "Hold sessions at 8 am",
        "timeline": "2025-11-30",
        "expected_outcome": "Higher satisfaction",
        "status": "in_progress",
        "row_version": item.row_version,
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, {**form, "status": "open"}).status_code == 200  # stale
    item = factories.refresh(item)
    assert item.status == "in_progress" and item.proposed_action == "Hold sessions at 8 am"


def test_a_neighbours_member_gets_404_on_every_progress_page(
    client, plan, county, neighbour, make_member
):
    report = factories.ProgressReportFactory(county=county, plan=plan)
    item = factories.AdaptationItemFactory(county=county, plan=plan)
    activity = factories.JointActivityFactory(county=county, plan=plan)
    client.force_login(make_member(neighbour, Role.SECRETARIAT))
    for slug in (county.slug, neighbour.slug):
        for name, arg in (
            ("progress:plan", plan.pk),
            ("progress:activity", activity.pk),
            ("progress:reports", plan.pk),
            ("progress:report", report.pk),
            ("progress:adaptations", plan.pk),
            ("progress:adaptation", item.pk),
            ("progress:feedback", plan.pk),
        ):
            assert client.get(reverse(name, args=[slug, arg])).status_code == 404, (name, slug)


def test_the_expenditure_form_shows_the_release_before_and_warns_of_the_flag_after(
    client, plan, county, make_member
):
    line = factories.BudgetLineFactory(county=county, activity__plan=plan, amount=D("100.00"))
    released = factories.CommitmentFactory(
        county=county,
        activity=line.activity,
        contributor=None,
        budget_line=line,
        amount=D("100.00"),
        status="confirmed",
        vote_code="4063 / WAT-01",
        appropriation_reference="Appropriation Act, item 3",
    )
    factories.DisbursementFactory(county=county, commitment=released, amount=D("60.00"))
    client.force_login(make_member(county, Role.SECRETARIAT))
    url = reverse("progress:activity", args=[county.slug, line.activity_id])
    before = client.get(url).content.decode()
    table = before.split('id="activity-funding"')[1].split("</table>")[0]
    assert "KES 60.00" in table  # what can be spent before it is flagged, shown first
    response = client.post(
        url,
        {"form": "expenditure", "e-budget_line": line.pk, "e-quarter": 1, "e-amount_kes": "60.01"},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Flagged: Spent beyond what was disbursed or released") for m in shown)
    assert "Expenditure saved." in shown
