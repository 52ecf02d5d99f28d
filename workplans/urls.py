"""Mounted under /<county_slug>/work-plans/ by jwp/urls.py; one module per area."""

from workplans import urls_budget, urls_overlaps, urls_plans, urls_spreadsheets

app_name = "workplans"
urlpatterns = [
    *urls_plans.urlpatterns,
    *urls_budget.urlpatterns,
    *urls_overlaps.urlpatterns,
    *urls_spreadsheets.urlpatterns,
]
