"""Evaluations with their DAC-criteria ratings, recommendations followed to closure,
and the close-out of a plan's cycle (carrying open recommendations into the next plan)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership
from jwp.fiscal import parse_kenyan_year
from jwp.roles import Role
from learning.models import (
    CloseOut,
    CloseOutLesson,
    Criterion,
    CriterionRating,
    Evaluation,
    EvaluationKind,
    Priority,
    Rating,
    Recommendation,
    RecommendationStatus,
    RecommendationUpdate,
)
from learning.services.reflection import _replace_links
from learning.services.rules import bump, is_secretariat, record, require_secretariat
from workplans.models import JointWorkPlan

EVALUATION_FIELDS = ("kind", "conducted_on", "conducted_by", "methods", "summary")
CLOSED = frozenset({RecommendationStatus.IMPLEMENTED, RecommendationStatus.DROPPED})


def evaluation_save(
    *,
    membership: Membership,
    plan: JointWorkPlan,
    evaluation: Evaluation | None = None,
    row_version: int | None = None,
    **fields,
) -> Evaluation:
    require_secretariat(membership)
    plan.check_same_county(membership, evaluation)
    unknown = set(fields) - set(EVALUATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown evaluation fields: {sorted(unknown)}")
    errors = {}
    if fields.get("kind") not in EvaluationKind.values:
        errors["kind"] = _("Choose baseline, mid-term review or end-of-cycle evaluation.")
    if not (fields.get("conducted_by") or "").strip():
        errors["conducted_by"] = _("Say who conducted it.")
    if errors:
        raise ValidationError(errors)
    clash = (
        Evaluation.objects.for_county(plan.county_id)
        .filter(plan=plan, kind=fields["kind"])
        .exclude(pk=getattr(evaluation, "pk", None))
        .exists()
    )
    if clash:
        raise ValidationError(
            {
                "kind": _("This plan already has a %(kind)s; open it instead.")
                % {"kind": EvaluationKind(fields["kind"]).label.lower()}
            }
        )
    try:
        with transaction.atomic():
            if evaluation is None:
                evaluation = Evaluation.objects.create(
                    county_id=plan.county_id, plan=plan, created_by=membership.user, **fields
                )
                CriterionRating.objects.bulk_create(
                    CriterionRating(county_id=plan.county_id, evaluation=evaluation, criterion=c)
                    for c in Criterion.values
                )
                verb = "learning.evaluation.create"
            else:
                bump(evaluation, row_version, **fields)
                verb = "learning.evaluation.update"
            record(
                evaluation,
                membership,
                verb,
                _("%(e)s saved") % {"e": evaluation.get_kind_display()},
            )
    except IntegrityError:  # two people created the same kind at once
        raise ValidationError({"kind": _("This plan already has one of this kind.")}) from None
    return evaluation


def ratings_save(
    *,
    membership: Membership,
    evaluation: Evaluation,
    ratings: dict[str, tuple[int | None, str]],
    row_version: int | None = None,
) -> None:
    """``ratings``: criterion → (rating on the 1–4 scale or None, findings)."""
    require_secretariat(membership)
    evaluation.check_same_county(membership)
    errors = {}
    for criterion, (rating, _findings) in ratings.items():
        if criterion not in Criterion.values:
            raise ValidationError(_("Unknown criterion %(c)s.") % {"c": criterion})
        if rating is not None and rating not in Rating.values:
            errors[criterion] = _("Rate %(c)s from 1 (not achieved) to 4 (fully achieved).") % {
                "c": Criterion(criterion).label
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        bump(evaluation, row_version)  # one rater at a time: a stale form is refused
        rows = {
            r.criterion: r
            for r in CriterionRating.objects.for_county(evaluation.county_id).filter(
                evaluation=evaluation
            )
        }
        for criterion, (rating, findings) in ratings.items():
            row = rows.get(criterion) or CriterionRating(
                county_id=evaluation.county_id, evaluation=evaluation, criterion=criterion
            )
            row.rating, row.findings = rating, (findings or "").strip()
            row.save()
        record(
            evaluation,
            membership,
            "learning.evaluation.ratings",
            _("Ratings of the %(e)s saved") % {"e": evaluation.get_kind_display()},
            **{c: r for c, (r, _f) in ratings.items()},
        )


# --- recommendations ----------------------------------------------------------------------


def recommendation_add(
    *,
    membership: Membership,
    evaluation: Evaluation,
    text: str,
    due_date,
    priority: str = Priority.MEDIUM,
    responsible_organization=None,
    responsible_user=None,
) -> Recommendation:
    require_secretariat(membership)
    evaluation.check_same_county(membership)
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("Write the recommendation.")
    if due_date is None:
        errors["due_date"] = _("Give the timeline: the date it should be done by.")
    if priority not in Priority.values:
        errors["priority"] = _("Choose high, medium or low.")
    if responsible_organization is None and responsible_user is None:
        errors["responsible_organization"] = _("Name a responsible organization or person.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rec = Recommendation.objects.create(
            county_id=evaluation.county_id,
            evaluation=evaluation,
            plan_id=evaluation.plan_id,
            text=text.strip(),
            due_date=due_date,
            priority=priority,
            responsible_organization=responsible_organization,
            responsible_user=responsible_user,
            created_by=membership.user,
        )
        record(
            rec,
            membership,
            "learning.recommendation.create",
            _("Recommendation: %(t)s") % {"t": rec.text[:200]},
        )
    return rec


def can_update_recommendation(membership: Membership, rec: Recommendation) -> bool:
    """The secretariat, the responsible person, or a partner of the responsible organization."""
    if is_secretariat(membership):
        return True
    if rec.responsible_user_id and rec.responsible_user_id == membership.user_id:
        return True
    return (
        membership.role == Role.PARTNER
        and rec.responsible_organization_id is not None
        and membership.organization_id == rec.responsible_organization_id
    )


def recommendation_set_status(
    *,
    membership: Membership,
    recommendation: Recommendation,
    status: str,
    note: str = "",
    row_version: int | None = None,
) -> None:
    """Move a recommendation along open → in progress → implemented (or dropped).

    Closing it (implemented or dropped) needs a closing note; dropping and reopening
    are the secretariat's decisions. Every change is kept in its history.
    """
    rec = recommendation
    rec.check_same_county(membership)
    if not can_update_recommendation(membership, rec):
        raise PermissionDenied(_("Only the secretariat and those responsible update it."))
    note = (note or "").strip()
    if status not in RecommendationStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status == rec.status:
        raise ValidationError({"status": _("It already has this status.")})
    if status in CLOSED and not note:
        raise ValidationError(
            {"note": _("Write a closing note: what was done, or why it is dropped.")}
        )
    secretariat_only = status == RecommendationStatus.DROPPED or rec.status in CLOSED
    if secretariat_only and not is_secretariat(membership):
        raise PermissionDenied(_("Only the secretariat drops or reopens a recommendation."))
    before = rec.status
    with transaction.atomic():
        closing = status in CLOSED
        bump(
            rec,
            row_version,
            status=status,
            closing_note=note if closing else "",
            closed_at=timezone.now() if closing else None,
        )
        RecommendationUpdate.objects.create(
            county_id=rec.county_id,
            recommendation=rec,
            from_status=before,
            to_status=status,
            note=note,
            by=membership.user,
        )
        record(
            rec,
            membership,
            "learning.recommendation.status",
            _("Recommendation %(from)s → %(to)s: %(t)s")
            % {
                "from": RecommendationStatus(before).label,
                "to": rec.get_status_display(),
                "t": rec.text[:150],
            },
            before=before,
            after=status,
            note=note,
        )


# --- close-out ------------------------------------------------------------------------------


def next_plan(plan: JointWorkPlan) -> JointWorkPlan | None:
    """The county's plan of the next fiscal year (its latest version), if there is one."""
    label = parse_kenyan_year(plan.fiscal_year).next().label
    return (
        JointWorkPlan.objects.for_county(plan.county_id)
        .filter(fiscal_year=label)
        .order_by("-version")
        .first()
    )


