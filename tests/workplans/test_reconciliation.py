"""Money that adds up: budgeted, committed, confirmed, released and spent per funding,
contributor, activity and plan, summed by the database to the cent; the flags, where
they are raised, who is told, and who may see what."""

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jwp.roles import Role
from jwp.tenancy import county_context
from notifications.models import Notification
from progress import services as progress_services
from progress.models import AdaptationItem, Trigger
from tests import factories
from workplans.models import CommitmentStatus, PlanStatus
from workplans.reconciliation import FlagKind, reconcile
from workplans.services import budget as services

pytestmark = pytest.mark.django_db
D = Decimal
CENT = D("0.01")
VOTE = {"vote_code": "4063 / WAT-01", "appropriation_reference": "Appropriation Act 2025, item 4"}


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, status=PlanStatus.CONSOLIDATED)


@pytest.fixture
def activity(plan, county):
    return factories.JointActivityFactory(county=county, plan=plan)


@pytest.fixture
def secretariat(county):
    return factories.MembershipFactory(county=county, role=Role.SECRETARIAT)


def kes(amount, rate):
    return amount if rate is None else (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def money(rng, usd_share=0.4):
    amount = D(rng.randint(100, 5_000_000)) / 100
    rate = D(rng.randint(1_200_000, 1_400_000)) / 10_000 if rng.random() < usd_share else None
    return amount, ("USD" if rate else "KES"), rate


def reconciled(plan, membership=None, **kw):
    with county_context([plan.county_id]):
        return reconcile(county=plan.county, plan=plan, membership=membership, **kw)


# --- figures to the cent ---------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 7, 42])
def test_figures_equal_the_sums_of_the_rows_to_the_cent(county, plan, seed):
    """Random lines, commitments (every status, KES and USD with odd rates),
    disbursements and quarterly spending: every figure is the sum of its rows in KES."""
    rng = random.Random(seed)
    activities = [factories.JointActivityFactory(county=county, plan=plan) for _ in range(3)]
    orgs = [None, factories.OrganizationFactory(), factories.OrganizationFactory()]
    expected: dict = {}

    def add(activity, org, name, value):
        key = (activity.pk, org.pk if org else None)
        expected.setdefault(key, dict.fromkeys(["budgeted", "committed", "confirmed"], D(0)))
        expected[key].setdefault("released", D(0))
        expected[key].setdefault("spent", D(0))
        expected[key][name] += value

    for _ in range(12):
        a, org = rng.choice(activities), rng.choice(orgs)
        amount, currency, rate = money(rng)
        line = factories.BudgetLineFactory(
            county=county,
            activity=a,
            contributor=org,
            amount=amount,
            currency=currency,
            exchange_rate=rate,
        )
        add(a, org, "budgeted", kes(amount, rate))
        for quarter in rng.sample([1, 2, 3, 4], rng.randint(0, 3)):
            spent = D(rng.randint(0, 3_000_000)) / 100
            factories.ExpenditureFactory(
                county=county, budget_line=line, quarter=quarter, amount_kes=spent
            )
            add(a, org, "spent", spent)
        status = rng.choice(CommitmentStatus.values)
        amount, currency, rate = money(rng)
        c = factories.CommitmentFactory(
            county=county,
            activity=a,
            contributor=org,
            budget_line=line,
            amount=amount,
            currency=currency,
            exchange_rate=rate,
            status=status,
            withdrawn_reason="Reallocated" if status == "withdrawn" else "",
            **(VOTE if org is None else {}),
        )
        if status != CommitmentStatus.WITHDRAWN:
            add(a, org, "committed", kes(amount, rate))
        if status in (CommitmentStatus.CONFIRMED, CommitmentStatus.DISBURSED):
            add(a, org, "confirmed", kes(amount, rate))
        for _ in range(rng.randint(0, 2)):
            paid = (amount / 3).quantize(CENT)
            paid_rate = D(rng.randint(1_200_000, 1_400_000)) / 10_000 if rate else None
            factories.DisbursementFactory(
                county=county, commitment=c, amount=paid, exchange_rate=paid_rate
            )
            add(a, org, "released", kes(paid, paid_rate))
    rec = reconciled(plan)
    names = ("budgeted", "committed", "confirmed", "released", "spent")
    got = {(r.activity_id, r.contributor_id): {n: getattr(r, n) for n in names} for r in rec.rows}
    assert got == expected
    for n in names:
        total = sum((e[n] for e in expected.values()), D(0))
        assert getattr(rec.total, n) == total
        assert sum((r.__dict__[n] for r in rec.by_contributor), D(0)) == total
        assert sum((r.__dict__[n] for r in rec.by_activity), D(0)) == total
    for org in orgs:
        key = org.pk if org else None
        [row] = [r for r in rec.by_contributor if r.key == key]
        assert row.spent == sum((e["spent"] for k, e in expected.items() if k[1] == key), D(0))


def test_line_figures_count_the_commitments_linked_to_the_line(county, plan, activity):
    from workplans.reconciliation import line_figures

    line = factories.BudgetLineFactory(county=county, activity=activity, amount=D("900.00"))
    other = factories.BudgetLineFactory(county=county, activity=activity, amount=D("100.00"))
    c = factories.CommitmentFactory(
        county=county,
        activity=activity,
        contributor=None,
        budget_line=line,
        amount=D("10.00"),
        currency="USD",
        exchange_rate=D("129.5555"),
        status="confirmed",
        **VOTE,
    )
    factories.DisbursementFactory(county=county, commitment=c, amount=D("3.33"))
    factories.ExpenditureFactory(county=county, budget_line=line, quarter=1, amount_kes=D("1.10"))
    factories.ExpenditureFactory(county=county, budget_line=line, quarter=2, amount_kes=D("2.20"))
    secretariat = factories.MembershipFactory(county=county, role=Role.SECRETARIAT)
    with county_context([county]):
        rows = {
            r.pk: r
            for r in line_figures(
                county=county, plan=plan, membership=secretariat, activity=activity.pk
            )
        }
    assert (rows[line.pk].committed, rows[line.pk].confirmed) == (D("1295.56"), D("1295.56"))
    assert (rows[line.pk].released, rows[line.pk].spent) == (D("431.42"), D("3.30"))
    assert (rows[other.pk].committed, rows[other.pk].spent) == (D(0), D(0))


# --- flags at the boundary ----------------------------------------------------------


def _funding(county, activity, *, released, spent, status="confirmed", contributor=None):
    line = factories.BudgetLineFactory(
        county=county, activity=activity, contributor=contributor, amount=D("1000.00")
    )
    c = factories.CommitmentFactory(
        county=county,
        activity=activity,
        contributor=contributor,
        amount=D("1000.00"),
        status=status,
        withdrawn_reason="Reallocated" if status == "withdrawn" else "",
        **(VOTE if contributor is None else {}),
    )
    if released:
        factories.DisbursementFactory(county=county, commitment=c, amount=D(released))
    if spent:
        factories.ExpenditureFactory(county=county, budget_line=line, amount_kes=D(spent))
    return line, c


def kinds(plan):
    return [(f.kind, f.amount) for f in reconciled(plan).flags]


def test_spending_up_to_the_release_is_not_flagged_a_cent_more_is(county, plan, activity):
    line, _c = _funding(county, activity, released="400.00", spent="400.00")
    assert kinds(plan) == []
    factories.ExpenditureFactory(county=county, budget_line=line, quarter=2, amount_kes=CENT)
    assert kinds(plan) == [(FlagKind.SPENT_BEYOND_RELEASED, CENT)]


def test_spending_on_a_withdrawn_commitment_is_flagged_unless_another_is_live(
    county, plan, activity
):
    org = factories.OrganizationFactory()
    line, _c = _funding(
        county, activity, released=None, spent=None, status="withdrawn", contributor=org
    )
    assert kinds(plan) == []  # withdrawn, nothing spent
    factories.ExpenditureFactory(county=county, budget_line=line, amount_kes=CENT)
    assert kinds(plan) == [(FlagKind.SPENT_ON_WITHDRAWN, CENT)]
    live = factories.CommitmentFactory(
        county=county, activity=activity, contributor=org, status="confirmed"
    )
    factories.DisbursementFactory(county=county, commitment=live, amount=CENT)
    assert kinds(plan) == []  # the live commitment's release covers it


def test_disbursed_beyond_the_commitment_is_flagged_for_rows_the_service_would_refuse(
    county, plan, activity
):
    _line, c = _funding(county, activity, released="1000.00", spent=None)
    assert kinds(plan) == []
    factories.DisbursementFactory(county=county, commitment=c, amount=CENT)
    assert kinds(plan) == [(FlagKind.DISBURSED_BEYOND_COMMITTED, CENT)]


def test_a_county_commitment_without_vote_or_appropriation_is_not_ring_fenced(
    county, plan, activity
):
    c = factories.CommitmentFactory(county=county, activity=activity, contributor=None)
    assert kinds(plan) == [(FlagKind.NOT_RING_FENCED, D(0))]
    with county_context([county]):
        type(c).objects.for_county(county).filter(pk=c.pk).update(**VOTE)
    assert kinds(plan) == []


# --- where money is entered -------------------------------------------------------------


def test_spending_beyond_the_release_is_recorded_flagged_and_told_to_the_secretariat(
    county, neighbour, plan, activity, secretariat
):
    other_secretariat = factories.MembershipFactory(county=county, role=Role.SECRETARIAT)
    factories.MembershipFactory(county=neighbour, role=Role.SECRETARIAT)
    partner = factories.MembershipFactory(county=county, role=Role.PARTNER)
    line, _c = _funding(
        county, activity, released="100.00", spent=None, contributor=partner.organization
    )
    with county_context([county]):
        within = progress_services.expenditure_save(
            membership=partner, budget_line=line, quarter=1, amount_kes=D("100.00")
        )
        assert within.money_flags == []
        beyond = progress_services.expenditure_save(
            membership=partner,
            budget_line=line,
            quarter=1,
            amount_kes=D("100.01"),
            row_version=within.row_version,
        )
        told = list(Notification.objects.for_county(county).values_list("recipient_id", flat=True))
    assert beyond.amount_kes == D("100.01")  # recorded, not refused
    assert [f.kind for f in beyond.money_flags] == [FlagKind.SPENT_BEYOND_RELEASED]
    assert sorted(told) == sorted([secretariat.user_id, other_secretariat.user_id])
    with county_context([neighbour]):
        assert not Notification.objects.for_county(neighbour).exists()


def test_withdrawing_a_commitment_that_money_was_spent_on_tells_the_secretariat(
    county, plan, activity, secretariat
):
    partner = factories.MembershipFactory(county=county, role=Role.PARTNER)
    _line, c = _funding(
        county, activity, released=None, spent="50.00", contributor=partner.organization
    )
    factories.DisbursementFactory(county=county, commitment=c, amount=D("50.00"))
    with county_context([county]):
        services.commitment_withdraw(
            membership=partner, commitment=c, row_version=c.row_version, reason="Grant cut"
        )
        assert [f.kind for f in c.money_flags] == [FlagKind.SPENT_ON_WITHDRAWN]
        assert Notification.objects.for_county(county).filter(recipient=secretariat.user).exists()


def _county_pledge(membership, activity, **codes):
    with county_context([activity.county]):
        return services.commitment_create(
            membership=membership,
            activity=activity,
            contributor=None,
            amount=D("500000.00"),
            **codes,
        )


def test_the_countys_commitment_needs_its_vote_and_appropriation(activity, secretariat):
    with pytest.raises(ValidationError) as info:
        _county_pledge(secretariat, activity)
    assert set(info.value.error_dict) == {"vote_code", "appropriation_reference"}
    with pytest.raises(ValidationError) as info:
        _county_pledge(secretariat, activity, vote_code="Water!", appropriation_reference="A")
    assert set(info.value.error_dict) == {"vote_code"}
    c = _county_pledge(
        secretariat, activity, vote_code=" 4063 / WAT-01 ", appropriation_reference="Act 2025"
    )
    assert (c.vote_code, c.appropriation_reference) == ("4063 / WAT-01", "Act 2025")


def test_a_partner_commitment_has_no_vote(activity):
    partner = factories.MembershipFactory(county=activity.county, role=Role.PARTNER)
    with county_context([activity.county]), pytest.raises(ValidationError) as info:
        services.commitment_create(
            membership=partner,
            activity=activity,
            contributor=partner.organization,
            amount=D("1.00"),
            **VOTE,
        )
    assert set(info.value.error_dict) == {"vote_code", "appropriation_reference"}


def test_an_earlier_county_pledge_is_confirmed_only_once_it_names_its_appropriation(
    county, activity, secretariat
):
    c = factories.CommitmentFactory(county=county, activity=activity, contributor=None)
    with county_context([county]):
        with pytest.raises(ValidationError) as info:
            services.commitment_confirm(membership=secretariat, commitment=c, row_version=1)
        assert "vote_code" in info.value.error_dict
        services.commitment_update(
            membership=secretariat,
            commitment=c,
            row_version=1,
            amount=c.amount,
            currency="KES",
            exchange_rate=None,
            kind="cash",
            **VOTE,
        )
        services.commitment_confirm(membership=secretariat, commitment=c, row_version=2)
    assert factories.refresh(c).status == CommitmentStatus.CONFIRMED


def test_a_treasury_release_carries_its_release_number(county, activity, secretariat):
    c = factories.CommitmentFactory(
        county=county, activity=activity, contributor=None, status="confirmed", **VOTE
    )
    with county_context([county]):
        with pytest.raises(ValidationError) as info:
            services.disbursement_record(
                membership=secretariat,
                commitment=c,
                amount=D("10.00"),
                disbursed_on=date(2025, 9, 1),
            )
        assert "reference" in info.value.error_dict
        services.disbursement_record(
            membership=secretariat,
            commitment=c,
            amount=D("10.00"),
            disbursed_on=date(2025, 9, 1),
            reference="Exchequer 2025/017",
        )


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.SECTOR_LEAD, Role.OBSERVER, Role.PARTNER])
def test_only_the_secretariat_commits_the_countys_cost_share(county, activity, role):
    m = factories.MembershipFactory(county=county, role=role)
    with pytest.raises(PermissionDenied):
        _county_pledge(m, activity, **VOTE)


