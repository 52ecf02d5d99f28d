"""Indicators, targets and results (issue 6).

Who does what: the secretariat defines indicators and sets targets; results are
entered and submitted by members of the indicator's responsible organization
(partner role) or by the secretariat; only the secretariat verifies or returns
(a return needs a comment and sends the result back to draft). A verified result
is final. Every write is audited.

The package's modules: ``figures`` (every M&E figure rule: what counts, status,
achievement, the year, number formatting), ``rag`` (the county's thresholds), ``rules``
(who may do what, due dates), ``indicators`` (indicators and targets), ``results``
(the result workflow), ``disaggregation`` (values per group), ``evidence``
(evidence files and the comments thread). ``from monitoring.services import ...`` keeps working.
"""

from monitoring.services.disaggregation import clean_disaggregation, stored_values
from monitoring.services.evidence import (
    EVIDENCE_KINDS,
    MAX_EVIDENCE_BYTES,
    can_attach,
    comment_add,
    evidence_add,
    evidence_delete,
)
from monitoring.services.figures import (
    HUNDRED,
    Rag,
    Variance,
    Year,
    achievement,
    annual_target,
    counts,
    format_value,
    indicator_value,
    is_provisional,
    performance,
    rag_status,
    variance,
    year_so_far,
)
from monitoring.services.indicators import (
    INDICATOR_FIELDS,
    indicator_delete,
    indicator_save,
    target_set,
    targets_save,
)
from monitoring.services.rag import thresholds_for, thresholds_save
from monitoring.services.results import (
    VERIFIER_ONLY,
    may_verify,
    result_return,
    result_return_readiness,
    result_save_draft,
    result_submit,
    result_verify,
    result_verify_readiness,
    verify_refusal,
)
from monitoring.services.rules import (
    EDITABLE,
    can_comment,
    can_manage_indicator,
    can_report,
    can_see_evidence,
    can_verify,
    quarter_end,
    result_due_date,
)

__all__ = [
    "EDITABLE",
    "EVIDENCE_KINDS",
    "HUNDRED",
    "INDICATOR_FIELDS",
    "MAX_EVIDENCE_BYTES",
    "VERIFIER_ONLY",
    "Rag",
    "Variance",
    "Year",
    "achievement",
    "annual_target",
    "can_attach",
    "can_comment",
    "can_manage_indicator",
    "can_report",
    "can_see_evidence",
    "can_verify",
    "clean_disaggregation",
    "comment_add",
    "counts",
    "evidence_add",
    "evidence_delete",
    "format_value",
    "indicator_delete",
    "indicator_save",
    "indicator_value",
    "is_provisional",
    "may_verify",
    "performance",
    "quarter_end",
    "rag_status",
    "result_due_date",
    "result_return",
    "result_return_readiness",
    "result_save_draft",
    "result_submit",
    "result_verify",
    "result_verify_readiness",
    "stored_values",
    "target_set",
    "targets_save",
    "thresholds_for",
    "thresholds_save",
    "variance",
    "verify_refusal",
    "year_so_far",
]
