"""Contacts: personal data of a county, with its lawful basis, subject access and erasure."""

import csv
import io
import json
from datetime import date

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from counties import services
from counties.models import (
    Attendance,
    Contact,
    Level,
    Nomination,
    NominationStatus,
    Stakeholder,
    StructureKind,
    StructureMember,
)
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import CountyOwned, county_context
from tests import factories

pytestmark = pytest.mark.django_db


def _url(name, county, **kwargs):
    return reverse(f"counties:{name}", kwargs={"county_slug": county.slug, **kwargs})


def _contact_form(organization, **overrides):
    data = {
        "organization": organization.pk,
        "name": "Esther Lenolkirna",
        "position": "Programme Officer",
        "email": "esther@example.org",
        "phone": "+254 700 000 001",
        "gender": "female",
        "lawful_basis": "legitimate_interest",
        "consent_recorded_at": "",
        "consent_note": "",
    }
    return {**data, **overrides}


def _contacts(county):
    with county_context([county]):
        return list(Contact.objects.for_county(county))


# --- list, create, edit -------------------------------------------------------


def test_every_member_of_the_county_reads_contacts(client, county, make_member):
    contact = factories.ContactFactory(county=county, name="Daniel Lopeyok")
    for role in Role.values:
        client.force_login(make_member(county, role))
        assert b"Daniel Lopeyok" in client.get(_url("contacts", county)).content
        assert client.get(_url("contact", county, contact_id=contact.pk)).status_code == 200


def test_contact_list_filters_by_organization_lawful_basis_and_search(client, county, secretariat):
    red_cross = factories.OrganizationFactory(name="Kenya Red Cross")
    factories.ContactFactory(county=county, name="Faith Naingisa", organization=red_cross)
    factories.ContactFactory(
        county=county,
        name="Moses Lotiir",
        lawful_basis="consent",
        consent_recorded_at=timezone.now(),
        consent_note="Signed form",
    )
    client.force_login(secretariat)
    by_org = client.get(_url("contacts", county), {"organization": red_cross.pk}).content
    assert b"Faith Naingisa" in by_org and b"Moses Lotiir" not in by_org
    by_basis = client.get(_url("contacts", county), {"lawful_basis": "consent"}).content
    assert b"Moses Lotiir" in by_basis and b"Faith Naingisa" not in by_basis
    searched = client.get(_url("contacts", county), {"q": "lotiir"}).content
    assert b"Moses Lotiir" in searched and b"Faith Naingisa" not in searched
    assert b"No contacts match" in client.get(_url("contacts", county), {"q": "zzz"}).content


def test_contact_list_has_an_empty_state(client, county, secretariat):
    client.force_login(secretariat)
    assert b"No contacts yet" in client.get(_url("contacts", county)).content


def test_secretariat_adds_a_contact_and_it_is_audited(client, county, secretariat):
    organization = factories.StakeholderFactory(county=county).organization
    client.force_login(secretariat)
    response = client.post(_url("contact_new", county), _contact_form(organization))
    assert response.status_code == 302
    (contact,) = _contacts(county)
    assert (contact.name, contact.lawful_basis) == ("Esther Lenolkirna", "legitimate_interest")
    with county_context([county]):
        event = AuditEvent.objects.for_county(county).get(verb="contact.create")
    assert event.target_id == str(contact.pk)