def test_the_commitment_form_shows_the_vote_error_next_to_the_field(
    client, county, plan, activity, secretariat
):
    client.force_login(secretariat.user)
    form = {"activity": activity.pk, "kind": "cash", "amount": "1000", "currency": "KES"}
    url = reverse("workplans:commitment_new", args=[county.slug, plan.pk])
    refused = client.post(url, form | {"contributor": ""})
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"vote_code", "appropriation_reference"}
    assert client.post(url, form | {"contributor": ""} | VOTE).status_code == 302


def test_observer_is_refused_the_commitment_form(client, county, plan):
    observer = factories.MembershipFactory(county=county, role=Role.OBSERVER)
    client.force_login(observer.user)
    url = reverse("workplans:commitment_new", args=[county.slug, plan.pk])
    assert client.post(url, {"contributor": "", **VOTE}).status_code == 403


# --- adaptive management ------------------------------------------------------------------


def test_spending_beyond_the_release_raises_a_budget_overrun_in_its_quarter(
    county, activity, secretariat
):
    plan = activity.plan
    line, c = _funding(county, activity, released=None, spent=None)
    factories.DisbursementFactory(
        county=county, commitment=c, amount=D("300.00"), disbursed_on=date(2025, 8, 1)
    )
    with county_context([county]):
        for quarter, amount in ((1, "300.00"), (2, "0.01")):
            progress_services.expenditure_save(
                membership=secretariat, budget_line=line, quarter=quarter, amount_kes=D(amount)
            )
        for quarter in (1, 2):
            progress_services.detect_triggers(
                plan=plan, fiscal_year=plan.fiscal_year, quarter=quarter, today=date(2026, 7, 10)
            )
        raised = [
            (i.quarter, i.source_key)
            for i in AdaptationItem.objects.for_county(county).filter(
                plan=plan, trigger=Trigger.BUDGET_OVERRUN
            )
        ]
    assert raised == [(2, f"released:{activity.pk}:0")]


