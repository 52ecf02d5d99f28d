"""Indicators and their quarterly targets: the secretariat's (issue 6, point 1)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from counties.models import Membership
from monitoring.models import Indicator, IndicatorTarget
from monitoring.services.rules import _clean_period, _record
from workplans.services.rules import require_secretariat

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
