"""Pages of the plan's learning area: overview, pause and reflect, lessons, briefs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jwp import visibility
from jwp.access import county_view, get_in_county, require
from jwp.pagination import paginate
from learning import forms, selectors, services
from learning.models import (
    Evaluation,
    LearningBrief,
    LearningQuestion,
    Lesson,
    MonitoringVisit,
    PauseAndReflect,
    ReflectionAnswer,
)
from learning.views.common import context, plan_of, post_and_back, submit


@county_view()
def overview(request, plan_id: int):
    plan = plan_of(request, plan_id)
    county = request.county
    counts = {
        "sessions": PauseAndReflect.objects.for_county(county).filter(plan=plan).count(),
        "lessons": Lesson.objects.for_county(county).filter(plan=plan).count(),
        "briefs": LearningBrief.objects.for_county(county)
        .filter(plan=plan)
        .filter(visibility.briefs(membership=request.membership))
        .count(),
        "visits": MonitoringVisit.objects.for_county(county).filter(plan=plan).count(),
        "evaluations": Evaluation.objects.for_county(county).filter(plan=plan).count(),
    }
    return render(
        request,
        "learning/overview.html",
        context(
            request,
            plan,
            "overview",
            counts=counts,
            recommendations=list(selectors.open_recommendations(plan)),
        ),
    )


# --- pause and reflect ------------------------------------------------------------------


def _session_initial(session: PauseAndReflect) -> dict:
    return {
        **{f: getattr(session, f) for f in services.reflection.SESSION_FIELDS},
        "organizations": list(session.organizations.all()),
        "members": list(session.members.all()),
        "row_version": session.row_version,
    }


def _save_session(request, plan, session=None):
    def action(data):
        data = dict(data)
        saved = services.session_save(
            membership=request.membership,
            plan=plan,
            session=session,
            row_version=data.pop("row_version"),
            organizations=list(data.pop("organizations")),
            members=list(data.pop("members")),
            **data,
        )
        request._saved = saved

    return action


@county_view()
def sessions(request, plan_id: int):
    plan = plan_of(request, plan_id)
    form = forms.SessionForm(request.POST or None, county=request.county)
    if request.method == "POST":
        require(services.is_secretariat(request.membership))
        done = submit(
            request,
            form,
            _save_session(request, plan),
            success=_("Pause and reflect session recorded. Now record the answers."),
            to=reverse("learning:sessions", args=[request.county.slug, plan.pk]),
        )
        if done:
            return done
    rows = (
        PauseAndReflect.objects.for_county(request.county)
        .filter(plan=plan)
        .annotate(answer_count=Count("answers"))
        .order_by("-held_on", "-pk")
    )
    return render(
        request,
        "learning/session_list.html",
        context(request, plan, "sessions", page=paginate(request, rows), form=form),
    )


@county_view()
def session_detail(request, session_id: int):
    session = get_in_county(
        PauseAndReflect.objects.select_related("plan", "county"), request.county, pk=session_id
    )
    plan = session.plan
    form = forms.SessionForm(
        request.POST or None, county=request.county, initial=_session_initial(session)
    )
    if request.method == "POST":
        require(services.is_secretariat(request.membership))
        done = submit(
            request,
            form,
            _save_session(request, plan, session),
            success=_("Session saved."),
            to=session.get_absolute_url(),
        )
        if done:
            return done
    answers = list(
        ReflectionAnswer.objects.for_county(request.county)
        .filter(session=session)
        .select_related("created_by")
    )
    by_question = [
        (value, label, [a for a in answers if a.question == value])
        for value, label in LearningQuestion.choices
    ]
    return render(
        request,
        "learning/session_detail.html",
        context(
            request,
            plan,
            "sessions",
            session=session,
            by_question=by_question,
            organizations=list(session.organizations.order_by("name")),
            members=list(session.members.select_related("user")),
            form=form,
            answer_form=forms.AnswerForm(),
            lessons=list(Lesson.objects.for_county(request.county).filter(session=session)),
        ),
    )


@county_view()
@require_POST
def answer_add(request, session_id: int):
    session = get_in_county(PauseAndReflect, request.county, pk=session_id)
    form = forms.AnswerForm(request.POST)
    return post_and_back(
        request,
        form,
        lambda d: services.answer_add(membership=request.membership, session=session, **d),
        success=_("Answer recorded."),
        to=session.get_absolute_url() + "#answers",
    )


@county_view()
@require_POST
def answer_delete(request, answer_id: int):
    answer = get_in_county(
        ReflectionAnswer.objects.select_related("session__county"), request.county, pk=answer_id
    )
    services.answer_delete(membership=request.membership, answer=answer)
    messages.success(request, _("Answer removed."))
    return redirect(answer.session.get_absolute_url() + "#answers")


# --- lessons -----------------------------------------------------------------------------


def _lesson_action(request, plan, lesson=None):
    def action(data):
        data = dict(data)
        services.lesson_save(
            membership=request.membership,
            plan=plan,
            lesson=lesson,
            row_version=data.pop("row_version"),
            sectors=list(data.pop("sectors")),
            **data,
        )

    return action


def _search(request, *, plan=None):
    search = forms.LessonSearchForm(request.GET or None, county=request.county)
    filters = search.cleaned_data if search.is_valid() else {}
    rows = selectors.search_lessons(
        county=request.county,
        plan=plan,
        q=filters.get("q", ""),
        sector=filters.get("sector"),
        theme=filters.get("theme", ""),
        source=filters.get("source", ""),
    )
    return search, paginate(request, rows), any(filters.values())


@county_view()
def plan_lessons(request, plan_id: int):
    plan = plan_of(request, plan_id)
    can_add = services.can_add_lesson(request.membership, plan)
    initial = {"sectors": [request.membership.sector]} if request.membership.sector_id else {}
    form = forms.LessonForm(request.POST or None, county=request.county, plan=plan, initial=initial)
    if request.method == "POST":
        require(can_add)
        done = submit(
            request,
            form,
            _lesson_action(request, plan),
            success=_("Lesson added to the repository."),
            to=reverse("learning:plan_lessons", args=[request.county.slug, plan.pk]),
        )
        if done:
            return done
    search, page, filtered = _search(request, plan=plan)
    return render(
        request,
        "learning/plan_lessons.html",
        context(
            request,
            plan,
            "lessons",
            search=search,
            page=page,
            filtered=filtered,
            form=form,
            can_add=can_add,
        ),
    )


@county_view()
def lesson_search(request):
    """The county-wide lessons repository, across every plan."""
    search, page, filtered = _search(request)
    return render(
        request,
        "learning/lesson_search.html",
        {"search": search, "page": page, "filtered": filtered},
    )


@county_view()
def lesson_detail(request, lesson_id: int):
    lesson = get_in_county(
        Lesson.objects.select_related(
            "plan", "county", "session", "visit", "evaluation", "created_by"
        ),
        request.county,
        pk=lesson_id,
    )
    plan = lesson.plan
    can_edit = services.can_edit_lesson(request.membership, lesson)
    initial = {
        "title": lesson.title,
        "text": lesson.text,
        "evidence": lesson.evidence,
        "sectors": list(lesson.sectors.all()),
        "themes": [t.theme for t in lesson.theme_rows.all()],
        "source": lesson.source,
        "session": lesson.session,
        "visit": lesson.visit,
        "evaluation": lesson.evaluation,
        "source_note": lesson.source_note,
        "row_version": lesson.row_version,
    }
    form = forms.LessonForm(request.POST or None, county=request.county, plan=plan, initial=initial)
    if request.method == "POST":
        require(can_edit)
        done = submit(
            request,
            form,
            _lesson_action(request, plan, lesson),
            success=_("Lesson saved."),
            to=lesson.get_absolute_url(),
        )
        if done:
            return done
    return render(
        request,
        "learning/lesson_detail.html",
        context(
            request,
            plan,
            "lessons",
            lesson=lesson,
            sectors=initial["sectors"],
            themes=list(lesson.theme_rows.all()),
            form=form,
            can_edit=can_edit,
        ),
    )


@county_view()
@require_POST
def lesson_delete(request, lesson_id: int):
    lesson = get_in_county(
        Lesson.objects.select_related("plan", "county"), request.county, pk=lesson_id
    )
    services.lesson_delete(membership=request.membership, lesson=lesson)
    messages.success(request, _("Lesson removed."))
    return redirect("learning:plan_lessons", request.county.slug, lesson.plan_id)


# --- learning briefs ------------------------------------------------------------------------


def _brief_action(request, plan, form, brief=None):
    def action(data):
        services.brief_save(
            membership=request.membership,
            plan=plan,
            brief=brief,
            row_version=data.get("row_version"),
            title=data["title"],
            summary=data["summary"],
            lessons=form.ordered_lessons(request.POST),
        )

    return action


@county_view()
def briefs(request, plan_id: int):
    plan = plan_of(request, plan_id)
    form = forms.BriefForm(request.POST or None, county=request.county, plan=plan)
    if request.method == "POST":
        require(services.is_secretariat(request.membership))
        done = submit(
            request,
            form,
            _brief_action(request, plan, form),
            success=_("Learning brief saved as a draft."),
            to=reverse("learning:briefs", args=[request.county.slug, plan.pk]),
        )
        if done:
            return done
    rows = (
        LearningBrief.objects.for_county(request.county)
        .filter(plan=plan)
        .filter(visibility.briefs(membership=request.membership))
        .annotate(lesson_count=Count("entries"))
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "learning/brief_list.html",
        context(
            request, plan, "briefs", page=paginate(request, rows), form=form, picker=form.picker()
        ),
    )


def _brief(request, brief_id: int) -> LearningBrief:
    brief = get_in_county(
        LearningBrief.objects.select_related("plan", "county"), request.county, pk=brief_id
    )
    if not visibility.brief(membership=request.membership, brief=brief):
        raise PermissionDenied  # drafts are the secretariat's until published
    return brief


def _brief_lessons(brief) -> list[Lesson]:
    entries = brief.entries.select_related("lesson").prefetch_related(
        "lesson__sectors", "lesson__theme_rows"
    )
    return [e.lesson for e in entries]


@county_view()
def brief_detail(request, brief_id: int):
    brief = _brief(request, brief_id)
    plan = brief.plan
    lessons = _brief_lessons(brief)
    form = forms.BriefForm(
        request.POST or None,
        county=request.county,
        plan=plan,
        initial={
            "title": brief.title,
            "summary": brief.summary,
            "lessons": lessons,
            "row_version": brief.row_version,
        },
    )
    if request.method == "POST":
        require(services.is_secretariat(request.membership))
        done = submit(
            request,
            form,
            _brief_action(request, plan, form, brief),
            success=_("Learning brief saved."),
            to=brief.get_absolute_url(),
        )
        if done:
            return done
    order = {lesson.pk: i + 1 for i, lesson in enumerate(lessons)}
    return render(
        request,
        "learning/brief_detail.html",
        context(
            request,
            plan,
            "briefs",
            brief=brief,
            lessons=lessons,
            form=form,
            picker=form.picker(order),
        ),
    )


@county_view()
@require_POST
def brief_status(request, brief_id: int):
    brief = _brief(request, brief_id)
    form = forms.BriefStatusForm(request.POST)
    return post_and_back(
        request,
        form,
        lambda d: services.brief_set_status(membership=request.membership, brief=brief, **d),
        success=_("Learning brief status changed."),
        to=brief.get_absolute_url(),
    )


@county_view()
def brief_print(request, brief_id: int):
    """A clean page to print or save as PDF from the browser (no navigation)."""
    brief = _brief(request, brief_id)
    return render(
        request,
        "learning/brief_print.html",
        {"brief": brief, "plan": brief.plan, "lessons": _brief_lessons(brief)},
    )
