"""Login throttling that an attacker cannot turn into a lockout of someone else.

Three counters on the cache (Redis in production), none of which locks an account:

- **Per address**: ``JWP_LOGIN_ADDRESS_LIMIT`` failed logins from one client address
  (``jwp.ratelimit.client_ip``: the proxy's word only when the proxy is trusted) in
  ``JWP_LOGIN_ADDRESS_PERIOD`` seconds refuse further attempts from that address until
  the window ends. One guesser is slowed down, whatever accounts it tries.
- **Per account, progressive delay**: after ``JWP_LOGIN_FREE_FAILURES`` failures for an
  e-mail (from any address), each attempt must wait a little longer after the last
  failure (2 s, 4 s, 8 s … at most ``JWP_LOGIN_MAX_DELAY`` s). Attempts within the wait
  are refused without checking the password, so guesses spread over many addresses
  gain nothing; after the short cool-off the right password passes again.
- **Known device**: a browser that has logged into an account before carries a signed
  cookie; for that account it skips the delay (so a stranger's guessing never keeps the
  owner out), but has its own budget of failures before the cookie stops counting.
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from jwp import ratelimit

DEVICE_COOKIE = "jwp_device"
_DEVICE_SALT = "jwp.login.device"
_DEVICE_MAX_AGE = 60 * 60 * 24 * 180
_DEVICE_FAILURES = 5


def _account_key(username: str) -> str:
    return ratelimit._key("login-account", username.strip().lower())


def _device(request, user_pk) -> str | None:
    """The device nonce of this browser if it has logged into ``user_pk`` before."""
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw or user_pk is None:
        return None
    try:
        value = signing.loads(raw, salt=_DEVICE_SALT, max_age=_DEVICE_MAX_AGE)
    except signing.BadSignature:
        return None
    if value.get("u") != user_pk:
        return None
    if ratelimit.count("login-device", value["d"]) >= _DEVICE_FAILURES:
        return None
    return value["d"]


def _address_window(request) -> str:
    """The client's address and the current fixed window: the window is read from the
    clock, not left to the cache's expiry, so it ends on time whatever the cache does."""
    window = int(time.time() // settings.JWP_LOGIN_ADDRESS_PERIOD)
    return f"{ratelimit.client_ip(request)}|{window}"


def account_delay(failures: int) -> int:
    """Seconds an account waits after its last failure, given its failures so far."""
    if failures < settings.JWP_LOGIN_FREE_FAILURES:
        return 0
    return min(2 ** (failures - settings.JWP_LOGIN_FREE_FAILURES + 1), settings.JWP_LOGIN_MAX_DELAY)


def wait_seconds(request, username: str, user_pk=None) -> int:
    """0 if this attempt may check a password, else how long the client should wait."""
    if ratelimit.count("login-address", _address_window(request)) >= (
        settings.JWP_LOGIN_ADDRESS_LIMIT
    ):
        period = settings.JWP_LOGIN_ADDRESS_PERIOD
        return int(period - time.time() % period) or 1
    if _device(request, user_pk):
        return 0
    state = cache.get(_account_key(username))
    if not state:
        return 0
    remaining = state["last"] + account_delay(state["n"]) - time.time()
    return max(0, int(remaining + 0.999))


def record_failure(request, username: str, user_pk=None) -> None:
    ratelimit.hit(
        "login-address",
        _address_window(request),
        limit=settings.JWP_LOGIN_ADDRESS_LIMIT,
        period=settings.JWP_LOGIN_ADDRESS_PERIOD,
    )
    device = _device(request, user_pk)
    if device:
        ratelimit.hit("login-device", device, limit=_DEVICE_FAILURES, period=_DEVICE_MAX_AGE)
        return
    key = _account_key(username)
    state = cache.get(key) or {"n": 0}
    state.update(n=state["n"] + 1, last=time.time())
    cache.set(key, state, timeout=settings.JWP_LOGIN_ACCOUNT_MEMORY)


def record_success(request, username: str) -> None:
    cache.delete(_account_key(username))


def remember_device(response, user) -> None:
    """Mark this browser as one that has logged into ``user`` (a signed, HttpOnly cookie)."""
    value = signing.dumps({"u": user.pk, "d": secrets.token_urlsafe(16)}, salt=_DEVICE_SALT)
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=_DEVICE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
