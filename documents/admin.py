"""Platform admins see every county's document jobs, read-only: a job changes only
through the services and the worker (a failed one is tried again from its page)."""

from django.contrib import admin

from documents.models import DocumentJob
from jwp.admin import CountyOwnedAdmin


@admin.register(DocumentJob)
class DocumentJobAdmin(CountyOwnedAdmin):
    list_display = ["title", "county", "kind", "status", "attempts", "requested_at", "pages"]
    list_filter = ["status", "kind", "county"]
    list_select_related = ["county"]
    search_fields = ["title", "sha256"]
    readonly_fields = [f.name for f in DocumentJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
