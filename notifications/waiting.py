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

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


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


# --- the header's count: cached per (member, county) ----------------------------------
#
# Every page shows how many items wait for the member in the current county. Running
# every provider on every page would cost each provider's queries on each request, so
# the count is cached. A county's *version* changes whenever a workflow event there is
# notified or resolved (notifications.services.events), which makes every cached count
# of that county stale at once: the actor's item is gone, the next actor's has come, a
# colleague's shared item too. Items that change with the date alone (an action item
# falling due) or a changed role are picked up when the short timeout passes.

COUNT_TIMEOUT = 120  # seconds
_VERSION_TIMEOUT = 60 * 60 * 24


def _version_key(county_id: int) -> str:
    return f"jwp:waiting:version:{county_id}"


def _count_key(membership) -> str:
    return f"jwp:waiting:count:{membership.county_id}:{membership.user_id}"


def _stamp(membership, today: date) -> tuple:
    """What a cached count was computed for: a different role or day is a different count."""
    return (
        membership.role,
        membership.sector_id,
        membership.organization_id,
        today.isoformat(),
    )


def _cache_call(method: str, *args, **kwargs):
    """The count is a convenience: an unreachable cache must not fail a page or, worse,
    the workflow step that bumps the version. Logged, and treated as a miss."""
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception:  # the cache backend's own errors (redis.ConnectionError…)
        logger.warning("waiting count: cache %s failed", method, exc_info=True)
        return None


def cached_count(membership, *, today: date | None = None) -> int | None:
    """The member's count if a fresh one is cached (no SQL), else None."""
    today = today or timezone.localdate()
    found = (
        _cache_call("get_many", [_version_key(membership.county_id), _count_key(membership)]) or {}
    )
    entry = found.get(_count_key(membership))
    if entry is None:
        return None
    version, stamp, count = entry
    if version != found.get(_version_key(membership.county_id)):
        return None
    if stamp != _stamp(membership, today):
        return None
    return count


def remember_count(membership, count: int, *, today: date | None = None) -> None:
    today = today or timezone.localdate()
    version = _cache_call("get", _version_key(membership.county_id))
    entry = (version, _stamp(membership, today), count)
    _cache_call("set", _count_key(membership), entry, COUNT_TIMEOUT)


def count_for(membership, *, today: date | None = None) -> int:
    """The member's count: cached, or computed (every provider) and cached."""
    today = today or timezone.localdate()
    count = cached_count(membership, today=today)
    if count is None:
        count = len(waiting_for(membership, today=today))
        remember_count(membership, count, today=today)
    return count


def county_changed(county_id: int) -> None:
    """Every cached count of the county is stale (a workflow event happened there).

    Called now and again when the transaction commits: a page rendered meanwhile
    from the old rows may have cached its count under the first new version.
    """

    def bump():
        _cache_call("set", _version_key(county_id), uuid.uuid4().hex, _VERSION_TIMEOUT)

    bump()
    transaction.on_commit(bump)
