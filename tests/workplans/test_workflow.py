"""The approval chain of a joint work plan (manual §4.2 step 3): each step is taken by
its office holder, only when its readiness is met, records a decision, can be returned
one step, and tells the next people; signatures are bound to offices; the lock after
the last signature; amendments as new versions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from counties.models import OfficeHolding, OfficeKind
from counties.services.offices import office_assign
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from notifications.models import Notification
from notifications.waiting import waiting_for
from tests import factories
from tests.workplans import chain as chains
from workplans import selectors
from workplans.models import (
    Annex,
    DecisionOutcome,
    JointActivity,
    PlanDecision,
    PlanStatus,
    Signature,
)
from workplans.services import signatures
from workplans.services import workflow as services


@pytest.fixture
def c(county, neighbour):
    return chains.build(county)


def _consolidate(c):
    return services.workplan_consolidate(plan=c.plan, membership=c.secretariat)


def _endorse(c):
    return services.workplan_twg_review(
        plan=c.plan, membership=c.chair, meeting=c.held, outcome="endorsed", comments="Good."
    )


def _approve(c, decided_on=None):
    return services.workplan_cec_approve(
        plan=c.plan,
        membership=c.finance,
        reference="CEC/SBR/2026/11",
        decided_on=decided_on or timezone.localdate(),
    )


def _to(c, status):
    steps = {
        PlanStatus.CONSOLIDATED: [_consolidate],
        PlanStatus.TWG_REVIEWED: [_consolidate, _endorse],
        PlanStatus.CEC_APPROVED: [_consolidate, _endorse, _approve],
    }[status]
    with county_context([c.county]):
        for step in steps:
            step(c)


def _slots(c):
    with county_context([c.county]):
        return {s.capacity: s for s in selectors.plan_signatures(plan=c.plan)}


def _sign_all(c):
    slots = _slots(c)
    with county_context([c.county]):
        signatures.signature_sign(signature=slots["county_secretary"], membership=c.secretary)
        signatures.signature_sign(signature=slots["cec_finance"], membership=c.finance)
        signatures.signature_sign(signature=slots["partner"], membership=c.signatory)


def _notified(c, key_part):
    with county_context([c.county]):
        return set(
            Notification.objects.for_county(c.county)
            .filter(item_key__contains=key_part)
            .values_list("recipient_id", flat=True)
        )


# --- consolidation --------------------------------------------------------------------


def test_an_incomplete_plan_is_not_consolidated_and_the_message_says_what_is_missing(c):
    county = c.county
    other = factories.OrganizationFactory(name="Kenya Red Cross Society")
    with county_context([county]):
        c.plan.objectives.all().delete()
        services_plans = __import__("workplans.services.plans", fromlist=["x"])
        services_plans.workplan_update(
            plan=c.plan,
            membership=c.secretariat,
            row_version=c.plan.row_version,
            partners=[c.org, other],
        )
    bare = factories.JointActivityFactory(county=county, plan=c.plan, title="Fodder bank")
    factories.overlap_flag(county, plan=c.plan)
    with county_context([county]), pytest.raises(ValidationError) as refused:
        _consolidate(c)
    text = " ".join(refused.value.messages)
    assert "no objectives" in text
    assert bare.title in text  # an activity without wards
    assert "overlap" in text
    assert "Kenya Red Cross Society" in text and "World Vision" not in text
    assert factories.refresh(c.plan).status == PlanStatus.CO_CREATION


def test_only_the_secretariat_consolidates(c):
    with county_context([c.county]), pytest.raises(PermissionDenied, match="secretariat"):
        services.workplan_consolidate(plan=c.plan, membership=c.finance)


def test_consolidation_records_a_decision_and_tells_only_the_twg_chair(c, neighbour):
    neighbour_chair = chains.member(neighbour, Role.EXECUTIVE)
    chains.assign(
        neighbour,
        OfficeKind.TWG_CHAIR,
        neighbour_chair,
        chains.member(neighbour, Role.SECRETARIAT),
        timezone.localdate() - timedelta(days=5),
    )
    with county_context([c.county]):
        decision = _consolidate(c)
    assert (decision.stage, decision.outcome, decision.by) == (
        "consolidate",
        "consolidated",
        c.secretariat.user,
    )
    assert _notified(c, f"workplan:{c.plan.pk}:consolidated") == {c.chair.user_id}
    with county_context([neighbour]):
        assert not Notification.objects.for_county(neighbour).exists()


# --- TWG review -------------------------------------------------------------------------


def test_the_twg_review_is_recorded_only_by_the_twg_chair(c):
    _to(c, PlanStatus.CONSOLIDATED)
    for intruder in (c.secretariat, c.finance):
        with county_context([c.county]), pytest.raises(PermissionDenied) as refused:
            services.workplan_twg_review(
                plan=c.plan, membership=intruder, meeting=c.held, outcome="endorsed"
            )
        assert "Chair of the JWP Technical Working Group" in str(refused.value)
        assert "you do not hold this office" in str(refused.value)


def test_the_twg_review_needs_a_meeting_that_has_taken_place(c):
    _to(c, PlanStatus.CONSOLIDATED)
    with county_context([c.county]), pytest.raises(ValidationError) as refused:
        services.workplan_twg_review(
            plan=c.plan, membership=c.chair, meeting=c.future, outcome="endorsed"
        )
    assert "has not taken place yet" in str(refused.value.error_dict["meeting"])
    with county_context([c.county]):
        decision = _endorse(c)
    assert factories.refresh(c.plan).status == PlanStatus.TWG_REVIEWED
    assert decision.meeting == c.held
    assert decision.office_title == "Chair of the JWP Technical Working Group"
    assert decision.decided_on == timezone.localtime(c.held.starts_at).date()
    assert _notified(c, "twg_reviewed") == {c.finance.user_id}


def test_the_twg_returns_the_plan_to_co_creation_with_comments(c):
    _to(c, PlanStatus.CONSOLIDATED)
    with county_context([c.county]), pytest.raises(ValidationError, match="Say why"):
        services.workplan_twg_review(
            plan=c.plan, membership=c.chair, meeting=c.held, outcome="returned"
        )
    with county_context([c.county]):
        decision = services.workplan_twg_review(
            plan=c.plan,
            membership=c.chair,
            meeting=c.held,
            outcome="returned",
            comments="Add the wards of the water activities.",
        )
        assert AuditEvent.objects.for_county(c.county).filter(verb="workplan.returned").exists()
    assert factories.refresh(c.plan).status == PlanStatus.CO_CREATION
    assert (decision.outcome, decision.to_status) == ("returned", "co_creation")
    # the secretariat (who also consolidated it), not the chair who returned it
    assert _notified(c, "returned") == {c.secretariat.user_id}
    # the secretariat sees it waiting for them
    keys = [i.key for i in _waiting(c, c.secretariat)]
    assert f"workplan:{c.plan.pk}:returned" in keys


# --- CEC approval ---------------------------------------------------------------------


def test_the_cec_approval_is_recorded_only_by_the_cec_member_for_finance(c):
    _to(c, PlanStatus.TWG_REVIEWED)
    with county_context([c.county]), pytest.raises(PermissionDenied) as refused:
        services.workplan_cec_approve(
            plan=c.plan,
            membership=c.executive,
            reference="CEC/1",
            decided_on=timezone.localdate(),
        )
    assert "CEC Member for Finance and Economic Planning" in str(refused.value)


@pytest.mark.parametrize(
    ("days", "reference", "field", "words"),
    [
        (1, "CEC/1", "decided_on", "cannot be in the future"),
        (-10, "CEC/1", "decided_on", "before the TWG reviewed it"),
        (0, " ", "reference", "decision reference"),
    ],
)
def test_the_cec_approval_needs_a_reference_and_a_date_that_can_be_true(
    c, days, reference, field, words
):
    _to(c, PlanStatus.TWG_REVIEWED)
    with county_context([c.county]), pytest.raises(ValidationError) as refused:
        services.workplan_cec_approve(
            plan=c.plan,
            membership=c.finance,
            reference=reference,
            decided_on=timezone.localdate() + timedelta(days=days),
        )
    assert words in " ".join(refused.value.error_dict[field][0].messages)


def test_the_cec_approval_opens_slots_bound_to_offices_and_tells_their_holders(c, neighbour):
    _to(c, PlanStatus.CEC_APPROVED)
    slots = _slots(c)
    assert {k: s.office.kind for k, s in slots.items()} == {
        "county_secretary": OfficeKind.COUNTY_SECRETARY,
        "cec_finance": OfficeKind.CEC_FINANCE,
        "partner": OfficeKind.PARTNER_SIGNATORY,
    }
    assert slots["partner"].office.organization == c.org
    # the CEC Finance holder approved: not told of their own step
    assert _notified(c, "cec_approved") == {c.secretary.user_id, c.signatory.user_id}
    with county_context([c.county]):
        decision = PlanDecision.objects.for_county(c.county).get(stage="cec_approval")
    assert (decision.reference, decision.by, decision.office_title) == (
        "CEC/SBR/2026/11",
        c.finance.user,
        "CEC Member for Finance and Economic Planning",
    )


def test_each_stage_returns_the_plan_one_step_with_a_reason(c):
    _to(c, PlanStatus.CEC_APPROVED)
    with county_context([c.county]):
        with pytest.raises(PermissionDenied, match="CEC Member for Finance"):
            services.workplan_return(plan=c.plan, membership=c.secretariat, reason="No")
        services.workplan_return(plan=c.plan, membership=c.finance, reason="Wrong reference")
        assert factories.refresh(c.plan).status == PlanStatus.TWG_REVIEWED
        assert not Signature.objects.for_county(c.county).filter(plan=c.plan).exists()
        services.workplan_return(plan=c.plan, membership=c.finance, reason="Re-check costs")
        assert factories.refresh(c.plan).status == PlanStatus.CONSOLIDATED
        outcomes = list(
            PlanDecision.objects.for_county(c.county)
            .filter(outcome=DecisionOutcome.RETURNED)
            .values_list("comments", "from_status", "to_status")
        )
    assert outcomes == [
        ("Wrong reference", "cec_approved", "twg_reviewed"),
        ("Re-check costs", "twg_reviewed", "consolidated"),
    ]
    # the secretariat and the TWG chair who endorsed it before are told
    assert _notified(c, "returned") == {c.secretariat.user_id, c.chair.user_id}


# --- signing --------------------------------------------------------------------------


def test_only_the_holder_of_the_slots_office_signs_and_the_signature_names_the_office(c):
    _to(c, PlanStatus.CEC_APPROVED)
    slots = _slots(c)
    with county_context([c.county]):
        # the CEC member for Finance cannot sign the County Secretary's slot
        with pytest.raises(PermissionDenied, match="County Secretary"):
            signatures.signature_sign(signature=slots["county_secretary"], membership=c.finance)
        # any member of the partner is not its signatory
        colleague = chains.member(c.county, Role.PARTNER, organization=c.org)
        with pytest.raises(PermissionDenied, match="Authorized signatory"):
            signatures.signature_sign(signature=slots["partner"], membership=colleague)
        signatures.signature_sign(signature=slots["county_secretary"], membership=c.secretary)
    slot = factories.refresh(slots["county_secretary"])
    assert slot.signed_by == c.secretary.user
    assert (slot.signer_name, slot.signer_title) == (c.secretary.user.full_name, "County Secretary")


def test_a_former_holder_cannot_sign(c):
    today = timezone.localdate()
    successor = chains.member(c.county, Role.EXECUTIVE)
    _to(c, PlanStatus.CEC_APPROVED)
    with county_context([c.county]):
        office = chains.office(c.county, OfficeKind.COUNTY_SECRETARY)
        office_assign(office=office, holder=successor, starts_on=today, by=c.secretariat)
        ended = OfficeHolding.objects.for_county(c.county).get(user=c.secretary.user)
        assert ended.ends_on == today - timedelta(days=1)
        slot = _slots(c)["county_secretary"]
        with pytest.raises(PermissionDenied, match="you do not hold this office"):
            signatures.signature_sign(signature=slot, membership=c.secretary)
        signatures.signature_sign(signature=slot, membership=successor)


def test_a_slot_without_a_holder_blocks_signing_with_a_link_to_assign_one(client, c):
    _to(c, PlanStatus.CEC_APPROVED)
    with county_context([c.county]):
        holding = OfficeHolding.objects.for_county(c.county).get(user=c.signatory.user)
        holding.ends_on = timezone.localdate() - timedelta(days=1)
        holding.save()
        readiness = services.workplan_step_readiness(plan=c.plan, step="signing")
        with pytest.raises(ValidationError, match="World Vision Kenya"):
            signatures.signature_sign(
                signature=_slots(c)["county_secretary"], membership=c.secretary
            )
    [blocking] = readiness.blocking
    assert "Nobody holds this office" in blocking.detail
    client.force_login(c.secretary.user)
    page = client.get(reverse("workplans:plan", args=[c.county.slug, c.plan.pk]))
    assert "cannot be signed until every signatory office has a holder" in page.content.decode()
    assert not [s for s in page.context["signatures"] if s.can_sign]  # not offered


def test_a_return_is_not_offered_once_a_signature_is_in(client, c):
    _to(c, PlanStatus.CEC_APPROVED)
    client.force_login(c.finance.user)
    assert client.get(_step(c, "signing")).context["may_return"]
    with county_context([c.county]):
        signatures.signature_sign(signature=_slots(c)["cec_finance"], membership=c.finance)
        with pytest.raises(ValidationError, match="Signatures are already in"):
            services.workplan_return(plan=c.plan, membership=c.finance, reason="Late change")
    assert not client.get(_step(c, "signing")).context["may_return"]


def test_the_last_signature_signs_locks_and_tells_the_secretariat(c):
    _to(c, PlanStatus.CEC_APPROVED)
    _sign_all(c)
    plan = factories.refresh(c.plan)
    assert plan.status == PlanStatus.SIGNED and plan.is_locked
    assert _notified(c, f"workplan:{plan.pk}:signed") == {c.secretariat.user_id}


def _waiting(c, membership):
    with county_context([c.county]):
        return waiting_for(membership, today=timezone.localdate())


def test_waiting_lists_the_step_of_the_office_held(c):
    assert not _waiting(c, c.chair)
    _to(c, PlanStatus.CONSOLIDATED)
    [item] = _waiting(c, c.chair)
    assert item.key == f"workplan:{c.plan.pk}:twg_review"
    assert not _waiting(c, c.finance)
    with county_context([c.county]):
        _endorse(c)
        _approve(c)
    assert [i.key for i in _waiting(c, c.signatory)] == [
        f"workplan:{c.plan.pk}:signature:{_slots(c)['partner'].pk}"
    ]


def test_approved_and_signed_plans_refuse_changes(c):
    from workplans.services import plans as plan_services

    _to(c, PlanStatus.CEC_APPROVED)
    with county_context([c.county]):
        activity = JointActivity.objects.for_county(c.county).get(pk=c.activity.pk)
        with pytest.raises(ValidationError, match="approved"):
            plan_services.section_item_save(
                plan=c.plan,
                membership=c.secretariat,
                kind="risk",
                description="Drought",
                likelihood="high",
                impact="high",
            )
    _sign_all(c)
    with county_context([c.county]):
        activity.plan = factories.refresh(c.plan)
        with pytest.raises(ValidationError, match="locked"):
            plan_services.activity_update(
                activity=activity,
                membership=c.secretariat,
                row_version=activity.row_version,
                title="Changed after signing",
            )


def test_amendment_creates_version_2_with_copied_content(c):
    from workplans.services import plans as plan_services

    annex = factories.AnnexFactory(county=c.county, plan=c.plan)
    with county_context([c.county]), pytest.raises(ValidationError, match="Only a signed plan"):
        plan_services.workplan_amend(plan=c.plan, membership=c.secretariat)
    _to(c, PlanStatus.CEC_APPROVED)
    _sign_all(c)
    plan = factories.refresh(c.plan)
    with county_context([c.county]):
        with pytest.raises(PermissionDenied):
            plan_services.workplan_amend(plan=plan, membership=c.finance)
        new = plan_services.workplan_amend(plan=plan, membership=c.secretariat)
        assert (new.version, new.amends_id, new.status) == (2, plan.pk, PlanStatus.DRAFT)
        assert [a.title for a in selectors.plan_activities(plan=new)] == ["Borehole repair"]
        copied = Annex.objects.for_county(c.county).get(plan=new)
        assert copied.file.name == annex.file.name
        with pytest.raises(ValidationError, match="newer version"):
            plan_services.workplan_amend(plan=plan, membership=c.secretariat)


# --- the pages ------------------------------------------------------------------------


def _step(c, step):
    return reverse("workplans:plan_step", args=[c.county.slug, c.plan.pk, step])


def test_the_readiness_page_shows_blockers_and_offers_no_confirmation_until_ready(client, c):
    factories.overlap_flag(c.county, plan=c.plan)
    client.force_login(c.secretariat.user)
    page = client.get(_step(c, "consolidate"))
    assert page.status_code == 200
    assert not page.context["readiness"].ready and not page.context["may_act"]
    assert "Blocking" in page.content.decode() and "overlap" in page.content.decode()
    response = client.post(_step(c, "consolidate"), {"action": "take"})
    assert "overlap" in response.content.decode()
    assert factories.refresh(c.plan).status == PlanStatus.CO_CREATION


def test_the_wrong_office_holder_is_refused_on_the_page_with_the_office_named(client, c):
    _to(c, PlanStatus.CONSOLIDATED)
    client.force_login(c.secretariat.user)
    page = client.get(_step(c, "twg_review"))
    assert not page.context["may_act"]
    assert "taken by Chair of the JWP Technical Working Group" in page.content.decode()
    response = client.post(
        _step(c, "twg_review"),
        {"action": "take", "meeting": c.held.pk, "outcome": "endorsed"},
    )
    assert response.status_code == 403
    assert "Chair of the JWP Technical Working Group" in response.content.decode()


def test_sign_is_offered_only_to_the_holder_of_the_office(client, c, django_assert_max_num_queries):
    _to(c, PlanStatus.CEC_APPROVED)
    client.force_login(c.finance.user)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("workplans:plan", args=[c.county.slug, c.plan.pk]))
    assert [s.capacity for s in page.context["signatures"] if s.can_sign] == ["cec_finance"]
    assert "Sign as CEC Member for Finance and Economic Planning" in page.content.decode()
    assert "Sign as County Secretary" not in page.content.decode()
    secretary_slot = _slots(c)["county_secretary"]
    client.post(reverse("workplans:signature_sign", args=[c.county.slug, secretary_slot.pk]))
    assert factories.refresh(secretary_slot).signed_at is None


def test_a_neighbour_countys_member_gets_404(client, c, neighbour):
    client.force_login(chains.member(neighbour, Role.SECRETARIAT).user)
    for step in ("consolidate", "twg_review", "cec_approval", "signing"):
        url = reverse("workplans:plan_step", args=[neighbour.slug, c.plan.pk, step])
        assert client.get(url).status_code == 404
    assert client.get(_step(c, "consolidate")).status_code == 404


def test_the_pdf_signature_block_prints_each_office_and_its_holders_name(c):
    from django.template.loader import render_to_string

    _to(c, PlanStatus.CEC_APPROVED)
    _sign_all(c)
    with county_context([c.county]):
        html = render_to_string(
            "documents/pdf/_signatures.html",
            {"signatures": list(selectors.plan_signatures(plan=c.plan)), "county": c.county},
        )
    for holder, office in (
        (c.secretary, "County Secretary"),
        (c.finance, "CEC Member for Finance and Economic Planning"),
        (c.signatory, "Authorized signatory (Chief of Party / Country Director) — WVK"),
    ):
        assert f"<td>{holder.user.full_name}</td>" in html
        assert f"<td>{office}</td>" in html


@pytest.mark.parametrize("step", ["consolidate", "twg_review", "cec_approval", "signing"])
@pytest.mark.parametrize("action", ["take", "return", "nonsense"])
def test_bad_input_on_a_step_page_is_a_message_not_an_error(client, c, step, action):
    _to(c, PlanStatus.TWG_REVIEWED)
    client.force_login(c.finance.user)
    response = client.post(
        _step(c, step), {"action": action, "decided_on": "31/31/2026", "meeting": "x"}
    )
    assert response.status_code in (200, 403)
    assert factories.refresh(c.plan).status == PlanStatus.TWG_REVIEWED


def test_the_cec_approval_page_warns_of_a_vacant_signatory_office(client, c):
    _to(c, PlanStatus.TWG_REVIEWED)
    with county_context([c.county]):
        holding = OfficeHolding.objects.for_county(c.county).get(user=c.signatory.user)
        holding.ends_on = timezone.localdate() - timedelta(days=1)
        holding.save()
        readiness = services.workplan_step_readiness(plan=c.plan, step="cec_approval")
    assert readiness.ready  # approving is not blocked…
    [warning] = readiness.warnings  # …but the plan cannot be signed until one is assigned
    assert "World Vision Kenya" in warning.label and "cannot be signed" in warning.detail
    client.force_login(c.finance.user)
    assert "Warning" in client.get(_step(c, "cec_approval")).content.decode()
