"""The demo: Samburu's signed 2024/25 plan has indicators with four quarters of
targets, results in every state (one returned with a comment) and mixed RAG."""

from io import StringIO

import pytest
from django.core.management import call_command

from jwp.tenancy import county_context
from monitoring import selectors
from monitoring.models import Indicator, Result, ResultStatus
from workplans.models import JointWorkPlan

pytestmark = pytest.mark.django_db


def test_the_demo_follows_the_signed_plan_quarter_by_quarter(county):
    call_command("seed_demo", stdout=StringIO())
    with county_context([county]):
        plan = JointWorkPlan.objects.for_county(county).get(fiscal_year="2024/25")
        indicators = Indicator.objects.for_county(county).filter(plan=plan)
        assert 4 <= indicators.count() <= 6
        results = Result.objects.for_county(county).filter(indicator__plan=plan)
        assert set(results.values_list("status", flat=True)) == set(ResultStatus.values)
        returned = results.get(status=ResultStatus.RETURNED)
        assert returned.return_comment
        assert results.filter(status=ResultStatus.SUBMITTED).count() >= 2
        rows = selectors.indicator_table(county=county, plan=plan)
    rags = {c.variance.rag for r in rows for c in r.cells if c.variance}
    assert rags == {"green", "amber", "red"}
