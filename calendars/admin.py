from django.contrib import admin

from calendars.models import CalendarEvent, FeedToken
from jwp.admin import CountyOwnedAdmin


@admin.register(CalendarEvent)
class CalendarEventAdmin(CountyOwnedAdmin):
    list_display = ["title", "kind", "county", "starts_on", "ends_on"]
    list_filter = ["county", "kind"]
    search_fields = ["title"]


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    """Platform admins can see and revoke feeds; the secret itself is never stored."""

    list_display = ["pk", "user", "county", "created_at", "revoked_at", "last_used_at"]
    list_filter = ["county"]
    exclude = ["token_hash"]
    readonly_fields = ["user", "county", "created_by", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False
