"""Progress, expenditure, feedback, adaptive management and quarterly reports (issue 6,
points 3–5). Modules: ``rules`` (who may do what, stale-edit guard), ``entries``
(activity progress, expenditure, feedback), ``adaptation`` (trigger detection and
adaptation items), ``reports`` (the quarterly report's workflow).
``from progress.services import ...`` reaches them all."""

from progress.services.adaptation import (
    adaptation_update,
    detect_for_plan,
    detect_triggers,
    open_plans,
)
from progress.services.entries import expenditure_save, feedback_record, progress_save
from progress.services.reports import (
    NARRATIVE_FIELDS,
    report_create,
    report_review,
    report_save_narrative,
    report_share,
    report_submit,
)
from progress.services.rules import (
    can_log_feedback,
    can_record_expenditure,
    can_report_activity,
    can_review,
    can_see_drafts,
    can_update_adaptation,
    is_secretariat,
)

__all__ = [
    "NARRATIVE_FIELDS",
    "adaptation_update",
    "can_log_feedback",
    "can_record_expenditure",
    "can_report_activity",
    "can_review",
    "can_see_drafts",
    "can_update_adaptation",
    "detect_for_plan",
    "detect_triggers",
    "expenditure_save",
    "feedback_record",
    "is_secretariat",
    "open_plans",
    "progress_save",
    "report_create",
    "report_review",
    "report_save_narrative",
    "report_share",
    "report_submit",
]
