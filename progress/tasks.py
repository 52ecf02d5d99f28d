"""Celery tasks of progress: thin — set the county context, fetch, call a service."""

from celery import shared_task
from django.utils import timezone

from counties.models import County
from jwp.tenancy import county_context
from progress import services
from workplans.models import JointWorkPlan


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def detect_plan_triggers(self, *, plan_id: int, county_id: int) -> int:
    """Run adaptation-trigger detection over the started quarters of one plan.
    Idempotent: items exist once per cause and period, so a retry creates nothing twice."""
    with county_context([county_id]):
        plan = JointWorkPlan.objects.for_county(county_id).filter(pk=plan_id).first()
        if plan is None:
            return 0
        return len(services.detect_for_plan(plan=plan))


@shared_task
def detect_triggers_for_open_plans() -> int:
    """Daily (beat): one detection task per signed plan under implementation."""
    today = timezone.localdate()
    queued = 0
    for county_id in County.objects.values_list("pk", flat=True):
        with county_context([county_id]):
            plan_ids = list(services.open_plans(county_id, today).values_list("pk", flat=True))
        for plan_id in plan_ids:
            detect_plan_triggers.delay(plan_id=plan_id, county_id=county_id)
            queued += 1
    return queued
