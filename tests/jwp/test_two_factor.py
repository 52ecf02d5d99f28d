"""Optional TOTP two-factor sign-in for everyone; a county may require it for the
secretariat and the executive."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def _code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _login(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": factories.PASSWORD})


def _home(county):
    return reverse("counties:home", kwargs={"county_slug": county.slug})


def _enrol(client, user, clock) -> list[str]:
    """Set up an authenticator for ``user`` (logged in) with a real code; the backup codes."""
    page = client.get(reverse("account:two_factor_enrol"))
    assert b"data:image/svg+xml" in page.content  # the QR code
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = page.content.decode().split("data-secret>")[1].split("<")[0].replace(" ", "")
    assert secret  # the key to type by hand
    response = client.post(reverse("account:two_factor_enrol"), {"code": _code(device)})
    assert response.status_code == 200
    clock.shift(timedelta(seconds=30))  # a code is good once: the next login needs the next
    return re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())


def _device(user):
    return TOTPDevice.objects.get(user=user, confirmed=True)


def test_enrolment_needs_a_right_code_and_gives_backup_codes(client, county, make_member, clock):
    user = make_member(county, Role.PARTNER)
    client.force_login(user)
    client.get(reverse("account:two_factor_enrol"))
    wrong = client.post(reverse("account:two_factor_enrol"), {"code": "000000"})
    assert b"That code is not right" in wrong.content
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    codes = _enrol(client, user, clock)
    assert len(codes) == 10
    assert _device(user)
    assert b"Two-factor sign-in" in client.get(reverse("account:home")).content


def test_login_with_two_factor_asks_for_a_code_after_the_password(
    client, county, make_member, clock
):
    user = make_member(county, Role.OBSERVER)
    client.force_login(user)
    _enrol(client, user, clock)
    client.post(reverse("logout"))

    assert _login(client, user).status_code == 302
    response = client.get(_home(county))  # the password alone opens nothing
    verify_url = reverse("account:two_factor_verify")
    assert response["Location"].startswith(verify_url)
    api = client.get(f"/api/v1/{county.slug}/sectors/")
    assert api.status_code == 403
    wrong = client.post(verify_url, {"code": "123456", "next": _home(county)})
    assert b"That code is not right" in wrong.content
    clock.shift(timedelta(seconds=2))  # django-otp slows down guessing after a wrong code
    right = client.post(verify_url, {"code": _code(_device(user)), "next": _home(county)})
    assert right["Location"] == _home(county)
    assert client.get(_home(county)).status_code == 200


def test_a_backup_code_works_once(client, county, make_member, clock):
    user = make_member(county)
    client.force_login(user)
    codes = _enrol(client, user, clock)
    for attempt in range(2):
        client.post(reverse("logout"))
        _login(client, user)
        response = client.post(reverse("account:two_factor_verify"), {"code": codes[0]})
        if attempt == 0:
            assert response.status_code == 302
            assert client.get(_home(county)).status_code == 200
        else:
            assert b"That code is not right" in response.content
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_the_verify_page_does_not_accept_an_open_redirect(client, county, make_member, clock):
    user = make_member(county)
    client.force_login(user)
    _enrol(client, user, clock)
    client.post(reverse("logout"))
    _login(client, user)
    response = client.post(
        reverse("account:two_factor_verify"),
        {"code": _code(_device(user)), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_without_two_factor_the_password_is_enough(client, county, make_member):
    """The demo logins: password only, straight in."""
    user = make_member(county, Role.SECRETARIAT)
    assert _login(client, user).status_code == 302
    assert client.get(_home(county)).status_code == 200


def test_turning_off_needs_the_password(client, county, make_member, clock):
    user = make_member(county)
    client.force_login(user)
    _enrol(client, user, clock)
    client.post(reverse("account:two_factor_disable"), {"password": "wrong"})
    assert TOTPDevice.objects.filter(user=user).exists()
    client.post(reverse("account:two_factor_disable"), {"password": factories.PASSWORD})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_a_required_role_without_a_device_is_sent_to_enrolment_and_nowhere_else(
    client, county, neighbour, make_member, clock
):
    county.require_two_factor = True
    county.save()
    executive = make_member(county, Role.EXECUTIVE)
    _login(client, executive)
    for url in (_home(county), reverse("account:home"), reverse("home")):
        response = client.get(url)
        assert response["Location"].startswith(reverse("account:two_factor_enrol"))
    page = client.get(reverse("account:two_factor_enrol"))
    assert b"Your county requires two-factor sign-in" in page.content
    _enrol(client, executive, clock)
    assert client.get(_home(county)).status_code == 200
    # ... and cannot turn it off while required.
    client.post(reverse("account:two_factor_disable"), {"password": factories.PASSWORD})
    assert TOTPDevice.objects.filter(user=executive, confirmed=True).exists()


def test_the_requirement_is_for_privileged_roles_of_that_county_only(
    client, county, neighbour, make_member
):
    county.require_two_factor = True
    county.save()
    partner = make_member(county, Role.PARTNER)
    assert _login(client, partner).status_code == 302
    assert client.get(_home(county)).status_code == 200
    client.post(reverse("logout"))
    turkana_secretariat = make_member(neighbour, Role.SECRETARIAT)
    _login(client, turkana_secretariat)
    assert client.get(_home(neighbour)).status_code == 200


def _security(county):
    return reverse("counties:security", kwargs={"county_slug": county.slug})


def test_the_secretariat_must_use_two_factor_before_requiring_it(
    client, county, secretariat, make_member
):
    make_member(county, Role.EXECUTIVE)
    client.force_login(secretariat)
    page = client.get(_security(county))
    assert b"Set it up on your own account first" in page.content
    assert b"Require two-factor sign-in</button>" not in page.content  # not offered
    client.post(_security(county), {"require_two_factor": "on"})
    county.refresh_from_db()
    assert county.require_two_factor is False


def test_requiring_two_factor_is_audited_and_tells_those_without_it(
    client, county, secretariat, make_member, clock, django_capture_on_commit_callbacks
):
    executive = make_member(county, Role.EXECUTIVE)
    client.force_login(secretariat)
    _enrol(client, secretariat, clock)
    page = client.get(_security(county))
    assert b"will be asked to set it up at the next log-in" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_security(county), {"require_two_factor": "on"})
    county.refresh_from_db()
    assert county.require_two_factor is True
    with county_context([county]):
        assert (
            AuditEvent.objects.for_county(county)
            .filter(verb="county.two_factor_required", actor=secretariat)
            .exists()
        )
        told = set(Notification.objects.for_county(county).values_list("recipient", flat=True))
    assert told == {executive.pk}
    assert any(executive.email in m.to for m in mail.outbox)
    client.post(_security(county), {})
    county.refresh_from_db()
    assert county.require_two_factor is False


def test_the_security_page_is_the_secretariats_and_this_countys(
    client, county, neighbour, make_member, neighbour_secretariat
):
    client.force_login(make_member(county, Role.EXECUTIVE))
    assert client.get(_security(county)).status_code == 403
    assert client.post(_security(county), {"require_two_factor": "on"}).status_code == 403
    client.force_login(neighbour_secretariat)
    assert client.get(_security(county)).status_code == 404
    county.refresh_from_db()
    assert county.require_two_factor is False


def test_the_security_page_reads_a_bounded_number_of_queries(
    client, county, secretariat, make_member
):
    """As many statements for nine privileged members as for one, and at most 22
    (PostgreSQL adds the county-context statements to SQLite's count)."""
    client.force_login(secretariat)

    def statements():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_security(county)).status_code == 200
        return len(captured)

    statements()  # the first page after log-in also fills the session's caches
    one = statements()
    for _ in range(8):
        make_member(county, Role.EXECUTIVE)
    assert statements() == one <= 22
