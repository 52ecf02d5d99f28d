"""A partner reports a quarter's result; the secretariat returns it with a comment (a
confirmed decision); the partner corrects and resubmits; the secretariat verifies it
(confirmed, after the checks) and the M&E dashboard shows the indicator on track (green).

Same set-up as ``test_browser.py`` (live server, Debian's Chromium, serialized
rollback), whose fixtures it uses. Screenshots land in ``test-artifacts/``
(``me-returned.png``, ``me-result.png``, ``me-dashboard.png``, ``me-dashboard-phone.png``).
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from counties.models import OrganizationCategory
from jwp.roles import Role
from jwp.tenancy import county_context
from monitoring.models import Result, ResultStatus
from tests import factories
from tests.e2e import test_browser as base
from tests.e2e.test_browser import DESKTOP, PHONE, foreign_requests, log_in

browser, requests_seen, artifacts = base.browser, base.requests_seen, base.artifacts

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _page(browser, live_server, requests_seen, viewport=DESKTOP):
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.on("request", lambda request: requests_seen.append(request.url))
    return page


def test_a_result_is_returned_corrected_resubmitted_verified_and_shows_green(
    browser, live_server, requests_seen, artifacts, tmp_path
):
    samburu = factories.samburu()
    unicef = factories.OrganizationFactory(
        name="UNICEF Kenya", acronym="UNICEF", category=OrganizationCategory.DONOR
    )
    partner = factories.UserFactory(email="hassan@example.org", full_name="Hassan Abdille")
    factories.MembershipFactory(
        county=samburu, user=partner, role=Role.PARTNER, organization=unicef
    )
    office = factories.UserFactory(email="naserian@example.org", full_name="Naserian Lekalkuli")
    factories.MembershipFactory(county=samburu, user=office, role=Role.SECRETARIAT)
    plan = factories.JointWorkPlanFactory(county=samburu, fiscal_year="2025/26")
    indicator = factories.IndicatorFactory(
        county=samburu,
        plan=plan,
        name="Children under one fully immunized",
        unit="children",
        by_sex=True,
        responsible_organization=unicef,
    )
    factories.IndicatorTargetFactory(
        county=samburu, indicator=indicator, quarter=1, value=Decimal("100")
    )
    register = tmp_path / "moh-710.pdf"
    register.write_bytes(factories.PDF_BYTES)

    # The partner enters Q1: the groups must add up to the total.
    field = _page(browser, live_server, requests_seen)
    log_in(field, "hassan@example.org", factories.PASSWORD)
    field.goto(f"/samburu/monitoring/plans/{plan.pk}/")
    field.get_by_role("link", name="Children under one fully immunized").click()
    field.get_by_label("Quarter").select_option(label="Q1")
    field.get_by_label("Actual (children)").fill("95")
    field.get_by_label("Female").fill("50")
    field.get_by_role("spinbutton", name="Male (optional)", exact=True).fill("40")
    field.get_by_role("button", name="Save draft").click()
    expect(field.locator(".errorlist").first).to_contain_text("add up to 90, not to the total")
    field.get_by_role("spinbutton", name="Male (optional)", exact=True).fill("45")
    field.get_by_role("button", name="Save draft").click()
    expect(field.get_by_role("status")).to_contain_text("Result saved as a draft.")
    field.get_by_role("link", name="Open, edit, attach evidence 2025/26 Q1").click()
    field.get_by_label("What the file shows").fill("MOH 710 extract")
    field.get_by_label("File", exact=True).set_input_files(str(register))
    field.get_by_role("button", name="Attach").click()
    expect(field.get_by_role("status")).to_contain_text("Evidence attached.")
    field.get_by_role("button", name="Submit for verification").click()
    expect(field.locator(".lead")).to_contain_text("Submitted, awaiting verification")

    # The secretariat returns it with a comment.
    desk = _page(browser, live_server, requests_seen)
    log_in(desk, "naserian@example.org", factories.PASSWORD)
    desk.goto(f"/samburu/monitoring/plans/{plan.pk}/dashboard/")
    awaiting = desk.locator("section", has=desk.locator("#awaiting-title"))
    awaiting.get_by_role("link", name="Children under one fully immunized, 2025/26 Q1").click()
    expect(desk.get_by_role("link", name="MOH 710 extract")).to_be_visible()
    # the verify screen: the target, the provisional actual, the variance it would have
    expect(desk.locator("table.verification")).to_contain_text("100")
    expect(desk.locator("table.verification")).to_contain_text("provisional")
    desk.get_by_label("What needs correcting").fill("Add Waso ward's outreach from the register.")
    desk.get_by_role("button", name="Return for correction…").click()
    # a confirmed decision: the checks, then the confirmation
    expect(desk.locator("ul.readiness")).to_contain_text("Reason for return")
    desk.get_by_role("button", name="Confirm: return for correction").click()
    expect(desk.get_by_role("status")).to_contain_text("returned to its reporter as a draft")

    # The partner sees why, corrects and resubmits.
    field.goto(f"/samburu/monitoring/indicators/{indicator.pk}/")
    notice = field.get_by_role("alert")
    expect(notice).to_contain_text("Add Waso ward's outreach from the register.")
    field.screenshot(path=artifacts / "me-returned.png", full_page=True)
    notice.get_by_role("link", name="Correct it and submit it again").click()
    field.get_by_label("Actual (children)").fill("104")
    field.get_by_label("Female").fill("55")
    field.get_by_role("spinbutton", name="Male (optional)", exact=True).fill("49")
    field.get_by_role("button", name="Save draft").click()
    expect(field.get_by_role("status")).to_contain_text("Result saved as a draft.")
    field.get_by_role("button", name="Submit again for verification").click()
    expect(field.locator(".lead")).to_contain_text("Submitted, awaiting verification")
    expect(field.get_by_text("Returned by the secretariat for correction")).to_have_count(0)

    # The secretariat verifies; the dashboard shows the indicator on track.
    desk.reload()
    desk.get_by_role("link", name="Verify…").click()
    expect(desk.locator("ul.readiness")).to_contain_text("Evidence attached")
    desk.get_by_role("button", name="Confirm: verify the result").click()
    expect(desk.locator(".lead")).to_contain_text("Verified")
    desk.screenshot(path=artifacts / "me-result.png", full_page=True)
    with county_context([samburu]):
        result = Result.objects.for_county(samburu).get(indicator=indicator)
    assert result.status == ResultStatus.VERIFIED and result.value == Decimal("104")
    desk.get_by_role("navigation", name="Monitoring and evaluation").get_by_role(
        "link", name="Dashboard"
    ).click()
    green = desk.locator(".rag-card-green")
    expect(green).to_contain_text("Children under one fully immunized")
    expect(green).to_contain_text("104.0% achieved")
    expect(desk.locator(".rag-card-red")).not_to_contain_text("Children under one")
    expect(desk.locator("figure.chart text.rag-word")).to_have_text(["On track"])
    desk.screenshot(path=artifacts / "me-dashboard.png", full_page=True)
    desk.set_viewport_size(PHONE)
    desk.screenshot(path=artifacts / "me-dashboard-phone.png", full_page=True)
    width = desk.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the dashboard scrolls sideways at 360 px ({width} px)"
    assert foreign_requests(requests_seen, live_server) == []
