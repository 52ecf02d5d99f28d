"""Reads of progress, expenditure, reports and adaptive management.

Public functions other apps use:

- ``open_adaptations(plan)`` → queryset of the plan's adaptation items that are open or
  in progress, earliest timeline first; each has ``get_absolute_url()`` (the dashboard).
- ``report_data(report)`` → a dict with everything a quarterly progress report needs,
  built from plain values only (str, int, bool, Decimal, date, lists and dicts; no
  model instances) so a PDF renderer can use it as-is:

  ``report``     id, status, status_label, fiscal_year, quarter, url
  ``county``     the county's name
  ``plan``       id, title, label, fiscal_year, version, lead_agency, start_date, end_date
  ``period``     fiscal_year, quarter, label ("2024/25 Q1"), usaid ("FY2024 Q4"), start, end
  ``indicators`` one row per indicator for the quarter: name, objective, activity, level,
                 unit, responsible, target, actual, difference, percent, rag, rag_label,
                 result_status (only verified results count; others show as not verified)
  ``objectives`` statement, priority_area, indicators (rows as above), activities
                 (rows as below) — "progress against planned objectives"; activities
                 without an objective are in a last group with an empty statement
  ``activities`` title, objective, sector, lead, start_date, end_date, scheduled (its
                 dates overlap the quarter), reported,
                 percent_complete, previous_percent, progress_made, challenges, solutions
  ``challenges`` the activities' challenges with the solutions/actions taken
  ``expenditure`` lines (activity, contributor, component, budget_kes, spent_quarter_kes,
                 spent_to_date_kes, balance_kes, utilisation_percent, overrun),
                 activities (title, budget_kes, spent_to_date_kes, utilisation_percent),
                 plan (budget_kes, spent_quarter_kes, spent_to_date_kes, balance_kes,
                 utilisation_percent); "to date" = from Q1 to the report's quarter
  ``adaptations`` the quarter's adaptation items and earlier ones still open: trigger,
                 trigger_label, period, source, proposed_action, timeline, responsible,
                 expected_outcome, actual_outcome, status, status_label
  ``feedback``   stakeholder feedback received in the quarter
  ``lessons``    lessons of the plan (learning app) learned during the quarter: title,
                 text, source, learned_on (the session's, visit's or evaluation's date,
                 else the day it was recorded)
  ``narrative``  list of {key, label, text}: the secretariat's sections
  ``review``     submitted_at, reviewed_by, reviewed_on, comments, shared_at
  ``frozen``     True once the report went to the TWG: the compiled sections are the
                 snapshot taken then, not today's data
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, IntegerField, Sum, Value, When
from django.utils.translation import gettext as _

from counties.models import County
from jwp import visibility
from progress.models import (
    OPEN_STATUSES,
    ActivityProgress,
    AdaptationItem,
    AdaptationStatus,
    Expenditure,
    Feedback,
    ProgressReport,
)
from progress.periods import Quarter, plan_quarters
from workplans.models import ActivitySupporter, BudgetLine, JointActivity, Objective

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def utilisation(spent: Decimal, budget: Decimal) -> Decimal | None:
    """Spent as % of budget, to one decimal (half up); None when nothing was budgeted."""
    if not budget:
        return None
    return (spent * HUNDRED / budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- adaptive management ------------------------------------------------------------


def open_adaptations(plan):
    """The plan's open and in-progress adaptation items, earliest timeline first."""
    return (
        AdaptationItem.objects.for_county(plan.county_id)
        .filter(plan=plan, status__in=OPEN_STATUSES)
        .select_related("county", "activity", "responsible_organization", "responsible_user")
        .order_by("timeline", "pk")
    )


STATUS_ORDER = Case(
    *(When(status=s, then=Value(i)) for i, s in enumerate(AdaptationStatus.values)),
    output_field=IntegerField(),
)


