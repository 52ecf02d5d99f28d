"""L2: password-reset and invitation e-mails are limited per address and per account,
and a limited reset request looks exactly like any other."""

import pytest
from django.core import mail
from django.urls import reverse

from counties.models import Invitation
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories

pytestmark = pytest.mark.django_db


def _reset(client, email, address="127.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_twenty_five_reset_requests_send_three_emails(client, county, make_member, settings):
    settings.JWP_PASSWORD_RESETS_PER_ADDRESS = 100
    user = make_member(county)
    responses = [_reset(client, user.email, f"10.1.0.{n}") for n in range(25)]
    assert len(mail.outbox) == settings.JWP_PASSWORD_RESETS_PER_ACCOUNT == 3
    # The limited ones answer like the others: nothing tells the account exists.
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {reverse("password_reset_done")}


def test_limited_and_unknown_accounts_get_the_same_answer(client, county, make_member):
    user = make_member(county)
    for _ in range(4):
        limited = _reset(client, user.email)
    unknown = _reset(client, "nobody@example.org")
    assert limited.status_code == unknown.status_code == 302
    assert limited["Location"] == unknown["Location"]


def test_one_address_asking_for_many_accounts_is_asked_to_wait(
    client, county, make_member, settings
):
    settings.JWP_PASSWORD_RESETS_PER_ADDRESS = 5
    people = [make_member(county) for _ in range(6)]
    answers = [_reset(client, person.email).status_code for person in people]
    assert answers == [302] * 5 + [429]
    assert len(mail.outbox) == 5
    # ... whether or not the e-mail typed has an account.
    assert _reset(client, "nobody@example.org").status_code == 429
    # Another address is not affected.
    assert _reset(client, people[-1].email, "10.2.0.1").status_code == 302
    assert len(mail.outbox) == 6


def _invite(client, county, email, capture):
    payload = {"full_name": "Lucy Lekishon", "email": email, "role": Role.OBSERVER}
    with capture(execute=True):
        return client.post(
            reverse("counties:member_invite", kwargs={"county_slug": county.slug}), payload
        )


def _resend(client, county, invitation, capture):
    url = reverse(
        "counties:invitation_action",
        kwargs={"county_slug": county.slug, "invitation_id": invitation.pk, "action": "resend"},
    )
    with capture(execute=True):
        return client.post(url, follow=True)


def test_invitations_to_one_address_are_limited_per_day(
    client, county, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    assert (
        _invite(client, county, "lucy@example.org", django_capture_on_commit_callbacks).status_code
        == 302
    )
    with county_context([county]):  # row-level security on PostgreSQL
        invitation = Invitation.objects.for_county(county).get(email="lucy@example.org")
    for _ in range(2):
        _resend(client, county, invitation, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    page = _resend(client, county, invitation, django_capture_on_commit_callbacks)
    assert b"several invitations today" in page.content
    assert len(mail.outbox) == 3


def test_invitations_to_one_address_count_across_counties(
    client,
    county,
    neighbour,
    secretariat,
    neighbour_secretariat,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.JWP_INVITATION_EMAILS_PER_ADDRESS = 1
    client.force_login(secretariat)
    _invite(client, county, "lucy@example.org", django_capture_on_commit_callbacks)
    client.force_login(neighbour_secretariat)
    response = _invite(client, neighbour, "lucy@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "several invitations today" in str(response.context["form"].errors)
    assert len(mail.outbox) == 1
    with county_context([neighbour]):
        theirs = Invitation.objects.for_county(neighbour)
        assert not theirs.filter(email="lucy@example.org").exists()


def test_one_sender_is_limited_per_hour(
    client, county, secretariat, settings, django_capture_on_commit_callbacks
):
    settings.JWP_INVITATION_EMAILS_PER_SENDER = 2
    client.force_login(secretariat)
    for n in range(2):
        assert (
            _invite(
                client, county, f"p{n}@example.org", django_capture_on_commit_callbacks
            ).status_code
            == 302
        )
    refused = _invite(client, county, "p9@example.org", django_capture_on_commit_callbacks)
    assert refused.status_code == 200
    assert b"many invitations this hour" in refused.content
    assert len(mail.outbox) == 2
    # Another secretariat member of the county is not held back by this one.
    colleague = factories.MembershipFactory(county=county, role=Role.SECRETARIAT).user
    client.force_login(colleague)
    assert (
        _invite(client, county, "p9@example.org", django_capture_on_commit_callbacks).status_code
        == 302
    )
