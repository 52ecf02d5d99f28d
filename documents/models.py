"""Generated documents (issue 7, points 4–6): one DocumentJob row per PDF requested.

The row is the job's source of truth (queued → running → done / failed); the
broker message only nudges a worker. A done job keeps the PDF, its SHA-256, size
and page count, so anyone holding a copy can check it on the public /verify/ page.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jwp.tenancy import CountyOwned


class DocumentKind(models.TextChoices):
    WORKPLAN = "workplan", _("Signed joint work plan")
    BUDGET = "budget", _("Cost-share budget approval sheet")
    SECTOR_PLAN = "sectorplan", _("Sector plan approval record")
    REPORT = "report", _("Quarterly M&E progress report")
    NOMINATION = "nomination", _("Nomination letter")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


def document_upload_to(job: "DocumentJob", filename: str) -> str:
    """One fixed path per job: rendering the same job again overwrites it."""
    return f"county/{job.county_id}/documents/{job.token.hex}/{filename}"


class DocumentJob(CountyOwned):
    kind = models.CharField(_("document"), max_length=12, choices=DocumentKind.choices)
    # The object the document is about; ``kind`` says which model it is.
    target_id = models.PositiveBigIntegerField()
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # What was asked for: kind, object, parameters and the object's version when asked
    # (documents.services.request_key). A second request for the same key reuses the job.
    request_key = models.CharField(max_length=200, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    token = models.UUIDField(default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    # Last time a message was handed to the broker (the request, then the sweeper).
    sent_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    renders = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["county", "kind", "target_id"], name="documentjob_target"),
            models.Index(fields=["status", "sent_at"], name="documentjob_sweep"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(sha256=""), name="documentjob_done_has_hash"
            ),
            # Two clicks at once make one job: the second insert fails and reuses it.
            models.UniqueConstraint(
                fields=["county", "request_key"],
                condition=Q(status__in=["queued", "running", "done"]) & ~Q(request_key=""),
                name="documentjob_one_live_job_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def download_name(self) -> str:
        from django.utils.text import get_valid_filename

        return get_valid_filename(f"{self.title[:100]}-{self.pk}.pdf")
