"""Mounted under /<county_slug>/progress/ by jwp/urls.py."""

from django.urls import path

from progress import views

app_name = "progress"
urlpatterns = [
    path("plans/<int:plan_id>/", views.plan_progress, name="plan"),
    path("activities/<int:activity_id>/", views.activity_progress, name="activity"),
    path("plans/<int:plan_id>/feedback/", views.feedback, name="feedback"),
    path("plans/<int:plan_id>/adaptations/", views.adaptations, name="adaptations"),
    path("plans/<int:plan_id>/adaptations/check/", views.check_now, name="check_now"),
    path("adaptations/<int:adaptation_id>/", views.adaptation, name="adaptation"),
    path("plans/<int:plan_id>/reports/", views.reports, name="reports"),
    path("reports/<int:report_id>/", views.report, name="report"),
    path("reports/<int:report_id>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:report_id>/review/", views.report_review, name="report_review"),
    path("reports/<int:report_id>/share/", views.report_share, name="report_share"),
]
