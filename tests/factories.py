"""factory_boy factories that keep an object graph inside one county."""

from decimal import Decimal

import factory
from django.utils import timezone

from counties.models import (
    Contact,
    County,
    Invitation,
    Membership,
    Office,
    OfficeHolding,
    OfficeKind,
    Organization,
    OrganizationCategory,
    Sector,
)
from jwp.models import User
from jwp.roles import Role
from jwp.tenancy import county_context
from monitoring.demo import _pdf as _demo_pdf

PASSWORD = "a-Good-test-passw0rd"


def samburu() -> County:
    return County.objects.get(code="025")


def turkana() -> County:
    return County.objects.get(code="023")


class CountyOwnedFactory(factory.django.DjangoModelFactory):
    """Creates rows inside the county's context, as services do (RLS admits them)."""

    class Meta:
        abstract = True

    county = factory.LazyFunction(samburu)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with county_context([kwargs["county"]]):
            return super()._create(model_class, *args, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    category = OrganizationCategory.IMPLEMENTING_PARTNER


class SectorFactory(CountyOwnedFactory):
    class Meta:
        model = Sector

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class MembershipFactory(CountyOwnedFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.OBSERVER
    sector = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.SECTOR_LEAD),
        yes_declaration=factory.SubFactory(SectorFactory, county=factory.SelfAttribute("..county")),
        no_declaration=None,
    )
    organization = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.PARTNER),
        yes_declaration=factory.SubFactory(OrganizationFactory),
        no_declaration=None,
    )


class ContactFactory(CountyOwnedFactory):
    class Meta:
        model = Contact

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class InvitationFactory(CountyOwnedFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.OBSERVER
    token_hash = factory.Sequence(lambda n: f"unsent-{n:032d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))


def refresh(obj):
    """Reload a county-owned object (row-level security needs its county's context)."""
    with county_context([obj.county_id]):
        obj.refresh_from_db()
    return obj


# --- sector plans (issue 4) -------------------------------------------------


def sector_plan(county=None, *, sector=None, period_start=2023, title="", by=None):
    """A sector plan with its 47 steps, started by the county's secretariat (as in the UI)."""
    from sectorplans import services as plan_services

    county = county or samburu()
    with county_context([county]):
        if by is None:
            by = MembershipFactory(county=county, role=Role.SECRETARIAT)
        sector = sector or SectorFactory(county=county)
        return plan_services.sector_plan_create(
            county=county,
            membership=by,
            sector=sector,
            period_start=period_start,
            title=title or f"{sector.name} sector plan {period_start}–{period_start + 4}",
        )


def plan_step(plan, number: int):
    """The step record ``number`` of a plan, read in its county's context."""
    with county_context([plan.county_id]):
        return plan.steps.select_related("step", "plan__county").get(step__number=number)


class ParticipationWindowFactory(CountyOwnedFactory):
    class Meta:
        model = "sectorplans.ParticipationWindow"

    plan = factory.LazyAttribute(lambda o: sector_plan(o.county))
    plan_step = factory.LazyAttribute(lambda o: plan_step(o.plan, 7))
    title = "Sector context and baseline"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=13))


class PublicCommentFactory(CountyOwnedFactory):
    class Meta:
        model = "sectorplans.PublicComment"

    window = factory.SubFactory(
        ParticipationWindowFactory, county=factory.SelfAttribute("..county")
    )
    name = factory.Faker("name")
    topic = "Water points"
    body = "More boreholes for the dry season, please."


# --- meetings ----------------------------------------------------------------


class MeetingFactory(CountyOwnedFactory):
    class Meta:
        model = "counties.Meeting"

    kind = "twg"
    title = factory.Sequence(lambda n: f"TWG meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=3))
    venue = "County Hall, Maralal"


class AttendanceFactory(CountyOwnedFactory):
    class Meta:
        model = "counties.Attendance"

    meeting = factory.SubFactory(MeetingFactory, county=factory.SelfAttribute("..county"))
    name = factory.Sequence(lambda n: f"Attendee {n}")
    organization = factory.SubFactory(OrganizationFactory)
    gender = "female"


class ActionItemFactory(CountyOwnedFactory):
    class Meta:
        model = "counties.ActionItem"

    meeting = factory.SubFactory(MeetingFactory, county=factory.SelfAttribute("..county"))
    description = factory.Sequence(lambda n: f"Circulate the minutes ({n})")
    owner_name = factory.Faker("name")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=7))


