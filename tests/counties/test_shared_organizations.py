"""Issue 13, M1: organizations are shared between counties. A county links to one; only
the organization's own partner members, platform admins, and the recording county while
no other county uses it edit the profile; every county that uses it sees the change in
its audit trail."""

import pytest
from django.urls import reverse

from counties.models import Organization, Stakeholder
from counties.services import organization_edit_readiness
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories

pytestmark = pytest.mark.django_db

OLD_SITE = "https://samburu-water.example"
# The stakeholder form with its pick list: 17 queries on SQLite, 20 on PostgreSQL (the
# county context's set_config calls); the list itself is one query, whatever its length.
QUERY_BUDGET = 22
PHISH = "https://phish.example/login"


def _url(name, county, **kwargs):
    return reverse(f"counties:{name}", kwargs={"county_slug": county.slug, **kwargs})


def _profile(org, **changes):
    data = {"name": org.name, "acronym": org.acronym, "category": org.category, "website": ""}
    return data | changes


def _register_row(org, **extra):
    return {"organization": org.pk, "interest": "high", "influence": "low", **extra}


@pytest.fixture
def samburu_only(county):
    org = factories.OrganizationFactory(
        name="Samburu Water Trust", acronym="SWT", website=OLD_SITE, created_in=county
    )
    factories.StakeholderFactory(county=county, organization=org)
    return org


@pytest.fixture
def ndma(county, neighbour):
    org = factories.OrganizationFactory(
        name="National Drought Management Authority", acronym="NDMA", website=OLD_SITE
    )
    factories.StakeholderFactory(county=county, organization=org)
    factories.StakeholderFactory(county=neighbour, organization=org)
    return org


def _in_turkana_register(neighbour, org) -> bool:
    with county_context([neighbour]):
        return Stakeholder.objects.for_county(neighbour).filter(organization=org).exists()


def test_turkana_pick_list_leaves_out_a_samburu_only_organization(
    client, neighbour, neighbour_secretariat, samburu_only
):
    client.force_login(neighbour_secretariat)
    page = client.get(_url("stakeholder_new", neighbour)).content.decode()
    assert samburu_only.name not in page
    assert 'name="organization-search"' in page


def test_turkana_cannot_link_a_samburu_only_organization_by_raw_id(
    client, neighbour, neighbour_secretariat, samburu_only
):
    client.force_login(neighbour_secretariat)
    response = client.post(_url("stakeholder_new", neighbour), _register_row(samburu_only))
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not _in_turkana_register(neighbour, samburu_only)


def test_m1_turkana_links_by_search_but_cannot_rewrite_the_samburu_profile(
    client, county, neighbour, secretariat, neighbour_secretariat, samburu_only
):
    client.force_login(neighbour_secretariat)
    linked = client.post(
        _url("stakeholder_new", neighbour),
        _register_row(samburu_only, **{"organization-search": "Samburu Water"}),
    )
    assert linked.status_code == 302
    assert _in_turkana_register(neighbour, samburu_only)
    edit = _url("organization_edit", neighbour, organization_id=samburu_only.pk)
    refused = client.get(edit)
    assert refused.status_code == 403
    assert "Used by Samburu and Turkana" in refused.content.decode()
    posted = client.post(edit, _profile(samburu_only, website=PHISH))
    assert posted.status_code == 403
    samburu_only.refresh_from_db()
    assert samburu_only.website == OLD_SITE
    client.force_login(secretariat)
    page = client.get(_url("organization", county, organization_id=samburu_only.pk))
    assert OLD_SITE in page.content.decode() and PHISH not in page.content.decode()


def test_m1_neither_county_secretariat_edits_a_shared_organization(
    client, county, neighbour, secretariat, neighbour_secretariat, ndma
):
    for user, where in [(neighbour_secretariat, neighbour), (secretariat, county)]:
        client.force_login(user)
        edit = _url("organization_edit", where, organization_id=ndma.pk)
        assert client.post(edit, _profile(ndma, website=PHISH)).status_code == 403
        page = client.get(_url("organization", where, organization_id=ndma.pk)).content.decode()
        assert "Edit profile" not in page
        assert "only its own members or a platform admin can edit it" in page
    ndma.refresh_from_db()
    assert ndma.website == OLD_SITE
    with county_context([county, neighbour]):
        assert not AuditEvent.objects.all_counties().filter(verb="organization.update").exists()


