"""Writes and rules for members, invitations, sectors and organizations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from counties.models import County, Invitation, Membership, Organization, Sector
from jwp import audit, ratelimit
from jwp.constraints import integrity_errors
from jwp.jobs import enqueue_on_commit
from jwp.roles import Role

User = get_user_model()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_role_details(*, county: County, role: str, sector, organization) -> tuple:
    """Sector leads need a sector of this county; partners need an organization."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if role == Role.SECTOR_LEAD:
        if sector is None:
            raise ValidationError({"sector": _("A sector lead needs a sector.")})
        if sector.county_id != county.pk:
            raise ValidationError({"sector": _("Choose a sector of this county.")})
    else:
        sector = None
    if role == Role.PARTNER and organization is None:
        raise ValidationError({"organization": _("A partner needs an organization.")})
    return sector, organization


def invitation_create(
    *,
    county: County,
    invited_by,
    email: str,
    full_name: str,
    role: str,
    sector: Sector | None = None,
    organization: Organization | None = None,
) -> Invitation:
    """Invite a person by e-mail; the link is made and sent by a Celery task."""
    email = email.strip().lower()
    sector, organization = _check_role_details(
        county=county, role=role, sector=sector, organization=organization
    )
    if Membership.objects.for_county(county).filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of this county.")})
    if (
        Invitation.objects.for_county(county)
        .filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .exists()
    ):
        raise ValidationError(
            {"email": _("This person already has an open invitation: resend or revoke it.")}
        )
    _allow_invitation_email(email=email, sender=invited_by)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            county=county,
            email=email,
            full_name=full_name.strip(),
            role=role,
            sector=sector,
            organization=organization,
            token_hash=f"unsent-{secrets.token_hex(16)}",
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=settings.JWP_INVITATION_DAYS),
        )
        audit.record(
            county=county,
            actor=invited_by,
            verb="invitation.create",
            target=invitation,
            summary=f"Invited {email} as {invitation.get_role_display()}",
        )
        _enqueue_send(invitation)
    return invitation


def _allow_invitation_email(*, email: str, sender) -> None:
    """Invitation e-mails are limited per recipient address and per sending account (L2)."""
    day, hour = 60 * 60 * 24, 60 * 60
    if not ratelimit.hit(
        "invitation-recipient", email, limit=settings.JWP_INVITATION_EMAILS_PER_ADDRESS, period=day
    ):
        raise ValidationError(
            {"email": _("This address was sent several invitations today: try again tomorrow.")}
        )
    if not ratelimit.hit(
        "invitation-sender",
        str(sender.pk),
        limit=settings.JWP_INVITATION_EMAILS_PER_SENDER,
        period=hour,
    ):
        raise ValidationError(_("You have sent many invitations this hour: try again later."))


def _enqueue_send(invitation: Invitation) -> None:
    from counties.tasks import send_invitation

    enqueue_on_commit(send_invitation, invitation_id=invitation.pk, county_id=invitation.county_id)


def invitation_send(*, invitation: Invitation) -> str:
    """Make a fresh one-time link, e-mail it, and mark the invitation sent.

    A new token each time: a resent invitation invalidates the older link.
    Returns the token (for the task's logs in tests; never stored in clear).
    """
    from counties.emails import send_invitation_email

    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.JWP_INVITATION_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    send_invitation_email(invitation=invitation, token=token)
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    return token


def invitation_resend(*, invitation: Invitation, actor) -> None:
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer open."))
    try:
        _allow_invitation_email(email=invitation.email, sender=actor)
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None
    invitation.sent_at = None
    invitation.save(update_fields=["sent_at"])
    audit.record(
        county=invitation.county,
        actor=actor,
        verb="invitation.resend",
        target=invitation,
        summary=f"Resent the invitation to {invitation.email}",
    )
    _enqueue_send(invitation)


def invitation_revoke(*, invitation: Invitation, actor) -> None:
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer open."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        county=invitation.county,
        actor=actor,
        verb="invitation.revoke",
        target=invitation,
        summary=f"Revoked the invitation to {invitation.email}",
    )


