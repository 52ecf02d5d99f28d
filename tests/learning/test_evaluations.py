"""Evaluations (ratings on the six criteria), recommendations followed to closure, and
the close-out that carries open recommendations into the next fiscal year's plan."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from learning import selectors, services
from learning.models import Criterion, CriterionRating
from learning.models import RecommendationStatus as S
from tests import factories
from workplans.services.rules import EditConflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(county, plan, sec):
    with county_context([county]):
        return services.evaluation_save(
            membership=sec,
            plan=plan,
            kind="mid_term",
            conducted_on=datetime.date(2025, 1, 20),
            conducted_by="JWP TWG",
        )


def recommend(sec, evaluation, text="Align the calendars", **kw):
    kw.setdefault("due_date", datetime.date(2025, 6, 30))
    kw.setdefault("responsible_organization", factories.OrganizationFactory())
    with county_context([sec.county]):
        return services.recommendation_add(membership=sec, evaluation=evaluation, text=text, **kw)


# --- ratings ---------------------------------------------------------------------------


def test_a_new_evaluation_has_one_unrated_row_per_criterion(county, evaluation):
    with county_context([county]):
        rows = CriterionRating.objects.for_county(county).filter(evaluation=evaluation)
        assert sorted(r.criterion for r in rows) == sorted(Criterion.values)
        assert {r.rating for r in rows} == {None}


@pytest.mark.parametrize("bad", [0, 5, -1])
def test_a_rating_outside_the_1_to_4_scale_is_refused(county, evaluation, sec, bad):
    with county_context([county]), pytest.raises(ValidationError) as exc:
        services.ratings_save(membership=sec, evaluation=evaluation, ratings={"impact": (bad, "")})
    assert "Rate Impact from 1 (not achieved) to 4 (fully achieved)." in exc.value.messages


def test_ratings_are_saved_with_findings_and_audited(county, evaluation, sec):
    ratings = {c: (i % 4 + 1, f"Findings on {c}") for i, c in enumerate(Criterion.values)}
    with county_context([county]):
        services.ratings_save(membership=sec, evaluation=evaluation, ratings=ratings)
        saved = {
            r.criterion: (r.rating, r.findings)
            for r in CriterionRating.objects.for_county(county).filter(evaluation=evaluation)
        }
        assert (
            AuditEvent.objects.for_county(county)
            .filter(verb="learning.evaluation.ratings")
            .exists()
        )
    assert saved == ratings


def test_the_ratings_page_shows_the_error_next_to_the_criterion(
    client, county, evaluation, secretariat
):
    client.force_login(secretariat)
    url = reverse("learning:evaluation", args=[county.slug, evaluation.pk])
    body = client.post(
        url, {"rating_relevance": "7", "row_version": evaluation.row_version}
    ).content.decode()
    assert "Select a valid choice" in body
    response = client.post(
        url,
        {
            "rating_relevance": "3",
            "findings_relevance": "Aligned with the CIDP",
            "row_version": evaluation.row_version,
        },
    )
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "3 — Largely achieved" in body and "Aligned with the CIDP" in body


def test_one_evaluation_of_each_kind_per_plan(county, plan, evaluation, sec):
    with county_context([county]), pytest.raises(ValidationError) as exc:
        services.evaluation_save(
            membership=sec,
            plan=plan,
            kind="mid_term",
            conducted_on=datetime.date(2025, 2, 1),
            conducted_by="X",
        )
    assert "already has a mid-term review" in exc.value.messages[0]


def test_only_the_secretariat_records_evaluations(client, county, plan, make_member):
    url = reverse("learning:evaluations", args=[county.slug, plan.pk])
    data = {"kind": "baseline", "conducted_on": "2024-07-15", "conducted_by": "X"}
    for role in (Role.PARTNER, Role.SECTOR_LEAD, Role.EXECUTIVE, Role.OBSERVER):
        client.force_login(make_member(county, role))
        assert client.get(url).status_code == 200
        assert client.post(url, data).status_code == 403


# --- recommendations ----------------------------------------------------------------------


def test_a_recommendation_needs_a_responsible_party_and_a_timeline(county, evaluation, sec):
    with county_context([county]), pytest.raises(ValidationError) as exc:
        services.recommendation_add(
            membership=sec, evaluation=evaluation, text="Do it", due_date=None
        )
    assert {"due_date", "responsible_organization"} <= set(exc.value.error_dict)


def test_the_lifecycle_to_closure_keeps_a_history(
    county, evaluation, sec, make_member, membership_of
):
    org = factories.OrganizationFactory()
    rec = recommend(sec, evaluation, responsible_organization=org)
    partner = membership_of(make_member(county, Role.PARTNER, organization=org), county)
    with county_context([county]):
        services.recommendation_set_status(
            membership=partner, recommendation=rec, status=S.IN_PROGRESS
        )
        with pytest.raises(ValidationError) as exc:
            services.recommendation_set_status(
                membership=partner, recommendation=rec, status=S.IMPLEMENTED
            )
        assert "closing note" in exc.value.messages[0]
        services.recommendation_set_status(
            membership=partner,
            recommendation=rec,
            status=S.IMPLEMENTED,
            note="Calendars aligned in the ADP",
        )
        history = [(u.from_status, u.to_status, u.note) for u in rec.updates.all()]
        verbs = list(
            AuditEvent.objects.for_county(county)
            .filter(target_id=str(rec.pk))
            .values_list("verb", flat=True)
        )
    rec = factories.refresh(rec)
    assert (
        rec.status == S.IMPLEMENTED
        and rec.closing_note == "Calendars aligned in the ADP"
        and rec.closed_at
    )
    assert history == [
        ("open", "in_progress", ""),
        ("in_progress", "implemented", "Calendars aligned in the ADP"),
    ]
    assert verbs.count("learning.recommendation.status") == 2


def test_dropping_and_reopening_are_the_secretariats(
    county, evaluation, sec, make_member, membership_of
):
    org = factories.OrganizationFactory()
    rec = recommend(sec, evaluation, responsible_organization=org)
    partner = membership_of(make_member(county, Role.PARTNER, organization=org), county)
    other = membership_of(make_member(county, Role.PARTNER), county)
    with county_context([county]):
        with pytest.raises(PermissionDenied):
            services.recommendation_set_status(
                membership=partner, recommendation=rec, status=S.DROPPED, note="no"
            )
        with pytest.raises(PermissionDenied):
            services.recommendation_set_status(
                membership=other, recommendation=rec, status=S.IN_PROGRESS
            )
        services.recommendation_set_status(
            membership=sec, recommendation=rec, status=S.DROPPED, note="Overtaken by the new CIDP"
        )
        with pytest.raises(PermissionDenied):
            services.recommendation_set_status(
                membership=partner, recommendation=rec, status=S.OPEN
            )
        services.recommendation_set_status(
            membership=sec, recommendation=rec, status=S.OPEN, note="Back on the agenda"
        )
    rec = factories.refresh(rec)
    assert rec.status == S.OPEN and rec.closing_note == "" and rec.closed_at is None


def test_a_stale_status_change_is_refused(county, evaluation, sec):
    rec = recommend(sec, evaluation)
    with county_context([county]):
        services.recommendation_set_status(
            membership=sec, recommendation=rec, status=S.IN_PROGRESS, row_version=1
        )
        with pytest.raises(EditConflict):
            services.recommendation_set_status(
                membership=sec, recommendation=rec, status=S.DROPPED, note="x", row_version=1
            )


def test_overdue_open_recommendations_are_highlighted(
    client, county, plan, evaluation, sec, secretariat
):
    recommend(sec, evaluation, text="Late one", due_date=datetime.date(2025, 3, 31))
    client.force_login(secretariat)
    url = reverse("learning:evaluations", args=[county.slug, plan.pk])
    with time_machine.travel(datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC)):
        assert "Overdue" not in client.get(url).content.decode()
    with time_machine.travel(datetime.datetime(2025, 4, 2, 9, tzinfo=datetime.UTC)):
        assert "Overdue" in client.get(url).content.decode()


def test_the_status_page_refuses_a_closing_without_a_note(
    client, county, evaluation, sec, secretariat
):
    rec = recommend(sec, evaluation)
    client.force_login(secretariat)
    url = reverse("learning:recommendation", args=[county.slug, rec.pk])
    body = client.post(
        url, {"status": "implemented", "note": "", "row_version": 1}
    ).content.decode()
    assert "Write a closing note" in body
    assert factories.refresh(rec).status == S.OPEN


# --- close-out and carry-over ------------------------------------------------------------------


def close_out(sec, plan):
    with county_context([sec.county]):
        return services.close_out_save(membership=sec, plan=plan, achievements="A", challenges="C")


def test_close_out_is_refused_without_a_next_plan_with_a_clear_message(
    county, plan, evaluation, sec
):
    recommend(sec, evaluation)
    close_out(sec, plan)
    with county_context([county]), pytest.raises(ValidationError) as exc:
        services.close_out_carry(membership=sec, plan=plan)
    assert "There is no joint work plan for 2025/26 yet" in exc.value.messages[0]


def test_close_out_needs_the_summary_first(county, plan, sec):
    factories.JointWorkPlanFactory(county=county, fiscal_year="2025/26")
    with county_context([county]), pytest.raises(ValidationError) as exc:
        services.close_out_carry(membership=sec, plan=plan)
    assert "close-out summary first" in exc.value.messages[0]


def test_close_out_carries_only_open_recommendations_with_their_history(
    client, county, plan, evaluation, sec, secretariat
):
    next_plan = factories.JointWorkPlanFactory(county=county, fiscal_year="2025/26")
    factories.JointWorkPlanFactory(county=county, fiscal_year="2026/27")  # not the next one
    recommend(sec, evaluation, text="Still open")
    started = recommend(sec, evaluation, text="Started")
    done = recommend(sec, evaluation, text="Done already")
    with county_context([county]):
        services.recommendation_set_status(
            membership=sec, recommendation=started, status=S.IN_PROGRESS
        )
        services.recommendation_set_status(
            membership=sec, recommendation=done, status=S.IMPLEMENTED, note="ok"
        )
        assert {r.text for r in selectors.open_recommendations(plan)} == {"Still open", "Started"}
    close_out(sec, plan)
    with county_context([county]):
        target, moved = services.close_out_carry(membership=sec, plan=plan)
        assert (target, moved) == (next_plan, 2)
        assert {r.text for r in selectors.open_recommendations(next_plan)} == {
            "Still open",
            "Started",
        }
        assert list(selectors.open_recommendations(plan)) == []
        history = [(u.from_status, u.to_status, u.carried_into_id) for u in started.updates.all()]
    assert history == [("open", "in_progress", None), ("in_progress", "in_progress", next_plan.pk)]
    started = factories.refresh(started)
    assert started.plan_id == plan.pk and started.evaluation_id == evaluation.pk  # made in 2024/25
    assert factories.refresh(done).carried_into_id is None
    # the next plan's learning page says where they come from
    client.force_login(secretariat)
    body = client.get(reverse("learning:plan", args=[county.slug, next_plan.pk])).content.decode()
    assert body.count("carried from 2024/25") == 2 and "Done already" not in body


def test_the_carry_button_shows_the_refusal_as_a_message(client, county, plan, sec, secretariat):
    close_out(sec, plan)
    client.force_login(secretariat)
    url = reverse("learning:close_out_carry", args=[county.slug, plan.pk])
    body = client.post(url, follow=True).content.decode()
    assert "There is no joint work plan for 2025/26 yet" in body


def test_only_the_secretariat_closes_out(client, county, plan, make_member):
    client.force_login(make_member(county, Role.EXECUTIVE))
    assert (
        client.post(reverse("learning:close_out_carry", args=[county.slug, plan.pk])).status_code
        == 403
    )
    url = reverse("learning:close_out", args=[county.slug, plan.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"achievements": "A", "challenges": "C"}).status_code == 403
