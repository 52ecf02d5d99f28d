"""Results: draft → submitted → verified; a returned result goes back to draft."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from counties.models import Membership
from jwp.readiness import Check, Readiness, require_ready
from jwp.roles import Role
from monitoring.models import (
    CommentKind,
    Evidence,
    Indicator,
    IndicatorTarget,
    Measure,
    Result,
    ResultComment,
    ResultStatus,
)
from monitoring.services.disaggregation import (
    Values,
    clean_disaggregation,
    replace_disaggregation,
    stored_values,
)
from monitoring.services.figures import places_error
from monitoring.services.rules import EDITABLE, _clean_period, _record, can_report, can_verify
from notifications.services.events import notify
from workplans.services.rules import EditConflict

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
            _("Result of “%(name)s” for %(fy)s Q%(q)s submitted for verification") % _label(result),
        )
        notify(
            county=result.county,
            recipients=_verifiers(result),
            key=f"result:{result.pk}:submitted:{result.row_version}",
            title=_("A result of “%(name)s” for %(fy)s Q%(q)s waits for your verification")
            % _label(result),
            url=_url(result),
            actor=membership.user,
        )
    return result


# --- verification: a checked, confirmed decision -------------------------------------


VERIFIER_ONLY = gettext_lazy("Only the JWP secretariat verifies or returns results.")


def _require_verifier(membership: Membership, result: Result) -> None:
    if not can_verify(membership):
        raise PermissionDenied(str(VERIFIER_ONLY))
    result.check_same_county(membership)


def verify_refusal(membership: Membership, result: Result) -> str:
    """Why this member may not verify this result ("" when they may)."""
    if not can_verify(membership):
        return str(VERIFIER_ONLY)
    if result.submitted_by_id is not None and result.submitted_by_id == membership.user_id:
        return _("You submitted this result; another member of the secretariat verifies it.")
    return ""


def may_verify(membership: Membership, result: Result) -> bool:
    return not verify_refusal(membership, result)


def _submitted_check(result: Result) -> Check:
    submitted = result.status == ResultStatus.SUBMITTED
    return Check(
        _("Submitted for verification"),
        met=submitted,
        detail=""
        if submitted
        else _("This result is %(status)s.") % {"status": result.get_status_display().lower()},
    )


def result_verify_readiness(*, result: Result) -> Readiness:
    """What verifying needs: a submitted result (blocking); evidence attached and a
    target for the quarter are warnings (without a target it is shown "not rated")."""
    evidence = Evidence.objects.for_county(result.county_id).filter(result=result).count()
    indicator = result.indicator
    has_target = (
        indicator.is_qualitative
        or IndicatorTarget.objects.for_county(result.county_id)
        .filter(indicator=indicator, fiscal_year=result.fiscal_year, quarter=result.quarter)
        .exists()
    )
    return Readiness(
        [
            _submitted_check(result),
            Check(
                _("Evidence attached"),
                met=bool(evidence),
                detail=ngettext("%(n)s file.", "%(n)s files.", evidence) % {"n": evidence}
                if evidence
                else _("No evidence file: check the value against the data source."),
                blocking=False,
            ),
            Check(
                _("Target for the quarter"),
                met=has_target,
                detail=""
                if has_target
                else _("No target: once verified the quarter is shown as not rated."),
                blocking=False,
            ),
        ]
    )


def result_return_readiness(*, result: Result, comment: str = "") -> Readiness:
    """What returning needs: a submitted result and the reason (what to correct)."""
    return Readiness(
        [
            _submitted_check(result),
            Check(
                _("Reason for return"),
                met=bool(comment.strip()),
                detail="" if comment.strip() else _("Say what needs correcting."),
            ),
        ]
    )


def _verifiers(result: Result) -> list:
    """Who verifies a result: the county's secretariat (not the one who submitted it)."""
    return [
        m.user_id
        for m in Membership.objects.for_county(result.county_id).filter(role=Role.SECRETARIAT)
        if m.user_id != result.submitted_by_id
    ]


def _label(result: Result) -> dict:
    return {"name": result.indicator.name, "fy": result.fiscal_year, "q": result.quarter}


def _url(result: Result) -> str:
    return reverse("monitoring:result", args=[result.county.slug, result.pk])


def result_verify(*, membership: Membership, result: Result, row_version: int | None = None):
    """Verify a submitted result: from now on it counts. The secretariat, not the
    person who submitted it; the submitter is told."""
    _require_verifier(membership, result)
    refusal = verify_refusal(membership, result)
    if refusal:
        raise PermissionDenied(refusal)
    require_ready(
        result_verify_readiness(result=result), intro=_("This result cannot be verified yet.")
    )
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
            _("Result of “%(name)s” for %(fy)s Q%(q)s verified") % _label(result),
        )
        notify(
            county=result.county,
            recipients=[result.submitted_by_id],
            key=f"result:{result.pk}:verified:{result.row_version}",
            title=_("Your result of “%(name)s” for %(fy)s Q%(q)s was verified") % _label(result),
            url=_url(result),
            actor=membership.user,
        )
    return result


def result_return(
    *, membership: Membership, result: Result, comment: str, row_version: int | None = None
):
    """Send a submitted result back to draft with what needs correcting: the reporter
    sees the comment until they resubmit; the thread and the audit keep it; the
    submitter is told."""
    _require_verifier(membership, result)
    readiness = result_return_readiness(result=result, comment=comment)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs correcting.")})
    require_ready(readiness, intro=_("This result cannot be returned."))
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
            % {**_label(result), "comment": comment.strip()[:150]},
        )
        notify(
            county=result.county,
            recipients=[result.submitted_by_id],
            key=f"result:{result.pk}:returned:{result.row_version}",
            title=_("Your result of “%(name)s” for %(fy)s Q%(q)s was returned for correction")
            % _label(result),
            url=_url(result),
            actor=membership.user,
        )
    return result
