"""/api/v1/: every app adds its endpoints here, county-owned ones under the county."""

from django.urls import include, path

from counties import api as counties_api

county_patterns = [
    path("subcounties/", counties_api.SubCountyList.as_view(), name="subcounties"),
    path("wards/", counties_api.WardList.as_view(), name="wards"),
    path("sectors/", counties_api.SectorList.as_view(), name="sectors"),
    path("organizations/", counties_api.OrganizationList.as_view(), name="organizations"),
    path("members/", counties_api.MemberList.as_view(), name="members"),
    path("stakeholders/", counties_api.StakeholderList.as_view(), name="stakeholders"),
    path("structures/", counties_api.StructureList.as_view(), name="structures"),
    path("meetings/", counties_api.MeetingList.as_view(), name="meetings"),
    path("meetings/<int:meeting_id>/", counties_api.MeetingDetail.as_view(), name="meeting"),
]

app_name = "api"
urlpatterns = [
    path("counties/", counties_api.CountyList.as_view(), name="counties"),
    path("counties/<slug:county_slug>/", include(county_patterns)),
]
