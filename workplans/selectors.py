"""Reads of the joint work plans; every function takes the county."""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Round
from django.utils.translation import gettext as _

from counties.models import County
from jwp import visibility
from workplans.models import (  # plans
    Annex,
    BudgetComponent,
    BudgetLine,
    CidpProgramme,
    Commitment,
    CommitmentStatus,
    Currency,
    JointActivity,
    JointWorkPlan,
    Objective,
    OverlapFlag,
    OverlapResolution,
    PlanDecision,
    PlanPartner,
    PlanStatus,
    ReviewMilestone,
    Risk,
    Signature,
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


# --- plans ------------------------------------------------------------------


def county_workplans(*, county: County, fiscal_year: str = "", status: str = ""):
    """The county's plans, newest first, each with its number of activities."""
    qs = (
        JointWorkPlan.objects.for_county(county)
        .select_related("lead_agency")
        .annotate(activity_count=Count("activities"))
        .order_by("-fiscal_year", "-version")
    )
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if status:
        qs = qs.filter(status=status)
    return qs


def workplan_fiscal_years(*, county: County) -> list[str]:
    return list(
        JointWorkPlan.objects.for_county(county)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )


def plan_partners(*, plan: JointWorkPlan) -> list:
    """The plan's partner organizations, by name."""
    return [
        link.organization
        for link in PlanPartner.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .select_related("organization")
        .order_by("organization__name")
    ]


def plan_objectives(*, plan: JointWorkPlan):
    return (
        Objective.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .select_related("programme__sector")
    )


def plan_activities(*, plan: JointWorkPlan, sector=None, ids=None):
    """Activities with everything a row shows: two queries for the wards and supporters
    whatever the number of rows."""
    qs = (
        JointActivity.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .select_related("sector", "objective", "lead_organization")
        .prefetch_related("wards", "supporting_organizations")
    )
    if sector is not None:
        qs = qs.filter(sector=sector)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs


def sector_activity_counts(*, plan: JointWorkPlan) -> dict[int, int]:
    return dict(
        JointActivity.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .values_list("sector")
        .annotate(n=Count("id"))
        .values_list("sector", "n")
    )


def plan_risks(*, plan: JointWorkPlan):
    return Risk.objects.for_county(plan.county_id).filter(plan=plan)


def plan_milestones(*, plan: JointWorkPlan):
    return ReviewMilestone.objects.for_county(plan.county_id).filter(plan=plan)


def plan_annexes(*, plan: JointWorkPlan):
    return Annex.objects.for_county(plan.county_id).filter(plan=plan).select_related("uploaded_by")


def plan_signatures(*, plan: JointWorkPlan):
    return (
        Signature.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .select_related("organization", "signed_by", "office__organization", "office__sector")
    )


def plan_decisions(*, plan: JointWorkPlan):
    """The approval history: who decided, in which office, on what basis, when."""
    return (
        PlanDecision.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .select_related("by", "meeting", "office")
        .order_by("created_at", "id")
    )


def plan_versions(*, plan: JointWorkPlan):
    return (
        JointWorkPlan.objects.for_county(plan.county_id)
        .filter(fiscal_year=plan.fiscal_year)
        .order_by("version")
    )


def cidp_programmes(*, county: County):
    return CidpProgramme.objects.for_county(county).select_related("sector")


def plan_audit(*, plan: JointWorkPlan):
    """The plan's events and its sections' (services put the plan's id in
    ``data["workplan"]``)."""
    from jwp import audit
    from workplans import models as m

    return audit.trail(
        obj=plan,
        key="workplan",
        children=(
            m.JointWorkPlan,
            m.PlanPartner,
            m.Objective,
            m.JointActivity,
            m.BudgetLine,
            m.Commitment,
            m.Disbursement,
            m.OverlapFlag,
            m.Risk,
            m.ReviewMilestone,
            m.Annex,
            m.Signature,
        ),
    )


_SECTION_1 = (
    "title",
    "scope_level",
    "scope_codes",
    "lead_agency",
    "start_date",
    "end_date",
    "reporting_frequency",
)
_ACTIVITY = (
    "title",
    "description",
    "sector",
    "objective",
    "lead_organization",
    "start_date",
    "end_date",
    "expected_output",
    "status",
)


def _shown(obj, name: str) -> str:
    value = getattr(obj, name)
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)


