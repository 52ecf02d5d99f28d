"""The rules of the 47 steps: who completes what, the sign-off gates, reopening,
the timeline, revisions and the audit trail. Turkana is the neighbour."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from counties.models import OfficeKind
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import CrossCountyError, county_context
from sectorplans import selectors, services
from sectorplans.models import DecisionKind, PlanStatus, RevisionKind, StepStatus
from tests import factories
from tests.sectorplans.conftest import complete_up_to, office_member, record_fields

pytestmark = pytest.mark.django_db

PDF = factories.PDF_BYTES


def step(plan, number):
    return factories.plan_step(plan, number)


# Most tests here complete one step of a fresh plan: out of order, with a reason.
OUT_OF_ORDER = "The earlier steps are not what this test is about."


def complete(plan, number, membership, **fields):
    fields.setdefault("out_of_order_reason", OUT_OF_ORDER)
    with county_context([plan.county_id]):
        return services.plan_step_complete(
            plan_step=step(plan, number), membership=membership, **fields
        )


def test_starting_a_plan_creates_its_47_steps_not_started(county, plan):
    with county_context([county]):
        steps = list(plan.steps.select_related("step"))
    assert [s.step.number for s in steps] == list(range(1, 48))
    assert {s.status for s in steps} == {StepStatus.NOT_STARTED}
    assert plan.period_label == "2023–2027"
    assert steps[10].responsible_role == Role.EXECUTIVE  # step 11: the CEC


def test_a_sector_lead_starts_a_plan_only_for_their_own_sector(county, member):
    lead = member(Role.SECTOR_LEAD)
    other_sector = factories.SectorFactory(county=county)
    with county_context([county]), pytest.raises(PermissionDenied):
        services.sector_plan_create(
            county=county, membership=lead, sector=other_sector, period_start=2023, title="X"
        )
    plan = factories.sector_plan(county, sector=lead.sector, by=lead)
    assert plan.sector == lead.sector


def test_a_plan_cannot_use_the_neighbours_sector(county, neighbour, secretariat_m):
    with county_context([county, neighbour]), pytest.raises(CrossCountyError):
        services.sector_plan_create(
            county=county,
            membership=secretariat_m,
            sector=factories.SectorFactory(county=neighbour),
            period_start=2023,
            title="X",
        )


def test_the_sector_lead_completes_a_working_group_step_as_the_actor(plan, lead_m):
    done = complete(plan, 9, lead_m)
    assert (done.status, done.completed_by, done.on_behalf_of) == (
        StepStatus.DONE,
        lead_m.user,
        "",
    )


def test_the_secretariat_completing_a_cec_step_is_recorded_on_the_cec_members_behalf(
    plan, secretariat_m
):
    done = complete(plan, 11, secretariat_m, **record_fields(11))
    behalf = f"CEC Member responsible for the sector ({plan.sector.name})"
    assert done.on_behalf_of == behalf
    with county_context([plan.county_id]):
        decision = done.decisions.get()
    assert (decision.kind, decision.on_behalf_of) == (DecisionKind.EXECUTIVE_COMMENTS, behalf)


def test_the_sectors_cec_member_records_cec_comments(plan):
    done = complete(plan, 22, office_member(plan, OfficeKind.CEC_SECTOR), **record_fields(22))
    assert done.on_behalf_of == ""


def test_the_cec_member_of_another_sector_cannot_record_this_sectors_cec_comments(plan):
    office_member(plan, OfficeKind.CEC_SECTOR)  # the office of this sector is held
    other_plan = factories.sector_plan(
        plan.county, sector=factories.SectorFactory(county=plan.county)
    )
    other_cec = office_member(other_plan, OfficeKind.CEC_SECTOR)
    with pytest.raises(PermissionDenied, match="CEC Member responsible for the sector"):
        complete(plan, 22, other_cec, **record_fields(22))
    assert complete(other_plan, 22, other_cec, **record_fields(22)).on_behalf_of == ""


def test_cec_comments_need_their_text_and_date(plan):
    with pytest.raises(ValidationError) as exc:
        complete(plan, 11, office_member(plan, OfficeKind.CEC_SECTOR))
    assert set(exc.value.error_dict) == {"body", "decided_on"}


@pytest.mark.parametrize("role", [Role.PARTNER, Role.OBSERVER, Role.EXECUTIVE, Role.ASSEMBLY])
def test_only_the_committee_chair_records_the_semi_final_approval(plan, member, role):
    office_member(plan, OfficeKind.ASSEMBLY_CHAIR)
    with pytest.raises(PermissionDenied, match="Chair of the Assembly sectoral committee"):
        complete(plan, 43, member(role), **record_fields(43))


def test_the_committee_chair_records_semi_final_approval_with_adjustments(plan):
    chair = office_member(plan, OfficeKind.ASSEMBLY_CHAIR)
    done = complete(plan, 43, chair, adjustments="Add a nutrition target.", **record_fields(43))
    assert done.on_behalf_of == ""
    with county_context([plan.county_id]):
        assert done.decisions.get().adjustments == "Add a nutrition target."


def test_an_assembly_member_cannot_sign_off_phase_1(plan, member, secretariat_m):
    complete_up_to(plan, 14, secretariat_m)
    with pytest.raises(PermissionDenied):
        complete(plan, 15, member(Role.ASSEMBLY))


def test_another_sectors_lead_cannot_complete_this_plans_steps(plan, member):
    with pytest.raises(PermissionDenied):
        complete(plan, 9, member(Role.SECTOR_LEAD))


@pytest.mark.parametrize("sign_off", [15, 28, 46])
def test_a_sign_off_needs_every_earlier_step_done_or_skipped(plan, secretariat_m, sign_off):
    complete_up_to(plan, sign_off - 2, secretariat_m)
    signer = office_member(plan, OfficeKind.CEC_SECTOR) if sign_off in (15, 28) else secretariat_m
    fields = record_fields(sign_off) if sign_off == 46 else {}
    with pytest.raises(ValidationError, match=f"steps {sign_off - 1} are not done"):
        complete(plan, sign_off, signer, **fields)

    with county_context([plan.county_id]):
        services.plan_step_skip(
            plan_step=step(plan, sign_off - 1), membership=secretariat_m, reason="Merged."
        )
    assert complete(plan, sign_off, signer, **fields).status == StepStatus.DONE


@pytest.mark.parametrize("sign_off", [15, 28])
def test_only_the_sectors_cec_member_signs_off_a_phase_not_the_secretariat(
    plan, secretariat_m, member, sign_off
):
    complete_up_to(plan, sign_off - 1, secretariat_m)
    office_member(plan, OfficeKind.CEC_SECTOR)
    for someone in (secretariat_m, member(Role.EXECUTIVE)):
        with pytest.raises(PermissionDenied, match="in office on the day"):
            complete(plan, sign_off, someone)


def test_a_sign_off_with_the_sectors_cec_office_vacant_is_blocked_with_a_link_to_assign(
    plan, secretariat_m
):
    complete_up_to(plan, 14, secretariat_m)
    with county_context([plan.county_id]):
        readiness = services.plan_step_readiness(plan_step=step(plan, 15))
    office = next(c for c in readiness if c.label == "Office holder")
    assert office.blocks
    assert "Nobody holds the office of CEC Member responsible for the sector" in office.detail


def test_a_skip_needs_a_reason_and_sign_offs_cannot_be_skipped(plan, secretariat_m):
    cec = office_member(plan, OfficeKind.CEC_SECTOR)
    with county_context([plan.county_id]):
        with pytest.raises(ValidationError):
            services.plan_step_skip(plan_step=step(plan, 3), membership=secretariat_m, reason=" ")
        with pytest.raises(ValidationError, match="cannot be skipped"):
            services.plan_step_skip(plan_step=step(plan, 15), membership=cec, reason="x")


def test_formal_approval_needs_its_hansard_reference_and_approves_the_plan(plan, secretariat_m):
    complete_up_to(plan, 45, secretariat_m)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        complete(plan, 46, secretariat_m, body="Approved.", decided_on=today)
    assert set(exc.value.error_dict) == {"reference"}
    complete(plan, 46, secretariat_m, **record_fields(46))
    factories.refresh(plan)
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_on == today
    assert plan.approval_reference.startswith("Hansard")


def test_the_plan_cannot_be_published_before_step_46(plan, secretariat_m):
    with pytest.raises(ValidationError, match="before the Assembly's formal approval"):
        complete(plan, 47, secretariat_m)


def test_publishing_at_step_47_publishes_the_plan(plan, secretariat_m):
    complete_up_to(plan, 47, secretariat_m)
    factories.refresh(plan)
    assert plan.status == PlanStatus.PUBLISHED
    assert plan.published_at is not None


@pytest.mark.parametrize("role", [Role.PARTNER, Role.OBSERVER, Role.EXECUTIVE, Role.ASSEMBLY])
def test_a_done_step_is_not_returned_by_someone_who_could_not_complete_it(
    plan, lead_m, member, role
):
    complete(plan, 9, lead_m)
    with county_context([plan.county_id]), pytest.raises(PermissionDenied):
        services.plan_step_reopen(plan_step=step(plan, 9), membership=member(role), reason="x")


def test_a_done_step_is_returned_by_its_actor_with_a_reason_and_audited(
    plan, secretariat_m, lead_m
):
    complete(plan, 9, lead_m)
    with county_context([plan.county_id]):
        with pytest.raises(ValidationError):
            services.plan_step_reopen(plan_step=step(plan, 9), membership=lead_m, reason="")
        reopened = services.plan_step_reopen(
            plan_step=step(plan, 9), membership=lead_m, reason="Baseline data was wrong."
        )
        event = AuditEvent.objects.for_county(plan.county_id).get(verb="planstep.reopen")
    assert (reopened.status, reopened.completed_by) == (StepStatus.IN_PROGRESS, None)
    assert (event.actor, event.data["reason"]) == (lead_m.user, "Baseline data was wrong.")
    assert (event.data["before"]["status"], event.data["after"]["status"]) == (
        "done",
        "in_progress",
    )


def test_a_step_is_returned_one_step_at_a_time(plan, secretariat_m):
    complete_up_to(plan, 10, secretariat_m)
    with county_context([plan.county_id]):
        with pytest.raises(ValidationError, match="Step 10 is finished and rests on this one"):
            services.plan_step_reopen(plan_step=step(plan, 9), membership=secretariat_m, reason="x")
        services.plan_step_reopen(plan_step=step(plan, 10), membership=secretariat_m, reason="x")
        services.plan_step_reopen(plan_step=step(plan, 9), membership=secretariat_m, reason="x")
    assert step(plan, 9).status == StepStatus.IN_PROGRESS


def test_a_phase_sign_off_is_returned_only_by_the_cec_member_who_holds_the_office(
    plan, secretariat_m
):
    complete_up_to(plan, 15, secretariat_m)
    with county_context([plan.county_id]):
        with pytest.raises(PermissionDenied, match="only by the CEC Member"):
            services.plan_step_reopen(
                plan_step=step(plan, 15), membership=secretariat_m, reason="x"
            )
        services.plan_step_reopen(
            plan_step=step(plan, 15),
            membership=office_member(plan, OfficeKind.CEC_SECTOR),
            reason="The baseline must be redone.",
        )
    assert step(plan, 15).status == StepStatus.IN_PROGRESS


def test_a_step_under_a_standing_sign_off_cannot_be_reopened(plan, secretariat_m):
    complete_up_to(plan, 15, secretariat_m)
    with county_context([plan.county_id]), pytest.raises(ValidationError, match="Step 15"):
        services.plan_step_reopen(plan_step=step(plan, 9), membership=secretariat_m, reason="x")


def test_reopening_publication_takes_the_plan_off_the_public_pages(plan, secretariat_m):
    complete_up_to(plan, 47, secretariat_m)
    with county_context([plan.county_id]):
        services.plan_step_reopen(plan_step=step(plan, 47), membership=secretariat_m, reason="x")
    assert factories.refresh(plan).status == PlanStatus.APPROVED


def test_the_secretariat_lays_out_the_timeline_from_a_start_date(plan, secretariat_m, lead_m):
    complete(plan, 1, secretariat_m)
    with county_context([plan.county_id]):
        planned = services.plan_lay_out(plan=plan, membership=secretariat_m, start=date(2025, 1, 6))
        steps = {s.step.number: s for s in plan.steps.select_related("step")}
        with pytest.raises(PermissionDenied):
            services.plan_lay_out(plan=plan, membership=lead_m, start=date(2025, 1, 6))
    assert planned == 46  # step 1 is done and keeps its (empty) dates
    assert steps[1].planned_start is None
    assert steps[2].planned_start == date(2025, 1, 6)  # the first unfinished step
    assert steps[3].planned_start == date(2025, 1, 13)  # after step 2's 7 days
    assert steps[8].planned_start == steps[7].planned_start  # public input alongside step 7
    assert steps[9].planned_start == max(steps[7].due_date, steps[8].due_date)
    assert all(s.due_date > s.planned_start for n, s in steps.items() if n > 1)


def test_a_yearly_update_is_a_new_version_carrying_the_documents_forward(plan, secretariat_m):
    with county_context([plan.county_id]):
        document = services.plan_document_upload(
            plan=plan,
            membership=secretariat_m,
            upload=SimpleUploadedFile("plan.pdf", PDF),
            kind="final",
            title="Approved plan",
        )
    with pytest.raises(ValidationError), county_context([plan.county_id]):  # in preparation
        services.sector_plan_revise(plan=plan, membership=secretariat_m, kind="yearly")
    complete_up_to(plan, 47, secretariat_m)
    factories.refresh(plan)
    with county_context([plan.county_id]):
        update = services.sector_plan_revise(
            plan=plan, membership=secretariat_m, kind=RevisionKind.YEARLY
        )
        review = services.sector_plan_revise(
            plan=plan, membership=secretariat_m, kind=RevisionKind.FIVE_YEAR
        )
        carried = update.documents.get()
    assert (update.period_start, update.version, update.revision_of) == (2023, 2, plan)
    assert (review.period_label, review.version) == ("2028–2032", 1)
    assert (carried.carried_from_id, carried.file.name) == (document.pk, document.file.name)


def test_every_step_change_is_audited_with_before_and_after(plan, secretariat_m):
    complete(plan, 1, secretariat_m)
    with county_context([plan.county_id]):
        event = AuditEvent.objects.for_county(plan.county).get(verb="planstep.complete")
        trail = list(selectors.plan_audit(plan=plan))
    assert event.actor == secretariat_m.user
    assert event.data["before"]["status"] == "not_started"
    assert event.data["after"]["status"] == "done"
    assert event in trail


def test_the_neighbours_secretariat_cannot_act_on_this_countys_plan(plan, neighbour, member):
    with county_context([plan.county_id, neighbour]), pytest.raises(CrossCountyError):
        services.plan_step_complete(
            plan_step=step(plan, 1), membership=member(Role.SECRETARIAT, county=neighbour)
        )


def test_the_overview_counts_progress_and_overdue_steps(county, neighbour, plan, secretariat_m):
    factories.sector_plan(neighbour)
    complete_up_to(plan, 3, secretariat_m)
    with county_context([county]):
        services.plan_lay_out(plan=plan, membership=secretariat_m, start=date(2020, 1, 1))
        row = selectors.county_plans(county=county, today=date(2020, 2, 1)).get()
    assert (row.finished, row.current_step) == (3, 4)
    assert row.next_due == date(2020, 1, 15)  # step 4: 14 days
    assert row.overdue == 2  # steps 4 and 5 (due 15 and 22 January)
