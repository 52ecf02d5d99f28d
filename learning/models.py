"""Learning, joint monitoring visits and evaluations (issue 6, points 6–9; manual §4.4–4.5,
§7 MELA, §9.3–9.5 and the learning-capture template of §10.1).

- **Pause and reflect sessions** (§9.4) answer the template's three learning
  questions — what worked well, what didn't work, what can be improved — with
  any number of answers each, and agree a follow-up.
- **Lessons** are the county's lessons repository: a lesson with its evidence,
  tagged by sector and by theme, with its source (a session, a visit, an
  evaluation or other). Themes are a *fixed* list (``Theme``) drawn from the
  manual and the Samburu learning brief, not a per-county list: lessons are
  compared across counties and plans, which needs the same words everywhere;
  "Other" catches the rest.
- **Learning briefs** (§9.3) are an ordered selection of lessons with a title
  and summary, draft until published, printed as a clean page.
- **Joint monitoring visits** (§4.4 step 1, §9.3) record wards, sites,
  participating organizations, findings by the participants, photos and
  follow-up actions.
- **Evaluations** (baseline, mid-term review, end-of-cycle; §4.4 step 4) rate the
  six OECD-DAC criteria of §7.2 on a stated 1–4 scale, with findings, and make
  **recommendations** (template §10.1 section 9: recommendation, responsible
  party, timeline, priority) that are followed to closure.
- **Close-out** (§4.5) of a plan's cycle: achievements, challenges and chosen
  lessons; open recommendations are carried into the county's plan of the next
  fiscal year, keeping their history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counties.models import Membership, Organization, Sector, Ward
from jwp.tenancy import CountyOwned
from jwp.uploads import county_upload_to
from workplans.models import JointWorkPlan

USER = settings.AUTH_USER_MODEL


class Authored(CountyOwned):
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


# --- pause and reflect ------------------------------------------------------------


class LearningQuestion(models.TextChoices):
    """The learning questions of the manual's learning capture framework (§10.1, 3)."""

    WORKED_WELL = "worked_well", _("What worked well?")
    DID_NOT_WORK = "did_not_work", _("What didn't work?")
    CAN_IMPROVE = "can_improve", _("What can be improved?")


class PauseAndReflect(Authored):
    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(
        _("focus"),
        max_length=200,
        help_text=_("A specific theme, or the overall work planning period."),
    )
    held_on = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    facilitator = models.CharField(_("facilitator"), max_length=200)
    organizations = models.ManyToManyField(
        Organization,
        through="SessionOrganization",
        related_name="+",
        blank=True,
        verbose_name=_("participating organizations"),
    )
    members = models.ManyToManyField(
        Membership,
        through="SessionMember",
        related_name="+",
        blank=True,
        verbose_name=_("participating members"),
    )
    other_participants = models.TextField(
        _("other participants"), blank=True, help_text=_("Names of people without an account.")
    )
    participant_count = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True
    )
    follow_up = models.TextField(_("follow-up agreed"), blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("pause and reflect session")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:session", args=[self.county.slug, self.pk])


class SessionOrganization(CountyOwned):
    session = models.ForeignKey(PauseAndReflect, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "session", "organization"], name="sessionorganization_unique"
            )
        ]


class SessionMember(CountyOwned):
    session = models.ForeignKey(PauseAndReflect, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "session", "membership"], name="sessionmember_unique"
            )
        ]


class ReflectionAnswer(CountyOwned):
    session = models.ForeignKey(PauseAndReflect, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("question"), max_length=12, choices=LearningQuestion.choices)
    text = models.TextField(_("answer"))
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question", "created_at", "pk"]


# --- lessons ------------------------------------------------------------------------


class Theme(models.TextChoices):
    COORDINATION = "coordination", _("Coordination and backbone support")
    LEADERSHIP = "leadership", _("County leadership and ownership")
    PARTICIPATION = "participation", _("Participation and inclusion")
    COMMUNICATION = "communication", _("Communication")
    CALENDARS = "calendars", _("Planning and budget calendars")
    FINANCING = "financing", _("Cost-share and financing")
    MEL = "mel", _("Monitoring, evaluation and learning")
    CAPACITY = "capacity", _("Capacity and technical expertise")
    FACILITATION = "facilitation", _("Facilitation")
    SUSTAINABILITY = "sustainability", _("Sustainability")
    OTHER = "other", _("Other")


