"""Reads about the signed-in person's own account."""

from __future__ import annotations

from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken

from jwp.roles import PRIVILEGED_ROLES


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def two_factor_required(user) -> bool:
    """A county the person holds a privileged role in requires two-factor sign-in."""
    from counties.selectors import memberships_for_user

    return any(
        m.role in PRIVILEGED_ROLES and m.county.require_two_factor
        for m in memberships_for_user(user)
    )


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
