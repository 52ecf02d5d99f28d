"""Reads of the joint work plans; every function takes the county."""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Round
from django.utils.translation import gettext as _

from counties.models import County
from jwp.roles import Role
from workplans.models import (
    BudgetComponent,
    BudgetLine,
    Commitment,
    CommitmentStatus,
    Currency,
    OverlapFlag,
    OverlapResolution,
    PlanStatus,
)

ZERO = Decimal("0.00")


# --- overlaps ---------------------------------------------------------------


def overlap_flags(
    *,
    county: County,
    plan,
    state: str = "",
    reason: str = "",
    sector=None,
):
    """The plan's flags with both activities, their sectors and lead organizations
    (one query). ``state`` is "open" or "resolved"; ``sector`` matches either activity."""
    qs = (
        OverlapFlag.objects.for_county(county)
        .filter(plan=plan)
        .select_related(
            "activity_a__sector",
            "activity_a__lead_organization",
            "activity_b__sector",
            "activity_b__lead_organization",
            "resolved_by",
        )
        .order_by("-resolution", "activity_a__sector__order", "activity_a_id", "id")
    )
    if state == "open":
        qs = qs.filter(resolution=OverlapResolution.OPEN)
    elif state == "resolved":
        qs = qs.exclude(resolution=OverlapResolution.OPEN)
    if reason:
        qs = qs.filter(reason=reason)
    if sector is not None:
        qs = qs.filter(Q(activity_a__sector=sector) | Q(activity_b__sector=sector))
    return qs


def overlaps_for_activities(*, county: County, activity_ids) -> dict[int, list[OverlapFlag]]:
    """Each activity's flags (one query), each copy knowing ``other``: the activity
    on the far side of the pair, with its lead organization."""
    ids = list(activity_ids)
    found: dict[int, list[OverlapFlag]] = defaultdict(list)
    if not ids:
        return found
    flags = (
        OverlapFlag.objects.for_county(county)
        .filter(Q(activity_a_id__in=ids) | Q(activity_b_id__in=ids))
        .select_related("activity_a__lead_organization", "activity_b__lead_organization")
    )
    wanted = set(ids)
    for flag in flags.order_by("-resolution", "id"):
        for mine, other in (
            (flag.activity_a_id, flag.activity_b),
            (flag.activity_b_id, flag.activity_a),
        ):
            if mine in wanted:
                side = copy.copy(flag)
                side.other = other
                found[mine].append(side)
    return found


# --- budget -----------------------------------------------------------------

# Once the secretariat has consolidated the plan, every member sees every
# contribution (read-only but for their own); before, partners see only theirs.
SHARED_PLAN_STATUSES = (
    PlanStatus.CONSOLIDATED,
    PlanStatus.TWG_REVIEWED,
    PlanStatus.CEC_APPROVED,
    PlanStatus.SIGNED,
)


def contributions_shared(plan) -> bool:
    return plan.status in SHARED_PLAN_STATUSES


def visible_contributions(*, membership, plan, prefix: str = "") -> Q:
    """The one rule for which budget lines and commitments a member may see.

    While the plan is in draft or co-creation a partner member sees only its own
    organization's contributions; after consolidation, and for every other role,
    all of them. Pages, totals and the API filter with this Q (``prefix`` reaches
    the contributor through a relation, e.g. ``"commitment__"``).
    """
    if membership.role != Role.PARTNER or contributions_shared(plan):
        return Q()
    return Q(**{f"{prefix}contributor_id": membership.organization_id})


def kes_amount(prefix: str = "") -> Case:
    """An amount in KES computed by the database: USD × the rate used, to the cent
    (ROUND is half away from zero on both PostgreSQL and SQLite, as Money.amount_kes)."""
    return Case(
        When(**{f"{prefix}currency": Currency.KES}, then=F(f"{prefix}amount")),
        default=Round(F(f"{prefix}amount") * F(f"{prefix}exchange_rate"), 2),
        output_field=DecimalField(max_digits=24, decimal_places=2),
    )


def _kes_sum(prefix: str = "", **filters) -> Coalesce:
    condition = Q(**filters) if filters else None
    return Coalesce(
        Sum(kes_amount(prefix), filter=condition),
        Value(ZERO),
        output_field=DecimalField(max_digits=24, decimal_places=2),
    )


def plan_budget_lines(*, county: County, plan, membership, activity=None):
    """The budget lines the member may see, with what a table shows (one query)."""
    qs = (
        BudgetLine.objects.for_county(county)
        .filter(activity__plan=plan)
        .filter(visible_contributions(membership=membership, plan=plan))
        .select_related("activity__sector", "contributor", "component")
        .annotate(kes=kes_amount())
        .order_by("activity__sector__order", "activity__start_date", "activity_id", "id")
    )
    if activity is not None:
        qs = qs.filter(activity=activity)
    return qs


@dataclass
class BudgetRow:
    """One row of a breakdown: county government / partners / total, in KES."""

    key: object
    label: str
    county: Decimal = ZERO
    partners: Decimal = ZERO
    description: str = ""
    comments: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.county + self.partners


