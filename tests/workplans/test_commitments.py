"""Commitments: pledged → confirmed → disbursed or withdrawn, and promises vs money."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from workplans import selectors
from workplans.models import CommitmentStatus, PlanStatus
from workplans.reconciliation import reconcile
from workplans.services import budget as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, status=PlanStatus.CO_CREATION)


@pytest.fixture
def activity(plan, county):
    return factories.JointActivityFactory(county=county, plan=plan)


@pytest.fixture
def partner(county):
    return factories.MembershipFactory(county=county, role=Role.PARTNER)


@pytest.fixture
def secretariat_member(county):
    return factories.MembershipFactory(county=county, role=Role.SECRETARIAT)


COUNTY_FUNDING = {
    "vote_code": "4063 / WAT-01",
    "appropriation_reference": "Samburu County Appropriation Act, 2025: item 12",
}


def pledge(membership, activity, contributor, amount="1000.00", currency="KES", rate=None):
    """A pledge; the county's own names its vote and appropriation."""
    with county_context([activity.county]):
        return services.commitment_create(
            membership=membership,
            activity=activity,
            contributor=contributor,
            amount=Decimal(amount),
            currency=currency,
            exchange_rate=Decimal(rate) if rate else None,
            **(COUNTY_FUNDING if contributor is None else {}),
        )


def confirm(membership, c):
    with county_context([c.county]):
        return services.commitment_confirm(
            membership=membership, commitment=c, row_version=c.row_version
        )


def disburse(membership, c, amount, rate=None, on=None):
    with county_context([c.county]):
        return services.disbursement_record(
            membership=membership,
            commitment=c,
            amount=Decimal(amount),
            exchange_rate=Decimal(rate) if rate else None,
            disbursed_on=on or timezone.localdate(),
            reference="EFT-001",
        )


def test_partner_commits_its_organizations_contribution(partner, activity):
    c = pledge(partner, activity, partner.organization)
    assert c.status == CommitmentStatus.PLEDGED and c.pledged_by == partner.user


def test_partner_cannot_commit_for_another_organization_or_the_county(partner, activity):
    for contributor in (factories.OrganizationFactory(), None):
        with pytest.raises(PermissionDenied):
            pledge(partner, activity, contributor)


def test_partner_cannot_confirm_other_organizations_commitment(county, partner, activity):
    theirs = factories.CommitmentFactory(county=county, activity=activity)
    with pytest.raises(PermissionDenied):
        confirm(partner, theirs)


def test_commitment_is_disbursed_when_disbursements_reach_the_amount(partner, activity):
    c = confirm(partner, pledge(partner, activity, partner.organization, "1000.00"))
    disburse(partner, c, "400.00")
    assert c.status == CommitmentStatus.CONFIRMED
    disburse(partner, c, "600.00")
    assert c.status == CommitmentStatus.DISBURSED
    assert factories.refresh(c).status == CommitmentStatus.DISBURSED


def test_disbursing_more_than_remains_is_refused(partner, activity):
    c = confirm(partner, pledge(partner, activity, partner.organization, "1000.00"))
    disburse(partner, c, "900.00")
    with pytest.raises(ValidationError) as info:
        disburse(partner, c, "100.01")
    assert "amount" in info.value.error_dict


def test_a_pledge_cannot_be_disbursed_before_it_is_confirmed(partner, activity):
    c = pledge(partner, activity, partner.organization)
    with pytest.raises(ValidationError):
        disburse(partner, c, "1.00")


def test_withdrawal_needs_a_reason(partner, activity):
    c = pledge(partner, activity, partner.organization)
    with county_context([c.county]), pytest.raises(ValidationError) as info:
        services.commitment_withdraw(
            membership=partner, commitment=c, row_version=c.row_version, reason="  "
        )
    assert "reason" in info.value.error_dict
    with county_context([c.county]):
        services.commitment_withdraw(
            membership=partner, commitment=c, row_version=c.row_version, reason="Grant ended"
        )
    assert factories.refresh(c).status == CommitmentStatus.WITHDRAWN


def test_a_disbursed_commitment_cannot_be_withdrawn(partner, activity):
    c = confirm(partner, pledge(partner, activity, partner.organization, "5.00"))
    disburse(partner, c, "5.00")
    with county_context([c.county]), pytest.raises(ValidationError):
        services.commitment_withdraw(
            membership=partner, commitment=c, row_version=c.row_version, reason="Too late"
        )


def test_stale_confirm_is_refused(partner, activity):
    c = pledge(partner, activity, partner.organization)
    with county_context([c.county]):
        services.commitment_update(
            membership=partner,
            commitment=c,
            row_version=1,
            amount=Decimal("2000"),
            currency="KES",
            exchange_rate=None,
            kind="cash",
        )
        with pytest.raises(services.EditConflict) as info:
            services.commitment_confirm(membership=partner, commitment=c, row_version=1)
    assert info.value.current.amount == Decimal("2000.00")
    assert factories.refresh(c).status == CommitmentStatus.PLEDGED


def test_secretariat_tracks_the_countys_cost_share_and_treasury_releases(
    secretariat_member, activity
):
    c = confirm(secretariat_member, pledge(secretariat_member, activity, None, "300000.00"))
    disburse(secretariat_member, c, "300000.00")
    assert c.contributor is None and c.status == CommitmentStatus.DISBURSED


