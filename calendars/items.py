"""Every dated thing in the product, as one shape: the calendar shows them, reminders send them.

Apps do not know about the calendar. Each area contributes a *provider*: a
function ``provider(county, start, end, today) -> Iterable[DatedItem]`` registered
with :func:`provider`. ``today`` is the caller's clock, read once: whether an item
is done ("held", "opened", "passed") is decided against it and never against the
real date, so the reminder sweep of a given day sees the same items whatever day it
actually runs on (one clock per sweep, passed down). The calendar views, the ICS
feeds and the reminder sweep all call :func:`dated_items`, so a new kind of
deadline appears everywhere at once.

Callers must already be inside ``county_context([county.pk])`` (views and
tasks are); providers read through ``.for_county(county)``.

``key`` is stable and unique across the product ("actionitem:12",
"pfm:cfsp:2025/26"): reminders are de-duplicated on (key, threshold,
recipient) by a database constraint, so a key must never be reused for a
different thing.
"""

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    PFM = "pfm", _("County PFM milestone")
    USAID = "usaid", _("USAID planning milestone")
    JWP = "jwp", _("JWP process event")
    SECTOR_PLAN_STEP = "sector_plan_step", _("Sector plan step")
    PARTICIPATION = "participation", _("Public participation window")
    NOMINATION = "nomination", _("Nomination due")
    MEETING = "meeting", _("Meeting")
    ACTION_ITEM = "action_item", _("Action item")
    MILESTONE = "milestone", _("Work-plan milestone")
    RESULT_SUBMISSION = "result_submission", _("Result submission")
    ADAPTATION = "adaptation", _("Adaptation action")
    RECOMMENDATION = "recommendation", _("Recommendation")
    # Not a dated item: "your turn" notifications of workflow steps (a plan waiting for
    # its TWG review, a result waiting for verification…). Listed here so that members
    # choose how they receive them like any other kind; no calendar provider emits it.
    WORKFLOW = "workflow", _("Your turn in a workflow")


@dataclass(frozen=True)
class DatedItem:
    key: str
    county_id: int
    kind: str  # an ItemKind value
    title: str
    date: date
    url: str = ""  # a path inside the county workspace, "" when there is no page
    sector_id: int | None = None
    # Who is reminded. Empty means "the county's secretariat".
    responsible_user_ids: tuple[int, ...] = ()
    done: bool = False  # done items are shown but never reminded
    legal_reference: str = ""  # statutory milestones: "PFM Act 2012 s.128"
    end: date | None = None  # windows and events spanning several days
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_deadline(self) -> bool:
        """Something someone must deliver by the date (not a milestone to know about, an
        event or a window): only deadlines are ever shown as overdue."""
        return self.end is None and self.kind not in INFORMATIONAL


INFORMATIONAL = frozenset({ItemKind.PFM, ItemKind.USAID, ItemKind.JWP, ItemKind.MEETING})


Provider = Callable[..., Iterable[DatedItem]]
_PROVIDERS: list[Provider] = []


def provider(fn: Provider) -> Provider:
    """Register a provider (decorator). Idempotent, so module reloads do not double it."""
    if fn.__qualname__ not in {p.__qualname__ for p in _PROVIDERS}:
        _PROVIDERS.append(fn)
    return fn


_shared: ContextVar[dict | None] = ContextVar("calendars_shared_reads", default=None)


def shared(key, compute: Callable):
    """A read several providers need (the county's sector leads, its partners), done once
    per ``dated_items`` call; outside one, computed each time."""
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def dated_items(
    county,
    start: date,
    end: date,
    *,
    kinds: Iterable[str] | None = None,
    today: date | None = None,
):
    """All the county's items dated between start and end (inclusive), by date then key,
    as of ``today`` (default: the county's local date now, read once for every provider)."""
    wanted = set(kinds) if kinds else None
    today = today or timezone.localdate()
    token = _shared.set({})
    try:
        items = [
            item
            for fn in _PROVIDERS
            for item in fn(county, start, end, today)
            if start <= item.date <= end and (wanted is None or item.kind in wanted)
        ]
    finally:
        _shared.reset(token)
    return sorted(items, key=lambda item: (item.date, item.key))
