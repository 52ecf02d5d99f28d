"""`manage.py seed_demo` tells the same story whatever day it runs: a signed plan with its
quarters, a plan in co-creation, deadlines in the next two weeks, a participation window
open now, and nothing it presents as done dated after now.

Each case seeds the whole demo (several seconds), so the days are few and chosen:
today, next year, a leap day, the first minutes of a Kenyan fiscal year and of the
design day's anniversary (when ``counties.demo_clock`` moves the story a year on and
what it records as done comes closest to now). Minutes after midnight in Nairobi are
still the day before in UTC, so dates taken from the wrong clock show up there.
"""

import re
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.db.models import Max
from django.utils import timezone

from calendars.items import dated_items
from counties.demo_clock import DESIGN_TODAY, fiscal_year, shift, year, years
from counties.models import Meeting
from jwp.models import AuditEvent
from jwp.tenancy import CountyOwned, all_counties_context, county_context
from monitoring.models import Result
from notifications.models import Notification
from progress.models import ActivityProgress
from sectorplans import selectors as sectorplan_selectors
from workplans.models import JointWorkPlan, MilestoneStatus, PlanStatus, ReviewMilestone

pytestmark = pytest.mark.django_db

NAIROBI = ZoneInfo(settings.TIME_ZONE)

MOMENTS = {
    "now": lambda: timezone.now(),
    "in 450 days": lambda: timezone.now() + timedelta(days=450),
    "leap day": lambda: datetime(2028, 2, 29, 12, 0, tzinfo=NAIROBI),
    "first minutes of a Kenyan fiscal year": lambda: datetime(2029, 7, 1, 0, 5, tzinfo=NAIROBI),
    "first minutes of the design day's anniversary": lambda: datetime(
        DESIGN_TODAY.year + 5, DESIGN_TODAY.month, DESIGN_TODAY.day, 0, 5, tzinfo=NAIROBI
    ),
}

# Date-time fields that may lie ahead: when a window, a meeting or an invitation runs.
# Every other date-time field stamps something that happened.
SCHEDULED_AT = {"opens_at", "closes_at", "starts_at", "ends_at", "expires_at"}
# Date fields that say when something happened (the rest are plans and deadlines).
HAPPENED_ON = {
    "approved_on",
    "baseline_date",
    "conducted_on",
    "decided_on",
    "digest_date",
    "disbursed_on",
    "held_on",
    "joined_on",
    "received_on",
    "reviewed_on",
    "visited_on",
}
NAMES_AHEAD = {AuditEvent, Notification}
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# "20 January 2026", "January–March 2026", "February 2026" in narrative text. (Not in the
# audit trail's summaries: they may name the dates a step plans, "Laid out … to 7 May";
# nor in notifications, which name the deadline ahead: "nominate a member by 29 May".)
SPOKEN_DATE = re.compile(rf"\b(?:(\d{{1,2}}) )?({MONTHS}) (\d{{4}})\b")


def _our_models():
    base = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if str(config.path).startswith(base) and ".venv" not in str(config.path):
            yield from config.get_models()


def _rows(model):
    manager = model._default_manager
    return manager.all_counties() if issubclass(model, CountyOwned) else manager.all()


def _dated_after_today(now: datetime, today: date) -> list[str]:
    """Every stamp of something that happened, and every date spoken in text, after now."""
    late = []
    for model in _our_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                limit = None if field.name in SCHEDULED_AT else now
            elif isinstance(field, models.DateField):
                limit = today if field.name in HAPPENED_ON else None
            elif (
                isinstance(field, models.CharField | models.TextField) and model not in NAMES_AHEAD
            ):
                texts = _rows(model).exclude(**{field.name: ""}).values_list(field.name, flat=True)
                for text in texts:
                    for day, month, year in SPOKEN_DATE.findall(text or ""):
                        spoken = datetime.strptime(f"{day or 1} {month} {year}", "%d %B %Y")
                        if spoken.date() > today:
                            late.append(f"{model.__name__}.{field.name}: {text!r}")
                continue
            else:
                continue
            if limit is None:
                continue
            latest = _rows(model).aggregate(latest=Max(field.name))["latest"]
            if latest is not None and latest > limit:
                late.append(f"{model.__name__}.{field.name} = {latest}")
    held = Meeting.objects.all_counties().filter(attendance__isnull=False).distinct()
    late += [f"held meeting {m.title!r} on {m.starts_at}" for m in held if m.starts_at > now]
    done = ReviewMilestone.objects.all_counties().filter(status=MilestoneStatus.DONE)
    late += [f"done milestone {m.deliverable!r}" for m in done if m.review_date > today]
    return late


@pytest.mark.parametrize("moment", MOMENTS.values(), ids=MOMENTS.keys())
def test_the_demo_tells_its_story_on_any_day(county, moment):
    with time_machine.travel(moment(), tick=False):
        call_command("seed_demo", stdout=StringIO())
        now, today = timezone.now(), timezone.localdate()
        with county_context([county]):
            plans = {p.fiscal_year: p for p in JointWorkPlan.objects.for_county(county)}
            signed = plans[fiscal_year("2024/25")]
            assert signed.status == PlanStatus.SIGNED and signed.end_date < today
            assert plans[fiscal_year("2025/26")].status == PlanStatus.CO_CREATION
            progress = ActivityProgress.objects.for_county(county).filter(plan=signed)
            results = Result.objects.for_county(county).filter(indicator__plan=signed)
            assert set(progress.values_list("quarter", flat=True)) == {1, 2, 3, 4}
            assert set(results.values_list("quarter", flat=True)) == {1, 2, 3, 4}

            soon = dated_items(county, today, today + timedelta(days=14), today=today)
            assert [item for item in soon if not item.done], today
            windows = sectorplan_selectors.public_windows(county=county)
            assert [w for w in windows if w.is_open()], now

        with all_counties_context():
            assert _dated_after_today(now, today) == [], today


def test_the_demo_clock_counts_whole_years_rounded_down():
    anniversary = DESIGN_TODAY.replace(year=DESIGN_TODAY.year + 2)
    assert years(DESIGN_TODAY) == 0
    assert years(DESIGN_TODAY - timedelta(days=1)) == -1
    assert years(anniversary - timedelta(days=1)) == 1
    assert years(anniversary) == 2


def test_the_demo_clock_moves_dates_labels_and_years_alike():
    one_year_on = datetime(DESIGN_TODAY.year + 1, DESIGN_TODAY.month, 2, 12, tzinfo=NAIROBI)
    with time_machine.travel(one_year_on, tick=False):
        assert shift(date(2024, 2, 29)) == date(2025, 2, 28)  # no 29 February in 2025
        assert shift(datetime(2024, 7, 12, 11, tzinfo=NAIROBI)) == datetime(
            2025, 7, 12, 11, tzinfo=NAIROBI
        )
        assert (fiscal_year("2024/25"), fiscal_year("FY2025"), year(2025)) == (
            "2025/26",
            "FY2026",
            2026,
        )
