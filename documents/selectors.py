"""Reads of generated documents; every function takes the county."""

from __future__ import annotations

from counties.models import County, Membership
from documents.kinds import hidden_from
from documents.models import DocumentJob, JobStatus


def county_jobs(*, county: County, membership: Membership, kind: str = "", status: str = ""):
    """The documents the member may see, newest first, with who asked (one query)."""
    qs = (
        DocumentJob.objects.for_county(county)
        .exclude(hidden_from(membership))
        .select_related("requested_by")
        .order_by("-requested_at", "-id")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


def target_jobs(
    *, county: County, membership: Membership, kind: str, target_id: int, limit: int = 5
) -> list[DocumentJob]:
    """The latest documents generated about one object that the member may see."""
    return list(
        DocumentJob.objects.for_county(county)
        .filter(kind=kind, target_id=target_id)
        .exclude(hidden_from(membership))
        .select_related("requested_by")
        .order_by("-requested_at", "-id")[:limit]
    )


def issued_document(sha256: str) -> DocumentJob | None:
    """The document with this fingerprint, in any county: the public check of
    authenticity (call inside ``all_counties_context``)."""
    return (
        DocumentJob.objects.all_counties()
        .filter(sha256=sha256.lower(), status=JobStatus.DONE)
        .select_related("county")
        .first()
    )