def test_consent_basis_needs_a_date_and_a_note_next_to_the_fields(client, county, secretariat):
    organization = factories.OrganizationFactory()
    client.force_login(secretariat)
    response = client.post(
        _url("contact_new", county), _contact_form(organization, lawful_basis="consent")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["consent_recorded_at"] == ["Consent needs the date the person agreed."]
    assert form.errors["consent_note"] == ["Say how the person gave consent (e.g. signed form)."]
    # With consent chosen, the two fields no longer say "(optional)".
    assert form.fields["consent_recorded_at"].required and form.fields["consent_note"].required
    assert b'value="Esther Lenolkirna"' in response.content  # what was typed is kept
    assert _contacts(county) == []


def test_consent_date_may_not_be_in_the_future(client, county, secretariat):
    organization = factories.OrganizationFactory()
    client.force_login(secretariat)
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    response = client.post(
        _url("contact_new", county),
        _contact_form(
            organization, lawful_basis="consent", consent_recorded_at=tomorrow, consent_note="x"
        ),
    )
    assert "consent_recorded_at" in response.context["form"].errors


def test_consent_with_date_and_note_is_saved(client, county, secretariat):
    organization = factories.StakeholderFactory(county=county).organization
    client.force_login(secretariat)
    response = client.post(
        _url("contact_new", county),
        _contact_form(
            organization,
            lawful_basis="consent",
            consent_recorded_at="2025-03-03",
            consent_note="Signed the attendance form",
        ),
    )
    assert response.status_code == 302
    (contact,) = _contacts(county)
    assert timezone.localdate(contact.consent_recorded_at) == date(2025, 3, 3)
    # Editing shows the date as it was entered (Nairobi time, not UTC).
    page = client.get(_url("contact_edit", county, contact_id=contact.pk)).content
    assert b'value="2025-03-03"' in page


def test_the_service_refuses_consent_without_a_date(county, secretariat):
    from django.core.exceptions import ValidationError

    with county_context([county]), pytest.raises(ValidationError) as exc:
        services.contact_save(
            county=county,
            actor=secretariat,
            organization=factories.OrganizationFactory(),
            name="A Person",
            lawful_basis="consent",
        )
    assert "consent_recorded_at" in exc.value.error_dict


def test_another_basis_clears_the_consent_fields(county, secretariat):
    contact = factories.ContactFactory(
        county=county,
        lawful_basis="consent",
        consent_recorded_at=timezone.now(),
        consent_note="E-mail of 3 March",
    )
    with county_context([county]):
        services.contact_save(
            county=county, actor=secretariat, contact=contact, lawful_basis="public_task"
        )
    factories.refresh(contact)
    assert (contact.consent_recorded_at, contact.consent_note) == (None, "")


def test_partner_adds_and_edits_contacts_of_its_own_organization(client, county, make_member):
    partner = factories.MembershipFactory(county=county, role=Role.PARTNER)
    own = partner.organization
    client.force_login(partner.user)
    response = client.post(_url("contact_new", county), _contact_form(own))
    assert response.status_code == 302
    (contact,) = _contacts(county)
    response = client.post(
        _url("contact_edit", county, contact_id=contact.pk),
        _contact_form(own, position="Chief of Party"),
    )
    assert response.status_code == 302
    assert factories.refresh(contact).position == "Chief of Party"


def test_partner_cannot_edit_other_organizations_contact(client, county, make_member):
    partner = factories.MembershipFactory(county=county, role=Role.PARTNER)
    other = factories.ContactFactory(county=county, name="Ruth Letoiye")
    client.force_login(partner.user)
    url = _url("contact_edit", county, contact_id=other.pk)
    assert client.get(url).status_code == 403
    response = client.post(url, _contact_form(other.organization, name="Hijacked"))
    assert response.status_code == 403
    assert factories.refresh(other).name == "Ruth Letoiye"


def test_partner_cannot_file_a_contact_under_another_organization(client, county):
    partner = factories.MembershipFactory(county=county, role=Role.PARTNER)
    other = factories.OrganizationFactory()
    client.force_login(partner.user)
    response = client.post(_url("contact_new", county), _contact_form(other))
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert _contacts(county) == []


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.EXECUTIVE, Role.ASSEMBLY, Role.SECTOR_LEAD])
def test_read_only_roles_cannot_add_or_edit_contacts(client, county, make_member, role):
    contact = factories.ContactFactory(county=county)
    client.force_login(make_member(county, role))
    assert client.get(_url("contact_new", county)).status_code == 403
    assert client.get(_url("contact_edit", county, contact_id=contact.pk)).status_code == 403


@pytest.mark.parametrize("role", [Role.PARTNER, Role.OBSERVER, Role.EXECUTIVE])
def test_only_the_secretariat_exports_or_erases(client, county, make_member, role):
    membership = factories.MembershipFactory(county=county, role=role)
    contact = factories.ContactFactory(
        county=county, organization=membership.organization or factories.OrganizationFactory()
    )
    client.force_login(membership.user)
    for name in ("contact_export_json", "contact_export_csv", "contact_erase"):
        assert client.get(_url(name, county, contact_id=contact.pk)).status_code == 403
    assert client.post(_url("contact_erase", county, contact_id=contact.pk)).status_code == 403
    assert _contacts(county) == [contact]


def test_neighbour_county_gets_404_for_contacts(client, county, neighbour, neighbour_secretariat):
    contact = factories.ContactFactory(county=county)
    client.force_login(neighbour_secretariat)
    for name in ("contact", "contact_edit", "contact_export_json", "contact_erase"):
        assert client.get(_url(name, county, contact_id=contact.pk)).status_code == 404
        assert client.get(_url(name, neighbour, contact_id=contact.pk)).status_code == 404
    # The neighbour's own list does not show this county's contact.
    assert contact.name.encode() not in client.get(_url("contacts", neighbour)).content


# --- subject access and erasure -------------------------------------------------