def test_the_organizations_own_partner_member_edits_and_every_county_audits_it(
    client, county, neighbour, ndma
):
    partner = factories.MembershipFactory(county=county, role=Role.PARTNER, organization=ndma)
    client.force_login(partner.user)
    page = client.get(_url("organization", county, organization_id=ndma.pk)).content.decode()
    assert "Edit profile" in page
    form = client.get(_url("organization_edit", county, organization_id=ndma.pk))
    assert "audit trail of: Samburu, Turkana" in form.content.decode()
    response = client.post(
        _url("organization_edit", county, organization_id=ndma.pk),
        _profile(ndma, website="https://ndma.go.ke"),
    )
    assert response.status_code == 302
    ndma.refresh_from_db()
    assert ndma.website == "https://ndma.go.ke"
    for where in (county, neighbour):
        with county_context([where]):
            event = AuditEvent.objects.for_county(where).get(verb="organization.update")
        assert event.actor == partner.user
        assert event.data["before"]["website"] == OLD_SITE
        assert event.data["after"]["website"] == "https://ndma.go.ke"
        assert event.data["edited_in"] == county.name


def test_recording_county_edits_until_another_county_uses_it(
    client, county, neighbour, secretariat, neighbour_secretariat
):
    client.force_login(secretariat)
    created = client.post(
        _url("organization_new", county),
        {"name": "Lpus Women Group", "acronym": "LWG", "category": "community"},
    )
    assert created.status_code == 302
    org = Organization.objects.get(name="Lpus Women Group")
    assert org.created_in == county
    # The organization_new redirect pre-selects it; saving links it without a search.
    linked = client.post(_url("stakeholder_new", county), _register_row(org))
    assert linked.status_code == 302
    edit = _url("organization_edit", county, organization_id=org.pk)
    assert client.post(edit, _profile(org, website="https://lpus.example")).status_code == 302
    factories.ContactFactory(county=neighbour, organization=org)
    assert client.post(edit, _profile(org, website=PHISH)).status_code == 403
    org.refresh_from_db()
    assert org.website == "https://lpus.example"


def test_a_county_that_did_not_record_it_cannot_edit_even_as_sole_user(
    client, neighbour, neighbour_secretariat, county
):
    org = factories.OrganizationFactory(created_in=county)
    factories.StakeholderFactory(county=neighbour, organization=org)
    client.force_login(neighbour_secretariat)
    response = client.get(_url("organization_edit", neighbour, organization_id=org.pk))
    assert response.status_code == 403
    assert "Recorded by another county" in response.content.decode()


def test_a_platform_admin_edits_a_shared_profile(client, county, ndma):
    admin = factories.MembershipFactory(county=county, role=Role.OBSERVER).user
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        _url("organization_edit", county, organization_id=ndma.pk),
        _profile(ndma, description="Drought early warning"),
    )
    assert response.status_code == 302


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.OBSERVER, Role.PARTNER])
def test_other_roles_are_refused_with_the_reason(county, samburu_only, role):
    membership = factories.MembershipFactory(county=county, role=role)
    readiness = organization_edit_readiness(
        user=membership.user, membership=membership, organization=samburu_only
    )
    assert not readiness.ready
    assert "only its own members or a platform admin" in readiness.message()


def test_a_neighbour_gets_404_for_an_organization_it_does_not_use(
    client, county, neighbour, neighbour_secretariat, samburu_only
):
    client.force_login(neighbour_secretariat)
    for where in (neighbour, county):
        for name in ("organization", "organization_edit"):
            url = _url(name, where, organization_id=samburu_only.pk)
            assert client.get(url).status_code == 404


def test_pick_list_search_needs_two_letters_and_stays_cheap(
    client, neighbour, neighbour_secretariat, samburu_only, django_assert_max_num_queries
):
    for _n in range(5):
        factories.StakeholderFactory(county=neighbour)
    client.force_login(neighbour_secretariat)
    url = _url("stakeholder_new", neighbour)
    one_letter = client.post(
        url, {"organization-search": "S", "_find_organization": "organization"}
    )
    assert samburu_only.name not in one_letter.content.decode()
    with django_assert_max_num_queries(QUERY_BUDGET):
        found = client.post(
            url, {"organization-search": "SWT", "_find_organization": "organization"}
        )
    assert samburu_only.name in found.content.decode()
    assert not _in_turkana_register(neighbour, samburu_only)
    with django_assert_max_num_queries(QUERY_BUDGET):
        assert client.get(url).status_code == 200


def test_sector_plan_step_pick_takes_engaged_or_searched_organizations_only(
    county, neighbour, samburu_only
):
    """Prefixed forms read their own search box (``edit-…-search``)."""
    from sectorplans.forms import StepEditForm

    theirs = factories.StakeholderFactory(county=neighbour).organization
    field = "edit-responsible_organization"
    with county_context([county]):
        raw = StepEditForm({field: theirs.pk}, county=county, prefix="edit")
        assert not raw.is_valid() and "responsible_organization" in raw.errors
        ours = StepEditForm({field: samburu_only.pk}, county=county, prefix="edit")
        assert ours.is_valid(), ours.errors
        searched = StepEditForm(
            {field: theirs.pk, f"{field}-search": theirs.name}, county=county, prefix="edit"
        )
        assert searched.is_valid(), searched.errors
