"""Sectors are the county's to edit; organization lists filter and paginate."""

import pytest
from django.urls import reverse

from counties.models import OrganizationCategory, Sector
from jwp.models import AuditEvent
from jwp.tenancy import county_context
from tests import factories

pytestmark = pytest.mark.django_db


def _url(name, county, **kwargs):
    return reverse(f"counties:{name}", kwargs={"county_slug": county.slug, **kwargs})


def test_secretariat_adds_a_sector_and_it_is_audited(client, county, neighbour, secretariat):
    client.force_login(secretariat)
    response = client.post(
        _url("sector_new", county),
        {"name": "Livestock and Fisheries", "mtef_sector": "arud", "order": 11, "is_active": "on"},
    )
    assert response.status_code == 302
    with county_context([county]):
        sector = Sector.objects.for_county(county).get(name="Livestock and Fisheries")
        assert AuditEvent.objects.for_county(county).filter(verb="sector.create").exists()
    assert sector.slug == "livestock-and-fisheries"
    with county_context([neighbour]):
        assert not Sector.objects.for_county(neighbour).filter(name=sector.name).exists()


def test_a_duplicate_sector_name_is_refused_clearly(client, county, secretariat):
    client.force_login(secretariat)
    response = client.post(_url("sector_new", county), {"name": "Health", "order": 1})
    assert response.status_code == 200
    assert b"already exists" in response.content


def test_the_same_sector_name_may_exist_in_two_counties(
    client, county, neighbour, secretariat, neighbour_secretariat
):
    for user, c in ((secretariat, county), (neighbour_secretariat, neighbour)):
        client.force_login(user)
        response = client.post(_url("sector_new", c), {"name": "Blue economy", "order": 12})
        assert response.status_code == 302


def test_secretariat_deactivates_a_sector(client, county, secretariat):
    with county_context([county]):
        health = Sector.objects.for_county(county).get(slug="health")
    client.force_login(secretariat)
    client.post(
        _url("sector_edit", county, sector_id=health.pk),
        {"name": "Health", "order": 4, "mtef_sector": "health"},
    )
    factories.refresh(health)
    assert health.is_active is False
    home = client.get(_url("home", county)).content.decode()
    assert "Health</li>" not in home


def test_organizations_filter_by_category_and_name(client, county, secretariat):
    factories.ContactFactory(
        county=county, organization__name="Kenya Red Cross", organization__category="cso"
    )
    factories.ContactFactory(
        county=county,
        organization__name="World Vision",
        organization__category=OrganizationCategory.IMPLEMENTING_PARTNER,
    )
    client.force_login(secretariat)
    cso = client.get(_url("organizations", county), {"category": "cso"}).content
    assert b"Kenya Red Cross" in cso and b"World Vision" not in cso
    named = client.get(_url("organizations", county), {"q": "vision"}).content
    assert b"World Vision" in named and b"Kenya Red Cross" not in named
    empty = client.get(_url("organizations", county), {"q": "zzz"}).content
    assert b"No organizations match" in empty


def test_organization_page_shows_only_this_countys_contacts(client, county, neighbour, secretariat):
    here = factories.ContactFactory(county=county, name="Contact Here")
    factories.ContactFactory(county=neighbour, organization=here.organization, name="Contact There")
    client.force_login(secretariat)
    page = client.get(_url("organization", county, organization_id=here.organization_id)).content
    assert b"Contact Here" in page and b"Contact There" not in page


def test_an_invalid_organization_edit_keeps_the_input(client, county, secretariat):
    org = factories.ContactFactory(county=county).organization
    client.force_login(secretariat)
    response = client.post(
        _url("organization_edit", county, organization_id=org.pk),
        {"name": "", "acronym": "KEEP-ME", "category": "cso", "website": "not a url"},
    )
    assert response.status_code == 200
    assert b"This field is required." in response.content
    assert b"Enter a valid URL." in response.content
    assert b'value="KEEP-ME"' in response.content
