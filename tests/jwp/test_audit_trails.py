"""An audit trail lists only its object's events and its children's, never another kind
of object that happens to carry the same id (issue 12: a Health work plan's overlap in
the Agriculture sector plan's trail)."""

import pytest

from jwp import audit
from jwp.roles import Role
from jwp.tenancy import county_context
from sectorplans import selectors as sectorplan_selectors
from tests import factories
from workplans import selectors as workplan_selectors
from workplans.services import overlaps as overlap_services

pytestmark = pytest.mark.django_db


def _same_ids(county):
    """A sector plan and a work plan with the same primary key, and an overlap resolved
    on that work plan."""
    sector_plan = factories.sector_plan(county)
    with county_context([county]):
        work_plan = factories.JointWorkPlanFactory(county=county, pk=sector_plan.pk)
        flag = factories.overlap_flag(county, plan=work_plan)
        secretariat = factories.MembershipFactory(county=county, role=Role.SECRETARIAT)
        overlap_services.overlap_resolve(
            flag=flag, membership=secretariat, resolution="complementary", note="Different wards"
        )
    return sector_plan, work_plan, flag


def test_sector_plan_trail_leaves_out_a_work_plans_overlap_with_the_same_id(county, neighbour):
    sector_plan, work_plan, flag = _same_ids(county)
    assert sector_plan.pk == work_plan.pk
    with county_context([county]):
        sector_trail = [e.verb for e in sectorplan_selectors.plan_audit(plan=sector_plan)]
        work_trail = list(workplan_selectors.plan_audit(plan=work_plan))
    assert "overlap.resolve" not in sector_trail
    assert sector_trail  # its own events are there
    resolved = [e for e in work_trail if e.verb == "overlap.resolve"]
    assert [e.target_id for e in resolved] == [str(flag.pk)]


def test_two_sector_plans_each_list_only_their_own_steps(county, neighbour):
    first = factories.sector_plan(county)
    second = factories.sector_plan(county)
    with county_context([county]):
        step = factories.plan_step(first, 1)
        by = factories.MembershipFactory(county=county, role=Role.SECRETARIAT)
        audit.record(
            county=county,
            actor=by.user,
            verb="planstep.note",
            target=step,
            summary="note",
            data={"plan": first.pk},
        )
        first_trail = {e.verb for e in sectorplan_selectors.plan_audit(plan=first)}
        second_trail = {e.verb for e in sectorplan_selectors.plan_audit(plan=second)}
    assert "planstep.note" in first_trail
    assert "planstep.note" not in second_trail


def test_neighbour_county_events_never_join_the_trail(county, neighbour):
    mine = factories.sector_plan(county)
    theirs = factories.sector_plan(neighbour)
    with county_context([county, neighbour]):
        by = factories.MembershipFactory(county=neighbour, role=Role.SECRETARIAT)
        audit.record(
            county=neighbour,
            actor=by.user,
            verb="planstep.note",
            target=factories.plan_step(theirs, 1),
            summary="theirs",
            data={"plan": mine.pk},
        )
        trail = {e.verb for e in sectorplan_selectors.plan_audit(plan=mine)}
    assert "planstep.note" not in trail
