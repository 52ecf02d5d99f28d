"""(e) The stakeholder invitation / nomination letter: the county asks an
organization to nominate a representative to a JWP structure by a date."""

from __future__ import annotations

from counties.models import CoordinationStructure, NominationStatus

TEMPLATE = "documents/pdf/nomination.html"


def context(job, nomination) -> dict:
    structure: CoordinationStructure = nomination.structure
    return {
        "nomination": nomination,
        "structure": structure,
        "organization": nomination.organization,
        "nominee": nomination.nominee if nomination.nominee_id else None,
        "decided": nomination.status in (NominationStatus.ACCEPTED, NominationStatus.DECLINED),
        "signatory": nomination.invited_by,
    }
