"""Progress reports waiting for a member (notifications.waiting), and who acts next.

- In TWG review: the TWG reviews it — the platform users on the plan's TWG of that
  cycle; when the TWG has none, the secretariat records the review on its behalf
  (``progress.services.rules.can_review``).
- Returned by the TWG: its author (who submitted it) revises and resubmits; any
  secretariat member when the author is no longer one.
- Reviewed: its author shares it with all stakeholders (the same fallback).

The services notify exactly these people (``progress.services.reports``), and this
provider lists exactly what the notified member may then do.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from counties.models import Membership, StructureKind, StructureMember
from jwp.roles import Role
from notifications.waiting import WaitingItem, waiting_provider
from progress.models import ProgressReport, ReportStatus


def twg_reviewers(county, cycles: Iterable[str]) -> dict[str, set[int]]:
    """User ids who review a report of each cycle: the TWG's platform users who are
    members of the county, or (a TWG without any) the secretariat. Two queries."""
    cycles = set(cycles)
    members = (
        StructureMember.objects.for_county(county)
        .filter(
            structure__kind=StructureKind.TWG,
            structure__cycle__in=cycles,
            user_id__in=Membership.objects.for_county(county).values("user_id"),
        )
        .values_list("structure__cycle", "user_id")
    )
    reviewers: dict[str, set[int]] = {cycle: set() for cycle in cycles}
    for cycle, user_id in members:
        reviewers[cycle].add(user_id)
    without_twg = [cycle for cycle, ids in reviewers.items() if not ids]
    if without_twg:
        secretariat = set(_secretariat(county).values_list("user_id", flat=True))
        for cycle in without_twg:
            reviewers[cycle] = secretariat
    return reviewers


def _secretariat(county):
    return Membership.objects.for_county(county).filter(role=Role.SECRETARIAT)


def author_ids(report: ProgressReport) -> list[int]:
    """Who revises or shares the report: its author, or the secretariat if they left it."""
    secretariat = list(_secretariat(report.county_id).values_list("user_id", flat=True))
    if report.submitted_by_id in secretariat:
        return [report.submitted_by_id]
    return secretariat


def _authored_by(membership) -> Q:
    """Reports that wait for this secretariat member as their author."""
    return Q(submitted_by_id=membership.user_id) | ~Q(
        submitted_by_id__in=_secretariat(membership.county_id).values("user_id")
    )


@waiting_provider
def progress_reports(membership, today: date) -> Iterable[WaitingItem]:
    county = membership.county_id
    reports = ProgressReport.objects.for_county(county).select_related("county")
    in_review = list(reports.filter(status=ReportStatus.IN_REVIEW))
    if in_review:
        reviewers = twg_reviewers(county, {r.fiscal_year for r in in_review})
        for report in in_review:
            if membership.user_id in reviewers[report.fiscal_year]:
                yield WaitingItem(
                    key=f"progressreport:{report.pk}:review",
                    title=str(report),
                    why=review_why(report),
                    url=report.get_absolute_url(),
                    since=report.submitted_at,
                    area=_("Progress reports"),
                )
    if membership.role != Role.SECRETARIAT:
        return
    mine = reports.filter(_authored_by(membership)).filter(
        Q(status=ReportStatus.DRAFT, reviewed_by__isnull=False) | Q(status=ReportStatus.REVIEWED)
    )
    for report in mine:
        returned = report.status == ReportStatus.DRAFT
        yield WaitingItem(
            key=f"progressreport:{report.pk}:{'revise' if returned else 'share'}",
            title=str(report),
            why=returned_why(report) if returned else reviewed_why(report),
            url=report.get_absolute_url(),
            since=report.reviewed_on,
            area=_("Progress reports"),
        )


def review_why(report: ProgressReport) -> str:
    return _(
        "The secretariat sent it for the TWG's review; record the review: accept it "
        "or return it with comments."
    )


def returned_why(report: ProgressReport) -> str:
    return _("The TWG returned it: “%(comments)s” Revise it and send it again.") % {
        "comments": report.review_comments.strip()
    }


def reviewed_why(report: ProgressReport) -> str:
    return _("The TWG reviewed it; share it with all stakeholders.")
