"""Adaptive management (M&E template §5 "Adaptive management plan", manual §7.4).

``detect_triggers(plan=, fiscal_year=, quarter=)`` looks at one quarter of a plan and
raises one adaptation item per cause. It is idempotent: an item exists at most once per
(plan, trigger, source_key, fiscal year, quarter) — a database UniqueConstraint, and the
service skips causes already raised — so running it daily, or pressing "Check now"
twice, creates nothing new. An item the secretariat dropped stays dropped.

The triggers, for the quarter Q of the plan's fiscal year:

* **Indicator target missed** (``result:<id>``): a *verified* result of Q whose
  red/amber/green against Q's target is red (the county's thresholds; qualitative
  indicators have no RAG and never trigger).
* **Budget overrun** (``line:<id>``): spending was recorded on a budget line in Q and the
  line's spending from Q1 to Q exceeds its budget (in KES). A later quarter with more
  spending on the overrun line raises a new item for that quarter.
* **Budget overrun** also (``released:<activity>:<contributor>`` and
  ``withdrawn:<activity>:<contributor>``, contributor 0 for the county): spending was
  recorded in Q on a contributor's lines of an activity and, from Q1 to Q, that
  spending runs beyond what the contributor disbursed or released for the activity by
  Q's last day, or all its commitments to the activity were withdrawn — the money
  reconciliation's spending flags (``workplans.reconciliation``).
* **Stakeholder feedback** (``feedback:<id>``): feedback on the plan marked "requires
  action", received during Q.
* **Activity stalled** (``activity:<id>``): only once Q has ended (as of ``today``), for
  an activity that is not completed or cancelled and whose dates overlap Q (start on or
  before Q's last day, end on or after its first day — it should have been moving):
  no progress was recorded for Q, or the completion percentage of Q is below 100 and
  not above the activity's latest earlier percentage in the year (0 when none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership
from progress.models import (
    OPEN_STATUSES,
    ActivityProgress,
    AdaptationItem,
    AdaptationStatus,
    Expenditure,
    Feedback,
    Trigger,
)
from progress.periods import Quarter
from progress.services.rules import can_update_adaptation, clean_quarter, guarded_update, record
from workplans.models import ActivityStatus, BudgetLine, JointActivity, PlanStatus
from workplans.reconciliation import FlagKind, reconcile

# The template's rows: proposed action, timeline (days from detection), expected outcome.
# "Immediate", "As needed", "Quarterly" become dates the responsible party can change.
DEFAULTS = {
    Trigger.INDICATOR_MISSED: ("Review and revise strategy", 14, "Improved results"),
    Trigger.BUDGET_OVERRUN: ("Reassess and reallocate funds", 30, "Balanced budget"),
    Trigger.FEEDBACK: ("Adjust engagement approach", 90, "Higher satisfaction"),
    Trigger.ACTIVITY_STALLED: (
        "Adjust timelines, reprioritize",
        30,
        "Activity back on schedule",
    ),
}


@dataclass
class Cause:
    trigger: str
    source_key: str
    summary: str
    links: dict = field(default_factory=dict)
    responsible_organization_id: int | None = None


def _number(value) -> str:
    """16500.00 → "16,500"; 14.60 → "14.6" (no float on the way)."""
    return f"{value.normalize():,f}"


def _indicator_causes(plan, q: Quarter) -> list[Cause]:
    from monitoring.models import IndicatorTarget, Measure, Result, ResultStatus
    from monitoring.services import Rag, thresholds_for, variance

    results = list(
        Result.objects.for_county(plan.county_id)
        .filter(
            indicator__plan=plan,
            fiscal_year=q.fiscal_year,
            quarter=q.quarter,
            status=ResultStatus.VERIFIED,
            value__isnull=False,
        )
        .exclude(indicator__measure=Measure.QUALITATIVE)
        .select_related("indicator")
    )
    targets = {
        t.indicator_id: t.value
        for t in IndicatorTarget.objects.for_county(plan.county_id).filter(
            indicator_id__in=[r.indicator_id for r in results],
            fiscal_year=q.fiscal_year,
            quarter=q.quarter,
        )
    }
    thresholds = thresholds_for(plan.county) if results else None
    causes = []
    for r in results:
        if r.indicator_id not in targets:
            continue
        v = variance(
            target=targets[r.indicator_id],
            actual=r.value,
            direction=r.indicator.direction,
            thresholds=thresholds,
        )
        if v.rag != Rag.RED:
            continue
        summary = _("“%(name)s”: %(actual)s against a target of %(target)s") % {
            "name": r.indicator.name,
            "actual": _number(r.value),
            "target": _number(v.target),
        }
        if v.percent is not None:
            summary += f" ({v.percent} %)"
        causes.append(
            Cause(
                Trigger.INDICATOR_MISSED,
                f"result:{r.pk}",
                summary,
                {"result": r, "activity_id": r.indicator.activity_id},
                r.indicator.responsible_organization_id,
            )
        )
    return causes


def _overrun_causes(plan, q: Quarter) -> list[Cause]:
    spent_now = (
        Expenditure.objects.for_county(plan.county_id)
        .filter(plan=plan, fiscal_year=q.fiscal_year, quarter=q.quarter, amount_kes__gt=0)
        .values_list("budget_line_id", flat=True)
    )
    totals = dict(
        Expenditure.objects.for_county(plan.county_id)
        .filter(budget_line_id__in=list(spent_now), fiscal_year=q.fiscal_year)
        .filter(quarter__lte=q.quarter)
        .values("budget_line_id")
        .annotate(total=Sum("amount_kes"))
        .order_by()
        .values_list("budget_line_id", "total")
    )
    causes = []
    lines = BudgetLine.objects.for_county(plan.county_id).filter(pk__in=list(totals))
    for line in lines.select_related("activity", "component", "contributor"):
        spent, budget = totals[line.pk], line.amount_kes
        if spent <= budget:
            continue
        causes.append(
            Cause(
                Trigger.BUDGET_OVERRUN,
                f"line:{line.pk}",
                _("%(a)s — %(c)s (%(who)s): KES %(spent)s spent against KES %(budget)s")
                % {
                    "a": line.activity.title,
                    "c": line.component,
                    "who": line.contributor.short_name
                    if line.contributor_id
                    else _("County government"),
                    "spent": f"{spent:,.2f}",
                    "budget": f"{budget:,.2f}",
                },
                {"budget_line": line, "activity_id": line.activity_id},
                line.contributor_id,
            )
        )
    return causes


SOURCE_PREFIX = {
    FlagKind.SPENT_BEYOND_RELEASED: "released",
    FlagKind.SPENT_ON_WITHDRAWN: "withdrawn",
}


def _reconciliation_causes(plan, q: Quarter) -> list[Cause]:
    spent_now = set(
        Expenditure.objects.for_county(plan.county_id)
        .filter(plan=plan, fiscal_year=q.fiscal_year, quarter=q.quarter, amount_kes__gt=0)
        .values_list("activity_id", "budget_line__contributor_id")
        .distinct()
    )
    if not spent_now:
        return []
    found = reconcile(county=plan.county, plan=plan, until=q.end, until_quarter=q.quarter).flags
    return [
        Cause(
            Trigger.BUDGET_OVERRUN,
            f"{SOURCE_PREFIX[f.kind]}:{f.activity_id}:{f.contributor_id or 0}",
            f"{f.activity_title} ({f.contributor_label}): {f.detail}",
            {"activity_id": f.activity_id},
            f.contributor_id,
        )
        for f in found
        if f.kind in FlagKind.SPENDING and (f.activity_id, f.contributor_id) in spent_now
    ]


def _feedback_causes(plan, q: Quarter) -> list[Cause]:
    rows = (
        Feedback.objects.for_county(plan.county_id)
        .filter(plan=plan, requires_action=True, received_on__range=(q.start, q.end))
        .select_related("activity")
    )
    return [
        Cause(
            Trigger.FEEDBACK,
            f"feedback:{f.pk}",
            f"{f.from_name}: {f.text[:200]}",
            {"feedback": f, "activity_id": f.activity_id},
            f.activity.lead_organization_id if f.activity_id else None,
        )
        for f in rows
    ]


def _stalled_causes(plan, q: Quarter, today: date) -> list[Cause]:
    if today <= q.end:
        return []  # the quarter is still running: progress may yet come
    activities = list(
        JointActivity.objects.for_county(plan.county_id)
        .filter(plan=plan, start_date__lte=q.end, end_date__gte=q.start)
        .exclude(status__in=[ActivityStatus.COMPLETED, ActivityStatus.CANCELLED])
    )
    progress: dict[int, dict[int, int]] = {}
    for p in ActivityProgress.objects.for_county(plan.county_id).filter(
        activity_id__in=[a.pk for a in activities],
        fiscal_year=q.fiscal_year,
        quarter__lte=q.quarter,
    ):
        progress.setdefault(p.activity_id, {})[p.quarter] = p.percent_complete
    causes = []
    for a in activities:
        seen = progress.get(a.pk, {})
        earlier = [seen[k] for k in sorted(seen) if k < q.quarter]
        before = earlier[-1] if earlier else 0
        now = seen.get(q.quarter)
        if now is None:
            summary = _("%(a)s: no progress recorded for %(q)s") % {"a": a.title, "q": q.label}
        elif now < 100 and now <= before:
            summary = _("%(a)s: %(p)s %% complete in %(q)s, no further than before") % {
                "a": a.title,
                "p": now,
                "q": q.label,
            }
        else:
            continue
        causes.append(
            Cause(
                Trigger.ACTIVITY_STALLED,
                f"activity:{a.pk}",
                summary,
                {"activity_id": a.pk},
                a.lead_organization_id,
            )
        )
    return causes


def detect_triggers(
    *, plan, fiscal_year: str, quarter: int, today: date | None = None, actor=None
) -> list[AdaptationItem]:
    """Raise the adaptation items of one quarter; returns only the new ones."""
    clean_quarter(quarter)
    if fiscal_year != plan.fiscal_year:
        raise ValidationError(_("Choose a quarter of the plan's own fiscal year."))
    today = today or timezone.localdate()
    q = Quarter(fiscal_year, quarter)
    causes = [
        *_indicator_causes(plan, q),
        *_overrun_causes(plan, q),
        *_reconciliation_causes(plan, q),
        *_feedback_causes(plan, q),
        *_stalled_causes(plan, q, today),
    ]
    existing = set(
        AdaptationItem.objects.for_county(plan.county_id)
        .filter(plan=plan, fiscal_year=fiscal_year, quarter=quarter)
        .values_list("trigger", "source_key")
    )
    created = []
    for cause in causes:
        if (cause.trigger, cause.source_key) in existing:
            continue
        action, days, outcome = DEFAULTS[cause.trigger]
        try:
            with transaction.atomic():  # a concurrent run may have raised it meanwhile
                item = AdaptationItem.objects.create(
                    county_id=plan.county_id,
                    plan=plan,
                    trigger=cause.trigger,
                    source_key=cause.source_key,
                    fiscal_year=fiscal_year,
                    quarter=quarter,
                    source_summary=cause.summary[:300],
                    proposed_action=action,
                    timeline=today + timedelta(days=days),
                    expected_outcome=outcome,
                    responsible_organization_id=cause.responsible_organization_id,
                    detected_at=timezone.now(),
                    **cause.links,
                )
        except IntegrityError:
            continue
        record(
            item,
            actor,
            "adaptation.raise",
            _("%(t)s raised for %(q)s: %(s)s")
            % {"t": item.get_trigger_display(), "q": q.label, "s": item.source_summary[:150]},
            trigger=item.trigger,
            source_key=item.source_key,
        )
        created.append(item)
    return created


def started_quarters(plan, today: date) -> list[int]:
    """The quarters of the plan's year that have begun by ``today``."""
    return [q for q in (1, 2, 3, 4) if Quarter(plan.fiscal_year, q).start <= today]


