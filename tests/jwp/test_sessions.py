"""L3: sessions end after an idle period (shorter for the secretariat and the executive)
and at an absolute limit; "log out everywhere" ends every session of the account."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jwp.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def _home(county):
    return reverse("counties:home", kwargs={"county_slug": county.slug})


def _signed_in(client, county) -> bool:
    return client.get(_home(county)).status_code == 200


def test_a_partner_is_logged_out_after_two_idle_hours(client, county, make_member, clock):
    client.force_login(make_member(county, Role.PARTNER))
    clock.shift(timedelta(minutes=119))
    assert _signed_in(client, county)
    clock.shift(timedelta(hours=2, minutes=1))
    response = client.get(_home(county))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"])
    assert b"without activity" in page.content


def test_the_secretariat_is_logged_out_after_thirty_idle_minutes(
    client, county, make_member, clock
):
    client.force_login(make_member(county, Role.SECRETARIAT))
    colleague = Client()
    colleague.force_login(make_member(county, Role.OBSERVER))
    clock.shift(timedelta(minutes=31))
    assert not _signed_in(client, county)
    assert _signed_in(colleague, county)


def test_the_executive_idles_out_as_soon_as_the_secretariat(client, county, make_member, clock):
    client.force_login(make_member(county, Role.EXECUTIVE))
    clock.shift(timedelta(minutes=29))
    assert _signed_in(client, county)
    clock.shift(timedelta(minutes=31))
    assert not _signed_in(client, county)


def test_activity_keeps_a_session_only_up_to_the_absolute_limit(client, county, make_member, clock):
    client.force_login(make_member(county, Role.OBSERVER))
    for _ in range(11 * 3):  # a request every 20 minutes for 11 hours
        clock.shift(timedelta(minutes=20))
        assert _signed_in(client, county)
    clock.shift(timedelta(hours=1, minutes=1))  # 12 h 01 since log-in
    response = client.get(_home(county))
    assert response.status_code == 302
    assert b"at most 12 hours" in client.get(response["Location"]).content


def test_the_session_cookie_does_not_outlive_the_absolute_limit():
    assert settings.SESSION_COOKIE_AGE == settings.JWP_SESSION_ABSOLUTE == 12 * 60 * 60


def test_log_out_everywhere_ends_every_session_of_the_account_only(client, county, make_member):
    user, other = make_member(county), make_member(county)
    laptop, phone, colleague = client, Client(), Client()
    laptop.force_login(user)
    phone.force_login(user)
    colleague.force_login(other)
    account = laptop.get(reverse("account:home"))
    assert b"Log out everywhere" in account.content
    response = laptop.post(reverse("account:logout_everywhere"))
    assert response["Location"] == reverse("login")
    assert not _signed_in(laptop, county)
    assert not _signed_in(phone, county)
    assert _signed_in(colleague, county)
    # The password still works: a new session starts normally.
    user.refresh_from_db()
    fresh = Client()
    fresh.force_login(user)
    assert _signed_in(fresh, county)


def test_log_out_everywhere_needs_a_post_and_a_session(client, county, make_member):
    assert client.post(reverse("account:logout_everywhere"))["Location"].startswith(
        reverse("login")
    )
    client.force_login(make_member(county))
    assert client.get(reverse("account:logout_everywhere")).status_code == 405
    assert _signed_in(client, county)


def test_sessions_of_an_account_never_logged_out_everywhere_keep_their_hash(county, make_member):
    """Version 0 keeps Django's own hash, so deploying this logs nobody out."""
    from django.contrib.auth.base_user import AbstractBaseUser

    user = make_member(county)
    assert user.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(user)
    user.session_version = 1
    assert user.get_session_auth_hash() != AbstractBaseUser._get_session_auth_hash(user)
