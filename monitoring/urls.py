"""Mounted under /<county_slug>/monitoring/ by jwp/urls.py."""

from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("plans/<int:plan_id>/", views.plan_monitoring, name="plan"),
    path("indicators/<int:indicator_id>/", views.indicator_detail, name="indicator"),
    path("results/<int:result_id>/submit/", views.result_submit, name="result_submit"),
    path("results/<int:result_id>/verify/", views.result_verify, name="result_verify"),
    path("results/<int:result_id>/return/", views.result_return, name="result_return"),
    path("awaiting-verification/", views.awaiting_verification, name="awaiting"),
]