@pytest.fixture
def person(county, neighbour, secretariat):
    """A contact who appears everywhere a county can hold a person, plus a namesake
    in the neighbour county (whose data must survive an erasure here)."""
    name, email = "Josephine Lekupe", "josephine.lekupe@example.org"
    organization = factories.OrganizationFactory(name="Samburu Women Trust")
    with county_context([county]):
        contact = services.contact_save(
            county=county,
            actor=secretariat,
            organization=organization,
            name=name,
            position="Chairperson",
            email=email,
            phone="+254 711 222 333",
            gender="female",
            lawful_basis="consent",
            consent_recorded_at=timezone.now(),
            consent_note="Signed the stakeholder forum register",
        )
        stakeholder = Stakeholder.objects.create(
            county=county,
            organization=organization,
            interest=Level.HIGH,
            influence=Level.MEDIUM,
            key_contact=contact,
        )
        structure = services.structure_save(
            county=county, actor=secretariat, kind=StructureKind.TWG, cycle="2025/26"
        )
        services.structure_member_add(
            structure=structure, actor=secretariat, contact=contact, position="Member"
        )
        nomination = services.nomination_invite(
            structure=structure,
            actor=secretariat,
            organization=organization,
            due_date=timezone.localdate() + timezone.timedelta(days=10),
        )
        services.nomination_nominate(nomination=nomination, actor=secretariat, nominee=contact)
    meeting = factories.MeetingFactory(county=county, title="Inception meeting")
    attendance = factories.AttendanceFactory(
        county=county,
        meeting=meeting,
        contact=contact,
        name=name,
        position="Chairperson",
        organization=organization,
        gender="female",
        is_youth=True,
        has_disability=True,
    )
    namesake = factories.ContactFactory(county=neighbour, name=name, email=email)
    return {
        "contact": contact,
        "stakeholder": stakeholder,
        "nomination": nomination,
        "attendance": attendance,
        "namesake": namesake,
        "name": name,
        "email": email,
    }


