"""Reads of the learning app; every function takes the county (or a plan of it)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from learning.models import (
    OPEN_STATUSES,
    Lesson,
    Recommendation,
)
from workplans.models import JointWorkPlan


def open_recommendations(plan: JointWorkPlan) -> QuerySet[Recommendation]:
    """Open and in-progress recommendations a plan must act on: its own (unless carried
    on to a later plan) and those carried into it from an earlier cycle, most urgent first.

    Each row has ``get_absolute_url``, ``is_overdue`` and ``carried_into_id``; the
    evaluation and its plan are selected (``rec.plan.fiscal_year`` is the cycle it came from).
    """
    return (
        Recommendation.objects.for_county(plan.county_id)
        .filter(
            Q(plan=plan, carried_into__isnull=True) | Q(carried_into=plan),
            status__in=OPEN_STATUSES,
        )
        .select_related("county", "evaluation", "plan", "responsible_organization")
        .order_by("due_date", "pk")
    )


def search_lessons(
    *,
    county,
    q: str = "",
    plan=None,
    sector=None,
    theme: str = "",
    source: str = "",
) -> QuerySet[Lesson]:
    """The lessons repository, filtered; ``q`` searches title, text and evidence.

    On PostgreSQL: full-text search (English stemming, web-search syntax: quoted
    phrases, ``-word``), ranked title > text > evidence. On SQLite: every word
    must appear (case-insensitive) in one of the three fields, newest first.
    """
    qs = Lesson.objects.for_county(county)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if sector is not None:
        qs = qs.filter(sectors=sector)
    if theme:
        qs = qs.filter(theme_rows__theme=theme)
    if source:
        qs = qs.filter(source=source)
    qs = qs.select_related("plan", "county").prefetch_related("sectors", "theme_rows")
    q = (q or "").strip()
    if not q:
        return qs.order_by("-created_at", "-pk")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("text", weight="B", config="english")
            + SearchVector("evidence", weight="C", config="english")
        )
        query = SearchQuery(q, search_type="websearch", config="english")
        return (
            qs.annotate(search=vector)
            .filter(search=query)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", "-created_at", "-pk")
        )
    for word in q.split():
        qs = qs.filter(
            Q(title__icontains=word) | Q(text__icontains=word) | Q(evidence__icontains=word)
        )
    return qs.order_by("-created_at", "-pk")
