"""Actions that would be refused are not offered: the page and the service ask the same
predicate (can_add_budget_line, can_change_budget_line, can_resolve_overlaps); the
direct request is refused all the same."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from workplans.models import BudgetLine
from workplans.services import budget as budget_services

pytestmark = pytest.mark.django_db

ADD_LINE = "Add a budget line"


def _plan(county, status):
    with county_context([county]):
        plan = factories.JointWorkPlanFactory(county=county, status=status)
        activity = factories.JointActivityFactory(county=county, plan=plan)
    return plan, activity


def _url(name, county, *args):
    return reverse(f"workplans:{name}", args=[county.slug, *args])


@pytest.mark.parametrize("status", ["cec_approved", "signed"])
def test_add_a_budget_line_is_not_offered_on_an_approved_plan(
    client, county, neighbour, secretariat, status
):
    plan, _activity = _plan(county, status)
    client.force_login(secretariat)
    for page in ("budget_lines", "budget"):
        assert ADD_LINE not in client.get(_url(page, county, plan.pk)).content.decode()
    # The form is not shown either: the page says why and sends the member back.
    response = client.get(_url("budget_line_new", county, plan.pk), follow=True)
    assert 'name="amount"' not in response.content.decode()
    assert "can no longer be changed" in response.content.decode() or "locked" in (
        response.content.decode()
    )


def test_add_a_budget_line_is_offered_while_the_plan_is_built(client, county, secretariat):
    plan, _activity = _plan(county, "co_creation")
    client.force_login(secretariat)
    assert ADD_LINE in client.get(_url("budget_lines", county, plan.pk)).content.decode()
    assert 'name="amount"' in client.get(_url("budget_line_new", county, plan.pk)).content.decode()


def test_observer_is_not_offered_the_button_on_an_open_plan(client, county, make_member):
    plan, _activity = _plan(county, "co_creation")
    client.force_login(make_member(county, Role.OBSERVER))
    assert ADD_LINE not in client.get(_url("budget_lines", county, plan.pk)).content.decode()
    assert client.get(_url("budget_line_new", county, plan.pk)).status_code == 403


def test_direct_post_on_an_approved_plan_is_still_refused(client, county, secretariat):
    plan, activity = _plan(county, "cec_approved")
    client.force_login(secretariat)
    component = factories.budget_component(county)
    client.post(
        _url("budget_line_new", county, plan.pk),
        {
            "activity": activity.pk,
            "component": component.pk,
            "amount": "1000",
            "currency": "KES",
            "kind": "cash",
        },
    )
    with county_context([county]):
        assert not BudgetLine.objects.for_county(county).filter(activity=activity).exists()


def test_edit_link_of_a_line_follows_the_same_predicate(client, county, secretariat):
    plan, activity = _plan(county, "cec_approved")
    with county_context([county]):
        line = factories.BudgetLineFactory(county=county, activity=activity, amount=Decimal("5"))
    with county_context([county]):
        membership = secretariat.memberships.for_county(county).get()
    assert not budget_services.can_change_budget_line(membership, line, plan)
    client.force_login(secretariat)
    page = client.get(_url("budget_lines", county, plan.pk)).content.decode()
    assert _url("budget_line", county, line.pk) not in page


def test_neighbour_gets_404_on_the_add_form(client, county, neighbour, neighbour_secretariat):
    plan, _activity = _plan(county, "co_creation")
    client.force_login(neighbour_secretariat)
    assert client.get(_url("budget_line_new", county, plan.pk)).status_code == 404


def test_resolve_is_not_offered_on_a_signed_plan_and_refused_directly(client, county, secretariat):
    with county_context([county]):
        plan = factories.JointWorkPlanFactory(
            county=county, status="signed", locked_at=timezone.now()
        )
    flag = factories.overlap_flag(county, plan=plan)
    client.force_login(secretariat)
    resolve = _url("overlap_resolve", county, plan.pk, flag.pk)
    assert resolve not in client.get(_url("overlap_list", county, plan.pk)).content.decode()
    response = client.post(resolve, {"resolution": "merged", "note": "x"})
    assert b"locked" in response.content
    with county_context([county]):
        flag.refresh_from_db()
    assert flag.resolution == "open"
