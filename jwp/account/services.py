"""Writes on the signed-in person's own account: log out everywhere, two-factor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jwp.account.selectors import two_factor_required

BACKUP_CODES = 10


def user_logout_everywhere(*, user) -> None:
    """End every session of ``user`` (this one too): the session hash changes."""
    user.session_version += 1
    user.save(update_fields=["session_version"])


def two_factor_start(*, user) -> TOTPDevice:
    """The authenticator key being set up (unconfirmed), made once and kept until used."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Backup codes"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def two_factor_confirm(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor on once a code from the app proves it was set up; returns the
    device and fresh backup codes (shown once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError({"code": _("Start again: the set-up key has expired.")})
    if not device.verify_token((code or "").replace(" ", "")):
        raise ValidationError(
            {"code": _("That code is not right: type the 6 digits your app shows now.")}
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, _new_backup_codes(user)


def two_factor_new_backup_codes(*, user) -> list[str]:
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Turn on two-factor sign-in first."))
    return _new_backup_codes(user)


@transaction.atomic
def two_factor_disable(*, user, password: str) -> None:
    """Turn two-factor off, with the password; not while a county requires it."""
    if not user.check_password(password or ""):
        raise ValidationError({"password": _("That is not your password.")})
    if two_factor_required(user):
        raise ValidationError(
            _(
                "Your county requires two-factor sign-in for your role: you can set up a "
                "new phone, but not turn it off."
            )
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