class LessonSource(models.TextChoices):
    SESSION = "session", _("Pause and reflect session")
    VISIT = "visit", _("Joint monitoring visit")
    EVALUATION = "evaluation", _("Evaluation")
    OTHER = "other", _("Other")


class Lesson(Authored):
    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("lesson"), max_length=250)
    text = models.TextField(_("what we learned"))
    evidence = models.TextField(_("evidence"), blank=True)
    sectors = models.ManyToManyField(
        Sector, through="LessonSector", related_name="+", blank=True, verbose_name=_("sectors")
    )
    source = models.CharField(
        _("source"), max_length=10, choices=LessonSource.choices, default=LessonSource.OTHER
    )
    session = models.ForeignKey(
        PauseAndReflect, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visit = models.ForeignKey(
        "MonitoringVisit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evaluation = models.ForeignKey(
        "Evaluation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_note = models.CharField(_("source (other)"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["county", "plan"], name="lesson_county_plan")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:lesson", args=[self.county.slug, self.pk])

    @property
    def source_object(self):
        return {"session": self.session, "visit": self.visit, "evaluation": self.evaluation}.get(
            self.source
        )


class LessonSector(CountyOwned):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "lesson", "sector"], name="lessonsector_unique"
            )
        ]


class LessonTheme(CountyOwned):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="theme_rows")
    theme = models.CharField(_("theme"), max_length=16, choices=Theme.choices)

    class Meta:
        ordering = ["theme"]
        constraints = [
            models.UniqueConstraint(fields=["county", "lesson", "theme"], name="lessontheme_unique")
        ]


class BriefStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class LearningBrief(Authored):
    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"))
    status = models.CharField(
        _("status"), max_length=9, choices=BriefStatus.choices, default=BriefStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    lessons = models.ManyToManyField(Lesson, through="BriefLesson", related_name="+", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:brief", args=[self.county.slug, self.pk])


class BriefLesson(CountyOwned):
    brief = models.ForeignKey(LearningBrief, on_delete=models.CASCADE, related_name="entries")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["county", "brief", "lesson"], name="brieflesson_unique")
        ]


# --- joint monitoring visits -----------------------------------------------------------


class MonitoringVisit(Authored):
    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("purpose of the visit"), max_length=200)
    visited_on = models.DateField(_("date"))
    wards = models.ManyToManyField(
        Ward, through="VisitWard", related_name="+", blank=True, verbose_name=_("wards")
    )
    sites = models.TextField(_("sites visited"), blank=True)
    sectors = models.ManyToManyField(
        Sector, through="VisitSector", related_name="+", blank=True, verbose_name=_("sectors")
    )
    organizations = models.ManyToManyField(
        Organization,
        through="VisitOrganization",
        related_name="+",
        blank=True,
        verbose_name=_("participating organizations"),
    )
    summary = models.TextField(_("summary of findings"), blank=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("joint monitoring visit")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:visit", args=[self.county.slug, self.pk])


class VisitWard(CountyOwned):
    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="+")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county", "visit", "ward"], name="visitward_unique")
        ]


class VisitSector(CountyOwned):
    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county", "visit", "sector"], name="visitsector_unique")
        ]


class VisitOrganization(CountyOwned):
    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "visit", "organization"], name="visitorganization_unique"
            )
        ]


class VisitFinding(CountyOwned):
    """A finding of one participant (the secretariat's summary is on the visit)."""

    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("finding"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class VisitPhoto(CountyOwned):
    """Always a re-encoded JPEG of at most 1600 px (see learning.photos): no EXIF, no GPS."""

    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=county_upload_to, max_length=300)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("learning:photo", args=[self.county.slug, self.pk])


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class VisitAction(CountyOwned):
    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(_("follow-up action"), max_length=300)
    responsible = models.CharField(_("responsible"), max_length=200)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=11, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "pk"]

    @property
    def is_overdue(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS) and (
            self.due_date < timezone.localdate()
        )


# --- evaluations and recommendations -----------------------------------------------------


class EvaluationKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    MID_TERM = "mid_term", _("Mid-term review")
    END_OF_CYCLE = "end_of_cycle", _("End-of-cycle evaluation")


class Criterion(models.TextChoices):
    """The evaluation criteria of manual §7.2 (OECD-DAC), in the manual's order."""

    RELEVANCE = "relevance", _("Relevance")
    COHERENCE = "coherence", _("Coherence")
    EFFECTIVENESS = "effectiveness", _("Effectiveness")
    EFFICIENCY = "efficiency", _("Efficiency")
    IMPACT = "impact", _("Impact")
    SUSTAINABILITY = "sustainability", _("Sustainability")


CRITERION_QUESTIONS = {
    Criterion.RELEVANCE: _("Alignment with stakeholder needs and priorities."),
    Criterion.COHERENCE: _("Compatibility with other interventions."),
    Criterion.EFFECTIVENESS: _("Achievement of planned outcomes."),
    Criterion.EFFICIENCY: _("Optimal use of resources."),
    Criterion.IMPACT: _("Long-term changes and effects."),
    Criterion.SUSTAINABILITY: _("Continuity of benefits post-support."),
}


class Rating(models.IntegerChoices):
    """The stated scale of every rating."""

    NOT_MET = 1, _("1 — Not achieved")
    PARTLY = 2, _("2 — Partly achieved")
    LARGELY = 3, _("3 — Largely achieved")
    FULLY = 4, _("4 — Fully achieved")


class Evaluation(Authored):
    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=EvaluationKind.choices)
    conducted_on = models.DateField(_("date"))
    conducted_by = models.CharField(
        _("conducted by"),
        max_length=200,
        help_text=_("Internal, externally facilitated or external; who led it."),
    )
    methods = models.CharField(
        _("methods"),
        max_length=300,
        blank=True,
        help_text=_("E.g. key informant interviews, focus groups, document review."),
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["conducted_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan", "kind"], name="evaluation_one_kind_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.plan.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("learning:evaluation", args=[self.county.slug, self.pk])


class CriterionRating(CountyOwned):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.CharField(_("criterion"), max_length=14, choices=Criterion.choices)
    rating = models.PositiveSmallIntegerField(
        _("rating"), choices=Rating.choices, null=True, blank=True
    )
    findings = models.TextField(_("findings"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "evaluation", "criterion"], name="criterionrating_unique"
            ),
            models.CheckConstraint(
                name="criterionrating_rating_1_4",
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=4),
            ),
        ]


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)


class Recommendation(Authored):
    """``plan`` is where it was made; ``carried_into`` the later plan it now belongs to."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="recommendations"
    )
    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("recommendation"))
    responsible_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible organization"),
    )
    responsible_user = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    due_date = models.DateField(_("timeline"))
    priority = models.CharField(
        _("priority"), max_length=6, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"),
        max_length=11,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    closing_note = models.TextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    carried_into = models.ForeignKey(
        JointWorkPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    carried_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["county", "plan", "status"], name="recommendation_plan_status"),
            models.Index(fields=["county", "carried_into"], name="recommendation_carried"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("learning:recommendation", args=[self.county.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


class RecommendationUpdate(CountyOwned):
    """The history of a recommendation: status changes (with notes) and carry-overs."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="updates"
    )
    from_status = models.CharField(max_length=11, choices=RecommendationStatus.choices)
    to_status = models.CharField(max_length=11, choices=RecommendationStatus.choices)
    note = models.TextField(blank=True)
    carried_into = models.ForeignKey(
        JointWorkPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]


# --- close-out -------------------------------------------------------------------------


class CloseOut(Authored):
    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    achievements = models.TextField(_("achievements"))
    challenges = models.TextField(_("challenges"))
    lessons_summary = models.TextField(_("lessons learned"), blank=True)
    lessons = models.ManyToManyField(
        Lesson, through="CloseOutLesson", related_name="+", blank=True, verbose_name=_("lessons")
    )
    carried_into = models.ForeignKey(
        JointWorkPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county", "plan"], name="closeout_one_per_plan")
        ]


class CloseOutLesson(CountyOwned):
    close_out = models.ForeignKey(CloseOut, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "close_out", "lesson"], name="closeoutlesson_unique"
            )
        ]
