"""The account page: log out everywhere, two-factor sign-in."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from jwp.account import gate, selectors, services
from jwp.account.forms import CodeForm, EnrolForm, PasswordForm
from jwp.forms import add_service_errors


@login_required
def account(request):
    user = request.user
    return render(
        request,
        "account/account.html",
        {
            "has_two_factor": selectors.has_two_factor(user),
            "two_factor_required": selectors.two_factor_required(user),
            "backup_codes_left": selectors.backup_codes_left(user),
            "disable_form": PasswordForm(),
        },
    )


@require_POST
@login_required
def logout_everywhere(request):
    services.user_logout_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("You were logged out on every device, this one too."))
    return redirect("login")


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_data_uri(device) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2)


@never_cache
@login_required
def two_factor_enrol(request):
    """Set up an authenticator app: scan, then prove it with one code; backup codes once."""
    device = services.two_factor_start(user=request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_confirm(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            otp_login(request, device)
            gate.step_done(request)
            return render(
                request, "account/backup_codes.html", {"codes": codes, "next": _next_url(request)}
            )
    return render(
        request,
        "account/two_factor_enrol.html",
        {
            "form": form,
            "qr": _qr_data_uri(device),
            "secret": device_secret(device),
            "required": request.session.get(gate.GATE) == gate.ENROL,
            "next": _next_url(request),
        },
    )


def device_secret(device) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@login_required
def two_factor_verify(request):
    """The second step of logging in: a code from the app or a backup code."""
    if request.session.get(gate.GATE) != gate.VERIFY:
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is None:
            form.add_error("code", _("That code is not right, or was used already."))
        else:
            otp_login(request, device)
            gate.step_done(request)
            return redirect(_next_url(request))
    return render(
        request, "account/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@require_POST
@login_required
def two_factor_disable(request):
    form = PasswordForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Type your password to turn two-factor sign-in off."))
        services.two_factor_disable(user=request.user, password=form.cleaned_data["password"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("account:home")


@never_cache
@require_POST
@login_required
def backup_codes(request):
    try:
        codes = services.two_factor_new_backup_codes(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("account:home")
    return render(
        request, "account/backup_codes.html", {"codes": codes, "next": reverse("account:home")}
    )
