"""The job row is the truth: nothing is lost when the broker is down or a worker dies,
and a document is rendered once however often its message arrives."""

import os
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from kombu.exceptions import OperationalError

from documents import services, tasks
from documents.kinds import KINDS
from documents.models import DocumentJob, JobStatus
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from tests.documents.conftest import ask, membership_of, retry


def _request(user, county, plan, capture):
    with capture(execute=True):
        job, _created = ask(
            membership=membership_of(user, county), kind=KINDS["workplan"], target=plan
        )
    return factories.refresh(job)


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, status="signed")


@pytest.mark.django_db
def test_the_task_is_sent_only_when_the_request_commits(
    county, secretariat, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job, created = ask(
            membership=membership_of(secretariat, county), kind=KINDS["workplan"], target=plan
        )
    assert created and len(callbacks) == 1
    assert factories.refresh(job).status == JobStatus.QUEUED  # nothing ran before commit
    callbacks[0]()
    job = factories.refresh(job)
    assert job.status == JobStatus.DONE
    assert (job.attempts, job.renders, job.pages) == (1, 1, job.pages)
    assert len(job.sha256) == 64 and job.size > 1000


@pytest.mark.django_db
def test_broker_down_the_request_succeeds_the_job_stays_queued_and_the_sweeper_sends_it(
    county, secretariat, plan, django_capture_on_commit_callbacks, monkeypatch
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis: Connection refused.")

    with monkeypatch.context() as broken:
        broken.setattr(tasks.render_document, "apply_async", broker_down)
        job = _request(secretariat, county, plan, django_capture_on_commit_callbacks)
        assert job.status == JobStatus.QUEUED and job.attempts == 0
        # Too early for the sweeper: the message may still be on its way.
        with django_capture_on_commit_callbacks(execute=True):
            assert services.sweep() == 0
    # The broker is back; a few minutes later the beat sweeper sends the job again.
    later = timezone.now() + timedelta(minutes=4)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_document_jobs() == 1
    job = factories.refresh(job)
    assert job.status == JobStatus.DONE and job.renders == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep(now=timezone.now() + timedelta(hours=1)) == 0  # done: left alone


@pytest.mark.django_db
def test_the_task_run_twice_renders_once_and_keeps_one_file(
    county, secretariat, plan, django_capture_on_commit_callbacks
):
    job = _request(secretariat, county, plan, django_capture_on_commit_callbacks)
    first = (job.file.name, job.sha256, job.finished_at)
    assert tasks.render_document(job_id=job.pk, county_id=county.pk) == "already done"
    job = factories.refresh(job)
    assert (job.file.name, job.sha256, job.finished_at) == first
    assert (job.renders, job.attempts) == (1, 1)
    folder = job.file.storage.path(job.file.name).rsplit("/", 1)[0]
    assert os.listdir(folder) == [job.file.name.rsplit("/", 1)[1]]


@pytest.mark.django_db
def test_a_worker_killed_mid_render_is_taken_over_once_and_overwrites_the_same_path(
    county, secretariat, plan, django_capture_on_commit_callbacks, monkeypatch
):
    """The row says running (a worker claimed it, then died before finishing); the
    redelivered message renders it, at the same path, and a further one does nothing."""
    from documents import renderers

    real_render = renderers.render

    def killed(job):
        raise SystemExit("worker killed")  # not an Exception: nothing records a failure

    monkeypatch.setattr(renderers, "render", killed)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job, _created = ask(
            membership=membership_of(secretariat, county), kind=KINDS["workplan"], target=plan
        )
    with pytest.raises(SystemExit):
        callbacks[0]()
    job = factories.refresh(job)
    assert (job.status, job.attempts, job.renders) == (JobStatus.RUNNING, 1, 0)

    monkeypatch.setattr(renderers, "render", real_render)
    assert tasks.render_document(job_id=job.pk, county_id=county.pk) == "done"
    assert tasks.render_document(job_id=job.pk, county_id=county.pk) == "already done"
    job = factories.refresh(job)
    assert (job.status, job.attempts, job.renders) == (JobStatus.DONE, 2, 1)
    assert job.file.name.startswith(f"county/{county.pk}/documents/{job.token.hex}/")


@pytest.mark.django_db
def test_rerendering_the_same_job_overwrites_its_file(
    county, secretariat, plan, django_capture_on_commit_callbacks
):
    job = _request(secretariat, county, plan, django_capture_on_commit_callbacks)
    name = job.file.name
    with county_context([county]):
        DocumentJob.objects.for_county(county).filter(pk=job.pk).update(status=JobStatus.RUNNING)
    assert tasks.render_document(job_id=job.pk, county_id=county.pk) == "done"
    job = factories.refresh(job)
    assert job.file.name == name and job.renders == 2
    assert len(os.listdir(job.file.storage.path(name).rsplit("/", 1)[0])) == 1


@pytest.mark.django_db
def test_a_stuck_running_job_is_sent_again_and_gives_up_after_three_attempts(
    county, secretariat, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job, _created = ask(
            membership=membership_of(secretariat, county), kind=KINDS["workplan"], target=plan
        )
    long_ago = timezone.now() - timedelta(hours=1)
    with county_context([county]):
        DocumentJob.objects.for_county(county).filter(pk=job.pk).update(
            status=JobStatus.RUNNING, started_at=long_ago, sent_at=long_ago, attempts=3
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep() == 1
    job = factories.refresh(job)
    assert job.status == JobStatus.FAILED and "stopped" in job.error


@pytest.mark.django_db
def test_a_render_error_fails_the_job_with_the_error_and_retry_queues_it_again(
    county, secretariat, plan, django_capture_on_commit_callbacks, monkeypatch
):
    from documents import renderers

    real_render = renderers.render
    monkeypatch.setattr(
        renderers, "render", lambda job: (_ for _ in ()).throw(ValueError("no such font"))
    )
    job = _request(secretariat, county, plan, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED and job.error == "ValueError: no such font"
    monkeypatch.setattr(renderers, "render", real_render)
    with django_capture_on_commit_callbacks(execute=True):
        retry(membership=membership_of(secretariat, county), job=job)
    assert factories.refresh(job).status == JobStatus.DONE


@pytest.mark.django_db
def test_a_database_error_puts_the_job_back_in_the_queue_for_the_sweeper(
    county, secretariat, plan, django_capture_on_commit_callbacks, monkeypatch
):
    from django.db import OperationalError

    from documents import renderers
    from documents.services import sweep

    real_render = renderers.render

    def locked(job):
        raise OperationalError("database is locked")

    monkeypatch.setattr(renderers, "render", locked)
    job = _request(secretariat, county, plan, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.QUEUED and job.error == "" and job.attempts == 1
    monkeypatch.setattr(renderers, "render", real_render)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(now=timezone.now() + timedelta(minutes=5)) == 1
    job = factories.refresh(job)
    assert job.status == JobStatus.DONE and job.renders == 1 and job.attempts == 2


@pytest.mark.django_db
def test_a_second_click_returns_the_pending_job(
    county, secretariat, plan, django_capture_on_commit_callbacks
):
    membership = membership_of(secretariat, county)
    with django_capture_on_commit_callbacks(execute=False):
        first, created = ask(membership=membership, kind=KINDS["workplan"], target=plan)
        again, created_again = ask(membership=membership, kind=KINDS["workplan"], target=plan)
    assert created and not created_again and again.pk == first.pk


@pytest.mark.django_db
def test_observers_may_not_request_and_partners_not_before_consolidation(county, make_member):
    from django.core.exceptions import PermissionDenied

    draft = factories.JointWorkPlanFactory(county=county, status="co_creation")
    observer = membership_of(make_member(county, Role.OBSERVER), county)
    partner = membership_of(make_member(county, Role.PARTNER), county)
    for membership in (observer, partner):
        with pytest.raises(PermissionDenied):
            ask(membership=membership, kind=KINDS["budget"], target=draft)


@pytest.mark.django_db
def test_broker_down_the_page_still_answers_and_the_job_waits_queued(
    client, county, secretariat, plan, django_capture_on_commit_callbacks, monkeypatch
):
    from django.urls import reverse

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis: Connection refused.")

    monkeypatch.setattr(tasks.render_document, "apply_async", broker_down)
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:panel", args=[county.slug, "workplan", plan.pk]))
    assert response.status_code == 302
    with county_context([county]):
        job = DocumentJob.objects.for_county(county).get(target_id=plan.pk)
    assert job.status == JobStatus.QUEUED and job.attempts == 0


def test_beat_runs_the_document_sweeper_every_few_minutes():
    from jwp.celery import app

    entry = app.conf.beat_schedule["sweep-document-jobs"]
    assert entry["task"] == tasks.sweep_document_jobs.name
    assert tasks.render_document.acks_late and tasks.render_document.reject_on_worker_lost