# --- the page -------------------------------------------------------------------------


def _page(client, membership, plan, **params):
    client.force_login(membership.user)
    url = reverse("workplans:reconciliation", args=[plan.county.slug, plan.pk])
    return client.get(url, params)


def test_the_page_lists_the_flag_with_the_figures(client, county, plan, activity, secretariat):
    _funding(county, activity, released="100.00", spent="150.00")
    page = _page(client, secretariat, plan, activity=activity.pk).content.decode()
    assert "Spent beyond what was disbursed or released" in page
    assert "KES 150.00 spent against KES 100.00" in page
    assert 'id="reconciliation-lines"' in page


def test_a_neighbour_countys_member_gets_404(client, county, neighbour, plan):
    stranger = factories.MembershipFactory(county=neighbour, role=Role.SECRETARIAT)
    assert _page(client, stranger, plan).status_code == 404


def test_a_partner_sees_only_its_own_money_until_the_plan_is_consolidated(client, county):
    plan = factories.JointWorkPlanFactory(county=county, status=PlanStatus.CO_CREATION)
    mine = factories.MembershipFactory(county=county, role=Role.PARTNER)
    theirs = factories.MembershipFactory(county=county, role=Role.PARTNER)
    a = factories.JointActivityFactory(county=county, plan=plan, title="Shared borehole")
    b = factories.JointActivityFactory(county=county, plan=plan, title="Their private clinic")
    _funding(county, a, released="10.00", spent="5.00", contributor=mine.organization)
    _funding(county, a, released="10.00", spent="20.00", contributor=theirs.organization)
    _funding(county, b, released="10.00", spent="5.00", contributor=theirs.organization)
    page = _page(client, mine, plan).content.decode()
    assert mine.organization.name in page
    assert theirs.organization.name not in page and "Their private clinic" not in page
    assert "No reconciliation flags" in page  # the other partner's flag is private too
    private = _page(client, mine, plan, activity=b.pk)
    assert 'id="reconciliation-lines"' not in private.content.decode()
    plan.status = PlanStatus.CONSOLIDATED
    with county_context([county]):
        plan.save()
    shared = _page(client, mine, plan).content.decode()
    assert theirs.organization.name in shared and "Their private clinic" in shared


def test_the_page_reads_as_many_statements_for_many_rows_as_for_few(
    client, county, plan, secretariat, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for more in (3, 6):  # 3 activities (6 fundings, 6 flags), then 9
        for _ in range(more):
            a = factories.JointActivityFactory(county=county, plan=plan)
            _funding(county, a, released="10.00", spent="20.00")
            _funding(
                county,
                a,
                released="10.00",
                spent="5.00",
                contributor=factories.OrganizationFactory(),
            )
        client.force_login(secretariat.user)
        url = reverse("workplans:reconciliation", args=[county.slug, plan.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"activity": a.pk}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # Measured 15 on SQLite, 18 on PostgreSQL (3 set_config calls of the county context);
    # 9 without the savepoints: session, user, county, membership, plan, the whole
    # reconciliation (one UNION ALL), the chosen activity's budget lines, the member's
    # counties and the notification bell's count.
    with django_assert_max_num_queries(18):
        assert client.get(url, {"activity": a.pk}).status_code == 200
