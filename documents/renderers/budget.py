"""(b) The cost-share budget approval sheet: the manual's Budget template (county
government and implementing-partner contributions per component, the totals) and
its approvals block."""

from __future__ import annotations

from documents.renderers import FULL_VIEW
from workplans import selectors
from workplans.models import PlanStatus

TEMPLATE = "documents/pdf/budget.html"


def context(job, plan) -> dict:
    signatures = list(selectors.plan_signatures(plan=plan))
    return {
        "plan": plan,
        "approved": plan.status in (PlanStatus.CEC_APPROVED, PlanStatus.SIGNED),
        "partners": selectors.plan_partners(plan=plan),
        "summary": selectors.budget_summary(county=plan.county, plan=plan, membership=FULL_VIEW),
        "county_signatures": [s for s in signatures if s.organization_id is None],
        "partner_signatures": [s for s in signatures if s.organization_id is not None],
    }
