"""Joint work plans (manual §4.2–4.3, §10.1): the template's sections 1–9 and the
Budget template's cost-share, partner commitments and overlap flags.

Everything here is county-owned. Money is Decimal with a currency: KES, or USD
with the exchange rate used; totals are always in KES.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counties.models import Level, Organization, Sector, Ward
from jwp.tenancy import CountyOwned
from jwp.uploads import county_upload_to

CENT = Decimal("0.01")


class PlanStatus(models.TextChoices):
    """Manual §4.2 step 3: from the co-creation workshop to the signed plan."""

    DRAFT = "draft", _("Draft")
    CO_CREATION = "co_creation", _("Co-creation")
    CONSOLIDATED = "consolidated", _("Consolidated by the secretariat")
    TWG_REVIEWED = "twg_reviewed", _("Reviewed by the TWG")
    CEC_APPROVED = "cec_approved", _("Approved by the County Executive Committee")
    SIGNED = "signed", _("Signed")


class ScopeLevel(models.TextChoices):
    COUNTY = "county", _("Whole county")
    SUBCOUNTIES = "subcounties", _("Selected sub-counties")
    WARDS = "wards", _("Selected wards")


class ReportingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    BIANNUAL = "biannual", _("Bi-annually")
    ANNUAL = "annual", _("Annually")


class CidpProgramme(CountyOwned):
    """A county programme of the CIDP/ADP that JWP objectives link to."""

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector")
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="cidpprogramme_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class JointWorkPlan(CountyOwned):
    """Section 1 of the template. One plan per county and fiscal year; an amendment
    after signing is a new version that points to the one it amends."""

    fiscal_year = models.CharField(_("fiscal year"), max_length=7)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("amends"),
    )
    title = models.CharField(_("JWP title"), max_length=200)
    scope_level = models.CharField(
        _("geographical scope"),
        max_length=12,
        choices=ScopeLevel.choices,
        default=ScopeLevel.COUNTY,
    )
    scope_codes = models.JSONField(
        _("sub-county or ward codes"),
        default=list,
        blank=True,
        help_text=_("IEBC codes of the sub-counties or wards in scope."),
    )
    lead_agency = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead agency/organization"),
    )
    partners = models.ManyToManyField(
        Organization,
        through="PlanPartner",
        related_name="+",
        blank=True,
        verbose_name=_("partner organizations"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    reporting_frequency = models.CharField(
        _("reporting frequency"),
        max_length=10,
        choices=ReportingFrequency.choices,
        default=ReportingFrequency.QUARTERLY,
    )
    status = models.CharField(
        _("status"), max_length=14, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-fiscal_year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "fiscal_year", "version"], name="jointworkplan_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="jointworkplan_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" (v{self.version})" if self.version > 1 else ""
        return f"{self.title} {self.fiscal_year}{suffix}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class PlanPartner(CountyOwned):
    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan", "organization"], name="planpartner_unique"
            )
        ]


class Objective(CountyOwned):
    """Section 2: an objective with its priority area and CIDP programme."""

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="objectives")
    statement = models.CharField(_("objective"), max_length=300)
    priority_area = models.CharField(_("priority area"), max_length=200)
    programme = models.ForeignKey(
        CidpProgramme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("CIDP/ADP programme"),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.statement


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


class JointActivity(CountyOwned):
    """Section 3: an activity of the plan, built by its sector's working group."""

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("activity"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector")
    )
    objective = models.ForeignKey(
        Objective,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("objective"),
    )
    lead_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead organization"),
    )
    supporting_organizations = models.ManyToManyField(
        Organization,
        through="ActivitySupporter",
        related_name="+",
        blank=True,
        verbose_name=_("supporting organizations"),
    )
    wards = models.ManyToManyField(
        Ward, through="ActivityWard", related_name="+", blank=True, verbose_name=_("wards")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    expected_output = models.TextField(_("expected output/outcome"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNED,
    )
    row_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sector__order", "start_date", "id"]
        verbose_name_plural = _("joint activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="jointactivity_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["county", "plan", "sector"], name="activity_plan_sector")]

    def __str__(self) -> str:
        return self.title


class ActivitySupporter(CountyOwned):
    activity = models.ForeignKey(JointActivity, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "activity", "organization"], name="activitysupporter_unique"
            )
        ]


class ActivityWard(CountyOwned):
    activity = models.ForeignKey(JointActivity, on_delete=models.CASCADE, related_name="+")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "activity", "ward"], name="activityward_unique"
            )
        ]


