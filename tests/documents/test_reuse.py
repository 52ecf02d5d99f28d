"""A second request for the same document (object, kind, parameters, version) reuses
the job, done ones included; a failed one may be tried anew; a changed object makes a
new job; two simultaneous clicks make one job."""

import threading

import pytest

from documents.kinds import KINDS
from documents.models import DocumentJob, JobStatus
from jwp import audit
from jwp.tenancy import county_context
from tests import factories
from tests.documents.conftest import ask, membership_of


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, status="signed")


def _done(job):
    with county_context([job.county_id]):
        DocumentJob.objects.for_county(job.county_id).filter(pk=job.pk).update(
            status=JobStatus.DONE, sha256="ab" * 32
        )


@pytest.mark.django_db
def test_a_request_after_the_pdf_is_ready_returns_the_done_job(
    county, neighbour, secretariat, plan, django_capture_on_commit_callbacks
):
    membership = membership_of(secretariat, county)
    with django_capture_on_commit_callbacks(execute=False):
        first, created = ask(membership=membership, kind=KINDS["workplan"], target=plan)
        _done(first)
        again, created_again = ask(membership=membership, kind=KINDS["workplan"], target=plan)
    assert created and not created_again and again.pk == first.pk
    # Another kind of document on the same plan is another job.
    with django_capture_on_commit_callbacks(execute=False):
        budget, created_budget = ask(membership=membership, kind=KINDS["budget"], target=plan)
    assert created_budget and budget.pk != first.pk


@pytest.mark.django_db
def test_a_failed_job_is_not_reused(
    county, neighbour, secretariat, plan, django_capture_on_commit_callbacks
):
    membership = membership_of(secretariat, county)
    with django_capture_on_commit_callbacks(execute=False):
        first, _ = ask(membership=membership, kind=KINDS["workplan"], target=plan)
        with county_context([county]):
            DocumentJob.objects.for_county(county).filter(pk=first.pk).update(
                status=JobStatus.FAILED
            )
        again, created = ask(membership=membership, kind=KINDS["workplan"], target=plan)
    assert created and again.pk != first.pk


@pytest.mark.django_db
def test_a_changed_plan_makes_a_new_job(
    county, neighbour, secretariat, plan, django_capture_on_commit_callbacks
):
    membership = membership_of(secretariat, county)
    with django_capture_on_commit_callbacks(execute=False):
        first, _ = ask(membership=membership, kind=KINDS["workplan"], target=plan)
        _done(first)
        with county_context([county]):
            audit.record(
                county=county,
                actor=secretariat,
                verb="activity.update",
                target=plan,
                summary="Activity updated",
                data={"workplan": plan.pk},
            )
        after_edit, created = ask(membership=membership, kind=KINDS["workplan"], target=plan)
    assert created and after_edit.pk != first.pk
    # row_version alone (a write without an audit event) also counts.
    with django_capture_on_commit_callbacks(execute=False):
        plan.row_version += 1
        bumped, created_bumped = ask(membership=membership, kind=KINDS["workplan"], target=plan)
    assert created_bumped and bumped.pk != after_edit.pk


@pytest.mark.django_db
def test_a_neighbours_job_for_the_same_id_is_never_reused(
    county, neighbour, secretariat, plan, make_member, django_capture_on_commit_callbacks
):
    from jwp.roles import Role

    theirs_plan = factories.JointWorkPlanFactory(county=neighbour, status="signed")
    theirs = membership_of(make_member(neighbour, Role.SECRETARIAT), neighbour)
    with django_capture_on_commit_callbacks(execute=False):
        their_job, _ = ask(membership=theirs, kind=KINDS["workplan"], target=theirs_plan)
        my_job, created = ask(
            membership=membership_of(secretariat, county), kind=KINDS["workplan"], target=plan
        )
    assert created and my_job.pk != their_job.pk and my_job.county_id == county.pk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_clicks_make_one_job(county, neighbour, secretariat, plan):
    """Two threads, each its own connection and transaction, request at the same time:
    the unique constraint lets one insert; the other returns that job."""
    from django.db import connections, transaction

    membership = membership_of(secretariat, county)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def click():
        try:
            with transaction.atomic(), county_context([county]):
                barrier.wait(timeout=10)
                results.append(ask(membership=membership, kind=KINDS["workplan"], target=plan))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(created for _job, created in results) == [False, True]
    assert len({job.pk for job, _c in results}) == 1
    with county_context([county]):
        assert DocumentJob.objects.for_county(county).count() == 1


@pytest.mark.django_db
def test_the_page_says_the_same_version_was_already_requested(
    client, county, neighbour, secretariat, plan, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    client.force_login(secretariat)
    url = reverse("documents:panel", args=[county.slug, "workplan", plan.pk])
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post(url, follow=True)
        second = client.post(url, follow=True)
    assert first.redirect_chain == second.redirect_chain
    assert "already requested" in second.content.decode()
    with county_context([county]):
        assert DocumentJob.objects.for_county(county).count() == 1
