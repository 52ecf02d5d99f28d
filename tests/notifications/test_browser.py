"""In the browser: the bell counts, "Mark read" swaps the row and the bell in place (htmx,
under the strict CSP), preferences save. Fixtures from ``tests/e2e/test_browser.py``;
screenshots land in ``test-artifacts/notifications*.png``."""

import pytest
from playwright.sync_api import expect

from jwp.roles import Role
from tests import factories
from tests.e2e import test_browser as base
from tests.e2e.test_browser import PHONE, foreign_requests, log_in

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


def test_a_member_reads_reminders_from_the_bell(page, live_server, requests_seen, artifacts):
    samburu = factories.samburu()
    user = factories.UserFactory(email="amina@example.org", full_name="Amina Ekiru")
    factories.MembershipFactory(county=samburu, user=user, role=Role.PARTNER)
    for title, threshold in (
        ("Submit the cost-share commitments", "overdue"),
        ("Book the venue for the TWG", "d7"),
    ):
        factories.NotificationFactory(
            county=samburu, recipient=user, title=title, threshold=threshold
        )
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    log_in(page, "amina@example.org", factories.PASSWORD)
    page.goto("/samburu/")
    bell = page.locator("#bell")
    expect(bell.locator(".bell-count")).to_have_text("2")
    bell.click()
    expect(page.locator("h1")).to_have_text("Notifications")
    page.screenshot(path=artifacts / "notifications.png", full_page=True)

    row = page.locator("li.notification", has_text="Book the venue for the TWG")
    row.get_by_role("button", name="Mark read").click()
    expect(row).to_contain_text("Read")
    expect(page.locator("#bell .bell-count")).to_have_text("1")  # swapped in place
    assert page.url.endswith("/notifications/")

    page.get_by_role("link", name="E-mail preferences").click()
    page.get_by_label("Action item: Daily digest e-mail").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_role("status")).to_contain_text("Your reminder preferences are saved.")
    expect(page.get_by_label("Action item: Daily digest e-mail")).to_be_checked()
    page.set_viewport_size(PHONE)
    page.screenshot(path=artifacts / "notifications-preferences-phone.png", full_page=True)

    assert errors == []  # no CSP refusal, no script error
    assert foreign_requests(requests_seen, live_server) == []
