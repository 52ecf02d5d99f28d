"""Adaptive management: each trigger raises exactly one adaptation item per cause and
period — by the service (running detection twice creates nothing) and by the database."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction

from jwp.roles import Role
from jwp.tenancy import county_context
from monitoring.models import Measure, ResultStatus
from progress import selectors, services, tasks
from progress.models import AdaptationItem, AdaptationStatus, Trigger
from tests import factories
from workplans.models import ActivityStatus

pytestmark = pytest.mark.django_db
D = Decimal
AFTER_Q1 = date(2025, 10, 5)  # 2025/26 Q1 is July–September 2025
AFTER_YEAR = date(2026, 7, 10)


def detect(plan, quarter, today=AFTER_Q1):
    with county_context([plan.county_id]):
        return services.detect_triggers(
            plan=plan, fiscal_year=plan.fiscal_year, quarter=quarter, today=today
        )


def items(plan):
    with county_context([plan.county_id]):
        return list(
            AdaptationItem.objects.for_county(plan.county_id)
            .filter(plan=plan)
            .order_by("quarter", "trigger", "source_key")
        )


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, status="signed")


def indicator_result(plan, *, target, actual, status=ResultStatus.VERIFIED, quarter=1, **kw):
    indicator = factories.IndicatorFactory(county=plan.county, plan=plan, **kw)
    factories.IndicatorTargetFactory(
        county=plan.county, indicator=indicator, quarter=quarter, value=D(target)
    )
    return factories.ResultFactory(
        county=plan.county, indicator=indicator, quarter=quarter, value=D(actual), status=status
    )


def test_a_verified_red_result_raises_one_item_and_nothing_else_does(plan):
    red = indicator_result(plan, target=100, actual=50)
    indicator_result(plan, target=100, actual=95)  # green
    indicator_result(plan, target=100, actual=75)  # amber
    indicator_result(plan, target=100, actual=10, status=ResultStatus.SUBMITTED)  # unverified
    indicator_result(plan, target=100, actual=10, quarter=2)  # another quarter
    qualitative = indicator_result(plan, target=100, actual=0, measure=Measure.QUALITATIVE)
    assert qualitative
    created = detect(plan, 1)
    assert [(i.trigger, i.source_key, i.result_id) for i in created] == [
        (Trigger.INDICATOR_MISSED, f"result:{red.pk}", red.pk)
    ]
    item = created[0]
    assert item.responsible_organization_id == red.indicator.responsible_organization_id
    assert item.proposed_action == "Review and revise strategy"
    assert item.expected_outcome == "Improved results"
    assert "50" in item.source_summary and "50.0 %" in item.source_summary
    assert detect(plan, 1) == []  # idempotent
    assert len(items(plan)) == 1


def test_a_budget_overrun_is_raised_in_the_quarter_the_spending_passes_the_budget(plan, county):
    secretariat = factories.MembershipFactory(county=county, role=Role.SECRETARIAT)
    line = factories.BudgetLineFactory(county=county, activity__plan=plan, amount=D("1000.00"))
    within = factories.BudgetLineFactory(county=county, activity__plan=plan, amount=D("1000.00"))
    with county_context([county]):
        for q, amount in ((1, "600.00"), (2, "400.01"), (3, "0.00")):
            services.expenditure_save(
                membership=secretariat, budget_line=line, quarter=q, amount_kes=D(amount)
            )
        services.expenditure_save(
            membership=secretariat, budget_line=within, quarter=2, amount_kes=D("1000.00")
        )
    for q in (1, 2, 3):
        detect(plan, q, today=AFTER_YEAR)
    # (nothing was released for these lines either: those causes are "released:…",
    # tested in test_reconciliation_triggers)
    overruns = [
        i
        for i in items(plan)
        if i.trigger == Trigger.BUDGET_OVERRUN and i.source_key.startswith("line:")
    ]
    assert [(i.quarter, i.budget_line_id, i.source_key) for i in overruns] == [
        (2, line.pk, f"line:{line.pk}")
    ]
    assert "1,000.01" in overruns[0].source_summary
    assert overruns[0].activity_id == line.activity_id


def test_feedback_that_requires_action_raises_an_item_in_the_quarter_it_came(plan, county):
    acting = factories.FeedbackFactory(county=county, plan=plan, received_on=date(2025, 8, 1))
    factories.FeedbackFactory(
        county=county, plan=plan, received_on=date(2025, 8, 2), requires_action=False
    )
    later = factories.FeedbackFactory(county=county, plan=plan, received_on=date(2025, 11, 3))
    detect(plan, 1, today=AFTER_YEAR)
    detect(plan, 2, today=AFTER_YEAR)
    found = [(i.quarter, i.feedback_id) for i in items(plan) if i.trigger == Trigger.FEEDBACK]
    assert found == [(1, acting.pk), (2, later.pk)]


def test_an_activity_is_stalled_without_progress_or_with_an_unchanged_percentage(plan, county):
    def activity(**kw):
        return factories.JointActivityFactory(
            county=county,
            plan=plan,
            start_date=date(2025, 7, 1),
            end_date=date(2025, 12, 31),
            **kw,
        )

    silent = activity()
    unchanged = activity()
    moving = activity()
    done = activity(status=ActivityStatus.COMPLETED)
    later = factories.JointActivityFactory(
        county=county, plan=plan, start_date=date(2026, 1, 1), end_date=date(2026, 3, 31)
    )
    for a, q, pct in ((unchanged, 1, 30), (unchanged, 2, 30), (moving, 1, 30), (moving, 2, 60)):
        factories.ActivityProgressFactory(
            county=county, activity=a, quarter=q, percent_complete=pct
        )
    assert detect(plan, 2, today=date(2025, 12, 31)) == []  # Q2 is not over yet
    detect(plan, 2, today=date(2026, 1, 2))
    stalled = {i.activity_id for i in items(plan) if i.trigger == Trigger.ACTIVITY_STALLED}
    assert stalled == {silent.pk, unchanged.pk}
    assert done.pk not in stalled and later.pk not in stalled and moving.pk not in stalled


def test_running_detection_twice_creates_nothing_new_and_keeps_edits(plan, county):
    indicator_result(plan, target=100, actual=10)
    factories.FeedbackFactory(county=county, plan=plan, received_on=date(2025, 8, 1))
    first = detect(plan, 1)
    assert len(first) == 2
    secretariat = factories.MembershipFactory(county=county, role=Role.SECRETARIAT)
    with county_context([county]):
        services.adaptation_update(
            membership=secretariat,
            item=first[0],
            status=AdaptationStatus.DROPPED,
            row_version=first[0].row_version,
        )
    assert detect(plan, 1) == []
    assert detect(plan, 1, today=AFTER_YEAR) == []
    assert len(items(plan)) == 2
    assert {i.status for i in items(plan)} == {AdaptationStatus.OPEN, AdaptationStatus.DROPPED}
    with county_context([county]):
        assert list(selectors.open_adaptations(plan)) == [
            i for i in items(plan) if i.status == AdaptationStatus.OPEN
        ]


def test_the_database_rejects_a_second_item_for_the_same_cause_and_period(plan, county):
    item = factories.AdaptationItemFactory(county=county, plan=plan, source_key="feedback:1")
    factories.AdaptationItemFactory(county=county, plan=plan, source_key="feedback:1", quarter=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.AdaptationItemFactory(
            county=county, plan=plan, source_key="feedback:1", trigger=item.trigger
        )


def test_done_needs_the_actual_outcome_and_partners_update_only_their_items(plan, county):
    org = factories.OrganizationFactory()
    item = factories.AdaptationItemFactory(county=county, plan=plan, responsible_organization=org)
    other = factories.AdaptationItemFactory(county=county, plan=plan)
    partner = factories.MembershipFactory(county=county, role=Role.PARTNER, organization=org)
    from django.core.exceptions import PermissionDenied, ValidationError

    with county_context([county]):
        with pytest.raises(ValidationError) as exc:
            services.adaptation_update(membership=partner, item=item, status="done")
        assert "actual_outcome" in exc.value.error_dict
        with pytest.raises(ValidationError):
            services.adaptation_update(membership=partner, item=item, status="dropped")
        services.adaptation_update(
            membership=partner,
            item=item,
            status="done",
            actual_outcome="Sessions moved to 8 am; attendance of women doubled.",
        )
        with pytest.raises(PermissionDenied):
            services.adaptation_update(membership=partner, item=other, status="in_progress")
    assert factories.refresh(item).status == "done"


def test_the_daily_task_detects_for_signed_plans_under_implementation(county, neighbour):
    plan = factories.JointWorkPlanFactory(county=county, status="signed")
    draft = factories.JointWorkPlanFactory(county=county, fiscal_year="2026/27")
    theirs = factories.JointWorkPlanFactory(county=neighbour, status="signed")
    for p in (plan, draft, theirs):
        factories.FeedbackFactory(county=p.county, plan=p, received_on=date(2025, 8, 1))
    with time_machine.travel(date(2025, 10, 5)):
        assert tasks.detect_triggers_for_open_plans.delay().get() == 2
        assert tasks.detect_triggers_for_open_plans.delay().get() == 2
    assert [i.trigger for i in items(plan)] == [Trigger.FEEDBACK]
    assert [i.trigger for i in items(theirs)] == [Trigger.FEEDBACK]
    assert items(draft) == []
    with time_machine.travel(date(2027, 1, 1)):  # long after the year: not open any more
        assert tasks.detect_triggers_for_open_plans.delay().get() == 0
