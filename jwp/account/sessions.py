"""Session limits (L3): an idle timeout (shorter for privileged roles) and an absolute one.

At log-in the session records when it started and how long it may stay idle; on each
request ``SessionLimitsMiddleware`` ends a session idle for longer, or older than
``JWP_SESSION_ABSOLUTE`` (the cookie's own age is the same, so a browser drops it too).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

STARTED = "jwp_session_started"
SEEN = "jwp_session_seen"
IDLE = "jwp_session_idle"
_SEEN_GRANULARITY = 60  # write the session at most once a minute for activity


def session_start(request, *, privileged: bool) -> None:
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now
    request.session[IDLE] = (
        settings.JWP_SESSION_IDLE_PRIVILEGED if privileged else settings.JWP_SESSION_IDLE
    )


def session_expired(request) -> str | None:
    """Why the signed-in session must end now, or None; notes activity otherwise."""
    session = request.session
    now = int(time.time())
    if STARTED not in session:  # a session from before these limits: starts now
        session[STARTED] = session[SEEN] = now
        session[IDLE] = settings.JWP_SESSION_IDLE_PRIVILEGED
    if now - session[STARTED] > settings.JWP_SESSION_ABSOLUTE:
        return _("You were logged out: a session lasts at most %(hours)d hours.") % {
            "hours": settings.JWP_SESSION_ABSOLUTE // 3600
        }
    if now - session[SEEN] > session[IDLE]:
        return _("You were logged out after %(minutes)d minutes without activity.") % {
            "minutes": session[IDLE] // 60
        }
    if now - session[SEEN] >= _SEEN_GRANULARITY:
        session[SEEN] = now
    return None


class SessionLimitsMiddleware:
    """After AuthenticationMiddleware: ends sessions that are idle or too old."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = session_expired(request)
            if reason:
                logout(request)
                messages.info(request, reason)
        return self.get_response(request)