def adaptation_list(*, county: County, plan, status: str = "", trigger: str = ""):
    """Open items first, then in progress, done and dropped; earliest timeline first."""
    qs = (
        AdaptationItem.objects.for_county(county)
        .filter(plan=plan)
        .select_related("county", "activity", "responsible_organization", "responsible_user")
        .order_by(STATUS_ORDER, "timeline", "pk")
    )
    if status:
        qs = qs.filter(status=status)
    if trigger:
        qs = qs.filter(trigger=trigger)
    return qs


def feedback_list(*, county: County, plan):
    return (
        Feedback.objects.for_county(county)
        .filter(plan=plan)
        .select_related("activity", "organization", "recorded_by")
    )


# --- activity progress and expenditure -----------------------------------------------


@dataclass
class LineRow:
    line: BudgetLine
    budget_kes: Decimal
    spent: dict[int, Decimal] = field(default_factory=dict)  # quarter → KES

    def spent_to(self, quarter: int = 4) -> Decimal:
        return sum((v for q, v in self.spent.items() if q <= quarter), ZERO)

    @property
    def spent_kes(self) -> Decimal:
        return self.spent_to(4)

    @property
    def balance_kes(self) -> Decimal:
        return self.budget_kes - self.spent_kes

    @property
    def utilisation(self) -> Decimal | None:
        return utilisation(self.spent_kes, self.budget_kes)

    @property
    def overrun(self) -> bool:
        return self.spent_kes > self.budget_kes

    @property
    def cells(self) -> list[Decimal | None]:
        return [self.spent.get(q) for q in (1, 2, 3, 4)]


@dataclass
class ActivityRow:
    activity: JointActivity
    progress: dict[int, ActivityProgress] = field(default_factory=dict)
    lines: list[LineRow] = field(default_factory=list)
    supporter_ids: set[int] = field(default_factory=set)

    @property
    def cells(self) -> list[ActivityProgress | None]:
        return [self.progress.get(q) for q in (1, 2, 3, 4)]

    def scheduled(self, quarter: Quarter) -> bool:
        """The activity's dates overlap the quarter: it should be moving then."""
        a = self.activity
        return a.start_date <= quarter.end and a.end_date >= quarter.start

    def quarter_cells(self, quarters) -> list[tuple[Quarter, ActivityProgress | None, bool]]:
        return [(q, self.progress.get(q.quarter), self.scheduled(q)) for q in quarters]

    @property
    def budget_kes(self) -> Decimal:
        return sum((r.budget_kes for r in self.lines), ZERO)

    @property
    def spent_kes(self) -> Decimal:
        return sum((r.spent_kes for r in self.lines), ZERO)

    @property
    def utilisation(self) -> Decimal | None:
        return utilisation(self.spent_kes, self.budget_kes)

    @property
    def overrun(self) -> bool:
        return any(r.overrun for r in self.lines)

    @property
    def latest_percent(self) -> int | None:
        return self.progress[max(self.progress)].percent_complete if self.progress else None


@dataclass
class Grid:
    quarters: list[Quarter]
    rows: list[ActivityRow]

    def __post_init__(self) -> None:
        for row in self.rows:
            row.quarter_rows = row.quarter_cells(self.quarters)
        self.quarter_spending = [(q, self.spent_in(q.quarter)) for q in self.quarters]

    @property
    def budget_kes(self) -> Decimal:
        return sum((r.budget_kes for r in self.rows), ZERO)

    @property
    def spent_kes(self) -> Decimal:
        return sum((r.spent_kes for r in self.rows), ZERO)

    @property
    def balance_kes(self) -> Decimal:
        return self.budget_kes - self.spent_kes

    @property
    def utilisation(self) -> Decimal | None:
        return utilisation(self.spent_kes, self.budget_kes)

    @property
    def overrun(self) -> bool:
        return self.spent_kes > self.budget_kes

    def spent_in(self, quarter: int) -> Decimal:
        return sum((line.spent.get(quarter, ZERO) for r in self.rows for line in r.lines), ZERO)

    @property
    def spent_by_quarter(self) -> list[Decimal]:
        return [self.spent_in(q) for q in (1, 2, 3, 4)]


