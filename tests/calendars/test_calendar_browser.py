"""In the browser: the secretariat schedules a JWP event, finds it on the month grid,
walks the months, reads the county/USAID timeline and subscribes with a secret link.

Uses the fixtures of ``tests/e2e/test_browser.py`` (live server, Debian's Chromium).
Screenshots land in ``test-artifacts/calendar-*.png``.
"""

import pytest
from django.utils import timezone
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


def test_secretariat_schedules_an_event_walks_the_calendar_and_subscribes(
    page, live_server, requests_seen, artifacts
):
    samburu = factories.samburu()
    user = factories.UserFactory(email="naserian@example.org", full_name="Naserian Lekalkuli")
    factories.MembershipFactory(county=samburu, user=user, role=Role.SECRETARIAT)
    today = timezone.localdate()
    day = today.replace(day=min(today.day, 27) + 1)  # later this month

    log_in(page, "naserian@example.org", factories.PASSWORD)
    page.goto("/samburu/")
    page.get_by_role("navigation", name="County workspace").get_by_role(
        "link", name="Calendar"
    ).click()
    title = page.locator(".cal-title")
    expect(title).to_contain_text(today.strftime("%B %Y"))
    expect(page.locator("td[aria-current=date]")).to_contain_text("today")

    page.get_by_role("link", name="Add a JWP event").first.click()
    page.get_by_label("Kind").select_option(label="Pause and reflect")
    page.get_by_label("Title").fill("Pause and reflect: first quarter")
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("End date").fill(today.replace(day=1).isoformat())  # before the start
    page.get_by_role("button", name="Save event").click()
    expect(page.locator(".errorlist")).to_contain_text("cannot be before the date")
    expect(page.get_by_label("Title")).to_have_value("Pause and reflect: first quarter")
    page.get_by_label("End date").fill("")
    page.get_by_role("button", name="Save event").click()
    expect(page.get_by_role("status")).to_contain_text("JWP event saved.")
    cell = page.locator("table.cal-month td").filter(has=page.get_by_role("link", name="Pause"))
    expect(cell).to_contain_text("JWP process event")
    page.screenshot(path=artifacts / "calendar-month.png", full_page=True)

    page.get_by_role("link", name="→").click()  # next month
    expect(title).not_to_contain_text(today.strftime("%B %Y"))
    page.get_by_role("link", name="This month").click()
    expect(title).to_contain_text(today.strftime("%B %Y"))

    page.get_by_role("link", name="County and USAID cycles").click()
    expect(page.locator(".notice")).to_contain_text("collide with the USAID cycle")
    expect(page.locator("tr.clash").first).to_contain_text("Clash")
    page.screenshot(path=artifacts / "calendar-clash.png", full_page=True)

    page.get_by_role("link", name="Subscribe").click()
    page.get_by_role("button", name="Make my link").click()
    link = page.locator("#new-feed-url").input_value()
    feed = page.request.get(link)
    assert feed.status == 200 and "Pause and reflect: first quarter" in feed.text()
    page.reload()
    expect(page.locator("#new-feed-url")).to_have_count(0)  # shown once

    page.set_viewport_size(PHONE)
    page.goto("/samburu/calendar/")
    page.screenshot(path=artifacts / "calendar-month-phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the month scrolls sideways at 360 px ({width} px)"
    assert foreign_requests(requests_seen, live_server) == []