# --- stakeholder register and structures ------------------------------------


class StakeholderFactory(CountyOwnedFactory):
    class Meta:
        model = "counties.Stakeholder"

    organization = factory.SubFactory(OrganizationFactory)
    role = "Implements resilience programmes"
    interest = "high"
    influence = "medium"


class StructureFactory(CountyOwnedFactory):
    class Meta:
        model = "counties.CoordinationStructure"

    kind = "twg"
    cycle = "2026/27"
    name = "Technical Working Group / Steering Committee"


class StructureMemberFactory(CountyOwnedFactory):
    class Meta:
        model = "counties.StructureMember"

    structure = factory.SubFactory(StructureFactory, county=factory.SelfAttribute("..county"))
    contact = factory.SubFactory(ContactFactory, county=factory.SelfAttribute("..county"))
    organization = factory.SelfAttribute("contact.organization")
    gender = "female"


class NominationFactory(CountyOwnedFactory):
    class Meta:
        model = "counties.Nomination"

    structure = factory.SubFactory(StructureFactory, county=factory.SelfAttribute("..county"))
    organization = factory.SubFactory(OrganizationFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=7))


class PlanDocumentFactory(CountyOwnedFactory):
    class Meta:
        model = "sectorplans.PlanDocument"

    plan = factory.LazyAttribute(lambda o: sector_plan(o.county))
    kind = "baseline"
    title = "Sector context and baseline"
    version = factory.Sequence(lambda n: n + 1)
    file = factory.django.FileField(
        data=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", filename="baseline.pdf"
    )
    file_kind = "pdf"
    size = 44


# --- joint work plans -------------------------------------------------------


class JointWorkPlanFactory(CountyOwnedFactory):
    class Meta:
        model = "workplans.JointWorkPlan"

    fiscal_year = "2025/26"
    title = "Samburu County Joint Work Plan"
    lead_agency = factory.SubFactory(OrganizationFactory, category="county_department")
    start_date = factory.LazyFunction(lambda: timezone.datetime(2025, 7, 1).date())
    end_date = factory.LazyFunction(lambda: timezone.datetime(2026, 6, 30).date())


def _county_sector(county, slug="health"):
    with county_context([county]):
        return Sector.objects.for_county(county).get(slug=slug)


class JointActivityFactory(CountyOwnedFactory):
    class Meta:
        model = "workplans.JointActivity"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    title = factory.Sequence(lambda n: f"Joint activity {n}")
    sector = factory.LazyAttribute(lambda o: _county_sector(o.county))
    lead_organization = factory.SubFactory(OrganizationFactory)
    start_date = factory.LazyFunction(lambda: timezone.datetime(2025, 9, 1).date())
    end_date = factory.LazyFunction(lambda: timezone.datetime(2025, 12, 31).date())


def budget_component(county, name="Planning and Coordination"):
    from workplans.models import BudgetComponent

    with county_context([county]):
        return BudgetComponent.objects.for_county(county).get(name=name)


class BudgetLineFactory(CountyOwnedFactory):
    class Meta:
        model = "workplans.BudgetLine"

    activity = factory.SubFactory(JointActivityFactory, county=factory.SelfAttribute("..county"))
    contributor = None  # the county government
    component = factory.LazyAttribute(lambda o: budget_component(o.county))
    amount = Decimal("100000.00")
    currency = "KES"


class CommitmentFactory(CountyOwnedFactory):
    class Meta:
        model = "workplans.Commitment"

    activity = factory.SubFactory(JointActivityFactory, county=factory.SelfAttribute("..county"))
    contributor = factory.SubFactory(OrganizationFactory)
    amount = Decimal("50000.00")
    currency = "KES"