def open_plans(county, today: date):
    """Signed plans being implemented: from their start until one quarter after their end
    (so the last quarter's results, spending and stalls are still detected)."""
    from workplans.models import JointWorkPlan

    return JointWorkPlan.objects.for_county(county).filter(
        status=PlanStatus.SIGNED,
        start_date__lte=today,
        end_date__gte=today - timedelta(days=92),
    )


def detect_for_plan(*, plan, today: date | None = None, actor=None) -> list[AdaptationItem]:
    """Every started quarter of the plan (what the daily task and "Check now" run)."""
    today = today or timezone.localdate()
    created = []
    for quarter in started_quarters(plan, today):
        created += detect_triggers(
            plan=plan, fiscal_year=plan.fiscal_year, quarter=quarter, today=today, actor=actor
        )
    return created


ADAPTATION_FIELDS = (
    "proposed_action",
    "timeline",
    "responsible_organization",
    "responsible_user",
    "expected_outcome",
    "actual_outcome",
    "status",
)


def adaptation_update(
    *, membership: Membership, item: AdaptationItem, row_version: int | None = None, **fields
) -> AdaptationItem:
    """Change an item's plan of action and status. Done needs the actual outcome."""
    item.check_same_county(membership)
    if not can_update_adaptation(membership, item):
        raise PermissionDenied(
            _("The secretariat or the responsible party updates this adaptation item.")
        )
    unknown = set(fields) - set(ADAPTATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown adaptation fields: {sorted(unknown)}")
    errors = {}
    merged = {name: fields.get(name, getattr(item, name)) for name in ADAPTATION_FIELDS}
    if not (merged["proposed_action"] or "").strip():
        errors["proposed_action"] = _("Say what will be done.")
    if not (merged["expected_outcome"] or "").strip():
        errors["expected_outcome"] = _("Say what outcome is expected.")
    if merged["timeline"] is None:
        errors["timeline"] = _("Enter the date by which it is to be done.")
    if merged["status"] not in AdaptationStatus.values:
        errors["status"] = _("Choose a status.")
    elif merged["status"] == AdaptationStatus.DONE and not (merged["actual_outcome"] or "").strip():
        errors["actual_outcome"] = _("Record the actual outcome before marking it done.")
    dropping = merged["status"] == AdaptationStatus.DROPPED != item.status
    if dropping and membership.role != "secretariat":
        errors["status"] = _("Only the secretariat drops an adaptation item.")
    user = merged["responsible_user"]
    if (
        user is not None
        and not Membership.objects.for_county(item.county_id).filter(user=user).exists()
    ):
        errors["responsible_user"] = _("Choose a member of this county.")
    if errors:
        raise ValidationError(errors)
    before = item.status
    with transaction.atomic():
        guarded_update(
            item,
            row_version,
            updated_by=membership.user,
            updated_at=timezone.now(),
            **{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()},
        )
        record(
            item,
            membership.user,
            "adaptation.update",
            _("Adaptation item “%(s)s” updated (%(before)s → %(after)s)")
            % {
                "s": item.source_summary[:100],
                "before": AdaptationStatus(before).label,
                "after": item.get_status_display(),
            },
            status=item.status,
        )
    return item


__all__ = ["OPEN_STATUSES", "adaptation_update", "detect_triggers"]
