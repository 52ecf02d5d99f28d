"""A partner commits funds to an activity; the secretariat sees the totals change.

Same set-up as ``test_browser.py`` (live server, Debian's Chromium, serialized
rollback), whose fixtures it uses. Screenshots land in
``test-artifacts/budget-summary.png``, ``budget-summary-phone.png`` and
``promises.png``.
"""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from counties.models import OrganizationCategory
from jwp.roles import Role
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


def test_partner_commits_funds_and_the_secretariat_sees_the_totals_change(
    browser, live_server, requests_seen, artifacts
):
    samburu = factories.samburu()
    world_vision = factories.OrganizationFactory(
        name="World Vision Kenya", acronym="WVK", category=OrganizationCategory.IMPLEMENTING_PARTNER
    )
    partner = factories.UserFactory(email="wanjiru@example.org", full_name="Wanjiru Kamau")
    factories.MembershipFactory(
        county=samburu, user=partner, role=Role.PARTNER, organization=world_vision
    )
    secretariat = factories.UserFactory(email="lekalkuli@example.org", full_name="John Lekalkuli")
    factories.MembershipFactory(county=samburu, user=secretariat, role=Role.SECRETARIAT)
    plan = factories.JointWorkPlanFactory(county=samburu, status="co_creation")
    activity = factories.JointActivityFactory(
        county=samburu,
        plan=plan,
        title="Rehabilitate Wamba boreholes",
        lead_organization=world_vision,
        start_date=date(2025, 8, 1),
    )
    factories.BudgetLineFactory(
        county=samburu, activity=activity, amount=Decimal("500000.00"), comment="Fuel and crew"
    )

    # The secretariat looks at the budget first: only the county's half-million.
    office = _page(browser, live_server, requests_seen)
    log_in(office, "lekalkuli@example.org", factories.PASSWORD)
    office.goto(f"/samburu/work-plans/{plan.pk}/")
    office.get_by_role("navigation", name="Sections of the plan").get_by_role(
        "link", name="Budget"
    ).click()
    totals = office.locator("#budget-totals")
    expect(totals).to_contain_text("Implementing partner contribution: KES 0.00")
    expect(totals).to_contain_text("Total estimated cost: KES 500,000.00")

    # The partner budgets and commits USD 2,000 at 129.50.
    field = _page(browser, live_server, requests_seen)
    log_in(field, "wanjiru@example.org", factories.PASSWORD)
    field.goto(f"/samburu/work-plans/{plan.pk}/")
    tabs = field.get_by_role("navigation", name="Sections of the plan")
    tabs.get_by_role("link", name="Budget").click()
    expect(field.locator(".notice")).to_contain_text("only your organization's lines")
    field.get_by_role("link", name="Add a budget line").click()
    field.get_by_label("Activity").select_option(label="Rehabilitate Wamba boreholes (Health)")
    field.get_by_label("Component").select_option(label="Capacity Building & Training")
    field.get_by_label("Amount").fill("2000")
    field.get_by_label("Currency").select_option("USD")
    field.get_by_role("button", name="Save").click()
    # USD without the rate: the error is next to the field and the input is kept.
    expect(field.locator("#id_exchange_rate_errors")).to_contain_text("exchange rate used")
    expect(field.get_by_label("Amount")).to_have_value("2000")
    field.get_by_label("Exchange rate used (KES per USD)").fill("129.50")
    field.get_by_role("button", name="Save").click()
    expect(field.get_by_role("status")).to_contain_text("Budget line added.")

    tabs.get_by_role("link", name="Commitments").click()
    field.get_by_role("link", name="Commit funds").click()
    field.get_by_label("Activity").select_option(label="Rehabilitate Wamba boreholes (Health)")
    field.get_by_label("Amount").fill("2000")
    field.get_by_label("Currency").select_option("USD")
    field.get_by_label("Exchange rate used (KES per USD)").fill("129.50")
    field.get_by_role("button", name="Commit").click()
    expect(field.get_by_role("status")).to_contain_text("2,000.00 USD recorded as pledged")

    # The secretariat's totals have moved, and the promise shows as only a promise.
    office.reload()
    expect(totals).to_contain_text("Implementing partner contribution: KES 259,000.00")
    expect(totals).to_contain_text("Total estimated cost: KES 759,000.00")
    office.screenshot(path=artifacts / "budget-summary.png", full_page=True)
    office.set_viewport_size(PHONE)
    office.screenshot(path=artifacts / "budget-summary-phone.png", full_page=True)
    width = office.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways at 360 px ({width} px)"
    office.set_viewport_size(DESKTOP)

    office.get_by_role("navigation", name="Sections of the plan").get_by_role(
        "link", name="Commitments"
    ).click()
    promises = office.locator("#promises")
    expect(promises).to_contain_text("World Vision Kenya")
    expect(promises).to_contain_text("Only promised: KES 259,000.00")
    expect(office.locator("#overdue")).to_contain_text("Overdue promises")
    office.screenshot(path=artifacts / "promises.png", full_page=True)
    office.set_viewport_size(PHONE)
    office.screenshot(path=artifacts / "promises-phone.png", full_page=True)
    assert foreign_requests(requests_seen, live_server) == []
