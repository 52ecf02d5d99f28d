"""The browser walks the approval chain from co-creation to a signed plan: each office
holder opens the step's readiness page, sees every check met and confirms; the
signatories sign as their offices. Screenshots land in ``test-artifacts/chain-*.png``.

Same set-up as ``tests/e2e/test_browser.py``, whose fixtures it uses.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.e2e import test_browser as base
from tests.e2e.test_browser import foreign_requests, log_in
from tests.workplans import chain as chains

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


def _as(page, membership) -> None:
    page.context.clear_cookies()
    log_in(page, membership.user.email, factories.PASSWORD)


def test_the_holders_walk_the_readiness_pages_to_a_signed_plan(
    page, live_server, requests_seen, artifacts
):
    county = factories.samburu()
    c = chains.build(county)
    plan_url = f"/{county.slug}/work-plans/{c.plan.pk}/"

    _as(page, c.secretariat)
    page.goto(plan_url)
    page.get_by_role("link", name="Consolidation: readiness and confirmation").click()
    expect(page.locator(".readiness .check-blocking")).to_have_count(0)
    page.screenshot(path=artifacts / "chain-consolidate.png", full_page=True)
    page.get_by_role("button", name="Confirm: Consolidation").click()
    expect(page.locator(".messages")).to_contain_text("Consolidation recorded")

    _as(page, c.chair)
    page.goto(plan_url)
    page.get_by_role("link", name="TWG review: readiness and confirmation").click()
    page.get_by_label("TWG meeting").select_option(value=str(c.held.pk))
    page.get_by_label("Endorse the plan for CEC approval").check()
    page.get_by_label("Comments of the TWG").fill("Endorsed with the partners' pledges.")
    page.screenshot(path=artifacts / "chain-twg-review.png", full_page=True)
    page.get_by_role("button", name="Confirm: TWG review").click()
    expect(page.locator(".messages")).to_contain_text("TWG review recorded")

    _as(page, c.finance)
    page.goto(plan_url)
    page.get_by_role("link", name="CEC approval: readiness and confirmation").click()
    page.get_by_label("Cabinet (CEC) decision reference").fill("CEC/SBR/2026/11/07")
    page.get_by_label("Date of the CEC decision").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Confirm: CEC approval").click()
    expect(page.locator(".messages")).to_contain_text("CEC approval recorded")

    for holder, office in (
        (c.finance, "CEC Member for Finance and Economic Planning"),
        (c.secretary, "County Secretary"),
        (c.signatory, "Authorized signatory (Chief of Party / Country Director) — WVK"),
    ):
        _as(page, holder)
        page.goto(plan_url)
        page.get_by_role("link", name="Signing: readiness and confirmation").click()
        buttons = page.get_by_role("button", name="Sign as")
        expect(buttons).to_have_count(1)
        buttons.click()
        expect(page.locator(".messages")).to_contain_text(f"Signed as {office}")
        page.screenshot(path=artifacts / "chain-signing.png", full_page=True)

    page.goto(plan_url)
    expect(page.locator("h1")).to_contain_text("Signed")
    decisions = page.locator("#decisions tbody tr")
    expect(decisions).to_have_count(3)
    expect(decisions.nth(1)).to_contain_text("Chair of the JWP Technical Working Group")
    expect(page.locator("#signatures")).to_contain_text(c.secretary.user.full_name)
    page.screenshot(path=artifacts / "chain-signed.png", full_page=True)
    assert foreign_requests(requests_seen, live_server) == []