def test_export_json_holds_everything_about_the_person(client, county, secretariat, person):
    contact = person["contact"]
    client.force_login(secretariat)
    response = client.get(_url("contact_export_json", county, contact_id=contact.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("application/json")
    record = json.loads(response.content)
    assert record["contact"]["email"] == person["email"]
    assert record["contact"]["lawful_basis"] == "Consent of the person"
    assert record["contact"]["consent_note"] == "Signed the stakeholder forum register"
    assert [s["organization"] for s in record["stakeholder_key_contact"]] == ["Samburu Women Trust"]
    assert len(record["structure_memberships"]) == 1
    assert record["nominations"][0]["status"] == "Nominated"
    assert record["attendance"][0]["meeting"] == "Inception meeting"
    verbs = {e["action"] for e in record["audit_events"]}
    assert {"contact.create", "contact.export"} <= verbs
    with county_context([county]):
        assert AuditEvent.objects.for_county(county).filter(verb="contact.export").count() == 1


def test_export_csv_is_a_download_of_the_same_record(client, county, secretariat, person):
    contact = person["contact"]
    client.force_login(secretariat)
    response = client.get(_url("contact_export_csv", county, contact_id=contact.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="contact-{contact.pk}-{county.slug}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "item", "field", "value"]
    assert ["contact", "1", "email", person["email"]] in rows
    assert ["attendance", "1", "meeting", "Inception meeting"] in rows
    assert any(r[0] == "nominations" for r in rows)


def _text_fields(model):
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
        and not f.is_relation
    ]


def _where_it_appears(county, needle: str) -> list[str]:
    """Every text column of every county-owned model of the county holding ``needle``."""
    found = []
    with county_context([county]):
        for model in apps.get_models():
            if not issubclass(model, CountyOwned):
                continue
            for name in _text_fields(model):
                qs = model.objects.for_county(county).filter(**{f"{name}__icontains": needle})
                found += [
                    f"{model._meta.label}.{name}#{pk}" for pk in qs.values_list("pk", flat=True)
                ]
    return found


def test_erasure_removes_the_persons_data_everywhere_it_appeared(
    client, county, neighbour, secretariat, person
):
    contact = person["contact"]
    client.force_login(secretariat)
    client.get(_url("contact_export_json", county, contact_id=contact.pk))  # audited too
    assert _where_it_appears(county, person["name"])  # the check can find them

    confirm = client.get(_url("contact_erase", county, contact_id=contact.pk))
    assert confirm.status_code == 200 and b"Erase this person" in confirm.content
    response = client.post(_url("contact_erase", county, contact_id=contact.pk))
    assert response.status_code == 302

    for needle in (person["name"], person["email"], "711 222 333"):
        assert _where_it_appears(county, needle) == [], needle
    with county_context([county]):
        assert not Contact.objects.for_county(county).filter(pk=contact.pk).exists()
        line = Attendance.objects.for_county(county).get(pk=person["attendance"].pk)
        stakeholder = Stakeholder.objects.for_county(county).get(pk=person["stakeholder"].pk)
        nomination = Nomination.objects.for_county(county).get(pk=person["nomination"].pk)
        members = StructureMember.objects.for_county(county).filter(contact__isnull=False)
        erase = AuditEvent.objects.for_county(county).get(verb="contact.erase")
        scrubbed = AuditEvent.objects.for_county(county).filter(
            target_type="counties.contact", target_id=str(contact.pk)
        )
        summaries = set(scrubbed.values_list("summary", flat=True))
    # Participation figures stay true: the line keeps gender, youth and disability.
    assert (line.name, line.position, line.contact_id) == ("Erased person", "", None)
    assert (line.gender, line.is_youth, line.has_disability) == ("female", True, True)
    assert stakeholder.key_contact_id is None
    assert nomination.nominee_id is None and nomination.status == NominationStatus.NOMINATED
    assert not members.exists()
    assert summaries == {"Contact record erased on request"}
    assert erase.data["former_contact_id"] == contact.pk
    assert erase.data["attendance_anonymised"] == 1
    assert erase.data["structure_memberships_deleted"] == 1
    # The namesake in the neighbour county is another county's data: untouched.
    assert factories.refresh(person["namesake"]).name == person["name"]


def test_erase_needs_a_post(client, county, secretariat):
    contact = factories.ContactFactory(county=county)
    client.force_login(secretariat)
    client.get(_url("contact_erase", county, contact_id=contact.pk))
    assert _contacts(county) == [contact]


def test_erasure_scrubs_mentions_in_other_audit_events(county, secretariat):
    from jwp import audit

    contact = factories.ContactFactory(county=county, name="Paul Akiru", email="p@example.org")
    with county_context([county]):
        event = audit.record(
            county=county,
            actor=secretariat,
            verb="meeting.attendance_add",
            summary="Added Paul Akiru to the register",
            data={"who": "paul akiru", "mail": "P@example.org"},
        )
        services.contact_erase(county=county, actor=secretariat, contact=contact)
        event.refresh_from_db()
    assert event.summary == "Added Erased person to the register"
    assert event.data == {"who": "Erased person", "mail": "Erased person"}


def test_contact_detail_shows_where_the_person_appears(client, county, secretariat, person):
    client.force_login(secretariat)
    page = client.get(_url("contact", county, contact_id=person["contact"].pk)).content.decode()
    assert "1 structure membership" in page and "1 attendance line" in page
    assert "Export all data (JSON)" in page


# --- query counts -------------------------------------------------------------


def _add_contacts(county, n: int) -> None:
    for i in range(n):
        factories.ContactFactory(
            county=county,
            lawful_basis="consent" if i % 2 else "public_task",
            consent_recorded_at=timezone.now() if i % 2 else None,
            consent_note="Signed form" if i % 2 else "",
        )


def test_contact_list_query_count(
    client, county, neighbour, secretariat, django_assert_max_num_queries
):
    _add_contacts(county, 3)
    _add_contacts(neighbour, 3)
    client.force_login(secretariat)
    # 17 queries (PostgreSQL; 14 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, COUNT contacts, switcher
    # savepoint, set_config user_id, my memberships, release, the organization filter's
    # choices, page of contacts with their organizations, set_config reset, 2 releases
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    with django_assert_max_num_queries(18):
        response = client.get(_url("contacts", county))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3


def test_more_contacts_add_no_queries_to_the_contact_list(
    client, county, secretariat, django_assert_max_num_queries
):
    client.force_login(secretariat)
    counts = []
    for n in (3, 7):
        _add_contacts(county, n)
        with django_assert_max_num_queries(100) as captured:
            client.get(_url("contacts", county))
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_erasure_also_anonymises_lines_typed_with_the_name(county, secretariat):
    from counties.models import ActionItem, Attendance

    contact = factories.ContactFactory(county=county, name="Grace Lekishon")
    meeting = factories.MeetingFactory(county=county)
    typed = factories.AttendanceFactory(
        county=county, meeting=meeting, name="grace lekishon", gender="female"
    )
    action = factories.ActionItemFactory(
        county=county, meeting=meeting, owner_name="Grace Lekishon"
    )
    with county_context([county]):
        counts = services.contact_erase(county=county, actor=secretariat, contact=contact)
        typed = Attendance.objects.for_county(county).get(pk=typed.pk)
        action = ActionItem.objects.for_county(county).get(pk=action.pk)
    assert counts["attendance_by_name_anonymised"] == 1
    assert counts["action_owners_anonymised"] == 1
    assert "Grace" not in typed.name and typed.gender == "female"
    assert "Grace" not in action.owner_name


def test_a_contact_cannot_be_filed_under_an_organization_picked_by_raw_id(
    client, county, neighbour, secretariat
):
    """Issue 13, M1: the pick list takes the county's organizations, or one found by
    search; never another county's by its id alone."""
    theirs = factories.StakeholderFactory(county=neighbour).organization
    client.force_login(secretariat)
    response = client.post(_url("contact_new", county), _contact_form(theirs))
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not _contacts(county)
