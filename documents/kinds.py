"""What each kind of document is about, and who may see and request it.

One rule per kind, reused by every page, the download and the list: a document is
shown to exactly those who may see what it prints (``jwp.visibility``), whoever
asked for it. The quarterly report prints the quarter's progress report: while that
is a draft or in review only those who may see drafts may request or open it. For the two work-plan
documents that is the budget's rule: before the secretariat consolidates the
plan a partner sees only its own organization's contributions, so it may not see a
document that prints everyone's (``workplans.selectors.visible_contributions``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from counties.models import Membership, Nomination
from documents.models import DocumentKind
from jwp import visibility
from jwp.roles import Role
from sectorplans.models import SectorPlan
from workplans import selectors as workplan_selectors
from workplans.models import JointWorkPlan, PlanStatus


@dataclass(frozen=True)
class Kind:
    key: str
    model: type
    related: tuple[str, ...]
    title: Callable[[object, dict], str]
    requesters: frozenset[str]
    # Q over JointWorkPlan-like targets hiding documents from this member, or None.
    restricted: bool = False

    @property
    def label(self) -> str:
        return str(DocumentKind(self.key).label)


EVERY_ROLE_BUT_OBSERVERS = frozenset(Role.values) - {Role.OBSERVER}


def _plan_title(plan, _params) -> str:
    if plan.status == PlanStatus.SIGNED:
        return _("%(plan)s — signed joint work plan") % {"plan": plan}
    return _("%(plan)s — joint work plan (not signed)") % {"plan": plan}


def _budget_title(plan, _params) -> str:
    return _("%(plan)s — cost-share budget") % {"plan": plan}


def _report_title(plan, params) -> str:
    return _("%(plan)s — progress report %(fy)s Q%(q)s") % {
        "plan": plan,
        "fy": params.get("fiscal_year", plan.fiscal_year),
        "q": params.get("quarter", ""),
    }


def _sector_plan_title(plan, _params) -> str:
    return _("%(plan)s (%(period)s) — approval record") % {
        "plan": plan.title,
        "period": plan.period_label,
    }


def _nomination_title(nomination, _params) -> str:
    return _("Nomination letter: %(org)s to %(structure)s") % {
        "org": nomination.organization.name,
        "structure": nomination.structure,
    }


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind(
            DocumentKind.WORKPLAN,
            JointWorkPlan,
            ("lead_agency", "county"),
            _plan_title,
            EVERY_ROLE_BUT_OBSERVERS,
            restricted=True,
        ),
        Kind(
            DocumentKind.BUDGET,
            JointWorkPlan,
            ("lead_agency", "county"),
            _budget_title,
            EVERY_ROLE_BUT_OBSERVERS,
            restricted=True,
        ),
        Kind(
            DocumentKind.REPORT,
            JointWorkPlan,
            ("lead_agency", "county"),
            _report_title,
            EVERY_ROLE_BUT_OBSERVERS,
        ),
        Kind(
            DocumentKind.SECTOR_PLAN,
            SectorPlan,
            ("sector", "county"),
            _sector_plan_title,
            EVERY_ROLE_BUT_OBSERVERS,
        ),
        Kind(
            DocumentKind.NOMINATION,
            Nomination,
            ("organization", "structure", "county"),
            _nomination_title,
            frozenset({Role.SECRETARIAT}),
        ),
    )
}


def kind_or_404(key: str) -> Kind:
    kind = KINDS.get(key)
    if kind is None:
        raise Http404
    return kind


def target_or_404(kind: Kind, county, target_id: int):
    obj = (
        kind.model.objects.for_county(county)
        .select_related(*kind.related)
        .filter(pk=target_id)
        .first()
    )
    if obj is None:
        raise Http404
    return obj


def may_see(kind: Kind, membership: Membership, target, params=None, as_of=None) -> bool:
    """May the member see a document of this kind about ``target``: what it prints
    is what the member may see on the pages (``jwp.visibility``). ``params`` name the
    document (a report's quarter; None: the object's documents in general, whose
    list is filtered with ``hidden_from``); ``as_of`` is when it was made."""
    if kind.restricted:
        return visibility.sees_all_contributions(membership=membership, plan=target)
    if kind.key == DocumentKind.REPORT and params and params.get("quarter"):
        return visibility.report_quarter(
            membership=membership,
            plan=target,
            fiscal_year=params.get("fiscal_year", target.fiscal_year),
            quarter=params["quarter"],
            as_of=as_of,
        )
    return True


def may_see_job(membership: Membership, job, target) -> bool:
    """A generated PDF, whoever asked for it: the viewer must be allowed to see what
    it printed when it was made."""
    if target is None:
        return False
    return may_see(KINDS[job.kind], membership, target, job.params, as_of=job.requested_at)


def may_request(kind: Kind, membership: Membership, target, params=None) -> bool:
    return membership.role in kind.requesters and may_see(kind, membership, target, params)


def requestable_quarters(membership: Membership, plan) -> list[int]:
    """The quarters whose report PDF the member may request (one query at most)."""
    from progress.models import ProgressReport, ReportStatus

    if membership.role not in KINDS[DocumentKind.REPORT].requesters:
        return []
    if visibility.report_drafts(membership=membership, plan=plan):
        return [1, 2, 3, 4]
    unshared = set(
        ProgressReport.objects.for_county(plan.county_id)
        .filter(plan=plan, fiscal_year=plan.fiscal_year)
        .exclude(status=ReportStatus.SHARED)
        .values_list("quarter", flat=True)
    )
    return [q for q in (1, 2, 3, 4) if q not in unshared]


def _hidden_reports(membership: Membership) -> Q:
    """Quarterly report PDFs that print a progress report the member may not see: one
    not yet shared, or one made before it was shared (it printed the draft)."""
    from progress.models import ProgressReport, ReportStatus

    hidden = Q(pk__in=[])
    if visibility.report_drafts_of_every_plan(membership=membership):
        return hidden
    reports = ProgressReport.objects.for_county(membership.county_id).select_related("plan")
    for report in reports:
        if visibility.report_drafts(membership=membership, plan=report.plan):
            continue
        same = Q(
            kind=DocumentKind.REPORT,
            target_id=report.plan_id,
            params__fiscal_year=report.fiscal_year,
            params__quarter=report.quarter,
        )
        if report.status == ReportStatus.SHARED and report.shared_at is not None:
            same &= Q(requested_at__lt=report.shared_at)
        hidden |= same
    return hidden


def hidden_from(membership: Membership) -> Q:
    """Jobs a member may not see, as a Q over DocumentJob (for lists): the same rules as
    ``may_see_job`` — a partner's view of work-plan documents of plans not yet
    consolidated; report PDFs printing a progress report the member may not see."""
    hidden = _hidden_reports(membership)
    if membership.role != Role.PARTNER:
        return hidden
    restricted = [k.key for k in KINDS.values() if k.restricted]
    shared = JointWorkPlan.objects.filter(
        county_id=membership.county_id,
        pk=OuterRef("target_id"),
        status__in=workplan_selectors.SHARED_PLAN_STATUSES,
    )
    return hidden | (Q(kind__in=restricted) & ~Exists(shared))


def object_url(kind: Kind, county, target) -> str:
    """The page of the object a document is about."""
    from django.urls import reverse

    if kind.key == DocumentKind.NOMINATION:
        return reverse("counties:structure", args=[county.slug, target.structure_id])
    name = {
        DocumentKind.WORKPLAN: "workplans:plan",
        DocumentKind.BUDGET: "workplans:budget",
        DocumentKind.REPORT: "monitoring:plan",
        DocumentKind.SECTOR_PLAN: "sectorplans:plan",
    }[kind.key]
    return reverse(name, args=[county.slug, target.pk])
