"""A small per-client rate limit on the Django cache (Redis in production).

Fixed windows: the first hit of a client in a window creates a counter that expires
with the window; later hits increment it. Good enough for a public form (the
counters are shared by every web process through the cache); not a precise meter.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address as the web server saw it.

    ``REMOTE_ADDR`` only: an ``X-Forwarded-For`` header is set by whoever sends the
    request, so trusting it would let anyone pick their own bucket. Behind a proxy,
    let the proxy set ``REMOTE_ADDR`` (gunicorn's ``--forwarded-allow-ips``)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, ident: str, *, limit: int, period: int) -> bool:
    """Count one hit of ``ident`` in ``scope``; False once it is over ``limit`` per ``period`` s."""
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]  # no raw addresses in the cache
    key = f"ratelimit:{scope}:{digest}"
    if cache.add(key, 1, timeout=period):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=period)
        count = 1
    return count <= limit


def allow_request(request, scope: str, *, limit: int, period: int) -> bool:
    """Count this request against its client's limit in ``scope``."""
    return hit(scope, client_ip(request), limit=limit, period=period)
