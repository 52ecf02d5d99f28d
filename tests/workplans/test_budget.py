"""Cost-share budget lines: who edits what, money rules, totals in KES to the cent."""

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jwp.roles import Role
from jwp.tenancy import CrossCountyError, county_context
from tests import factories
from tests.factories import budget_component
from workplans import selectors
from workplans.models import BudgetLine, JointActivity, PlanStatus
from workplans.services import budget as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, status=PlanStatus.CO_CREATION)


@pytest.fixture
def activity(plan, county):
    return factories.JointActivityFactory(county=county, plan=plan)


def member(county, role, **kwargs):
    return factories.MembershipFactory(county=county, role=role, **kwargs)


def line(activity, contributor=None, amount="100000.00", currency="KES", rate=None, **kw):
    return factories.BudgetLineFactory(
        county=activity.county,
        activity=activity,
        contributor=contributor,
        amount=Decimal(amount),
        currency=currency,
        exchange_rate=Decimal(rate) if rate else None,
        **kw,
    )


def create(membership, activity, contributor=None, **kw):
    values = {"amount": Decimal("1000.00"), "currency": "KES", "exchange_rate": None} | kw
    with county_context([activity.county]):
        return services.budget_line_create(
            membership=membership,
            activity=activity,
            contributor=contributor,
            component=budget_component(activity.county),
            **values,
        )


# --- who edits ------------------------------------------------------------------


def test_secretariat_adds_the_county_governments_line(county, activity):
    created = create(member(county, Role.SECRETARIAT), activity, amount=Decimal("250000"))
    assert created.contributor is None and created.amount == Decimal("250000")


def test_partner_adds_a_line_for_its_own_organization(county, activity):
    partner = member(county, Role.PARTNER)
    created = create(partner, activity, partner.organization)
    assert created.contributor_id == partner.organization_id


def test_partner_cannot_add_a_line_for_the_county_or_another_organization(county, activity):
    partner = member(county, Role.PARTNER)
    other = factories.OrganizationFactory()
    for contributor in (None, other):
        with pytest.raises(PermissionDenied):
            create(partner, activity, contributor)


def test_partner_cannot_edit_other_organizations_line(county, activity):
    partner = member(county, Role.PARTNER)
    theirs = line(activity, factories.OrganizationFactory())
    with county_context([county]), pytest.raises(PermissionDenied):
        services.budget_line_update(
            membership=partner,
            line=theirs,
            row_version=theirs.row_version,
            component=theirs.component,
            amount=Decimal("1"),
            currency="KES",
            exchange_rate=None,
            kind="cash",
        )


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.EXECUTIVE, Role.ASSEMBLY])
def test_read_only_roles_cannot_add_lines(county, activity, role):
    with pytest.raises(PermissionDenied):
        create(member(county, role), activity)


def test_nobody_edits_the_lines_of_a_locked_plan(county, activity):
    with county_context([county]):
        activity.plan.locked_at = timezone.now()
        activity.plan.save()
    with pytest.raises(ValidationError, match="signed and locked"):
        create(member(county, Role.SECRETARIAT), activity)


def test_activity_and_component_must_belong_to_the_members_county(county, neighbour, activity):
    with county_context([county, neighbour]), pytest.raises(CrossCountyError):
        services.budget_line_create(
            membership=member(county, Role.SECRETARIAT),
            activity=activity,
            contributor=None,
            component=budget_component(neighbour),
            amount=Decimal("1"),
        )


# --- money rules ---------------------------------------------------------------


def test_usd_needs_the_exchange_rate_used(county, activity):
    with pytest.raises(ValidationError) as info:
        create(member(county, Role.SECRETARIAT), activity, currency="USD")
    assert "exchange_rate" in info.value.error_dict


def test_kes_must_not_have_an_exchange_rate(county, activity):
    with pytest.raises(ValidationError) as info:
        create(
            member(county, Role.SECRETARIAT),
            activity,
            exchange_rate=Decimal("129.5"),
            currency="KES",
        )
    assert "exchange_rate" in info.value.error_dict


# --- totals --------------------------------------------------------------------


