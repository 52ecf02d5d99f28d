"""API of monitoring: indicators, targets and results (read, with filters), and
results written under the same rules as the HTML (``monitoring.services`` decides):
the responsible organization's partners (or the secretariat) create and submit a
quarter's result, the secretariat verifies it or returns it with a comment."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response as APIResponse

from jwp.access import get_in_county
from jwp.api import CountyAPIMixin, CountyListAPIView
from jwp.filters import CountyFilterSet
from monitoring import selectors, services
from monitoring.models import (
    QUARTERS,
    Indicator,
    IndicatorTarget,
    Result,
    ResultDisaggregation,
    ResultStatus,
)
from monitoring.services import INDICATOR_FIELDS
from workplans.services.rules import EditConflict

# --- serializers ----------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    responsible_organization_name = serializers.CharField(source="responsible_organization.name")

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "objective",
            "activity",
            *INDICATOR_FIELDS,
            "responsible_organization",
            "responsible_organization_name",
        ]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorTarget
        fields = ["id", "indicator", "fiscal_year", "quarter", "value"]


class DisaggregationField(serializers.JSONField):
    """{"sex": {"female": "40", "male": "35"}, "age_group": {...}}: category → group →
    value, for the categories the indicator defines (number indicators: each category
    adds up to the total)."""

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise serializers.ValidationError("Give an object: category → group → value.")
        values = {}
        for category, groups in data.items():
            values[category] = {}
            for group, value in groups.items():
                if value in (None, ""):
                    values[category][group] = None
                    continue
                try:
                    number = Decimal(str(value))
                except InvalidOperation:
                    number = None
                # the column holds 12 digits before the point
                if number is None or not number.is_finite() or abs(number) >= 10**12:
                    raise serializers.ValidationError(f"{category}/{group}: enter a number.")
                values[category][group] = number
        return values


class ResultSerializer(serializers.ModelSerializer):
    disaggregation = serializers.SerializerMethodField()

    def get_disaggregation(self, result) -> dict:
        found: dict = {}
        for row in result.disaggregations.all():
            found.setdefault(row.category, {})[row.group] = str(row.value)
        return found

    class Meta:
        model = Result
        fields = [
            "id",
            "indicator",
            "fiscal_year",
            "quarter",
            "value",
            "disaggregation",
            "narrative",
            "status",
            "return_comment",
            "submitted_by",
            "submitted_at",
            "verified_by",
            "verified_at",
            "row_version",
        ]


class ResultCreateSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    fiscal_year = serializers.CharField(max_length=7, help_text="e.g. 2025/26")
    quarter = serializers.ChoiceField(choices=QUARTERS)
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    narrative = serializers.CharField(required=False, allow_blank=True, default="")
    disaggregation = DisaggregationField(required=False, default=None, allow_null=True)
    submit = serializers.BooleanField(
        default=False, help_text="true: submit for verification at once."
    )


class ResultChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            (ResultStatus.DRAFT, "draft"),
            (ResultStatus.SUBMITTED, "submitted"),
            (ResultStatus.VERIFIED, "verified"),
            (ResultStatus.RETURNED, "returned"),
        ],
        required=False,
        help_text="Leave out (or 'draft') to change the values of a draft; 'submitted' "
        "(reporter), 'verified' or 'returned' with a comment (secretariat): a returned "
        "result goes back to draft and keeps the comment in return_comment until resubmitted.",
    )
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    narrative = serializers.CharField(required=False, allow_blank=True)
    disaggregation = DisaggregationField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    row_version = serializers.IntegerField(
        help_text="The row_version you read: a stale one gets 409."
    )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Someone changed this result since you read it."


class Gate(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST


def _api_errors(exc: Exception) -> exceptions.APIException:
    if isinstance(exc, EditConflict):
        return Conflict()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return Gate(" ".join(exc.messages))


def _disaggregations(county) -> Prefetch:
    return Prefetch(
        "disaggregations",
        queryset=ResultDisaggregation.objects.for_county(county).order_by("category", "pk"),
    )


def _out(result: Result) -> dict:
    """One result as the API shows it, read again with its disaggregation."""
    fresh = (
        Result.objects.for_county(result.county_id)
        .prefetch_related(_disaggregations(result.county_id))
        .get(pk=result.pk)
    )
    return ResultSerializer(fresh).data


# --- filters (ids as numbers: a model choice would query every county) ---------------


class IndicatorFilter(CountyFilterSet):
    plan = django_filters.NumberFilter()
    objective = django_filters.NumberFilter()
    activity = django_filters.NumberFilter()
    responsible_organization = django_filters.NumberFilter()

    class Meta:
        model = Indicator
        fields = ["plan", "objective", "activity", "level", "measure", "responsible_organization"]


class TargetFilter(CountyFilterSet):
    indicator = django_filters.NumberFilter()

    class Meta:
        model = IndicatorTarget
        fields = ["indicator", "fiscal_year", "quarter"]


class ResultFilter(CountyFilterSet):
    indicator = django_filters.NumberFilter()

    class Meta:
        model = Result
        fields = ["indicator", "fiscal_year", "quarter", "status"]


# --- views ------------------------------------------------------------------------


class IndicatorList(CountyListAPIView):
    queryset = Indicator.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self):
        return (
            Indicator.objects.for_county(self.county)
            .select_related("responsible_organization")
            .order_by("plan", "order", "pk")
        )


class TargetList(CountyListAPIView):
    queryset = IndicatorTarget.objects.none()
    serializer_class = TargetSerializer
    filterset_class = TargetFilter

    def get_queryset(self):
        return IndicatorTarget.objects.for_county(self.county).order_by(
            "indicator", "fiscal_year", "quarter"
        )


class ResultList(CountyListAPIView):
    """GET: results (filters indicator, fiscal_year, quarter, status). POST: enter a
    quarter's result as the responsible organization's partner (or the secretariat);
    saving again the same quarter changes the draft; ``submit: true`` submits it."""

    queryset = Result.objects.none()
    serializer_class = ResultSerializer
    filterset_class = ResultFilter

    def get_serializer_class(self):
        return ResultCreateSerializer if self.request.method == "POST" else ResultSerializer

    def get_queryset(self):
        return (
            Result.objects.for_county(self.county)
            .prefetch_related(_disaggregations(self.county))
            .order_by("indicator", "fiscal_year", "quarter")
        )

    def post(self, request, *args, **kwargs):
        data = ResultCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        indicator = Indicator.objects.for_county(self.county).filter(pk=values["indicator"]).first()
        if indicator is None:
            raise exceptions.ValidationError({"indicator": ["No such indicator."]})
        try:
            result = services.result_save_draft(
                membership=request.membership,
                indicator=indicator,
                fiscal_year=values["fiscal_year"],
                quarter=int(values["quarter"]),
                value=values["value"],
                narrative=values["narrative"],
                disaggregation=values["disaggregation"],
            )
            if values["submit"]:
                services.result_submit(membership=request.membership, result=result)
        except (PermissionDenied, ValidationError, EditConflict) as exc:
            raise _api_errors(exc) from exc
        return APIResponse(_out(result), status=status.HTTP_201_CREATED)


class ResultDetail(CountyAPIMixin, generics.GenericAPIView):
    """GET one result; PATCH to change a draft's values or move it on (see ``status``)."""

    serializer_class = ResultChangeSerializer

    def _result(self) -> Result:
        return get_in_county(
            Result.objects.select_related("indicator"), self.county, pk=self.kwargs["result_id"]
        )

    def get(self, request, *args, **kwargs):
        return APIResponse(_out(self._result()))

    def patch(self, request, *args, **kwargs):
        result = self._result()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        membership, row_version = request.membership, values["row_version"]
        target = values.get("status", ResultStatus.DRAFT)
        try:
            if target == ResultStatus.DRAFT:
                result = services.result_save_draft(
                    membership=membership,
                    indicator=result.indicator,
                    fiscal_year=result.fiscal_year,
                    quarter=result.quarter,
                    value=values.get("value", result.value),
                    narrative=values.get("narrative", result.narrative),
                    row_version=row_version,
                    disaggregation=values.get("disaggregation"),
                )
            elif target == ResultStatus.SUBMITTED:
                services.result_submit(
                    membership=membership, result=result, row_version=row_version
                )
            elif target == ResultStatus.VERIFIED:
                services.result_verify(
                    membership=membership, result=result, row_version=row_version
                )
            else:
                services.result_return(
                    membership=membership,
                    result=result,
                    comment=values["comment"],
                    row_version=row_version,
                )
        except (PermissionDenied, ValidationError, EditConflict) as exc:
            raise _api_errors(exc) from exc
        return APIResponse(_out(result))


