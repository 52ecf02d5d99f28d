"""Pause and reflect, learning briefs and joint monitoring visits through the pages:
permissions, validation, the county's wards only, and constant query counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counties.models import Ward
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from learning import services
from learning.models import (
    LearningQuestion,
    MonitoringVisit,
    PauseAndReflect,
    VisitFinding,
    VisitOrganization,
    VisitSector,
    VisitWard,
)
from tests import factories

pytestmark = pytest.mark.django_db


def wards_of(county, n=2):
    return list(Ward.objects.filter(county=county).order_by("code")[:n])


# --- pause and reflect ----------------------------------------------------------------------


def test_a_session_is_recorded_with_participants_and_several_answers_per_question(
    client, county, plan, secretariat, make_member, membership_of
):
    client.force_login(secretariat)
    # In the county's register: pick lists accept engaged (or searched) organizations.
    org = factories.StakeholderFactory(county=county).organization
    member = membership_of(make_member(county, Role.PARTNER), county)
    response = client.post(
        reverse("learning:sessions", args=[county.slug, plan.pk]),
        {
            "title": "Mid-year pause and reflect",
            "held_on": "2025-01-15",
            "facilitator": "TWG chair",
            "organizations": [org.pk],
            "members": [member.pk],
            "other_participants": "Ward administrator, Waso",
            "participant_count": "23",
        },
    )
    assert response.status_code == 302
    with county_context([county]):
        session = PauseAndReflect.objects.for_county(county).get()
        assert list(session.organizations.all()) == [org] and list(session.members.all()) == [
            member
        ]
    url = reverse("learning:answer_add", args=[county.slug, session.pk])
    for text in ("Early communication", "CEC involvement"):
        client.post(url, {"question": LearningQuestion.WORKED_WELL, "text": text})
    client.post(url, {"question": LearningQuestion.CAN_IMPROVE, "text": "Align calendars"})
    body = client.get(reverse("learning:session", args=[county.slug, session.pk])).content.decode()
    assert "Early communication" in body and "CEC involvement" in body and "Align calendars" in body
    assert "What didn&#x27;t work?" in body and "No answer recorded." in body
    response = client.post(
        url, {"question": LearningQuestion.DID_NOT_WORK, "text": " "}, follow=True
    )
    assert (
        "Write the answer." in response.content.decode()
        or "This field is required." in response.content.decode()
    )


def test_a_session_needs_a_focus_and_a_facilitator(client, county, plan, secretariat):
    client.force_login(secretariat)
    body = client.post(
        reverse("learning:sessions", args=[county.slug, plan.pk]), {"held_on": "2025-01-15"}
    ).content.decode()
    assert body.count("This field is required.") == 2


def test_only_the_secretariat_records_sessions_and_answers(client, county, plan, make_member):
    session = factories.PauseAndReflectFactory(county=county, plan=plan)
    for role in (Role.PARTNER, Role.SECTOR_LEAD, Role.OBSERVER):
        client.force_login(make_member(county, role))
        assert (
            client.get(reverse("learning:session", args=[county.slug, session.pk])).status_code
            == 200
        )
        url = reverse("learning:answer_add", args=[county.slug, session.pk])
        assert client.post(url, {"question": "worked_well", "text": "x"}).status_code == 403


# --- learning briefs ----------------------------------------------------------------------------


def test_a_brief_presents_its_lessons_in_the_chosen_order_and_is_printable(
    client, county, plan, secretariat, make_member
):
    a, _b, c = (
        factories.LessonFactory(county=county, plan=plan, title=t)
        for t in ("Alpha", "Bravo", "Charlie")
    )
    client.force_login(secretariat)
    response = client.post(
        reverse("learning:briefs", args=[county.slug, plan.pk]),
        {
            "title": "JWP learning brief 2024/25",
            "summary": "What we learned",
            "lessons": [a.pk, c.pk],
            f"order-{a.pk}": "2",
            f"order-{c.pk}": "1",
        },
    )
    assert response.status_code == 302
    with county_context([county]):
        from learning.models import LearningBrief

        brief = LearningBrief.objects.for_county(county).get()
        assert [e.lesson.title for e in brief.entries.select_related("lesson")] == [
            "Charlie",
            "Alpha",
        ]
    print_url = reverse("learning:brief_print", args=[county.slug, brief.pk])
    body = client.get(print_url).content.decode()
    assert (
        body.index("1. Charlie") < body.index("2. Alpha")
        and "Bravo" not in body
        and "DRAFT" in body
    )
    # drafts are the secretariat's; published briefs are everyone's
    client.force_login(make_member(county, Role.OBSERVER))
    assert client.get(print_url).status_code == 403
    assert (
        "JWP learning brief"
        not in client.get(reverse("learning:briefs", args=[county.slug, plan.pk])).content.decode()
    )
    client.force_login(secretariat)
    client.post(
        reverse("learning:brief_status", args=[county.slug, brief.pk]),
        {"status": "published", "row_version": 1},
    )
    client.force_login(make_member(county, Role.OBSERVER))
    body = client.get(print_url).content.decode()
    assert "DRAFT" not in body and "Published" in body


def test_a_brief_needs_lessons(county, plan, sec):
    with county_context([county]), pytest.raises(ValidationError) as exc:
        services.brief_save(membership=sec, plan=plan, title="T", summary="S", lessons=[])
    assert "Choose at least one lesson for the brief." in exc.value.messages


# --- joint monitoring visits ----------------------------------------------------------


def test_a_visit_takes_only_the_countys_wards(client, county, neighbour, plan, secretariat, sec):
    client.force_login(secretariat)
    url = reverse("learning:visits", args=[county.slug, plan.pk])
    data = {
        "title": "Borehole visit",
        "visited_on": "2025-02-01",
        "wards": [wards_of(neighbour, 1)[0].pk],
    }
    body = client.post(url, data).content.decode()
    assert "Select a valid choice" in body
    data["wards"] = [w.pk for w in wards_of(county)]
    assert client.post(url, data).status_code == 302
    with county_context([county]):
        visit = MonitoringVisit.objects.for_county(county).get()
        assert set(visit.wards.all()) == set(wards_of(county))
    with county_context([county]), pytest.raises(ValidationError):
        services.visit_save(
            membership=sec,
            plan=plan,
            visit=visit,
            title="x",
            visited_on=datetime.date(2025, 2, 1),
            wards=wards_of(neighbour, 1),
        )


def test_participants_add_findings_others_cannot(client, county, plan, make_member, membership_of):
    visit = factories.MonitoringVisitFactory(county=county, plan=plan)
    partner = make_member(county, Role.PARTNER)
    lead = make_member(county, Role.SECTOR_LEAD)
    with county_context([county]):
        VisitOrganization.objects.create(
            county=county, visit=visit, organization=membership_of(partner, county).organization
        )
        VisitSector.objects.create(
            county=county, visit=visit, sector=membership_of(lead, county).sector
        )
    url = reverse("learning:finding_add", args=[county.slug, visit.pk])
    for user in (partner, lead):
        client.force_login(user)
        assert client.post(url, {"text": f"Finding by {user.pk}"}).status_code == 302
    for role in (Role.PARTNER, Role.SECTOR_LEAD, Role.OBSERVER, Role.EXECUTIVE):
        client.force_login(make_member(county, role))
        assert client.post(url, {"text": "not mine"}).status_code == 403
    with county_context([county]):
        assert VisitFinding.objects.for_county(county).filter(visit=visit).count() == 2
        assert (
            AuditEvent.objects.for_county(county).filter(verb="learning.visit.finding").count() == 2
        )


def test_follow_up_actions_are_the_secretariats_and_overdue_shows(
    client, county, plan, secretariat, make_member
):
    visit = factories.MonitoringVisitFactory(county=county, plan=plan)
    client.force_login(make_member(county, Role.PARTNER))
    url = reverse("learning:action_add", args=[county.slug, visit.pk])
    data = {"action": "Fix the pump", "responsible": "Water dept", "due_date": "2020-01-31"}
    assert client.post(url, data).status_code == 403
    client.force_login(secretariat)
    assert client.post(url, data).status_code == 302
    body = client.get(reverse("learning:visit", args=[county.slug, visit.pk])).content.decode()
    assert "Fix the pump" in body and "Overdue" in body


def add_visits(county, plan, n):
    wards = wards_of(county, 3)
    orgs = [factories.OrganizationFactory() for _ in range(2)]
    for _ in range(n):
        visit = factories.MonitoringVisitFactory(county=county, plan=plan)
        factories.VisitPhotoFactory(county=county, visit=visit)
        factories.VisitActionFactory(county=county, visit=visit)
        with county_context([county]):
            VisitFinding.objects.create(county=county, visit=visit, text="f")
            for w in wards:
                VisitWard.objects.create(county=county, visit=visit, ward=w)
            for o in orgs:
                VisitOrganization.objects.create(county=county, visit=visit, organization=o)


def test_the_visits_list_has_a_constant_number_of_queries(
    client, county, neighbour, plan, make_member
):
    add_visits(neighbour, factories.JointWorkPlanFactory(county=neighbour), 2)
    client.force_login(make_member(county, Role.OBSERVER))
    url = reverse("learning:visits", args=[county.slug, plan.pk])
    add_visits(county, plan, 3)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    add_visits(county, plan, 7)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url)
    body = response.content.decode()
    assert body.count("Joint monitoring visit ") >= 10
    assert len(three) == len(ten), [q["sql"] for q in ten.captured_queries]
    if connection.vendor == "postgresql":
        # 3 savepoints and 3 releases, session, user, county, set_config(county) and its
        # reset, membership, plan, visit count (paginator), set_config(user) once or twice, my
        # memberships, notification count, the filter form's wards and sectors, the page of
        # visits (with photo, finding and open-action counts), their wards, their organizations.
        assert len(ten) <= 23, "\n".join(q["sql"][:150] for q in ten.captured_queries)


def test_the_learning_tab_is_on_the_plan_strip(client, county, plan, make_member):
    client.force_login(make_member(county, Role.OBSERVER))
    body = client.get(reverse("monitoring:plan", args=[county.slug, plan.pk])).content.decode()
    assert reverse("learning:plan", args=[county.slug, plan.pk]) in body


def test_empty_states_say_what_to_do(client, county, plan, make_member):
    client.force_login(make_member(county, Role.OBSERVER))
    for name, text in [
        ("sessions", "No pause and reflect sessions yet"),
        ("plan_lessons", "No lessons yet"),
        ("briefs", "Briefs appear here once the secretariat publishes them."),
        ("visits", "No joint monitoring visits yet"),
        ("evaluations", "No evaluations yet"),
        ("close_out", "No close-out summary yet"),
        ("plan", "No open recommendations"),
    ]:
        assert (
            text
            in client.get(reverse(f"learning:{name}", args=[county.slug, plan.pk])).content.decode()
        ), name


def test_the_visits_list_filters_by_ward_and_sector(client, county, plan, make_member):
    first, second = wards_of(county)
    health = factories._county_sector(county, "health")
    near = factories.MonitoringVisitFactory(county=county, plan=plan, title="Near visit")
    far = factories.MonitoringVisitFactory(county=county, plan=plan, title="Far visit")
    with county_context([county]):
        VisitWard.objects.create(county=county, visit=near, ward=first)
        VisitWard.objects.create(county=county, visit=far, ward=second)
        VisitSector.objects.create(county=county, visit=far, sector=health)
    client.force_login(make_member(county, Role.OBSERVER))
    url = reverse("learning:visits", args=[county.slug, plan.pk])
    body = client.get(url, {"ward": first.pk}).content.decode()
    assert "Near visit" in body and "Far visit" not in body
    body = client.get(url, {"sector": health.pk}).content.decode()
    assert "Far visit" in body and "Near visit" not in body
    assert (
        "No visit matches"
        in client.get(url, {"ward": first.pk, "sector": health.pk}).content.decode()
    )