# --- joint work plans: sections (part A) ------------------------------------


class CidpProgrammeFactory(CountyOwnedFactory):
    class Meta:
        model = "workplans.CidpProgramme"

    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    sector = factory.LazyAttribute(lambda o: _county_sector(o.county))


class ObjectiveFactory(CountyOwnedFactory):
    class Meta:
        model = "workplans.Objective"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    statement = factory.Sequence(lambda n: f"Objective {n}")
    priority_area = "Water"


class RiskFactory(CountyOwnedFactory):
    class Meta:
        model = "workplans.Risk"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    description = "Drought delays field work"
    likelihood = "medium"
    impact = "high"


class ReviewMilestoneFactory(CountyOwnedFactory):
    class Meta:
        model = "workplans.ReviewMilestone"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    deliverable = "Mid-year review"
    review_date = factory.LazyFunction(lambda: timezone.datetime(2026, 1, 15).date())


class AnnexFactory(CountyOwnedFactory):
    class Meta:
        model = "workplans.Annex"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    title = "Workshop report"
    file = factory.django.FileField(filename="report.pdf", data=b"%PDF-1.4 test")


class SignatureFactory(CountyOwnedFactory):
    class Meta:
        model = "workplans.Signature"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    capacity = "county_secretary"


# --- joint work plans: overlaps (part C) -------------------------------------


def overlap_flag(county=None, *, plan=None, reason="same_place_time"):
    """Two activities of the plan flagged as a possible overlap (still open)."""
    from workplans.models import OverlapFlag

    county = county or samburu()
    plan = plan or JointWorkPlanFactory(county=county)
    first, second = (JointActivityFactory(county=county, plan=plan) for _ in range(2))
    with county_context([county]):
        return OverlapFlag.objects.create(
            county=county, plan=plan, activity_a=first, activity_b=second, reason=reason
        )


# --- joint work plans: cost-share (part B) -----------------------------------


class DisbursementFactory(CountyOwnedFactory):
    class Meta:
        model = "workplans.Disbursement"

    commitment = factory.SubFactory(CommitmentFactory, county=factory.SelfAttribute("..county"))
    amount = Decimal("1000.00")
    currency = factory.SelfAttribute("commitment.currency")
    exchange_rate = factory.SelfAttribute("commitment.exchange_rate")
    disbursed_on = factory.LazyFunction(lambda: timezone.datetime(2025, 10, 1).date())


# --- monitoring (issue 6) -----------------------------------------------------


class IndicatorFactory(CountyOwnedFactory):
    class Meta:
        model = "monitoring.Indicator"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    objective = factory.SubFactory(
        ObjectiveFactory,
        county=factory.SelfAttribute("..county"),
        plan=factory.SelfAttribute("..plan"),
    )
    activity = None
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "people"
    responsible_organization = factory.SubFactory(OrganizationFactory)


class IndicatorTargetFactory(CountyOwnedFactory):
    class Meta:
        model = "monitoring.IndicatorTarget"

    indicator = factory.SubFactory(IndicatorFactory, county=factory.SelfAttribute("..county"))
    fiscal_year = factory.SelfAttribute("indicator.plan.fiscal_year")
    quarter = 1
    value = Decimal("100")


class ResultFactory(CountyOwnedFactory):
    class Meta:
        model = "monitoring.Result"

    indicator = factory.SubFactory(IndicatorFactory, county=factory.SelfAttribute("..county"))
    fiscal_year = factory.SelfAttribute("indicator.plan.fiscal_year")
    quarter = 1
    value = Decimal("90")


# --- notifications -------------------------------------------------------------


class NotificationFactory(CountyOwnedFactory):
    class Meta:
        model = "notifications.Notification"

    recipient = factory.SubFactory(UserFactory)
    item_key = factory.Sequence(lambda n: f"test:{n}")
    kind = "action_item"
    threshold = "d7"
    title = factory.Sequence(lambda n: f"Submit the cost-share commitments ({n})")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=7))


