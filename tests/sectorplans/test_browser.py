"""The browser walk of a sector plan, in Debian's Chromium: the secretariat starts a plan
and lays out its timeline, completes the first steps, opens a participation window; a
citizen comments on a phone; the working group moderates, closes and responds; the
Assembly approves and the plan is published. Steps in between use the secretariat's
shortcut (completing on the actors' behalf). Screenshots land in ``test-artifacts/``."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from counties.models import County
from jwp.roles import Role
from jwp.tenancy import county_context
from sectorplans.models import PlanStatus, SectorPlan
from tests import factories
from tests.e2e import test_browser as e2e
from tests.sectorplans.conftest import complete_up_to

# The browser fixtures of the e2e walk, shared.
artifacts, browser, page, requests_seen = e2e.artifacts, e2e.browser, e2e.page, e2e.requests_seen
DESKTOP, PHONE, foreign_requests, log_in = e2e.DESKTOP, e2e.PHONE, e2e.foreign_requests, e2e.log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def assert_fits_a_phone(p):
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways at 360 px ({width} px)"


def test_a_plan_runs_from_step_1_through_a_public_comment_to_publication(
    browser,
    page,
    live_server,
    requests_seen,
    artifacts,
):
    assert County.objects.count() == 47, "serialized rollback did not restore the counties"
    samburu = factories.samburu()
    secretariat = factories.MembershipFactory(
        county=samburu, role=Role.SECRETARIAT, user__email="naserian@example.org"
    )
    assembly = factories.MembershipFactory(
        county=samburu, role=Role.ASSEMBLY, user__email="hon.lesuuda@example.org"
    )

    log_in(page, "naserian@example.org", factories.PASSWORD)
    page.get_by_role("navigation", name="County workspace").get_by_role(
        "link", name="Sector plans"
    ).click()
    page.get_by_role("link", name="Start a sector plan").click()
    page.get_by_label("Sector").select_option(label="Health")
    page.get_by_label("Title").fill("Samburu Health Sector Plan 2023–2027")
    page.get_by_role("button", name="Start the plan").click()
    expect(page.locator("h1")).to_have_text("Samburu Health Sector Plan 2023–2027")
    plan_url = page.url

    page.get_by_role("link", name="Timeline").click()
    page.get_by_label("Start the first unfinished step on").fill("2026-01-05")
    page.get_by_role("button", name="Lay out").click()
    expect(page.locator("svg.gantt")).to_be_visible()
    expect(page.locator("svg.gantt .today")).to_have_count(1)
    page.screenshot(path=artifacts / "sectorplan-timeline.png", full_page=True)

    page.goto(plan_url)
    for number in range(1, 7):
        page.get_by_role("button", name=re.compile(f"— step {number}$")).click()
        expect(page.locator(".messages")).to_contain_text("Step done.")
    page.screenshot(path=artifacts / "sectorplan-plan.png", full_page=True)

    page.locator("#step-7 a").first.click()
    page.get_by_label("What we ask the public about").fill("Health context and baseline")
    page.get_by_role("button", name="Open the window").click()
    expect(page.locator(".messages")).to_contain_text("Participation window saved.")
    page.screenshot(path=artifacts / "sectorplan-step.png", full_page=True)
    public_link = page.get_by_role("link", name="Public page").first.get_attribute("href")

    citizen = browser.new_context(base_url=live_server.url, viewport=PHONE).new_page()
    citizen.goto(public_link)
    citizen.get_by_label("Topic").fill("Clinics")
    citizen.get_by_label("Your comment").fill("<b>Open</b> the Wamba clinic at weekends")
    citizen.get_by_role("button", name="Send my comment").click()
    expect(citizen.locator(".messages")).to_contain_text("Thank you")
    assert_fits_a_phone(citizen)
    citizen.screenshot(path=artifacts / "sectorplan-public-window-phone.png", full_page=True)

    page.get_by_role("link", name="Comments and responses").click()
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("button", name="Close the window now").click()
    page.get_by_label("Response").select_option(label="Incorporated")
    page.get_by_label("What we did, and why").fill("Weekend hours are in programme 1.")
    page.get_by_role("button", name="Record the response").click()
    expect(page.locator(".comments")).to_contain_text("Weekend hours are in programme 1.")
    page.screenshot(path=artifacts / "sectorplan-moderation.png", full_page=True)

    citizen.reload()
    expect(citizen.locator("table.you-said")).to_contain_text("<b>Open</b> the Wamba clinic")
    expect(citizen.locator("table.you-said")).to_contain_text("Weekend hours are in programme 1.")
    citizen.screenshot(path=artifacts / "sectorplan-you-said-we-did-phone.png", full_page=True)

    with county_context([samburu]):
        plan = SectorPlan.objects.for_county(samburu).get()
    complete_up_to(plan, 45, secretariat, first=7)  # the secretariat's shortcut

    assembly_page = browser.new_context(base_url=live_server.url, viewport=DESKTOP).new_page()
    log_in(assembly_page, "hon.lesuuda@example.org", factories.PASSWORD)
    assembly_page.goto(f"{plan_url}steps/46/")
    assembly_page.get_by_label("Comments / decision").fill("The House approved the plan.")
    # Not before step 45 was done (today), not ahead of today.
    today = timezone.localdate().isoformat()
    assembly_page.get_by_label("Date of the comments or decision").fill(today)
    assembly_page.get_by_label("Hansard / resolution reference").fill("Resolution CA/07/2026")
    expect(assembly_page.locator("#readiness .check-blocking")).to_have_count(0)
    assembly_page.get_by_label("I have read the checks above and confirm.").check()
    assembly_page.get_by_role("button", name="Sign off").click()
    expect(assembly_page.locator(".messages")).to_contain_text("Step done.")

    page.goto(f"{plan_url}steps/47/")
    expect(page.locator("#readiness")).to_contain_text("You said, we did")
    page.get_by_label("I have read the checks above and confirm.").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".plan-summary")).to_contain_text("Published")
    with county_context([samburu]):
        assert SectorPlan.objects.for_county(samburu).get().status == PlanStatus.PUBLISHED
    assert assembly.user.email == "hon.lesuuda@example.org"

    citizen.goto(f"/{samburu.slug}/sector-plans/public/")
    citizen.get_by_role("link", name="Samburu Health Sector Plan 2023–2027").click()
    expect(citizen.locator("dl.facts")).to_contain_text("Resolution CA/07/2026")
    assert_fits_a_phone(citizen)
    citizen.screenshot(path=artifacts / "sectorplan-public-plan-phone.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.goto(plan_url)
    assert_fits_a_phone(page)
    page.screenshot(path=artifacts / "sectorplan-plan-phone.png", full_page=True)

    assert foreign_requests(requests_seen, live_server) == []
