from django.urls import path

from counties.views import (
    contacts,
    imports,
    meetings,
    offices,
    security,
    stakeholders,
    structures,
)
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
    # offices: who holds which named position (DESIGN.md, Offices)
    path("security/", security.security, name="security"),
    path("offices/", offices.office_list, name="offices"),
    path("offices/assign/", offices.office_assign, name="office_assign"),
    path("offices/holdings/<int:holding_id>/end/", offices.office_end, name="office_end"),
    path("organizations/new/", stakeholders.organization_new, name="organization_new"),
    # stakeholder register (manual §9.1)
    path("stakeholders/", stakeholders.stakeholder_list, name="stakeholders"),
    path("stakeholders/matrix/", stakeholders.stakeholder_matrix, name="stakeholder_matrix"),
    path("stakeholders/new/", stakeholders.stakeholder_edit, name="stakeholder_new"),
    path("stakeholders/<int:stakeholder_id>/", stakeholders.stakeholder_detail, name="stakeholder"),
    path(
        "stakeholders/<int:stakeholder_id>/edit/",
        stakeholders.stakeholder_edit,
        name="stakeholder_edit",
    ),
    path(
        "stakeholders/<int:stakeholder_id>/coverage/",
        stakeholders.stakeholder_coverage,
        name="stakeholder_coverage",
    ),
    path(
        "stakeholders/<int:stakeholder_id>/remove/",
        stakeholders.stakeholder_remove,
        name="stakeholder_remove",
    ),
    # coordination structures and nominations
    path("structures/", structures.structure_list, name="structures"),
    path("structures/new/", structures.structure_edit, name="structure_new"),
    path("structures/<int:structure_id>/", structures.structure_detail, name="structure"),
    path("structures/<int:structure_id>/edit/", structures.structure_edit, name="structure_edit"),
    path(
        "structures/<int:structure_id>/terms-of-reference/",
        structures.structure_tor,
        name="structure_tor",
    ),
    path(
        "structures/<int:structure_id>/members/",
        structures.structure_member_add,
        name="structure_member_add",
    ),
    path(
        "structures/<int:structure_id>/members/<int:structure_member_id>/remove/",
        structures.structure_member_remove,
        name="structure_member_remove",
    ),
    path(
        "structures/<int:structure_id>/nominations/",
        structures.nomination_invite,
        name="nomination_invite",
    ),
    path(
        "nominations/<int:nomination_id>/nominate/",
        structures.nomination_nominate,
        name="nomination_nominate",
    ),
    path(
        "nominations/<int:nomination_id>/decide/",
        structures.nomination_decide,
        name="nomination_decide",
    ),
]

# --- meetings and workshops
M = "meetings/<int:meeting_id>/"
urlpatterns += [
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_edit, name="meeting_new"),
    path(M, meetings.meeting_detail, name="meeting"),
    path(f"{M}edit/", meetings.meeting_edit, name="meeting_edit"),
    path(f"{M}attendance/", meetings.attendance_add, name="meeting_attendance_add"),
    path(
        f"{M}attendance/<int:attendance_id>/remove/",
        meetings.attendance_remove,
        name="meeting_attendance_remove",
    ),
    path(f"{M}actions/", meetings.action_item_add, name="meeting_action_add"),
    path(f"{M}actions/<int:action_id>/", meetings.action_item_status, name="meeting_action_status"),
]

# --- contacts (Data Protection Act 2019) and the stakeholder import
C = "contacts/<int:contact_id>/"
urlpatterns += [
    path("contacts/", contacts.contact_list, name="contacts"),
    path("contacts/new/", contacts.contact_edit, name="contact_new"),
    path(C, contacts.contact_detail, name="contact"),
    path(f"{C}edit/", contacts.contact_edit, name="contact_edit"),
    path(f"{C}export.json", contacts.contact_export, {"fmt": "json"}, name="contact_export_json"),
    path(f"{C}export.csv", contacts.contact_export, {"fmt": "csv"}, name="contact_export_csv"),
    path(f"{C}erase/", contacts.contact_erase, name="contact_erase"),
    path("stakeholders/import/", imports.stakeholder_import, name="stakeholder_import"),
    path(
        "stakeholders/import/template.csv",
        imports.import_template,
        {"kind": "csv"},
        name="stakeholder_import_template_csv",
    ),
    path(
        "stakeholders/import/template.xlsx",
        imports.import_template,
        {"kind": "xlsx"},
        name="stakeholder_import_template_xlsx",
    ),
]
