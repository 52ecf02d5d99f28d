"""Deleting an activity never takes another organization's money with it: the service
refuses with the list, the page shows the list instead of the button, and the lead's own
lines go only once confirmed."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from workplans.models import BudgetLine, JointActivity
from workplans.services import plans as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(county):
    with county_context([county]):
        return factories.JointActivityFactory(county=county)


@pytest.fixture
def sector_lead(county, activity):
    return factories.MembershipFactory(county=county, role=Role.SECTOR_LEAD, sector=activity.sector)


def _url(name, county, pk):
    return reverse(f"workplans:{name}", args=[county.slug, pk])


def test_sector_lead_cannot_delete_an_activity_carrying_a_partners_line(
    county, activity, sector_lead
):
    partner_org = factories.OrganizationFactory(name="World Vision")
    with county_context([county]):
        factories.BudgetLineFactory(
            county=county, activity=activity, contributor=partner_org, amount=Decimal("250000")
        )
        with pytest.raises(ValidationError) as err:
            services.activity_delete(activity=activity, membership=sector_lead, confirmed=True)
        assert JointActivity.objects.for_county(county).filter(pk=activity.pk).exists()
    said = " ".join(err.value.messages)
    assert "World Vision · Budget line" in said and "KES 250,000.00" in said


def test_partners_commitment_also_blocks_the_delete(county, activity, sector_lead):
    with county_context([county]):
        factories.CommitmentFactory(county=county, activity=activity)
        with pytest.raises(ValidationError, match="Commitment"):
            services.activity_delete(activity=activity, membership=sector_lead, confirmed=True)


def test_leads_own_lines_go_with_the_activity_once_confirmed(county, activity, sector_lead):
    with county_context([county]):
        factories.BudgetLineFactory(
            county=county, activity=activity, contributor=activity.lead_organization
        )
        with pytest.raises(ValidationError, match="Confirm"):
            services.activity_delete(activity=activity, membership=sector_lead)
        services.activity_delete(activity=activity, membership=sector_lead, confirmed=True)
        assert not BudgetLine.objects.for_county(county).filter(activity_id=activity.pk).exists()


def test_detail_page_shows_the_blocking_list_instead_of_the_delete_button(
    client, county, activity, sector_lead
):
    with county_context([county]):
        factories.BudgetLineFactory(county=county, activity=activity)  # the county's own
    client.force_login(sector_lead.user)
    page = client.get(_url("activity", county, activity.pk)).content.decode()
    assert 'id="delete-blocked"' in page
    assert "County government" in page
    assert _url("activity_delete", county, activity.pk) not in page
    # The direct POST is refused all the same.
    response = client.post(_url("activity_delete", county, activity.pk), {"confirm": "yes"})
    assert response.status_code == 302
    with county_context([county]):
        assert JointActivity.objects.for_county(county).filter(pk=activity.pk).exists()


def test_detail_page_asks_to_confirm_the_leads_lines(client, county, activity, sector_lead):
    with county_context([county]):
        factories.BudgetLineFactory(
            county=county, activity=activity, contributor=activity.lead_organization
        )
    client.force_login(sector_lead.user)
    page = client.get(_url("activity", county, activity.pk)).content.decode()
    assert 'id="delete-takes"' in page and 'name="confirm"' in page
    assert "deleted with the activity" in page
    response = client.post(_url("activity_delete", county, activity.pk), {"confirm": "yes"})
    assert response.status_code == 302
    with county_context([county]):
        assert not JointActivity.objects.for_county(county).filter(pk=activity.pk).exists()


def test_partner_of_a_supporting_org_cannot_delete_and_sees_no_button(client, county, activity):
    partner = factories.MembershipFactory(
        county=county, role=Role.PARTNER, organization=factories.OrganizationFactory()
    )
    with county_context([county]), pytest.raises(PermissionDenied):
        services.activity_delete(activity=activity, membership=partner, confirmed=True)
    client.force_login(partner.user)
    page = client.get(_url("activity", county, activity.pk)).content.decode()
    assert _url("activity_delete", county, activity.pk) not in page


def test_neighbour_member_gets_404_on_delete(client, county, neighbour, activity):
    other = factories.MembershipFactory(county=neighbour, role=Role.SECRETARIAT)
    client.force_login(other.user)
    assert client.post(_url("activity_delete", county, activity.pk)).status_code == 404
