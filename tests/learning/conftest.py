import pytest

from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, fiscal_year="2024/25")


@pytest.fixture
def membership_of():
    """The Membership row of a user in a county (services take memberships)."""
    from counties.models import Membership

    def get(user, county):
        with county_context([county]):
            return (
                Membership.objects.for_county(county)
                .select_related("user", "county")
                .get(user=user)
            )

    return get


@pytest.fixture
def sec(county, secretariat, membership_of):
    return membership_of(secretariat, county)


@pytest.fixture
def partner_in_plan(county, plan, make_member, membership_of):
    """A partner whose organization leads an activity of the plan."""
    user = make_member(county, Role.PARTNER)
    m = membership_of(user, county)
    factories.JointActivityFactory(county=county, plan=plan, lead_organization=m.organization)
    return m
