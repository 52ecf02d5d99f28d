"""The lessons repository: adding (who may), full-text search on PostgreSQL with ranking,
word search on SQLite, filters, pagination and a constant number of queries."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from learning import selectors, services
from learning.models import LessonSector, LessonTheme
from tests import factories

pytestmark = pytest.mark.django_db


def lesson(
    county, plan, title, text="", evidence="", *, sectors=(), themes=("other",), source="other"
):
    row = factories.LessonFactory(
        county=county, plan=plan, title=title, text=text or title, evidence=evidence, source=source
    )
    with county_context([county]):
        for s in sectors:
            LessonSector.objects.create(county=county, lesson=row, sector=s)
        for t in themes:
            LessonTheme.objects.create(county=county, lesson=row, theme=t)
    return row


def search(county, **kw):
    with county_context([county]):
        return [row.title for row in selectors.search_lessons(county=county, **kw)]


@pytest.fixture
def repository(county, plan):
    health = factories._county_sector(county, "health")
    lesson(
        county, plan, "Align the JWP calendar with the county budget calendar", themes=["calendars"]
    )
    lesson(
        county,
        plan,
        "Top county leadership improves participation",
        "CEC members mobilized their departments",
        sectors=[health],
        themes=["leadership", "participation"],
        source="evaluation",
    )
    lesson(
        county,
        plan,
        "In-person sessions beat virtual ones",
        evidence="Virtual fatigue during COVID-19; calendar clashes",
    )
    return health


def test_a_word_finds_the_lessons_that_contain_it_anywhere(county, repository):
    found = search(county, q="calendar")
    assert set(found) == {
        "Align the JWP calendar with the county budget calendar",
        "In-person sessions beat virtual ones",  # in its evidence
    }
    assert search(county, q="CEC") == ["Top county leadership improves participation"]
    assert search(county, q="nothing-like-this") == []


def test_every_word_must_match(county, repository):
    assert search(county, q="calendar budget") == [
        "Align the JWP calendar with the county budget calendar"
    ]


def test_filters_by_sector_theme_and_source(county, plan, repository):
    assert search(county, sector=repository) == ["Top county leadership improves participation"]
    assert search(county, theme="calendars") == [
        "Align the JWP calendar with the county budget calendar"
    ]
    assert search(county, source="evaluation") == ["Top county leadership improves participation"]
    assert search(county, q="calendar", theme="leadership") == []
    other = factories.JointWorkPlanFactory(county=county, fiscal_year="2025/26")
    assert search(county, plan=other) == []


def test_the_neighbours_lessons_are_never_found(county, neighbour, repository):
    neighbour_plan = factories.JointWorkPlanFactory(county=neighbour)
    lesson(neighbour, neighbour_plan, "Turkana calendar lesson")
    assert "Turkana calendar lesson" not in search(county, q="calendar")


@pytest.mark.postgres
def test_on_postgresql_the_search_stems_and_ranks_title_matches_first(county, repository):
    # "calendars" finds "calendar" (English stemming); the lesson whose title says it comes first
    found = search(county, q="calendars")
    assert found[0] == "Align the JWP calendar with the county budget calendar"
    assert "In-person sessions beat virtual ones" in found
    assert search(county, q='"budget calendar"') == [
        "Align the JWP calendar with the county budget calendar"
    ]
    assert search(county, q="calendar -budget") == ["In-person sessions beat virtual ones"]


def test_the_search_page_uses_the_same_function_with_pagination(client, county, plan, make_member):
    for i in range(30):
        lesson(county, plan, f"Lesson about water number {i}")
    client.force_login(make_member(county, Role.OBSERVER))
    url = reverse("learning:lessons", args=[county.slug])
    body = client.get(url, {"q": "water"}).content.decode()
    assert "Page 1 of 2" in body and "30 items" in body
    body = client.get(url, {"q": "zzz"}).content.decode()
    assert "No lesson matches" in body


def add_lessons(county, plan, n, sectors):
    for i in range(n):
        lesson(county, plan, f"Lesson {i}", sectors=sectors, themes=["mel", "capacity"])


@pytest.mark.parametrize("name", ["lessons", "plan_lessons"])
def test_the_lessons_lists_have_a_constant_number_of_queries(
    client, county, neighbour, plan, make_member, name
):
    sectors = [
        factories._county_sector(county, "health"),
        factories._county_sector(county, "education"),
    ]
    add_lessons(neighbour, factories.JointWorkPlanFactory(county=neighbour), 3, [])
    client.force_login(make_member(county, Role.OBSERVER))
    args = [county.slug] if name == "lessons" else [county.slug, plan.pk]
    url = reverse(f"learning:{name}", args=args)
    add_lessons(county, plan, 3, sectors)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    add_lessons(county, plan, 7, sectors)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url)
    assert response.content.decode().count('class="card lesson"') == 10
    assert len(three) == len(ten), [q["sql"] for q in ten.captured_queries]
    if connection.vendor == "postgresql":
        # 22 on the plan's list: 3 savepoints and 3 releases (the view's atomic blocks),
        # session, user, county, set_config(county) and its reset, membership, plan,
        # lesson count (paginator), set_config(user) once or twice (depending on what the
        # connection did before), my memberships (county switcher), notification count
        # (bell), the filter form's sectors, the page of lessons, their sectors, their
        # themes. The county-wide search has no plan: 21.
        assert len(ten) <= (22 if name == "plan_lessons" else 21), "\n".join(
            q["sql"][:150] for q in ten.captured_queries
        )


# --- who may add lessons ---------------------------------------------------------------


def test_a_partner_taking_part_in_the_plan_adds_a_lesson(county, plan, partner_in_plan):
    with county_context([county]):
        row = services.lesson_save(
            membership=partner_in_plan, plan=plan, title="T", text="X", themes=["mel"]
        )
    assert row.created_by == partner_in_plan.user


def test_a_partner_outside_the_plan_cannot_add_a_lesson(county, plan, make_member, membership_of):
    outsider = membership_of(make_member(county, Role.PARTNER), county)
    with county_context([county]), pytest.raises(PermissionDenied):
        services.lesson_save(membership=outsider, plan=plan, title="T", text="X", themes=["mel"])


def test_a_sector_lead_must_tag_their_own_sector(county, plan, make_member, membership_of):
    lead = membership_of(make_member(county, Role.SECTOR_LEAD), county)
    with county_context([county]):
        with pytest.raises(ValidationError) as exc:
            services.lesson_save(membership=lead, plan=plan, title="T", text="X", themes=["mel"])
        assert "sectors" in exc.value.error_dict
        services.lesson_save(
            membership=lead, plan=plan, title="T", text="X", themes=["mel"], sectors=[lead.sector]
        )


def test_an_observer_cannot_add_a_lesson_by_posting_the_page(client, county, plan, make_member):
    client.force_login(make_member(county, Role.OBSERVER))
    url = reverse("learning:plan_lessons", args=[county.slug, plan.pk])
    response = client.post(
        url, {"title": "T", "text": "X", "themes": ["mel"], "source": "other", "source_note": "n"}
    )
    assert response.status_code == 403


def test_only_the_author_or_the_secretariat_edits_a_lesson(
    county, plan, partner_in_plan, make_member, membership_of, sec
):
    with county_context([county]):
        row = services.lesson_save(
            membership=partner_in_plan, plan=plan, title="T", text="X", themes=["mel"]
        )
        other = membership_of(
            make_member(county, Role.PARTNER, organization=partner_in_plan.organization), county
        )
        with pytest.raises(PermissionDenied):
            services.lesson_save(
                membership=other, plan=plan, lesson=row, title="T2", text="X", themes=["mel"]
            )
        services.lesson_save(
            membership=sec, plan=plan, lesson=row, title="T3", text="X", themes=["mel"]
        )
    assert factories.refresh(row).title == "T3"


def test_the_lesson_form_says_what_is_missing(client, county, plan, secretariat):
    client.force_login(secretariat)
    url = reverse("learning:plan_lessons", args=[county.slug, plan.pk])
    body = client.post(url, {"title": "", "text": "", "source": "session"}).content.decode()
    assert "This field is required." in body  # title, text, themes
    session = factories.PauseAndReflectFactory(county=county, plan=plan)
    body = client.post(
        url, {"title": "T", "text": "X", "themes": ["mel"], "source": "session"}
    ).content.decode()
    assert "Choose the pause and reflect session the lesson comes from." in body
    response = client.post(
        url,
        {"title": "T", "text": "X", "themes": ["mel"], "source": "session", "session": session.pk},
    )
    assert response.status_code == 302


def test_a_stale_lesson_edit_is_refused(county, plan, sec):
    with county_context([county]):
        row = services.lesson_save(membership=sec, plan=plan, title="T", text="X", themes=["mel"])
        services.lesson_save(
            membership=sec,
            plan=plan,
            lesson=row,
            row_version=1,
            title="A",
            text="X",
            themes=["mel"],
        )
        from workplans.services.rules import EditConflict

        with pytest.raises(EditConflict):
            services.lesson_save(
                membership=sec,
                plan=plan,
                lesson=row,
                row_version=1,
                title="B",
                text="X",
                themes=["mel"],
            )
    assert factories.refresh(row).title == "A"


def test_the_author_or_the_secretariat_removes_a_lesson_and_it_leaves_the_brief(
    client, county, plan, partner_in_plan, make_member, sec
):
    with county_context([county]):
        mine = services.lesson_save(
            membership=partner_in_plan, plan=plan, title="Mine", text="X", themes=["mel"]
        )
        other = services.lesson_save(
            membership=sec, plan=plan, title="Other", text="X", themes=["mel"]
        )
        brief = services.brief_save(
            membership=sec, plan=plan, title="B", summary="S", lessons=[mine, other]
        )
    client.force_login(make_member(county, Role.PARTNER, organization=partner_in_plan.organization))
    assert (
        client.post(reverse("learning:lesson_delete", args=[county.slug, mine.pk])).status_code
        == 403
    )
    client.force_login(partner_in_plan.user)
    assert (
        client.post(reverse("learning:lesson_delete", args=[county.slug, other.pk])).status_code
        == 403
    )
    assert (
        client.post(reverse("learning:lesson_delete", args=[county.slug, mine.pk])).status_code
        == 302
    )
    with county_context([county]):
        assert [e.lesson_id for e in brief.entries.all()] == [other.pk]
        assert (
            AuditEvent.objects.for_county(county).filter(verb="learning.lesson.delete").count() == 1
        )
