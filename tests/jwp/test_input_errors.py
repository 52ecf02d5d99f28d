"""The audit's L5 findings, one by one: hostile input gets a 400, a 404 or a field error,
never a 500. (The walk over every form and filter is ``test_input_fuzz``.)"""

import pytest
from django.urls import reverse

from jwp.roles import Role
from jwp.tenancy import county_context
from sectorplans.models import Moderation
from tests import factories
from workplans.models import ActivitySupporter

HUGE = str(2**64)


@pytest.fixture
def client_of(client, make_member):
    def login(county, role=Role.SECRETARIAT, **kwargs):
        client.force_login(make_member(county, role, **kwargs))
        return client

    return login


def api(county, name, **kwargs):
    return reverse(f"api:{name}", kwargs={"county_slug": county.slug, **kwargs})


@pytest.mark.parametrize(
    "page,param",
    [
        ("counties:contacts", "q"),
        ("counties:members", "q"),
        ("counties:organizations", "q"),
        ("counties:meetings", "kind"),
        ("counties:structures", "cycle"),
    ],
)
def test_a_nul_in_a_list_filter_is_refused_with_400(client_of, county, neighbour, page, param):
    client = client_of(county)
    url = reverse(page, args=[county.slug])
    assert client.get(url, {param: "a\x00b"}).status_code == 400
    assert client.get(url, {param: "ab"}).status_code == 200


def test_a_nul_in_a_form_field_is_refused_with_400_urlencoded_or_multipart(
    client_of, county, neighbour
):
    client = client_of(county)
    url = reverse("counties:member_invite", args=[county.slug])
    assert client.post(url, {"organization-search": "a\x00b"}).status_code == 400
    urlencoded = client.post(
        url, "organization-search=a%00b", content_type="application/x-www-form-urlencoded"
    )
    assert urlencoded.status_code == 400


def test_a_comment_id_that_is_not_a_number_is_not_found(client_of, county, neighbour):
    window = factories.ParticipationWindowFactory(county=county)
    url = reverse("sectorplans:window", args=[county.slug, window.pk])
    response = client_of(county).post(url, {"comment": "abc", "action": "accept"})
    assert response.status_code == 404


def test_a_participant_count_past_the_column_is_a_field_error(client_of, county, neighbour):
    plan = factories.JointWorkPlanFactory(county=county)
    response = client_of(county).post(
        reverse("learning:sessions", args=[county.slug, plan.pk]),
        {
            "title": "Mid-year pause and reflect",
            "held_on": "2025-01-15",
            "participant_count": "99999999999999999999999999999",
        },
    )
    assert response.status_code == 200
    assert "participant_count" in response.context["form"].errors


def test_a_disaggregation_by_an_unknown_category_is_a_400(client_of, county, neighbour):
    indicator = factories.IndicatorFactory(county=county, by_sex=True)
    client = client_of(county, Role.PARTNER, organization=indicator.responsible_organization)
    body = {"indicator": indicator.pk, "fiscal_year": "2025/26", "quarter": 1, "value": "80"}
    for disaggregation in ({"nope": {"a": 1}}, {"sex": {"female": "1e400", "male": "1"}}):
        response = client.post(
            api(county, "results"),
            {**body, "disaggregation": disaggregation},
            content_type="application/json",
        )
        assert response.status_code == 400, (disaggregation, response.content)


def test_malformed_json_and_wrong_types_get_400_with_field_errors(client_of, county, neighbour):
    indicator = factories.IndicatorFactory(county=county)
    client = client_of(county, Role.PARTNER, organization=indicator.responsible_organization)
    broken = client.post(api(county, "results"), "{not json", content_type="application/json")
    assert broken.status_code == 400
    wrong = client.post(
        api(county, "results"),
        {"indicator": [1], "fiscal_year": {"a": 1}, "quarter": HUGE, "value": "x\x00"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "quarter" in wrong.json()["errors"]


def test_object_filters_choose_among_the_countys_rows(client_of, county, neighbour):
    """?activity= and ?window= used to fail on every value (the fail-closed manager)."""
    line = factories.BudgetLineFactory(county=county)
    plan, activity = line.activity.plan, line.activity
    factories.BudgetLineFactory(county=county, activity__plan=plan)
    factories.CommitmentFactory(county=county, activity=activity)
    theirs = factories.JointActivityFactory(county=neighbour)
    comment = factories.PublicCommentFactory(county=county, moderation=Moderation.ACCEPTED)
    client = client_of(county)
    for name in ("work_plan_budget_lines", "work_plan_commitments"):
        url = api(county, name, plan_id=plan.pk)
        mine = client.get(url, {"activity": activity.pk})
        assert mine.status_code == 200 and mine.json()["count"] == 1, name
        assert client.get(url, {"activity": theirs.pk}).status_code == 400, name
        assert client.get(url, {"activity": HUGE}).status_code == 400, name
    url = api(county, "public_comments")
    assert client.get(url, {"window": comment.window_id}).json()["count"] == 1
    assert client.get(url, {"window__plan": comment.window.plan_id}).json()["count"] == 1
    assert client.get(url, {"window": HUGE}).status_code == 400


def test_ordering_takes_only_listed_fields_never_methods_or_many_to_many(
    client_of, county, neighbour
):
    activity = factories.JointActivityFactory(county=county)
    with county_context([county]):  # row-level security on PostgreSQL
        for _n in range(2):
            ActivitySupporter.objects.create(
                county=county, activity=activity, organization=factories.OrganizationFactory()
            )
    factories.JointActivityFactory(county=county, plan=activity.plan)
    client = client_of(county)
    url = api(county, "work_plan_activities", plan_id=activity.plan_id)
    for ordering in ("supporting_organizations", "get_absolute_url", "ratings_in_order", "-id"):
        response = client.get(url, {"ordering": ordering})
        assert response.status_code == 200, ordering
        assert response.json()["count"] == 2, ordering  # no row twice
    # names the serializers read from (a prefetch, a method) were taken for fields
    factories.EvaluationFactory(county=county, plan=activity.plan)
    factories.AdaptationItemFactory(county=county, plan=activity.plan)
    for name, ordering in (
        ("evaluations", "ratings_in_order"),
        ("adaptations", "get_absolute_url"),
    ):
        assert client.get(api(county, name), {"ordering": ordering}).status_code == 200, name
    meetings = api(county, "meetings")
    assert client.get(meetings, {"ordering": "-starts_at"}).status_code == 200
