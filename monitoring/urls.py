"""Mounted under /<county_slug>/monitoring/ by jwp/urls.py."""

from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("plans/<int:plan_id>/", views.plan_monitoring, name="plan"),
    path("plans/<int:plan_id>/dashboard/", views.plan_dashboard, name="dashboard"),
    path("plans/<int:plan_id>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<int:indicator_id>/", views.indicator_detail, name="indicator"),
    path("indicators/<int:indicator_id>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:indicator_id>/delete/", views.indicator_delete, name="indicator_delete"),
    path("indicators/<int:indicator_id>/targets/", views.indicator_targets, name="targets"),
    path("results/<int:result_id>/", views.result_detail, name="result"),
    path("results/<int:result_id>/submit/", views.result_submit, name="result_submit"),
    path("results/<int:result_id>/verify/", views.result_verify, name="result_verify"),
    path("results/<int:result_id>/return/", views.result_return, name="result_return"),
    path("results/<int:result_id>/comments/", views.comment_add, name="comment_add"),
    path("results/<int:result_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("evidence/<int:evidence_id>/delete/", views.evidence_delete, name="evidence_delete"),
    path("awaiting-verification/", views.awaiting_verification, name="awaiting"),
    path("thresholds/", views.thresholds, name="thresholds"),
]
