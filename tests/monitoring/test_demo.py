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
    by_name = {r.indicator.name: r for r in rows}
    # counts are whole numbers; a submitted result is provisional and not rated
    children = by_name["Children under one fully immunized"]
    assert [c.target_text for c in children.cells] == ["600", "600", "700", "700"]
    q3 = children.cells[2]
    assert q3.provisional and q3.provisional_text == "470" and q3.variance is None
    assert children.year.actual == 1150 and children.year.target == 1200
    # decrease is better: 15.9 % against 14 % is above target, so not on track
    rate = by_name["Global acute malnutrition rate among children under five"]
    assert rate.cells[1].variance.rag == "amber" and rate.cells[1].actual_text == "15.9"
    assert rate.cells[2].provisional_text == "14.2" and rate.cells[2].rag == "none"
    # a verified result in a quarter without a target is not rated
    goats = by_name["Goats and sheep vaccinated against PPR"].cells[2]
    assert goats.verified and goats.target is None and goats.rag_label == "Not rated"
