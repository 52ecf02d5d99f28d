"""Public participation windows, comments, moderation and responses."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership, Ward
from sectorplans.models import (
    COMMENT_MAX_LENGTH,
    Moderation,
    ParticipationWindow,
    PlanStep,
    PublicComment,
    Response,
    StepStatus,
)
from sectorplans.services.rules import (
    _iso,
    _record,
    _require_actor,
    acts_as,
)
from sectorplans.services.steps import _window_of

# --- public participation -----------------------------------------------------


def participation_window_open(
    *,
    plan_step: PlanStep,
    membership: Membership,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    invitation: str = "",
) -> ParticipationWindow:
    """Open (or re-date) the window of an invite step; the step is then in progress."""
    if not plan_step.step.opens_window:
        raise ValidationError(_("This step does not invite public views."))
    _require_actor(membership, plan_step)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The window must close after it opens.")})
    window = _window_of(plan_step)
    before = (
        {"opens_at": _iso(window.opens_at), "closes_at": _iso(window.closes_at)} if window else None
    )
    with transaction.atomic():
        window = window or ParticipationWindow(
            county=plan_step.county, plan=plan_step.plan, plan_step=plan_step
        )
        window.title, window.invitation = title.strip(), invitation.strip()
        window.opens_at, window.closes_at = opens_at, closes_at
        window.opened_by = window.opened_by or membership.user
        window.save()
        if plan_step.status == StepStatus.NOT_STARTED:
            plan_step.status = StepStatus.IN_PROGRESS
            plan_step.save(update_fields=["status"])
        _record(
            plan=plan_step.plan,
            actor=membership.user,
            verb="window.update" if before else "window.open",
            target=window,
            summary=f"Step {plan_step.step.number}: participation window "
            f"{timezone.localtime(opens_at):%d %b %Y} – {timezone.localtime(closes_at):%d %b %Y}",
            step=plan_step.step.number,
            before=before,
            after={"opens_at": _iso(opens_at), "closes_at": _iso(closes_at)},
        )
    return window


def participation_window_close(
    *, window: ParticipationWindow, membership: Membership, now: datetime | None = None
) -> ParticipationWindow:
    """Close an open window now (the hearings are over early)."""
    now = now or timezone.now()
    if not window.is_open(now):
        raise ValidationError(_("This window is not open."))
    return participation_window_open(
        plan_step=window.plan_step,
        membership=membership,
        title=window.title,
        invitation=window.invitation,
        opens_at=window.opens_at,
        closes_at=now,
    )


def _clean_text(value: str, limit: int) -> str:
    """Plain text: control characters out (newlines kept), trimmed to the limit."""
    kept = "".join(ch for ch in value if ch in "\n\t" or ch.isprintable())
    return kept.replace("\r\n", "\n").strip()[:limit]


def public_comment_submit(
    *,
    window: ParticipationWindow,
    topic: str,
    body: str,
    name: str = "",
    organization: str = "",
    ward: Ward | None = None,
    now: datetime | None = None,
) -> PublicComment:
    """Anyone may comment while the window is open; comments wait for moderation."""
    now = now or timezone.now()
    if now < window.opens_at:
        raise ValidationError(
            _("Comments open on %(when)s.")
            % {"when": timezone.localtime(window.opens_at).strftime("%d %b %Y %H:%M")}
        )
    if window.has_closed(now):
        raise ValidationError(
            _("This participation window closed on %(when)s; comments are no longer taken.")
            % {"when": timezone.localtime(window.closes_at).strftime("%d %b %Y %H:%M")}
        )
    if ward is not None and ward.county_id != window.county_id:
        raise ValidationError({"ward": _("Choose a ward of this county.")})
    body = _clean_text(body, COMMENT_MAX_LENGTH + 1)
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": _("Keep the comment under %(n)d characters.") % {"n": COMMENT_MAX_LENGTH}}
        )
    if not body or not topic.strip():
        raise ValidationError(_("Give a topic and a comment."))
    with transaction.atomic():
        comment = PublicComment.objects.create(
            county=window.county,
            window=window,
            name=_clean_text(name, 120),
            organization=_clean_text(organization, 200),
            ward=ward,
            topic=_clean_text(topic, 200),
            body=body,
            submitted_at=now,
        )
        _record(
            plan=window.plan,
            actor=None,
            verb="comment.submit",
            target=comment,
            summary=f"Public comment received on {window.title}",
            window=window.pk,
        )
    return comment


def _require_window_actor(membership: Membership, window: ParticipationWindow) -> None:
    if acts_as(membership, window.plan_step) is None:
        raise PermissionDenied(
            _("The working group that opened this window (or the secretariat) does this.")
        )


def public_comment_moderate(
    *, comment: PublicComment, membership: Membership, accept: bool
) -> PublicComment:
    """Accept a comment (shown publicly, then answered) or reject it (spam, abuse)."""
    membership.check_same_county(comment)
    _require_window_actor(membership, comment.window)
    before = comment.moderation
    with transaction.atomic():
        comment.moderation = Moderation.ACCEPTED if accept else Moderation.REJECTED
        comment.moderated_by, comment.moderated_at = membership.user, timezone.now()
        comment.save(update_fields=["moderation", "moderated_by", "moderated_at"])
        _record(
            plan=comment.window.plan,
            actor=membership.user,
            verb="comment.moderate",
            target=comment,
            summary=f"Comment {comment.pk} {comment.moderation}",
            before={"moderation": before},
            after={"moderation": comment.moderation},
        )
    return comment


def public_comment_respond(
    *,
    comment: PublicComment,
    membership: Membership,
    response: str,
    reason: str,
    now: datetime | None = None,
) -> PublicComment:
    """After the window closes, say what became of an accepted comment, and why."""
    membership.check_same_county(comment)
    _require_window_actor(membership, comment.window)
    if not comment.window.has_closed(now):
        raise ValidationError(_("Responses are recorded once the window has closed."))
    if comment.moderation != Moderation.ACCEPTED:
        raise ValidationError(_("Only accepted comments get a response."))
    if response not in Response.values:
        raise ValidationError({"response": _("Choose a response.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say what was done with the comment, and why.")})
    before = {"response": comment.response, "reason": comment.response_reason}
    with transaction.atomic():
        comment.response, comment.response_reason = response, reason.strip()
        comment.responded_by, comment.responded_at = membership.user, now or timezone.now()
        comment.save(update_fields=["response", "response_reason", "responded_by", "responded_at"])
        _record(
            plan=comment.window.plan,
            actor=membership.user,
            verb="comment.respond",
            target=comment,
            summary=f"Responded to comment {comment.pk}: {comment.get_response_display()}",
            before=before,
            after={"response": response, "reason": comment.response_reason},
        )
    return comment
