"""Coordination structures, the manual's warnings, and nominations."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from counties import services
from counties.models import CoordinationStructure, Nomination, Sector, StructureMember
from counties.services.structures import structure_warnings
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories

pytestmark = pytest.mark.django_db

PDF = factories.PDF_BYTES


def _url(name, county, **kwargs):
    return reverse(f"counties:{name}", kwargs={"county_slug": county.slug, **kwargs})


def _codes(structure):
    with county_context([structure.county_id]):
        members = list(
            StructureMember.objects.for_county(structure.county_id)
            .filter(structure=structure)
            .select_related("organization")
        )
    return {w.code for w in structure_warnings(structure, members)}


def _members(structure, n, **kwargs):
    for _ in range(n):
        factories.StructureMemberFactory(county=structure.county, structure=structure, **kwargs)


def test_secretariat_sets_up_a_twg_with_terms_of_reference(client, county, secretariat):
    client.force_login(secretariat)
    response = client.post(
        _url("structure_new", county),
        {
            "kind": "twg",
            "cycle": "2026/27",
            "mandate": "Technical direction",
            "is_active": "on",
            "terms_of_reference": SimpleUploadedFile("tor.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    with county_context([county]):
        twg = CoordinationStructure.objects.for_county(county).get(kind="twg")
    assert twg.name == "Technical Working Group / Steering Committee"
    download = client.get(_url("structure_tor", county, structure_id=twg.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_terms_of_reference_are_checked_by_content(client, county, secretariat):
    client.force_login(secretariat)
    response = client.post(
        _url("structure_new", county),
        {
            "kind": "twg",
            "cycle": "2026/27",
            "terms_of_reference": SimpleUploadedFile(
                "tor.pdf", b"MZ\x90 not a pdf", "application/pdf"
            ),
        },
    )
    assert response.status_code == 200
    assert b"not a real" in response.content
    with county_context([county]):
        assert not CoordinationStructure.objects.for_county(county).exists()


def test_a_swg_needs_its_sector_and_is_unique_per_sector_and_cycle(client, county, secretariat):
    with county_context([county]):
        health = Sector.objects.for_county(county).get(slug="health")
    client.force_login(secretariat)
    missing = client.post(_url("structure_new", county), {"kind": "swg", "cycle": "2026/27"})
    assert b"needs its sector" in missing.content
    data = {"kind": "swg", "cycle": "2026/27", "sector": health.pk}
    assert client.post(_url("structure_new", county), data).status_code == 302
    again = client.post(_url("structure_new", county), data)
    assert b"already has that structure" in again.content


def test_twg_warnings_follow_the_manual(county):
    twg = factories.StructureFactory(county=county, kind="twg")
    assert _codes(twg) == {"empty"}
    _members(twg, 4, gender="female", has_decision_authority=True)
    assert _codes(twg) == {"twg_size", "gender"}  # 4 < 7, and all women
    _members(twg, 4, gender="male", has_decision_authority=False)
    assert _codes(twg) == {"twg_authority"}  # 8 members, balanced, 4 without authority


def test_secretariat_of_two_to_three(county):
    secretariat = factories.StructureFactory(county=county, kind="secretariat", cycle="2026/27")
    _members(secretariat, 4)
    assert _codes(secretariat) == {"secretariat_size"}


def test_a_swg_without_non_state_actors_is_flagged(county):
    with county_context([county]):
        health = Sector.objects.for_county(county).get(slug="health")
    swg = factories.StructureFactory(county=county, kind="swg", sector=health)
    _members(swg, 2, contact__organization__category="county_department")
    assert _codes(swg) == {"swg_non_state"}
    _members(swg, 1, contact__organization__category="cso")
    assert _codes(swg) == set()


def test_sectors_without_a_swg_are_listed(client, county, secretariat):
    with county_context([county]):
        health = Sector.objects.for_county(county).get(slug="health")
    factories.StructureFactory(county=county, kind="swg", sector=health, cycle="2026/27")
    client.force_login(secretariat)
    page = client.get(_url("structures", county), {"cycle": "2026/27"}).content.decode()
    assert "9 active sectors have no active Sector Working Group" in page
    assert "Education" in page


def test_nomination_from_invitation_to_membership(client, county, secretariat):
    twg = factories.StructureFactory(county=county)
    partner = factories.MembershipFactory(county=county, role=Role.PARTNER)
    nominee = factories.ContactFactory(
        county=county, organization=partner.organization, gender="female", position="Director"
    )
    client.force_login(secretariat)
    client.post(
        _url("nomination_invite", county, structure_id=twg.pk),
        {
            "organization": partner.organization_id,
            "due_date": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    with county_context([county]):
        nomination = Nomination.objects.for_county(county).get(structure=twg)
    assert nomination.status == "invited"

    client.force_login(partner.user)
    response = client.post(
        _url("nomination_nominate", county, nomination_id=nomination.pk), {"nominee": nominee.pk}
    )
    assert response.status_code == 302
    assert factories.refresh(nomination).status == "nominated"

    client.force_login(secretariat)
    declined_without_note = client.post(
        _url("nomination_decide", county, nomination_id=nomination.pk), {"decision": "decline"}
    )
    assert b"Say why" in declined_without_note.content
    client.post(
        _url("nomination_decide", county, nomination_id=nomination.pk),
        {"decision": "accept", "has_decision_authority": "on"},
    )
    assert factories.refresh(nomination).status == "accepted"
    with county_context([county]):
        member = StructureMember.objects.for_county(county).get(structure=twg)
    assert (member.contact_id, member.gender, member.has_decision_authority) == (
        nominee.pk,
        "female",
        True,
    )


def test_only_the_invited_organization_names_its_nominee(client, county):
    nomination = factories.NominationFactory(county=county)
    other_partner = factories.MembershipFactory(county=county, role=Role.PARTNER)
    client.force_login(other_partner.user)
    url = _url("nomination_nominate", county, nomination_id=nomination.pk)
    assert client.get(url).status_code == 403


def test_the_nominee_must_belong_to_the_organization(county, secretariat):
    nomination = factories.NominationFactory(county=county)
    stranger = factories.ContactFactory(county=county)
    with county_context([county]), pytest.raises(Exception, match="Choose a person of"):
        services.nomination_nominate(nomination=nomination, actor=secretariat, nominee=stranger)


def test_a_due_date_in_the_past_is_refused(county, secretariat):
    twg = factories.StructureFactory(county=county)
    with county_context([county]), pytest.raises(Exception, match="has passed"):
        services.nomination_invite(
            structure=twg,
            actor=secretariat,
            organization=factories.OrganizationFactory(),
            due_date=timezone.localdate() - timedelta(days=1),
        )


def test_observer_reads_structures_but_cannot_change_them(client, county, make_member):
    twg = factories.StructureFactory(county=county)
    client.force_login(make_member(county, Role.OBSERVER))
    assert client.get(_url("structure", county, structure_id=twg.pk)).status_code == 200
    assert client.get(_url("structure_new", county)).status_code == 403
    assert client.post(_url("structure_member_add", county, structure_id=twg.pk)).status_code == 403


def test_secretariat_adds_a_platform_user_and_removes_a_member(client, county, secretariat):
    twg = factories.StructureFactory(county=county)
    executive = factories.MembershipFactory(county=county, role=Role.EXECUTIVE)
    client.force_login(secretariat)
    client.post(
        _url("structure_member_add", county, structure_id=twg.pk),
        {"user": executive.pk, "gender": "male", "has_decision_authority": "on"},
    )
    with county_context([county]):
        member = StructureMember.objects.for_county(county).get(structure=twg)
    assert member.user_id == executive.user_id
    client.post(
        _url("structure_member_remove", county, structure_id=twg.pk, structure_member_id=member.pk)
    )
    with county_context([county]):
        assert not StructureMember.objects.for_county(county).filter(structure=twg).exists()


def test_a_contact_of_another_county_cannot_join(county, neighbour, secretariat):
    twg = factories.StructureFactory(county=county)
    foreign = factories.ContactFactory(county=neighbour)
    with county_context([county]), pytest.raises(Exception, match="another county"):
        services.structure_member_add(structure=twg, actor=secretariat, contact=foreign)


def test_structures_page_and_api_query_counts(
    client, county, neighbour, secretariat, django_assert_max_num_queries
):
    for kind in ("twg", "secretariat", "inception_team"):
        _members(factories.StructureFactory(county=county, kind=kind, cycle="2026/27"), 3)
    factories.StructureFactory(county=neighbour)
    client.force_login(secretariat)
    # session, user, county, savepoint + set_config, membership, structures, members
    # prefetch, sectors without a SWG, the switcher's memberships (+ PostgreSQL's
    # set_config/savepoints): 17 measured on PostgreSQL
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    with django_assert_max_num_queries(18):
        page = client.get(_url("structures", county), {"cycle": "2026/27"})
    assert page.status_code == 200
    api = reverse("api:structures", kwargs={"county_slug": county.slug})
    # session, user, county, savepoint + set_config, membership, count, structures,
    # members prefetch (+ PostgreSQL's set_config/savepoints)
    with django_assert_max_num_queries(13):
        body = client.get(api).json()
    assert body["count"] == 3 and all(len(s["members"]) == 3 for s in body["results"])