def close_out_save(
    *,
    membership: Membership,
    plan: JointWorkPlan,
    achievements: str,
    challenges: str,
    lessons_summary: str = "",
    lessons: Sequence = (),
    row_version: int | None = None,
) -> CloseOut:
    require_secretariat(membership)
    plan.check_same_county(membership, *lessons)
    errors = {}
    if not (achievements or "").strip():
        errors["achievements"] = _("Summarize the cycle's achievements.")
    if not (challenges or "").strip():
        errors["challenges"] = _("Summarize the challenges met.")
    if any(lesson.plan_id != plan.pk for lesson in lessons):
        errors["lessons"] = _("Choose lessons of this plan.")
    if errors:
        raise ValidationError(errors)
    fields = {
        "achievements": achievements.strip(),
        "challenges": challenges.strip(),
        "lessons_summary": (lessons_summary or "").strip(),
    }
    with transaction.atomic():
        close_out = CloseOut.objects.for_county(plan.county_id).filter(plan=plan).first()
        if close_out is None:
            close_out = CloseOut.objects.create(
                county_id=plan.county_id, plan=plan, created_by=membership.user, **fields
            )
        else:
            bump(close_out, row_version, **fields)
        _replace_links(CloseOutLesson, plan.county_id, "close_out", close_out, "lesson", lessons)
        record(
            close_out,
            membership,
            "learning.closeout.save",
            _("Close-out summary of %(p)s saved") % {"p": plan},
        )
    return close_out