class EmailDeliveryFactory(CountyOwnedFactory):
    class Meta:
        model = "notifications.EmailDelivery"

    notification = factory.SubFactory(NotificationFactory, county=factory.SelfAttribute("..county"))
    recipient = factory.SelfAttribute("notification.recipient")
    to_email = factory.SelfAttribute("recipient.email")


# --- progress, reports and adaptive management (issue 6, points 3–5) -----------


class ActivityProgressFactory(CountyOwnedFactory):
    class Meta:
        model = "progress.ActivityProgress"

    activity = factory.SubFactory(JointActivityFactory, county=factory.SelfAttribute("..county"))
    plan = factory.SelfAttribute("activity.plan")
    fiscal_year = factory.SelfAttribute("activity.plan.fiscal_year")
    quarter = 1
    percent_complete = 25
    progress_made = "Work started in two wards."


class ExpenditureFactory(CountyOwnedFactory):
    class Meta:
        model = "progress.Expenditure"

    budget_line = factory.SubFactory(BudgetLineFactory, county=factory.SelfAttribute("..county"))
    activity = factory.SelfAttribute("budget_line.activity")
    plan = factory.SelfAttribute("budget_line.activity.plan")
    fiscal_year = factory.SelfAttribute("budget_line.activity.plan.fiscal_year")
    quarter = 1
    amount_kes = Decimal("1000.00")


class FeedbackFactory(CountyOwnedFactory):
    class Meta:
        model = "progress.Feedback"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    from_name = "Ward administrator, Waso"
    text = "Women cannot attend sessions held at midday."
    received_on = factory.LazyFunction(lambda: timezone.datetime(2025, 8, 14).date())
    requires_action = True


class AdaptationItemFactory(CountyOwnedFactory):
    class Meta:
        model = "progress.AdaptationItem"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    trigger = "feedback"
    source_key = factory.Sequence(lambda n: f"feedback:{n}")
    fiscal_year = factory.SelfAttribute("plan.fiscal_year")
    quarter = 1
    source_summary = "Ward administrator: women cannot attend at midday"
    proposed_action = "Adjust engagement approach"
    timeline = factory.LazyFunction(lambda: timezone.datetime(2025, 10, 31).date())
    expected_outcome = "Higher satisfaction"


class ProgressReportFactory(CountyOwnedFactory):
    class Meta:
        model = "progress.ProgressReport"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    fiscal_year = factory.SelfAttribute("plan.fiscal_year")
    quarter = 1


# --- learning (issue 6, points 6–9) ---------------------------------------------------


class PauseAndReflectFactory(CountyOwnedFactory):
    class Meta:
        model = "learning.PauseAndReflect"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    title = "Quarter 2 pause and reflect"
    held_on = factory.LazyFunction(lambda: timezone.datetime(2025, 12, 10).date())
    facilitator = "JWP TWG chair"


class ReflectionAnswerFactory(CountyOwnedFactory):
    class Meta:
        model = "learning.ReflectionAnswer"

    session = factory.SubFactory(PauseAndReflectFactory, county=factory.SelfAttribute("..county"))
    question = "worked_well"
    text = "Partners shared their calendars early."


class LessonFactory(CountyOwnedFactory):
    class Meta:
        model = "learning.Lesson"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    title = factory.Sequence(lambda n: f"Lesson {n}")
    text = "What we learned."
    source = "other"
    source_note = "Desk review"


class LearningBriefFactory(CountyOwnedFactory):
    class Meta:
        model = "learning.LearningBrief"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    title = "Learning brief"
    summary = "What the cycle taught us."


class MonitoringVisitFactory(CountyOwnedFactory):
    class Meta:
        model = "learning.MonitoringVisit"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    title = factory.Sequence(lambda n: f"Joint monitoring visit {n}")
    visited_on = factory.LazyFunction(lambda: timezone.datetime(2025, 11, 5).date())
    sites = "Borehole at the ward office"


def _tiny_jpeg():
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 30), (11, 110, 79)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