@dataclass
class BudgetSummary:
    by_component: list[BudgetRow]
    by_sector: list[BudgetRow]
    by_activity: list[BudgetRow]
    by_contributor: list[BudgetRow]
    county: Decimal
    partners: Decimal
    shared: bool

    @property
    def total(self) -> Decimal:
        return self.county + self.partners


def _split(qs, key: str, label: str) -> list[BudgetRow]:
    rows = qs.values(key, label).annotate(
        county=_kes_sum(contributor__isnull=True), partners=_kes_sum(contributor__isnull=False)
    )
    return [
        BudgetRow(key=r[key], label=r[label], county=r["county"], partners=r["partners"])
        for r in rows.order_by(label)
    ]


def budget_summary(*, county: County, plan, membership) -> BudgetSummary:
    """The Budget template's totals in KES, summed by the database (5 queries:
    components, component totals, comments, sector, activity and contributor totals
    share the visible-lines filter)."""
    lines = BudgetLine.objects.for_county(county).filter(
        Q(activity__plan=plan) & visible_contributions(membership=membership, plan=plan)
    )
    totals = {
        r["component_id"]: r
        for r in lines.values("component_id").annotate(
            county=_kes_sum(contributor__isnull=True),
            partners=_kes_sum(contributor__isnull=False),
        )
    }
    comments = defaultdict(list)
    for component_id, comment in (
        lines.exclude(comment="").order_by("id").values_list("component_id", "comment")
    ):
        if comment not in comments[component_id]:
            comments[component_id].append(comment)
    by_component = []
    for component in BudgetComponent.objects.for_county(county).order_by("order", "name"):
        t = totals.get(component.pk)
        if t is None and not component.is_active:
            continue
        by_component.append(
            BudgetRow(
                key=component.pk,
                label=component.name,
                description=component.description,
                county=t["county"] if t else ZERO,
                partners=t["partners"] if t else ZERO,
                comments=comments.get(component.pk, []),
            )
        )
    by_contributor = [
        BudgetRow(
            key=r["contributor_id"],
            label=r["contributor__name"] or str(_("County government")),
            county=r["kes"] if r["contributor_id"] is None else ZERO,
            partners=r["kes"] if r["contributor_id"] is not None else ZERO,
        )
        for r in lines.values("contributor_id", "contributor__name")
        .annotate(kes=_kes_sum())
        .order_by(F("contributor__name").asc(nulls_first=True))
    ]
    return BudgetSummary(
        by_component=by_component,
        by_sector=_split(lines, "activity__sector_id", "activity__sector__name"),
        by_activity=_split(lines, "activity_id", "activity__title"),
        by_contributor=by_contributor,
        county=sum((r.county for r in by_component), ZERO),
        partners=sum((r.partners for r in by_component), ZERO),
        shared=contributions_shared(plan),
    )


def plan_commitments(*, county: County, plan, membership, status: str = ""):
    """The commitments the member may see, each with ``kes`` and ``disbursed_kes``
    (one query)."""
    qs = (
        Commitment.objects.for_county(county)
        .filter(activity__plan=plan)
        .filter(visible_contributions(membership=membership, plan=plan))
        .select_related("activity__sector", "contributor")
        .annotate(kes=kes_amount(), disbursed_kes=_kes_sum("disbursements__"))
        .order_by(F("contributor__name").asc(nulls_first=True), "activity__start_date", "id")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


@dataclass
class PromiseRow:
    """Per contributor: what was promised and what became money, in KES."""

    contributor_id: int | None
    label: str
    committed: Decimal = ZERO
    confirmed: Decimal = ZERO
    disbursed: Decimal = ZERO
    overdue: int = 0

    @property
    def only_promised(self) -> Decimal:
        return max(self.committed - self.disbursed, ZERO)


def promises_vs_money(*, commitments, today: date) -> tuple[list[PromiseRow], PromiseRow, list]:
    """Fold ``plan_commitments`` rows (no further query) into per-contributor totals,
    the plan's total row, and the overdue promises: open commitments of activities
    that have started with nothing disbursed yet."""
    rows: dict[int | None, PromiseRow] = {}
    total = PromiseRow(contributor_id=None, label=str(_("Total")))
    overdue = []
    for c in commitments:
        row = rows.setdefault(
            c.contributor_id,
            PromiseRow(
                contributor_id=c.contributor_id,
                label=c.contributor.name if c.contributor else str(_("County government")),
            ),
        )
        for target in (row, total):
            target.disbursed += c.disbursed_kes
            if c.status != CommitmentStatus.WITHDRAWN:
                target.committed += c.kes
            if c.status in (CommitmentStatus.CONFIRMED, CommitmentStatus.DISBURSED):
                target.confirmed += c.kes
        is_open = c.status in (CommitmentStatus.PLEDGED, CommitmentStatus.CONFIRMED)
        if is_open and c.activity.start_date <= today and not c.disbursed_kes:
            row.overdue += 1
            total.overdue += 1
            overdue.append(c)
    ordered = sorted(rows.values(), key=lambda r: (r.contributor_id is not None, r.label))
    return ordered, total, overdue
