from django.contrib import admin

from counties.models import (
    Contact,
    County,
    Invitation,
    Membership,
    Organization,
    Sector,
    SubCounty,
    Ward,
)
from jwp.admin import CountyOwnedAdmin


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "former_province"]
    search_fields = ["name", "code"]


@admin.register(SubCounty)
class SubCountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county"]
    list_filter = ["county"]
    search_fields = ["name", "code"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "subcounty", "county"]
    list_filter = ["county"]
    search_fields = ["name", "code"]
    list_select_related = ["subcounty", "county"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "category", "iati_identifier"]
    list_filter = ["category"]
    search_fields = ["name", "acronym", "iati_identifier"]


@admin.register(Sector)
class SectorAdmin(CountyOwnedAdmin):
    list_display = ["name", "county", "mtef_sector", "is_active", "order"]


@admin.register(Membership)
class MembershipAdmin(CountyOwnedAdmin):
    list_display = ["user", "county", "role", "sector", "organization"]
    list_filter = ["role", "county"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(Contact)
class ContactAdmin(CountyOwnedAdmin):
    list_display = ["name", "organization", "county", "email"]
    search_fields = ["name", "email"]


@admin.register(Invitation)
class InvitationAdmin(CountyOwnedAdmin):
    list_display = ["email", "county", "role", "created_at", "sent_at", "accepted_at"]
    exclude = ["token_hash"]
