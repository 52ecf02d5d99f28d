"""Sector plan gates of issue 12: "you said, we did" before a sign-off, decision dates
neither ahead nor before the step they answer, a reason for a step done out of order,
the readiness page and its confirmation, the next actors told, what waits for whom.
Turkana is the neighbour."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from counties.models import OfficeKind
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from notifications.models import Notification
from sectorplans import services
from sectorplans.models import Response, StepStatus
from sectorplans.waiting import sector_plan_steps
from tests import factories
from tests.sectorplans.conftest import complete_up_to, office_member, record_fields

pytestmark = pytest.mark.django_db


def step(plan, number):
    return factories.plan_step(plan, number)


def complete(plan, number, membership, **fields):
    with county_context([plan.county_id]):
        return services.plan_step_complete(
            plan_step=step(plan, number), membership=membership, **fields
        )


def url(name, county, **kwargs):
    return reverse(f"sectorplans:{name}", kwargs={"county_slug": county.slug, **kwargs})


def comment_in_window(plan, first: int, by, topic: str):
    """An accepted comment in the (closed) window of step ``first``."""
    with county_context([plan.county_id]):
        window = services.participation_window_open(
            plan_step=step(plan, first),
            membership=by,
            title=f"Window of step {first}",
            opens_at=timezone.now() - timedelta(days=30),
            closes_at=timezone.now() - timedelta(days=1),
        )
        comment = services.public_comment_submit(
            window=window, topic=topic, body="Please.", now=window.opens_at + timedelta(days=1)
        )
        services.public_comment_moderate(comment=comment, membership=by, accept=True)
    return comment


def recipients(county, key_part: str) -> set:
    with county_context([county]):
        return set(
            Notification.objects.for_county(county)
            .filter(item_key__contains=key_part)
            .values_list("recipient__email", flat=True)
        )


# --- "you said, we did" ---------------------------------------------------------


def test_a_sign_off_is_refused_naming_the_accepted_comments_without_a_response(plan, secretariat_m):
    complete_up_to(plan, 11, secretariat_m)
    clinics = comment_in_window(plan, 12, secretariat_m, "Mobile clinics")
    complete_up_to(plan, 14, secretariat_m, first=12)
    cec = office_member(plan, OfficeKind.CEC_SECTOR)

    with pytest.raises(ValidationError, match="“Mobile clinics” \\(step 12\\)"):
        complete(plan, 15, cec)

    with county_context([plan.county_id]):
        services.public_comment_respond(
            comment=clinics, membership=secretariat_m, response=Response.PARTLY, reason="Wamba."
        )
    assert complete(plan, 15, cec).status == StepStatus.DONE


def test_the_readiness_of_a_sign_off_links_each_blocker_to_where_it_is_fixed(plan, secretariat_m):
    complete_up_to(plan, 11, secretariat_m)
    comment = comment_in_window(plan, 12, secretariat_m, "Water points")
    with county_context([plan.county_id]):
        ps = step(plan, 15)
        readiness = services.plan_step_readiness(plan_step=ps)
    checks = {check.label: check for check in readiness}
    assert not readiness.ready
    assert checks["Earlier steps"].blocks and checks["Earlier steps"].fix_url.endswith("/12/")
    assert checks["You said, we did"].blocks
    assert checks["You said, we did"].fix_url == url(
        "window", plan.county, window_id=comment.window_id
    )
    assert checks["Moderation"].met


# --- decision dates ---------------------------------------------------------------


def test_a_decision_dated_in_the_future_is_refused_at_the_date_field(plan, secretariat_m):
    complete_up_to(plan, 10, secretariat_m)
    cec = office_member(plan, OfficeKind.CEC_SECTOR)
    now = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        complete(plan, 11, cec, body="Comments.", decided_on=tomorrow, now=now)
    assert "is in the future" in exc.value.message_dict["decided_on"][0]
    done = complete(plan, 11, cec, body="Comments.", decided_on=timezone.localdate(now), now=now)
    assert done.status == StepStatus.DONE


def test_an_assembly_input_dated_before_the_consultation_it_answers_is_refused(plan, secretariat_m):
    complete_up_to(plan, 26, secretariat_m)  # the consultation (26) is held today
    chair = office_member(plan, OfficeKind.ASSEMBLY_CHAIR)
    earlier = timezone.localdate() - timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        complete(plan, 27, chair, body="Cover Baragoi.", decided_on=earlier)
    assert "before step 26, which this step answers" in exc.value.message_dict["decided_on"][0]
    assert complete(plan, 27, chair, **record_fields(27)).status == StepStatus.DONE


def test_depends_on_is_the_step_before_in_the_seed_table():
    assert [services.depends_on(n) for n in (11, 27, 35, 43, 46)] == [10, 26, 34, 42, 45]


# --- out of order -------------------------------------------------------------------


def test_a_step_done_out_of_order_needs_a_reason_which_is_stored_shown_and_audited(
    client, county, plan, secretariat_m
):
    with pytest.raises(ValidationError) as exc:
        complete(plan, 3, secretariat_m)
    assert (
        "Steps 1, 2 before this one are not done"
        in exc.value.message_dict["out_of_order_reason"][0]
    )

    reason = "The working group was mobilized before the guidance went out."
    done = complete(plan, 3, secretariat_m, out_of_order_reason=reason)
    assert (done.status, done.out_of_order_reason) == (StepStatus.DONE, reason)
    with county_context([county]):
        event = AuditEvent.objects.for_county(county).get(verb="planstep.complete")
    assert event.data["out_of_order"] == {"before": [1, 2], "reason": reason}

    client.force_login(secretariat_m.user)
    assert reason in client.get(url("plan", county, plan_id=plan.pk)).content.decode()
    assert reason in client.get(url("step", county, plan_id=plan.pk, number=3)).content.decode()


def test_a_step_done_in_order_keeps_no_reason(plan, secretariat_m):
    done = complete(plan, 1, secretariat_m, out_of_order_reason="Not needed.")
    assert done.out_of_order_reason == ""


def test_the_plan_page_offers_no_one_click_completion_out_of_order(
    client, county, plan, secretariat_m
):
    client.force_login(secretariat_m.user)
    html = client.get(url("plan", county, plan_id=plan.pk)).content.decode()
    assert "— step 1</span>" in html.replace("\n", "")
    assert "— step 2</span>" not in html


# --- the step page: readiness, confirmation, tenancy ---------------------------------


def test_a_ready_sign_off_asks_for_confirmation_before_it_is_taken(
    client, county, plan, secretariat_m
):
    complete_up_to(plan, 14, secretariat_m)
    cec = office_member(plan, OfficeKind.CEC_SECTOR)
    client.force_login(cec.user)
    page = url("step", county, plan_id=plan.pk, number=15)
    html = client.get(page).content.decode()
    assert "check check-blocking" not in html
    assert "I have read the checks above and confirm." in html
    assert client.post(page, {"action": "complete"}).status_code == 200
    assert step(plan, 15).status != StepStatus.DONE
    response = client.post(page, {"action": "complete", "complete-confirm": "on"})
    assert response.status_code == 302
    assert step(plan, 15).status == StepStatus.DONE


def test_a_member_who_may_not_sign_off_is_not_offered_it_and_is_refused(
    client, county, plan, secretariat_m, member
):
    complete_up_to(plan, 14, secretariat_m)
    office_member(plan, OfficeKind.CEC_SECTOR)
    client.force_login(member(Role.EXECUTIVE).user)
    page = url("step", county, plan_id=plan.pk, number=15)
    assert 'value="complete"' not in client.get(page).content.decode()
    response = client.post(page, {"action": "complete", "complete-confirm": "on"})
    assert response.status_code == 403


def test_the_step_page_of_another_county_is_not_found(
    client, county, neighbour, plan, neighbour_secretariat
):
    client.force_login(neighbour_secretariat)  # a user: Turkana's secretariat
    page = reverse(
        "sectorplans:step",
        kwargs={"county_slug": county.slug, "plan_id": plan.pk, "number": 15},
    )
    assert client.get(page).status_code == 404
    other = reverse(
        "sectorplans:step",
        kwargs={"county_slug": neighbour.slug, "plan_id": plan.pk, "number": 15},
    )
    assert client.get(other).status_code == 404


# --- notifications and waiting ------------------------------------------------------


def test_completing_a_step_tells_exactly_the_next_steps_actors(
    county, neighbour, plan, secretariat_m, lead_m, member, make_member
):
    other_secretariat = member(Role.SECRETARIAT)
    member(Role.SECTOR_LEAD)  # another sector's lead
    member(Role.OBSERVER)
    make_member(neighbour, Role.SECRETARIAT)
    complete(plan, 1, secretariat_m)  # step 2: the sector lead with Economic Planning
    assert recipients(county, ":step:1:") == {lead_m.user.email, other_secretariat.user.email}
    with county_context([neighbour]):
        assert not Notification.objects.for_county(neighbour).exists()


def test_the_next_office_bound_step_is_told_to_its_holder_only(county, plan, secretariat_m, member):
    complete_up_to(plan, 9, secretariat_m)
    cec = office_member(plan, OfficeKind.CEC_SECTOR)
    member(Role.EXECUTIVE)  # an executive member without the office
    complete(plan, 10, secretariat_m)
    assert recipients(county, ":step:10:") == {cec.user.email}


def test_returning_a_step_tells_its_actors(county, plan, secretariat_m):
    complete_up_to(plan, 11, secretariat_m)
    cec = office_member(plan, OfficeKind.CEC_SECTOR)
    with county_context([county]):
        services.plan_step_reopen(
            plan_step=step(plan, 11), membership=secretariat_m, reason="Dated wrongly."
        )
    assert recipients(county, ":step:11:returned") == {cec.user.email}


def test_a_step_waits_for_its_office_holder_once_every_earlier_step_is_done(
    county, plan, secretariat_m, member, django_assert_max_num_queries
):
    complete_up_to(plan, 9, secretariat_m)
    cec = office_member(plan, OfficeKind.CEC_SECTOR)
    today = timezone.localdate()
    with county_context([county]):
        assert list(sector_plan_steps(cec, today)) == []  # step 10 is the working group's
    complete(plan, 10, secretariat_m)
    with county_context([county]):
        # 2 queries: the member's offices, the steps waiting
        with django_assert_max_num_queries(2):
            items = list(sector_plan_steps(cec, today))
        assert list(sector_plan_steps(member(Role.EXECUTIVE), today)) == []
    assert [item.key for item in items] == [f"sectorplan:{plan.pk}:step:11"]
    assert items[0].url == url("step", county, plan_id=plan.pk, number=11)


def test_the_sign_off_page_costs_the_same_queries_however_many_comments(
    client, county, plan, secretariat_m, member, django_assert_max_num_queries
):
    complete_up_to(plan, 45, secretariat_m)
    client.force_login(member(Role.ASSEMBLY).user)
    page = url("step", county, plan_id=plan.pk, number=46)
    counts = []
    for topic in ("Water points", "Clinics", "Markets"):
        with django_assert_max_num_queries(1000) as captured:
            html = client.get(page).content.decode()
        counts.append(len(captured))
        comment_in_window(plan, 41, secretariat_m, topic)  # one more unanswered comment
    assert "“Clinics” (step 41)" in html
    # Readiness: the member's offices, earlier steps not done, the plan's steps and
    # decisions, the earlier windows' comments; the same for 1 comment or 3.
    assert counts[1] == counts[2]
