"""A county with a dated row of every kind, in fiscal year 2025/26, for the calendar tests.

``World(county).add(n)`` adds n more rows of each kind to the same parents, so a test can
compare the queries for 3 rows with those for 10.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories

YEAR = (date(2025, 7, 1), date(2026, 6, 30))


def _aware(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


class World:
    def __init__(self, county):
        from workplans.models import PlanStatus

        self.county = county
        lead = factories.MembershipFactory(county=county, role=Role.SECTOR_LEAD)
        self.sector, self.sector_lead = lead.sector, lead.user
        self.sector_plan = factories.sector_plan(county, sector=self.sector)
        self.workplan = factories.JointWorkPlanFactory(county=county, fiscal_year="2025/26")
        with county_context([county]):
            type(self.workplan).objects.for_county(county).filter(pk=self.workplan.pk).update(
                status=PlanStatus.SIGNED
            )
        self.activity = factories.JointActivityFactory(
            county=county, plan=self.workplan, sector=self.sector
        )
        self.structure = factories.StructureFactory(county=county)
        self.evaluation = factories.EvaluationFactory(county=county, plan=self.workplan)
        self.partners = []  # (organization, partner user)
        self.added = 0

    def _partner(self):
        membership = factories.MembershipFactory(county=self.county, role=Role.PARTNER)
        self.partners.append((membership.organization, membership.user))
        return membership.organization

    def add(self, n: int) -> "World":
        from sectorplans.models import PlanStep

        county = self.county
        for i in range(self.added, self.added + n):
            number = i + 1
            with county_context([county]):
                PlanStep.objects.for_county(county).filter(
                    plan=self.sector_plan, step__number=number
                ).update(
                    due_date=date(2025, 9, 1) + timedelta(days=i),
                    status="done" if i == 0 else "not_started",
                )
            factories.ParticipationWindowFactory(
                county=county,
                plan=self.sector_plan,
                plan_step=factories.plan_step(self.sector_plan, 30 + i),
                opens_at=_aware(date(2025, 10, 1) + timedelta(days=i)),
                closes_at=_aware(date(2025, 10, 20) + timedelta(days=i), 17),
            )
            factories.NominationFactory(
                county=county,
                structure=self.structure,
                organization=self._partner(),
                due_date=date(2025, 11, 3) + timedelta(days=i),
                status="nominated" if i == 0 else "invited",
            )
            meeting = factories.MeetingFactory(
                county=county, starts_at=_aware(date(2025, 12, 1) + timedelta(days=i))
            )
            factories.ActionItemFactory(
                county=county,
                meeting=meeting,
                due_date=date(2025, 12, 10) + timedelta(days=i),
                owner_user=self.sector_lead if i == 0 else None,
            )
            factories.ReviewMilestoneFactory(
                county=county,
                plan=self.workplan,
                review_date=date(2026, 1, 15) + timedelta(days=i),
                status="done" if i == 0 else "planned",
            )
            indicator = factories.IndicatorFactory(
                county=county,
                plan=self.workplan,
                objective=None,
                activity=self.activity,
                responsible_organization=self._partner(),
            )
            factories.ResultFactory(
                county=county,
                indicator=indicator,
                quarter=1,
                status="submitted" if i == 0 else "draft",
            )
            factories.AdaptationItemFactory(
                county=county,
                plan=self.workplan,
                activity=self.activity if i == 0 else None,
                responsible_organization=self.partners[-1][0],
                responsible_user=self.sector_lead if i == 0 else None,
                timeline=date(2026, 3, 2) + timedelta(days=i),
                status="done" if i == 0 else "open",
            )
            factories.RecommendationFactory(
                county=county,
                plan=self.workplan,
                evaluation=self.evaluation,
                responsible_organization=self.partners[-1][0],
                due_date=date(2026, 5, 4) + timedelta(days=i),
                status="implemented" if i == 0 else "open",
            )
            factories.CalendarEventFactory(
                county=county,
                starts_on=date(2026, 2, 2) + timedelta(days=i),
                sector=self.sector if i == 0 else None,
            )
        self.added += n
        return self
