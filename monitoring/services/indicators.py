"""Indicators and their quarterly targets: the secretariat's (issue 6, point 1)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from counties.models import Membership
from monitoring.models import Aggregation, Indicator, IndicatorTarget, Measure, Result
from monitoring.services.figures import places_error
from monitoring.services.rules import _clean_period, _record, require_manage_indicator
from workplans.services.rules import EditConflict

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
    "aggregation",
    "decimals",
    "by_sex",
    "by_age_group",
    "by_disability",
    "data_source",
    "collection_method",
    "frequency",
    "order",
)


HUNDRED = Decimal("100")


def _clean_indicator(fields: dict, indicator: Indicator | None) -> None:
    def current(name):
        return fields.get(name, getattr(indicator, name, None) if indicator else None)

    errors = {}
    if not (current("name") or "").strip():
        errors["name"] = _("Name the indicator.")
    measure = current("measure") or Measure.NUMBER
    decimals = current("decimals") or 0
    for name in ("baseline_value", "plan_target"):
        value = current(name)
        if value is None:
            continue
        if value < 0:
            errors[name] = _("Enter zero or more.")
        elif measure == Measure.PERCENTAGE and value > HUNDRED:
            errors[name] = _("A percentage is at most 100.")
        elif measure != Measure.QUALITATIVE and places_error(value, decimals):
            errors[name] = places_error(value, decimals)
    if current("baseline_date") is not None and current("baseline_value") is None:
        errors["baseline_value"] = _("Give the baseline value measured on that date.")
    if measure == Measure.PERCENTAGE and current("aggregation") == Aggregation.SUM:
        errors["aggregation"] = _(
            "Percentages do not add up over quarters: take the latest quarter or the average."
        )
    if errors:
        raise ValidationError(errors)


def indicator_save(
    *,
    membership: Membership,
    plan,
    responsible_organization,
    objective=None,
    activity=None,
    indicator: Indicator | None = None,
    row_version: int | None = None,
    **fields,
) -> Indicator:
    """Create (or, given ``indicator``, change) an indicator. The secretariat, or a
    sector lead for an indicator of their own sector's activity. ``row_version``
    (when changing): the version the user read; a stale one raises EditConflict."""
    require_manage_indicator(membership, activity=activity)
    if indicator is not None:
        require_manage_indicator(membership, activity=indicator.activity)
    plan.check_same_county(membership, objective, activity)
    if (objective is None) == (activity is None):
        raise ValidationError(_("Attach the indicator to an objective or to an activity: one."))
    parent = objective or activity
    if parent.plan_id != plan.pk:
        raise ValidationError(_("That objective or activity belongs to another plan."))
    if responsible_organization is None:
        raise ValidationError(
            {"responsible_organization": _("Choose the organization that reports it.")}
        )
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    if indicator is None and fields.get("measure") == Measure.PERCENTAGE:
        # A rate: the year is its latest quarter, written to one decimal place.
        fields.setdefault("aggregation", Aggregation.LATEST)
        fields.setdefault("decimals", 1)
    _clean_indicator(fields, indicator)
    with transaction.atomic():
        if indicator is None:
            indicator = Indicator(county_id=plan.county_id, plan=plan, created_by=membership.user)
            verb = "indicator.create"
        else:
            plan.check_same_county(indicator)
            verb = "indicator.update"
            if row_version is not None:
                bumped = (
                    Indicator.objects.for_county(indicator.county_id)
                    .filter(pk=indicator.pk, row_version=row_version)
                    .update(row_version=F("row_version") + 1)
                )
                if not bumped:
                    raise EditConflict(
                        Indicator.objects.for_county(indicator.county_id)
                        .filter(pk=indicator.pk)
                        .first()
                    )
                indicator.row_version = row_version + 1
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


def indicator_delete(*, membership: Membership, indicator: Indicator) -> None:
    """Delete an indicator that has no results yet (its targets go with it)."""
    require_manage_indicator(membership, activity=indicator.activity)
    indicator.check_same_county(membership)
    with transaction.atomic():
        if Result.objects.for_county(indicator.county_id).filter(indicator=indicator).exists():
            raise ValidationError(
                _("This indicator has results; it can no longer be deleted. Change it instead.")
            )
        _record(
            indicator,
            membership,
            "indicator.delete",
            _("Indicator “%(name)s” deleted") % {"name": indicator.name},
            plan=indicator.plan_id,
        )
        IndicatorTarget.objects.for_county(indicator.county_id).filter(indicator=indicator).delete()
        Indicator.objects.for_county(indicator.county_id).filter(pk=indicator.pk).delete()


def _clean_target(indicator: Indicator, value) -> None:
    if value is None or value < 0:
        raise ValidationError({"value": _("Enter a target of zero or more.")})
    if indicator.measure == Measure.PERCENTAGE and value > HUNDRED:
        raise ValidationError({"value": _("A percentage is at most 100.")})
    if places_error(value, indicator.decimals):
        raise ValidationError({"value": places_error(value, indicator.decimals)})


def target_set(
    *, membership: Membership, indicator: Indicator, fiscal_year: str, quarter: int, value
) -> IndicatorTarget:
    require_manage_indicator(membership, activity=indicator.activity)
    indicator.check_same_county(membership)
    _clean_period(fiscal_year, quarter)
    _clean_target(indicator, value)
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


def targets_save(
    *, membership: Membership, indicator: Indicator, fiscal_year: str, values: dict
) -> None:
    """The quarter grid: ``values`` maps quarter → target (None clears the quarter's
    target). All quarters are checked before any is written."""
    require_manage_indicator(membership, activity=indicator.activity)
    if indicator.is_qualitative:
        raise ValidationError(_("A qualitative indicator has no numeric targets."))
    errors = {}
    for quarter, value in values.items():
        _clean_period(fiscal_year, quarter)
        if value is not None:
            try:
                _clean_target(indicator, value)
            except ValidationError as exc:
                errors[f"q{quarter}"] = exc.message_dict["value"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for quarter, value in sorted(values.items()):
            if value is not None:
                target_set(
                    membership=membership,
                    indicator=indicator,
                    fiscal_year=fiscal_year,
                    quarter=quarter,
                    value=value,
                )
                continue
            gone = IndicatorTarget.objects.for_county(indicator.county_id).filter(
                indicator=indicator, fiscal_year=fiscal_year, quarter=quarter
            )
            for target in gone:
                _record(
                    target,
                    membership,
                    "indicator_target.clear",
                    _("Target of “%(name)s” for %(fy)s Q%(q)s cleared")
                    % {"name": indicator.name, "fy": fiscal_year, "q": quarter},
                )
            gone.delete()
