"""Offices: assigned by the secretariat with dates, one holder at a time, history kept."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from counties.models import Membership, OfficeKind
from counties.offices import holds_office, office_history, office_holder, offices_held
from counties.services.offices import office_assign, office_get_or_create, office_holding_end
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import CrossCountyError, county_context
from tests import factories

pytestmark = pytest.mark.django_db
JAN, JUL = date(2026, 1, 1), date(2026, 7, 1)


def member(county, role, **kw) -> Membership:
    return factories.MembershipFactory(county=county, role=role, **kw)


@pytest.fixture
def boss(county):
    return member(county, Role.SECRETARIAT)


def test_the_holder_on_a_day_is_whoever_held_the_office_that_day(county, boss):
    first, second = member(county, Role.EXECUTIVE), member(county, Role.EXECUTIVE)
    with county_context([county]):
        office = office_get_or_create(county=county, kind=OfficeKind.COUNTY_SECRETARY)
        office_assign(office=office, holder=first, starts_on=JAN, by=boss)
        office_assign(office=office, holder=second, starts_on=JUL, by=boss)  # hand-over
        kind = OfficeKind.COUNTY_SECRETARY
        assert office_holder(county=county, kind=kind, on=date(2026, 3, 1)).user == first.user
        assert office_holder(county=county, kind=kind, on=JUL).user == second.user
        assert office_holder(county=county, kind=kind, on=date(2025, 12, 31)) is None
        assert holds_office(user=first.user, county=county, kind=kind, on=date(2026, 6, 30))
        assert not holds_office(user=first.user, county=county, kind=kind, on=JUL)
        history = list(office_history(office=office))
        assert [(h.user, h.starts_on, h.ends_on) for h in history] == [
            (second.user, JUL, None),
            (first.user, JAN, date(2026, 6, 30)),
        ]
        verbs = list(AuditEvent.objects.for_county(county).values_list("verb", flat=True))
    assert sorted(verbs) == ["office.assign", "office.assign", "office.end"]


def test_a_member_may_hold_several_offices(county, boss):
    cec = member(county, Role.EXECUTIVE)
    health = factories.SectorFactory(county=county)
    with county_context([county]):
        for kind, sector in ((OfficeKind.CEC_FINANCE, None), (OfficeKind.CEC_SECTOR, health)):
            office = office_get_or_create(county=county, kind=kind, sector=sector)
            office_assign(office=office, holder=cec, starts_on=JAN, by=boss)
        held = offices_held(user=cec.user, county=county, on=JUL)
    assert {h.office.kind for h in held} == {OfficeKind.CEC_FINANCE, OfficeKind.CEC_SECTOR}


@pytest.mark.parametrize(
    "role, kind, message",
    [
        (Role.PARTNER, OfficeKind.COUNTY_SECRETARY, "cannot hold the office of County Secretary"),
        (Role.OBSERVER, OfficeKind.TWG_CHAIR, "cannot hold"),
        (Role.EXECUTIVE, OfficeKind.ASSEMBLY_CHAIR, "cannot hold"),
    ],
)
def test_a_role_that_does_not_fit_the_office_is_refused(county, boss, role, kind, message):
    sector = factories.SectorFactory(county=county)
    with county_context([county]):
        office = office_get_or_create(county=county, kind=kind, sector=sector)
        with pytest.raises(ValidationError, match=message):
            office_assign(office=office, holder=member(county, role), starts_on=JAN, by=boss)


def test_a_partner_signs_only_for_its_own_organization(county, boss):
    unicef, other = factories.OrganizationFactory(), factories.OrganizationFactory()
    partner = member(county, Role.PARTNER, organization=other)
    with county_context([county]):
        office = office_get_or_create(
            county=county, kind=OfficeKind.PARTNER_SIGNATORY, organization=unicef
        )
        with pytest.raises(ValidationError, match="cannot hold"):
            office_assign(office=office, holder=partner, starts_on=JAN, by=boss)
        own = member(county, Role.PARTNER, organization=unicef)
        office_assign(office=office, holder=own, starts_on=JAN, by=boss)
        assert (
            office_holder(
                county=county, kind=OfficeKind.PARTNER_SIGNATORY, organization=unicef, on=JAN
            ).user
            == own.user
        )


def test_overlapping_dates_and_new_holders_before_the_current_start_are_refused(county, boss):
    a, b = member(county, Role.EXECUTIVE), member(county, Role.EXECUTIVE)
    with county_context([county]):
        office = office_get_or_create(county=county, kind=OfficeKind.CEC_FINANCE)
        office_assign(office=office, holder=a, starts_on=JAN, ends_on=date(2026, 3, 31), by=boss)
        with pytest.raises(ValidationError, match="held this office from"):
            office_assign(office=office, holder=b, starts_on=date(2026, 3, 1), by=boss)
        office_assign(office=office, holder=b, starts_on=date(2026, 4, 1), by=boss)
        with pytest.raises(ValidationError, match="a new holder starts after"):
            office_assign(office=office, holder=a, starts_on=date(2026, 4, 1), by=boss)


def test_only_the_secretariat_assigns_and_ends_offices(county, boss):
    cec = member(county, Role.EXECUTIVE)
    with county_context([county]):
        office = office_get_or_create(county=county, kind=OfficeKind.CEC_FINANCE)
        with pytest.raises(PermissionDenied):
            office_assign(office=office, holder=cec, starts_on=JAN, by=cec)
        holding = office_assign(office=office, holder=cec, starts_on=JAN, by=boss)
        with pytest.raises(PermissionDenied):
            office_holding_end(holding=holding, ends_on=JUL, by=cec)
        with pytest.raises(ValidationError, match="before the start"):
            office_holding_end(holding=holding, ends_on=date(2025, 1, 1), by=boss)
        office_holding_end(holding=holding, ends_on=JUL, by=boss)
        after = date(2026, 7, 2)
        assert office_holder(county=county, kind=OfficeKind.CEC_FINANCE, on=after) is None


def test_a_neighbour_county_member_cannot_hold_or_assign(county, neighbour, boss):
    stranger = member(neighbour, Role.EXECUTIVE)
    with county_context([county, neighbour]):
        office = office_get_or_create(county=county, kind=OfficeKind.CEC_FINANCE)
        with pytest.raises(CrossCountyError):
            office_assign(office=office, holder=stranger, starts_on=JAN, by=boss)
        with pytest.raises(CrossCountyError):
            office_assign(
                office=office,
                holder=member(county, Role.EXECUTIVE),
                starts_on=JAN,
                by=member(neighbour, Role.SECRETARIAT),
            )
    with county_context([neighbour]):
        assert office_holder(county=neighbour, kind=OfficeKind.CEC_FINANCE, on=JAN) is None
