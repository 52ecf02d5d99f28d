"""A result's values per disaggregation group (sex, age group, disability).

Per category the indicator defines, a result gives every group's value or none
of them; for number indicators the groups of each category add up to the total
(the female and male children vaccinated are all the children vaccinated). A
result is submitted only with every category given.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from monitoring.models import GROUPS, Category, Indicator, Measure, Result, ResultDisaggregation
from monitoring.services.figures import places_error

HUNDRED = Decimal("100")

Values = dict[str, dict[str, Decimal | None]]  # category → group → value


def _category_name(category: str) -> str:
    """A category's label; a name no indicator uses is shown as given."""
    return str(Category(category).label).lower() if category in Category.values else category


def _plain(value: Decimal) -> str:
    """70, 12.5 (never 7E+1)."""
    return format(value.normalize(), "f")


def clean_disaggregation(
    indicator: Indicator, total: Decimal | None, values: Values, *, complete: bool
) -> dict[str, dict[str, Decimal]]:
    """The filled categories, checked; ValidationError keyed by category otherwise.
    ``complete``: every category the indicator defines must be given (on submit)."""
    categories = indicator.categories
    unknown = set(values) - set(categories)
    if unknown:
        raise ValidationError(
            _("This indicator is not disaggregated by %(names)s.")
            % {"names": ", ".join(_category_name(c) for c in sorted(unknown))}
        )
    errors: dict[str, str] = {}
    cleaned: dict[str, dict[str, Decimal]] = {}
    for category in categories:
        label = str(Category(category).label).lower()
        groups = [g for g, _label in GROUPS[category]]
        given = {g: v for g, v in values.get(category, {}).items() if v is not None}
        if set(given) - set(groups):
            errors[category] = _("Unknown group for %(category)s.") % {"category": label}
            continue
        if not given:
            if complete:
                errors[category] = _(
                    "Give the values by %(category)s before submitting the result."
                ) % {"category": label}
            continue
        if len(given) < len(groups):
            errors[category] = _(
                "Give a value for every %(category)s group, or leave them all empty."
            ) % {"category": label}
            continue
        if any(v < 0 for v in given.values()):
            errors[category] = _("Values by %(category)s must be zero or more.") % {
                "category": label
            }
            continue
        if indicator.measure == Measure.PERCENTAGE and any(v > HUNDRED for v in given.values()):
            errors[category] = _("A percentage is at most 100.")
            continue
        misfit = next(
            (e for e in (places_error(v, indicator.decimals) for v in given.values()) if e), ""
        )
        if misfit:
            errors[category] = misfit
            continue
        if indicator.measure == Measure.NUMBER and total is not None:
            added = sum(given.values(), Decimal(0))
            if added != total:
                errors[category] = _(
                    "The values by %(category)s add up to %(sum)s, not to the total of "
                    "%(total)s. Correct the groups or the total."
                ) % {"category": label, "sum": _plain(added), "total": _plain(total)}
                continue
        cleaned[category] = {g: given[g] for g in groups}
    if errors:
        raise ValidationError(errors)
    return cleaned


def stored_values(result: Result) -> Values:
    found: Values = {}
    for row in ResultDisaggregation.objects.for_county(result.county_id).filter(result=result):
        found.setdefault(row.category, {})[row.group] = row.value
    return found


def replace_disaggregation(result: Result, cleaned: dict[str, dict[str, Decimal]]) -> None:
    ResultDisaggregation.objects.for_county(result.county_id).filter(result=result).delete()
    ResultDisaggregation.objects.bulk_create(
        ResultDisaggregation(
            county_id=result.county_id, result=result, category=category, group=group, value=value
        )
        for category, groups in cleaned.items()
        for group, value in groups.items()
    )