def spending_by_line(*, county: County, plan) -> dict[tuple[int, int], Decimal]:
    """(budget line id, quarter) → KES spent, summed by the database."""
    rows = (
        Expenditure.objects.for_county(county)
        .filter(plan=plan, fiscal_year=plan.fiscal_year)
        .values("budget_line_id", "quarter")
        .annotate(total=Sum("amount_kes"))
        .order_by()
    )
    return {(r["budget_line_id"], r["quarter"]): r["total"] for r in rows}


def progress_grid(*, county: County, plan, membership=None, activities=None) -> Grid:
    """Per activity: its progress in each quarter, its budget lines with spending per
    quarter and utilisation. Five queries whatever the number of activities.

    Given the ``membership``, only the budget lines it may see
    (``jwp.visibility.contributions``: a partner sees only its own organization's
    before consolidation); without it, all of them (the compiled report, which only
    those who may see drafts read until it is shared)."""
    if activities is None:
        activities = (
            JointActivity.objects.for_county(county)
            .filter(plan=plan)
            .select_related("sector", "objective", "lead_organization")
        )
    rows = {a.pk: ActivityRow(a) for a in activities}
    ids = list(rows)
    for p in ActivityProgress.objects.for_county(county).filter(
        activity_id__in=ids, fiscal_year=plan.fiscal_year
    ):
        rows[p.activity_id].progress[p.quarter] = p
    for s in ActivitySupporter.objects.for_county(county).filter(activity_id__in=ids):
        rows[s.activity_id].supporter_ids.add(s.organization_id)
    spending = spending_by_line(county=county, plan=plan)
    lines = BudgetLine.objects.for_county(county).filter(activity_id__in=ids)
    if membership is not None:
        lines = lines.filter(visibility.contributions(membership=membership, plan=plan))
    for line in lines.select_related("contributor", "component"):
        row = LineRow(line, line.amount_kes)
        row.spent = {q: spending[(line.pk, q)] for q in (1, 2, 3, 4) if (line.pk, q) in spending}
        rows[line.activity_id].lines.append(row)
    return Grid(plan_quarters(plan), list(rows.values()))


# --- the quarterly report --------------------------------------------------------------


def reports_for(*, county: County, plan, membership):
    return (
        ProgressReport.objects.for_county(county)
        .filter(plan=plan)
        .filter(visibility.reports(membership=membership, plan=plan))
        .select_related("reviewed_by")
    )


def _org(org) -> str:
    return org.name if org is not None else ""


def _indicator_rows(county, plan, quarter: int) -> list[dict]:
    from monitoring.models import ResultStatus
    from monitoring.selectors import indicator_table

    rows = []
    for row in indicator_table(county=county, plan=plan):
        cell = row.cells[quarter - 1]
        i = row.indicator
        verified = cell.result is not None and cell.result.status == ResultStatus.VERIFIED
        v = cell.variance if verified else None
        rows.append(
            {
                "name": i.name,
                "objective_id": i.objective_id,
                "objective": str(i.objective) if i.objective_id else "",
                "activity": str(i.activity) if i.activity_id else "",
                "level": i.get_level_display(),
                "unit": i.unit,
                "responsible": _org(i.responsible_organization),
                "target": cell.target.value if cell.target is not None else None,
                "actual": cell.result.value if verified else None,
                "narrative": cell.result.narrative if verified else "",
                "difference": v.difference if v else None,
                "percent": v.percent if v else None,
                "rag": v.rag if v else "",
                "rag_label": v.rag_label if v else "",
                "result_status": (
                    cell.result.get_status_display() if cell.result is not None else ""
                ),
                "verified": verified,
            }
        )
    return rows


