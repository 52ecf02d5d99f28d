"""The demo: Samburu's signed plan (design year 2024/25) has four quarters of progress and spending
(one budget line overrun), a stalled activity, feedback, adaptation items in every
status and progress reports Q1–Q2 shared and Q3 with the TWG."""

from io import StringIO

import pytest
from django.core.management import call_command

from counties.demo_clock import fiscal_year
from jwp.tenancy import county_context
from progress import selectors, services
from progress.models import (
    ActivityProgress,
    AdaptationItem,
    AdaptationStatus,
    Feedback,
    ProgressReport,
    Trigger,
)
from workplans.models import Commitment, Disbursement, JointWorkPlan
from workplans.reconciliation import FlagKind, reconcile

pytestmark = pytest.mark.django_db


def test_the_demo_tells_the_story_of_the_signed_plans_year(county):
    call_command("seed_demo", stdout=StringIO())
    with county_context([county]):
        plan = JointWorkPlan.objects.for_county(county).get(fiscal_year=fiscal_year("2024/25"))
        quarters = set(
            ActivityProgress.objects.for_county(county)
            .filter(plan=plan)
            .values_list("quarter", flat=True)
        )
        assert quarters == {1, 2, 3, 4}
        grid = selectors.progress_grid(county=county, plan=plan)
        overrun = [r for row in grid.rows for r in row.lines if r.overrun]
        assert len(overrun) == 1 and overrun[0].utilisation == 108
        items = AdaptationItem.objects.for_county(county).filter(plan=plan)
        assert set(items.values_list("status", flat=True)) == set(AdaptationStatus.values)
        assert set(items.values_list("trigger", flat=True)) == set(Trigger.values)
        assert Feedback.objects.for_county(county).filter(plan=plan, requires_action=True).exists()
        reports = dict(
            ProgressReport.objects.for_county(county)
            .filter(plan=plan)
            .values_list("quarter", "status")
        )
        assert reports == {1: "shared", 2: "shared", 3: "in_review"}
        # the detection has already run: running it again raises nothing new
        assert services.detect_for_plan(plan=plan) == []
        # the money reconciles but for one deliberate flag: the county's vaccination line
        # spent beyond what the treasury released (the second vaccine purchase)
        money = reconcile(county=county, plan=plan)
        assert [(f.kind, f.activity_title, f.contributor_id) for f in money.flags] == [
            (
                FlagKind.SPENT_BEYOND_RELEASED,
                "Livestock vaccination against PPR and CCPP",
                None,
            )
        ]
        assert money.total.spent <= money.total.released
        county_own = Commitment.objects.for_county(county).filter(
            activity__plan=plan, contributor=None
        )
        assert county_own.exists() and not county_own.filter(vote_code="").exists()
        assert not county_own.filter(appropriation_reference="").exists()
        assert (
            Disbursement.objects.for_county(county)
            .filter(commitment__in=county_own, reference__startswith="Exchequer release")
            .exists()
        )
