"""A real Celery worker on Redis produces a PDF requested through the web page: the
status partial is polled until done, then the file downloads with its SHA-256."""

import hashlib
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from jwp.celery import app as celery_app
from tests import factories


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_generates_the_pdf_requested_on_the_page(client, county, secretariat):
    plan = factories.JointWorkPlanFactory(county=county, status="signed")
    client.force_login(secretariat)
    celery_app.conf.task_always_eager = False
    # Requested before the worker starts: the task waits on the broker and the status
    # partial must poll (a fast worker could otherwise finish before the first look).
    response = client.post(reverse("documents:panel", args=[county.slug, "workplan", plan.pk]))
    assert response.status_code == 302
    job_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    status_url = reverse("documents:status", args=[county.slug, job_id])
    pending = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" in pending, "the status polls while the job waits"
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            html = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
            if "every 2s" not in html:
                break
            time.sleep(0.2)
    assert "every 2s" not in html, "the status stopped polling when the job finished"
    assert "Download PDF" in html, html
    download = client.get(reverse("documents:download", args=[county.slug, job_id]))
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF-")
    assert hashlib.sha256(body).hexdigest() == download["X-Content-SHA256"]
    job_page = client.get(reverse("documents:job", args=[county.slug, job_id])).content.decode()
    assert hashlib.sha256(body).hexdigest() in job_page
