"""Platform admins see the joint work plans of every county (an explicit national
roll-up, see ``CountyOwnedAdmin``). Counties work in the app, not here: writes made
here bypass the services' rules, so the plan pages stay the place to change a plan."""

from django.contrib import admin

from jwp.admin import CountyOwnedAdmin
from workplans import models


@admin.register(models.JointWorkPlan)
class JointWorkPlanAdmin(CountyOwnedAdmin):
    list_display = ["title", "county", "fiscal_year", "version", "status", "locked_at"]
    list_filter = ["status", "county"]
    list_select_related = ["county"]
    search_fields = ["title"]
    raw_id_fields = ["lead_agency", "amends", "created_by"]


@admin.register(models.JointActivity)
class JointActivityAdmin(CountyOwnedAdmin):
    list_display = ["title", "county", "plan", "sector", "lead_organization", "status"]
    list_select_related = ["county", "plan", "sector", "lead_organization"]
    search_fields = ["title"]
    raw_id_fields = ["plan", "objective", "lead_organization", "created_by"]


@admin.register(models.Signature)
class SignatureAdmin(CountyOwnedAdmin):
    list_display = ["plan", "county", "capacity", "organization", "signer_name", "signed_at"]
    list_select_related = ["county", "plan", "organization"]
    raw_id_fields = ["plan", "organization", "signed_by"]


_SIMPLE = [
    (models.CidpProgramme, ["code", "name", "county", "sector"]),
    (models.Objective, ["statement", "county", "plan", "priority_area"]),
    (models.Risk, ["description", "county", "plan", "likelihood", "impact"]),
    (models.ReviewMilestone, ["deliverable", "county", "plan", "review_date", "status"]),
    (models.Annex, ["title", "county", "plan", "uploaded_at"]),
    (models.BudgetComponent, ["name", "county", "order", "is_active"]),
    (models.BudgetLine, ["activity", "county", "contributor", "amount", "currency"]),
    (models.Commitment, ["activity", "county", "contributor", "amount", "currency", "status"]),
    (models.Disbursement, ["commitment", "county", "disbursed_on", "amount", "currency"]),
    (models.OverlapFlag, ["plan", "county", "reason", "resolution", "detected_at"]),
]

for _model, _columns in _SIMPLE:
    admin.site.register(
        _model,
        type(
            f"{_model.__name__}Admin",
            (CountyOwnedAdmin,),
            {
                "list_display": _columns,
                "raw_id_fields": [
                    f.name
                    for f in _model._meta.get_fields()
                    if f.many_to_one and f.name != "county"
                ],
            },
        ),
    )
