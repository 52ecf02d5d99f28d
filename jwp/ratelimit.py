"""A small per-client rate limit on the Django cache (Redis in production).

Fixed windows: the first hit of a client in a window creates a counter that expires
with the window; later hits increment it. Good enough for a public form (the
counters are shared by every web process through the cache); not a precise meter.
"""

from __future__ import annotations

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


def _trusted_networks() -> list:
    return [ipaddress.ip_network(n, strict=False) for n in settings.JWP_TRUSTED_PROXIES]


def _is_trusted(address: str, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or the proxy's word for it if the proxy is trusted.

    ``X-Forwarded-For`` is set by whoever sends the request, so it is read only when
    ``REMOTE_ADDR`` is one of ``JWP_TRUSTED_PROXIES`` (addresses or networks, from the
    environment). Then the list is walked from the right, skipping trusted proxies: the
    first address no trusted proxy would have written is the client (what a client puts
    at the left of the header cannot choose its bucket)."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    networks = _trusted_networks()
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for address in reversed([a.strip() for a in forwarded.split(",") if a.strip()]):
        if not _is_trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # garbage from the left of the chain: the proxy's bucket
    return remote


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]  # no raw addresses in the cache
    return f"ratelimit:{settings.JWP_RATELIMIT_NAMESPACE}{scope}:{digest}"


def count(scope: str, ident: str) -> int:
    """Hits of ``ident`` in ``scope``'s current window (0 if none), without counting one."""
    return cache.get(_key(scope, ident)) or 0


def reset(scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))


def hit(scope: str, ident: str, *, limit: int, period: int) -> bool:
    """Count one hit of ``ident`` in ``scope``; False once it is over ``limit`` per ``period`` s."""
    key = _key(scope, ident)
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
