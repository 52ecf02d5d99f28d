"""/api/v1/: every app adds its endpoints here, county-owned ones under the county."""

from django.urls import include, path

from counties import api as counties_api

county_patterns = [
    path("subcounties/", counties_api.SubCountyList.as_view(), name="subcounties"),
    path("wards/", counties_api.WardList.as_view(), name="wards"),
    path("sectors/", counties_api.SectorList.as_view(), name="sectors"),
    path("organizations/", counties_api.OrganizationList.as_view(), name="organizations"),
    path("members/", counties_api.MemberList.as_view(), name="members"),
]

app_name = "api"
urlpatterns = [
    path("counties/", counties_api.CountyList.as_view(), name="counties"),
    path("counties/<slug:county_slug>/", include(county_patterns)),
]
