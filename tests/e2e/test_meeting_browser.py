"""The browser fills a meeting's attendance and sees the participation figures.

Same set-up as ``test_browser.py`` (live server, Debian's Chromium, serialized
rollback), whose fixtures it uses. Screenshots land in
``test-artifacts/meeting.png`` and ``meeting-phone.png``.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from counties.models import Attendance, OrganizationCategory
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from tests.e2e import test_browser as base
from tests.e2e.test_browser import PHONE, foreign_requests, log_in

# The browser fixtures of the first browser test, shared rather than copied.
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


def add_attendee(page, name: str, organization, gender: str, *, youth=False, pwd=False):
    form = page.locator("#attendance-form")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Organization").select_option(label=str(organization))
    form.get_by_label("Gender").select_option(label=gender)
    if youth:
        form.get_by_label("Youth (18–35)").check()
    if pwd:
        form.get_by_label("Person with disability").check()
    form.get_by_role("button", name="Add to register").click()
    expect(page.get_by_role("status")).to_contain_text(f"{name} added to the register.")


def test_secretariat_fills_a_meetings_attendance_and_sees_the_participation_figures(
    page, live_server, requests_seen, artifacts
):
    samburu = factories.samburu()
    user = factories.UserFactory(email="naserian@example.org", full_name="Naserian Lekalkuli")
    factories.MembershipFactory(county=samburu, user=user, role=Role.SECRETARIAT)
    department = factories.OrganizationFactory(
        name="Samburu County Department of Health Services",
        acronym="SCG-Health",
        category=OrganizationCategory.COUNTY_DEPARTMENT,
    )
    ndma = factories.OrganizationFactory(
        name="National Drought Management Authority",
        acronym="NDMA",
        category=OrganizationCategory.NATIONAL_GOVERNMENT,
    )
    for org in (department, ndma):
        factories.ContactFactory(county=samburu, organization=org)
    meeting = factories.MeetingFactory(
        county=samburu, kind="co_creation", title="JWP co-creation workshop"
    )

    log_in(page, "naserian@example.org", factories.PASSWORD)
    page.goto("/samburu/")
    page.get_by_role("navigation", name="County workspace").get_by_role(
        "link", name="Meetings"
    ).click()
    expect(page.locator("h1")).to_have_text("Meetings and workshops")
    page.screenshot(path=artifacts / "meetings.png", full_page=True)
    page.get_by_role("link", name="JWP co-creation workshop").click()
    expect(page.locator("h1")).to_have_text("JWP co-creation workshop")
    expect(page.locator("#attendance")).to_contain_text("No attendance yet")

    url_before = page.url
    add_attendee(page, "Mary Lolosoli", department, "Female")
    # htmx swapped the register in place: no navigation, focus back on the name field.
    assert page.url == url_before
    expect(page.locator("#attendance_name")).to_be_focused()
    add_attendee(page, "Grace Akai", ndma, "Female", youth=True)
    add_attendee(page, "Julius Lekidime", department, "Male", pwd=True)

    figures = page.locator(".participation")
    expect(figures).to_contain_text("3 people attended")
    expect(figures).to_contain_text("67% women (2 of 3)")
    expect(figures).to_contain_text("33% youth (18–35) (1 of 3)")
    expect(figures).to_contain_text("33% persons with disability (1 of 3)")
    turnout = page.get_by_role("table", name="Turnout by organization category")
    expect(turnout.get_by_role("row", name="County department")).to_contain_text("2")
    expect(turnout.get_by_role("row", name="County department")).to_contain_text("67%")
    expect(turnout.get_by_role("row", name="National government")).to_contain_text("33%")

    # The register refuses the same person twice, next to the name, keeping the input.
    form = page.locator("#attendance-form")
    form.get_by_label("Name").fill("grace akai")
    form.get_by_label("Position").fill("Drought coordinator")
    form.get_by_role("button", name="Add to register").click()
    expect(page.locator("#attendance_name_errors")).to_contain_text("already in this meeting")
    expect(form.get_by_label("Position")).to_have_value("Drought coordinator")

    with county_context([samburu]):
        assert Attendance.objects.for_county(samburu).filter(meeting=meeting).count() == 3

    # An action item, already late, is marked overdue in words.
    actions = page.locator("#actions form.row-form")
    actions.get_by_label("Action").fill("Submit cost-share commitments")
    actions.get_by_label("Owner", exact=True).fill("Grace Akai")
    actions.get_by_label("Due date").fill(str(timezone.localdate() - timedelta(days=2)))
    actions.get_by_role("button", name="Add action").click()
    row = page.locator("#actions tbody tr").filter(has_text="Submit cost-share commitments")
    expect(row).to_contain_text("Overdue")

    page.screenshot(path=artifacts / "meeting.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    page.screenshot(path=artifacts / "meeting-phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the meeting page scrolls sideways at 360 px ({width} px)"

    assert foreign_requests(requests_seen, live_server) == []
