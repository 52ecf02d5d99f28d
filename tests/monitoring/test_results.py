"""Indicators, targets and results: variance and RAG math, the result workflow."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jwp.roles import Role
from jwp.tenancy import county_context
from monitoring import services
from monitoring.models import Direction, Measure, RagThresholds, ResultStatus
from tests import factories

pytestmark = pytest.mark.django_db

D = Decimal


def thresholds(green="90", amber="70"):
    return RagThresholds(green_from=D(green), amber_from=D(amber))


# --- math ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target,actual,rag,difference,percent",
    [
        ("100", "100", "green", "0", "100.0"),
        ("100", "90", "green", "-10", "90.0"),
        ("100", "89.99", "amber", "-10.01", "90.0"),
        ("100", "70", "amber", "-30", "70.0"),
        ("100", "69.99", "red", "-30.01", "70.0"),
        ("3", "2", "red", "-1", "66.7"),
        ("100", "150", "green", "50", "150.0"),
    ],
)
def test_increase_indicators(target, actual, rag, difference, percent):
    v = services.variance(
        target=D(target), actual=D(actual), direction=Direction.INCREASE, thresholds=thresholds()
    )
    assert (v.rag, v.difference, v.percent) == (rag, D(difference), D(percent))


@pytest.mark.parametrize(
    "target,actual,rag",
    [
        ("10", "10", "green"),  # at target
        ("10", "4", "green"),  # below target: better
        ("10", "11", "amber"),  # above target: never on track, though 90.9 % achieved
        ("10", "12", "amber"),  # 83.3 %
        ("10", "15", "red"),  # 66.7 %
        ("0", "0", "green"),
        ("0", "1", "red"),
    ],
)
def test_decrease_indicators_at_or_below_target_are_green(target, actual, rag):
    v = services.variance(
        target=D(target), actual=D(actual), direction=Direction.DECREASE, thresholds=thresholds()
    )
    assert v.rag == rag
    assert v.difference == D(actual) - D(target)


def test_zero_target_has_no_percentage():
    v = services.variance(
        target=D(0), actual=D(5), direction=Direction.INCREASE, thresholds=thresholds()
    )
    assert v.percent is None and v.rag == "green"


def test_the_county_sets_its_thresholds(county):
    secretariat = factories.MembershipFactory(county=county, role=Role.SECRETARIAT)
    with county_context([county]):
        assert services.thresholds_for(county).green_from == D(90)
        services.thresholds_save(membership=secretariat, green_from=D(95), amber_from=D(80))
        row = services.thresholds_for(county)
        assert (row.green_from, row.amber_from) == (D(95), D(80))
        assert RagThresholds.objects.for_county(county).count() == 1
        v = services.variance(
            target=D(100), actual=D(92), direction=Direction.INCREASE, thresholds=row
        )
        assert v.rag == "amber"
        with pytest.raises(ValidationError):
            services.thresholds_save(membership=secretariat, green_from=D(50), amber_from=D(80))


# --- workflow --------------------------------------------------------------------


@pytest.fixture
def indicator(county):
    return factories.IndicatorFactory(county=county)


@pytest.fixture
def secretariat(county):
    return factories.MembershipFactory(county=county, role=Role.SECRETARIAT)


@pytest.fixture
def partner(county, indicator):
    return factories.MembershipFactory(
        county=county, role=Role.PARTNER, organization=indicator.responsible_organization
    )


def draft(membership, indicator, quarter=1, value="80"):
    with county_context([indicator.county]):
        return services.result_save_draft(
            membership=membership,
            indicator=indicator,
            fiscal_year=indicator.plan.fiscal_year,
            quarter=quarter,
            value=D(value),
        )


def test_partner_submits_secretariat_returns_partner_fixes_secretariat_verifies(
    county, indicator, partner, secretariat
):
    result = draft(partner, indicator)
    assert result.status == ResultStatus.DRAFT
    with county_context([county]):
        services.result_submit(membership=partner, result=result)
        assert result.status == ResultStatus.SUBMITTED and result.submitted_by == partner.user
        with pytest.raises(ValidationError):
            services.result_return(membership=secretariat, result=result, comment="  ")
        services.result_return(
            membership=secretariat, result=result, comment="Use the DHIS2 figure"
        )
        # returned: back to draft, the comment kept for the reporter and in the thread
        assert result.status == ResultStatus.DRAFT
        assert result.return_comment == "Use the DHIS2 figure"
        thread = list(result.comments.values_list("kind", "body", "author"))
        assert thread == [("return", "Use the DHIS2 figure", secretariat.user_id)]
    result = draft(partner, indicator, value="85")
    assert result.value == D(85) and result.status == ResultStatus.DRAFT
    assert result.return_comment == "Use the DHIS2 figure"
    with county_context([county]):
        services.result_submit(membership=partner, result=result)
        assert result.return_comment == ""  # resubmitted: no longer shown
        services.result_verify(membership=secretariat, result=result)
        assert result.status == ResultStatus.VERIFIED and result.verified_by == secretariat.user
        assert result.return_comment == ""


def test_a_partner_of_another_organization_cannot_enter_or_submit(county, indicator, partner):
    other = factories.MembershipFactory(county=county, role=Role.PARTNER)
    with pytest.raises(PermissionDenied):
        draft(other, indicator)
    result = draft(partner, indicator)
    with county_context([county]), pytest.raises(PermissionDenied):
        services.result_submit(membership=other, result=result)


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.SECTOR_LEAD, Role.OBSERVER])
def test_other_roles_cannot_enter_results(county, indicator, role):
    with pytest.raises(PermissionDenied):
        draft(factories.MembershipFactory(county=county, role=role), indicator)


def test_only_the_secretariat_verifies_or_returns(county, indicator, partner):
    result = draft(partner, indicator)
    with county_context([county]):
        services.result_submit(membership=partner, result=result)
        with pytest.raises(PermissionDenied):
            services.result_verify(membership=partner, result=result)
        with pytest.raises(PermissionDenied):
            services.result_return(membership=partner, result=result, comment="no")
    assert factories.refresh(result).status == ResultStatus.SUBMITTED


def test_a_draft_cannot_be_verified(county, indicator, partner, secretariat):
    result = draft(partner, indicator)
    with county_context([county]), pytest.raises(ValidationError):
        services.result_verify(membership=secretariat, result=result)


def test_a_verified_or_submitted_result_cannot_be_edited(county, indicator, partner, secretariat):
    result = draft(partner, indicator)
    with county_context([county]):
        services.result_submit(membership=partner, result=result)
    with pytest.raises(ValidationError):
        draft(partner, indicator, value="1")
    with county_context([county]):
        services.result_verify(membership=secretariat, result=result)
    for who in (partner, secretariat):
        with pytest.raises(ValidationError):
            draft(who, indicator, value="1")
    with county_context([county]), pytest.raises(ValidationError):
        services.result_submit(membership=secretariat, result=result)
    assert factories.refresh(result).value == D(80)


def test_a_stale_row_version_is_refused(county, indicator, partner):
    from workplans.services.rules import EditConflict

    result = draft(partner, indicator)
    draft(partner, indicator, value="81")
    with county_context([county]), pytest.raises(EditConflict):
        services.result_submit(membership=partner, result=result, row_version=1)


def test_qualitative_results_need_a_narrative(county, partner, indicator):
    indicator.measure = Measure.QUALITATIVE
    with county_context([county]):
        indicator.save()
        with pytest.raises(ValidationError):
            services.result_save_draft(
                membership=partner, indicator=indicator, fiscal_year="2025/26", quarter=2
            )
        result = services.result_save_draft(
            membership=partner,
            indicator=indicator,
            fiscal_year="2025/26",
            quarter=2,
            narrative="Ward committees met monthly",
        )
    assert result.value is None


def test_periods_are_checked(county, indicator, partner):
    with county_context([county]):
        for fy, q in (("2025", 1), ("2025/26", 5)):
            with pytest.raises(ValidationError):
                services.result_save_draft(
                    membership=partner, indicator=indicator, fiscal_year=fy, quarter=q, value=D(1)
                )


def test_results_are_audited(county, indicator, partner):
    from jwp.models import AuditEvent

    result = draft(partner, indicator)
    with county_context([county]):
        services.result_submit(membership=partner, result=result)
        verbs = list(
            AuditEvent.objects.for_county(county)
            .filter(target_type="monitoring.result")
            .values_list("verb", flat=True)
        )
    assert sorted(verbs) == ["result.create", "result.submit"]


# --- indicators and targets ------------------------------------------------------


def test_secretariat_defines_indicators_on_one_objective_or_activity(county, secretariat):
    plan = factories.JointWorkPlanFactory(county=county)
    objective = factories.ObjectiveFactory(county=county, plan=plan)
    activity = factories.JointActivityFactory(county=county, plan=plan)
    org = factories.OrganizationFactory()
    with county_context([county]):
        with pytest.raises(ValidationError):
            services.indicator_save(
                membership=secretariat,
                plan=plan,
                objective=objective,
                activity=activity,
                responsible_organization=org,
                name="Both",
            )
        with pytest.raises(ValidationError):
            services.indicator_save(
                membership=secretariat, plan=plan, responsible_organization=org, name="Neither"
            )
        other_plan_activity = factories.JointActivityFactory(
            county=county, plan__fiscal_year="2026/27"
        )
        with pytest.raises(ValidationError):
            services.indicator_save(
                membership=secretariat,
                plan=plan,
                activity=other_plan_activity,
                responsible_organization=org,
                name="Elsewhere",
            )
        partner = factories.MembershipFactory(county=county, role=Role.PARTNER, organization=org)
        with pytest.raises(PermissionDenied):
            services.indicator_save(
                membership=partner,
                plan=plan,
                activity=activity,
                responsible_organization=org,
                name="Mine",
            )
        indicator = services.indicator_save(
            membership=secretariat,
            plan=plan,
            activity=activity,
            responsible_organization=org,
            name="Children vaccinated",
            direction=Direction.INCREASE,
            aggregation="sum",
            by_sex=True,
        )
        target = services.target_set(
            membership=secretariat,
            indicator=indicator,
            fiscal_year=plan.fiscal_year,
            quarter=1,
            value=D(50),
        )
        again = services.target_set(
            membership=secretariat,
            indicator=indicator,
            fiscal_year=plan.fiscal_year,
            quarter=1,
            value=D(60),
        )
        assert again.pk == target.pk and again.value == D(60)
        with pytest.raises(PermissionDenied):
            services.target_set(
                membership=partner,
                indicator=indicator,
                fiscal_year=plan.fiscal_year,
                quarter=2,
                value=D(1),
            )
