"""HTML pages of monitoring (issue 6): results, indicator management, the dashboard."""

from monitoring.views.dashboard import plan_dashboard
from monitoring.views.manage import (
    indicator_create,
    indicator_delete,
    indicator_edit,
    indicator_targets,
    thresholds,
)
from monitoring.views.results import (
    awaiting_verification,
    comment_add,
    evidence_add,
    evidence_delete,
    evidence_download,
    indicator_detail,
    plan_monitoring,
    result_detail,
    result_return,
    result_submit,
    result_verify,
)

__all__ = [
    "awaiting_verification",
    "comment_add",
    "evidence_add",
    "evidence_delete",
    "evidence_download",
    "indicator_create",
    "indicator_delete",
    "indicator_detail",
    "indicator_edit",
    "indicator_targets",
    "plan_dashboard",
    "plan_monitoring",
    "result_detail",
    "result_return",
    "result_submit",
    "result_verify",
    "thresholds",
]
