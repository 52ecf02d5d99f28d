"""Indicators, targets and results (issue 6, points 1–2).

Who does what: the secretariat defines indicators and sets targets; results are
entered and submitted by members of the indicator's responsible organization
(partner role) or by the secretariat; only the secretariat verifies or returns
(a return needs a comment). A verified result is final. Every write is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from counties.models import County, Membership
from jwp import audit
from jwp.fiscal import is_kenyan_fy_label
from jwp.roles import Role
from monitoring.models import (
    Direction,
    Indicator,
    IndicatorTarget,
    RagThresholds,
    Result,
    ResultStatus,
)
from workplans.services.rules import EditConflict, require_secretariat

EDITABLE = frozenset({ResultStatus.DRAFT, ResultStatus.RETURNED})
HUNDRED = Decimal("100")

# --- variance and red/amber/green ----------------------------------------------


class Rag:
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    LABELS = {
        GREEN: gettext_lazy("On track"),
        AMBER: gettext_lazy("Needs attention"),
        RED: gettext_lazy("Off track"),
    }


@dataclass(frozen=True)
class Variance:
    target: Decimal
    actual: Decimal
    difference: Decimal  # actual − target
    percent: Decimal | None  # actual as % of target (None when the target is 0)
    rag: str

    @property
    def rag_label(self) -> str:
        return str(Rag.LABELS[self.rag])


def performance(*, target: Decimal, actual: Decimal, direction: str) -> Decimal | None:
    """How well the actual meets the target, in %; 100 = exactly on target.

    Increase: actual / target. Decrease: at or below target is ≥ 100;
    above it falls as target / actual.
    """
    if direction == Direction.DECREASE:
        if actual <= target:
            return HUNDRED
        return (target * HUNDRED / actual) if actual else None
    if target == 0:
        return HUNDRED if actual >= 0 else None
    return actual * HUNDRED / target


def rag_status(*, target, actual, direction: str, thresholds: RagThresholds) -> str:
    score = performance(target=target, actual=actual, direction=direction)
    if score is None:
        return Rag.RED
    if score >= thresholds.green_from:
        return Rag.GREEN
    if score >= thresholds.amber_from:
        return Rag.AMBER
    return Rag.RED


def variance(
    *, target: Decimal, actual: Decimal, direction: str, thresholds: RagThresholds
) -> Variance:
    percent = (
        (actual * HUNDRED / target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if target
        else None
    )
    return Variance(
        target=target,
        actual=actual,
        difference=actual - target,
        percent=percent,
        rag=rag_status(target=target, actual=actual, direction=direction, thresholds=thresholds),
    )


def thresholds_for(county: County) -> RagThresholds:
    """The county's thresholds, created with the defaults (90 % / 70 %) the first time."""
    found = RagThresholds.objects.for_county(county).first()
    if found is None:
        found, _created = RagThresholds.objects.for_county(county).get_or_create(
            county_id=getattr(county, "pk", county)
        )
    return found


def thresholds_save(
    *, membership: Membership, green_from: Decimal, amber_from: Decimal
) -> RagThresholds:
    require_secretariat(membership)
    if not (0 <= amber_from <= green_from):
        raise ValidationError(
            {"amber_from": _("Amber must start at or below green, and at zero or more.")}
        )
    with transaction.atomic():
        row = thresholds_for(membership.county)
        row.green_from, row.amber_from = green_from, amber_from
        row.save(update_fields=["green_from", "amber_from"])
        audit.record(
            county=membership.county,
            actor=membership.user,
            verb="rag_thresholds.save",
            target=row,
            summary=_("Red/amber/green thresholds set: green from %(g)s %%, amber from %(a)s %%")
            % {"g": green_from, "a": amber_from},
        )
    return row


# --- rules ----------------------------------------------------------------------


def can_report(membership: Membership, indicator: Indicator) -> bool:
    """Enter and submit results: the secretariat, or the responsible organization's partner."""
    if membership.role == Role.SECRETARIAT:
        return True
    return (
        membership.role == Role.PARTNER
        and membership.organization_id == indicator.responsible_organization_id
    )