class BudgetComponent(CountyOwned):
    """A row group of the Budget template (Planning and Coordination, …); per county."""

    name = models.CharField(_("component"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="budgetcomponent_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Currency(models.TextChoices):
    KES = "KES", _("Kenya shilling (KES)")
    USD = "USD", _("US dollar (USD)")


class ContributionKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")


class Money(models.Model):
    """Amount and currency, with the exchange rate used when it is not KES."""

    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.KES
    )
    exchange_rate = models.DecimalField(
        _("exchange rate (KES per USD)"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
    )

    class Meta:
        abstract = True

    @property
    def amount_kes(self) -> Decimal:
        if self.currency == Currency.KES:
            return self.amount
        return (self.amount * self.exchange_rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _money_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=Q(currency="KES", exchange_rate__isnull=True)
            | Q(currency="USD", exchange_rate__gt=0),
            name=f"{prefix}_usd_needs_rate",
        ),
        models.CheckConstraint(condition=Q(amount__gte=0), name=f"{prefix}_amount_not_negative"),
    ]


class BudgetLine(CountyOwned, Money):
    """Section 4 / the Budget template: one contributor's part of an activity's cost.

    ``contributor`` empty means the county government.
    """

    activity = models.ForeignKey(
        JointActivity, on_delete=models.CASCADE, related_name="budget_lines"
    )
    contributor = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contributor"),
        help_text=_("Empty for the county government."),
    )
    component = models.ForeignKey(
        BudgetComponent, on_delete=models.PROTECT, related_name="+", verbose_name=_("component")
    )
    kind = models.CharField(
        _("cash or in kind"),
        max_length=8,
        choices=ContributionKind.choices,
        default=ContributionKind.CASH,
    )
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    row_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["activity_id", "component__order", "id"]
        constraints = _money_constraints("budgetline")

    def __str__(self) -> str:
        return f"{self.activity}: {self.amount} {self.currency}"


class CommitmentStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    CONFIRMED = "confirmed", _("Confirmed")
    DISBURSED = "disbursed", _("Disbursed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Commitment(CountyOwned, Money):
    """A contributor's promise for an activity, tracked until the money is released.

    ``contributor`` empty means the county government (its treasury releases it).
    """

    activity = models.ForeignKey(
        JointActivity, on_delete=models.CASCADE, related_name="commitments"
    )
    budget_line = models.ForeignKey(
        BudgetLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contributor = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contributor"),
    )
    kind = models.CharField(
        _("cash or in kind"),
        max_length=8,
        choices=ContributionKind.choices,
        default=ContributionKind.CASH,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.PLEDGED,
    )
    pledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    pledged_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)
    # The county's own cost-share is ring-fenced in its budget: the vote/programme it is
    # budgeted under and the appropriation that voted it. Required for the county's
    # commitments (the service checks it), empty for a partner's.
    vote_code = models.CharField(
        _("budget vote / programme code"),
        max_length=40,
        blank=True,
        help_text=_("The county budget's vote and programme, e.g. “4213 / P2 Water supply”."),
    )
    appropriation_reference = models.CharField(
        _("appropriation reference"),
        max_length=120,
        blank=True,
        help_text=_("The Appropriation Act (or supplementary budget) and item that voted it."),
    )
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["activity_id", "id"]
        constraints = [
            *_money_constraints("commitment"),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawn_reason=""),
                name="commitment_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contributor or _('County government')}: {self.amount} {self.currency}"