def close_out_carry(*, membership: Membership, plan: JointWorkPlan) -> tuple[JointWorkPlan, int]:
    """Close the cycle: carry every open recommendation into the next fiscal year's plan.

    Refused without a close-out summary or without a next plan. Returns the next plan
    and how many recommendations moved; each keeps its history plus a "carried" entry.
    """
    require_secretariat(membership)
    plan.check_same_county(membership)
    close_out = CloseOut.objects.for_county(plan.county_id).filter(plan=plan).first()
    if close_out is None:
        raise ValidationError(_("Write the close-out summary first: achievements and challenges."))
    target = next_plan(plan)
    if target is None:
        raise ValidationError(
            _(
                "There is no joint work plan for %(fy)s yet, so the open recommendations have "
                "nowhere to go. Create the %(fy)s plan first, then close out."
            )
            % {"fy": parse_kenyan_year(plan.fiscal_year).next().label}
        )
    from learning.selectors import open_recommendations

    now = timezone.now()
    with transaction.atomic():
        moving = list(open_recommendations(plan).select_for_update(of=("self",)))
        for rec in moving:
            Recommendation.objects.for_county(plan.county_id).filter(pk=rec.pk).update(
                carried_into=target, carried_at=now
            )
        RecommendationUpdate.objects.bulk_create(
            RecommendationUpdate(
                county_id=plan.county_id,
                recommendation=rec,
                from_status=rec.status,
                to_status=rec.status,
                note=_("Carried from %(a)s into %(b)s at close-out.")
                % {"a": plan.fiscal_year, "b": target.fiscal_year},
                carried_into=target,
                by=membership.user,
                at=now,
            )
            for rec in moving
        )
        close_out.carried_into, close_out.closed_at, close_out.closed_by = (
            target,
            now,
            membership.user,
        )
        close_out.save(update_fields=["carried_into", "closed_at", "closed_by"])
        record(
            close_out,
            membership,
            "learning.closeout.carry",
            _("Cycle %(a)s closed out: %(n)d open recommendation(s) carried into %(b)s")
            % {"a": plan.fiscal_year, "n": len(moving), "b": target.fiscal_year},
            next_plan=target.pk,
            recommendations=",".join(str(r.pk) for r in moving),
        )
    return target, len(moving)
