"""Who may see what: one rule per kind of hidden object (DESIGN.md, "Visibility and
publication"). Every page, API, export, PDF, e-mail and search that reads one of these
kinds asks the function here, never its own copy of the rule.

=====================  ===============================================================
kind                   rule
=====================  ===============================================================
contributions          budget lines and commitments of a plan in draft or co-creation:
                       a partner member sees only its own organization's; after
                       consolidation, and for every other role, all of them
                       (``contributions``, ``contributions_anywhere``)
progress reports       a draft, in-review or reviewed report: the secretariat, the
                       executive, sector leads and the plan's TWG members; a shared one:
                       every member (``report_drafts``, ``report``, ``reports``,
                       ``report_quarter``)
evidence files         a partner sees only the files of the indicators its own
                       organization reports (``evidence``)
learning briefs        a draft brief is the secretariat's until published (``brief``,
                       ``briefs``)
generated documents    a PDF is seen by exactly those who may see what it prints
                       (``documents.kinds.may_see``, built on the rules above)
=====================  ===============================================================

Functions are keyword-only; those returning ``Q`` filter a queryset in the database
(``prefix`` reaches the object through a relation), the others answer for one object.
"""

from __future__ import annotations

from django.db.models import Q

from jwp.roles import Role

# --- budget lines and commitments --------------------------------------------------


def _shared_statuses():
    from workplans.models import PlanStatus

    return (
        PlanStatus.CONSOLIDATED,
        PlanStatus.TWG_REVIEWED,
        PlanStatus.CEC_APPROVED,
        PlanStatus.SIGNED,
    )


def contributions_shared(plan) -> bool:
    """Once the secretariat consolidates the plan every member sees every contribution."""
    return plan.status in _shared_statuses()


def contributions(*, membership, plan, prefix: str = "") -> Q:
    """Budget lines and commitments of one plan the member may see (``prefix`` reaches
    the contributor through a relation, e.g. ``"commitment__"``)."""
    if membership.role != Role.PARTNER or contributions_shared(plan):
        return Q()
    return Q(**{f"{prefix}contributor_id": membership.organization_id})


def sees_all_contributions(*, membership, plan) -> bool:
    """The member may see every organization's contributions to the plan (a document
    or total that prints them all)."""
    return membership.role != Role.PARTNER or contributions_shared(plan)


def contribution(*, membership, plan, obj) -> bool:
    """One budget line or commitment already in hand (the same rule as ``contributions``)."""
    return sees_all_contributions(membership=membership, plan=plan) or (
        obj.contributor_id is not None and obj.contributor_id == membership.organization_id
    )


def contributions_anywhere(*, membership, prefix: str = "") -> Q:
    """The same rule over many plans at once (county-wide lists, the API):
    ``prefix`` reaches the budget line or commitment, e.g. ``"budget_line__"``."""
    if membership.role != Role.PARTNER:
        return Q()
    return Q(**{f"{prefix}activity__plan__status__in": _shared_statuses()}) | Q(
        **{f"{prefix}contributor_id": membership.organization_id}
    )


# --- progress reports ----------------------------------------------------------------


def report_drafts_of_every_plan(*, membership) -> bool:
    """The member's role reads every plan's drafts (no TWG seat needed): lists skip the
    per-report check."""
    from progress.services.rules import DRAFT_READERS

    return membership.role in DRAFT_READERS


def report_drafts(*, membership, plan) -> bool:
    """Drafts and reports in review: the county officers on the TWG and the plan's TWG
    members (``progress.services.rules``)."""
    from progress.services.rules import can_see_drafts

    return can_see_drafts(membership, plan)


def report(*, membership, report) -> bool:
    from progress.models import ReportStatus

    return report.status == ReportStatus.SHARED or report_drafts(
        membership=membership, plan=report.plan
    )


def reports(*, membership, plan, prefix: str = "") -> Q:
    """The plan's progress reports the member may see, as a Q over ProgressReport."""
    from progress.models import ReportStatus

    if report_drafts(membership=membership, plan=plan):
        return Q()
    return Q(**{f"{prefix}status": ReportStatus.SHARED})


def report_quarter(*, membership, plan, fiscal_year: str, quarter, as_of=None) -> bool:
    """May the member see what the quarterly report PDF of that quarter prints? Yes when
    no progress report was written for it (the PDF then prints verified results only),
    or when the member may see the report; a PDF made ``as_of`` a moment before the
    report was shared printed the draft, and stays hidden from those who may not see
    drafts."""
    from progress.models import ProgressReport, ReportStatus

    if report_drafts(membership=membership, plan=plan):
        return True
    row = (
        ProgressReport.objects.for_county(plan.county_id)
        .filter(plan=plan, fiscal_year=fiscal_year, quarter=quarter)
        .values("status", "shared_at")
        .first()
    )
    if row is None:
        return True
    if row["status"] != ReportStatus.SHARED:
        return False
    return as_of is None or row["shared_at"] is None or as_of >= row["shared_at"]


# --- results' evidence ---------------------------------------------------------------


def evidence(*, membership, indicator) -> bool:
    """Evidence files: every member, except that a partner sees only the files of the
    indicators its own organization reports."""
    if membership.role == Role.PARTNER:
        return membership.organization_id == indicator.responsible_organization_id
    return True


# --- learning briefs -------------------------------------------------------------------


def brief(*, membership, brief) -> bool:
    from learning.models import BriefStatus

    return brief.status == BriefStatus.PUBLISHED or membership.role == Role.SECRETARIAT


def briefs(*, membership, prefix: str = "") -> Q:
    from learning.models import BriefStatus

    if membership.role == Role.SECRETARIAT:
        return Q()
    return Q(**{f"{prefix}status": BriefStatus.PUBLISHED})
