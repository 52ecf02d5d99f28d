"""Meetings and workshops: rules, participation figures, who may do what, the API,
and query counts. Turkana is the neighbour."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from counties import selectors, services
from counties.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Gender,
    Meeting,
    MeetingKind,
    OrganizationCategory,
)
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import CrossCountyError, county_context
from tests import factories

pytestmark = pytest.mark.django_db

F, M = Gender.FEMALE, Gender.MALE


def url(name: str, county, **kwargs) -> str:
    return reverse(f"counties:{name}", kwargs={"county_slug": county.slug, **kwargs})


def api(name: str, county, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs={"county_slug": county.slug, **kwargs})


def later(**delta):
    return timezone.now() + timedelta(**delta)


@pytest.fixture
def meeting(county):
    return factories.MeetingFactory(county=county, title="TWG review")


@pytest.fixture
def department():
    return factories.OrganizationFactory(category=OrganizationCategory.COUNTY_DEPARTMENT)


@pytest.fixture
def engaged(county, department):
    """The department is engaged in the county (it has a contact there)."""
    return factories.ContactFactory(county=county, organization=department, name="Ann Lekupe")


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


def register(meeting, actor, people):
    """people: (name, organization, gender, youth, disability)."""
    with county_context([meeting.county_id]):
        for name, org, gender, youth, disability in people:
            services.attendance_add(
                meeting=meeting,
                actor=actor,
                name=name,
                organization=org,
                gender=gender,
                is_youth=youth,
                has_disability=disability,
            )


# --- rules ---------------------------------------------------------------------------


def create(county, actor, **fields):
    values = {
        "kind": MeetingKind.TWG,
        "title": "TWG meeting",
        "starts_at": later(days=2),
        "venue": "County Hall",
    }
    values.update(fields)
    with county_context([county]):
        return services.meeting_create(county=county, actor=actor, **values)


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


def test_secretariat_schedules_a_meeting_and_it_is_audited(county, secretariat):
    meeting = create(county, secretariat, ends_at=later(days=2, hours=3))
    with county_context([county]):
        assert Meeting.objects.for_county(county).get().created_by == secretariat
        assert AuditEvent.objects.for_county(county).filter(verb="meeting.create").count() == 1
    assert meeting.county == county


def test_a_meeting_must_end_after_it_starts(county, secretariat):
    with pytest.raises(ValidationError) as exc:
        create(county, secretariat, starts_at=later(days=2), ends_at=later(days=1))
    assert "end after it starts" in errors_of(exc)["ends_at"][0]


def test_a_virtual_meeting_needs_its_link(county, secretariat):
    with pytest.raises(ValidationError) as exc:
        create(county, secretariat, venue="", is_virtual=True)
    assert "link" in errors_of(exc)["virtual_link"][0]
    assert create(county, secretariat, venue="", is_virtual=True, virtual_link="https://x.org/m")


def test_an_in_person_meeting_needs_a_venue(county, secretariat):
    with pytest.raises(ValidationError) as exc:
        create(county, secretariat, venue="  ")
    assert "venue" in errors_of(exc)["venue"][0]


def test_a_meeting_cannot_be_convened_by_another_countys_structure(county, neighbour, secretariat):
    from counties.models import CoordinationStructure

    with county_context([neighbour]):
        structure = CoordinationStructure.objects.create(
            county=neighbour, kind="twg", cycle="2025/26", name="Turkana TWG"
        )
    with pytest.raises(CrossCountyError):
        create(county, secretariat, structure=structure)


def test_the_same_person_cannot_be_registered_twice(meeting, secretariat):
    register(meeting, secretariat, [("Ann Lekupe", None, F, False, False)])
    with pytest.raises(ValidationError) as exc:
        register(meeting, secretariat, [("  ann   LEKUPE ", None, F, False, False)])
    assert "already in this meeting's register" in errors_of(exc)["name"][0]


def test_the_same_name_may_attend_another_meeting(county, meeting, secretariat):
    other = factories.MeetingFactory(county=county)
    register(meeting, secretariat, [("Ann Lekupe", None, F, False, False)])
    register(other, secretariat, [("Ann Lekupe", None, F, False, False)])


def test_a_contact_fills_in_the_name_organization_and_position(meeting, secretariat, county):
    contact = factories.ContactFactory(county=county, position="Nurse", gender=F)
    with county_context([county]):
        row = services.attendance_add(meeting=meeting, actor=secretariat, contact=contact)
    assert (row.name, row.organization, row.position, row.gender) == (
        contact.name,
        contact.organization,
        "Nurse",
        F,
    )


def test_another_countys_contact_cannot_be_registered(meeting, secretariat, neighbour):
    contact = factories.ContactFactory(county=neighbour)
    with pytest.raises(CrossCountyError), county_context([meeting.county_id]):
        services.attendance_add(meeting=meeting, actor=secretariat, contact=contact)


def test_an_attendee_needs_a_name_or_a_contact(meeting, secretariat):
    with pytest.raises(ValidationError) as exc:
        register(meeting, secretariat, [("   ", None, F, False, False)])
    assert "name" in errors_of(exc)


def test_an_action_item_needs_a_due_date_and_an_owner(meeting, secretariat):
    with pytest.raises(ValidationError) as exc, county_context([meeting.county_id]):
        services.action_item_add(
            meeting=meeting, actor=secretariat, description="Do it", owner_name="", due_date=None
        )
    assert {"owner_name", "due_date"} <= errors_of(exc).keys()


def test_an_action_items_platform_user_must_be_a_member_of_the_county(
    meeting, secretariat, neighbour_secretariat
):
    with pytest.raises(ValidationError) as exc, county_context([meeting.county_id]):
        services.action_item_add(
            meeting=meeting,
            actor=secretariat,
            description="Do it",
            owner_name="Joseph",
            owner_user=neighbour_secretariat,
            due_date=timezone.localdate(),
        )
    assert "owner_user" in errors_of(exc)


def test_done_records_when_and_reopening_clears_it(meeting, secretariat):
    item = factories.ActionItemFactory(county=meeting.county, meeting=meeting)
    with county_context([meeting.county_id]):
        services.action_item_set_status(action_item=item, actor=secretariat, status="done")
        assert item.completed_at is not None
        services.action_item_set_status(action_item=item, actor=secretariat, status="open")
        assert item.completed_at is None
        with pytest.raises(ValidationError):
            services.action_item_set_status(action_item=item, actor=secretariat, status="later")


def test_an_open_action_past_its_due_date_is_overdue_and_a_done_one_is_not(meeting):
    yesterday = timezone.localdate() - timedelta(days=1)
    late = factories.ActionItemFactory(county=meeting.county, meeting=meeting, due_date=yesterday)
    done = factories.ActionItemFactory(
        county=meeting.county, meeting=meeting, due_date=yesterday, status=ActionStatus.DONE
    )
    assert late.is_overdue and not done.is_overdue


# --- participation figures ------------------------------------------------------------


def test_participation_figures_are_exact(county, meeting, secretariat, department):
    ngo = factories.OrganizationFactory(category=OrganizationCategory.CSO)
    register(
        meeting,
        secretariat,
        [
            ("Ann", department, F, True, False),
            ("Ben", department, M, False, True),
            ("Cate", ngo, F, True, False),
            ("Dan", None, Gender.UNSPECIFIED, False, False),
        ],
    )
    factories.AttendanceFactory(county=county)  # another meeting's register
    with county_context([county]):
        figures = selectors.meeting_participation(county=county, meeting=meeting)
    assert figures.total == 4
    assert (figures.women.count, figures.women.percent) == (2, 50)
    assert (figures.men.count, figures.men.percent) == (1, 25)
    assert (figures.youth.count, figures.youth.percent) == (2, 50)
    assert (figures.disability.count, figures.disability.percent) == (1, 25)
    assert [(s.key, s.label, s.count, s.percent) for s in figures.by_category] == [
        ("county_department", "County department", 2, 50),
        ("cso", "CSO / NGO", 1, 25),
        ("", "No organization recorded", 1, 25),
    ]


def test_percentages_round_half_up(county, meeting, secretariat):
    people = [(f"P{i}", None, F if i < 2 else M, i == 0, False) for i in range(8)]
    register(meeting, secretariat, people[:3])
    with county_context([county]):
        assert selectors.meeting_participation(county=county, meeting=meeting).women.percent == 67
    register(meeting, secretariat, people[3:])
    with county_context([county]):
        figures = selectors.meeting_participation(county=county, meeting=meeting)
    assert (figures.youth.count, figures.youth.percent) == (1, 13)  # 12.5 % → 13 %


def test_a_meeting_without_attendance_has_empty_figures(county, meeting):
    with county_context([county]):
        figures = selectors.meeting_participation(county=county, meeting=meeting)
    assert figures.total == 0 and figures.women.percent == 0 and figures.by_category == []


# --- pages ------------------------------------------------------------------------------


def test_meeting_list_filters_by_kind_and_time(secretariat_client, county, neighbour):
    factories.MeetingFactory(county=county, title="Past TWG", starts_at=later(days=-10))
    factories.MeetingFactory(
        county=county, title="Next workshop", kind="co_creation", starts_at=later(days=7)
    )
    factories.MeetingFactory(county=neighbour, title="Turkana meeting")

    def titles(**query):
        response = secretariat_client.get(url("meetings", county), query)
        assert response.status_code == 200
        return [m.title for m in response.context["page"].object_list]

    assert titles() == ["Next workshop", "Past TWG"]
    assert titles(when="upcoming") == ["Next workshop"]
    assert titles(when="past") == ["Past TWG"]
    assert titles(kind="co_creation") == ["Next workshop"]
    day = timezone.localdate()
    assert titles(after=str(day - timedelta(days=11)), before=str(day)) == ["Past TWG"]
    assert titles(after="not-a-date") == ["Next workshop", "Past TWG"]
    assert (
        b"No meetings match"
        in secretariat_client.get(url("meetings", county), {"kind": "swg"}).content
    )


def test_meeting_list_says_when_there_are_no_meetings(secretariat_client, county):
    response = secretariat_client.get(url("meetings", county))
    assert b"No meetings yet" in response.content


def test_secretariat_schedules_a_meeting_through_the_form(secretariat_client, county):
    response = secretariat_client.post(
        url("meeting_new", county),
        {
            "kind": "inception",
            "title": "Inception meeting",
            "starts_at": "2030-03-03T09:00",
            "ends_at": "2030-03-03T13:00",
            "venue": "Maralal",
            "agenda": "1. Roadmap",
        },
    )
    with county_context([county]):
        meeting = Meeting.objects.for_county(county).get()
    assert response.status_code == 302
    assert response["Location"] == url("meeting", county, meeting_id=meeting.pk)
    assert timezone.localtime(meeting.starts_at).hour == 9  # Africa/Nairobi, as typed


def test_bad_meeting_input_is_shown_next_to_the_field_and_kept(secretariat_client, county):
    response = secretariat_client.post(
        url("meeting_new", county),
        {
            "kind": "twg",
            "title": "Kept title",
            "starts_at": "2030-03-03T09:00",
            "ends_at": "2030-03-03T08:00",
            "venue": "Maralal",
        },
    )
    assert response.status_code == 200
    assert "end after it starts" in response.context["form"].errors["ends_at"][0]
    assert b'value="Kept title"' in response.content
    assert b'id="id_ends_at_errors"' in response.content


def test_secretariat_records_minutes_and_decisions(secretariat_client, county, meeting):
    form = secretariat_client.get(url("meeting_edit", county, meeting_id=meeting.pk))
    assert "minutes" in form.context["form"].fields
    data = {
        "kind": meeting.kind,
        "title": meeting.title,
        "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "venue": meeting.venue,
        "minutes": "We met.",
        "decisions": "1. Adopt the roadmap.",
    }
    response = secretariat_client.post(url("meeting_edit", county, meeting_id=meeting.pk), data)
    assert response.status_code == 302
    factories.refresh(meeting)
    assert (meeting.minutes, meeting.decisions) == ("We met.", "1. Adopt the roadmap.")


def test_secretariat_adds_an_attendee_without_javascript(
    secretariat_client, county, meeting, department, engaged
):
    response = secretariat_client.post(
        url("meeting_attendance_add", county, meeting_id=meeting.pk),
        {"name": "Ann Lekupe", "organization": department.pk, "gender": "female", "is_youth": "on"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#attendance")
    with county_context([county]):
        row = Attendance.objects.for_county(county).get()
    assert (row.name, row.organization, row.is_youth, row.has_disability) == (
        "Ann Lekupe",
        department,
        True,
        False,
    )


def test_htmx_add_returns_the_register_and_updated_figures(
    secretariat_client, county, meeting, secretariat
):
    register(meeting, secretariat, [("Ann", None, F, False, False), ("Ben", None, M, False, False)])
    response = secretariat_client.post(
        url("meeting_attendance_add", county, meeting_id=meeting.pk),
        {"name": "Cate", "gender": "female"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="attendance"')
    assert "<html" not in html
    assert "67%</span> women" in html
    assert "Cate added to the register." in html
    assert 'autofocus id="attendance_name"' in html or 'id="attendance_name" autofocus' in html


def test_htmx_duplicate_keeps_the_input_and_shows_the_error_next_to_the_name(
    secretariat_client, county, meeting, secretariat
):
    register(meeting, secretariat, [("Ann Lekupe", None, F, False, False)])
    response = secretariat_client.post(
        url("meeting_attendance_add", county, meeting_id=meeting.pk),
        {"name": "ann lekupe", "position": "Typed position", "gender": "female"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps 2xx only
    assert 'id="attendance_name_errors"' in html
    assert "already in this meeting&#x27;s register" in html
    assert 'value="Typed position"' in html


def test_bad_attendance_without_javascript_redraws_the_page_with_the_error(
    secretariat_client, county, meeting
):
    response = secretariat_client.post(
        url("meeting_attendance_add", county, meeting_id=meeting.pk),
        {"name": "", "gender": "nonsense"},
    )
    assert response.status_code == 200
    assert "gender" in response.context["attendance_form"].errors
    assert b"<html" in response.content


def test_secretariat_removes_an_attendee(secretariat_client, county, meeting, secretariat):
    register(meeting, secretariat, [("Ann", None, F, False, False)])
    with county_context([county]):
        row = Attendance.objects.for_county(county).get()
    response = secretariat_client.post(
        url("meeting_attendance_remove", county, meeting_id=meeting.pk, attendance_id=row.pk),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert b"No attendance yet" in response.content
    with county_context([county]):
        assert not Attendance.objects.for_county(county).exists()


def test_an_attendee_is_removed_only_through_its_own_meeting(
    secretariat_client, county, meeting, secretariat
):
    other = factories.MeetingFactory(county=county)
    row = factories.AttendanceFactory(county=county, meeting=other)
    response = secretariat_client.post(
        url("meeting_attendance_remove", county, meeting_id=meeting.pk, attendance_id=row.pk)
    )
    assert response.status_code == 404


def test_secretariat_adds_an_action_item_and_changes_its_status(
    secretariat_client, county, meeting, department, engaged, secretariat
):
    response = secretariat_client.post(
        url("meeting_action_add", county, meeting_id=meeting.pk),
        {
            "description": "Circulate the minutes",
            "owner_name": "Ann Lekupe",
            "owner_organization": department.pk,
            "owner_user": secretariat.pk,
            "due_date": str(timezone.localdate() - timedelta(days=1)),
        },
    )
    assert response.status_code == 302
    page = secretariat_client.get(url("meeting", county, meeting_id=meeting.pk))
    assert b"Overdue" in page.content
    with county_context([county]):
        item = ActionItem.objects.for_county(county).get()
    response = secretariat_client.post(
        url("meeting_action_status", county, meeting_id=meeting.pk, action_id=item.pk),
        {"status": "done"},
    )
    assert response.status_code == 302
    assert factories.refresh(item).status == ActionStatus.DONE
    assert (
        b"Overdue"
        not in secretariat_client.get(url("meeting", county, meeting_id=meeting.pk)).content
    )


def test_an_action_item_without_due_date_is_refused_next_to_the_field(
    secretariat_client, county, meeting
):
    response = secretariat_client.post(
        url("meeting_action_add", county, meeting_id=meeting.pk),
        {"description": "Circulate the minutes", "owner_name": "Ann", "due_date": ""},
    )
    assert response.status_code == 200
    assert "due_date" in response.context["action_form"].errors
    assert b'value="Circulate the minutes"' in response.content


def test_the_meeting_page_says_when_nobody_is_registered(secretariat_client, county, meeting):
    response = secretariat_client.get(url("meeting", county, meeting_id=meeting.pk))
    assert b"No attendance yet" in response.content
    assert b"No action items" in response.content


# --- who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.PARTNER, Role.EXECUTIVE])
def test_read_only_roles_read_the_meeting_without_forms(client, county, meeting, make_member, role):
    client.force_login(make_member(county, role))
    response = client.get(url("meeting", county, meeting_id=meeting.pk))
    assert response.status_code == 200
    assert response.context["attendance_form"] is None
    assert response.context["action_form"] is None
    assert b"Add to register" not in response.content


def test_observer_cannot_add_attendance(client, county, meeting, make_member):
    client.force_login(make_member(county, Role.OBSERVER))
    response = client.post(
        url("meeting_attendance_add", county, meeting_id=meeting.pk), {"name": "Ann"}
    )
    assert response.status_code == 403
    with county_context([county]):
        assert not Attendance.objects.for_county(county).exists()


def test_partner_cannot_edit_minutes(client, county, meeting, make_member):
    client.force_login(make_member(county, Role.PARTNER))
    edit = url("meeting_edit", county, meeting_id=meeting.pk)
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"minutes": "Rewritten"}).status_code == 403
    assert factories.refresh(meeting).minutes == ""


@pytest.mark.parametrize(
    "name", ["meeting_new", "meeting_attendance_add", "meeting_action_add", "meeting_action_status"]
)
def test_observer_gets_403_on_every_write(client, county, meeting, make_member, name):
    client.force_login(make_member(county, Role.OBSERVER))
    item = factories.ActionItemFactory(county=county, meeting=meeting)
    kwargs = {} if name == "meeting_new" else {"meeting_id": meeting.pk}
    if name == "meeting_action_status":
        kwargs["action_id"] = item.pk
    assert client.post(url(name, county, **kwargs), {"status": "done"}).status_code == 403


def test_neighbour_county_member_gets_404_for_the_meeting(
    client, county, meeting, neighbour_secretariat
):
    client.force_login(neighbour_secretariat)
    assert client.get(url("meeting", county, meeting_id=meeting.pk)).status_code == 404


def test_this_countys_meeting_is_404_under_the_neighbours_slug(
    client, neighbour, meeting, neighbour_secretariat
):
    client.force_login(neighbour_secretariat)
    assert client.get(url("meeting", neighbour, meeting_id=meeting.pk)).status_code == 404


# --- API ---------------------------------------------------------------------------------


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return json.loads(response.content)


def test_api_lists_the_countys_meetings_with_filters(client, county, neighbour, make_member):
    client.force_login(make_member(county, Role.OBSERVER))
    past = factories.MeetingFactory(county=county, title="Past", starts_at=later(days=-10))
    factories.AttendanceFactory(county=county, meeting=past)
    factories.MeetingFactory(
        county=county, title="Next", kind="co_creation", starts_at=later(days=7)
    )
    factories.MeetingFactory(county=neighbour, title="Turkana")

    def titles(**query):
        response = client.get(api("meetings", county), query)
        assert response.status_code == 200, response.content
        return [m["title"] for m in response.json()["results"]]

    assert titles() == ["Next", "Past"]
    assert titles(kind="co_creation") == ["Next"]
    assert titles(before=str(timezone.localdate())) == ["Past"]
    assert titles(after=str(timezone.localdate())) == ["Next"]
    first = client.get(api("meetings", county), {"kind": "twg"}).json()["results"][0]
    assert first["attendee_count"] == 1
    assert_problem(client.get(api("meetings", county), {"after": "soon"}), 400)


def test_api_meeting_detail_has_figures_and_action_items_but_no_names(
    client, county, meeting, secretariat, department
):
    client.force_login(secretariat)
    register(
        meeting,
        secretariat,
        [("Annzqx", department, F, True, False), ("Benzqx", department, M, False, False)],
    )
    register(meeting, secretariat, [("Catezqx", None, F, False, True)])
    factories.ActionItemFactory(county=county, meeting=meeting, description="Circulate minutes")
    body = client.get(api("meeting", county, meeting_id=meeting.pk)).json()
    assert body["participation"]["total"] == 3
    assert body["participation"]["women"] == {"count": 2, "percent": 67}
    assert body["participation"]["youth"] == {"count": 1, "percent": 33}
    assert body["participation"]["persons_with_disability"] == {"count": 1, "percent": 33}
    assert body["participation"]["by_category"][0] == {
        "category": "county_department",
        "label": "County department",
        "count": 2,
        "percent": 67,
    }
    assert [a["description"] for a in body["action_items"]] == ["Circulate minutes"]
    # Names no generated one contains (a factory's "Ann Schaefer" owned an action item once).
    assert "zqx" not in json.dumps(body)


def test_api_meeting_of_another_county_is_a_404_problem(
    client, county, meeting, neighbour, neighbour_secretariat
):
    client.force_login(neighbour_secretariat)
    assert_problem(client.get(api("meeting", county, meeting_id=meeting.pk)), 404)
    assert_problem(client.get(api("meeting", neighbour, meeting_id=meeting.pk)), 404)
    assert_problem(client.get(api("meetings", county)), 404)


# --- query counts -------------------------------------------------------------------------


@pytest.fixture
def three_meetings(county, neighbour, secretariat, department, engaged):
    """3 meetings, each with 3 attendees and 3 action items; the neighbour has one too."""
    meetings = []
    for i in range(3):
        m = factories.MeetingFactory(county=county, starts_at=later(days=i - 1))
        register(
            m,
            secretariat,
            [
                (f"P{i}{j}", department if j else None, F if j else M, j == 1, False)
                for j in range(3)
            ],
        )
        for _ in range(3):
            factories.ActionItemFactory(
                county=county, meeting=m, owner_organization=department, owner_user=secretariat
            )
        meetings.append(m)
    other = factories.MeetingFactory(county=neighbour)
    factories.AttendanceFactory(county=neighbour, meeting=other)
    return meetings


def test_meeting_list_query_count(
    secretariat_client, county, three_meetings, django_assert_max_num_queries
):
    # 16 queries (PostgreSQL; 13 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, COUNT meetings, switcher
    # savepoint, set_config user_id, my memberships, release, page of meetings (structure
    # joined, attendees and open actions counted), set_config reset, 2 releases
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    with django_assert_max_num_queries(17):
        response = secretariat_client.get(url("meetings", county))
    assert len(response.context["page"].object_list) == 3


def test_meeting_page_query_count(
    secretariat_client, county, three_meetings, django_assert_max_num_queries
):
    meeting = three_meetings[0]
    # 23 queries (PostgreSQL; 20 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, the meeting (county, structure
    # joined), figures aggregate, turnout by category, switcher savepoint, set_config
    # user_id, my memberships, release, register (organizations joined), attendance form's
    # contacts and organizations, action items (organization, user joined), action form's
    # organizations and users, set_config reset, 2 releases
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    with django_assert_max_num_queries(24):
        response = secretariat_client.get(url("meeting", county, meeting_id=meeting.pk))
    assert response.status_code == 200
    assert len(response.context["attendance"]) == 3
    assert len(response.context["action_items"]) == 3


def test_htmx_register_query_count(
    secretariat_client, county, three_meetings, django_assert_max_num_queries
):
    meeting = three_meetings[0]
    # 25 queries (PostgreSQL; 22 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, the meeting, service savepoint,
    # duplicate check, insert, audit insert, release, figures aggregate, turnout by
    # category, switcher savepoint, set_config user_id, my memberships, release (the
    # context processor runs for the partial too), register, the form's contacts and
    # organizations, set_config reset, 2 releases
    with django_assert_max_num_queries(25):
        response = secretariat_client.post(
            url("meeting_attendance_add", county, meeting_id=meeting.pk),
            {"name": "New person", "gender": "male"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    assert len(response.context["attendance"]) == 4


def test_api_meeting_list_query_count(
    secretariat_client, county, three_meetings, django_assert_max_num_queries
):
    # 12 queries (PostgreSQL; 10 on SQLite): request savepoint, county, context savepoint,
    # set_config county_ids, session, user, membership, COUNT, the page of meetings (counts
    # annotated), set_config reset, 2 releases
    with django_assert_max_num_queries(12):
        response = secretariat_client.get(api("meetings", county))
    assert response.json()["count"] == 3


def test_api_meeting_detail_query_count(
    secretariat_client, county, three_meetings, django_assert_max_num_queries
):
    # 14 queries (PostgreSQL; 12 on SQLite): request savepoint, county, context savepoint,
    # set_config county_ids, session, user, membership, the meeting (counts annotated),
    # figures aggregate, turnout by category, action items, set_config reset, 2 releases
    with django_assert_max_num_queries(14):
        response = secretariat_client.get(api("meeting", county, meeting_id=three_meetings[0].pk))
    assert len(response.json()["action_items"]) == 3


# --- demo data ----------------------------------------------------------------------------


def test_demo_has_held_and_upcoming_meetings_with_attendance_and_an_overdue_action(
    county, neighbour
):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    with county_context([county, neighbour]):
        samburu = selectors.county_meetings(county=county)
        assert {m.kind for m in samburu} == {"inception", "co_creation", "twg"}
        assert selectors.county_meetings(county=county, when="upcoming").get().kind == "twg"
        workshop = samburu.get(kind="co_creation")
        figures = selectors.meeting_participation(county=county, meeting=workshop)
        assert 15 <= figures.total <= 25
        assert figures.women.count and figures.youth.count and figures.disability.count
        assert len(figures.by_category) >= 4
        items = list(ActionItem.objects.for_county(county))
        assert any(i.status == ActionStatus.DONE for i in items)
        assert sum(i.is_overdue for i in items) == 1
        assert selectors.county_meetings(county=neighbour).count() == 1
