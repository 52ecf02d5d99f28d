from django.urls import path

from sectorplans import views

app_name = "sectorplans"

# Mounted under /<county_slug>/sector-plans/ by jwp/urls.py.
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("new/", views.plan_new, name="plan_new"),
    path("<int:plan_id>/", views.plan_detail, name="plan"),
    path("<int:plan_id>/timeline/", views.plan_timeline, name="timeline"),
    path("<int:plan_id>/revise/", views.plan_revise, name="revise"),
    path("<int:plan_id>/steps/<int:number>/", views.step_detail, name="step"),
    path("<int:plan_id>/documents/new/", views.document_upload, name="document_upload"),
    path("documents/<int:document_id>/", views.document_download, name="document"),
    path("windows/<int:window_id>/", views.window_detail, name="window"),
    # Public: anyone, for published plans and participation windows that have opened.
    path("public/", views.public_home, name="public"),
    path("public/<int:plan_id>/", views.public_plan, name="public_plan"),
    path("public/windows/<int:window_id>/", views.public_window, name="public_window"),
    path("public/documents/<int:document_id>/", views.public_document, name="public_document"),
]
