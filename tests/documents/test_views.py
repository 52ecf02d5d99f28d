"""The pages: request through the web, live status, download, isolation between
counties and of partners before consolidation, the list's query count, /verify/."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import DocumentJob
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from tests.documents.conftest import job_pdf


def _panel(county, kind, target_id):
    return reverse("documents:panel", args=[county.slug, kind, target_id])


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, status="signed")


@pytest.mark.django_db
def test_generate_pdf_polls_the_status_then_downloads_the_file(
    as_user, county, secretariat, plan, django_capture_on_commit_callbacks
):
    client = as_user(secretariat)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(_panel(county, "workplan", plan.pk))
    job_url = response["Location"]
    job_id = int(job_url.rstrip("/").rsplit("/", 1)[1])
    status_url = reverse("documents:status", args=[county.slug, job_id])

    queued = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in queued and "Queued" in queued

    for callback in callbacks:  # the request committed: the task runs
        callback()
    done = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done  # polling stops
    assert reverse("documents:download", args=[county.slug, job_id]) in done

    download = client.get(reverse("documents:download", args=[county.slug, job_id]))
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf" and body.startswith(b"%PDF-")
    assert hashlib.sha256(body).hexdigest() == download["X-Content-SHA256"]


@pytest.mark.django_db
def test_htmx_generate_swaps_the_panel_in_place(
    as_user, county, secretariat, plan, django_capture_on_commit_callbacks
):
    client = as_user(secretariat)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(_panel(county, "workplan", plan.pk), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="documents-workplan-{plan.pk}"' in html and "every 2s" in html
    assert "<html" not in html


@pytest.mark.django_db
def test_a_report_needs_its_quarter(as_user, county, secretariat, plan):
    response = as_user(secretariat).post(
        _panel(county, "report", plan.pk), {"quarter": "7"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
def test_the_neighbours_member_gets_404_for_status_download_and_panel(
    client, county, neighbour_secretariat, plan
):
    job = factories.DocumentJobFactory(county=county, target_id=plan.pk)
    client.force_login(neighbour_secretariat)
    for name in ("documents:job", "documents:status", "documents:download"):
        assert client.get(reverse(name, args=[county.slug, job.pk])).status_code == 404
        # and with the neighbour's own slug: the id is not theirs
        assert client.get(reverse(name, args=["turkana", job.pk])).status_code == 404
    assert client.post(_panel(county, "workplan", plan.pk)).status_code == 404


@pytest.mark.django_db
def test_a_partner_cannot_see_work_plan_documents_before_consolidation(
    client, county, make_member, secretariat
):
    """The budget's rule: before consolidation a partner sees only its own contributions,
    so not a PDF that prints everyone's; after consolidation it may."""
    plan = factories.JointWorkPlanFactory(county=county, status="co_creation")
    job = factories.DocumentJobFactory(county=county, target_id=plan.pk, kind="budget")
    report = factories.DocumentJobFactory(county=county, target_id=plan.pk, kind="report")
    client.force_login(make_member(county, Role.PARTNER))
    for name in ("documents:job", "documents:status", "documents:download"):
        assert client.get(reverse(name, args=[county.slug, job.pk])).status_code == 404
    assert client.get(_panel(county, "budget", plan.pk)).status_code == 404
    listed = client.get(reverse("documents:jobs", args=[county.slug])).content.decode()
    assert reverse("documents:job", args=[county.slug, job.pk]) not in listed
    assert reverse("documents:job", args=[county.slug, report.pk]) in listed  # M&E: visible

    with county_context([county]):
        plan.status = "consolidated"
        plan.save(update_fields=["status"])
    assert client.get(reverse("documents:download", args=[county.slug, job.pk])).status_code == 200


@pytest.mark.django_db
def test_observers_read_documents_but_have_no_generate_button(client, county, make_member, plan):
    job = factories.DocumentJobFactory(county=county, target_id=plan.pk)
    client.force_login(make_member(county, Role.OBSERVER))
    panel = client.get(_panel(county, "workplan", plan.pk)).content.decode()
    assert "Generate PDF" not in panel
    assert client.post(_panel(county, "workplan", plan.pk)).status_code == 403
    assert client.get(reverse("documents:download", args=[county.slug, job.pk])).status_code == 200