class Disbursement(CountyOwned, Money):
    """Money actually released against a commitment: a partner's disbursement, or for
    the county's own commitments the treasury's release (its reference is the release
    number)."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="disbursements"
    )
    disbursed_on = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["disbursed_on", "id"]
        constraints = _money_constraints("disbursement")

    def __str__(self) -> str:
        return f"{self.disbursed_on}: {self.amount} {self.currency}"


class OverlapReason(models.TextChoices):
    SAME_PLACE_AND_TIME = "same_place_time", _("Same sector and ward, overlapping dates")
    SIMILAR_TITLE = "similar_title", _("Similar activity in the same ward")


class OverlapResolution(models.TextChoices):
    OPEN = "open", _("To resolve")
    MERGED = "merged", _("Merged")
    LAYERED = "layered", _("Layered / sequenced")
    COMPLEMENTARY = "complementary", _("Complementary")


class OverlapFlag(CountyOwned):
    """Two activities that may duplicate each other; the secretariat resolves it."""

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    activity_a = models.ForeignKey(JointActivity, on_delete=models.CASCADE, related_name="+")
    activity_b = models.ForeignKey(JointActivity, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=OverlapReason.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    resolution = models.CharField(
        _("resolution"),
        max_length=14,
        choices=OverlapResolution.choices,
        default=OverlapResolution.OPEN,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    detected_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["resolution", "-detected_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "activity_a", "activity_b", "reason"],
                name="overlapflag_unique_pair",
            ),
            models.CheckConstraint(
                condition=Q(activity_a__lt=models.F("activity_b")),
                name="overlapflag_ordered_pair",
            ),
        ]


class Risk(CountyOwned):
    """Section 6."""

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="risks")
    description = models.CharField(_("risk identified"), max_length=300)
    likelihood = models.CharField(_("likelihood"), max_length=6, choices=Level.choices)
    impact = models.CharField(_("impact"), max_length=6, choices=Level.choices)
    mitigation = models.TextField(_("mitigation strategy"), blank=True)
    responsible = models.CharField(_("responsible entity"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ON_TRACK = "on_track", _("On track")
    DONE = "done", _("Done")
    LATE = "late", _("Late")


class ReviewMilestone(CountyOwned):
    """Section 7: a deliverable with its review date."""

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="milestones")
    deliverable = models.CharField(_("milestone/deliverable"), max_length=300)
    review_date = models.DateField(_("review date"))
    responsible = models.CharField(_("responsible parties"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.PLANNED,
    )
    notes = models.CharField(_("progress notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["review_date", "id"]

    def __str__(self) -> str:
        return self.deliverable


class Annex(CountyOwned):
    """Section 9: a document attached to the plan."""

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="annexes")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=county_upload_to, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = _("annexes")

    def __str__(self) -> str:
        return self.title


class SignatoryCapacity(models.TextChoices):
    COUNTY_SECRETARY = "county_secretary", _("County Secretary")
    CEC_FINANCE = "cec_finance", _("CEC Member, Finance and Economic Planning")
    PARTNER = "partner", _("Partner leadership")


class Signature(CountyOwned):
    """Section 8: a signatory slot bound to an office, signed in the app by the office's
    holder on the day of signing; the name and the office title are stored as signed."""

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="signatures")
    capacity = models.CharField(_("capacity"), max_length=16, choices=SignatoryCapacity.choices)
    office = models.ForeignKey(
        "counties.Office",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("office"),
        help_text=_("Only the holder of this office on the day of signing signs."),
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_name = models.CharField(_("name"), max_length=200, blank=True)
    signer_title = models.CharField(_("title"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("date"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan", "capacity"],
                condition=Q(organization__isnull=True),
                name="signature_unique_county_slot",
            ),
            models.UniqueConstraint(
                fields=["county", "plan", "capacity", "organization"],
                condition=Q(organization__isnull=False),
                name="signature_unique_partner_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_capacity_display()} — {self.signer_name or '…'}"


class PlanStep(models.TextChoices):
    """The checked steps of section 8 (manual §4.2 step 3)."""

    CONSOLIDATE = "consolidate", _("Consolidation")
    TWG_REVIEW = "twg_review", _("TWG review")
    CEC_APPROVAL = "cec_approval", _("CEC approval")
    SIGNING = "signing", _("Signing")


class DecisionOutcome(models.TextChoices):
    CONSOLIDATED = "consolidated", _("Consolidated")
    ENDORSED = "endorsed", _("Endorsed")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned one step")


class PlanDecision(CountyOwned):
    """Who moved the plan on (or back), in which office, on what basis, when."""

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField(_("step"), max_length=14, choices=PlanStep.choices)
    outcome = models.CharField(_("decision"), max_length=14, choices=DecisionOutcome.choices)
    from_status = models.CharField(_("from"), max_length=14, choices=PlanStatus.choices)
    to_status = models.CharField(_("to"), max_length=14, choices=PlanStatus.choices)
    meeting = models.ForeignKey(
        "counties.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("TWG meeting"),
    )
    reference = models.CharField(_("decision reference"), max_length=120, blank=True)
    decided_on = models.DateField(_("decided on"))
    comments = models.TextField(_("comments"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    office = models.ForeignKey(
        "counties.Office",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("office held"),
    )
    office_title = models.CharField(_("in the office of"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["county", "plan"], name="plandecision_plan")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.get_outcome_display()} ({self.decided_on})"
