"""Routes of the budget area (mounted by workplans/urls.py)."""

from django.urls import path

from workplans.views import budget as views

urlpatterns = [
    path("<int:plan_id>/budget/", views.budget_summary, name="budget"),
    path("<int:plan_id>/budget/lines/", views.budget_lines, name="budget_lines"),
    path("<int:plan_id>/budget/lines/new/", views.budget_line_new, name="budget_line_new"),
    path("budget-lines/<int:line_id>/", views.budget_line_edit, name="budget_line"),
    path("budget-lines/<int:line_id>/delete/", views.budget_line_delete, name="budget_line_delete"),
    path("<int:plan_id>/commitments/", views.commitments, name="commitments"),
    path("<int:plan_id>/reconciliation/", views.reconciliation, name="reconciliation"),
    path("<int:plan_id>/commitments/new/", views.commitment_new, name="commitment_new"),
    path("commitments/<int:commitment_id>/", views.commitment_detail, name="commitment"),
    path(
        "commitments/<int:commitment_id>/confirm/",
        views.commitment_confirm,
        name="commitment_confirm",
    ),
    path(
        "commitments/<int:commitment_id>/withdraw/",
        views.commitment_withdraw,
        name="commitment_withdraw",
    ),
    path(
        "commitments/<int:commitment_id>/disbursements/",
        views.disbursement_new,
        name="disbursement_new",
    ),
]
