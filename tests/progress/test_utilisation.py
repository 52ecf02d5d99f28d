"""Expenditure against budget lines: sums by the database, utilisation to the cent."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jwp.roles import Role
from jwp.tenancy import county_context
from progress import selectors, services
from progress.models import Expenditure
from tests import factories
from workplans.services.rules import EditConflict

pytestmark = pytest.mark.django_db
D = Decimal


def _membership(county, role=Role.SECRETARIAT, **kwargs):
    return factories.MembershipFactory(county=county, role=role, **kwargs)


def test_utilisation_is_spent_over_budget_to_one_decimal():
    assert selectors.utilisation(D("333.33"), D("1000.00")) == D("33.3")
    assert selectors.utilisation(D("0.05"), D("0.10")) == D("50.0")
    assert selectors.utilisation(D("2.00"), D("3.00")) == D("66.7")  # half up
    assert selectors.utilisation(D("1"), D("0")) is None


def test_spending_adds_up_to_the_cent_per_line_activity_and_plan(county):
    secretariat = _membership(county)
    activity = factories.JointActivityFactory(county=county)
    kes = factories.BudgetLineFactory(county=county, activity=activity, amount=D("1000.10"))
    usd = factories.BudgetLineFactory(
        county=county,
        activity=activity,
        amount=D("10.00"),
        currency="USD",
        exchange_rate=D("129.3333"),
    )  # = KES 1,293.33
    other = factories.BudgetLineFactory(
        county=county, amount=D("0.30"), activity__plan__fiscal_year="2026/27"
    )
    with county_context([county]):
        for quarter, amount in ((1, "0.10"), (2, "0.20"), (3, "999.81")):
            services.expenditure_save(
                membership=secretariat, budget_line=kes, quarter=quarter, amount_kes=D(amount)
            )
        services.expenditure_save(
            membership=secretariat, budget_line=usd, quarter=2, amount_kes=D("646.67")
        )
        grid = selectors.progress_grid(county=county, plan=activity.plan)
        other_grid = selectors.progress_grid(county=county, plan=other.activity.plan)
    (row,) = grid.rows
    lines = {r.line.pk: r for r in row.lines}
    assert lines[kes.pk].spent_kes == D("1000.11")  # 0.1 + 0.2 + 999.81, no float drift
    assert lines[kes.pk].utilisation == D("100.0")
    assert lines[kes.pk].balance_kes == D("-0.01") and lines[kes.pk].overrun
    assert lines[usd.pk].budget_kes == D("1293.33")
    assert lines[usd.pk].utilisation == D("50.0")
    assert row.budget_kes == D("2293.43") and row.spent_kes == D("1646.78")
    assert row.utilisation == D("71.8")  # 1646.78 / 2293.43 = 71.80 %
    assert grid.spent_by_quarter == [D("0.10"), D("646.87"), D("999.81"), D("0.00")]
    assert other_grid.spent_kes == D("0.00") and other_grid.utilisation == D("0.0")


def test_saving_the_same_quarter_again_replaces_the_amount_and_guards_stale_edits(county):
    secretariat = _membership(county)
    line = factories.BudgetLineFactory(county=county)
    with county_context([county]):
        first = services.expenditure_save(
            membership=secretariat, budget_line=line, quarter=1, amount_kes=D("50.00")
        )
        services.expenditure_save(
            membership=secretariat,
            budget_line=line,
            quarter=1,
            amount_kes=D("75.25"),
            row_version=first.row_version,
        )
        with pytest.raises(EditConflict):
            services.expenditure_save(
                membership=secretariat,
                budget_line=line,
                quarter=1,
                amount_kes=D("1.00"),
                row_version=first.row_version,
            )
        rows = list(Expenditure.objects.for_county(county).filter(budget_line=line))
    assert [(r.quarter, r.amount_kes) for r in rows] == [(1, D("75.25"))]


def test_amounts_must_be_zero_or_more_and_to_the_cent(county):
    secretariat = _membership(county)
    line = factories.BudgetLineFactory(county=county)
    with county_context([county]):
        for bad in (D("-1"), D("1.005")):
            with pytest.raises(ValidationError) as exc:
                services.expenditure_save(
                    membership=secretariat, budget_line=line, quarter=1, amount_kes=bad
                )
            assert "amount_kes" in exc.value.error_dict
        with pytest.raises(ValidationError):
            services.expenditure_save(
                membership=secretariat, budget_line=line, quarter=5, amount_kes=D(1)
            )


def test_partner_records_spending_only_on_its_own_activities_and_lines(county):
    ours = factories.OrganizationFactory()
    activity = factories.JointActivityFactory(county=county, lead_organization=ours)
    line = factories.BudgetLineFactory(county=county, activity=activity)
    foreign = factories.BudgetLineFactory(county=county, activity__plan=activity.plan)
    contributed = factories.BudgetLineFactory(
        county=county, contributor=ours, activity__plan=activity.plan
    )
    partner = _membership(county, Role.PARTNER, organization=ours)
    with county_context([county]):
        services.expenditure_save(membership=partner, budget_line=line, quarter=1, amount_kes=D(1))
        services.expenditure_save(
            membership=partner, budget_line=contributed, quarter=1, amount_kes=D(1)
        )
        with pytest.raises(PermissionDenied):
            services.expenditure_save(
                membership=partner, budget_line=foreign, quarter=1, amount_kes=D(1)
            )
        for role in (Role.SECTOR_LEAD, Role.OBSERVER, Role.EXECUTIVE):
            kwargs = {"sector": activity.sector} if role == Role.SECTOR_LEAD else {}
            with pytest.raises(PermissionDenied):
                services.expenditure_save(
                    membership=_membership(county, role, **kwargs),
                    budget_line=line,
                    quarter=1,
                    amount_kes=D(1),
                )


def test_a_supporting_partner_reports_progress_others_do_not(county):
    supporter = factories.OrganizationFactory()
    activity = factories.JointActivityFactory(county=county)
    with county_context([county]):
        from workplans.models import ActivitySupporter

        ActivitySupporter.objects.create(county=county, activity=activity, organization=supporter)
    partner = _membership(county, Role.PARTNER, organization=supporter)
    stranger = _membership(county, Role.PARTNER)
    with county_context([county]):
        row = services.progress_save(
            membership=partner,
            activity=activity,
            quarter=2,
            percent_complete=40,
            progress_made="Two of five boreholes drilled.",
        )
        assert row.fiscal_year == activity.plan.fiscal_year
        with pytest.raises(PermissionDenied):
            services.progress_save(
                membership=stranger,
                activity=activity,
                quarter=2,
                percent_complete=50,
                progress_made="x",
            )
        with pytest.raises(ValidationError) as exc:
            services.progress_save(
                membership=partner,
                activity=activity,
                quarter=2,
                percent_complete=101,
                progress_made="",
                row_version=row.row_version,
            )
    assert set(exc.value.error_dict) == {"percent_complete", "progress_made"}