def _activity_row(row: ActivityRow, quarter: Quarter) -> dict:
    a, p = row.activity, row.progress.get(quarter.quarter)
    earlier = [
        row.progress[q].percent_complete for q in sorted(row.progress) if q < quarter.quarter
    ]
    return {
        "id": a.pk,
        "title": a.title,
        "objective_id": a.objective_id,
        "objective": str(a.objective) if a.objective_id else "",
        "sector": str(a.sector),
        "lead": _org(a.lead_organization),
        "start_date": a.start_date,
        "end_date": a.end_date,
        "scheduled": row.scheduled(quarter),
        "reported": p is not None,
        "percent_complete": p.percent_complete if p else None,
        "previous_percent": earlier[-1] if earlier else None,
        "progress_made": p.progress_made if p else "",
        "challenges": p.challenges if p else "",
        "solutions": p.solutions if p else "",
    }


def _expenditure(grid: Grid, quarter: int) -> dict:
    lines, activities = [], []
    budget = spent_q = spent_to = ZERO
    for row in grid.rows:
        act_budget = act_spent = ZERO
        for r in row.lines:
            to_date = r.spent_to(quarter)
            lines.append(
                {
                    "activity": row.activity.title,
                    "contributor": _org(r.line.contributor) or _("County government"),
                    "component": str(r.line.component),
                    "budget_kes": r.budget_kes,
                    "spent_quarter_kes": r.spent.get(quarter, ZERO),
                    "spent_to_date_kes": to_date,
                    "balance_kes": r.budget_kes - to_date,
                    "utilisation_percent": utilisation(to_date, r.budget_kes),
                    "overrun": to_date > r.budget_kes,
                }
            )
            act_budget += r.budget_kes
            act_spent += to_date
            spent_q += r.spent.get(quarter, ZERO)
        activities.append(
            {
                "title": row.activity.title,
                "budget_kes": act_budget,
                "spent_to_date_kes": act_spent,
                "utilisation_percent": utilisation(act_spent, act_budget),
            }
        )
        budget += act_budget
        spent_to += act_spent
    return {
        "lines": lines,
        "activities": activities,
        "plan": {
            "budget_kes": budget,
            "spent_quarter_kes": spent_q,
            "spent_to_date_kes": spent_to,
            "balance_kes": budget - spent_to,
            "utilisation_percent": utilisation(spent_to, budget),
        },
    }


def _adaptation_rows(county, plan, quarter: Quarter) -> list[dict]:
    items = (
        AdaptationItem.objects.for_county(county)
        .filter(plan=plan, fiscal_year=quarter.fiscal_year, quarter__lte=quarter.quarter)
        .select_related("responsible_organization", "responsible_user")
        .order_by("quarter", "trigger", "pk")
    )
    return [
        {
            "trigger": a.trigger,
            "trigger_label": a.get_trigger_display(),
            "period": a.period_label,
            "source": a.source_summary,
            "proposed_action": a.proposed_action,
            "timeline": a.timeline,
            "responsible": ", ".join(
                x for x in (_org(a.responsible_organization), str(a.responsible_user or "")) if x
            ),
            "expected_outcome": a.expected_outcome,
            "actual_outcome": a.actual_outcome,
            "status": a.status,
            "status_label": a.get_status_display(),
        }
        for a in items
        if a.quarter == quarter.quarter or a.is_open
    ]


def _feedback_rows(county, plan, quarter: Quarter) -> list[dict]:
    rows = feedback_list(county=county, plan=plan).filter(
        received_on__gte=quarter.start, received_on__lte=quarter.end
    )
    return [
        {
            "from_name": f.from_name,
            "organization": _org(f.organization),
            "activity": str(f.activity) if f.activity_id else "",
            "text": f.text,
            "received_on": f.received_on,
            "requires_action": f.requires_action,
        }
        for f in rows
    ]