def can_verify(membership: Membership) -> bool:
    return membership.role == Role.SECRETARIAT


def _record(obj, membership: Membership, verb: str, summary: str, **data) -> None:
    audit.record(
        county=obj.county,
        actor=membership.user,
        verb=verb,
        target=obj,
        summary=summary,
        data={k: str(v) if v is not None else None for k, v in data.items()},
    )


def _clean_period(fiscal_year: str, quarter: int) -> None:
    errors = {}
    if not is_kenyan_fy_label(fiscal_year):
        errors["fiscal_year"] = _("Enter a Kenyan fiscal year such as 2025/26.")
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("Choose a quarter from 1 to 4.")
    if errors:
        raise ValidationError(errors)


# --- indicators and targets -------------------------------------------------------

INDICATOR_FIELDS = (
    "name",
    "definition",
    "level",
    "measure",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "plan_target",
    "cumulative",
    "by_sex",
    "by_age_group",
    "by_disability",
    "data_source",
    "collection_method",
    "frequency",
    "order",
)


def indicator_save(
    *,
    membership: Membership,
    plan,
    responsible_organization,
    objective=None,
    activity=None,
    indicator: Indicator | None = None,
    **fields,
) -> Indicator:
    """Create (or, given ``indicator``, change) an indicator; secretariat only."""
    require_secretariat(membership)
    plan.check_same_county(membership, objective, activity)
    if (objective is None) == (activity is None):
        raise ValidationError(_("Attach the indicator to an objective or to an activity: one."))
    parent = objective or activity
    if parent.plan_id != plan.pk:
        raise ValidationError(_("That objective or activity belongs to another plan."))
    if not fields.get("name", getattr(indicator, "name", "")).strip():
        raise ValidationError({"name": _("Name the indicator.")})
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    with transaction.atomic():
        if indicator is None:
            indicator = Indicator(county_id=plan.county_id, plan=plan, created_by=membership.user)
            verb = "indicator.create"
        else:
            plan.check_same_county(indicator)
            verb = "indicator.update"
        indicator.objective, indicator.activity = objective, activity
        indicator.responsible_organization = responsible_organization
        for name, value in fields.items():
            setattr(indicator, name, value)
        indicator.save()
        _record(
            indicator,
            membership,
            verb,
            _("Indicator “%(name)s” saved") % {"name": indicator.name},
            plan=plan.pk,
        )
    return indicator


def target_set(
    *, membership: Membership, indicator: Indicator, fiscal_year: str, quarter: int, value
) -> IndicatorTarget:
    require_secretariat(membership)
    indicator.check_same_county(membership)
    _clean_period(fiscal_year, quarter)
    if value is None or value < 0:
        raise ValidationError({"value": _("Enter a target of zero or more.")})
    with transaction.atomic():
        target, _created = IndicatorTarget.objects.for_county(indicator.county_id).update_or_create(
            county_id=indicator.county_id,
            indicator=indicator,
            fiscal_year=fiscal_year,
            quarter=quarter,
            defaults={"value": value},
        )
        _record(
            target,
            membership,
            "indicator_target.set",
            _("Target of “%(name)s” for %(fy)s Q%(q)s: %(value)s")
            % {"name": indicator.name, "fy": fiscal_year, "q": quarter, "value": value},
        )
    return target


# --- results ----------------------------------------------------------------------


def _require_reporter(membership: Membership, indicator: Indicator) -> None:
    if not can_report(membership, indicator):
        raise PermissionDenied(
            _("Only the responsible organization or the secretariat reports this indicator.")
        )


def _clean_value(indicator: Indicator, value, narrative: str) -> None:
    if indicator.is_qualitative:
        if not narrative.strip():
            raise ValidationError({"narrative": _("Describe the result.")})
    elif value is None:
        raise ValidationError({"value": _("Enter the actual value.")})
    elif value < 0:
        raise ValidationError({"value": _("Enter a value of zero or more.")})


