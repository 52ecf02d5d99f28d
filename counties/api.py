"""API for counties (public), and a county's geography, sectors, organizations, members."""

import django_filters
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from counties import selectors
from counties.models import County, Membership, Organization, Sector, SubCounty, Ward
from jwp.api import CountyListAPIView


class CountySerializer(serializers.ModelSerializer):
    class Meta:
        model = County
        fields = ["code", "name", "slug", "former_province"]


class SubCountySerializer(serializers.ModelSerializer):
    class Meta:
        model = SubCounty
        fields = ["id", "code", "name"]


class WardSerializer(serializers.ModelSerializer):
    subcounty = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Ward
        fields = ["id", "code", "name", "subcounty"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "name", "slug", "mtef_sector", "description", "is_active", "order"]


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "acronym", "category", "iati_identifier", "website"]


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email")
    sector = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "name", "email", "role", "sector", "organization", "created_at"]


class CountyList(generics.ListAPIView):
    """The 47 counties (public)."""

    permission_classes = [AllowAny]
    queryset = County.objects.all()
    serializer_class = CountySerializer
    filterset_fields = ["former_province"]
    ordering_fields = ["code", "name"]
    pagination_class = None


class SubCountyList(CountyListAPIView):
    queryset = SubCounty.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = SubCountySerializer
    filterset_fields = ["code"]

    def get_queryset(self):
        return SubCounty.objects.filter(county=self.county).order_by("code")


class WardFilter(django_filters.FilterSet):
    subcounty = django_filters.CharFilter(field_name="subcounty__code")

    class Meta:
        model = Ward
        fields = ["subcounty", "code"]


class WardList(CountyListAPIView):
    queryset = Ward.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = WardSerializer
    filterset_class = WardFilter

    def get_queryset(self):
        return Ward.objects.filter(county=self.county).select_related("subcounty").order_by("code")


class SectorList(CountyListAPIView):
    queryset = Sector.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = SectorSerializer
    filterset_fields = ["is_active", "mtef_sector"]

    def get_queryset(self):
        return selectors.county_sectors(county=self.county)


class OrganizationList(CountyListAPIView):
    queryset = Organization.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = OrganizationSerializer
    filterset_fields = ["category"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return selectors.county_organizations(county=self.county)


class MemberList(CountyListAPIView):
    queryset = Membership.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = MemberSerializer
    filterset_fields = ["role"]

    def get_queryset(self):
        return selectors.county_members(county=self.county)
