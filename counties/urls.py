from django.urls import path

from counties.views import members as views

app_name = "counties"

# Mounted under /<county_slug>/ by jwp/urls.py.
urlpatterns = [
    path("", views.county_home, name="home"),
    path("members/", views.member_list, name="members"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/<int:member_id>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:member_id>/revoke/", views.member_revoke, name="member_revoke"),
    path(
        "invitations/<int:invitation_id>/<str:action>/",
        views.invitation_action,
        name="invitation_action",
    ),
    path("join/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("sectors/", views.sector_list, name="sectors"),
    path("sectors/new/", views.sector_edit, name="sector_new"),
    path("sectors/<int:sector_id>/edit/", views.sector_edit, name="sector_edit"),
    path("organizations/", views.organization_list, name="organizations"),
    path(
        "organizations/<int:organization_id>/",
        views.organization_detail,
        name="organization",
    ),
    path(
        "organizations/<int:organization_id>/edit/",
        views.organization_edit,
        name="organization_edit",
    ),
    path("audit/", views.audit_log, name="audit"),
]
