"""Mounted under /<county_slug>/learning/ by jwp/urls.py."""

from django.urls import path

from learning.views import evaluations, reflection, visits

app_name = "learning"
urlpatterns = [
    path("plans/<int:plan_id>/", reflection.overview, name="plan"),
    # pause and reflect
    path("plans/<int:plan_id>/sessions/", reflection.sessions, name="sessions"),
    path("sessions/<int:session_id>/", reflection.session_detail, name="session"),
    path("sessions/<int:session_id>/answers/", reflection.answer_add, name="answer_add"),
    path("answers/<int:answer_id>/delete/", reflection.answer_delete, name="answer_delete"),
    # lessons repository
    path("lessons/", reflection.lesson_search, name="lessons"),
    path("plans/<int:plan_id>/lessons/", reflection.plan_lessons, name="plan_lessons"),
    path("lessons/<int:lesson_id>/", reflection.lesson_detail, name="lesson"),
    path("lessons/<int:lesson_id>/delete/", reflection.lesson_delete, name="lesson_delete"),
    # learning briefs
    path("plans/<int:plan_id>/briefs/", reflection.briefs, name="briefs"),
    path("briefs/<int:brief_id>/", reflection.brief_detail, name="brief"),
    path("briefs/<int:brief_id>/status/", reflection.brief_status, name="brief_status"),
    path("briefs/<int:brief_id>/print/", reflection.brief_print, name="brief_print"),
    # joint monitoring visits
    path("plans/<int:plan_id>/visits/", visits.visits, name="visits"),
    path("visits/<int:visit_id>/", visits.visit_detail, name="visit"),
    path("visits/<int:visit_id>/findings/", visits.finding_add, name="finding_add"),
    path("visits/<int:visit_id>/photos/", visits.photo_add, name="photo_add"),
    path("visits/<int:visit_id>/actions/", visits.action_add, name="action_add"),
    path("photos/<int:photo_id>/", visits.photo, name="photo"),
    path("photos/<int:photo_id>/delete/", visits.photo_delete, name="photo_delete"),
    path("actions/<int:visit_action_id>/status/", visits.action_status, name="action_status"),
    # evaluations and recommendations
    path("plans/<int:plan_id>/evaluations/", evaluations.evaluations, name="evaluations"),
    path("evaluations/<int:evaluation_id>/", evaluations.evaluation_detail, name="evaluation"),
    path(
        "evaluations/<int:evaluation_id>/edit/", evaluations.evaluation_edit, name="evaluation_edit"
    ),
    path(
        "evaluations/<int:evaluation_id>/recommendations/",
        evaluations.recommendation_add,
        name="recommendation_add",
    ),
    path(
        "recommendations/<int:recommendation_id>/",
        evaluations.recommendation_detail,
        name="recommendation",
    ),
    # close-out
    path("plans/<int:plan_id>/close-out/", evaluations.close_out, name="close_out"),
    path(
        "plans/<int:plan_id>/close-out/carry/", evaluations.close_out_carry, name="close_out_carry"
    ),
]
