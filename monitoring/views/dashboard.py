"""The plan's M&E dashboard (issue 6, point 10)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from jwp.access import county_view
from monitoring import dashboard as board
from monitoring import services
from monitoring.views.results import _plan, nav


@county_view()
def plan_dashboard(request, plan_id: int):
    plan = _plan(request, plan_id)
    thresholds = services.thresholds_for(request.county)
    data = board.dashboard(
        county=request.county, plan=plan, today=timezone.localdate(), thresholds=thresholds
    )
    return render(
        request,
        "monitoring/dashboard.html",
        nav(
            request,
            plan,
            "dashboard",
            board=data,
            thresholds=thresholds,
            can_verify=services.can_verify(request.membership),
        ),
    )
