"""Requesting, generating and sweeping documents (issue 7, points 4–5).

Nothing is lost when things fail:

- The request writes a DocumentJob row (queued) and hands the task to the broker
  only after commit (``jwp.jobs.enqueue_on_commit``); a broker that is down leaves
  the row queued, and the sweeper sends it again.
- A worker claims the row (queued → running, committed so the page shows it), then
  renders while holding the row's lock. A second delivery of the same message waits
  for that lock or skips it, then finds the job done: a done job is never
  rendered again. A worker killed mid-render drops its connection and so its lock;
  the redelivered message (acks_late + reject_on_worker_lost) or the sweeper then
  renders the job once more, over the same file path.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership
from documents.kinds import KINDS, Kind, may_request
from documents.models import DocumentJob, DocumentKind, JobStatus, document_upload_to
from documents.pdf import Rendered
from jwp import audit
from jwp.jobs import enqueue_on_commit
from jwp.tenancy import all_counties_context, county_context

logger = logging.getLogger(__name__)

# A queued job whose message has not started for this long is sent again.
RESEND_QUEUED_AFTER = timedelta(minutes=3)
# A running job not finished after this long lost its worker: sent again.
STUCK_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 3
PENDING = (JobStatus.QUEUED, JobStatus.RUNNING)


def clean_params(kind: Kind, target, params: dict | None) -> dict:
    """The parameters a kind takes, validated; a quarterly report needs its quarter."""
    if kind.key != DocumentKind.REPORT:
        return {}
    params = params or {}
    try:
        quarter = int(params.get("quarter", 0))
    except (TypeError, ValueError):
        quarter = 0
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Choose the quarter of the report (Q1 to Q4).")})
    return {"fiscal_year": target.fiscal_year, "quarter": quarter}


def source_version(target) -> str:
    """The version of what a document prints, as of now: the object's ``row_version``
    and the county's last recorded change. A PDF prints more than its object (a plan's
    activities, budget lines, signatures, results), and every service records its
    writes in the audit trail, so "nothing recorded since" means "the same document"."""
    from jwp.models import AuditEvent

    last = (
        AuditEvent.objects.for_county(target.county_id)
        .exclude(verb__startswith="document.")
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
        .first()
    )
    return f"{getattr(target, 'row_version', 0)}.{last or 0}"


def request_key(kind: Kind, target, params: dict) -> str:
    """What was asked for: two requests with the same key want the same PDF."""
    fields = ",".join(f"{k}={params[k]}" for k in sorted(params))
    return f"{kind.key}:{target.pk}:{fields}:{source_version(target)}"[:200]


def document_request(
    *, membership: Membership, kind: Kind, target, params: dict | None = None
) -> tuple[DocumentJob, bool]:
    """Queue a document, or return the job already queued, running or done for the same
    object, parameters and version: a second click (even a simultaneous one) does not
    render twice. A failed job does not count (the request is a new try), nor one made
    before the object changed. Returns (job, created)."""
    params = clean_params(kind, target, params)
    if not may_request(kind, membership, target, params):
        raise PermissionDenied(_("You may not generate this document."))
    county = membership.county
    key = request_key(kind, target, params)
    live = (
        DocumentJob.objects.for_county(county)
        .filter(request_key=key)
        .exclude(status=JobStatus.FAILED)
    )
    existing = live.first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            job = DocumentJob.objects.create(
                county=county,
                kind=kind.key,
                target_id=target.pk,
                params=params,
                request_key=key,
                title=kind.title(target, params)[:300],
                requested_by=membership.user,
            )
            audit.record(
                county=county,
                actor=membership.user,
                verb="document.request",
                target=job,
                summary=_("Requested: %(title)s") % {"title": job.title},
                data={"kind": kind.key, "target": target.pk, **params},
            )
            _enqueue(job)
    except IntegrityError:
        # The other click's insert committed first (documentjob_one_live_job_per_request).
        return live.get(), False
    return job, True


def document_retry(*, membership: Membership, job: DocumentJob) -> DocumentJob:
    """A failed job goes back to the queue (the same row, so the same file path)."""
    kind = KINDS[job.kind]
    target = kind.model.objects.for_county(job.county_id).filter(pk=job.target_id).first()
    if target is None or not may_request(kind, membership, target, job.params):
        raise PermissionDenied(_("You may not generate this document."))
    if job.status != JobStatus.FAILED:
        raise ValidationError(_("Only a failed document can be tried again."))
    if (
        job.request_key
        and DocumentJob.objects.for_county(job.county_id)
        .filter(request_key=job.request_key)
        .exclude(status=JobStatus.FAILED)
        .exists()
    ):
        raise ValidationError(_("The same document has been requested again since: open that one."))
    with transaction.atomic():
        now = timezone.now()
        DocumentJob.objects.for_county(job.county_id).filter(
            pk=job.pk, status=JobStatus.FAILED
        ).update(status=JobStatus.QUEUED, error="", sent_at=now, attempts=0, finished_at=None)
        audit.record(
            county=membership.county,
            actor=membership.user,
            verb="document.retry",
            target=job,
            summary=_("Tried again: %(title)s") % {"title": job.title},
        )
        _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: DocumentJob) -> None:
    from documents import tasks

    enqueue_on_commit(tasks.render_document, job_id=job.pk, county_id=job.county_id)


# --- the worker's side ----------------------------------------------------------


def _jobs(county_id: int):
    return DocumentJob.objects.for_county(county_id)


def job_run(*, job_id: int, county_id: int) -> str:
    """Generate one job's PDF, at most once however often the message arrives."""
    now = timezone.now()
    with county_context([county_id]):
        claimed = (
            _jobs(county_id)
            .filter(pk=job_id, status=JobStatus.QUEUED)
            .update(status=JobStatus.RUNNING, started_at=now, attempts=F("attempts") + 1)
        )
        if not claimed:
            status = _jobs(county_id).filter(pk=job_id).values_list("status", flat=True).first()
            if status is None:
                return "gone"
            if status != JobStatus.RUNNING:
                return f"already {status}"  # done or failed: never rendered again
    try:
        with county_context([county_id]):
            # A worker still rendering this job holds the lock: leave it to that one.
            job = (
                _jobs(county_id)
                .select_for_update(skip_locked=True)
                .filter(pk=job_id, status=JobStatus.RUNNING)
                .first()
            )
            if job is None:
                return "busy"
            if not claimed:  # taken over from a worker that stopped mid-render
                job.attempts += 1
                if job.attempts > MAX_ATTEMPTS:
                    _fail(job, _("The worker stopped every time it generated this document."))
                    return "failed"
            _finish(job, render_job(job))
            return "done"
    except OperationalError as exc:
        # The database, not the document: a locked SQLite file, a dropped connection.
        # The job goes back to the queue and the sweeper sends it again (attempts
        # still count towards MAX_ATTEMPTS).
        logger.warning("Document job %s put back in the queue: %s", job_id, exc)
        with county_context([county_id]):
            _jobs(county_id).filter(pk=job_id, status=JobStatus.RUNNING).update(
                status=JobStatus.QUEUED
            )
        return "requeued"
    except Exception as exc:  # the row says what went wrong; the page shows it
        logger.exception("Document job %s failed", job_id)
        with county_context([county_id]):
            job = _jobs(county_id).filter(pk=job_id, status=JobStatus.RUNNING).first()
            if job is not None:
                _fail(job, f"{type(exc).__name__}: {exc}")
        return "failed"