# --- figures: the M&E rules' answer, as the pages show it ---------------------------


class FigureSerializer(serializers.Serializer):
    target = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    actual = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Verified results only."
    )
    provisional = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="The submitted value awaiting verification (never rated).",
    )
    status = serializers.CharField(help_text="green, amber, red or none (not rated)")
    achievement_percent = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        allow_null=True,
        help_text="actual ÷ target; target ÷ actual where a decrease is better.",
    )


def _figure(target, actual, provisional, variance) -> dict:
    return FigureSerializer(
        {
            "target": target,
            "actual": actual,
            "provisional": provisional,
            "status": variance.rag if variance else services.Rag.NOT_RATED,
            "achievement_percent": variance.percent if variance else None,
        }
    ).data


def _two_places(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


def _row_figures(row) -> dict:
    indicator = row.indicator
    quarters = [
        {
            "quarter": cell.period.quarter,
            **_figure(
                cell.target.value if cell.target else None,
                cell.result.value if cell.verified else None,
                cell.result.value if cell.provisional else None,
                cell.variance,
            ),
        }
        for cell in row.cells
    ]
    year = row.year
    provisional = row.provisional_year
    return {
        "indicator": indicator.pk,
        "name": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "aggregation": indicator.aggregation,
        "decimals": indicator.decimals,
        "annual_target": _two_places(row.annual_target),
        "year_so_far": _figure(
            year.target if year else None,
            year.actual if year else None,
            provisional.actual if provisional else None,
            year,
        ),
        "quarters": quarters,
    }


class PlanFigures(CountyAPIMixin, generics.GenericAPIView):
    """GET the plan's M&E figures per indicator and quarter, by the same rules as the
    pages and the PDFs (``monitoring.services.figures``): only verified results are
    rated; a submitted value is ``provisional``; no target → status ``none``; the year
    so far and the annual target by the indicator's aggregation."""

    serializer_class = FigureSerializer

    def get(self, request, *args, **kwargs):
        from workplans.models import JointWorkPlan

        plan = get_in_county(JointWorkPlan, self.county, pk=self.kwargs["plan_id"])
        rows = selectors.indicator_table(county=self.county, plan=plan)
        return APIResponse(
            {"fiscal_year": plan.fiscal_year, "indicators": [_row_figures(r) for r in rows]}
        )
