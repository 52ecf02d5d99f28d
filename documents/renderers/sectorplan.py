"""(c) The sector plan approval record: the 47 steps with their dates, the public
participation in summary, the CEC and Assembly decisions and the Assembly's
resolution (step 46)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from sectorplans import selectors
from sectorplans.models import (
    FORMAL_APPROVAL_STEP,
    DecisionKind,
    Moderation,
    PublicComment,
    Response,
)

TEMPLATE = "documents/pdf/sectorplan.html"


def participation(plan) -> tuple[list, dict]:
    """The windows with their comment counts, and each window's responses to the
    accepted comments (incorporated / partly / not). Two queries."""
    windows = list(selectors.plan_windows(plan=plan))
    responses = defaultdict(dict)
    rows = (
        PublicComment.objects.for_county(plan.county_id)
        .filter(window__plan=plan, moderation=Moderation.ACCEPTED)
        .exclude(response="")
        .values_list("window_id", "response")
        .annotate(n=Count("id"))
        .order_by()
    )
    for window_id, response, n in rows:
        responses[window_id][response] = n
    for window in windows:
        found = responses.get(window.pk, {})
        window.responses = [(label, found.get(value, 0)) for value, label in Response.choices]
    totals = {
        "windows": len(windows),
        "comments": sum(w.comment_count for w in windows),
        "accepted": sum(w.accepted_count for w in windows),
        "responded": sum(w.responded_count for w in windows),
    }
    return windows, totals


def context(job, plan) -> dict:
    decisions = list(selectors.plan_decisions(plan=plan))
    windows, totals = participation(plan)
    resolution = next(
        (
            d
            for d in reversed(decisions)
            if d.kind == DecisionKind.FORMAL_APPROVAL
            and d.plan_step.step.number == FORMAL_APPROVAL_STEP
        ),
        None,
    )
    return {
        "plan": plan,
        "steps": list(selectors.plan_steps(plan=plan)),
        "counts": selectors.step_counts(plan),
        "windows": windows,
        "participation": totals,
        "decisions": decisions,
        "resolution": resolution,
    }