def test_totals_equal_the_sum_of_lines_in_kes_with_usd_converted_to_the_cent(county, plan):
    rng = random.Random(5)
    partners = [factories.OrganizationFactory() for _ in range(3)]
    activities = [factories.JointActivityFactory(county=county, plan=plan) for _ in range(4)]
    lines = []
    for i in range(40):
        usd = i % 2 == 0
        lines.append(
            line(
                rng.choice(activities),
                rng.choice([None, *partners]),
                amount=f"{rng.randint(1, 10**9) / 100:.2f}",
                currency="USD" if usd else "KES",
                # rates with four decimals so that half-cent products occur
                rate=f"{rng.randint(1000000, 1600000) / 10000:.4f}" if usd else None,
            )
        )
    # A product that lands exactly on half a cent rounds up, as Money.amount_kes does.
    lines.append(line(activities[0], amount="1.25", currency="USD", rate="128.0040"))
    secretariat = member(county, Role.SECRETARIAT)
    with county_context([county]):
        summary = selectors.budget_summary(county=county, plan=plan, membership=secretariat)
        by_line = {
            bl.pk: bl.kes
            for bl in selectors.plan_budget_lines(county=county, plan=plan, membership=secretariat)
        }
    expected_county = sum((bl.amount_kes for bl in lines if bl.contributor is None), Decimal(0))
    expected_partners = sum((bl.amount_kes for bl in lines if bl.contributor), Decimal(0))
    assert by_line == {bl.pk: bl.amount_kes for bl in lines}
    assert lines[-1].amount_kes == Decimal("160.01")  # 160.005 → 160.01
    assert summary.county == expected_county
    assert summary.partners == expected_partners
    assert summary.total == expected_county + expected_partners
    for rows in (summary.by_sector, summary.by_activity, summary.by_contributor):
        assert sum((r.total for r in rows), Decimal(0)) == summary.total
    for a in activities:
        row = next(r for r in summary.by_activity if r.key == a.pk)
        assert row.total == sum((bl.amount_kes for bl in lines if bl.activity == a), Decimal(0))
    for p in partners:
        row = next(r for r in summary.by_contributor if r.key == p.pk)
        assert row.partners == sum((bl.amount_kes for bl in lines if bl.contributor == p), 0)


def test_amount_kes_rounds_half_up():
    assert (Decimal("1.25") * Decimal("128.0040")).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    ) == Decimal("160.01")


def test_summary_lists_every_component_of_the_template_even_without_lines(county, plan):
    secretariat = member(county, Role.SECRETARIAT)
    with county_context([county]):
        summary = selectors.budget_summary(county=county, plan=plan, membership=secretariat)
    names = [r.label for r in summary.by_component]
    assert names[:2] == ["Planning and Coordination", "Capacity Building & Training"]
    assert summary.total == 0


# --- partner isolation inside a county ---------------------------------------


def test_partner_sees_only_its_own_lines_while_the_plan_is_being_built(county, plan, activity):
    a, b = member(county, Role.PARTNER), member(county, Role.PARTNER)
    mine = line(activity, a.organization, amount="10.00")
    line(activity, b.organization, amount="20.00")
    line(activity, None, amount="40.00")
    with county_context([county]):
        seen = list(selectors.plan_budget_lines(county=county, plan=plan, membership=a))
        summary = selectors.budget_summary(county=county, plan=plan, membership=a)
    assert seen == [mine]
    assert summary.total == Decimal("10.00")


@pytest.mark.parametrize(
    "status",
    [
        PlanStatus.CONSOLIDATED,
        PlanStatus.TWG_REVIEWED,
        PlanStatus.CEC_APPROVED,
        PlanStatus.SIGNED,
    ],
)
def test_every_member_sees_all_lines_once_the_plan_is_consolidated(county, plan, activity, status):
    a, b = member(county, Role.PARTNER), member(county, Role.PARTNER)
    line(activity, a.organization, amount="10.00")
    line(activity, b.organization, amount="20.00")
    with county_context([county]):
        plan.status = status
        plan.save()
        for m in (a, b):
            summary = selectors.budget_summary(county=county, plan=plan, membership=m)
            assert summary.total == Decimal("30.00")


# --- concurrency ---------------------------------------------------------------


def _update(membership, bl, row_version, amount):
    with county_context([bl.county]):
        return services.budget_line_update(
            membership=membership,
            line=bl,
            row_version=row_version,
            component=bl.component,
            amount=Decimal(amount),
            currency="KES",
            exchange_rate=None,
            kind="cash",
        )


