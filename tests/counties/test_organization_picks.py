"""Organization pick lists offer the organizations engaged in the county; any other is
found through the search beside the list (no JavaScript needed), limited and scoped."""

import pytest
from django.urls import reverse

from counties.forms.picks import SEARCH_BUTTON
from counties.selectors import ORGANIZATION_PICK_LIMIT, organizations_for_pick
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from workplans.forms_plans import ActivityForm, PlanForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(county, neighbour):
    """Samburu works with Mercy Corps; Turkana alone with Turkana Pastoralists Trust."""
    ours = factories.OrganizationFactory(name="Mercy Corps")
    theirs = factories.OrganizationFactory(name="Turkana Pastoralists Trust", acronym="TPT")
    factories.StakeholderFactory(county=county, organization=ours)
    factories.StakeholderFactory(county=neighbour, organization=theirs)
    return ours, theirs


def _offered(form, name):
    return {o.name for o in form.fields[name].queryset}


def test_samburu_activity_lead_list_leaves_out_turkana_only_organizations(county, orgs):
    ours, theirs = orgs
    with county_context([county]):
        activity = factories.JointActivityFactory(county=county)
        form = ActivityForm(plan=activity.plan)
        lead = _offered(form, "lead_organization")
        assert theirs.name not in form.as_p()
    assert ours.name in lead and theirs.name not in lead


def test_a_search_offers_a_matching_organization_and_saves_nothing(county, orgs):
    _ours, theirs = orgs
    with county_context([county]):
        activity = factories.JointActivityFactory(county=county)
        form = ActivityForm(
            {"lead_organization-search": "TPT", SEARCH_BUTTON: "lead_organization"},
            plan=activity.plan,
        )
        assert not form.is_valid()
        assert theirs.name in _offered(form, "lead_organization")
    assert list(form.errors) == ["lead_organization"]
    assert "now in the list" in form.errors["lead_organization"][0]


def _activity_data(activity, lead, **extra):
    return {
        "title": "Boreholes",
        "sector": activity.sector_id,
        "lead_organization": lead.pk,
        "start_date": activity.plan.start_date.isoformat(),
        "end_date": activity.plan.start_date.isoformat(),
        "status": "planned",
        **extra,
    }


def test_an_organization_found_by_search_may_be_chosen(county, orgs):
    """The search text stays in the form when the member picks from what it found."""
    _ours, theirs = orgs
    with county_context([county]):
        activity = factories.JointActivityFactory(county=county)
        form = ActivityForm(
            _activity_data(activity, theirs, **{"lead_organization-search": "TPT"}),
            plan=activity.plan,
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["lead_organization"] == theirs


def test_a_raw_id_without_a_search_is_refused(county, orgs):
    """Issue 13, M1: no linking another county's organization by posting its id."""
    _ours, theirs = orgs
    with county_context([county]):
        activity = factories.JointActivityFactory(county=county)
        form = ActivityForm(_activity_data(activity, theirs), plan=activity.plan)
        assert not form.is_valid()
    assert list(form.errors) == ["lead_organization"]


def test_the_chosen_organization_stays_offered_when_editing(county, orgs):
    _ours, theirs = orgs
    with county_context([county]):
        activity = factories.JointActivityFactory(county=county, lead_organization=theirs)
        form = ActivityForm(instance=activity, plan=activity.plan)
        assert theirs.name in _offered(form, "lead_organization")


def test_a_partner_still_picks_only_its_own_organization(county, orgs):
    ours, _theirs = orgs
    with county_context([county]):
        activity = factories.JointActivityFactory(county=county)
        from counties.models import Organization

        form = ActivityForm(
            {"lead_organization-search": "Turkana", SEARCH_BUTTON: "lead_organization"},
            plan=activity.plan,
            organizations=Organization.objects.filter(pk=ours.pk),
        )
        form.is_valid()
        # (evaluated in the county's context: PostgreSQL's row-level security applies)
        assert _offered(form, "lead_organization") == {ours.name}


def test_search_results_are_limited(county, orgs):
    for n in range(ORGANIZATION_PICK_LIMIT + 5):
        factories.OrganizationFactory(name=f"Water Trust {n:02d}")
    with county_context([county]):
        found = organizations_for_pick(county=county, query="Water Trust")
        assert found.filter(name__startswith="Water Trust").count() == ORGANIZATION_PICK_LIMIT
        assert found.filter(name="Mercy Corps").exists()  # the county's own stay offered
        # One letter is not a search: the county's own list.
        assert set(organizations_for_pick(county=county, query="W")) == set(
            organizations_for_pick(county=county)
        )


def test_plan_lead_agency_and_partners_lists_are_the_countys(county, orgs):
    ours, _theirs = orgs
    with county_context([county]):
        form = PlanForm(county=county)
        assert _offered(form, "lead_agency") == _offered(form, "partners") == {ours.name}


def test_activity_page_offers_the_search_box_and_only_the_countys_organizations(
    client, county, neighbour, orgs
):
    ours, theirs = orgs
    with county_context([county]):
        plan = factories.JointWorkPlanFactory(county=county)
    client.force_login(factories.MembershipFactory(county=county, role=Role.SECRETARIAT).user)
    page = client.get(reverse("workplans:activity_new", args=[county.slug, plan.pk]))
    html = page.content.decode()
    assert 'name="lead_organization-search"' in html
    assert ours.name in html and theirs.name not in html
    # The neighbour's member cannot open Samburu's form at all.
    client.force_login(factories.MembershipFactory(county=neighbour, role=Role.SECRETARIAT).user)
    assert (
        client.get(reverse("workplans:activity_new", args=[county.slug, plan.pk])).status_code
        == 404
    )


def test_stakeholder_and_invitation_forms_use_the_same_pick_list(county, orgs):
    from counties.forms import InvitationForm, StakeholderForm

    ours, theirs = orgs
    with county_context([county]):
        for form_class in (StakeholderForm, InvitationForm):
            form = form_class(county=county)
            assert _offered(form, "organization") == {ours.name}
            found = form_class(
                {"organization-search": "Pastoralists", SEARCH_BUTTON: "organization"},
                county=county,
            )
            assert not found.is_valid()
            assert theirs.name in _offered(found, "organization")


def test_partners_and_activity_leads_of_the_countys_plans_are_engaged(county, neighbour):
    lead_here = factories.OrganizationFactory(name="World Vision Kenya")
    lead_there = factories.OrganizationFactory(name="Lokichar Water Users")
    with county_context([county, neighbour]):
        factories.JointActivityFactory(county=county, lead_organization=lead_here)
        factories.JointActivityFactory(county=neighbour, lead_organization=lead_there)
        offered = {o.name for o in organizations_for_pick(county=county)}
    assert lead_here.name in offered and lead_there.name not in offered


def test_enter_in_another_field_with_empty_search_boxes_is_a_normal_save(county, orgs):
    """Browsers press the first submit button (a "Find") on Enter: no search text, no
    search."""
    ours, _theirs = orgs
    with county_context([county]):
        activity = factories.JointActivityFactory(county=county)
        data = {
            "title": "Boreholes",
            "sector": activity.sector_id,
            "lead_organization": ours.pk,
            "lead_organization-search": "",
            "start_date": activity.plan.start_date.isoformat(),
            "end_date": activity.plan.start_date.isoformat(),
            "status": "planned",
            SEARCH_BUTTON: "supporting_organizations",
        }
        form = ActivityForm(data, plan=activity.plan)
        assert form.is_valid(), form.errors