def _lesson_rows(county, plan, quarter: Quarter) -> list[dict]:
    from django.utils import timezone

    from learning.models import Lesson

    rows = []
    for lesson in (
        Lesson.objects.for_county(county)
        .filter(plan=plan)
        .select_related("session", "visit", "evaluation")
        .order_by("created_at", "pk")
    ):
        source = lesson.source_object
        learned_on = (
            getattr(source, "held_on", None)
            or getattr(source, "visited_on", None)
            or getattr(source, "conducted_on", None)
            or timezone.localdate(lesson.created_at)
        )
        if quarter.start <= learned_on <= quarter.end:
            rows.append(
                {
                    "title": lesson.title,
                    "text": lesson.text,
                    "source": lesson.get_source_display(),
                    "learned_on": learned_on,
                }
            )
    return rows


def compile_report(report: ProgressReport) -> dict:
    """The compiled (data) sections of a report, read from today's data."""
    county, plan = report.county_id, report.plan
    quarter = Quarter(report.fiscal_year, report.quarter)
    grid = progress_grid(county=county, plan=plan)
    indicators = _indicator_rows(county, plan, report.quarter)
    activities = [_activity_row(r, quarter) for r in grid.rows]
    plan_objectives = list(Objective.objects.for_county(county).filter(plan=plan))
    objectives = [
        {
            "statement": o.statement,
            "priority_area": o.priority_area,
            "indicators": [i for i in indicators if i["objective_id"] == o.pk],
            "activities": [a for a in activities if a["objective_id"] == o.pk],
        }
        for o in plan_objectives
    ]
    linked = {o.pk for o in plan_objectives}
    loose = [a for a in activities if a["objective_id"] not in linked]
    if loose:
        objectives.append(
            {"statement": "", "priority_area": "", "indicators": [], "activities": loose}
        )
    return {
        "indicators": indicators,
        "objectives": objectives,
        "activities": activities,
        "challenges": [
            {"activity": a["title"], "challenges": a["challenges"], "solutions": a["solutions"]}
            for a in activities
            if a["challenges"].strip()
        ],
        "expenditure": _expenditure(grid, report.quarter),
        "adaptations": _adaptation_rows(county, plan, quarter),
        "feedback": _feedback_rows(county, plan, quarter),
        "lessons": _lesson_rows(county, plan, quarter),
    }


NARRATIVE = (
    ("summary", "summary"),
    ("progress", "progress_narrative"),
    ("challenges", "challenges_narrative"),
    ("lessons", "lessons_narrative"),
    ("corrective_actions", "corrective_actions_narrative"),
)


def report_data(report: ProgressReport) -> dict:
    """Everything a quarterly progress report needs; see the module docstring.

    Call inside the report's county context (views and tasks are)."""
    plan = report.plan
    quarter = Quarter(report.fiscal_year, report.quarter)
    compiled = report.snapshot if report.snapshot is not None else compile_report(report)
    return {
        **compiled,
        "report": {
            "id": report.pk,
            "status": report.status,
            "status_label": report.get_status_display(),
            "fiscal_year": report.fiscal_year,
            "quarter": report.quarter,
            "url": report.get_absolute_url(),
        },
        "county": report.county.name,
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "label": str(plan),
            "fiscal_year": plan.fiscal_year,
            "version": plan.version,
            "lead_agency": _org(plan.lead_agency),
            "start_date": plan.start_date,
            "end_date": plan.end_date,
        },
        "period": quarter.as_dict(),
        "narrative": [
            {
                "key": key,
                "label": str(ProgressReport._meta.get_field(name).verbose_name).capitalize(),
                "text": getattr(report, name),
            }
            for key, name in NARRATIVE
        ],
        "review": {
            "submitted_at": report.submitted_at,
            "reviewed_by": str(report.reviewed_by or ""),
            "reviewed_on": report.reviewed_on,
            "comments": report.review_comments,
            "shared_at": report.shared_at,
        },
        "frozen": report.snapshot is not None,
    }
