"""Fixtures of the sector plan tests: a Samburu plan, its members by role, and helpers
that walk steps with the secretariat's shortcut (completing on others' behalf; the
phase sign-offs 15 and 28 by the sector's CEC member, whose own act they are)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from counties.models import Membership, OfficeHolding, OfficeKind
from counties.offices import office_holder
from counties.services.offices import office_get_or_create
from jwp.roles import Role
from jwp.tenancy import county_context
from sectorplans import services
from sectorplans.models import PARTICIPATION_WINDOWS, RECORDED_STEPS
from tests import factories

OFFICE_ROLES = {OfficeKind.CEC_SECTOR: Role.EXECUTIVE, OfficeKind.ASSEMBLY_CHAIR: Role.ASSEMBLY}


def office_member(plan, kind: str, *, starts_on: date = date(2000, 1, 1)) -> Membership:
    """The member holding ``kind`` for the plan's sector today (a new one if vacant)."""
    with county_context([plan.county_id]):
        holding = office_holder(county=plan.county_id, kind=kind, sector=plan.sector_id)
        if holding is not None:
            return Membership.objects.for_county(plan.county_id).get(user=holding.user)
        member = factories.MembershipFactory(county=plan.county, role=OFFICE_ROLES[kind])
        office = office_get_or_create(county=plan.county, kind=kind, sector=plan.sector)
        OfficeHolding.objects.create(
            county=plan.county, office=office, user=member.user, starts_on=starts_on
        )
        return member


@pytest.fixture
def member(county):
    """member(role, county=..., **fields) -> a Membership."""

    def make(role, county=county, **kwargs):
        return factories.MembershipFactory(county=county, role=role, **kwargs)

    return make


@pytest.fixture
def secretariat_m(member):
    return member(Role.SECRETARIAT)


@pytest.fixture
def plan(county, secretariat_m):
    return factories.sector_plan(county, by=secretariat_m)


@pytest.fixture
def lead_m(member, plan):
    """The lead of the plan's own sector."""
    return member(Role.SECTOR_LEAD, sector=plan.sector)


def record_fields(number: int) -> dict:
    """A decision taken today: on or after the step it answers, which is done today too."""
    fields = {"body": f"Recorded at step {number}.", "decided_on": timezone.localdate()}
    if number == 46:
        fields["reference"] = "Hansard 12 March 2024, resolution 7/2024"
    return fields


def finish_window(plan, first: int, by) -> None:
    """Open a window that has already closed, so its steps can be completed."""
    with county_context([plan.county_id]):
        services.participation_window_open(
            plan_step=factories.plan_step(plan, first),
            membership=by,
            title=f"Window of step {first}",
            opens_at=timezone.now() - timedelta(days=30),
            closes_at=timezone.now() - timedelta(days=1),
        )


def complete_up_to(plan, last: int, by, first: int = 1) -> None:
    """The secretariat completes steps first..last (on the actors' behalf where needed);
    the sector's CEC member signs off 15 and 28."""
    windows = dict(PARTICIPATION_WINDOWS)
    for number in range(first, last + 1):
        actor = by
        if number in services.HOLDER_ONLY:
            actor = office_member(plan, services.STEP_OFFICES[number])
        if number in windows:
            finish_window(plan, number, by)
        with county_context([plan.county_id]):
            services.plan_step_complete(
                plan_step=factories.plan_step(plan, number),
                membership=actor,
                **(record_fields(number) if number in RECORDED_STEPS else {}),
            )


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The public comment rate limit counts in the cache; every test starts at zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