@pytest.mark.django_db
def test_the_document_list_reads_as_many_queries_for_10_rows_as_for_3(
    as_user, county, secretariat, plan, is_postgres
):
    client = as_user(secretariat)
    url = reverse("documents:jobs", args=[county.slug])
    for _ in range(3):
        factories.DocumentJobFactory(county=county, target_id=plan.pk, requested_by=secretariat)
    client.get(url)  # warm caches that are per process
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    for _ in range(7):
        factories.DocumentJobFactory(county=county, target_id=plan.pk, requested_by=secretariat)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url)
    assert response.content.decode().count('class="job-status"') == 10
    assert len(ten) == len(three)
    # 8 queries: session, user, county, membership, count of jobs, the switcher's
    # memberships, the notification bell's count, the page of jobs (requested_by
    # joined). The rest is transaction bookkeeping: 6 savepoints, and on PostgreSQL
    # 4 set_config calls of the county context (row-level security).
    # (The bell belongs to notifications: a bound, not an equality, for its share.)
    assert len(three) <= (18 if is_postgres else 14), [q["sql"] for q in three]


@pytest.mark.django_db
def test_verify_accepts_the_real_file_and_its_hash_and_rejects_a_changed_file(
    client, county, secretariat, plan, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_panel(county, "workplan", plan.pk))
    job = factories.refresh(DocumentJob(pk=int(response["Location"].split("/")[-2]), county=county))
    pdf = job_pdf(job)
    client.logout()  # the page is public
    url = reverse("verify")

    ok = client.post(url, {"file": SimpleUploadedFile("plan.pdf", pdf)}).content.decode()
    assert "Authentic" in ok and "Samburu" in ok and job.title in ok

    by_hash = client.post(url, {"sha256": hashlib.sha256(pdf).hexdigest().upper()})
    assert "Authentic" in by_hash.content.decode()

    middle = len(pdf) // 2
    changed = pdf[:middle] + bytes([pdf[middle] ^ 1]) + pdf[middle + 1 :]  # one bit flipped
    bad = client.post(url, {"file": SimpleUploadedFile("plan.pdf", changed)}).content.decode()
    assert "Not a document issued by jwp" in bad and job.title not in bad

    not_pdf = client.post(url, {"file": SimpleUploadedFile("plan.pdf", b"GIF89a fake")})
    assert "not a real PDF" in not_pdf.content.decode()


@pytest.mark.django_db
def test_verify_is_rate_limited(client, settings):
    from django.core.cache import cache

    cache.clear()
    url = reverse("verify")
    codes = [client.post(url, {"sha256": "0" * 64}).status_code for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429
    cache.clear()


@pytest.mark.django_db
def test_object_pages_load_their_documents_panel(
    as_user, county, secretariat, plan, nomination, approved_sector_plan
):
    client = as_user(secretariat)
    pages = {
        reverse("workplans:plan", args=[county.slug, plan.pk]): ("workplan", plan.pk),
        reverse("workplans:budget", args=[county.slug, plan.pk]): ("budget", plan.pk),
        reverse("monitoring:plan", args=[county.slug, plan.pk]): ("report", plan.pk),
        reverse("sectorplans:plan", args=[county.slug, approved_sector_plan.pk]): (
            "sectorplan",
            approved_sector_plan.pk,
        ),
        reverse("counties:structure", args=[county.slug, nomination.structure_id]): (
            "nomination",
            nomination.pk,
        ),
    }
    for page, (kind, target_id) in pages.items():
        html = client.get(page).content.decode()
        assert _panel(county, kind, target_id) in html, page
        panel = client.get(_panel(county, kind, target_id), HTTP_HX_REQUEST="true")
        assert "Generate PDF" in panel.content.decode(), kind


@pytest.mark.django_db
def test_the_panel_loads_empty_for_a_partner_before_consolidation(client, county, make_member):
    draft = factories.JointWorkPlanFactory(county=county, status="co_creation")
    client.force_login(make_member(county, Role.PARTNER))
    response = client.get(_panel(county, "budget", draft.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""


@pytest.mark.django_db
def test_verify_refuses_a_file_over_the_size_limit(client, monkeypatch):
    from documents import forms

    monkeypatch.setattr(forms, "MAX_VERIFY_BYTES", 1024 * 1024)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    html = client.post(reverse("verify"), {"file": big}).content.decode()
    assert "the limit is 1 MB" in html and "Authentic" not in html
