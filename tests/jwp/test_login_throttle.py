"""M5: login throttling per account and per address, never a lockout of someone else;
the client's address from the proxy only when the proxy is trusted."""

from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from jwp.login_throttle import DEVICE_COOKIE
from jwp.ratelimit import client_ip
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    settings.JWP_LOGIN_FREE_FAILURES = 5
    settings.JWP_LOGIN_MAX_DELAY = 300
    settings.JWP_LOGIN_ADDRESS_LIMIT = 30


def _login(client, email, password, address="127.0.0.1"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_guesses_spread_over_addresses_still_slow_the_account_down(
    client, county, make_member, clock
):
    user = make_member(county)
    for n in range(27):  # 27 wrong guesses over three addresses (the audit's M5)
        clock.shift(timedelta(minutes=10))  # each one after any wait
        assert _login(client, user.email, "wrong", f"127.0.0.{n % 3 + 1}").status_code == 200
    # A fourth address right away: refused without the password being checked.
    refused = _login(client, user.email, factories.PASSWORD, "127.0.0.9")
    assert refused.status_code == 429
    assert b"wait 5 minutes" in refused.content


def test_a_stranger_guessing_cannot_keep_the_owner_out_for_long(client, county, make_member, clock):
    user = make_member(county)
    for n in range(40):  # guesses from 40 addresses, as fast as allowed
        _login(client, user.email, "wrong", f"10.0.0.{n}")
    assert _login(client, user.email, factories.PASSWORD, "10.9.9.9").status_code == 429
    clock.shift(timedelta(minutes=5, seconds=1))  # the longest wait, not an hour
    assert _login(client, user.email, factories.PASSWORD, "10.9.9.9").status_code == 302


def test_a_known_browser_is_not_kept_waiting_by_someone_elses_guesses(
    client, county, make_member, clock
):
    user = make_member(county)
    assert _login(client, user.email, factories.PASSWORD).status_code == 302
    assert DEVICE_COOKIE in client.cookies
    client.post(reverse("logout"))
    attacker = client.__class__()
    for n in range(20):
        _login(attacker, user.email, "wrong", f"10.0.1.{n}")
    assert _login(attacker, user.email, factories.PASSWORD, "10.0.1.99").status_code == 429
    # The owner's browser, which logged in before, gets straight in.
    assert _login(client, user.email, factories.PASSWORD).status_code == 302


def test_a_known_browser_cookie_is_only_good_for_its_own_account(
    client, county, make_member, clock
):
    owner, other = make_member(county), make_member(county)
    assert _login(client, owner.email, factories.PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(6):
        _login(client, other.email, "wrong")
    assert _login(client, other.email, factories.PASSWORD).status_code == 429


def test_a_known_browser_has_its_own_budget_of_failures(client, county, make_member, clock):
    user = make_member(county)
    _login(client, user.email, factories.PASSWORD)
    client.post(reverse("logout"))
    for _ in range(5 + 5):  # the device's five, then the account's free five
        assert _login(client, user.email, "wrong").status_code == 200
    assert _login(client, user.email, factories.PASSWORD).status_code == 429


def test_one_address_guessing_many_accounts_is_refused_for_the_period(
    client, county, make_member, settings, clock
):
    settings.JWP_LOGIN_ADDRESS_LIMIT = 4
    people = [make_member(county) for _ in range(4)]
    for person in people:
        _login(client, person.email, "wrong", "192.0.2.7")
    victim = make_member(county)
    assert _login(client, victim.email, factories.PASSWORD, "192.0.2.7").status_code == 429
    # Nobody else is affected: the same account from another address logs in.
    assert _login(client, victim.email, factories.PASSWORD, "192.0.2.8").status_code == 302
    clock.shift(timedelta(minutes=16))
    client.post(reverse("logout"))
    assert _login(client, victim.email, factories.PASSWORD, "192.0.2.7").status_code == 302


def test_the_first_wrong_passwords_are_not_delayed(client, county, make_member, clock):
    user = make_member(county)
    for _ in range(4):
        _login(client, user.email, "wrong")
    assert _login(client, user.email, factories.PASSWORD).status_code == 302


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    settings.JWP_TRUSTED_PROXIES = []
    assert client_ip(_request("172.18.0.1", "203.0.113.5")) == "172.18.0.1"


def test_forwarded_for_is_ignored_from_an_address_that_is_not_the_proxy(settings):
    settings.JWP_TRUSTED_PROXIES = ["172.16.0.0/12"]
    assert client_ip(_request("198.51.100.4", "203.0.113.5")) == "198.51.100.4"


def test_forwarded_for_names_the_client_behind_a_trusted_proxy(settings):
    settings.JWP_TRUSTED_PROXIES = ["172.16.0.0/12", "127.0.0.1"]
    assert client_ip(_request("172.18.0.1", "203.0.113.5")) == "203.0.113.5"
    # A client's own header is at the left: the proxy appended the real address.
    assert client_ip(_request("172.18.0.1", "1.2.3.4, 203.0.113.5")) == "203.0.113.5"
    # Two trusted hops.
    assert client_ip(_request("172.18.0.1", "203.0.113.5, 127.0.0.1")) == "203.0.113.5"
    # Garbage in the header: the proxy's own bucket, never an error.
    assert client_ip(_request("172.18.0.1", "not-an-ip")) == "172.18.0.1"


def test_behind_a_trusted_proxy_clients_get_their_own_login_limits(
    client, county, make_member, settings, clock
):
    settings.JWP_TRUSTED_PROXIES = ["172.16.0.0/12"]
    settings.JWP_LOGIN_ADDRESS_LIMIT = 3
    guesser, other = make_member(county), make_member(county)
    for _ in range(3):
        client.post(
            reverse("login"),
            {"username": guesser.email, "password": "wrong"},
            REMOTE_ADDR="172.18.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    response = client.post(
        reverse("login"),
        {"username": other.email, "password": factories.PASSWORD},
        REMOTE_ADDR="172.18.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert response.status_code == 302
