"""API for counties (public), and a county's geography, sectors, organizations, members."""

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from counties import selectors
from counties.models import (
    ActionItem,
    CoordinationStructure,
    County,
    Meeting,
    MeetingKind,
    Membership,
    Office,
    OfficeHolding,
    Organization,
    Sector,
    Stakeholder,
    StakeholderSector,
    StakeholderWard,
    StructureMember,
    SubCounty,
    Ward,
)
from counties.offices import county_offices
from counties.services.structures import structure_warnings
from jwp.access import get_in_county
from jwp.api import CountyAPIMixin, CountyListAPIView
from jwp.filters import CountyFilterSet


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


class WardFilter(CountyFilterSet):
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


# --- offices ----------------------------------------------------------------


class OfficeHolderSerializer(serializers.ModelSerializer):
    """Who holds an office: a name and the dates, nothing more personal."""

    name = serializers.CharField(source="user.full_name")
    since = serializers.DateField(source="starts_on")
    until = serializers.DateField(source="ends_on", allow_null=True)

    class Meta:
        model = OfficeHolding
        fields = ["name", "since", "until"]


class OfficeSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    sector = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(read_only=True)
    holder = serializers.SerializerMethodField()

    class Meta:
        model = Office
        fields = ["id", "kind", "title", "sector", "organization", "holder"]

    @extend_schema_field(OfficeHolderSerializer(allow_null=True))
    def get_holder(self, office) -> dict | None:
        holdings = office.current_holdings
        return OfficeHolderSerializer(holdings[0]).data if holdings else None


class OfficeList(CountyListAPIView):
    """The county's offices and who holds each today (``holder`` is null when vacant):
    partner systems learn who signs for the county and for each organization."""

    queryset = Office.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = OfficeSerializer
    filterset_fields = ["kind", "organization"]

    def get_queryset(self):
        return county_offices(county=self.county)


# --- meetings ---------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    structure = serializers.PrimaryKeyRelatedField(read_only=True)
    attendee_count = serializers.IntegerField(read_only=True)
    open_action_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "title",
            "structure",
            "starts_at",
            "ends_at",
            "venue",
            "is_virtual",
            "virtual_link",
            "attendee_count",
            "open_action_count",
        ]


class ShareSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="Whole per cent of the total attendance.")


class CategoryShareSerializer(ShareSerializer):
    category = serializers.CharField(source="key", help_text="Empty: no organization recorded.")
    label = serializers.CharField()


class ParticipationSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    women = ShareSerializer()
    men = ShareSerializer()
    youth = ShareSerializer()
    persons_with_disability = ShareSerializer(source="disability")
    by_category = CategoryShareSerializer(many=True)


class ActionItemSerializer(serializers.ModelSerializer):
    owner_organization = serializers.PrimaryKeyRelatedField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "description",
            "owner_name",
            "owner_organization",
            "due_date",
            "status",
            "completed_at",
            "is_overdue",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with its participation figures (no names: the register is personal
    data and stays in the county's workspace) and its action items."""

    participation = ParticipationSerializer(read_only=True)
    action_items = ActionItemSerializer(source="action_list", many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "agenda",
            "minutes",
            "decisions",
            "participation",
            "action_items",
        ]


class MeetingFilter(CountyFilterSet):
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices)
    after = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label="Starts on or after (YYYY-MM-DD)"
    )
    before = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label="Starts on or before (YYYY-MM-DD)"
    )

    class Meta:
        model = Meeting
        fields = ["kind", "after", "before"]


class MeetingList(CountyListAPIView):
    queryset = Meeting.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["starts_at"]

    def get_queryset(self):
        return selectors.county_meetings(county=self.county)


class MeetingDetail(CountyAPIMixin, generics.RetrieveAPIView):
    queryset = Meeting.objects.none()  # for the schema; get_object scopes to the county
    serializer_class = MeetingDetailSerializer

    def get_object(self):
        county = self.county
        meeting = get_in_county(
            selectors.county_meetings(county=county), county, pk=self.kwargs["meeting_id"]
        )
        meeting.participation = selectors.meeting_participation(county=county, meeting=meeting)
        meeting.action_list = list(selectors.meeting_action_items(county=county, meeting=meeting))
        return meeting


# --- stakeholder register and structures -----------------------------------


class StakeholderSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)
    quadrant = serializers.CharField(read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    wards = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    key_contact = serializers.CharField(source="key_contact.name", default=None)

    class Meta:
        model = Stakeholder
        fields = [
            "id",
            "organization",
            "role",
            "interest",
            "influence",
            "quadrant",
            "involvement",
            "communication_strategy",
            "key_contact",
            "remarks",
            "is_preg_partner",
            "sectors",
            "wards",
            "updated_at",
        ]


class StakeholderFilter(CountyFilterSet):
    category = django_filters.CharFilter(field_name="organization__category")
    sector = django_filters.CharFilter(method="filter_sector", label="sector slug")
    ward = django_filters.CharFilter(method="filter_ward", label="IEBC ward code")

    class Meta:
        model = Stakeholder
        fields = ["interest", "influence", "is_preg_partner", "category"]

    def filter_sector(self, queryset, name, value):
        return queryset.filter(
            pk__in=StakeholderSector.objects.for_county(self.request.county)
            .filter(sector__slug=value)
            .values("stakeholder")
        )

    def filter_ward(self, queryset, name, value):
        return queryset.filter(
            pk__in=StakeholderWard.objects.for_county(self.request.county)
            .filter(ward__code=value)
            .values("stakeholder")
        )


class StakeholderList(CountyListAPIView):
    """The county's stakeholder register (manual §9.1), with sectors and wards."""

    queryset = Stakeholder.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = StakeholderSerializer
    filterset_class = StakeholderFilter

    def get_queryset(self):
        return selectors.county_stakeholders(county=self.county)


class StructureMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person_name")
    organization = serializers.CharField(source="organization.short_name", default=None)

    class Meta:
        model = StructureMember
        fields = [
            "id",
            "name",
            "organization",
            "position",
            "gender",
            "has_decision_authority",
            "is_chair",
        ]


class StructureSerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    members = StructureMemberSerializer(many=True, read_only=True)
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = CoordinationStructure
        fields = [
            "id",
            "kind",
            "cycle",
            "name",
            "sector",
            "mandate",
            "is_active",
            "members",
            "warnings",
        ]

    def get_warnings(self, structure) -> list[str]:
        return [w.message for w in structure_warnings(structure, list(structure.members.all()))]


class StructureList(CountyListAPIView):
    """Coordination structures with their members and the manual's warnings."""

    queryset = CoordinationStructure.objects.none()
    serializer_class = StructureSerializer
    filterset_fields = ["kind", "cycle", "is_active"]

    def get_queryset(self):
        return selectors.county_structures(county=self.county)
