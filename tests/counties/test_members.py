"""Changing and revoking roles."""

import pytest
from django.urls import reverse

from counties.models import Membership
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories

pytestmark = pytest.mark.django_db


def _url(name, county, **kwargs):
    return reverse(f"counties:{name}", kwargs={"county_slug": county.slug, **kwargs})


def test_secretariat_changes_a_role_to_sector_lead(client, county, secretariat):
    target = factories.MembershipFactory(county=county)
    with county_context([county]):
        health = factories.SectorFactory(county=county, name="Health services", slug="hs")
    client.force_login(secretariat)
    response = client.post(
        _url("member_edit", county, member_id=target.pk),
        {"role": Role.SECTOR_LEAD, "sector": health.pk},
    )
    assert response.status_code == 302
    factories.refresh(target)
    assert (target.role, target.sector_id) == (Role.SECTOR_LEAD, health.pk)


def test_a_sector_of_another_county_cannot_be_given(client, county, neighbour, secretariat):
    target = factories.MembershipFactory(county=county)
    foreign = factories.SectorFactory(county=neighbour)
    client.force_login(secretariat)
    response = client.post(
        _url("member_edit", county, member_id=target.pk),
        {"role": Role.SECTOR_LEAD, "sector": foreign.pk},
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    factories.refresh(target)
    assert target.role == Role.OBSERVER


def test_partner_role_needs_an_organization(client, county, secretariat):
    target = factories.MembershipFactory(county=county)
    client.force_login(secretariat)
    response = client.post(_url("member_edit", county, member_id=target.pk), {"role": "partner"})
    assert b"A partner needs an organization." in response.content


def test_the_last_secretariat_member_cannot_be_demoted_or_revoked(client, county, secretariat):
    with county_context([county]):
        me = Membership.objects.for_county(county).get(user=secretariat)
    client.force_login(secretariat)
    response = client.post(_url("member_edit", county, member_id=me.pk), {"role": "observer"})
    assert b"last secretariat member" in response.content
    response = client.post(_url("member_revoke", county, member_id=me.pk), follow=True)
    assert b"last secretariat member" in response.content
    factories.refresh(me)
    assert me.role == Role.SECRETARIAT


def test_secretariat_revokes_a_member(client, county, secretariat):
    target = factories.MembershipFactory(county=county, role=Role.PARTNER)
    client.force_login(secretariat)
    response = client.post(_url("member_revoke", county, member_id=target.pk))
    assert response.status_code == 302
    with county_context([county]):
        assert not Membership.objects.for_county(county).filter(pk=target.pk).exists()
    # the revoked person no longer sees the county
    client.force_login(target.user)
    assert client.get(_url("home", county)).status_code == 404


def test_revoke_needs_post(client, county, secretariat):
    target = factories.MembershipFactory(county=county)
    client.force_login(secretariat)
    assert client.get(_url("member_revoke", county, member_id=target.pk)).status_code == 405


def test_member_list_filters_by_role_and_name(client, county, secretariat):
    factories.MembershipFactory(county=county, role=Role.ASSEMBLY, user__full_name="Hon. Lesuuda")
    factories.MembershipFactory(county=county, role=Role.OBSERVER, user__full_name="Grace Akai")
    client.force_login(secretariat)
    by_role = client.get(_url("members", county), {"role": "assembly"}).content
    assert b"Hon. Lesuuda" in by_role and b"Grace Akai" not in by_role
    by_name = client.get(_url("members", county), {"q": "akai"}).content
    assert b"Grace Akai" in by_name and b"Hon. Lesuuda" not in by_name


def test_member_list_paginates(client, county, secretariat):
    for _ in range(26):
        factories.MembershipFactory(county=county)
    client.force_login(secretariat)
    first = client.get(_url("members", county))
    assert b"Page 1 of 2" in first.content
    second = client.get(_url("members", county), {"page": 2})
    assert b"Page 2 of 2" in second.content
    assert client.get(_url("members", county), {"page": "999"}).status_code == 200
