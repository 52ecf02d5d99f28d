from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from jwp.models import AuditEvent, User


class CountyOwnedAdmin(admin.ModelAdmin):
    """Platform admins see every county: an explicit national roll-up.

    The admin runs inside ``all_counties_context`` (AdminCountyContextMiddleware),
    so row-level security admits every county's rows.
    """

    list_filter = ["county"]
    list_select_related = ["county"]

    def get_queryset(self, request):
        return self.model.objects.all_counties()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "title", "phone"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "password1", "password2"]})]
    list_filter = ["is_staff", "is_active"]
    filter_horizontal = ["groups"]


@admin.register(AuditEvent)
class AuditEventAdmin(CountyOwnedAdmin):
    list_display = ["created_at", "county", "actor", "verb", "summary"]
    list_filter = ["county", "verb"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
