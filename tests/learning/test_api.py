"""The learning API: lessons (same search as the page), evaluations with ratings,
recommendations (plan filter includes the carried ones); county isolation; query counts."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jwp.roles import Role
from jwp.tenancy import county_context
from learning.models import Criterion, CriterionRating, LessonTheme
from tests import factories

pytestmark = pytest.mark.django_db


def url(county, name):
    return reverse(f"api:{name}", kwargs={"county_slug": county.slug})


def test_lessons_are_searched_and_filtered_like_the_page(client, county, plan, make_member):
    hit = factories.LessonFactory(county=county, plan=plan, title="Align the budget calendar")
    factories.LessonFactory(county=county, plan=plan, title="Leadership matters")
    with county_context([county]):
        LessonTheme.objects.create(county=county, lesson=hit, theme="calendars")
    factories.LessonFactory(county=factories.turkana(), title="Turkana budget calendar")
    client.force_login(make_member(county, Role.OBSERVER))
    body = client.get(url(county, "lessons"), {"q": "calendar"}).json()
    assert [row["title"] for row in body["results"]] == ["Align the budget calendar"]
    assert body["results"][0]["themes"] == ["calendars"]
    assert client.get(url(county, "lessons"), {"theme": "calendars"}).json()["count"] == 1
    assert client.get(url(county, "lessons"), {"plan": plan.pk}).json()["count"] == 2


def test_recommendations_of_a_plan_include_those_carried_into_it(client, county, plan, make_member):
    later = factories.JointWorkPlanFactory(county=county, fiscal_year="2025/26")
    own = factories.RecommendationFactory(
        county=county, evaluation__plan=later, due_date=datetime.date(2099, 1, 1)
    )
    carried = factories.RecommendationFactory(
        county=county, evaluation__plan=plan, carried_into=later, due_date=datetime.date(2020, 1, 1)
    )
    client.force_login(make_member(county, Role.PARTNER))
    body = client.get(url(county, "recommendations"), {"plan": later.pk}).json()
    assert {r["id"] for r in body["results"]} == {own.pk, carried.pk}
    assert client.get(url(county, "recommendations"), {"plan": plan.pk}).json()["count"] == 0
    by_evaluation = client.get(url(county, "recommendations"), {"evaluation": own.evaluation_id})
    assert [r["id"] for r in by_evaluation.json()["results"]] == [own.pk]
    late = client.get(url(county, "recommendations"), {"overdue": "true"}).json()["results"]
    assert [r["id"] for r in late] == [carried.pk] and late[0]["made_in"] == "2024/25"


def test_evaluations_list_their_six_ratings(client, county, plan, make_member, sec):
    from learning import services

    with county_context([county]):
        services.evaluation_save(
            membership=sec,
            plan=plan,
            kind="baseline",
            conducted_on=datetime.date(2024, 7, 15),
            conducted_by="TWG",
        )
    client.force_login(make_member(county, Role.OBSERVER))
    (row,) = client.get(url(county, "evaluations"), {"plan": plan.pk}).json()["results"]
    assert [r["criterion"] for r in row["ratings"]] == [
        "relevance",
        "coherence",
        "effectiveness",
        "efficiency",
        "impact",
        "sustainability",
    ]


def test_the_neighbour_gets_404(client, county, neighbour, make_member):
    client.force_login(make_member(neighbour, Role.SECRETARIAT))
    for name in ("lessons", "evaluations", "recommendations"):
        assert client.get(url(county, name)).status_code == 404


@pytest.mark.parametrize("name", ["lessons", "recommendations", "evaluations"])
def test_api_lists_have_a_constant_number_of_queries(client, county, plan, make_member, name):
    sector = factories._county_sector(county)
    versions = itertools.count(2)

    def add(n):
        for _ in range(n):
            lesson = factories.LessonFactory(county=county, plan=plan)
            other = factories.JointWorkPlanFactory(
                county=county, fiscal_year="2024/25", version=next(versions)
            )
            evaluation = factories.EvaluationFactory(county=county, plan=other)
            with county_context([county]):
                lesson.sectors.through.objects.create(county=county, lesson=lesson, sector=sector)
                LessonTheme.objects.create(county=county, lesson=lesson, theme="mel")
                for criterion in Criterion.values:
                    CriterionRating.objects.create(
                        county=county, evaluation=evaluation, criterion=criterion, rating=3
                    )
            factories.RecommendationFactory(county=county, evaluation=evaluation)

    client.force_login(make_member(county, Role.OBSERVER))
    add(3)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url(county, name)).json()["count"] == 3
    add(7)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(url(county, name)).json()["count"] == 10
    assert len(three) == len(ten), [q["sql"] for q in ten.captured_queries]
