"""The members' pages of the workflow: overview, plan, step, timeline, moderation,
documents. Turkana is the neighbour; the URL walker covers its 404s as well."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from counties.models import OfficeKind
from jwp.roles import Role
from jwp.tenancy import county_context
from sectorplans import services
from sectorplans.models import PlanDocument, StepStatus
from tests import factories
from tests.sectorplans.conftest import complete_up_to, office_member

pytestmark = pytest.mark.django_db

PDF = factories.PDF_BYTES


def url(name, county, **kwargs):
    return reverse(f"sectorplans:{name}", kwargs={"county_slug": county.slug, **kwargs})


@pytest.mark.parametrize("role", list(Role.values))
def test_every_role_reads_the_plan_pages(client, county, plan, member, role):
    client.force_login(member(role).user)
    with county_context([county]):
        window = factories.ParticipationWindowFactory(
            county=county, plan=plan, plan_step=factories.plan_step(plan, 7)
        )
    for page in (
        url("plans", county),
        url("plan", county, plan_id=plan.pk),
        url("timeline", county, plan_id=plan.pk),
        url("step", county, plan_id=plan.pk, number=11),
        url("window", county, window_id=window.pk),
    ):
        assert client.get(page).status_code == 200, page


def test_an_observer_cannot_complete_a_step(client, county, plan, member):
    client.force_login(member(Role.OBSERVER).user)
    response = client.post(url("step", county, plan_id=plan.pk, number=1), {"action": "complete"})
    assert response.status_code == 403
    assert factories.plan_step(plan, 1).status == StepStatus.NOT_STARTED


def test_an_observer_cannot_start_a_plan(client, county, member):
    client.force_login(member(Role.OBSERVER).user)
    assert client.get(url("plan_new", county)).status_code == 403


def test_the_secretariat_starts_a_plan_from_the_form(client, county, secretariat_m):
    client.force_login(secretariat_m.user)
    with county_context([county]):
        sector = factories.SectorFactory(county=county, name="Water")
    response = client.post(
        url("plan_new", county),
        {"sector": sector.pk, "period_start": 2023, "title": "Water sector plan 2023–2027"},
    )
    assert response.status_code == 302
    assert "Water sector plan" in client.get(response["Location"]).content.decode()


def test_the_plan_form_keeps_input_and_shows_errors_next_to_fields(client, county, secretariat_m):
    client.force_login(secretariat_m.user)
    response = client.post(url("plan_new", county), {"title": "Kept title", "period_start": 1900})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Kept title"' in html
    assert "id_period_start_errors" in html


def test_a_member_completes_a_step_from_the_plan_page_and_the_audit_shows_it(
    client, county, plan, secretariat_m
):
    client.force_login(secretariat_m.user)
    response = client.post(url("step", county, plan_id=plan.pk, number=1), {"action": "complete"})
    assert response.status_code == 302
    html = client.get(url("plan", county, plan_id=plan.pk)).content.decode()
    assert "Step 1: done" in html
    assert "not_started → done" in html


def test_the_sign_off_readiness_is_shown_and_the_sign_off_not_offered_before_it_is_ready(
    client, county, plan
):
    client.force_login(office_member(plan, OfficeKind.CEC_SECTOR).user)
    response = client.get(url("step", county, plan_id=plan.pk, number=15))
    html = response.content.decode()
    assert response.status_code == 200
    assert "signs off everything before it" in html
    assert 'class="check check-blocking"' in html
    assert 'value="complete"' not in html  # the sign-off form is not offered
    refused = client.post(url("step", county, plan_id=plan.pk, number=15), {"action": "complete"})
    assert refused.status_code == 200
    assert factories.plan_step(plan, 15).status == StepStatus.NOT_STARTED


def test_the_cec_records_comments_on_the_step_page(client, county, plan):
    client.force_login(office_member(plan, OfficeKind.CEC_SECTOR).user)
    response = client.post(
        url("step", county, plan_id=plan.pk, number=11),
        {
            "action": "complete",
            "complete-body": "Add livestock data.",
            "complete-decided_on": "2024-02-01",
            "complete-out_of_order_reason": "The CEC met before the briefing was recorded.",
        },
    )
    assert response.status_code == 302
    assert factories.plan_step(plan, 11).status == StepStatus.DONE


def test_the_timeline_draws_todays_line_and_marks_overdue_steps_in_words(
    client, county, plan, secretariat_m
):
    with county_context([county]):
        services.plan_lay_out(plan=plan, membership=secretariat_m, start=date(2020, 1, 1))
    client.force_login(secretariat_m.user)
    html = client.get(url("timeline", county, plan_id=plan.pk)).content.decode()
    assert "<svg" in html and 'class="today"' in html
    assert "⚠ overdue" in html
    assert 'fill="url(#hatch)"' in html


def test_a_document_upload_is_checked_by_content_and_versioned(client, county, plan, secretariat_m):
    client.force_login(secretariat_m.user)
    page = url("document_upload", county, plan_id=plan.pk) + "?step=9"
    fake = SimpleUploadedFile("baseline.pdf", b"not a pdf at all")
    response = client.post(page, {"title": "Baseline", "kind": "baseline", "upload": fake})
    assert "its content was checked" in response.content.decode()
    for _ in range(2):
        pdf = SimpleUploadedFile("baseline.pdf", PDF)
        client.post(page, {"title": "Baseline", "kind": "baseline", "upload": pdf, "step": 9})
    with county_context([county]):
        versions = list(
            PlanDocument.objects.for_county(county).values_list(
                "version", "plan_step__step__number"
            )
        )
    assert sorted(versions) == [(1, 9), (2, 9)]


def test_documents_are_served_to_members_only_never_from_media_url(
    client, county, neighbour, plan, secretariat_m, member
):
    document = factories.PlanDocumentFactory(county=county, plan=plan)
    link = url("document", county, document_id=document.pk)
    client.force_login(member(Role.OBSERVER).user)
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/media/{document.file.name}").status_code == 404
    client.force_login(member(Role.SECRETARIAT, county=neighbour).user)
    assert client.get(link).status_code == 404


def test_a_neighbour_member_cannot_see_this_countys_plans_in_their_overview(
    client, county, neighbour, plan, member
):
    client.force_login(member(Role.SECRETARIAT, county=neighbour).user)
    html = client.get(url("plans", neighbour)).content.decode()
    assert plan.title not in html


def test_the_overview_filters_by_status(client, county, plan, secretariat_m):
    complete_up_to(plan, 47, secretariat_m)
    other = factories.sector_plan(county, title="Still preparing", by=secretariat_m)
    client.force_login(secretariat_m.user)
    html = client.get(url("plans", county), {"status": "published"}).content.decode()
    assert plan.title in html and other.title not in html
