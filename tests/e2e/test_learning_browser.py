"""A partner who took part in a joint monitoring visit uploads a phone photo (3000×2000
with GPS in its EXIF): the page shows it at 1600 px; a text file named .jpg is refused
with the message. The secretariat finds a lesson in the county-wide search.

Same set-up as ``test_browser.py`` (live server, Debian's Chromium, serialized
rollback). Screenshots land in ``test-artifacts/`` (``learning-visit.png``,
``learning-visit-phone.png``, ``learning-lessons.png``).
"""

from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from jwp.roles import Role
from jwp.tenancy import county_context
from learning.models import LessonTheme, VisitOrganization, VisitPhoto
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


def test_a_participant_uploads_a_photo_and_the_secretariat_searches_lessons(
    browser, live_server, requests_seen, artifacts, tmp_path
):
    samburu = factories.samburu()
    partner = factories.UserFactory(email="amina@example.org", full_name="Amina Ekiru")
    membership = factories.MembershipFactory(county=samburu, user=partner, role=Role.PARTNER)
    office = factories.UserFactory(email="naserian@example.org", full_name="Naserian Lekalkuli")
    factories.MembershipFactory(county=samburu, user=office, role=Role.SECRETARIAT)
    plan = factories.JointWorkPlanFactory(county=samburu, fiscal_year="2024/25")
    visit = factories.MonitoringVisitFactory(
        county=samburu, plan=plan, title="Outreach sites in Waso"
    )
    lesson = factories.LessonFactory(
        county=samburu,
        plan=plan,
        title="Align the JWP calendar with the county budget calendar",
    )
    with county_context([samburu]):
        VisitOrganization.objects.create(
            county=samburu, visit=visit, organization=membership.organization
        )
        LessonTheme.objects.create(county=samburu, lesson=lesson, theme="calendars")

    photo = tmp_path / "IMG_0001.jpg"
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (1.0, 5.0, 0.0), 3: "E", 4: (36.0, 40.0, 0.0)}
    buffer = BytesIO()
    Image.new("RGB", (3000, 2000), (200, 150, 90)).save(buffer, "JPEG", exif=exif)
    photo.write_bytes(buffer.getvalue())
    fake = tmp_path / "report.jpg"
    fake.write_text("This is a text file, not a photo.")

    field = _page(browser, live_server, requests_seen)
    log_in(field, "amina@example.org", factories.PASSWORD)
    field.goto(f"/samburu/learning/visits/{visit.pk}/")
    field.get_by_label("Photo", exact=True).set_input_files(str(fake))
    field.get_by_role("button", name="Upload the photo").click()
    expect(field.get_by_role("status")).to_contain_text("not a JPEG, PNG or WebP photo")
    field.get_by_label("Photo", exact=True).set_input_files(str(photo))
    field.get_by_label("Caption").fill("Water point")
    field.get_by_role("button", name="Upload the photo").click()
    image = field.get_by_role("img", name="Water point")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 1600
    field.get_by_label("Finding").fill("Registers incomplete at two sites.")
    field.get_by_role("button", name="Add the finding").click()
    expect(field.get_by_text("Registers incomplete at two sites.")).to_be_visible()
    field.screenshot(path=artifacts / "learning-visit.png", full_page=True)
    with county_context([samburu]):
        stored = VisitPhoto.objects.for_county(samburu).get()
    with stored.image.open("rb") as f:
        assert dict(Image.open(f).getexif()) == {}

    phone = _page(browser, live_server, requests_seen, viewport=PHONE)
    log_in(phone, "amina@example.org", factories.PASSWORD)
    phone.goto(f"/samburu/learning/visits/{visit.pk}/")
    expect(phone.get_by_role("img", name="Water point")).to_be_visible()
    phone.screenshot(path=artifacts / "learning-visit-phone.png", full_page=True)

    desk = _page(browser, live_server, requests_seen)
    log_in(desk, "naserian@example.org", factories.PASSWORD)
    desk.goto("/samburu/learning/lessons/")
    desk.get_by_label("Search").fill("calendar")
    desk.get_by_role("button", name="Search").click()
    expect(desk.get_by_role("link", name=lesson.title)).to_be_visible()
    expect(desk.locator(".pill.theme")).to_have_text("Planning and budget calendars")
    desk.screenshot(path=artifacts / "learning-lessons.png", full_page=True)
    assert foreign_requests(requests_seen, live_server) == []
