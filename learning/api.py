"""API of the learning area, read-only: the lessons repository (same search as the
page), evaluations with their criterion ratings, and recommendations with where they
stand (including those carried into a later plan)."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from jwp.api import CountyListAPIView
from jwp.filters import CountyFilterSet
from learning import selectors
from learning.models import (
    OPEN_STATUSES,
    CriterionRating,
    Evaluation,
    EvaluationKind,
    Lesson,
    LessonSource,
    Recommendation,
    RecommendationStatus,
    Theme,
)


class LessonSerializer(serializers.ModelSerializer):
    sectors = serializers.SerializerMethodField()
    themes = serializers.SerializerMethodField()
    fiscal_year = serializers.CharField(source="plan.fiscal_year")

    class Meta:
        model = Lesson
        fields = [
            "id",
            "plan",
            "fiscal_year",
            "title",
            "text",
            "evidence",
            "sectors",
            "themes",
            "source",
            "session",
            "visit",
            "evaluation",
            "source_note",
            "created_at",
        ]

    def get_sectors(self, lesson) -> list[str]:
        return [s.slug for s in lesson.sectors.all()]

    def get_themes(self, lesson) -> list[str]:
        return [t.theme for t in lesson.theme_rows.all()]


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CriterionRating
        fields = ["criterion", "rating", "findings"]


class EvaluationSerializer(serializers.ModelSerializer):
    ratings = RatingSerializer(many=True, source="ratings_in_order")

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "plan",
            "kind",
            "conducted_on",
            "conducted_by",
            "methods",
            "summary",
            "ratings",
        ]


class RecommendationSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField()
    made_in = serializers.CharField(source="plan.fiscal_year")

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "evaluation",
            "plan",
            "made_in",
            "carried_into",
            "text",
            "responsible_organization",
            "responsible_user",
            "due_date",
            "priority",
            "status",
            "closing_note",
            "closed_at",
            "is_overdue",
        ]


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, description="Words to search (PostgreSQL: web-search syntax)"
            ),
            OpenApiParameter("plan", int),
            OpenApiParameter("sector", int),
            OpenApiParameter("theme", str, enum=Theme.values),
            OpenApiParameter("source", str, enum=LessonSource.values),
        ]
    )
)
class LessonList(CountyListAPIView):
    """Lessons, newest first; ``?q=`` searches like the page (ranked full-text on
    PostgreSQL); filters ``plan``, ``sector`` (id), ``theme``, ``source``."""

    queryset = Lesson.objects.none()
    serializer_class = LessonSerializer

    def get_queryset(self):
        params = self.request.query_params
        sector = params.get("sector", "")
        theme = params.get("theme", "")
        source = params.get("source", "")
        qs = selectors.search_lessons(
            county=self.county,
            q=params.get("q", ""),
            theme=theme if theme in Theme.values else "",
            source=source if source in LessonSource.values else "",
        )
        if params.get("plan", "").isdigit():
            qs = qs.filter(plan_id=int(params["plan"]))
        if sector.isdigit():
            qs = qs.filter(sectors__id=int(sector))
        return qs


class EvaluationFilter(CountyFilterSet):
    # ids, not model choices: a choice field would list every county's rows
    plan = django_filters.NumberFilter(field_name="plan_id")
    kind = django_filters.ChoiceFilter(choices=EvaluationKind.choices)

    class Meta:
        model = Evaluation
        fields = ["plan", "kind"]


class EvaluationList(CountyListAPIView):
    queryset = Evaluation.objects.none()
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilter

    def get_queryset(self):
        ratings = CriterionRating.objects.for_county(self.county).order_by("pk")
        return (
            Evaluation.objects.for_county(self.county)
            .prefetch_related(Prefetch("ratings", queryset=ratings, to_attr="ratings_in_order"))
            .order_by("plan", "conducted_on", "pk")
        )


class RecommendationFilter(CountyFilterSet):
    plan = django_filters.NumberFilter(
        method="for_plan", label="Plan (its own, not carried on, and those carried into it)"
    )
    evaluation = django_filters.NumberFilter(field_name="evaluation_id")
    status = django_filters.ChoiceFilter(choices=RecommendationStatus.choices)
    open = django_filters.BooleanFilter(method="only_open", label="Open or in progress")
    overdue = django_filters.BooleanFilter(method="only_overdue", label="Open and past due")

    class Meta:
        model = Recommendation
        fields = ["evaluation", "status", "priority"]

    def for_plan(self, qs, _name, value):
        return qs.filter(Q(plan_id=value, carried_into__isnull=True) | Q(carried_into_id=value))

    def only_open(self, qs, _name, value):
        return (
            qs.filter(status__in=OPEN_STATUSES) if value else qs.exclude(status__in=OPEN_STATUSES)
        )

    def only_overdue(self, qs, _name, value):
        late = Q(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
        return qs.filter(late) if value else qs.exclude(late)


class RecommendationList(CountyListAPIView):
    queryset = Recommendation.objects.none()
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter

    def get_queryset(self):
        return (
            Recommendation.objects.for_county(self.county)
            .select_related("plan")
            .order_by("due_date", "pk")
        )
