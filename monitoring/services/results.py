"""Results: draft → submitted → verified; a returned result goes back to draft."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership
from monitoring.models import CommentKind, Indicator, Measure, Result, ResultComment, ResultStatus
from monitoring.services.disaggregation import (
    Values,
    clean_disaggregation,
    replace_disaggregation,
    stored_values,
)
from monitoring.services.figures import places_error
from monitoring.services.rules import EDITABLE, _clean_period, _record, can_report
from workplans.services.rules import EditConflict, require_secretariat

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
    elif indicator.measure == Measure.PERCENTAGE and value > 100:
        raise ValidationError({"value": _("A percentage is at most 100.")})
    elif places_error(value, indicator.decimals):
        raise ValidationError({"value": places_error(value, indicator.decimals)})


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
    disaggregation: Values | None = None,
) -> Result:
    """Create or change the quarter's result while it is a draft. ``disaggregation``
    (category → group → value) replaces the stored values; None keeps them."""
    _require_reporter(membership, indicator)
    indicator.check_same_county(membership)
    _clean_period(fiscal_year, quarter)
    _clean_value(indicator, value, narrative)
    cleaned = (
        clean_disaggregation(indicator, value, disaggregation, complete=False)
        if disaggregation is not None
        else None
    )
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
        if cleaned is not None:
            replace_disaggregation(result, cleaned)
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
    clean_disaggregation(result.indicator, result.value, stored_values(result), complete=True)
    with transaction.atomic():
        _transition(
            result,
            EDITABLE,
            row_version,
            status=ResultStatus.SUBMITTED,
            submitted_by=membership.user,
            submitted_at=timezone.now(),
            return_comment="",
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
    """Send a submitted result back to draft with what needs correcting: the reporter
    sees the comment until they resubmit; the thread and the audit keep it."""
    require_secretariat(membership)
    result.check_same_county(membership)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs correcting.")})
    with transaction.atomic():
        _transition(
            result,
            frozenset({ResultStatus.SUBMITTED}),
            row_version,
            status=ResultStatus.DRAFT,
            return_comment=comment.strip(),
        )
        ResultComment.objects.create(
            county_id=result.county_id,
            result=result,
            kind=CommentKind.RETURN,
            body=comment.strip(),
            author=membership.user,
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