def _activity_values(activity) -> dict[str, str]:
    values = {name: _shown(activity, name) for name in _ACTIVITY}
    values["wards"] = ", ".join(sorted(w.name for w in activity.wards.all()))
    values["supporting_organizations"] = ", ".join(
        sorted(o.name for o in activity.supporting_organizations.all())
    )
    return values


def _field_changes(before: dict, after: dict, labels: dict) -> list[tuple[str, str, str]]:
    return [(labels[k], before[k], after[k]) for k in before if before[k] != after[k]]


def plan_differences(*, county: County, old: JointWorkPlan, new: JointWorkPlan) -> dict:
    """What an amendment changed: section 1 fields, and activities added, removed or
    changed. Activities are matched through the amendment's record of which copy came
    from which; a changed title is then a change, not a removal and an addition."""
    from jwp.models import AuditEvent

    labels = {name: str(JointWorkPlan._meta.get_field(name).verbose_name) for name in _SECTION_1}
    plan_changes = _field_changes(
        {n: _shown(old, n) for n in _SECTION_1}, {n: _shown(new, n) for n in _SECTION_1}, labels
    )
    before_partners = {o.name for o in plan_partners(plan=old)}
    after_partners = {o.name for o in plan_partners(plan=new)}
    if before_partners != after_partners:
        plan_changes.append(
            (
                str(JointWorkPlan._meta.get_field("partners").verbose_name),
                ", ".join(sorted(before_partners)),
                ", ".join(sorted(after_partners)),
            )
        )
    event = (
        AuditEvent.objects.for_county(county)
        .filter(verb="workplan.amend", target_id=str(new.pk), data__amends=old.pk)
        .first()
    )
    copied = {int(k): v for k, v in (event.data["activity_map"] if event else {}).items()}
    olds = {a.pk: a for a in plan_activities(plan=old)}
    news = {a.pk: a for a in plan_activities(plan=new)}
    activity_labels = {
        name: str(JointActivity._meta.get_field(name).verbose_name)
        for name in (*_ACTIVITY, "wards", "supporting_organizations")
    }
    changed, removed = [], []
    matched = set()
    for old_id, activity in olds.items():
        copy_id = copied.get(old_id)
        if copy_id not in news:
            removed.append(activity)
            continue
        matched.add(copy_id)
        changes = _field_changes(
            _activity_values(activity), _activity_values(news[copy_id]), activity_labels
        )
        if changes:
            changed.append((news[copy_id], changes))
    added = [a for pk, a in news.items() if pk not in matched]
    return {"plan": plan_changes, "added": added, "removed": removed, "changed": changed}


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
    return visibility.contributions_shared(plan)


# The one rule for which budget lines and commitments a member may see lives in
# jwp.visibility; pages, totals, exports and the API filter with this Q.
visible_contributions = visibility.contributions


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


def promises_vs_money(*, reconciliation, commitments, today: date) -> tuple[list, object, list]:
    """The "promises vs money" view: per contributor — the county government like any
    partner — committed, confirmed and disbursed/released, from the reconciliation's
    SQL sums (``workplans.reconciliation``), each row with ``overdue``: its open
    commitments of activities that have started with nothing disbursed yet (listed,
    from the ``plan_commitments`` rows the page shows anyway)."""
    overdue = [
        c
        for c in commitments
        if c.status in (CommitmentStatus.PLEDGED, CommitmentStatus.CONFIRMED)
        and c.activity.start_date <= today
        and not c.disbursed_kes
    ]
    counts: dict[int | None, int] = defaultdict(int)
    for c in overdue:
        counts[c.contributor_id] += 1
    rows = reconciliation.by_contributor
    for r in rows:
        r.overdue = counts[r.key]
    reconciliation.total.overdue = len(overdue)
    return rows, reconciliation.total, overdue
