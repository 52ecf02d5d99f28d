"""API of the sector plan workflow: plans, their steps, published comments (read), and
completing a step under the same rules as the HTML (services decide)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response as APIResponse

from jwp.access import get_in_county
from jwp.api import CountyAPIMixin, CountyListAPIView
from sectorplans import selectors, services
from sectorplans.models import PlanStep, PublicComment, SectorPlan


class PlanSerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    current_step = serializers.IntegerField(read_only=True, allow_null=True)
    finished_steps = serializers.IntegerField(source="finished", read_only=True)
    next_due = serializers.DateField(read_only=True, allow_null=True)
    overdue_steps = serializers.IntegerField(source="overdue", read_only=True)

    class Meta:
        model = SectorPlan
        fields = [
            "id",
            "title",
            "sector",
            "period_start",
            "period_end",
            "version",
            "revision_of",
            "revision_kind",
            "status",
            "current_step",
            "finished_steps",
            "next_due",
            "overdue_steps",
            "approved_on",
            "approval_reference",
            "published_at",
        ]


class StepSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="step.number")
    description = serializers.CharField(source="step.description")
    phase = serializers.CharField(source="step.phase")
    kind = serializers.CharField(source="step.kind")
    general_actor = serializers.CharField(source="step.general_actor")
    specific_actor = serializers.CharField(source="step.specific_actor")
    completed_by = serializers.CharField(source="completed_by.full_name", default=None)
    # A plain string: the role choices with a blank are another enum than Membership.role's.
    responsible_role = serializers.CharField()

    class Meta:
        model = PlanStep
        fields = [
            "number",
            "description",
            "phase",
            "kind",
            "general_actor",
            "specific_actor",
            "status",
            "skip_reason",
            "planned_start",
            "due_date",
            "responsible_role",
            "responsible_organization",
            "notes",
            "completed_by",
            "completed_at",
            "on_behalf_of",
            "out_of_order_reason",
        ]


class CommentSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="window.plan_id")
    step = serializers.IntegerField(source="window.plan_step.step.number")
    ward = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = PublicComment
        fields = [
            "id",
            "plan",
            "window",
            "step",
            "name",
            "organization",
            "ward",
            "topic",
            "body",
            "submitted_at",
            "response",
            "response_reason",
        ]


class CompleteSerializer(serializers.Serializer):
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    body = serializers.CharField(required=False, allow_blank=True, default="")
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    adjustments = serializers.CharField(required=False, allow_blank=True, default="")
    out_of_order_reason = serializers.CharField(required=False, allow_blank=True, default="")


class Gate(exceptions.APIException):
    """A workflow rule says "not yet": 400 with the rule's own words as the detail."""

    status_code = status.HTTP_400_BAD_REQUEST


class PlanList(CountyListAPIView):
    queryset = SectorPlan.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = PlanSerializer
    filterset_fields = ["status", "period_start"]

    def get_queryset(self):
        return selectors.county_plans(county=self.county)


class _PlanMixin:
    def get_plan(self) -> SectorPlan:
        return get_in_county(SectorPlan, self.county, pk=self.kwargs["plan_id"])


class StepList(_PlanMixin, CountyListAPIView):
    queryset = PlanStep.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = StepSerializer
    filterset_fields = ["status"]
    pagination_class = None  # always the 47

    def get_queryset(self):
        return selectors.plan_steps(plan=self.get_plan())


class CommentList(CountyListAPIView):
    """Accepted (published) public comments of the county's participation windows."""

    queryset = PublicComment.objects.none()  # for the schema; get_queryset scopes to the county
    serializer_class = CommentSerializer
    filterset_fields = ["window", "window__plan"]

    def get_queryset(self):
        return selectors.accepted_comments(county=self.county)


class StepComplete(_PlanMixin, CountyAPIMixin, generics.GenericAPIView):
    """Complete a step. CEC and Assembly steps record ``body`` and ``decided_on`` (step 46
    also ``reference``). 403 for a member who is not the step's actor (nor the
    secretariat), 400 with the rule in ``detail`` when the step may not be completed yet."""

    serializer_class = CompleteSerializer

    def post(self, request, *args, **kwargs):
        plan = self.get_plan()
        plan_step = selectors.plan_step(plan=plan, number=self.kwargs["number"])
        if plan_step is None:
            raise Http404
        plan_step.plan = plan
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.plan_step_complete(
                plan_step=plan_step, membership=request.membership, **data.validated_data
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc) or None) from exc
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise exceptions.ValidationError(exc.message_dict) from exc
            raise Gate(" ".join(exc.messages)) from exc
        return APIResponse(StepSerializer(plan_step).data)