def invitation_for_token(*, county: County, token: str) -> Invitation:
    """The invitation behind a link, or a ValidationError that says what is wrong."""
    invitation = Invitation.objects.for_county(county).filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise ValidationError(
            _("This invitation link is not valid. Ask the secretariat to resend it.")
        )
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation link has already been used. Log in instead."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was withdrawn by the county secretariat."))
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation link has expired. Ask the county secretariat to resend it.")
        )
    return invitation


def invitation_accept(
    *, invitation: Invitation, user=None, full_name: str = "", password: str = ""
) -> Membership:
    """Turn an open invitation into a membership, creating the account if needed."""
    county = invitation.county
    with transaction.atomic():
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError(
                    _("An account with this e-mail exists: log in, then open the link again.")
                )
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=full_name or invitation.full_name,
            )
        elif user.email.lower() != invitation.email.lower():
            raise ValidationError(
                _("This invitation is for another e-mail address. Log out and open the link again.")
            )
        if Membership.objects.for_county(county).filter(user=user).exists():
            raise ValidationError(_("You are already a member of this county."))
        membership = Membership.objects.create(
            county=county,
            user=user,
            role=invitation.role,
            sector=invitation.sector,
            organization=invitation.organization,
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit.record(
            county=county,
            actor=user,
            verb="membership.join",
            target=membership,
            summary=f"{user.email} joined as {membership.get_role_display()}",
        )
    return membership


def _would_leave_no_secretariat(membership: Membership) -> bool:
    if membership.role != Role.SECRETARIAT:
        return False
    others = (
        Membership.objects.for_county(membership.county_id)
        .filter(role=Role.SECRETARIAT)
        .exclude(pk=membership.pk)
    )
    return not others.exists()


def membership_create(
    *, county: County, user, role: str, actor=None, sector=None, organization=None
) -> Membership:
    """Add an existing account to a county directly (seed data, platform admins)."""
    sector, organization = _check_role_details(
        county=county, role=role, sector=sector, organization=organization
    )
    if Membership.objects.for_county(county).filter(user=user).exists():
        raise ValidationError(_("%(user)s is already a member of this county.") % {"user": user})
    membership = Membership.objects.create(
        county=county, user=user, role=role, sector=sector, organization=organization
    )
    audit.record(
        county=county,
        actor=actor,
        verb="membership.create",
        target=membership,
        summary=f"Added {user.email} as {membership.get_role_display()}",
    )
    return membership


def membership_change_role(
    *, membership: Membership, actor, role: str, sector=None, organization=None
) -> Membership:
    sector, organization = _check_role_details(
        county=membership.county, role=role, sector=sector, organization=organization
    )
    if role != Role.SECRETARIAT and _would_leave_no_secretariat(membership):
        raise ValidationError(
            {"role": _("This is the county's last secretariat member: appoint another first.")}
        )
    before = membership.get_role_display()
    membership.role, membership.sector, membership.organization = role, sector, organization
    membership.full_clean(exclude=["county", "user"])
    membership.save(update_fields=["role", "sector", "organization"])
    audit.record(
        county=membership.county,
        actor=actor,
        verb="membership.change_role",
        target=membership,
        summary=f"{membership.user.email}: {before} → {membership.get_role_display()}",
    )
    return membership


def membership_revoke(*, membership: Membership, actor) -> None:
    if _would_leave_no_secretariat(membership):
        raise ValidationError(
            _("This is the county's last secretariat member: appoint another first.")
        )
    email = membership.user.email
    audit.record(
        county=membership.county,
        actor=actor,
        verb="membership.revoke",
        target=membership,
        summary=f"Revoked {email}'s membership ({membership.get_role_display()})",
    )
    membership.delete()


def sector_save(*, county: County, actor, sector: Sector | None = None, **fields) -> Sector:
    """Create or update a county sector; the slug follows the name."""
    creating = sector is None
    sector = sector or Sector(county=county)
    sector.check_same_county(county)
    for name, value in fields.items():
        setattr(sector, name, value)
    if not sector.slug:
        sector.slug = slugify(sector.name)[:60] or "sector"
    sector.full_clean()
    with integrity_errors(), transaction.atomic():  # two adding the same name at once
        sector.save()
    audit.record(
        county=county,
        actor=actor,
        verb="sector.create" if creating else "sector.update",
        target=sector,
        summary=f"{'Added' if creating else 'Edited'} sector {sector.name}",
    )
    return sector
