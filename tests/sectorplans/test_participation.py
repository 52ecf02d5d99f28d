"""Public participation: windows, the citizen's comment form (escaped, rate-limited,
honeypot), moderation, responses and "you said, we did"; the public pages never show
another county's or unpublished material. Turkana is the neighbour."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from counties.models import Ward
from jwp.roles import Role
from jwp.tenancy import county_context
from sectorplans import services, views
from sectorplans.models import Moderation, PublicComment, Response
from tests import factories
from tests.sectorplans.conftest import complete_up_to

pytestmark = pytest.mark.django_db


def url(name, county, **kwargs):
    return reverse(f"sectorplans:{name}", kwargs={"county_slug": county.slug, **kwargs})


@pytest.fixture
def window(county, plan, secretariat_m):
    with county_context([county]):
        return services.participation_window_open(
            plan_step=factories.plan_step(plan, 7),
            membership=secretariat_m,
            title="Health context and baseline",
            opens_at=timezone.now() - timedelta(days=1),
            closes_at=timezone.now() + timedelta(days=13),
        )


def comments_of(window):
    with county_context([window.county_id]):
        return list(PublicComment.objects.for_county(window.county_id).filter(window=window))


def comment_form(**fields):
    return {"topic": "Water", "body": "More boreholes.", "name": "", "website": "", **fields}


def test_a_citizen_comments_anonymously_while_the_window_is_open(client, county, window):
    ward = Ward.objects.filter(county=county).first()
    response = client.post(
        url("public_window", county, window_id=window.pk), comment_form(ward=ward.pk)
    )
    assert response.status_code == 302
    [comment] = comments_of(window)
    assert (comment.moderation, comment.ward, comment.name) == (Moderation.PENDING, ward, "")


def test_a_ward_of_another_county_is_refused(client, county, neighbour, window):
    ward = Ward.objects.filter(county=neighbour).first()
    client.post(url("public_window", county, window_id=window.pk), comment_form(ward=ward.pk))
    assert comments_of(window) == []


def test_comments_outside_the_window_are_refused_with_a_clear_message(county, window):
    with county_context([county]):
        with pytest.raises(ValidationError, match="closed on"):
            services.public_comment_submit(
                window=window, topic="x", body="y", now=window.closes_at + timedelta(seconds=1)
            )
        with pytest.raises(ValidationError, match="Comments open on"):
            services.public_comment_submit(
                window=window, topic="x", body="y", now=window.opens_at - timedelta(seconds=1)
            )


def test_a_closed_window_shows_no_form_and_refuses_a_post(client, county, window, secretariat_m):
    with county_context([county]):
        services.participation_window_close(window=window, membership=secretariat_m)
    page = url("public_window", county, window_id=window.pk)
    assert "Send my comment" not in client.get(page).content.decode()
    response = client.post(page, comment_form())
    assert response.status_code == 400
    assert "comments are no longer taken" in response.content.decode()
    assert comments_of(window) == []


def test_a_window_not_open_yet_is_not_public(client, county, plan, secretariat_m):
    with county_context([county]):
        later = services.participation_window_open(
            plan_step=factories.plan_step(plan, 12),
            membership=secretariat_m,
            title="Later",
            opens_at=timezone.now() + timedelta(days=3),
            closes_at=timezone.now() + timedelta(days=20),
        )
    assert client.get(url("public_window", county, window_id=later.pk)).status_code == 404


def test_an_html_payload_in_a_comment_is_shown_as_text(client, county, window, secretariat_m):
    payload = '<script>alert("x")</script><b>bold</b>'
    client.post(url("public_window", county, window_id=window.pk), comment_form(body=payload))
    [comment] = comments_of(window)
    with county_context([county]):
        services.public_comment_moderate(comment=comment, membership=secretariat_m, accept=True)
    html = client.get(url("public_window", county, window_id=window.pk)).content.decode()
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_comment_over_the_maximum_length_is_refused(client, county, window):
    response = client.post(
        url("public_window", county, window_id=window.pk), comment_form(body="x" * 2001)
    )
    assert response.status_code == 200
    assert "id_body_errors" in response.content.decode()
    assert comments_of(window) == []


def test_the_honeypot_swallows_a_bots_comment(client, county, window):
    response = client.post(
        url("public_window", county, window_id=window.pk), comment_form(website="http://spam")
    )
    assert response.status_code == 302
    assert comments_of(window) == []


def test_the_rate_limit_stops_a_flood_from_one_address(client, county, window, monkeypatch):
    monkeypatch.setattr(views, "COMMENT_RATE_LIMIT", 3)
    page = url("public_window", county, window_id=window.pk)
    statuses = [client.post(page, comment_form(body=f"Comment {i}")).status_code for i in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(comments_of(window)) == 3
    other = client.post(page, comment_form(), REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302


def test_pending_and_rejected_comments_are_not_public(client, county, window, secretariat_m):
    factories.PublicCommentFactory(county=county, window=window, body="Pending view")
    rejected = factories.PublicCommentFactory(county=county, window=window, body="Spam view")
    with county_context([county]):
        services.public_comment_moderate(comment=rejected, membership=secretariat_m, accept=False)
    html = client.get(url("public_window", county, window_id=window.pk)).content.decode()
    assert "Pending view" not in html and "Spam view" not in html


def test_a_partner_cannot_moderate(county, window, member):
    comment = factories.PublicCommentFactory(county=county, window=window)
    with county_context([county]), pytest.raises(PermissionDenied):
        services.public_comment_moderate(
            comment=comment, membership=member(Role.PARTNER), accept=True
        )


def test_after_the_window_closes_responses_make_the_you_said_we_did_table(
    client, county, window, lead_m
):
    comment = factories.PublicCommentFactory(county=county, window=window, body="Fix Wamba clinic")
    with county_context([county]):
        services.public_comment_moderate(comment=comment, membership=lead_m, accept=True)
        with pytest.raises(ValidationError, match="once the window has closed"):
            services.public_comment_respond(
                comment=comment, membership=lead_m, response=Response.PARTLY, reason="x"
            )
        services.participation_window_close(window=window, membership=lead_m)
    client.force_login(lead_m.user)
    moderation = url("window", county, window_id=window.pk)
    client.post(
        moderation,
        {
            "action": "respond",
            "comment": comment.pk,
            f"c{comment.pk}-response": Response.INCORPORATED,
            f"c{comment.pk}-reason": "Wamba clinic is in the flagship projects.",
        },
    )
    client.logout()
    html = client.get(url("public_window", county, window_id=window.pk)).content.decode()
    assert "You said, we did" in html
    assert "Fix Wamba clinic" in html and "Wamba clinic is in the flagship projects." in html


def test_public_input_is_recorded_once_the_window_closed_and_moderation_is_done(
    county, plan, window, secretariat_m
):
    factories.PublicCommentFactory(county=county, window=window)
    complete_up_to(plan, 6, secretariat_m)
    with county_context([county]):
        services.plan_step_complete(
            plan_step=factories.plan_step(plan, 7), membership=secretariat_m
        )
        step_8 = factories.plan_step(plan, 8)
        with pytest.raises(ValidationError, match="once the window has closed"):
            services.plan_step_complete(plan_step=step_8, membership=secretariat_m)
        services.participation_window_close(window=window, membership=secretariat_m)
        with pytest.raises(ValidationError, match="1 comments still await moderation"):
            services.plan_step_complete(plan_step=step_8, membership=secretariat_m)


def test_the_public_never_sees_another_countys_window_or_plan(
    client, county, neighbour, window, plan, secretariat_m
):
    complete_up_to(plan, 47, secretariat_m)
    assert client.get(url("public_window", neighbour, window_id=window.pk)).status_code == 404
    assert client.get(url("public_plan", neighbour, plan_id=plan.pk)).status_code == 404
    assert client.get(url("public_plan", county, plan_id=plan.pk)).status_code == 200
    assert plan.title not in client.get(url("public", neighbour)).content.decode()


def test_an_unpublished_plan_and_its_private_documents_are_not_public(
    client, county, plan, secretariat_m
):
    private = factories.PlanDocumentFactory(county=county, plan=plan, is_public=False)
    public = factories.PlanDocumentFactory(county=county, plan=plan, is_public=True)
    assert client.get(url("public_plan", county, plan_id=plan.pk)).status_code == 404
    # public, but the plan has neither opened a window nor been published
    assert client.get(url("public_document", county, document_id=public.pk)).status_code == 404
    complete_up_to(plan, 47, secretariat_m)
    assert client.get(url("public_document", county, document_id=public.pk)).status_code == 200
    assert client.get(url("public_document", county, document_id=private.pk)).status_code == 404


def test_the_published_plan_shows_its_participation_record_and_approval(
    client, county, plan, secretariat_m
):
    complete_up_to(plan, 47, secretariat_m)
    html = client.get(url("public_plan", county, plan_id=plan.pk)).content.decode()
    assert "Formal approval by the whole House" in html
    assert "Hansard 12 March 2024" in html
    assert html.count("Window of step") == 6
    assert plan.title in client.get(url("public", county)).content.decode()
