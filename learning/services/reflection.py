"""Pause and reflect sessions, the lessons repository and learning briefs."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership
from jwp.roles import Role
from learning.models import (
    BriefLesson,
    BriefStatus,
    LearningBrief,
    LearningQuestion,
    Lesson,
    LessonSector,
    LessonSource,
    LessonTheme,
    PauseAndReflect,
    ReflectionAnswer,
    SessionMember,
    SessionOrganization,
    Theme,
)
from learning.services.rules import (
    bump,
    can_add_lesson,
    can_edit_lesson,
    record,
    require_secretariat,
)
from workplans.models import JointWorkPlan

SESSION_FIELDS = (
    "title",
    "held_on",
    "venue",
    "facilitator",
    "other_participants",
    "participant_count",
    "follow_up",
)


def _replace_links(model, county_id, parent_field: str, parent, target_field: str, targets) -> None:
    """Make the through rows of ``parent`` exactly ``targets`` (an M2M of county rows)."""
    rows = model.objects.for_county(county_id).filter(**{parent_field: parent})
    wanted = {t.pk for t in targets}
    rows.exclude(**{f"{target_field}_id__in": wanted}).delete()
    have = set(rows.values_list(f"{target_field}_id", flat=True))
    model.objects.bulk_create(
        model(county_id=county_id, **{parent_field: parent, f"{target_field}_id": pk})
        for pk in wanted - have
    )


# --- pause and reflect ------------------------------------------------------------


def session_save(
    *,
    membership: Membership,
    plan: JointWorkPlan,
    session: PauseAndReflect | None = None,
    row_version: int | None = None,
    organizations: Sequence = (),
    members: Sequence = (),
    **fields,
) -> PauseAndReflect:
    require_secretariat(membership)
    plan.check_same_county(membership, session, *members)
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    if not (fields.get("title") or "").strip():
        raise ValidationError({"title": _("Say what the session reflected on.")})
    if not (fields.get("facilitator") or "").strip():
        raise ValidationError({"facilitator": _("Name the facilitator.")})
    with transaction.atomic():
        if session is None:
            session = PauseAndReflect.objects.create(
                county_id=plan.county_id, plan=plan, created_by=membership.user, **fields
            )
            verb = "learning.session.create"
        else:
            bump(session, row_version, **fields)
            verb = "learning.session.update"
        _replace_links(
            SessionOrganization, plan.county_id, "session", session, "organization", organizations
        )
        _replace_links(SessionMember, plan.county_id, "session", session, "membership", members)
        record(
            session,
            membership,
            verb,
            _("Pause and reflect session “%(t)s” saved") % {"t": session.title},
        )
    return session


def answer_add(
    *, membership: Membership, session: PauseAndReflect, question: str, text: str
) -> ReflectionAnswer:
    require_secretariat(membership)
    session.check_same_county(membership)
    errors = {}
    if question not in LearningQuestion.values:
        errors["question"] = _("Choose one of the learning questions.")
    if not (text or "").strip():
        errors["text"] = _("Write the answer.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        answer = ReflectionAnswer.objects.create(
            county_id=session.county_id,
            session=session,
            question=question,
            text=text.strip(),
            created_by=membership.user,
        )
        record(
            session,
            membership,
            "learning.session.answer",
            _("Answer to “%(q)s” recorded") % {"q": LearningQuestion(question).label},
            answer=answer.pk,
        )
    return answer


def answer_delete(*, membership: Membership, answer: ReflectionAnswer) -> None:
    require_secretariat(membership)
    answer.check_same_county(membership)
    with transaction.atomic():
        session = answer.session
        record(
            session,
            membership,
            "learning.session.answer_delete",
            _("Answer removed: %(t)s") % {"t": answer.text[:200]},
        )
        ReflectionAnswer.objects.for_county(answer.county_id).filter(pk=answer.pk).delete()


# --- lessons -------------------------------------------------------------------------


def _clean_source(plan, source: str, session, visit, evaluation, source_note: str) -> dict:
    if source not in LessonSource.values:
        raise ValidationError({"source": _("Choose where the lesson comes from.")})
    wanted = {"session": session, "visit": visit, "evaluation": evaluation}
    links = {name: (obj if name == source else None) for name, obj in wanted.items()}
    if source in wanted:
        obj = wanted[source]
        if obj is None:
            raise ValidationError(
                {
                    source: _("Choose the %(source)s the lesson comes from.")
                    % {"source": LessonSource(source).label.lower()}
                }
            )
        plan.check_same_county(obj)
        if obj.plan_id != plan.pk:
            raise ValidationError({source: _("That comes from another plan.")})
    return {
        **links,
        "source": source,
        "source_note": source_note if source == LessonSource.OTHER else "",
    }


def lesson_save(
    *,
    membership: Membership,
    plan: JointWorkPlan,
    title: str,
    text: str,
    evidence: str = "",
    sectors: Sequence = (),
    themes: Sequence[str] = (),
    source: str = LessonSource.OTHER,
    session=None,
    visit=None,
    evaluation=None,
    source_note: str = "",
    lesson: Lesson | None = None,
    row_version: int | None = None,
) -> Lesson:
    """Add a lesson to the repository (or change one). See rules for who may."""
    plan.check_same_county(membership, lesson, *sectors)
    if lesson is None and not can_add_lesson(membership, plan):
        raise PermissionDenied(
            _("Only the secretariat, sector leads and the plan's partners add lessons.")
        )
    if lesson is not None and not can_edit_lesson(membership, lesson):
        raise PermissionDenied(_("Only the secretariat and the lesson's author may change it."))
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("State the lesson in one sentence.")
    if not (text or "").strip():
        errors["text"] = _("Say what was learned.")
    if not themes:
        errors["themes"] = _("Tag the lesson with at least one theme.")
    elif set(themes) - set(Theme.values):
        errors["themes"] = _("Choose themes from the list.")
    if membership.role == Role.SECTOR_LEAD and membership.sector_id not in {s.pk for s in sectors}:
        errors["sectors"] = _("Tag the lesson with your sector (%(s)s).") % {"s": membership.sector}
    if errors:
        raise ValidationError(errors)
    fields = {
        "title": title.strip(),
        "text": text.strip(),
        "evidence": (evidence or "").strip(),
        **_clean_source(plan, source, session, visit, evaluation, source_note),
    }
    with transaction.atomic():
        if lesson is None:
            lesson = Lesson.objects.create(
                county_id=plan.county_id, plan=plan, created_by=membership.user, **fields
            )
            verb = "learning.lesson.create"
        else:
            bump(lesson, row_version, **fields)
            verb = "learning.lesson.update"
        _replace_links(LessonSector, plan.county_id, "lesson", lesson, "sector", sectors)
        LessonTheme.objects.for_county(plan.county_id).filter(lesson=lesson).exclude(
            theme__in=themes
        ).delete()
        have = set(
            LessonTheme.objects.for_county(plan.county_id)
            .filter(lesson=lesson)
            .values_list("theme", flat=True)
        )
        LessonTheme.objects.bulk_create(
            LessonTheme(county_id=plan.county_id, lesson=lesson, theme=t)
            for t in sorted(set(themes) - have)
        )
        record(lesson, membership, verb, _("Lesson “%(t)s” saved") % {"t": lesson.title})
    return lesson


def lesson_delete(*, membership: Membership, lesson: Lesson) -> None:
    """The secretariat or the lesson's author removes it (also from briefs and close-outs)."""
    lesson.check_same_county(membership)
    if not can_edit_lesson(membership, lesson):
        raise PermissionDenied(_("Only the secretariat and the lesson's author may remove it."))
    with transaction.atomic():
        record(
            lesson,
            membership,
            "learning.lesson.delete",
            _("Lesson removed: %(t)s") % {"t": lesson.title},
        )
        Lesson.objects.for_county(lesson.county_id).filter(pk=lesson.pk).delete()


