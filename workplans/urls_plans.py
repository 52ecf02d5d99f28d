"""Routes of the plans area (mounted by workplans/urls.py): the plan, its sections,
its activities and sector views, and its workflow."""

from django.urls import path

from workplans.views import plans as views
from workplans.views import workflow

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("new/", views.plan_new, name="plan_new"),
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/<int:programme_id>/", views.programme_list, name="programme_edit"),
    path("<int:plan_id>/", views.plan_detail, name="plan"),
    path("<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:plan_id>/advance/", views.plan_advance, name="plan_advance"),
    path("<int:plan_id>/steps/<str:step>/", workflow.plan_step, name="plan_step"),
    path("<int:plan_id>/amend/", views.plan_amend, name="plan_amend"),
    path("<int:plan_id>/differences/", views.plan_differences, name="plan_differences"),
    path("<int:plan_id>/objectives/", views.objective_list, name="objectives"),
    path("objectives/<int:objective_id>/", views.objective_edit, name="objective_edit"),
    path("objectives/<int:objective_id>/delete/", views.objective_delete, name="objective_delete"),
    path("<int:plan_id>/activities/", views.activity_list, name="activities"),
    path("<int:plan_id>/activities/new/", views.activity_new, name="activity_new"),
    path("<int:plan_id>/sectors/<int:sector_id>/", views.sector_view, name="sector"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity"),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/delete/", views.activity_delete, name="activity_delete"),
    path("<int:plan_id>/risks/", views.risk_list, name="risks"),
    path("risks/<int:risk_id>/", views.risk_edit, name="risk_edit"),
    path("risks/<int:risk_id>/delete/", views.risk_delete, name="risk_delete"),
    path("<int:plan_id>/milestones/", views.milestone_list, name="milestones"),
    path("milestones/<int:milestone_id>/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:milestone_id>/delete/", views.milestone_delete, name="milestone_delete"),
    path("<int:plan_id>/annexes/", views.annex_list, name="annexes"),
    path("annexes/<int:annex_id>/", views.annex_download, name="annex"),
    path("annexes/<int:annex_id>/delete/", views.annex_delete, name="annex_delete"),
    path("signatures/<int:signature_id>/sign/", workflow.signature_sign, name="signature_sign"),
]
