"""`manage.py seed_demo` makes the demo once and prints the logins."""

from io import StringIO

import pytest
from django.core.management import call_command

from counties.models import (
    CoordinationStructure,
    Membership,
    Nomination,
    Quadrant,
    Stakeholder,
    StructureMember,
)
from jwp.models import User
from jwp.roles import Role
from jwp.tenancy import county_context

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_user_per_role_and_runs_once(county, neighbour):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "secretariat@samburu.demo" in out.getvalue()
    with county_context([county, neighbour]):
        samburu_roles = set(Membership.objects.for_county(county).values_list("role", flat=True))
        partner_counties = set(
            Membership.objects.all_counties()
            .filter(user__email="partner@nawiri.demo")
            .values_list("county__code", flat=True)
        )
    assert samburu_roles == set(Role.values)
    with county_context([county]):
        register = list(Stakeholder.objects.for_county(county))
        quadrants = {s.quadrant for s in register}
        twg = CoordinationStructure.objects.for_county(county).get(kind="twg")
        twg_size = StructureMember.objects.for_county(county).filter(structure=twg).count()
        nomination_states = set(
            Nomination.objects.for_county(county).values_list("status", flat=True)
        )
    assert len(register) >= 12 and quadrants == set(Quadrant.values)
    assert 7 <= twg_size <= 11
    assert {"invited", "nominated"} <= nomination_states
    assert partner_counties == {"025", "023"}
    users = User.objects.count()

    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "already seeded" in again.getvalue()
    assert User.objects.count() == users
