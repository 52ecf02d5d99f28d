"""Evaluation pages (ratings, recommendations followed to closure) and the close-out."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jwp.access import county_view, get_in_county, require
from learning import forms, selectors, services
from learning.models import (
    OPEN_STATUSES,
    CloseOut,
    CriterionRating,
    Evaluation,
    Recommendation,
    RecommendationUpdate,
)
from learning.views.common import context, plan_of, post_and_back, submit


def _evaluation_action(request, plan, evaluation=None):
    def action(data):
        data = dict(data)
        services.evaluation_save(
            membership=request.membership,
            plan=plan,
            evaluation=evaluation,
            row_version=data.pop("row_version"),
            **data,
        )

    return action


@county_view()
def evaluations(request, plan_id: int):
    plan = plan_of(request, plan_id)
    form = forms.EvaluationForm(request.POST or None)
    if request.method == "POST":
        require(services.is_secretariat(request.membership))
        done = submit(
            request,
            form,
            _evaluation_action(request, plan),
            success=_("Evaluation recorded. Now rate the six criteria."),
            to=reverse("learning:evaluations", args=[request.county.slug, plan.pk]),
        )
        if done:
            return done
    ratings = CriterionRating.objects.for_county(request.county).order_by("pk")
    rows = list(
        Evaluation.objects.for_county(request.county)
        .filter(plan=plan)
        .select_related("county", "plan")
        .annotate(
            recommendation_count=Count("recommendations", distinct=True),
            open_count=Count(
                "recommendations",
                filter=Q(
                    recommendations__status__in=OPEN_STATUSES,
                    recommendations__carried_into__isnull=True,
                ),
                distinct=True,
            ),
            carried_count=Count(
                "recommendations",
                filter=Q(recommendations__carried_into__isnull=False),
                distinct=True,
            ),
        )
        .prefetch_related(Prefetch("ratings", queryset=ratings, to_attr="rating_rows"))
    )
    return render(
        request,
        "learning/evaluation_list.html",
        context(
            request,
            plan,
            "evaluations",
            rows=rows,
            form=form,
            recommendations=list(selectors.open_recommendations(plan)),
        ),
    )


def _evaluation(request, evaluation_id: int) -> Evaluation:
    return get_in_county(
        Evaluation.objects.select_related("plan", "county"), request.county, pk=evaluation_id
    )


@county_view()
def evaluation_detail(request, evaluation_id: int):
    evaluation = _evaluation(request, evaluation_id)
    plan = evaluation.plan
    ratings = {
        r.criterion: r
        for r in CriterionRating.objects.for_county(request.county).filter(evaluation=evaluation)
    }
    initial = {"row_version": evaluation.row_version}
    for criterion, row in ratings.items():
        initial[f"rating_{criterion}"] = row.rating
        initial[f"findings_{criterion}"] = row.findings
    form = forms.RatingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require(services.is_secretariat(request.membership))
        done = submit(
            request,
            form,
            lambda d: services.ratings_save(
                membership=request.membership,
                evaluation=evaluation,
                ratings=form.ratings(),
                row_version=d["row_version"],
            ),
            success=_("Ratings saved."),
            to=evaluation.get_absolute_url(),
        )
        if done:
            return done
    recs = list(
        Recommendation.objects.for_county(request.county)
        .filter(evaluation=evaluation)
        .select_related("county", "responsible_organization", "responsible_user", "carried_into")
    )
    return render(
        request,
        "learning/evaluation_detail.html",
        context(
            request,
            plan,
            "evaluations",
            evaluation=evaluation,
            criteria=[(c, ratings.get(c.value)) for c in forms.Criterion],
            form=form,
            recommendations=recs,
            recommendation_form=forms.RecommendationForm(county=request.county),
            edit_form=forms.EvaluationForm(
                initial={
                    **{f: getattr(evaluation, f) for f in services.evaluations.EVALUATION_FIELDS},
                    "row_version": evaluation.row_version,
                }
            ),
        ),
    )


@county_view()
@require_POST
def evaluation_edit(request, evaluation_id: int):
    evaluation = _evaluation(request, evaluation_id)
    return post_and_back(
        request,
        forms.EvaluationForm(request.POST),
        _evaluation_action(request, evaluation.plan, evaluation),
        success=_("Evaluation saved."),
        to=evaluation.get_absolute_url(),
    )


@county_view()
@require_POST
def recommendation_add(request, evaluation_id: int):
    evaluation = _evaluation(request, evaluation_id)
    form = forms.RecommendationForm(request.POST, county=request.county)

    def action(d):
        member = d.pop("responsible_user")
        services.recommendation_add(
            membership=request.membership,
            evaluation=evaluation,
            responsible_user=member.user if member else None,
            **d,
        )

    return post_and_back(
        request,
        form,
        action,
        success=_("Recommendation added."),
        to=evaluation.get_absolute_url() + "#recommendations",
    )


@county_view()
def recommendation_detail(request, recommendation_id: int):
    rec = get_in_county(
        Recommendation.objects.select_related(
            "county",
            "plan",
            "evaluation",
            "responsible_organization",
            "responsible_user",
            "carried_into",
        ),
        request.county,
        pk=recommendation_id,
    )
    can_update = services.can_update_recommendation(request.membership, rec)
    form = forms.RecommendationStatusForm(
        request.POST or None, initial={"row_version": rec.row_version}
    )
    if request.method == "POST":
        require(can_update)
        done = submit(
            request,
            form,
            lambda d: services.recommendation_set_status(
                membership=request.membership, recommendation=rec, **d
            ),
            success=_("Recommendation updated."),
            to=rec.get_absolute_url(),
        )
        if done:
            return done
    history = list(
        RecommendationUpdate.objects.for_county(request.county)
        .filter(recommendation=rec)
        .select_related("by", "carried_into")
    )
    shown_plan = rec.carried_into or rec.plan
    return render(
        request,
        "learning/recommendation_detail.html",
        context(
            request,
            shown_plan,
            "evaluations",
            rec=rec,
            history=history,
            form=form,
            can_update=can_update,
        ),
    )


# --- close-out --------------------------------------------------------------------------------


@county_view()
def close_out(request, plan_id: int):
    plan = plan_of(request, plan_id)
    row = (
        CloseOut.objects.for_county(request.county)
        .filter(plan=plan)
        .select_related("carried_into", "closed_by")
        .first()
    )
    initial = {}
    if row is not None:
        initial = {
            "achievements": row.achievements,
            "challenges": row.challenges,
            "lessons_summary": row.lessons_summary,
            "lessons": list(row.lessons.all()),
            "row_version": row.row_version,
        }
    form = forms.CloseOutForm(
        request.POST or None, county=request.county, plan=plan, initial=initial
    )
    if request.method == "POST":
        require(services.is_secretariat(request.membership))

        def action(d):
            d = dict(d)
            services.close_out_save(
                membership=request.membership, plan=plan, lessons=list(d.pop("lessons")), **d
            )

        done = submit(
            request,
            form,
            action,
            success=_("Close-out summary saved."),
            to=reverse("learning:close_out", args=[request.county.slug, plan.pk]),
        )
        if done:
            return done
    return render(
        request,
        "learning/close_out.html",
        context(
            request,
            plan,
            "close_out",
            close_out=row,
            chosen=list(row.lessons.all()) if row else [],
            form=form,
            recommendations=list(selectors.open_recommendations(plan)),
            carried=list(
                Recommendation.objects.for_county(request.county)
                .filter(plan=plan, carried_into__isnull=False)
                .select_related("county", "plan", "evaluation", "responsible_organization")
                .select_related("responsible_user")
            ),
            next_plan=services.next_plan(plan),
        ),
    )


@county_view()
@require_POST
def close_out_carry(request, plan_id: int):
    plan = plan_of(request, plan_id)
    try:
        target, moved = services.close_out_carry(membership=request.membership, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Cycle closed out: %(n)d open recommendation(s) carried into %(fy)s.")
            % {"n": moved, "fy": target.fiscal_year},
        )
    return redirect("learning:close_out", request.county.slug, plan.pk)
