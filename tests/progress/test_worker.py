"""A real Celery worker on Redis runs the trigger detection of one plan, twice."""

import time
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker

from jwp.celery import app as celery_app
from jwp.tenancy import county_context
from progress import tasks
from progress.models import AdaptationItem, Trigger
from tests import factories


def _items(county):
    with county_context([county]):
        return list(AdaptationItem.objects.for_county(county).values_list("trigger", flat=True))


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_raises_the_adaptation_item_once(county):
    plan = factories.JointWorkPlanFactory(county=county, status="signed")
    factories.FeedbackFactory(county=county, plan=plan, received_on=date(2025, 8, 1))
    celery_app.conf.task_always_eager = False

    def wait_for(n):
        deadline = time.monotonic() + 30
        while len(_items(county)) < n and time.monotonic() < deadline:
            time.sleep(0.1)

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        for _ in range(2):
            tasks.detect_plan_triggers.delay(plan_id=plan.pk, county_id=county.pk)
        wait_for(1)
        # One worker takes tasks in order: once the third run has raised the new
        # feedback's item, the second run is over too — and raised nothing twice.
        factories.FeedbackFactory(county=county, plan=plan, received_on=date(2025, 9, 1))
        tasks.detect_plan_triggers.delay(plan_id=plan.pk, county_id=county.pk)
        wait_for(2)
    assert _items(county) == [Trigger.FEEDBACK, Trigger.FEEDBACK]
