"""(a) The signed joint work plan: the manual's template, sections 1–9, with the
signature block (each office, the name of its holder who signed, dates) and the
approval decisions (who, in which office, on what basis, when)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from monitoring.selectors import indicator_table
from workplans import selectors
from workplans.models import BudgetLine, ContributionKind, PlanStatus

TEMPLATE = "documents/pdf/workplan.html"
ZERO = Decimal("0.00")


def resources(plan) -> list[dict]:
    """Section 4: per source and kind (cash / in kind), the amount in KES and what it
    pays for (the budget components), largest first. One query."""
    rows: dict = {}
    uses = defaultdict(set)
    lines = (
        BudgetLine.objects.for_county(plan.county_id)
        .filter(Q(activity__plan=plan))
        .values("contributor__name", "kind", "component__name")
        .annotate(kes=Sum(selectors.kes_amount()))
        .order_by()
    )
    for line in lines:
        key = (line["contributor__name"] or str(_("County government")), line["kind"])
        rows[key] = rows.get(key, ZERO) + line["kes"]
        uses[key].add(line["component__name"])
    kinds = dict(ContributionKind.choices)
    return [
        {
            "type": _("Financial resources")
            if kind == ContributionKind.CASH
            else _("In-kind resources"),
            "source": source,
            "kind": kinds[kind],
            "kes": amount,
            "uses": ", ".join(sorted(uses[(source, kind)])),
        }
        for (source, kind), amount in sorted(rows.items(), key=lambda item: -item[1])
    ]


def context(job, plan) -> dict:
    signatures = list(selectors.plan_signatures(plan=plan))
    res = resources(plan)
    return {
        "plan": plan,
        "signed": plan.status == PlanStatus.SIGNED,
        "partners": selectors.plan_partners(plan=plan),
        "objectives": list(selectors.plan_objectives(plan=plan)),
        "activities": list(selectors.plan_activities(plan=plan)),
        "resources": res,
        "resources_total": sum((r["kes"] for r in res), ZERO),
        # Section 5, the M&E plan: each indicator with its baseline and its annual
        # target, by the indicator's aggregation (monitoring.selectors).
        "indicators": indicator_table(county=plan.county, plan=plan),
        "risks": list(selectors.plan_risks(plan=plan)),
        "milestones": list(selectors.plan_milestones(plan=plan)),
        "signatures": signatures,
        "decisions": list(selectors.plan_decisions(plan=plan)),
        "annexes": list(selectors.plan_annexes(plan=plan)),
    }