def test_promises_vs_money_per_contributor_in_kes(county, plan, partner, secretariat_member):
    started = factories.JointActivityFactory(
        county=county, plan=plan, start_date=date(2025, 7, 1), end_date=date(2026, 6, 30)
    )
    later = factories.JointActivityFactory(
        county=county,
        plan=plan,
        start_date=timezone.localdate() + timedelta(days=30),
        end_date=timezone.localdate() + timedelta(days=60),
    )
    org = partner.organization
    usd = confirm(partner, pledge(partner, started, org, "100.00", "USD", "129.3456"))
    disburse(partner, usd, "40.00", rate="130.0000")
    pledge(partner, later, org, "5000.00")  # not yet due
    overdue = pledge(partner, started, org, "7000.00")  # started, nothing disbursed
    county_pledge = pledge(secretariat_member, started, None, "20000.00")
    with county_context([county]):
        services.commitment_withdraw(
            membership=secretariat_member,
            commitment=county_pledge,
            row_version=county_pledge.row_version,
            reason="Budget reallocated",
        )
        commitments = list(
            selectors.plan_commitments(county=county, plan=plan, membership=secretariat_member)
        )
        rows, total, overdue_list = selectors.promises_vs_money(
            reconciliation=reconcile(county=county, plan=plan, membership=secretariat_member),
            commitments=commitments,
            today=timezone.localdate(),
        )
    by = {r.key: r for r in rows}
    assert by[org.pk].committed == Decimal("12934.56") + Decimal("5000.00") + Decimal("7000.00")
    assert by[org.pk].confirmed == Decimal("12934.56")
    assert by[org.pk].released == Decimal("5200.00")
    assert by[org.pk].not_released == by[org.pk].committed - Decimal("5200.00")
    assert by[org.pk].overdue == 1
    assert by[None].committed == 0 and by[None].overdue == 0  # withdrawn, still listed
    assert overdue_list == [overdue]
    assert total.committed == by[org.pk].committed


def test_partner_cannot_see_other_partners_commitments_until_consolidation(
    county, plan, activity, partner
):
    other = factories.MembershipFactory(county=county, role=Role.PARTNER)
    mine = pledge(partner, activity, partner.organization)
    pledge(other, activity, other.organization)
    with county_context([county]):
        assert list(selectors.plan_commitments(county=county, plan=plan, membership=partner)) == [
            mine
        ]
        plan.status = PlanStatus.CONSOLIDATED
        plan.save()
        assert len(selectors.plan_commitments(county=county, plan=plan, membership=partner)) == 2


# --- pages ---------------------------------------------------------------------


def _url(name, *args):
    from django.urls import reverse

    return reverse(f"workplans:{name}", args=["samburu", *args])


def test_partner_commits_through_the_form_and_cannot_name_another_contributor(
    client, county, plan, activity, partner
):
    client.force_login(partner.user)
    other = factories.OrganizationFactory()
    factories.JointActivityFactory(county=county, plan=plan, lead_organization=other)
    form = {"activity": activity.pk, "kind": "cash", "amount": "250000", "currency": "KES"}
    refused = client.post(_url("commitment_new", plan.pk), form | {"contributor": other.pk})
    assert refused.status_code == 200 and "contributor" in refused.context["form"].errors
    response = client.post(
        _url("commitment_new", plan.pk), form | {"contributor": partner.organization_id}
    )
    assert response.status_code == 302
    page = client.get(_url("commitments", plan.pk)).content.decode()
    promised = page.split('class="promise"')[1].split("</strong>")[0]
    assert "Only promised:" in promised and "KES 250,000.00" in promised


def test_withdraw_without_reason_shows_the_error_next_to_the_field(client, partner, activity):
    c = pledge(partner, activity, partner.organization)
    client.force_login(partner.user)
    response = client.post(
        _url("commitment_withdraw", c.pk), {"row_version": c.row_version, "reason": ""}
    )
    assert response.status_code == 200
    assert response.context["withdraw_form"].errors["reason"]
    assert factories.refresh(c).status == CommitmentStatus.PLEDGED


def test_confirm_and_disburse_through_the_pages(client, partner, activity):
    c = pledge(partner, activity, partner.organization, "1000.00")
    client.force_login(partner.user)
    client.post(_url("commitment_confirm", c.pk), {"row_version": c.row_version})
    assert factories.refresh(c).status == CommitmentStatus.CONFIRMED
    response = client.post(
        _url("disbursement_new", c.pk),
        {"amount": "1000.00", "disbursed_on": "2025-10-01", "reference": "EFT 77"},
    )
    assert response.status_code == 302
    assert factories.refresh(c).status == CommitmentStatus.DISBURSED
    page = client.get(_url("commitment", c.pk)).content.decode()
    assert "EFT 77" in page and "KES 1,000.00" in page


def test_partner_gets_404_for_another_partners_draft_commitment(client, county, partner, activity):
    theirs = factories.CommitmentFactory(county=county, activity=activity)
    client.force_login(partner.user)
    assert client.get(_url("commitment", theirs.pk)).status_code == 404
    assert client.post(_url("commitment_confirm", theirs.pk), {"row_version": 1}).status_code == 404
