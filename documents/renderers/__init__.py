"""One module per kind of document: each gives its template and its context.

Documents are the same for everyone who may read them (their SHA-256 is what
/verify/ checks), so they are built with the full view of the object, never
with the requesting member's narrower one; who may *see* a document is decided
by ``documents.kinds`` before it is served.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from documents.kinds import KINDS
from documents.models import DocumentJob, DocumentKind
from documents.pdf import Rendered, render_pdf
from jwp.roles import Role

# What the secretariat sees: every contribution of every organization.
FULL_VIEW = SimpleNamespace(role=Role.SECRETARIAT, organization_id=None)


def _modules():
    from documents.renderers import budget, nomination, report, sectorplan, workplan

    return {
        DocumentKind.WORKPLAN: workplan,
        DocumentKind.BUDGET: budget,
        DocumentKind.SECTOR_PLAN: sectorplan,
        DocumentKind.REPORT: report,
        DocumentKind.NOMINATION: nomination,
    }


def build(job: DocumentJob) -> tuple[str, dict]:
    """The template and context of a job (inside the job's county context)."""
    kind = KINDS[job.kind]
    target = (
        kind.model.objects.for_county(job.county_id)
        .select_related(*kind.related)
        .get(pk=job.target_id)
    )
    module = _modules()[job.kind]
    context = {
        "job": job,
        "county": target.county,
        "kind_label": kind.label,
        "generated_at": timezone.localtime(),
        "verify_url": f"{settings.SITE_URL}{reverse('verify')}",
        **module.context(job, target),
    }
    return module.TEMPLATE, context


def render(job: DocumentJob) -> Rendered:
    template, context = build(job)
    return render_pdf(template, context)
