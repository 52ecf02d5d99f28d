"""The demo: Samburu has a published Health plan and an Agriculture plan whose public
window is open now, whose Phase 1 sign-off is blocked by an unanswered comment and whose
step 16 was done out of order; Turkana has a plan in progress."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from counties.demo_clock import year
from jwp.tenancy import county_context
from sectorplans import selectors, services
from sectorplans.models import PlanStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_published_plan_and_an_open_window(client, county, neighbour):
    call_command("seed_demo", stdout=StringIO())
    with county_context([county]):
        plans = {p.sector.slug: p for p in selectors.county_plans(county=county)}
        open_windows = [w for w in selectors.public_windows(county=county) if w.is_open()]
    health = plans["health"]
    assert (health.status, health.finished) == (PlanStatus.PUBLISHED, 47)
    assert health.approval_reference.startswith("Hansard")
    assert [w.plan_step.step.number for w in open_windows] == [18]
    with county_context([county]):
        agriculture = next(p for p in plans.values() if p.status == PlanStatus.PREPARING)
        sign_off = selectors.plan_step(plan=agriculture, number=15)
        sign_off.plan = agriculture
        readiness = services.plan_step_readiness(plan_step=sign_off)
        step_16 = selectors.plan_step(plan=agriculture, number=16)
    blocking = {check.label: check.detail for check in readiness.blocking}
    assert "No response yet to the accepted comments" in blocking["You said, we did"]
    assert (step_16.status, bool(step_16.out_of_order_reason)) == ("done", True)
    with county_context([neighbour]):
        assert selectors.county_plans(county=neighbour).count() == 1

    page = reverse(
        "sectorplans:public_window",
        kwargs={"county_slug": county.slug, "window_id": open_windows[0].pk},
    )
    assert "Send my comment" in client.get(page).content.decode()
    public_plan = reverse(
        "sectorplans:public_plan", kwargs={"county_slug": county.slug, "plan_id": health.pk}
    )
    html = client.get(public_plan).content.decode()
    assert f"Resolution CA/SAM/07/{year(2024)}" in html
