"""Sector plans: the 47 steps (reference data), a county's plans and their step records,
public participation windows and comments, executive and assembly decisions, documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jwp.roles import Role
from jwp.tenancy import CountyOwned
from jwp.uploads import county_upload_to

# Steps whose completion needs every earlier step done or skipped with a reason.
SIGN_OFF_STEPS = frozenset({15, 28, 46})
# Participation windows: (the step that invites views, the step in which the public gives them).
PARTICIPATION_WINDOWS = ((7, 8), (12, 14), (18, 19), (23, 25), (36, 38), (41, 42))
WINDOW_STEPS = frozenset(first for first, _last in PARTICIPATION_WINDOWS)
# Steps completed by recording what the CEC or the Assembly said or decided.
RECORDED_STEPS = frozenset({11, 22, 32, 27, 35, 43, 46})
FORMAL_APPROVAL_STEP = 46
PUBLICATION_STEP = 47


class Phase(models.TextChoices):
    SETUP = "setup", _("Set-up")
    CONTEXT = "context", _("Phase 1: context and baseline")
    STRATEGY = "strategy", _("Phase 2: vision and strategy")
    IMPLEMENTATION = "implementation", _("Phase 3: implementation and results")
    CONSOLIDATION = "consolidation", _("Consolidation and validation")
    APPROVAL = "approval", _("Assembly approval")
    PUBLICATION = "publication", _("Publication")


class StepKind(models.TextChoices):
    TASK = "task", _("Task")
    INVITE_VIEWS = "invite_views", _("Invite public views")
    PUBLIC_INPUT = "public_input", _("Public input")
    EXECUTIVE_COMMENTS = "executive_comments", _("Executive comments")
    ASSEMBLY_CONSULTATION = "assembly_consultation", _("Assembly consultation")
    ASSEMBLY_DECISION = "assembly_decision", _("Assembly decision")
    SIGN_OFF = "sign_off", _("Sign-off")
    PUBLICATION = "publication", _("Publication")


class SectorPlanStep(models.Model):
    """One of the 47 steps of the seed table. Global: the law and guidance are national,
    identical for every county; loaded by a migration from ``sectorplans/data/steps.csv``."""

    number = models.PositiveSmallIntegerField(_("step"), unique=True)
    description = models.TextField(_("description"))
    sub_items = models.TextField(_("sub-items"), blank=True, help_text=_("One per line."))
    general_actor = models.CharField(_("general actor"), max_length=120)
    specific_actor = models.CharField(_("specific actor"), max_length=120)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    kind = models.CharField(_("kind"), max_length=24, choices=StepKind.choices)
    default_days = models.PositiveSmallIntegerField(_("default duration (days)"), default=7)
    alongside_previous = models.BooleanField(
        _("runs alongside the previous step"),
        default=False,
        help_text=_("Public input runs during the window its invitation opened."),
    )

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.description}"

    @property
    def sub_item_list(self) -> list[str]:
        return [line for line in self.sub_items.splitlines() if line]

    @property
    def is_sign_off(self) -> bool:
        return self.number in SIGN_OFF_STEPS

    @property
    def needs_record(self) -> bool:
        return self.number in RECORDED_STEPS

    @property
    def opens_window(self) -> bool:
        return self.number in WINDOW_STEPS


class PlanStatus(models.TextChoices):
    PREPARING = "preparing", _("In preparation")
    APPROVED = "approved", _("Approved by the Assembly")
    PUBLISHED = "published", _("Published")


class RevisionKind(models.TextChoices):
    ORIGINAL = "", _("First plan of the period")
    YEARLY = "yearly", _("Yearly update")
    FIVE_YEAR = "five_year", _("Five-year review")


class SectorPlan(CountyOwned):
    """A county sector's five-year plan (aligned to the CIDP), prepared in the 47 steps."""

    sector = models.ForeignKey(
        "counties.Sector", on_delete=models.PROTECT, related_name="+", verbose_name=_("sector")
    )
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.PREPARING
    )
    revision_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
        verbose_name=_("revision of"),
    )
    revision_kind = models.CharField(
        _("revision"), max_length=12, choices=RevisionKind.choices, blank=True, default=""
    )
    approved_on = models.DateField(_("approved by the Assembly on"), null=True, blank=True)
    approval_reference = models.CharField(_("Hansard / resolution"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "sector__order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "sector", "period_start", "version"],
                name="sectorplan_unique_version",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="sectorplan_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        return f"{self.period_start}–{self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse(
            "sectorplans:plan", kwargs={"county_slug": self.county.slug, "plan_id": self.pk}
        )


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


FINISHED = (StepStatus.DONE, StepStatus.SKIPPED)


class PlanStep(CountyOwned):
    """What happened to one of the 47 steps in one plan."""

    plan = models.ForeignKey(SectorPlan, on_delete=models.CASCADE, related_name="steps")
    step = models.ForeignKey(SectorPlanStep, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=StepStatus.choices, default=StepStatus.NOT_STARTED
    )
    skip_reason = models.TextField(_("reason for skipping"), blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    responsible_role = models.CharField(
        _("responsible role"), max_length=16, choices=Role.choices, blank=True
    )
    responsible_organization = models.ForeignKey(
        "counties.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible organization"),
    )
    notes = models.TextField(_("notes"), blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    on_behalf_of = models.CharField(
        _("on behalf of"),
        max_length=120,
        blank=True,
        help_text=_("Set when the secretariat completes a step for its actor."),
    )
    out_of_order_reason = models.TextField(
        _("reason for completing out of order"),
        blank=True,
        help_text=_("Why this step was done while an earlier step was not."),
    )

    class Meta:
        ordering = ["step__number"]
        constraints = [
            models.UniqueConstraint(fields=["county", "plan", "step"], name="planstep_unique_step")
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.step}"

    @property
    def number(self) -> int:
        return self.step.number

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_finished and self.due_date is not None and self.due_date < today


class ParticipationWindow(CountyOwned):
    """Dates during which the public may comment on a draft (opened by an invite step)."""

    plan = models.ForeignKey(SectorPlan, on_delete=models.CASCADE, related_name="windows")
    plan_step = models.ForeignKey(
        PlanStep, on_delete=models.CASCADE, related_name="windows", verbose_name=_("step")
    )
    title = models.CharField(_("what we ask about"), max_length=200)
    invitation = models.TextField(
        _("invitation to the public"),
        blank=True,
        help_text=_("Shown on the public page above the comment form."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["opens_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan_step"], name="participationwindow_one_per_step"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="participationwindow_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    @property
    def input_step_number(self) -> int:
        return dict(PARTICIPATION_WINDOWS)[self.plan_step.step.number]


class Moderation(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Response(models.TextChoices):
    INCORPORATED = "incorporated", _("Incorporated")
    PARTLY = "partly", _("Partly incorporated")
    NOT_INCORPORATED = "not_incorporated", _("Not incorporated")


COMMENT_MAX_LENGTH = 2000


class PublicComment(CountyOwned):
    """A citizen's view given during a window. Plain text, shown escaped, after moderation."""

    window = models.ForeignKey(
        ParticipationWindow, on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    ward = models.ForeignKey(
        "counties.Ward",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ward"),
    )
    topic = models.CharField(_("topic"), max_length=200)
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    submitted_at = models.DateTimeField(default=timezone.now)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    response = models.CharField(_("response"), max_length=20, choices=Response.choices, blank=True)
    response_reason = models.TextField(_("what we did, and why"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(
                fields=["county", "window", "moderation"], name="comment_window_moderation"
            )
        ]

    def __str__(self) -> str:
        return self.topic


class DecisionKind(models.TextChoices):
    EXECUTIVE_COMMENTS = "executive_comments", _("CEC comments")
    ASSEMBLY_INPUT = "assembly_input", _("Assembly committee input")
    SEMI_FINAL_APPROVAL = "semi_final_approval", _("Semi-final approval (with adjustments)")
    FORMAL_APPROVAL = "formal_approval", _("Formal approval by the whole House")


DECISION_KIND_OF_STEP = {
    11: DecisionKind.EXECUTIVE_COMMENTS,
    22: DecisionKind.EXECUTIVE_COMMENTS,
    32: DecisionKind.EXECUTIVE_COMMENTS,
    27: DecisionKind.ASSEMBLY_INPUT,
    35: DecisionKind.ASSEMBLY_INPUT,
    43: DecisionKind.SEMI_FINAL_APPROVAL,
    46: DecisionKind.FORMAL_APPROVAL,
}


class PlanDecision(CountyOwned):
    """What the CEC said or the County Assembly decided at a step."""

    plan = models.ForeignKey(SectorPlan, on_delete=models.CASCADE, related_name="decisions")
    plan_step = models.ForeignKey(PlanStep, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("kind"), max_length=24, choices=DecisionKind.choices)
    body = models.TextField(_("comments / decision"))
    adjustments = models.TextField(_("adjustments required"), blank=True)
    decided_on = models.DateField(_("date"))
    reference = models.CharField(_("Hansard / resolution reference"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf_of = models.CharField(_("on behalf of"), max_length=120, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.decided_on})"


class DocumentKind(models.TextChoices):
    BASELINE = "baseline", _("Sector context and baseline")
    VISION_STRATEGY = "vision_strategy", _("Vision and strategy draft")
    PRE_VALIDATION = "pre_validation", _("Pre-validation draft")
    FINAL = "final", _("Final approved plan")
    EVIDENCE = "evidence", _("Evidence")


class PlanDocument(CountyOwned):
    """A versioned upload (PDF, DOCX, XLSX) tied to the step that produced it.

    Served only by views that check membership, or publication for public ones;
    never through MEDIA_URL. A revision of a plan carries the rows forward (same file)."""

    plan = models.ForeignKey(SectorPlan, on_delete=models.CASCADE, related_name="documents")
    plan_step = models.ForeignKey(
        PlanStep,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        verbose_name=_("step"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    file = models.FileField(_("file"), upload_to=county_upload_to, max_length=300)
    file_kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField(default=0)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Shown on the public pages (participation windows, the published plan)."),
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan", "kind", "version"], name="plandocument_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def download_name(self) -> str:
        from django.utils.text import get_valid_filename

        return get_valid_filename(f"{self.title}-v{self.version}.{self.file_kind}")