# --- learning briefs -----------------------------------------------------------------------


def brief_save(
    *,
    membership: Membership,
    plan: JointWorkPlan,
    title: str,
    summary: str,
    lessons: Sequence[Lesson],
    brief: LearningBrief | None = None,
    row_version: int | None = None,
) -> LearningBrief:
    """``lessons`` in the order the brief presents them."""
    require_secretariat(membership)
    plan.check_same_county(membership, brief, *lessons)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the brief a title.")
    if not (summary or "").strip():
        errors["summary"] = _("Write the brief's summary.")
    if not lessons:
        errors["lessons"] = _("Choose at least one lesson for the brief.")
    if len({lesson.pk for lesson in lessons}) != len(lessons):
        errors["lessons"] = _("A lesson appears twice.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if brief is None:
            brief = LearningBrief.objects.create(
                county_id=plan.county_id,
                plan=plan,
                title=title.strip(),
                summary=summary.strip(),
                created_by=membership.user,
            )
            verb = "learning.brief.create"
        else:
            bump(brief, row_version, title=title.strip(), summary=summary.strip())
            verb = "learning.brief.update"
        BriefLesson.objects.for_county(plan.county_id).filter(brief=brief).delete()
        BriefLesson.objects.bulk_create(
            BriefLesson(county_id=plan.county_id, brief=brief, lesson=lesson, order=i)
            for i, lesson in enumerate(lessons)
        )
        record(
            brief,
            membership,
            verb,
            _("Learning brief “%(t)s” saved") % {"t": brief.title},
            lessons=len(lessons),
        )
    return brief


def brief_set_status(
    *, membership: Membership, brief: LearningBrief, status: str, row_version: int | None = None
) -> None:
    require_secretariat(membership)
    brief.check_same_county(membership)
    if status not in BriefStatus.values:
        raise ValidationError(_("Unknown status."))
    if status == brief.status:
        return
    with transaction.atomic():
        bump(
            brief,
            row_version,
            status=status,
            published_at=timezone.now() if status == BriefStatus.PUBLISHED else None,
        )
        record(
            brief,
            membership,
            f"learning.brief.{status}",
            _("Learning brief “%(t)s”: %(s)s")
            % {"t": brief.title, "s": brief.get_status_display()},
        )