def render_job(job: DocumentJob) -> Rendered:
    from documents.renderers import render

    return render(job)


def _finish(job: DocumentJob, rendered: Rendered) -> None:
    """Store the PDF at the job's one path (overwriting a previous render)."""
    storage = job.file.storage
    name = document_upload_to(job, job.download_name)
    for old in {job.file.name, name} - {""}:
        if storage.exists(old):
            storage.delete(old)
    job.file.name = storage.save(name, ContentFile(rendered.pdf))
    job.sha256 = rendered.sha256
    job.size = len(rendered.pdf)
    job.pages = rendered.pages
    job.renders += 1
    job.status = JobStatus.DONE
    job.error = ""
    job.finished_at = timezone.now()
    job.save()


def _fail(job: DocumentJob, error: str) -> None:
    job.status = JobStatus.FAILED
    job.error = error[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "attempts"])


def sweep(*, now=None) -> int:
    """Send again what the broker lost: queued jobs not started within a few minutes
    and running jobs whose worker stopped. Returns how many were sent."""
    now = now or timezone.now()
    with all_counties_context():
        jobs = DocumentJob.objects.all_counties()
        late = jobs.filter(
            Q(status=JobStatus.QUEUED, sent_at__lt=now - RESEND_QUEUED_AFTER)
            | Q(
                status=JobStatus.RUNNING,
                started_at__lt=now - STUCK_AFTER,
                sent_at__lt=now - STUCK_AFTER,
            )
        )
        found = list(late.values_list("pk", "county_id"))
        jobs.filter(pk__in=[pk for pk, _c in found]).update(sent_at=now)
        for pk, county_id in found:
            _enqueue(DocumentJob(pk=pk, county_id=county_id))
    return len(found)
