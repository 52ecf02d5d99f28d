"""Demo data of the calendar: JWP process events (manual §4) for Samburu and Turkana.

Samburu's last finished cycle (inception in August, co-creation in October after the
county's ADP and CBROP, TWG review, pause-and-reflect sessions, close-out in June):
written as 2025/26 and dated, through counties.demo_clock, one cycle before the plan in
co-creation, so it is over on any day the demo is seeded; and events dated relative to
today in both counties so that the calendar and the reminder sweep (notifications.demo,
which runs after this) have items in the next 14 days. Everything else on the calendar
comes from the other demos through the providers. Created through the services, so the
audit trail shows them.
"""

from datetime import date, timedelta

from django.utils import timezone

from calendars import services
from calendars.models import EventKind
from counties import demo_clock
from jwp.fiscal import kenyan_year
from jwp.tenancy import county_context

K = EventKind
# Design dates (counties.demo_clock); titles name the design year, replaced when seeding.
LAST_CYCLE_DESIGN_YEAR = "2025/26"
LAST_CYCLE = [
    (K.INCEPTION, "JWP inception meeting 2025/26", date(2025, 8, 12), None),
    (K.CO_CREATION, "Co-creation workshop 2025/26", date(2025, 10, 20), date(2025, 10, 22)),
    (K.TWG_REVIEW, "TWG review of the consolidated work plan", date(2025, 11, 25), None),
    (K.PAUSE_AND_REFLECT, "Pause and reflect: mid-year review", date(2026, 1, 28), None),
    (K.PAUSE_AND_REFLECT, "Pause and reflect: third quarter", date(2026, 4, 22), None),
    (K.CLOSE_OUT, "Close-out and learning event 2025/26", date(2026, 6, 24), date(2026, 6, 25)),
]


def _secretariat(demo, county):
    return demo.users[f"secretariat@{county.slug}.demo"]


def _create(county, actor, kind, title, starts_on, ends_on=None, notes=""):
    return services.event_create(
        county=county,
        actor=actor,
        kind=kind,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=notes,
    )


def last_cycle_label() -> str:
    return demo_clock.fiscal_year(LAST_CYCLE_DESIGN_YEAR, extra_years=-1)


def seed(demo) -> None:
    today = timezone.localdate()
    year = kenyan_year(today)
    samburu, turkana = demo.samburu, demo.turkana
    label = last_cycle_label()
    with county_context([samburu]):
        actor = _secretariat(demo, samburu)
        for kind, title, starts_on, ends_on in LAST_CYCLE:
            _create(
                samburu,
                actor,
                kind,
                title.replace(LAST_CYCLE_DESIGN_YEAR, label),
                demo_clock.shift(starts_on, extra_years=-1),
                demo_clock.shift(ends_on, extra_years=-1) if ends_on else None,
            )
        _create(
            samburu,
            actor,
            K.TWG_REVIEW,
            "TWG review of partner commitments",
            today + timedelta(days=4),
            notes="Partners bring their confirmed cost-share figures (section 4 of the plan).",
        )
        _create(
            samburu,
            actor,
            K.PAUSE_AND_REFLECT,
            f"Pause and reflect: {year.label} first quarter",
            today + timedelta(days=11),
            today + timedelta(days=12),
            notes="Results of the first quarter are due before this session.",
        )
        _create(
            samburu,
            actor,
            K.CO_CREATION,
            f"Co-creation workshop for the {year.next().label} JWP",
            today + timedelta(days=75),
            today + timedelta(days=77),
        )
    with county_context([turkana]):
        actor = _secretariat(demo, turkana)
        _create(turkana, actor, K.INCEPTION, "JWP inception meeting", today - timedelta(days=30))
        _create(
            turkana,
            actor,
            K.CO_CREATION,
            "Co-creation workshop (Lodwar)",
            today + timedelta(days=9),
            today + timedelta(days=10),
        )
        _create(turkana, actor, K.TWG_REVIEW, "TWG review", today + timedelta(days=40))
