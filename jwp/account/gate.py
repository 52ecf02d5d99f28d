"""What a person must do right after logging in before anything else.

At log-in (``user_logged_in``) the session is told its limits (``sessions``) and
whether a second step is due: ``verify`` for a person with two-factor on, ``enrol`` for
a person whose county requires it for their role and who has not set it up. Until the
step is done ``TwoFactorGateMiddleware`` lets through only that step's page and log-out.
A county's new requirement applies from each person's next log-in.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from jwp.account import sessions
from jwp.account.selectors import has_two_factor
from jwp.roles import PRIVILEGED_ROLES

GATE = "jwp_two_factor_step"
VERIFY, ENROL = "verify", "enrol"
_STEP_URL = {VERIFY: "account:two_factor_verify", ENROL: "account:two_factor_enrol"}
_ALWAYS_ALLOWED = {"logout", "set_language", "healthz"}


@receiver(user_logged_in, dispatch_uid="jwp.account.gate.on_login")
def on_login(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    from counties.selectors import memberships_for_user

    memberships = memberships_for_user(user)
    privileged = [m for m in memberships if m.role in PRIVILEGED_ROLES]
    sessions.session_start(request, privileged=bool(privileged))
    if has_two_factor(user):
        step = VERIFY
    elif any(m.county.require_two_factor for m in privileged):
        step = ENROL
    else:
        step = None
    if step and getattr(user, "otp_device", None) is None:
        request.session[GATE] = step
    else:
        request.session.pop(GATE, None)


def step_done(request) -> None:
    request.session.pop(GATE, None)


def _allowed(request, step: str) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in _ALWAYS_ALLOWED or match.view_name == _STEP_URL[step]


class TwoFactorGateMiddleware:
    """After OTPMiddleware: a session with a second step due can only take that step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = request.session.get(GATE) if request.user.is_authenticated else None
        if step and not _allowed(request, step):
            if request.path_info.startswith("/api/"):
                message = _("Finish signing in (two-factor) in the browser first.")
                return JsonResponse({"detail": message}, status=403)
            url = reverse(_STEP_URL[step])
            return redirect(f"{url}?next={quote(request.get_full_path())}")
        return self.get_response(request)
