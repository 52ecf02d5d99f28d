"""Platform admins read progress, reports and adaptation items of every county (an
explicit national roll-up, see ``CountyOwnedAdmin``). Counties work in the app: writes
made here bypass the services' rules and audit trail."""

from django.contrib import admin

from jwp.admin import CountyOwnedAdmin
from progress import models


@admin.register(models.AdaptationItem)
class AdaptationItemAdmin(CountyOwnedAdmin):
    list_display = ["trigger", "county", "plan", "fiscal_year", "quarter", "status", "timeline"]
    list_filter = ["trigger", "status", "county"]
    list_select_related = ["county", "plan"]
    search_fields = ["source_summary", "proposed_action"]
    raw_id_fields = [
        "plan",
        "activity",
        "budget_line",
        "result",
        "feedback",
        "responsible_organization",
        "responsible_user",
        "updated_by",
    ]


@admin.register(models.ProgressReport)
class ProgressReportAdmin(CountyOwnedAdmin):
    list_display = ["plan", "county", "fiscal_year", "quarter", "status", "reviewed_on"]
    list_filter = ["status", "county"]
    list_select_related = ["county", "plan"]
    raw_id_fields = ["plan", "created_by", "submitted_by", "reviewed_by", "shared_by"]


@admin.register(models.ActivityProgress)
class ActivityProgressAdmin(CountyOwnedAdmin):
    list_display = ["activity", "county", "fiscal_year", "quarter", "percent_complete"]
    list_select_related = ["county", "activity"]
    raw_id_fields = ["plan", "activity", "entered_by"]


@admin.register(models.Expenditure)
class ExpenditureAdmin(CountyOwnedAdmin):
    list_display = ["budget_line", "county", "fiscal_year", "quarter", "amount_kes"]
    list_select_related = ["county", "budget_line__activity"]
    raw_id_fields = ["plan", "activity", "budget_line", "entered_by"]


@admin.register(models.Feedback)
class FeedbackAdmin(CountyOwnedAdmin):
    list_display = ["from_name", "county", "plan", "received_on", "requires_action"]
    list_filter = ["requires_action", "county"]
    list_select_related = ["county", "plan"]
    raw_id_fields = ["plan", "activity", "organization", "recorded_by"]
