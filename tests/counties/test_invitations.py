"""Inviting members by e-mail: the one-time link, its failures, and the broker being down."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from counties import services, tasks
from counties.models import Invitation, Membership
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories

pytestmark = pytest.mark.django_db


def _invite(client, county, django_capture_on_commit_callbacks, **data):
    payload = {"full_name": "Lucy Lekishon", "email": "lucy@example.org", "role": Role.OBSERVER}
    payload.update(data)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("counties:member_invite", kwargs={"county_slug": county.slug}), payload
        )


def _link_from(message) -> str:
    return re.search(r"https?://\S+/join/\S+/", message.body).group(0).split("8000", 1)[-1]


def test_secretariat_invites_and_the_invitee_joins(
    client, county, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    response = _invite(client, county, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lucy@example.org"]
    assert "Samburu" in message.subject
    assert message.alternatives and "text/html" in message.alternatives[0][1]
    link = _link_from(message)

    client.logout()
    assert client.get(link).status_code == 200
    response = client.post(
        link,
        {
            "full_name": "Lucy Lekishon",
            "password1": "Ng'ombe-2026-x",
            "password2": "Ng'ombe-2026-x",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("counties:home", kwargs={"county_slug": county.slug})
    with county_context([county]):
        membership = Membership.objects.for_county(county).get(user__email="lucy@example.org")
        verbs = set(AuditEvent.objects.for_county(county).values_list("verb", flat=True))
    assert membership.role == Role.OBSERVER
    assert {"invitation.create", "membership.join"} <= verbs
    assert client.get(response["Location"]).status_code == 200  # logged in


def _sent_invitation(county, **kwargs):
    invitation = factories.InvitationFactory(county=county, **kwargs)
    with county_context([county]):
        token = services.invitation_send(invitation=invitation)
    return invitation, reverse(
        "counties:invitation_accept", kwargs={"county_slug": county.slug, "token": token}
    )


def test_a_used_link_says_so(client, county):
    _invitation, link = _sent_invitation(county)
    client.post(
        link, {"full_name": "A", "password1": "Kk-2026-lesuuda", "password2": "Kk-2026-lesuuda"}
    )
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert b"already been used" in response.content


def test_an_expired_link_says_so(client, county):
    _invitation, link = _sent_invitation(county)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.get(link)
    assert response.status_code == 410
    assert b"expired" in response.content


def test_a_revoked_invitation_says_so(client, county, secretariat):
    invitation, link = _sent_invitation(county)
    with county_context([county]):
        services.invitation_revoke(invitation=invitation, actor=secretariat)
    assert b"withdrawn" in client.get(link).content


def test_a_made_up_token_says_so(client, county):
    url = reverse("counties:invitation_accept", kwargs={"county_slug": county.slug, "token": "x"})
    response = client.get(url)
    assert response.status_code == 410
    assert b"not valid" in response.content


def test_a_link_does_not_work_under_another_county(client, county, neighbour):
    _invitation, link = _sent_invitation(county)
    assert client.get(link.replace(county.slug, neighbour.slug)).status_code == 410


def test_resending_makes_the_old_link_invalid(
    client, county, secretariat, django_capture_on_commit_callbacks
):
    invitation, old_link = _sent_invitation(county)
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(
                "counties:invitation_action",
                kwargs={
                    "county_slug": county.slug,
                    "invitation_id": invitation.pk,
                    "action": "resend",
                },
            )
        )
    client.logout()
    assert client.get(old_link).status_code == 410
    assert client.get(_link_from(mail.outbox[-1])).status_code == 200


def test_inviting_an_existing_member_is_refused_with_a_clear_message(
    client, county, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    response = _invite(
        client, county, django_capture_on_commit_callbacks, email=secretariat.email.upper()
    )
    assert response.status_code == 200
    assert b"already a member of this county" in response.content
    assert mail.outbox == []


def test_a_second_open_invitation_is_refused(
    client, county, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    _invite(client, county, django_capture_on_commit_callbacks)
    response = _invite(client, county, django_capture_on_commit_callbacks)
    assert b"already has an open invitation" in response.content
    assert len(mail.outbox) == 1


def test_invite_form_keeps_what_was_typed_and_names_the_missing_field(
    client, county, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    response = _invite(client, county, django_capture_on_commit_callbacks, role=Role.SECTOR_LEAD)
    assert response.status_code == 200
    assert b"A sector lead needs a sector." in response.content
    assert b'value="lucy@example.org"' in response.content


def test_the_same_person_may_join_a_second_county(client, county, neighbour, make_member):
    person = make_member(neighbour, Role.PARTNER)
    _invitation, link = _sent_invitation(county, email=person.email)
    client.force_login(person)
    assert b"Accept and join" in client.get(link).content
    assert client.post(link).status_code == 302
    with county_context([county]):
        assert Membership.objects.for_county(county).filter(user=person).exists()


def test_an_existing_account_must_log_in_before_accepting(client, county, neighbour, make_member):
    person = make_member(neighbour)
    _invitation, link = _sent_invitation(county, email=person.email)
    response = client.post(
        link, {"full_name": "X", "password1": "Kk-2026-lesuuda", "password2": "Kk-2026-lesuuda"}
    )
    assert b"log in, then open the link again" in response.content


def test_an_invitation_for_someone_else_is_refused(client, county, make_member):
    _invitation, link = _sent_invitation(county, email="someone@example.org")
    client.force_login(make_member(county))
    response = client.post(link)
    assert response.status_code == 409
    assert b"another e-mail address" in response.content


def test_a_weak_password_is_refused_next_to_the_field(client, county):
    _invitation, link = _sent_invitation(county)
    response = client.post(link, {"full_name": "A", "password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert b"too short" in response.content


def test_broker_down_loses_nothing_and_the_sweeper_sends_later(
    client, county, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis: Connection refused.")

    client.force_login(secretariat)
    monkeypatch.setattr(tasks.send_invitation, "apply_async", broker_down)
    response = _invite(client, county, django_capture_on_commit_callbacks)
    assert response.status_code == 302  # the secretariat's work is saved
    with county_context([county]):
        invitation = Invitation.objects.for_county(county).get(email="lucy@example.org")
    assert invitation.sent_at is None and mail.outbox == []

    monkeypatch.undo()
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert tasks.resend_unsent_invitations() == 1
    assert len(mail.outbox) == 1
    factories.refresh(invitation)
    assert invitation.sent_at is not None
