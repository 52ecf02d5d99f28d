"""The sector plan API: plans, steps and published comments for members; completing a
step follows the service rules (403 wrong role, 400 problem+json for a gate)."""

import json

import pytest
from django.urls import reverse

from counties.models import OfficeKind
from jwp.roles import Role
from jwp.tenancy import county_context
from sectorplans import services
from sectorplans.models import StepStatus
from tests import factories
from tests.sectorplans.conftest import office_member

pytestmark = pytest.mark.django_db


def api(name, county, **kwargs):
    return reverse(f"api:{name}", kwargs={"county_slug": county.slug, **kwargs})


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return json.loads(response.content)


def test_members_list_the_countys_plans_with_progress(client, county, neighbour, plan, member):
    factories.sector_plan(neighbour, title="Turkana plan")
    client.force_login(member(Role.OBSERVER).user)
    body = client.get(api("sector_plans", county)).json()
    assert [p["title"] for p in body["results"]] == [plan.title]
    assert body["results"][0]["current_step"] == 1


def test_the_steps_of_a_plan_are_listed_in_order(client, county, plan, member):
    client.force_login(member(Role.OBSERVER).user)
    steps = client.get(api("sector_plan_steps", county, plan_id=plan.pk)).json()
    assert [s["number"] for s in steps] == list(range(1, 48))
    assert steps[45]["specific_actor"] == "Whole House"


def test_a_neighbour_member_gets_404_for_this_countys_plan(client, county, neighbour, plan, member):
    client.force_login(member(Role.SECRETARIAT, county=neighbour).user)
    assert client.get(api("sector_plan_steps", neighbour, plan_id=plan.pk)).status_code == 404
    assert client.get(api("sector_plans", county)).status_code == 404


def test_only_accepted_comments_are_published(client, county, secretariat_m, member):
    window = factories.ParticipationWindowFactory(county=county)
    accepted = factories.PublicCommentFactory(county=county, window=window, topic="Accepted")
    factories.PublicCommentFactory(county=county, window=window, topic="Pending")
    with county_context([county]):
        services.public_comment_moderate(comment=accepted, membership=secretariat_m, accept=True)
    client.force_login(member(Role.PARTNER).user)
    body = client.get(api("public_comments", county)).json()
    assert [c["topic"] for c in body["results"]] == ["Accepted"]


def test_completing_a_step_through_the_api(client, county, plan, lead_m):
    client.force_login(lead_m.user)
    response = client.post(
        api("sector_plan_step_complete", county, plan_id=plan.pk, number=9),
        {"notes": "Baseline drafted.", "out_of_order_reason": "Drafted while 1–8 are recorded."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == StepStatus.DONE


def test_the_api_refuses_the_wrong_role_with_403(client, county, plan, member):
    client.force_login(member(Role.PARTNER).user)
    body = problem(
        client.post(
            api("sector_plan_step_complete", county, plan_id=plan.pk, number=46),
            {"body": "Approved", "decided_on": "2024-03-12", "reference": "Hansard"},
            content_type="application/json",
        ),
        403,
    )
    assert "Whole House" in body["detail"]


def test_the_api_explains_a_gate_with_400(client, county, plan, secretariat_m):
    client.force_login(secretariat_m.user)
    body = problem(
        client.post(
            api("sector_plan_step_complete", county, plan_id=plan.pk, number=47),
            {},
            content_type="application/json",
        ),
        400,
    )
    assert "before the Assembly's formal approval" in body["detail"]


def test_the_api_names_missing_decision_fields(client, county, plan):
    client.force_login(office_member(plan, OfficeKind.CEC_SECTOR).user)
    body = problem(
        client.post(
            api("sector_plan_step_complete", county, plan_id=plan.pk, number=11),
            {"out_of_order_reason": "Steps 1–10 are recorded later."},
            content_type="application/json",
        ),
        400,
    )
    assert set(body["errors"]) == {"body", "decided_on"}
