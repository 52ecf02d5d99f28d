"""Progress, reports and adaptive management (issue 6, points 3–5; manual §4.4, §7, §10.1).

- ``ActivityProgress``: section 5 of the M&E template ("Implementation progress") per
  activity and Kenyan fiscal-year quarter: progress made, completion percentage,
  challenges/barriers, solutions/actions taken.
- ``Expenditure``: money spent on one budget line in one quarter, in KES to the cent;
  budget utilisation is spent ÷ budgeted (the reporting structure's "Financial Report:
  budget utilization, variance").
- ``Feedback``: stakeholder feedback, one of the adaptive management plan's triggers.
- ``AdaptationItem``: a row of the adaptive management plan (trigger, proposed action,
  timeline, responsible party, expected outcome) with its actual outcome and status.
  Exactly one per cause and period: a database constraint over (county, plan, trigger,
  source_key, fiscal_year, quarter).
- ``ProgressReport``: the quarterly progress report, prepared by the JWP Secretariat,
  reviewed by the TWG and shared with all stakeholders (manual §4.4 step 2).
"""

import datetime
import json
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counties.models import Organization
from jwp.tenancy import CountyOwned
from workplans.models import BudgetLine, JointActivity, JointWorkPlan

QUARTERS = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))]


def _quarter_check(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        name=f"{prefix}_quarter_1_4", condition=Q(quarter__gte=1, quarter__lte=4)
    )


class ActivityProgress(CountyOwned):
    """Section 5 of the M&E template for one activity and quarter."""

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(JointActivity, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.CharField(_("fiscal year"), max_length=7)
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    percent_complete = models.PositiveSmallIntegerField(_("completion percentage"))
    progress_made = models.TextField(_("progress made"))
    challenges = models.TextField(_("challenges/barriers"), blank=True)
    solutions = models.TextField(_("solutions/actions taken"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["fiscal_year", "quarter"]
        verbose_name = _("activity progress")
        verbose_name_plural = _("activity progress")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "activity", "fiscal_year", "quarter"],
                name="activityprogress_one_per_quarter",
            ),
            _quarter_check("activityprogress"),
            models.CheckConstraint(
                name="activityprogress_percent_0_100", condition=Q(percent_complete__lte=100)
            ),
        ]


