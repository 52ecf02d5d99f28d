"""Logging in, out, resetting a password; throttling; the 404 page."""

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_with_email_in_any_case(client, county, make_member):
    user = make_member(county)
    response = _login(client, user.email.upper(), factories.PASSWORD)
    assert response.status_code == 302
    home = client.get(response["Location"])  # a member of one county lands in it
    assert home["Location"] == reverse("counties:home", kwargs={"county_slug": county.slug})


def test_wrong_password_gives_no_hint_whether_the_email_exists(client, county, make_member):
    user = make_member(county)
    wrong_password = _login(client, user.email, "not-the-password")
    unknown_email = _login(client, "nobody@example.org", "not-the-password")
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert wrong_password.context["form"].errors == unknown_email.context["form"].errors
    assert b"correct e-mail address and password" in wrong_password.content


def test_logins_are_throttled_after_repeated_failures(client, county, make_member, settings):
    settings.JWP_LOGIN_FREE_FAILURES = 3
    user = make_member(county)
    for _ in range(3):
        _login(client, user.email, "wrong")
    response = _login(client, user.email, factories.PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed log-in attempts" in response.content
    # another person behind the same office IP is not locked out
    colleague = make_member(county)
    assert _login(client, colleague.email, factories.PASSWORD).status_code == 302


def test_password_reset_mails_a_link_only_to_existing_accounts(client, county, make_member):
    user = make_member(county)
    known = client.post(reverse("password_reset"), {"email": user.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [[user.email]]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Lodwar-2026-kitchen", "new_password2": "Lodwar-2026-kitchen"}
    )
    assert response.status_code == 302
    assert _login(client, user.email, "Lodwar-2026-kitchen").status_code == 302


def test_logout_needs_post_and_ends_the_session(client, county, make_member):
    client.force_login(make_member(county))
    client.post(reverse("logout"))
    response = client.get(reverse("counties:home", kwargs={"county_slug": county.slug}))
    assert response.status_code == 302


def test_unknown_county_is_a_friendly_404(client, county, make_member):
    client.force_login(make_member(county))
    response = client.get("/atlantis/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_home_lists_counties_for_visitors_and_memberships_for_people(
    client, county, neighbour, make_member
):
    visitor = client.get(reverse("home"))
    assert visitor.status_code == 200 and b"Turkana" in visitor.content
    person = make_member(county)
    factories.MembershipFactory(county=neighbour, user=person)
    client.force_login(person)
    home = client.get(reverse("home"))
    assert b"Your counties" in home.content
    switch = client.get(reverse("home"), {"county": neighbour.slug})
    assert switch["Location"] == reverse("counties:home", kwargs={"county_slug": neighbour.slug})


def test_the_switcher_does_not_offer_counties_you_are_not_in(
    client, county, neighbour, make_member
):
    client.force_login(make_member(county))
    response = client.get(reverse("home"), {"county": neighbour.slug})
    assert response["Location"] == reverse("counties:home", kwargs={"county_slug": county.slug})
    page = client.get(response["Location"]).content
    assert b"Turkana" not in page


def test_healthz_answers(client, db):
    assert client.get("/healthz").json()["status"] == "ok"
