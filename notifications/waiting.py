"""What is waiting for this member in this county: one question, one answer.

Each area that has workflow steps contributes a *provider*:

    @waiting_provider
    def results_to_verify(membership, today) -> Iterable[WaitingItem]:
        ...

A provider receives the member's ``Membership`` (county, role, sector,
organization) and the caller's ``today``, and yields the items on which *this*
member must act now — a plan waiting for the TWG review they chair, a signature
slot of an office they hold, a result they verify, a returned result they must
resubmit. It decides "must act" with the same service predicates that allow the
action (readiness, roles, offices), so the list never offers what would be refused.

Providers run inside ``county_context([membership.county_id])`` and read through
``.for_county(...)``. Each should cost a small, constant number of queries: the
page and the header count call every provider on each request.

Apps register their providers by importing their ``waiting`` module from their
AppConfig.ready() (``import monitoring.waiting  # noqa: F401``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone


@dataclass(frozen=True)
class WaitingItem:
    key: str  # stable and unique ("workplan:12:twg_review", "result:345:verify")
    title: str  # what: "2026/27 joint work plan"
    why: str  # why it waits for you: "You chair the TWG; the plan was consolidated."
    url: str  # where to act
    since: date | datetime | None = None  # since when it waits for you
    area: str = ""  # for grouping: "Joint work plan", "Results", "Sector plans"…


Provider = Callable[..., Iterable[WaitingItem]]
_PROVIDERS: list[Provider] = []


def waiting_provider(fn: Provider) -> Provider:
    """Register ``fn(membership, today)`` as a source of waiting items."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    return fn


def _since_key(item: WaitingItem):
    since = item.since
    if since is None:
        return datetime.max.replace(tzinfo=timezone.get_current_timezone())
    if not isinstance(since, datetime):
        since = datetime.combine(since, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    return since


def waiting_for(membership, *, today: date | None = None) -> list[WaitingItem]:
    """Everything waiting for this member in their county, the longest-waiting first."""
    today = today or timezone.localdate()
    items: list[WaitingItem] = []
    for provider in _PROVIDERS:
        items.extend(provider(membership, today))
    return sorted(items, key=lambda item: (_since_key(item), item.key))
