"""/api/v1/: every app adds its endpoints here, county-owned ones under the county."""

from django.urls import include, path

from counties import api as counties_api
from learning import api as learning_api
from monitoring import api as monitoring_api
from progress import api as progress_api
from sectorplans import api as sectorplans_api
from workplans import api as workplans_api

county_patterns = [
    path("subcounties/", counties_api.SubCountyList.as_view(), name="subcounties"),
    path("wards/", counties_api.WardList.as_view(), name="wards"),
    path("sectors/", counties_api.SectorList.as_view(), name="sectors"),
    path("organizations/", counties_api.OrganizationList.as_view(), name="organizations"),
    path("members/", counties_api.MemberList.as_view(), name="members"),
    path("offices/", counties_api.OfficeList.as_view(), name="offices"),
    path("stakeholders/", counties_api.StakeholderList.as_view(), name="stakeholders"),
    path("structures/", counties_api.StructureList.as_view(), name="structures"),
    path("meetings/", counties_api.MeetingList.as_view(), name="meetings"),
    path("meetings/<int:meeting_id>/", counties_api.MeetingDetail.as_view(), name="meeting"),
    path("sector-plans/", sectorplans_api.PlanList.as_view(), name="sector_plans"),
    path(
        "sector-plans/<int:plan_id>/steps/",
        sectorplans_api.StepList.as_view(),
        name="sector_plan_steps",
    ),
    path(
        "sector-plans/<int:plan_id>/steps/<int:number>/complete/",
        sectorplans_api.StepComplete.as_view(),
        name="sector_plan_step_complete",
    ),
    path("public-comments/", sectorplans_api.CommentList.as_view(), name="public_comments"),
    path("work-plans/", workplans_api.PlanList.as_view(), name="work_plans"),
    path("work-plans/<int:plan_id>/", workplans_api.PlanDetail.as_view(), name="work_plan"),
    path(
        "work-plans/<int:plan_id>/activities/",
        workplans_api.ActivityList.as_view(),
        name="work_plan_activities",
    ),
    path(
        "work-plans/<int:plan_id>/budget-lines/",
        workplans_api.BudgetLineList.as_view(),
        name="work_plan_budget_lines",
    ),
    path(
        "work-plans/<int:plan_id>/commitments/",
        workplans_api.CommitmentList.as_view(),
        name="work_plan_commitments",
    ),
    path(
        "commitments/<int:commitment_id>/",
        workplans_api.CommitmentDetail.as_view(),
        name="commitment",
    ),
    path(
        "work-plans/<int:plan_id>/indicator-figures/",
        monitoring_api.PlanFigures.as_view(),
        name="work_plan_indicator_figures",
    ),
    path("indicators/", monitoring_api.IndicatorList.as_view(), name="indicators"),
    path("indicator-targets/", monitoring_api.TargetList.as_view(), name="indicator_targets"),
    path("results/", monitoring_api.ResultList.as_view(), name="results"),
    path("results/<int:result_id>/", monitoring_api.ResultDetail.as_view(), name="result"),
    path("lessons/", learning_api.LessonList.as_view(), name="lessons"),
    path("evaluations/", learning_api.EvaluationList.as_view(), name="evaluations"),
    path("recommendations/", learning_api.RecommendationList.as_view(), name="recommendations"),
    path("activity-progress/", progress_api.ProgressList.as_view(), name="activity_progress"),
    path("expenditures/", progress_api.ExpenditureList.as_view(), name="expenditures"),
    path("adaptations/", progress_api.AdaptationList.as_view(), name="adaptations"),
]

app_name = "api"
urlpatterns = [
    path("counties/", counties_api.CountyList.as_view(), name="counties"),
    path("counties/<slug:county_slug>/", include(county_patterns)),
]
