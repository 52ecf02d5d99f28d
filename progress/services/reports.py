"""Quarterly progress reports: prepared by the JWP Secretariat, reviewed by the TWG,
shared with all stakeholders (manual §4.4 step 2).

draft → in_review (secretariat submits; the compilation is frozen) → reviewed (a TWG
member, or the secretariat on the TWG's behalf, records reviewer, date and comments)
→ shared (secretariat). The TWG may instead return it to draft with comments, which
unfreezes it. Narrative sections change only while it is a draft.

Each step tells the people who act next (``progress.waiting``): submitted → the TWG
(or the secretariat for it); returned or reviewed → the report's author.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership
from notifications.services.events import notify, resolve
from progress import waiting
from progress.models import ProgressReport, ReportStatus
from progress.services.rules import (
    can_review,
    clean_quarter,
    guarded_update,
    record,
    require_secretariat,
)

NARRATIVE_FIELDS = (
    "summary",
    "progress_narrative",
    "challenges_narrative",
    "lessons_narrative",
    "corrective_actions_narrative",
)
DRAFT = frozenset({ReportStatus.DRAFT})


def _label(report) -> str:
    return report.period_label


def _turn(report: ProgressReport, *, event: str, recipients, title: str, why: str, actor):
    """The report's previous turn is over; tell the next actors it is theirs."""
    resolve(county=report.county, key=f"progressreport:{report.pk}")
    notify(
        county=report.county,
        recipients=recipients,
        key=f"progressreport:{report.pk}:{event}:{report.row_version}",
        title=title,
        why=why,
        url=report.get_absolute_url(),
        actor=actor,
    )


def report_create(*, membership: Membership, plan, quarter: int) -> ProgressReport:
    require_secretariat(membership)
    plan.check_same_county(membership)
    clean_quarter(quarter)
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                county_id=plan.county_id,
                plan=plan,
                fiscal_year=plan.fiscal_year,
                quarter=quarter,
                created_by=membership.user,
            )
    except IntegrityError:
        raise ValidationError(
            {"quarter": _("This quarter already has a progress report.")}
        ) from None
    record(report, membership.user, "progress_report.create", _("%s started") % report)
    return report


def report_save_narrative(
    *, membership: Membership, report: ProgressReport, row_version: int | None = None, **fields
) -> ProgressReport:
    require_secretariat(membership)
    report.check_same_county(membership)
    unknown = set(fields) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown narrative fields: {sorted(unknown)}")
    with transaction.atomic():
        guarded_update(
            report,
            row_version,
            statuses=DRAFT,
            **{k: (v or "").strip() for k, v in fields.items()},
        )
        record(report, membership.user, "progress_report.edit", _("%s: narrative saved") % report)
    return report


def report_submit(
    *, membership: Membership, report: ProgressReport, row_version: int | None = None
) -> ProgressReport:
    """Send the draft to the TWG; what it reviews is frozen from now on."""
    from progress.selectors import compile_report

    require_secretariat(membership)
    report.check_same_county(membership)
    if not report.summary.strip():
        raise ValidationError(
            {"summary": _("Write the summary before sending the report to the TWG.")}
        )
    with transaction.atomic():
        guarded_update(
            report,
            row_version,
            statuses=DRAFT,
            status=ReportStatus.IN_REVIEW,
            submitted_by=membership.user,
            submitted_at=timezone.now(),
            snapshot=compile_report(report),
            reviewed_by=None,
            reviewed_on=None,
            review_comments="",
        )
        record(
            report,
            membership.user,
            "progress_report.submit",
            _("%s submitted for TWG review") % report,
        )
        _turn(
            report,
            event="submitted",
            recipients=waiting.twg_reviewers(report.county_id, [report.fiscal_year])[
                report.fiscal_year
            ],
            title=_("%s waits for the TWG review") % report,
            why=waiting.review_why(report),
            actor=membership.user,
        )
    return report


def report_review(
    *,
    membership: Membership,
    report: ProgressReport,
    reviewed_on,
    comments: str,
    accept: bool,
    row_version: int | None = None,
) -> ProgressReport:
    """Record the TWG's review: accepted (reviewed) or returned to the secretariat."""
    report.check_same_county(membership)
    if not can_review(membership, report.plan):
        raise PermissionDenied(_("A member of the TWG, or the secretariat for it, records this."))
    errors = {}
    if reviewed_on is None:
        errors["reviewed_on"] = _("Enter the date of the TWG review.")
    elif reviewed_on > timezone.localdate():
        errors["reviewed_on"] = _("The review date cannot be in the future.")
    if not accept and not comments.strip():
        errors["comments"] = _("Say what the secretariat should change.")
    if errors:
        raise ValidationError(errors)
    fields = {
        "reviewed_by": membership.user,
        "reviewed_on": reviewed_on,
        "review_comments": comments.strip(),
    }
    if accept:
        fields["status"] = ReportStatus.REVIEWED
    else:
        fields.update(status=ReportStatus.DRAFT, snapshot=None)
    with transaction.atomic():
        guarded_update(report, row_version, statuses=frozenset({ReportStatus.IN_REVIEW}), **fields)
        record(
            report,
            membership.user,
            "progress_report.review" if accept else "progress_report.return",
            (_("%s reviewed by the TWG") if accept else _("%s returned by the TWG")) % report,
            reviewed_on=reviewed_on,
        )
        _turn(
            report,
            event="reviewed" if accept else "returned",
            recipients=waiting.author_ids(report),
            title=(_("%s reviewed by the TWG: share it") if accept else _("%s returned by the TWG"))
            % report,
            why=waiting.reviewed_why(report) if accept else waiting.returned_why(report),
            actor=membership.user,
        )
    return report


def report_share(
    *, membership: Membership, report: ProgressReport, row_version: int | None = None
) -> ProgressReport:
    """Share the reviewed report with every member of the county."""
    require_secretariat(membership)
    report.check_same_county(membership)
    with transaction.atomic():
        guarded_update(
            report,
            row_version,
            statuses=frozenset({ReportStatus.REVIEWED}),
            status=ReportStatus.SHARED,
            shared_by=membership.user,
            shared_at=timezone.now(),
        )
        record(
            report,
            membership.user,
            "progress_report.share",
            _("%s shared with all stakeholders") % report,
        )
        resolve(county=report.county, key=f"progressreport:{report.pk}")
    return report
