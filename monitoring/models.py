"""Monitoring (issue 6, points 1–2): indicators, quarterly targets and results.

An indicator measures a plan's objective *or* one of its activities (exactly
one). Targets and results are per Kenyan fiscal-year quarter. Results move
draft → submitted → verified; the secretariat may return a submitted result,
which sends it back to draft with its comment until the reporter resubmits.
A result may carry values per disaggregation group, evidence files and a
comments thread. Red/amber/green thresholds are
the county's (``RagThresholds``, one row per county).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counties.models import Organization
from jwp.tenancy import CountyOwned
from jwp.uploads import county_upload_to
from workplans.models import JointActivity, JointWorkPlan, Objective


class IndicatorLevel(models.TextChoices):
    PROCESS = "process", _("Process")
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")
    IMPACT = "impact", _("Impact")


class Measure(models.TextChoices):
    NUMBER = "number", _("Number")
    PERCENTAGE = "percentage", _("Percentage")
    QUALITATIVE = "qualitative", _("Qualitative")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase is better")
    DECREASE = "decrease", _("Decrease is better")


class Aggregation(models.TextChoices):
    """How an indicator's quarters make up its year (year so far and annual target)."""

    SUM = "sum", _("Sum of the quarters")
    LATEST = "latest", _("Latest quarter")
    AVERAGE = "average", _("Average of the quarters")


DECIMALS = [
    (0, _("Whole numbers (a count: children, animals, farmers)")),
    (1, _("One decimal place")),
    (2, _("Two decimal places")),
]


class Frequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    BIANNUAL = "biannual", _("Every six months")
    ANNUAL = "annual", _("Annually")


QUARTERS = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))]


class Category(models.TextChoices):
    SEX = "sex", _("Sex")
    AGE_GROUP = "age_group", _("Age group")
    DISABILITY = "disability", _("Disability")


# The groups of each category, in the order forms and tables show them.
GROUPS: dict[str, list[tuple[str, str]]] = {
    Category.SEX: [("female", _("Female")), ("male", _("Male"))],
    Category.AGE_GROUP: [
        ("0-14", _("0–14 years")),
        ("15-24", _("15–24 years")),
        ("25-35", _("25–35 years")),
        ("36+", _("36 years and over")),
    ],
    Category.DISABILITY: [
        ("with", _("With a disability")),
        ("without", _("Without a disability")),
    ],
}
GROUP_CHOICES = sorted({g for groups in GROUPS.values() for g in groups})


class Indicator(CountyOwned):
    """One indicator of a plan: of an objective or of an activity, never both."""

    plan = models.ForeignKey(JointWorkPlan, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    activity = models.ForeignKey(
        JointActivity, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("indicator"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    level = models.CharField(
        _("level"), max_length=8, choices=IndicatorLevel.choices, default=IndicatorLevel.OUTPUT
    )
    measure = models.CharField(
        _("measure"), max_length=11, choices=Measure.choices, default=Measure.NUMBER
    )
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    plan_target = models.DecimalField(
        _("life-of-plan target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    aggregation = models.CharField(
        _("the year from its quarters"),
        max_length=7,
        choices=Aggregation.choices,
        default=Aggregation.LATEST,
        help_text=_(
            "How the quarters make up the year so far and the annual target: added up "
            "(people trained), the latest quarter (a rate), or their average."
        ),
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimal places"),
        choices=DECIMALS,
        default=0,
        help_text=_("Counts are whole numbers: 600 children, never 600.00."),
    )
    by_sex = models.BooleanField(_("disaggregated by sex"), default=False)
    by_age_group = models.BooleanField(_("disaggregated by age group"), default=False)
    by_disability = models.BooleanField(_("disaggregated by disability"), default=False)
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    collection_method = models.CharField(_("collection method"), max_length=200, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=9, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    responsible_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible organization"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("indicator")
        constraints = [
            models.CheckConstraint(
                name="indicator_objective_xor_activity",
                condition=Q(objective__isnull=False, activity__isnull=True)
                | Q(objective__isnull=True, activity__isnull=False),
            ),
            models.CheckConstraint(name="indicator_decimals_0_2", condition=Q(decimals__lte=2)),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_qualitative(self) -> bool:
        return self.measure == Measure.QUALITATIVE

    @property
    def categories(self) -> list[str]:
        """The disaggregation categories this indicator defines (none for qualitative)."""
        if self.is_qualitative:
            return []
        flags = (
            (self.by_sex, Category.SEX),
            (self.by_age_group, Category.AGE_GROUP),
            (self.by_disability, Category.DISABILITY),
        )
        return [category for on, category in flags if on]


class IndicatorTarget(CountyOwned):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    fiscal_year = models.CharField(_("fiscal year"), max_length=7)
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["fiscal_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "indicator", "fiscal_year", "quarter"],
                name="indicatortarget_one_per_quarter",
            ),
            models.CheckConstraint(
                name="indicatortarget_quarter_1_4", condition=Q(quarter__gte=1, quarter__lte=4)
            ),
        ]


class ResultStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting verification")
    VERIFIED = "verified", _("Verified")
    # No longer set: a returned result goes back to draft with its return comment.
    # Kept so rows written before that change still read.
    RETURNED = "returned", _("Returned for correction")


class Result(CountyOwned):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="results")
    fiscal_year = models.CharField(_("fiscal year"), max_length=7)
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    value = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)
    narrative = models.TextField(_("qualitative result or comment"), blank=True)
    status = models.CharField(
        _("status"), max_length=9, choices=ResultStatus.choices, default=ResultStatus.DRAFT
    )
    return_comment = models.TextField(_("reason for return"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["fiscal_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "indicator", "fiscal_year", "quarter"],
                name="result_one_per_quarter",
            ),
            models.CheckConstraint(
                name="result_quarter_1_4", condition=Q(quarter__gte=1, quarter__lte=4)
            ),
        ]


class RagThresholds(CountyOwned):
    """The county's red/amber/green: green from ``green_from`` % of target, amber from
    ``amber_from`` %, red below. Created with the defaults the first time it is needed."""

    green_from = models.DecimalField(
        _("green from (% of target)"), max_digits=5, decimal_places=1, default=Decimal("90")
    )
    amber_from = models.DecimalField(
        _("amber from (% of target)"), max_digits=5, decimal_places=1, default=Decimal("70")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county"], name="ragthresholds_one_per_county"),
            models.CheckConstraint(
                name="ragthresholds_amber_below_green",
                condition=Q(amber_from__lte=models.F("green_from")),
            ),
        ]


class ResultDisaggregation(CountyOwned):
    """A result's value for one group of one category (e.g. sex: female)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="disaggregations")
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    group = models.CharField(_("group"), max_length=10, choices=GROUP_CHOICES)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["result", "category", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "result", "category", "group"],
                name="resultdisaggregation_one_per_group",
            ),
        ]


class Evidence(CountyOwned):
    """A file backing a result (register extract, attendance list, photo)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=county_upload_to, max_length=300)
    kind = models.CharField(_("kind"), max_length=8)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    RETURN = "return", _("Returned for correction")


class ResultComment(CountyOwned):
    """The conversation about a result; a return is one of its entries."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(
        _("kind"), max_length=8, choices=CommentKind.choices, default=CommentKind.COMMENT
    )
    body = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
