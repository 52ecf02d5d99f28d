"""The demo: Samburu's signed plan (design year 2024/25) has indicators with four quarters of
targets, results in every state (one returned to draft with its comment), mixed RAG,
values by group, an evidence PDF and a comments thread."""

from io import StringIO

import pytest
from django.core.management import call_command

from counties.demo_clock import fiscal_year
from jwp.tenancy import county_context
from jwp.uploads import sniff_kind
from monitoring import selectors
from monitoring.models import (
    CommentKind,
    Evidence,
    Indicator,
    Result,
    ResultComment,
    ResultDisaggregation,
    ResultStatus,
)
from workplans.models import JointWorkPlan

pytestmark = pytest.mark.django_db


def test_the_demo_follows_the_signed_plan_quarter_by_quarter(county):
    call_command("seed_demo", stdout=StringIO())
    with county_context([county]):
        plan = JointWorkPlan.objects.for_county(county).get(fiscal_year=fiscal_year("2024/25"))
        indicators = Indicator.objects.for_county(county).filter(plan=plan)
        assert 4 <= indicators.count() <= 8
        results = Result.objects.for_county(county).filter(indicator__plan=plan)
        assert set(results.values_list("status", flat=True)) == {
            ResultStatus.DRAFT,
            ResultStatus.SUBMITTED,
            ResultStatus.VERIFIED,
        }
        returned = results.exclude(return_comment="").get()
        assert returned.status == ResultStatus.DRAFT
        assert ResultComment.objects.for_county(county).filter(
            result=returned, kind=CommentKind.RETURN, body=returned.return_comment
        )
        assert results.filter(status=ResultStatus.SUBMITTED).count() >= 2
        groups = ResultDisaggregation.objects.for_county(county)
        assert set(groups.values_list("category", flat=True)) == {"sex", "age_group", "disability"}
        evidence = Evidence.objects.for_county(county).get()
        with evidence.file.open("rb") as handle:
            assert sniff_kind(handle) == "pdf"
        assert (
            ResultComment.objects.for_county(county)
            .filter(result=evidence.result, kind=CommentKind.COMMENT)
            .count()
            == 2
        )
        rows = selectors.indicator_table(county=county, plan=plan)
    rags = {c.variance.rag for r in rows for c in r.cells if c.variance}
    assert rags == {"green", "amber", "red"}
