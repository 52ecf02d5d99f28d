"""Reads of the sector plan workflow. Always take the county (or an object of it)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from counties.models import County
from jwp import audit
from jwp.models import AuditEvent
from sectorplans.models import (
    FINISHED,
    Moderation,
    ParticipationWindow,
    PlanDecision,
    PlanDocument,
    PlanStatus,
    PlanStep,
    PublicComment,
    SectorPlan,
    StepStatus,
)


def county_plans(
    *,
    county: County,
    sector: int | None = None,
    period: int | None = None,
    status: str = "",
    today: date | None = None,
) -> QuerySet[SectorPlan]:
    """Every plan of the county with its progress, in one query:
    ``done`` and ``finished`` step counts, ``current_step`` (the first unfinished step),
    ``next_due`` (the earliest due date of an unfinished step), ``overdue``."""
    today = today or timezone.localdate()
    unfinished = ~Q(steps__status__in=FINISHED)
    qs = (
        SectorPlan.objects.for_county(county)
        .select_related("sector", "lead")
        .annotate(
            finished=Count("steps", filter=Q(steps__status__in=FINISHED)),
            current_step=Min("steps__step__number", filter=unfinished),
            next_due=Min("steps__due_date", filter=unfinished),
            overdue=Count("steps", filter=unfinished & Q(steps__due_date__lt=today)),
        )
    )
    if sector:
        qs = qs.filter(sector=sector)
    if period:
        qs = qs.filter(period_start=period)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-period_start", "sector__order", "-version")


def plan_periods(*, county: County) -> list[int]:
    return list(
        SectorPlan.objects.for_county(county)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .distinct()
    )


def plan_steps(*, plan: SectorPlan) -> QuerySet[PlanStep]:
    return (
        PlanStep.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .select_related("step", "completed_by", "responsible_organization")
        .order_by("step__number")
    )


def plan_step(*, plan: SectorPlan, number: int) -> PlanStep | None:
    return plan_steps(plan=plan).filter(step__number=number).first()


def plan_windows(*, plan: SectorPlan) -> QuerySet[ParticipationWindow]:
    """The plan's windows with their comment counts (the participation record)."""
    accepted = Q(comments__moderation=Moderation.ACCEPTED)
    return (
        ParticipationWindow.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .select_related("plan_step__step")
        .annotate(
            comment_count=Count("comments"),
            pending_count=Count("comments", filter=Q(comments__moderation=Moderation.PENDING)),
            accepted_count=Count("comments", filter=accepted),
            responded_count=Count("comments", filter=accepted & ~Q(comments__response="")),
        )
        .order_by("opens_at")
    )


def window_comments(
    *, window: ParticipationWindow, moderation: str = ""
) -> QuerySet[PublicComment]:
    qs = (
        PublicComment.objects.for_county(window.county_id)
        .filter(window=window)
        .select_related("ward")
    )
    return qs.filter(moderation=moderation) if moderation else qs


def plan_decisions(*, plan: SectorPlan) -> QuerySet[PlanDecision]:
    return (
        PlanDecision.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .select_related("plan_step__step", "recorded_by")
    )


def plan_documents(*, plan: SectorPlan, public_only: bool = False) -> QuerySet[PlanDocument]:
    qs = (
        PlanDocument.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .select_related("plan_step__step", "uploaded_by")
        .order_by("kind", "-version")
    )
    return qs.filter(is_public=True) if public_only else qs


def plan_audit(*, plan: SectorPlan) -> QuerySet[AuditEvent]:
    """The plan's events and its steps', windows', comments', decisions' and documents'
    (services put the plan's id in ``data["plan"]``)."""
    return audit.trail(
        obj=plan,
        key="plan",
        children=(
            SectorPlan,
            PlanStep,
            ParticipationWindow,
            PublicComment,
            PlanDecision,
            PlanDocument,
        ),
    )


# --- public -------------------------------------------------------------------


def published_plans(*, county: County) -> QuerySet[SectorPlan]:
    return (
        SectorPlan.objects.for_county(county)
        .filter(status=PlanStatus.PUBLISHED)
        .select_related("sector")
        .order_by("-published_at")
    )


def public_windows(*, county: County, now=None) -> QuerySet[ParticipationWindow]:
    """Windows the public may see: open now, or closed (their "you said, we did")."""
    now = now or timezone.now()
    return (
        ParticipationWindow.objects.for_county(county)
        .filter(opens_at__lte=now)
        .select_related("plan__sector", "plan_step__step")
        .order_by("-closes_at")
    )


def accepted_comments(*, county: County) -> QuerySet[PublicComment]:
    """Comments shown to the public: accepted by moderation, in windows already open."""
    return (
        PublicComment.objects.for_county(county)
        .filter(moderation=Moderation.ACCEPTED, window__opens_at__lte=timezone.now())
        .select_related("ward", "window__plan", "window__plan_step__step")
        .order_by("window__opens_at", "submitted_at", "id")
    )


def step_counts(plan: SectorPlan) -> dict[str, int]:
    rows = (
        PlanStep.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    counts = {status: 0 for status in StepStatus.values}
    counts.update(dict(rows))
    return counts
