"""Who may report and verify; audit and period helpers shared by the services."""

from __future__ import annotations

import calendar
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from counties.models import Membership
from jwp import audit, visibility
from jwp.fiscal import is_kenyan_fy_label, kenyan_fy_bounds
from jwp.roles import Capability, Role, role_can
from monitoring.models import Indicator, ResultStatus

EDITABLE = frozenset({ResultStatus.DRAFT, ResultStatus.RETURNED})


def quarter_end(fiscal_year: str, quarter: int) -> date:
    """Last day of a Kenyan fiscal-year quarter (Q1 = Jul–Sep … Q4 = Apr–Jun)."""
    start = kenyan_fy_bounds(fiscal_year)[0]
    month = start.month + 3 * quarter - 1  # the quarter's last month, counted from January
    year = start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def result_due_date(fiscal_year: str, quarter: int) -> date:
    """A quarter's result is due one month after the quarter ends (the last day of the
    following month): 2024/25 Q1 (Jul–Sep 2024) → 31 October 2024."""
    end = quarter_end(fiscal_year, quarter)
    year, month = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
    return date(year, month, calendar.monthrange(year, month)[1])


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


def can_manage_indicator(membership: Membership, *, activity=None) -> bool:
    """Define indicators and set targets: the secretariat for the whole plan; a sector
    lead for the indicators of their own sector's activities (as they edit those)."""
    if membership.role == Role.SECRETARIAT:
        return True
    return (
        membership.role == Role.SECTOR_LEAD
        and activity is not None
        and membership.sector_id is not None
        and activity.sector_id == membership.sector_id
    )


def require_manage_indicator(membership: Membership, *, activity=None) -> None:
    if not can_manage_indicator(membership, activity=activity):
        raise PermissionDenied(
            _(
                "Only the JWP secretariat, or a sector lead for their own sector's "
                "activities, manages indicators and targets."
            )
        )


def can_comment(membership: Membership) -> bool:
    """Everyone who reads the county's results and may comment (observers only read)."""
    return role_can(membership.role, Capability.COMMENT)


def can_see_evidence(membership: Membership, indicator: Indicator) -> bool:
    """Evidence files: the one rule in ``jwp.visibility.evidence``."""
    return visibility.evidence(membership=membership, indicator=indicator)


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