def test_stale_edit_is_refused_with_the_other_persons_values(county, activity):
    secretariat = member(county, Role.SECRETARIAT)
    bl = line(activity, amount="100.00")
    seen_version = bl.row_version
    _update(secretariat, factories.refresh(bl), seen_version, "200.00")
    stale = BudgetLine(pk=bl.pk, county=county, activity=activity, component=bl.component)
    stale.contributor_id = None
    with pytest.raises(services.EditConflict) as info:
        _update(secretariat, stale, seen_version, "300.00")
    assert info.value.current.amount == Decimal("200.00")
    assert factories.refresh(bl).amount == Decimal("200.00")
    assert bl.row_version == seen_version + 1


def test_delete_with_a_stale_version_is_refused(county, activity):
    secretariat = member(county, Role.SECRETARIAT)
    bl = line(activity)
    _update(secretariat, factories.refresh(bl), bl.row_version, "5.00")
    with county_context([county]), pytest.raises(services.EditConflict):
        services.budget_line_delete(membership=secretariat, line=bl, row_version=1)


# --- amendments ----------------------------------------------------------------


def test_copy_budget_copies_lines_and_open_commitments_as_pledges(county, plan, activity):
    partner = factories.OrganizationFactory()
    bl = line(activity, partner, amount="70.00", currency="USD", rate="130.0000")
    factories.CommitmentFactory(
        county=county, activity=activity, contributor=partner, budget_line=bl, status="confirmed"
    )
    factories.CommitmentFactory(
        county=county,
        activity=activity,
        contributor=partner,
        status="withdrawn",
        withdrawn_reason="Budget cut",
    )
    new_plan = factories.JointWorkPlanFactory(county=county, version=2, amends=plan)
    copy = factories.JointActivityFactory(county=county, plan=new_plan, title=activity.title)
    with county_context([county]):
        services.copy_budget(old_plan=plan, new_plan=new_plan, activity_map={activity.pk: copy})
        new_line = BudgetLine.objects.for_county(county).get(activity=copy)
        commitments = list(
            JointActivity.objects.for_county(county).get(pk=copy.pk).commitments.all()
        )
    assert (new_line.amount, new_line.currency, new_line.exchange_rate) == (
        Decimal("70.00"),
        "USD",
        Decimal("130.0000"),
    )
    assert [(c.status, c.budget_line_id) for c in commitments] == [("pledged", new_line.pk)]


# --- pages ---------------------------------------------------------------------


def _url(name, *args):
    from django.urls import reverse

    return reverse(f"workplans:{name}", args=["samburu", *args])


def test_budget_summary_shows_the_templates_totals_in_kes(client, county, plan, activity):
    secretariat = member(county, Role.SECRETARIAT)
    line(activity, None, amount="1234567.50")
    line(activity, factories.OrganizationFactory(), amount="1000.00", currency="USD", rate="129.5")
    client.force_login(secretariat.user)
    page = client.get(_url("budget", plan.pk)).content.decode()
    assert "County Government contribution" in page
    assert "KES 1,234,567.50" in page  # county
    assert "KES 129,500.00" in page  # partners
    assert "KES 1,364,067.50" in page  # total estimated cost


def test_partner_gets_404_for_another_partners_draft_line_and_403_once_shared(
    client, county, plan, activity
):
    a = member(county, Role.PARTNER)
    theirs = line(activity, factories.OrganizationFactory())
    client.force_login(a.user)
    assert client.get(_url("budget_line", theirs.pk)).status_code == 404
    assert "KES 100,000.00" not in client.get(_url("budget_lines", plan.pk)).content.decode()
    with county_context([county]):
        plan.status = PlanStatus.CONSOLIDATED
        plan.save()
    assert "KES 100,000.00" in client.get(_url("budget_lines", plan.pk)).content.decode()
    assert client.get(_url("budget_line", theirs.pk)).status_code == 403
    assert client.post(_url("budget_line_delete", theirs.pk), {"row_version": 1}).status_code == 403


def test_read_only_member_gets_403_on_the_forms(client, county, plan):
    client.force_login(member(county, Role.OBSERVER).user)
    assert client.get(_url("budget_line_new", plan.pk)).status_code == 403
    assert client.get(_url("commitment_new", plan.pk)).status_code == 403
    assert client.get(_url("budget", plan.pk)).status_code == 200


