"""Mounted under /<county_slug>/documents/ by jwp/urls.py (the public /verify/ page
is a global route: documents.public)."""

from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("for/<slug:kind>/<int:target_id>/", views.target_panel, name="panel"),
    path("<int:job_id>/", views.job_detail, name="job"),
    path("<int:job_id>/status/", views.job_status, name="status"),
    path("<int:job_id>/download/", views.job_download, name="download"),
    path("<int:job_id>/retry/", views.job_retry, name="retry"),
]
