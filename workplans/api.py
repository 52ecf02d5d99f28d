"""API of the joint work plans: plans, activities, budget lines and commitments (read),
and partners' own commitments (write) under the same rules as the HTML — the
services in ``workplans.services.budget`` decide, the selectors decide who sees what
(a partner sees only its own organization's contributions until the plan is
consolidated)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response as APIResponse

from jwp.access import get_in_county
from jwp.api import CountyAPIMixin, CountyListAPIView
from jwp.filters import CountyFilterSet
from jwp.roles import Role
from workplans import selectors
from workplans.forms_budget import contributor_choices
from workplans.models import (
    ActivityStatus,
    ActivityWard,
    BudgetLine,
    Commitment,
    CommitmentStatus,
    ContributionKind,
    Currency,
    JointActivity,
    JointWorkPlan,
)
from workplans.services import budget as budget_services

# --- serializers ----------------------------------------------------------------


class WorkPlanSerializer(serializers.ModelSerializer):
    lead_agency = serializers.CharField(source="lead_agency.name")
    activity_count = serializers.IntegerField(read_only=True)
    is_locked = serializers.BooleanField(read_only=True)

    class Meta:
        model = JointWorkPlan
        fields = [
            "id",
            "fiscal_year",
            "version",
            "amends",
            "title",
            "scope_level",
            "scope_codes",
            "lead_agency",
            "start_date",
            "end_date",
            "reporting_frequency",
            "status",
            "is_locked",
            "locked_at",
            "activity_count",
        ]


class JointActivitySerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    lead_organization = serializers.PrimaryKeyRelatedField(read_only=True)
    lead_organization_name = serializers.CharField(source="lead_organization.name")
    supporting_organizations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    wards = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = JointActivity
        fields = [
            "id",
            "plan",
            "title",
            "description",
            "sector",
            "objective",
            "lead_organization",
            "lead_organization_name",
            "supporting_organizations",
            "wards",
            "start_date",
            "end_date",
            "expected_output",
            "status",
            "row_version",
        ]


class BudgetLineSerializer(serializers.ModelSerializer):
    component = serializers.CharField(source="component.name")
    contributor = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="Empty for the county government."
    )
    amount_kes = serializers.DecimalField(source="kes", max_digits=24, decimal_places=2)

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "activity",
            "contributor",
            "component",
            "kind",
            "amount",
            "currency",
            "exchange_rate",
            "amount_kes",
            "comment",
            "row_version",
        ]


class CommitmentSerializer(serializers.ModelSerializer):
    contributor = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="Empty for the county government."
    )
    amount_kes = serializers.DecimalField(source="kes", max_digits=24, decimal_places=2)
    disbursed_kes = serializers.DecimalField(max_digits=24, decimal_places=2)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "activity",
            "budget_line",
            "contributor",
            "kind",
            "amount",
            "currency",
            "exchange_rate",
            "amount_kes",
            "disbursed_kes",
            "status",
            "pledged_at",
            "confirmed_at",
            "withdrawn_at",
            "withdrawn_reason",
            "vote_code",
            "appropriation_reference",
            "row_version",
        ]


class CommitmentCreateSerializer(serializers.Serializer):
    activity = serializers.IntegerField(help_text="An activity of this plan.")
    contributor = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Secretariat only: the organization, or null for the county government. "
        "A partner always commits its own organization.",
    )
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    currency = serializers.ChoiceField(choices=Currency.choices, default=Currency.KES)
    exchange_rate = serializers.DecimalField(
        max_digits=10, decimal_places=4, required=False, allow_null=True, default=None
    )
    kind = serializers.ChoiceField(choices=ContributionKind.choices, default=ContributionKind.CASH)
    budget_line = serializers.IntegerField(required=False, allow_null=True, default=None)
    vote_code = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=40,
        help_text="The county government's own commitment only (required there): "
        "the budget vote / programme code.",
    )
    appropriation_reference = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=120,
        help_text="The county government's own commitment only (required there): "
        "the appropriation that voted it.",
    )


class CommitmentChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            (CommitmentStatus.CONFIRMED, "confirmed"),
            (CommitmentStatus.WITHDRAWN, "withdrawn"),
        ]
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    row_version = serializers.IntegerField(
        help_text="The row_version you read: a stale one gets 409 with the current commitment."
    )


# --- errors ---------------------------------------------------------------------


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Someone changed this commitment since you read it."


class Gate(exceptions.APIException):
    """A rule says no: 400 with the rule's own words as the detail."""

    status_code = status.HTTP_400_BAD_REQUEST


def _api_errors(exc: Exception) -> exceptions.APIException:
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return Gate(" ".join(exc.messages))


# --- views ------------------------------------------------------------------------


class PlanList(CountyListAPIView):
    queryset = JointWorkPlan.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = WorkPlanSerializer
    filterset_fields = ["fiscal_year", "status"]

    def get_queryset(self):
        return selectors.county_workplans(county=self.county)


class _PlanMixin:
    def get_plan(self) -> JointWorkPlan:
        if not hasattr(self, "_plan"):
            self._plan = get_in_county(JointWorkPlan, self.county, pk=self.kwargs["plan_id"])
        return self._plan


class PlanDetail(_PlanMixin, CountyAPIMixin, generics.RetrieveAPIView):
    queryset = JointWorkPlan.objects.none()  # for the schema; get_object scopes to the county
    serializer_class = WorkPlanSerializer

    def get_object(self):
        return get_in_county(
            selectors.county_workplans(county=self.county), self.county, pk=self.kwargs["plan_id"]
        )


