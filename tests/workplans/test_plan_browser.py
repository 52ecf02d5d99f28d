"""The browser walks a joint work plan: a sector lead adds its sector's activity in the
sector view, the secretariat moves the plan on. Screenshots land in
``test-artifacts/workplan-*.png``; the phone pages must not scroll sideways.

Same set-up as ``tests/e2e/test_browser.py``, whose fixtures it uses.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from counties.models import Ward
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from tests.e2e import test_browser as base
from tests.e2e.test_browser import PHONE, foreign_requests, log_in
from workplans.models import ActivityWard, JointActivity, PlanPartner
from workplans.services import plans as services

browser, page, requests_seen, artifacts = (
    base.browser,
    base.page,
    base.requests_seen,
    base.artifacts,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_sector_lead_adds_an_activity_and_the_secretariat_moves_the_plan_on(
    page, live_server, requests_seen, artifacts
):
    county = factories.samburu()
    health = factories._county_sector(county, "health")
    lead_user = factories.UserFactory(email="lead@example.org", full_name="Naisula Lekuton")
    lead = factories.MembershipFactory(
        county=county, user=lead_user, role=Role.SECTOR_LEAD, sector=health
    )
    sec_user = factories.UserFactory(email="sec@example.org", full_name="Amina Lekalkuli")
    factories.MembershipFactory(county=county, user=sec_user, role=Role.SECRETARIAT)
    plan = factories.JointWorkPlanFactory(
        county=county,
        title="Samburu County Joint Work Plan",
        lead_agency=factories.OrganizationFactory(name="County Department of Economic Planning"),
    )
    wv = factories.OrganizationFactory(name="World Vision Kenya")
    amref = factories.OrganizationFactory(name="Amref Health Africa")
    ward = Ward.objects.filter(county=county).first()
    with county_context([county]):
        for org in (wv, amref):
            PlanPartner.objects.create(county=county, plan=plan, organization=org)
    for title, org in (
        ("Integrated outreach for maternal and child health", wv),
        ("Community health promoters refresher training", amref),
        ("Nutrition screening in schools", wv),
    ):
        activity = factories.JointActivityFactory(
            county=county, plan=plan, title=title, lead_organization=org, sector=health
        )
        with county_context([county]):
            ActivityWard.objects.create(county=county, activity=activity, ward=ward)
    factories.ObjectiveFactory(
        county=county, plan=plan, statement="Fewer preventable child deaths", priority_area="Health"
    )

    log_in(page, "lead@example.org", factories.PASSWORD)
    page.goto(f"/{county.slug}/work-plans/{plan.pk}/sectors/{health.pk}/")
    expect(page.locator("h1")).to_contain_text(health.name)
    page.get_by_role("link", name="Add an activity").click()
    page.get_by_label("Activity", exact=True).fill("Mobile clinic in Wamba")
    page.get_by_label("Lead organization").select_option(value=str(wv.pk))
    page.get_by_label("Start").fill("2025-08-01")
    page.get_by_label("End").fill(date(2025, 10, 31).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Activity added")
    expect(page.locator("ul.activity-cards > li")).to_have_count(4)
    page.screenshot(path=artifacts / "workplan-sector.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / "workplan-sector-phone.png", full_page=True)

    page.context.clear_cookies()
    page.set_viewport_size(base.DESKTOP)
    log_in(page, "sec@example.org", factories.PASSWORD)
    page.goto(f"/{county.slug}/work-plans/{plan.pk}/")
    page.get_by_role("button", name="Open the co-creation workshop").click()
    expect(page.locator(".messages")).to_contain_text("Co-creation")
    expect(page.locator("ol.workflow [aria-current=step]")).to_have_text("Co-creation")
    page.screenshot(path=artifacts / "workplan-plan.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / "workplan-plan-phone.png", full_page=True)

    # A stale save: the sector lead saved the activity while the secretariat had it open.
    page.set_viewport_size(base.DESKTOP)
    page.goto(f"/{county.slug}/work-plans/activities/{activity.pk}/edit/")
    with county_context([county]):
        services.activity_update(
            activity=JointActivity.objects.for_county(county).get(pk=activity.pk),
            membership=lead,
            row_version=1,
            title="Nutrition screening in all primary schools",
        )
    page.get_by_label("Activity", exact=True).fill("Nutrition screening in schools and ECDEs")
    page.get_by_role("button", name="Save").click()
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("Nutrition screening in all primary schools")
    expect(conflict).to_contain_text("Nutrition screening in schools and ECDEs")
    expect(page.get_by_label("Activity", exact=True)).to_have_value(
        "Nutrition screening in schools and ECDEs"
    )
    page.screenshot(path=artifacts / "workplan-conflict.png", full_page=True)
    assert foreign_requests(requests_seen, live_server) == []