def test_usd_without_rate_is_an_error_next_to_the_field_and_input_is_kept(
    client, county, plan, activity
):
    client.force_login(member(county, Role.SECRETARIAT).user)
    response = client.post(
        _url("budget_line_new", plan.pk),
        {
            "activity": activity.pk,
            "contributor": "",
            "component": budget_component(county).pk,
            "kind": "cash",
            "amount": "2500.75",
            "currency": "USD",
            "exchange_rate": "",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["exchange_rate"] == ["Enter the exchange rate used (KES per USD)."]
    assert 'value="2500.75"' in response.content.decode()


def test_partner_adds_its_line_through_the_form(client, county, plan, activity):
    partner = member(county, Role.PARTNER)
    client.force_login(partner.user)
    response = client.post(
        _url("budget_line_new", plan.pk),
        {
            "activity": activity.pk,
            "contributor": partner.organization_id,
            "component": budget_component(county).pk,
            "kind": "in_kind",
            "amount": "5000",
            "currency": "KES",
        },
    )
    assert response.status_code == 302
    with county_context([county]):
        assert BudgetLine.objects.for_county(county).get().contributor_id == partner.organization_id


def test_stale_edit_page_shows_their_values_next_to_mine_and_keeps_theirs(
    client, county, plan, activity
):
    secretariat = member(county, Role.SECRETARIAT)
    bl = line(activity, amount="100.00")
    _update(secretariat, factories.refresh(bl), 1, "200.00")  # someone else saves first
    client.force_login(secretariat.user)
    response = client.post(
        _url("budget_line", bl.pk),
        {
            "component": bl.component.pk,
            "kind": "cash",
            "amount": "300.00",
            "currency": "KES",
            "comment": "",
            "row_version": 1,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this while you were editing it" in page
    assert response.context["conflict"][2][1:] == ("200.00", "300.00")
    assert 'name="row_version" value="2"' in page
    assert factories.refresh(bl).amount == Decimal("200.00")


def _rows(plan, n):
    partners = [factories.OrganizationFactory() for _ in range(n)]
    for i in range(n):
        a = factories.JointActivityFactory(county=plan.county, plan=plan)
        line(a, partners[i], amount="10.00", currency="USD", rate="130.0000", comment=f"c{i}")
        line(a, None, amount="20.00")
        c = factories.CommitmentFactory(county=plan.county, activity=a, contributor=partners[i])
        factories.DisbursementFactory(county=plan.county, commitment=c)


@pytest.mark.parametrize("n", [3, 10])
def test_budget_pages_query_count_does_not_grow_with_rows(
    client, county, plan, django_assert_max_num_queries, n
):
    _rows(plan, n)
    client.force_login(member(county, Role.SECRETARIAT).user)
    # Measured 18 on SQLite, 21 on PostgreSQL (3 set_config calls of the county
    # context), the same for 3 and 10 rows. Budget summary: session, user, county,
    # membership, plan, component totals, comments, components, contributor, sector
    # and activity totals, the page frame (the member's counties for the switcher),
    # and the savepoints of the county context.
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    with django_assert_max_num_queries(22):
        assert client.get(_url("budget", plan.pk)).status_code == 200
    # Budget lines, 13 on SQLite / 16 on PostgreSQL: the same frame and the plan,
    # then one query for the lines with activity, sector, contributor, component.
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    with django_assert_max_num_queries(17):
        assert client.get(_url("budget_lines", plan.pk)).status_code == 200
    # Promises vs money, 13 / 16: the same frame and the plan, then one query for
    # the commitments with their disbursed totals in KES.
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    # +1: the per-contributor sums of the reconciliation (one UNION ALL of the
    # commitments and releases grouped by funding). Measured 15 / 18.
    with django_assert_max_num_queries(18):
        assert client.get(_url("commitments", plan.pk)).status_code == 200


def test_budget_pages_read_as_many_queries_for_10_rows_as_for_3(client, county, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member(county, Role.SECRETARIAT).user)
    counts = []
    for more in (3, 7):  # 3 rows, then 10
        _rows(plan, more)
        seen = []
        for name in ("budget", "budget_lines", "commitments"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(_url(name, plan.pk)).status_code == 200
            seen.append(len(queries))
        counts.append(seen)
    assert counts[0] == counts[1]


def test_neighbour_county_member_gets_404_for_this_countys_budget(
    client, county, neighbour, plan, activity
):
    bl = line(activity)
    c = factories.CommitmentFactory(county=county, activity=activity)
    client.force_login(member(neighbour, Role.SECRETARIAT).user)
    for name, arg in (("budget", plan.pk), ("budget_line", bl.pk), ("commitment", c.pk)):
        assert client.get(_url(name, arg)).status_code == 404
    # and under the neighbour's own slug, this county's ids do not exist
    from django.urls import reverse

    url = reverse("workplans:budget_line", args=[neighbour.slug, bl.pk])
    assert client.get(url).status_code == 404
