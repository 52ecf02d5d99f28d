"""Evidence files and the comments thread of a result.

Evidence: the reporters of the indicator (its responsible organization's partners,
or the secretariat) attach files while the result is a draft; files are checked by
their content and size. Comments: every member who may comment writes in the
thread of any result they can see. Both are audited.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from counties.models import Membership
from jwp.uploads import validate_document
from monitoring.models import Evidence, Result, ResultComment
from monitoring.services.rules import EDITABLE, _record, can_comment, can_report

EVIDENCE_KINDS = ("pdf", "docx", "xlsx", "png", "jpeg")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def can_attach(membership: Membership, result: Result) -> bool:
    return can_report(membership, result.indicator) and result.status in EDITABLE


def evidence_add(*, membership: Membership, result: Result, title: str, upload) -> Evidence:
    if not can_report(membership, result.indicator):
        raise PermissionDenied(
            _("Only the responsible organization or the secretariat adds evidence.")
        )
    result.check_same_county(membership)
    if result.status not in EDITABLE:
        raise ValidationError(
            _("Evidence is added while the result is a draft; this one is %(status)s.")
            % {"status": result.get_status_display().lower()}
        )
    if upload is None:
        raise ValidationError({"file": _("Choose a file.")})
    try:
        kind = validate_document(upload, kinds=EVIDENCE_KINDS, max_bytes=MAX_EVIDENCE_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    title = (title or "").strip() or upload.name[:200]
    with transaction.atomic():
        evidence = Evidence(
            county_id=result.county_id,
            result=result,
            title=title[:200],
            kind=kind,
            size=upload.size,
            uploaded_by=membership.user,
        )
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
        _record(
            evidence,
            membership,
            "result.evidence_add",
            _("Evidence “%(title)s” added to the result of “%(name)s” for %(fy)s Q%(q)s")
            % {
                "title": title,
                "name": result.indicator.name,
                "fy": result.fiscal_year,
                "q": result.quarter,
            },
            result=result.pk,
        )
    return evidence


def evidence_delete(*, membership: Membership, evidence: Evidence) -> None:
    result = evidence.result
    if not can_attach(membership, result):
        raise PermissionDenied(
            _("Evidence is removed by its reporters, and only while the result is a draft.")
        )
    with transaction.atomic():
        _record(
            evidence,
            membership,
            "result.evidence_delete",
            _("Evidence “%(title)s” removed") % {"title": evidence.title},
            result=result.pk,
        )
        Evidence.objects.for_county(evidence.county_id).filter(pk=evidence.pk).delete()
    evidence.file.delete(save=False)


def comment_add(*, membership: Membership, result: Result, body: str) -> ResultComment:
    if not can_comment(membership):
        raise PermissionDenied(_("Your role reads results but does not comment."))
    result.check_same_county(membership)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    if len(body) > 4000:
        raise ValidationError({"body": _("Keep the comment under 4,000 characters.")})
    with transaction.atomic():
        comment = ResultComment.objects.create(
            county_id=result.county_id, result=result, body=body, author=membership.user
        )
        _record(
            comment,
            membership,
            "result.comment",
            _("Comment on the result of “%(name)s” for %(fy)s Q%(q)s: %(body)s")
            % {
                "name": result.indicator.name,
                "fy": result.fiscal_year,
                "q": result.quarter,
                "body": body[:120],
            },
            result=result.pk,
        )
    return comment