def _transition(result: Result, expected: frozenset, row_version: int | None, **fields) -> None:
    """Save ``fields`` if the result is still in one of ``expected`` statuses (and, given
    ``row_version``, unchanged since); locked rows are never overwritten."""
    qs = Result.objects.for_county(result.county_id).filter(pk=result.pk, status__in=expected)
    if row_version is not None:
        qs = qs.filter(row_version=row_version)
    if not qs.update(row_version=F("row_version") + 1, **fields):
        current = Result.objects.for_county(result.county_id).filter(pk=result.pk).first()
        if current is not None and current.status not in expected:
            raise ValidationError(
                _("This result is %(status)s; it cannot be changed that way.")
                % {"status": current.get_status_display().lower()}
            )
        raise EditConflict(current)
    result.refresh_from_db()


def result_save_draft(
    *,
    membership: Membership,
    indicator: Indicator,
    fiscal_year: str,
    quarter: int,
    value: Decimal | None = None,
    narrative: str = "",
    row_version: int | None = None,
) -> Result:
    """Create or change the quarter's result while it is a draft or returned."""
    _require_reporter(membership, indicator)
    indicator.check_same_county(membership)
    _clean_period(fiscal_year, quarter)
    _clean_value(indicator, value, narrative)
    with transaction.atomic():
        result = (
            Result.objects.for_county(indicator.county_id)
            .select_for_update()
            .filter(indicator=indicator, fiscal_year=fiscal_year, quarter=quarter)
            .first()
        )
        if result is None:
            result = Result.objects.create(
                county_id=indicator.county_id,
                indicator=indicator,
                fiscal_year=fiscal_year,
                quarter=quarter,
                value=value,
                narrative=narrative,
                entered_by=membership.user,
            )
            verb = "result.create"
        else:
            _transition(
                result,
                EDITABLE,
                row_version,
                value=value,
                narrative=narrative,
                entered_by=membership.user,
            )
            verb = "result.update"
        _record(
            result,
            membership,
            verb,
            _("Result of “%(name)s” for %(fy)s Q%(q)s saved: %(value)s")
            % {
                "name": indicator.name,
                "fy": fiscal_year,
                "q": quarter,
                "value": value if value is not None else narrative[:80],
            },
        )
    return result


def result_submit(*, membership: Membership, result: Result, row_version: int | None = None):
    _require_reporter(membership, result.indicator)
    result.check_same_county(membership)
    _clean_value(result.indicator, result.value, result.narrative)
    with transaction.atomic():
        _transition(
            result,
            EDITABLE,
            row_version,
            status=ResultStatus.SUBMITTED,
            submitted_by=membership.user,
            submitted_at=timezone.now(),
        )
        _record(
            result,
            membership,
            "result.submit",
            _("Result of “%(name)s” for %(fy)s Q%(q)s submitted for verification")
            % {"name": result.indicator.name, "fy": result.fiscal_year, "q": result.quarter},
        )
    return result


def result_verify(*, membership: Membership, result: Result, row_version: int | None = None):
    require_secretariat(membership)
    result.check_same_county(membership)
    with transaction.atomic():
        _transition(
            result,
            frozenset({ResultStatus.SUBMITTED}),
            row_version,
            status=ResultStatus.VERIFIED,
            verified_by=membership.user,
            verified_at=timezone.now(),
            return_comment="",
        )
        _record(
            result,
            membership,
            "result.verify",
            _("Result of “%(name)s” for %(fy)s Q%(q)s verified")
            % {"name": result.indicator.name, "fy": result.fiscal_year, "q": result.quarter},
        )
    return result


def result_return(
    *, membership: Membership, result: Result, comment: str, row_version: int | None = None
):
    require_secretariat(membership)
    result.check_same_county(membership)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs correcting.")})
    with transaction.atomic():
        _transition(
            result,
            frozenset({ResultStatus.SUBMITTED}),
            row_version,
            status=ResultStatus.RETURNED,
            return_comment=comment.strip(),
        )
        _record(
            result,
            membership,
            "result.return",
            _("Result of “%(name)s” for %(fy)s Q%(q)s returned: %(comment)s")
            % {
                "name": result.indicator.name,
                "fy": result.fiscal_year,
                "q": result.quarter,
                "comment": comment.strip()[:150],
            },
        )
    return result
