"""The default manager of county-owned models refuses queries that name no county."""

import pytest

from counties.models import Contact, Sector
from jwp.tenancy import CrossCountyError, UnscopedCountyQuery, county_context
from tests import factories

pytestmark = pytest.mark.django_db

UNSCOPED = {
    "list": lambda: list(Sector.objects.all()),
    "filter": lambda: list(Sector.objects.filter(is_active=True)),
    "count": lambda: Sector.objects.count(),
    "exists": lambda: Sector.objects.exists(),
    "first": lambda: Sector.objects.first(),
    "get": lambda: Sector.objects.get(slug="health"),
    "aggregate": lambda: Sector.objects.aggregate(),
    "iterator": lambda: list(Sector.objects.iterator()),
    "values": lambda: list(Sector.objects.values("name")),
    "update": lambda: Sector.objects.update(is_active=False),
    "delete": lambda: Sector.objects.filter(slug="health").delete(),
}


@pytest.mark.parametrize("query", UNSCOPED.values(), ids=UNSCOPED.keys())
def test_unscoped_query_raises(query):
    with pytest.raises(UnscopedCountyQuery):
        query()


def test_or_with_a_county_filter_is_not_a_scope(county):
    from django.db.models import Q

    with pytest.raises(UnscopedCountyQuery):
        list(Sector.objects.filter(Q(county=county) | Q(is_active=True)))


def test_for_county_returns_only_that_countys_rows(county, neighbour):
    with county_context([county, neighbour]):
        rows = list(Sector.objects.for_county(county))
    assert rows and {s.county_id for s in rows} == {county.pk}


def test_filter_on_county_counts_as_scoped(county):
    with county_context([county]):
        assert Sector.objects.filter(county=county).count() == 10


def test_all_counties_is_an_explicit_national_rollup(county, neighbour):
    with county_context([county, neighbour]):
        ids = set(Sector.objects.all_counties().values_list("county_id", flat=True))
    assert {county.pk, neighbour.pk} <= ids


def test_global_parent_does_not_scope_county_owned_children(county, neighbour):
    contact = factories.ContactFactory(county=county)
    factories.ContactFactory(county=neighbour, organization=contact.organization)
    with pytest.raises(UnscopedCountyQuery):
        list(contact.organization.contacts.all())
    with county_context([county]):
        assert list(contact.organization.contacts.for_county(county)) == [contact]


def test_check_same_county_refuses_cross_county_links(county, neighbour):
    with county_context([county, neighbour]):
        sector = Sector.objects.for_county(neighbour).first()
        contact = factories.ContactFactory(county=county)
    with pytest.raises(CrossCountyError):
        contact.check_same_county(sector)
    contact.check_same_county(county)  # its own county is fine


def test_model_validation_of_unique_constraints_still_works(county):
    with county_context([county]):
        duplicate = Sector(county=county, name="Health", slug="health-2")
        with pytest.raises(Exception, match="already exists"):
            duplicate.full_clean()


def test_contact_is_county_owned():
    with pytest.raises(UnscopedCountyQuery):
        Contact.objects.count()
