"""API of progress: activity progress, expenditure and adaptation items (read, with
filters), and progress and expenditure written under the same rules as the HTML
(``progress.services`` decides): the activity's lead or supporting organization (or the
budget line's contributor) or the secretariat. A stale ``row_version`` gets 409."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response as APIResponse

from jwp import visibility
from jwp.api import CountyListAPIView
from jwp.filters import CountyFilterSet
from progress import services
from progress.models import QUARTERS, ActivityProgress, AdaptationItem, Expenditure
from workplans.models import BudgetLine, JointActivity
from workplans.services.rules import EditConflict

# --- serializers ----------------------------------------------------------------


class ProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityProgress
        fields = [
            "id",
            "plan",
            "activity",
            "fiscal_year",
            "quarter",
            "percent_complete",
            "progress_made",
            "challenges",
            "solutions",
            "updated_at",
            "row_version",
        ]


class ProgressWriteSerializer(serializers.Serializer):
    activity = serializers.IntegerField()
    quarter = serializers.ChoiceField(choices=QUARTERS, help_text="Of the plan's fiscal year.")
    percent_complete = serializers.IntegerField(min_value=0, max_value=100)
    progress_made = serializers.CharField()
    challenges = serializers.CharField(required=False, allow_blank=True, default="")
    solutions = serializers.CharField(required=False, allow_blank=True, default="")
    row_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="To change a quarter already reported: the row_version you read.",
    )


class ExpenditureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Expenditure
        fields = [
            "id",
            "plan",
            "activity",
            "budget_line",
            "fiscal_year",
            "quarter",
            "amount_kes",
            "note",
            "updated_at",
            "row_version",
        ]


class ExpenditureWriteSerializer(serializers.Serializer):
    budget_line = serializers.IntegerField()
    quarter = serializers.ChoiceField(choices=QUARTERS, help_text="Of the plan's fiscal year.")
    amount_kes = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    row_version = serializers.IntegerField(required=False, allow_null=True, default=None)


class AdaptationSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = AdaptationItem
        fields = [
            "id",
            "plan",
            "trigger",
            "fiscal_year",
            "quarter",
            "source_summary",
            "activity",
            "budget_line",
            "result",
            "feedback",
            "proposed_action",
            "timeline",
            "responsible_organization",
            "responsible_user",
            "expected_outcome",
            "actual_outcome",
            "status",
            "detected_at",
            "url",
        ]


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Someone changed this since you read it."


def _api_error(exc: Exception) -> exceptions.APIException:
    if isinstance(exc, EditConflict):
        return Conflict()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError(exc.messages)


# --- filters (ids as numbers: a model choice would query every county) ---------------


class ProgressFilter(CountyFilterSet):
    plan = django_filters.NumberFilter()
    activity = django_filters.NumberFilter()

    class Meta:
        model = ActivityProgress
        fields = ["plan", "activity", "fiscal_year", "quarter"]


class ExpenditureFilter(CountyFilterSet):
    plan = django_filters.NumberFilter()
    activity = django_filters.NumberFilter()
    budget_line = django_filters.NumberFilter()

    class Meta:
        model = Expenditure
        fields = ["plan", "activity", "budget_line", "fiscal_year", "quarter"]


class AdaptationFilter(CountyFilterSet):
    plan = django_filters.NumberFilter()

    class Meta:
        model = AdaptationItem
        fields = ["plan", "trigger", "status", "fiscal_year", "quarter"]


# --- views ------------------------------------------------------------------------


class ProgressList(CountyListAPIView):
    """GET: activity progress (filters plan, activity, fiscal_year, quarter). POST: report
    a quarter's progress; posting the same quarter again (with its row_version) changes it."""

    queryset = ActivityProgress.objects.none()
    serializer_class = ProgressSerializer
    filterset_class = ProgressFilter

    def get_serializer_class(self):
        return ProgressWriteSerializer if self.request.method == "POST" else ProgressSerializer

    def get_queryset(self):
        return ActivityProgress.objects.for_county(self.county).order_by(
            "plan", "activity", "quarter"
        )

    def post(self, request, *args, **kwargs):
        data = ProgressWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        activity = (
            JointActivity.objects.for_county(self.county)
            .select_related("plan")
            .filter(pk=values.pop("activity"))
            .first()
        )
        if activity is None:
            raise exceptions.ValidationError({"activity": ["No such activity."]})
        values["quarter"] = int(values["quarter"])
        try:
            row = services.progress_save(membership=request.membership, activity=activity, **values)
        except (PermissionDenied, ValidationError, EditConflict) as exc:
            raise _api_error(exc) from exc
        return APIResponse(ProgressSerializer(row).data, status=status.HTTP_201_CREATED)


class ExpenditureList(CountyListAPIView):
    """GET: expenditure (filters plan, activity, budget_line, fiscal_year, quarter). POST:
    what was spent on a budget line in a quarter, in KES (replaces that quarter's amount)."""

    queryset = Expenditure.objects.none()
    serializer_class = ExpenditureSerializer
    filterset_class = ExpenditureFilter

    def get_serializer_class(self):
        if self.request.method == "POST":
            return ExpenditureWriteSerializer
        return ExpenditureSerializer

    def get_queryset(self):
        # A partner sees others' spending only once their lines are shared.
        return (
            Expenditure.objects.for_county(self.county)
            .filter(
                visibility.contributions_anywhere(
                    membership=self.request.membership, prefix="budget_line__"
                )
            )
            .order_by("plan", "budget_line", "quarter")
        )

    def post(self, request, *args, **kwargs):
        data = ExpenditureWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        line = (
            BudgetLine.objects.for_county(self.county)
            .select_related("activity__plan", "component")
            .filter(pk=values.pop("budget_line"))
            .first()
        )
        if line is None:
            raise exceptions.ValidationError({"budget_line": ["No such budget line."]})
        values["quarter"] = int(values["quarter"])
        try:
            row = services.expenditure_save(
                membership=request.membership, budget_line=line, **values
            )
        except (PermissionDenied, ValidationError, EditConflict) as exc:
            raise _api_error(exc) from exc
        return APIResponse(ExpenditureSerializer(row).data, status=status.HTTP_201_CREATED)


class AdaptationList(CountyListAPIView):
    """Adaptation items (filters plan, trigger, status, fiscal_year, quarter)."""

    queryset = AdaptationItem.objects.none()
    serializer_class = AdaptationSerializer
    filterset_class = AdaptationFilter

    def get_queryset(self):
        return (
            AdaptationItem.objects.for_county(self.county)
            .select_related("county")
            .order_by("plan", "fiscal_year", "quarter", "pk")
        )