class Expenditure(CountyOwned):
    """What was spent on one budget line in one quarter, in KES."""

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(JointActivity, on_delete=models.CASCADE, related_name="+")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.CharField(_("fiscal year"), max_length=7)
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    amount_kes = models.DecimalField(_("amount spent (KES)"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["fiscal_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "budget_line", "fiscal_year", "quarter"],
                name="expenditure_one_per_line_quarter",
            ),
            _quarter_check("expenditure"),
            models.CheckConstraint(
                name="expenditure_amount_not_negative", condition=Q(amount_kes__gte=0)
            ),
        ]


class Feedback(CountyOwned):
    """Stakeholder feedback on the plan or one of its activities."""

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        JointActivity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity"),
    )
    from_name = models.CharField(_("from whom"), max_length=200)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    text = models.TextField(_("feedback"))
    received_on = models.DateField(_("received on"))
    requires_action = models.BooleanField(_("requires action"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("stakeholder feedback")
        verbose_name_plural = _("stakeholder feedback")

    def __str__(self) -> str:
        return f"{self.from_name}: {self.text[:60]}"


class Trigger(models.TextChoices):
    """The adaptive management plan's triggers (M&E template §5), plus a stalled activity."""

    INDICATOR_MISSED = "indicator_missed", _("Indicator target missed")
    BUDGET_OVERRUN = "budget_overrun", _("Budget overrun")
    FEEDBACK = "feedback", _("Stakeholder feedback")
    ACTIVITY_STALLED = "activity_stalled", _("Activity stalled")


class AdaptationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (AdaptationStatus.OPEN, AdaptationStatus.IN_PROGRESS)


class AdaptationItem(CountyOwned):
    """One row of the adaptive management plan, raised by detection for one cause and
    period (``source_key`` names the cause, e.g. ``result:42``)."""

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    trigger = models.CharField(_("trigger for adaptation"), max_length=16, choices=Trigger.choices)
    source_key = models.CharField(max_length=40)
    fiscal_year = models.CharField(_("fiscal year"), max_length=7)
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    # What caused it: exactly the links that apply to the trigger.
    activity = models.ForeignKey(
        JointActivity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result = models.ForeignKey(
        "monitoring.Result", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    feedback = models.ForeignKey(
        Feedback, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_summary = models.CharField(_("source"), max_length=300)
    proposed_action = models.TextField(_("proposed action"))
    timeline = models.DateField(_("timeline"))
    responsible_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible organization"),
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    expected_outcome = models.TextField(_("expected outcome"))
    actual_outcome = models.TextField(_("actual outcome"), blank=True)
    status = models.CharField(
        _("status"), max_length=11, choices=AdaptationStatus.choices, default=AdaptationStatus.OPEN
    )
    detected_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["timeline", "pk"]
        verbose_name = _("adaptation item")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan", "trigger", "source_key", "fiscal_year", "quarter"],
                name="adaptationitem_one_per_cause_and_period",
            ),
            _quarter_check("adaptationitem"),
        ]
        indexes = [
            models.Index(fields=["county", "plan", "status"], name="adaptation_plan_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()}: {self.source_summary}"

    def get_absolute_url(self) -> str:
        return reverse("progress:adaptation", args=[self.county.slug, self.pk])

    @property
    def period_label(self) -> str:
        return f"{self.fiscal_year} Q{self.quarter}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Submitted for TWG review")
    REVIEWED = "reviewed", _("Reviewed by the TWG")
    SHARED = "shared", _("Shared with all stakeholders")


class SnapshotEncoder(DjangoJSONEncoder):
    """Keeps Decimals and dates as such through JSON (the report's frozen compilation)."""

    def default(self, o):
        if isinstance(o, Decimal):
            return {"__decimal__": str(o)}
        if isinstance(o, datetime.datetime):
            return {"__datetime__": o.isoformat()}
        if isinstance(o, datetime.date):
            return {"__date__": o.isoformat()}
        return super().default(o)


def _revive(obj: dict):
    if len(obj) == 1:
        if "__decimal__" in obj:
            return Decimal(obj["__decimal__"])
        if "__date__" in obj:
            return datetime.date.fromisoformat(obj["__date__"])
        if "__datetime__" in obj:
            return datetime.datetime.fromisoformat(obj["__datetime__"])
    return obj


class SnapshotDecoder(json.JSONDecoder):
    def __init__(self, *args, **kwargs):
        kwargs["object_hook"] = _revive
        super().__init__(*args, **kwargs)


class ProgressReport(CountyOwned):
    """The quarterly progress report of a plan (manual §4.4 step 2).

    While a draft its compiled sections are read live; when it goes to the TWG the
    compilation is frozen in ``snapshot`` so what the TWG reviewed is what is shared.
    """

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.CharField(_("fiscal year"), max_length=7)
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    status = models.CharField(
        _("status"), max_length=9, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    progress_narrative = models.TextField(_("progress against planned objectives"), blank=True)
    challenges_narrative = models.TextField(
        _("challenges encountered and how they are addressed"), blank=True
    )
    lessons_narrative = models.TextField(_("lessons learned"), blank=True)
    corrective_actions_narrative = models.TextField(_("corrective actions taken"), blank=True)
    snapshot = models.JSONField(
        null=True, blank=True, encoder=SnapshotEncoder, decoder=SnapshotDecoder, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reviewed_on = models.DateField(_("date of the TWG review"), null=True, blank=True)
    review_comments = models.TextField(_("TWG comments"), blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-fiscal_year", "-quarter"]
        verbose_name = _("progress report")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan", "fiscal_year", "quarter"],
                name="progressreport_one_per_quarter",
            ),
            _quarter_check("progressreport"),
        ]

    def __str__(self) -> str:
        return _("Progress report %(fy)s Q%(q)s") % {"fy": self.fiscal_year, "q": self.quarter}

    def get_absolute_url(self) -> str:
        return reverse("progress:report", args=[self.county.slug, self.pk])

    @property
    def period_label(self) -> str:
        return f"{self.fiscal_year} Q{self.quarter}"
