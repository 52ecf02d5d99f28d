"""The learning demo on Samburu's signed plan (design year 2024/25), and the carried
recommendations on the next one (2025/26), moved to today."""

from io import StringIO

import pytest
from django.core.management import call_command
from PIL import Image

from counties.demo_clock import fiscal_year
from jwp.tenancy import county_context
from learning import selectors
from learning.models import (
    CriterionRating,
    Evaluation,
    LearningBrief,
    Lesson,
    PauseAndReflect,
    Recommendation,
    VisitPhoto,
)
from workplans.models import JointWorkPlan

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_part_of_the_learning_area(county):
    call_command("seed_demo", stdout=StringIO())
    with county_context([county]):
        plan = JointWorkPlan.objects.for_county(county).get(fiscal_year=fiscal_year("2024/25"))
        later = JointWorkPlan.objects.for_county(county).get(fiscal_year=fiscal_year("2025/26"))
        session = PauseAndReflect.objects.for_county(county).get(plan=plan)
        assert {a.question for a in session.answers.all()} == {
            "worked_well",
            "did_not_work",
            "can_improve",
        }
        lessons = Lesson.objects.for_county(county).filter(plan=plan)
        assert 5 <= lessons.count() <= 8
        assert lessons.filter(sectors__isnull=False).exists()
        assert LearningBrief.objects.for_county(county).get(plan=plan).status == "published"
        photos = list(VisitPhoto.objects.for_county(county).filter(visit__plan=plan))
        assert len(photos) == 2
        for photo in photos:
            with photo.image.open("rb") as f:
                assert max(Image.open(f).size) == 1600
        review = Evaluation.objects.for_county(county).get(plan=plan, kind="mid_term")
        ratings = CriterionRating.objects.for_county(county).filter(evaluation=review)
        assert ratings.count() == 6 and not ratings.filter(rating__isnull=True).exists()
        recs = Recommendation.objects.for_county(county).filter(evaluation=review)
        assert {r.status for r in recs} == {"open", "in_progress", "implemented", "dropped"}
        carried = list(selectors.open_recommendations(later))
        assert len(carried) == 2 and all(r.plan_id == plan.pk for r in carried)