class ActivityFilter(CountyFilterSet):
    sector = django_filters.CharFilter(field_name="sector__slug", label="sector slug")
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices)
    ward = django_filters.CharFilter(method="filter_ward", label="IEBC ward code")

    class Meta:
        model = JointActivity
        fields = ["sector", "status", "ward"]

    def filter_ward(self, queryset, name, value):
        return queryset.filter(
            pk__in=ActivityWard.objects.for_county(self.request.county)
            .filter(ward__code=value)
            .values("activity")
        )


class ActivityList(_PlanMixin, CountyListAPIView):
    queryset = JointActivity.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = JointActivitySerializer
    filterset_class = ActivityFilter

    def get_queryset(self):
        return selectors.plan_activities(plan=self.get_plan()).order_by(
            "sector__order", "start_date", "id"
        )


class BudgetLineList(_PlanMixin, CountyListAPIView):
    """The plan's budget lines the caller may see (a partner: its own until the plan is
    consolidated), each with its amount in KES."""

    queryset = BudgetLine.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = BudgetLineSerializer
    filterset_fields = ["activity", "currency", "kind"]

    def get_queryset(self):
        return selectors.plan_budget_lines(
            county=self.county, plan=self.get_plan(), membership=self.request.membership
        )


class CommitmentList(_PlanMixin, CountyListAPIView):
    """GET: the commitments the caller may see. POST: pledge a contribution to an
    activity of the plan (a partner for its own organization; the secretariat for any
    contributor, the county government included)."""

    queryset = Commitment.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = CommitmentSerializer
    filterset_fields = ["activity", "status"]

    def get_serializer_class(self):
        if self.request.method == "POST":
            return CommitmentCreateSerializer
        return CommitmentSerializer

    def get_queryset(self):
        return selectors.plan_commitments(
            county=self.county, plan=self.get_plan(), membership=self.request.membership
        )

    def post(self, request, *args, **kwargs):
        county, membership, plan = self.county, request.membership, self.get_plan()
        data = CommitmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        activity = (
            JointActivity.objects.for_county(county)
            .filter(plan=plan, pk=values["activity"])
            .first()
        )
        if activity is None:
            raise exceptions.ValidationError({"activity": ["No such activity in this plan."]})
        contributor = self._contributor(membership, plan, values["contributor"])
        budget_line = None
        if values["budget_line"] is not None:
            budget_line = (
                BudgetLine.objects.for_county(county).filter(pk=values["budget_line"]).first()
            )
            if budget_line is None:
                raise exceptions.ValidationError({"budget_line": ["No such budget line."]})
        try:
            commitment = budget_services.commitment_create(
                membership=membership,
                activity=activity,
                contributor=contributor,
                amount=values["amount"],
                currency=values["currency"],
                exchange_rate=values["exchange_rate"],
                kind=values["kind"],
                budget_line=budget_line,
                vote_code=values["vote_code"],
                appropriation_reference=values["appropriation_reference"],
            )
        except (PermissionDenied, ValidationError) as exc:
            raise _api_errors(exc) from exc
        return APIResponse(
            CommitmentSerializer(_annotated(county, plan, membership, commitment.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @staticmethod
    def _contributor(membership, plan, contributor_id):
        if membership.role == Role.PARTNER:
            if contributor_id not in (None, membership.organization_id):
                raise exceptions.PermissionDenied("A partner commits its own organization only.")
            return membership.organization
        if contributor_id is None:
            return None
        # The form's pick list: the plan's partners and activity leads (issue 13, M1).
        organization = (
            contributor_choices(plan=plan, membership=membership).filter(pk=contributor_id).first()
        )
        if organization is None:
            raise exceptions.ValidationError(
                {"contributor": ["Choose a partner or activity lead of this plan."]}
            )
        return organization


def _annotated(county, plan, membership, pk: int) -> Commitment:
    return selectors.plan_commitments(county=county, plan=plan, membership=membership).get(pk=pk)


class CommitmentDetail(CountyAPIMixin, generics.GenericAPIView):
    """GET one commitment; PATCH ``{"status": "confirmed"|"withdrawn", "reason",
    "row_version"}`` to confirm a pledge or withdraw it (a reason is required)."""

    serializer_class = CommitmentChangeSerializer

    def _commitment(self) -> tuple[JointWorkPlan, Commitment]:
        county, membership = self.county, self.request.membership
        found = get_in_county(Commitment, county, pk=self.kwargs["commitment_id"])
        plan = JointWorkPlan.objects.for_county(county).get(activities=found.activity_id)
        visible = selectors.plan_commitments(county=county, plan=plan, membership=membership)
        return plan, get_in_county(visible, county, pk=found.pk)

    def get(self, request, *args, **kwargs):
        _plan, commitment = self._commitment()
        return APIResponse(CommitmentSerializer(commitment).data)

    def patch(self, request, *args, **kwargs):
        plan, commitment = self._commitment()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        membership = request.membership
        try:
            if values["status"] == CommitmentStatus.CONFIRMED:
                budget_services.commitment_confirm(
                    membership=membership, commitment=commitment, row_version=values["row_version"]
                )
            else:
                budget_services.commitment_withdraw(
                    membership=membership,
                    commitment=commitment,
                    row_version=values["row_version"],
                    reason=values["reason"],
                )
        except budget_services.EditConflict as exc:
            raise Conflict() from exc
        except (PermissionDenied, ValidationError) as exc:
            raise _api_errors(exc) from exc
        return APIResponse(
            CommitmentSerializer(_annotated(self.county, plan, membership, commitment.pk)).data
        )
