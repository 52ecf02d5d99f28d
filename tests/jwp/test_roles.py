"""Each role sees and may do what DESIGN.md says, and no more."""

import pytest
from django.urls import reverse

from jwp.roles import CAPABILITIES, Capability, Role, role_can
from tests import factories

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role.values)


def test_observer_may_only_read():
    assert CAPABILITIES[Role.OBSERVER] == {Capability.VIEW}


def test_only_the_secretariat_manages_members_and_sectors():
    for role in ALL_ROLES:
        expected = role == Role.SECRETARIAT
        assert role_can(role, Capability.MANAGE_MEMBERS) is expected
        assert role_can(role, Capability.MANAGE_SECTORS) is expected


def test_only_assembly_records_assembly_decisions_and_only_executive_approves():
    assert [r for r in ALL_ROLES if role_can(r, Capability.RECORD_ASSEMBLY_DECISION)] == [
        Role.ASSEMBLY
    ]
    assert [r for r in ALL_ROLES if role_can(r, Capability.APPROVE)] == [Role.EXECUTIVE]


@pytest.fixture
def member_of(county, make_member):
    def make(role):
        return make_member(county, role)

    return make


def _get(client, user, name, county, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs={"county_slug": county.slug, **kwargs}))


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    "name",
    [
        "counties:home",
        "counties:members",
        "counties:organizations",
        "counties:sectors",
        "api:members",
        "api:sectors",
        "api:organizations",
    ],
)
def test_every_role_reads_the_county_workspace(client, county, member_of, role, name):
    assert _get(client, member_of(role), name, county).status_code == 200


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    "name", ["counties:member_invite", "counties:sector_new", "counties:audit"]
)
def test_secretariat_only_pages(client, county, member_of, role, name):
    status = _get(client, member_of(role), name, county).status_code
    assert status == (200 if role == Role.SECRETARIAT else 403)


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != Role.SECRETARIAT])
def test_other_roles_cannot_invite_change_or_revoke(client, county, member_of, secretariat, role):
    user = member_of(role)
    client.force_login(user)
    target = factories.MembershipFactory(county=county)
    base = {"county_slug": county.slug}
    invite = client.post(
        reverse("counties:member_invite", kwargs=base),
        {"full_name": "X", "email": "x@example.org", "role": Role.OBSERVER},
    )
    edit = client.post(
        reverse("counties:member_edit", kwargs={**base, "member_id": target.pk}),
        {"role": Role.SECRETARIAT},
    )
    revoke = client.post(reverse("counties:member_revoke", kwargs={**base, "member_id": target.pk}))
    assert (invite.status_code, edit.status_code, revoke.status_code) == (403, 403, 403)


def test_members_page_shows_management_only_to_the_secretariat(client, county, member_of):
    for role, shown in [(Role.SECRETARIAT, True), (Role.OBSERVER, False), (Role.PARTNER, False)]:
        response = _get(client, member_of(role), "counties:members", county)
        assert (b"Invite a member" in response.content) is shown, role


def test_partner_edits_its_own_organization_only(client, county, make_member):
    partner = factories.MembershipFactory(county=county, role=Role.PARTNER)
    other = factories.MembershipFactory(county=county, role=Role.PARTNER).organization
    client.force_login(partner.user)
    own_url = reverse(
        "counties:organization_edit",
        kwargs={"county_slug": county.slug, "organization_id": partner.organization_id},
    )
    other_url = reverse(
        "counties:organization_edit",
        kwargs={"county_slug": county.slug, "organization_id": other.pk},
    )
    assert client.get(own_url).status_code == 200
    assert client.get(other_url).status_code == 403
    response = client.post(
        own_url,
        {"name": "Renamed Partner", "acronym": "RP", "category": "cso", "website": ""},
    )
    assert response.status_code == 302
    partner.organization.refresh_from_db()
    assert partner.organization.name == "Renamed Partner"


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.SECTOR_LEAD, Role.ASSEMBLY, Role.OBSERVER])
def test_non_partner_roles_cannot_edit_organizations(client, county, member_of, role):
    org = factories.MembershipFactory(county=county, role=Role.PARTNER).organization
    response = _get(
        client, member_of(role), "counties:organization_edit", county, organization_id=org.pk
    )
    assert response.status_code == 403


def test_secretariat_edits_any_organization_engaged_in_the_county(client, county, secretariat):
    org = factories.ContactFactory(county=county).organization
    response = _get(
        client, secretariat, "counties:organization_edit", county, organization_id=org.pk
    )
    assert response.status_code == 200


def test_organization_not_engaged_in_the_county_is_404(client, county, neighbour, secretariat):
    elsewhere = factories.ContactFactory(county=neighbour).organization
    response = _get(
        client, secretariat, "counties:organization", county, organization_id=elsewhere.pk
    )
    assert response.status_code == 404