class VisitPhotoFactory(CountyOwnedFactory):
    """A real (tiny) JPEG stored in MEDIA_ROOT, so the photo URL can be fetched."""

    class Meta:
        model = "learning.VisitPhoto"

    visit = factory.SubFactory(MonitoringVisitFactory, county=factory.SelfAttribute("..county"))
    image = factory.LazyFunction(_tiny_jpeg)
    width = 40
    height = 30


class VisitActionFactory(CountyOwnedFactory):
    class Meta:
        model = "learning.VisitAction"

    visit = factory.SubFactory(MonitoringVisitFactory, county=factory.SelfAttribute("..county"))
    action = "Repair the borehole pump"
    responsible = "Water department"
    due_date = factory.LazyFunction(lambda: timezone.datetime(2026, 1, 31).date())


class EvaluationFactory(CountyOwnedFactory):
    class Meta:
        model = "learning.Evaluation"

    plan = factory.SubFactory(JointWorkPlanFactory, county=factory.SelfAttribute("..county"))
    kind = "mid_term"
    conducted_on = factory.LazyFunction(lambda: timezone.datetime(2026, 1, 20).date())
    conducted_by = "JWP TWG, externally facilitated"


class RecommendationFactory(CountyOwnedFactory):
    class Meta:
        model = "learning.Recommendation"

    evaluation = factory.SubFactory(EvaluationFactory, county=factory.SelfAttribute("..county"))
    plan = factory.SelfAttribute("evaluation.plan")
    text = factory.Sequence(lambda n: f"Recommendation {n}")
    responsible_organization = factory.SubFactory(OrganizationFactory)
    due_date = factory.LazyFunction(lambda: timezone.datetime(2026, 3, 31).date())


# --- calendars (issue 7) -------------------------------------------------------


class CalendarEventFactory(CountyOwnedFactory):
    class Meta:
        model = "calendars.CalendarEvent"

    kind = "twg_review"
    title = factory.Sequence(lambda n: f"TWG review {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=5))


# --- monitoring: evidence and comments of results (issue 6) ----------------------------


# A real one-page PDF (the demo's): the upload check parses PDFs, not just their first bytes.
PDF_BYTES = _demo_pdf("Register extract")


class EvidenceFactory(CountyOwnedFactory):
    class Meta:
        model = "monitoring.Evidence"

    result = factory.SubFactory(ResultFactory, county=factory.SelfAttribute("..county"))
    title = factory.Sequence(lambda n: f"Register extract {n}")
    file = factory.django.FileField(filename="register.pdf", data=PDF_BYTES)
    kind = "pdf"
    size = len(PDF_BYTES)


class ResultCommentFactory(CountyOwnedFactory):
    class Meta:
        model = "monitoring.ResultComment"

    result = factory.SubFactory(ResultFactory, county=factory.SelfAttribute("..county"))
    body = factory.Sequence(lambda n: f"Comment {n}")


# --- generated documents (issue 7, points 4–6) ---------------------------------


class DocumentJobFactory(CountyOwnedFactory):
    """A generated document of a work plan, already done (its file a tiny PDF)."""

    class Meta:
        model = "documents.DocumentJob"

    kind = "workplan"
    target_id = factory.LazyAttribute(lambda o: JointWorkPlanFactory(county=o.county).pk)
    title = "Samburu County Joint Work Plan 2025/26 — joint work plan"
    status = "done"
    file = factory.django.FileField(
        data=b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", filename="plan.pdf"
    )
    sha256 = factory.Faker("sha256")
    size = 44
    pages = 1


class OfficeFactory(CountyOwnedFactory):
    class Meta:
        model = Office

    kind = OfficeKind.CEC_FINANCE


class OfficeHoldingFactory(CountyOwnedFactory):
    """A holding written directly (tests of the service use ``office_assign``)."""

    class Meta:
        model = OfficeHolding

    office = factory.SubFactory(OfficeFactory, county=factory.SelfAttribute("..county"))
    user = factory.SubFactory(UserFactory)
    starts_on = factory.LazyFunction(timezone.localdate)
