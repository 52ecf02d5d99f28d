"""The browser walk: log in, choose a county, switch county — in Debian's Chromium.

Full-page screenshots land in ``test-artifacts/`` (git-ignored) for a human to look at.
The tests are transactional (the live server runs in another thread, with its own
connection), so the migration-loaded reference data is restored by serialized rollback.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from counties.models import County, Sector, Ward
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def browser(live_server):
    """Chromium, started after the test database is set up — and so once per test.

    While Playwright's sync API is running, this thread has a running event loop,
    and Django's thread-critical ``connections`` then hand out a *different*
    connection object (asgiref keeps async storage apart). Started before a test's
    database setup (a module-scoped fixture would be), that setup sees a connection
    without the serialized data, silently skips the serialized rollback, and the
    test finds no counties.
    """
    # The ORM calls of the test itself (factories) run while that loop is running;
    # Django would refuse them as "async unsafe".
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
            # Close the connections opened while the loop ran (see above), or
            # PostgreSQL cannot drop the test database at the end.
            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def requests_seen():
    """Every URL the page asked for, to prove nothing leaves the server."""
    return []


@pytest.fixture
def page(browser, live_server, requests_seen):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    page.on("request", lambda request: requests_seen.append(request.url))
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def foreign_requests(urls: list[str], live_server) -> list[str]:
    """Requests to any host other than the live server (data: URLs have no host)."""
    ours = urlsplit(live_server.url).netloc
    return [
        u
        for u in urls
        if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != ours
    ]


def log_in(page, email: str, password: str) -> None:
    if urlsplit(page.url).path != "/accounts/login/":
        page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_member_of_two_counties_logs_in_chooses_and_switches_county(
    page, live_server, requests_seen, artifacts
):
    assert County.objects.count() == 47, "serialized rollback did not restore the counties"
    samburu, turkana = factories.samburu(), factories.turkana()
    user = factories.UserFactory(email="amina@example.org", full_name="Amina Lekalkuli")
    factories.MembershipFactory(county=samburu, user=user, role=Role.SECRETARIAT)
    factories.MembershipFactory(county=turkana, user=user, role=Role.PARTNER)
    for role in (Role.SECTOR_LEAD, Role.PARTNER, Role.EXECUTIVE, Role.OBSERVER):
        factories.MembershipFactory(county=samburu, role=role)

    page.goto("/accounts/login/")
    page.screenshot(path=artifacts / "login.png", full_page=True)
    log_in(page, "amina@example.org", factories.PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    cards = page.locator("a.card")
    expect(cards).to_have_count(2)
    expect(cards.filter(has_text="Samburu")).to_be_visible()
    expect(cards.filter(has_text="Turkana")).to_be_visible()

    cards.filter(has_text="Samburu").click()
    expect(page).to_have_url(f"{live_server.url}/samburu/")
    expect(page.locator("h1")).to_contain_text("Samburu County")
    workspace_nav = page.get_by_role("navigation", name="County workspace")
    expect(workspace_nav.get_by_role("link", name="Members")).to_be_visible()
    page.screenshot(path=artifacts / "county-home.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    page.screenshot(path=artifacts / "county-home-phone.png", full_page=True)
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], f"the page scrolls sideways at 360 px ({page_width} px)"
    page.set_viewport_size(DESKTOP)

    workspace_nav.get_by_role("link", name="Members").click()
    expect(page).to_have_url(f"{live_server.url}/samburu/members/")
    expect(page.locator("tbody tr").filter(has_text="Amina Lekalkuli")).to_be_visible()
    page.screenshot(path=artifacts / "members.png", full_page=True)

    page.locator("select#county-switch").select_option("turkana")
    expect(page).to_have_url(f"{live_server.url}/turkana/")
    expect(page.locator("h1")).to_contain_text("Turkana County")

    assert requests_seen
    assert foreign_requests(requests_seen, live_server) == []


def test_wrong_password_and_unknown_email_get_the_same_error(page, live_server, requests_seen):
    assert County.objects.count() == 47, "serialized rollback did not restore the counties"
    factories.UserFactory(email="amina@example.org")

    log_in(page, "amina@example.org", "not-the-password")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    wrong_password = page.get_by_role("alert").inner_text()

    log_in(page, "nobody@example.org", "not-the-password")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    unknown_email = page.get_by_role("alert").inner_text()

    assert wrong_password.strip()
    assert wrong_password == unknown_email
    assert "amina" not in wrong_password.lower()
    assert foreign_requests(requests_seen, live_server) == []


def test_reference_data_survives_the_transactional_flushes(db):
    """Runs last: the tests above flushed the database; serialized rollback restored
    what the migrations loaded."""
    assert County.objects.count() == 47
    assert Ward.objects.filter(county__code="025").exists()
    samburu = factories.samburu()
    with county_context([samburu]):  # sectors are county-owned: row-level security
        assert Sector.objects.for_county(samburu).count() == 10
