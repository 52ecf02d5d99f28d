"""E-mails about membership: plain text and HTML, through Django's e-mail backends."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from counties.models import Invitation


def send_invitation_email(*, invitation: Invitation, token: str) -> None:
    path = reverse(
        "counties:invitation_accept",
        kwargs={"county_slug": invitation.county.slug, "token": token},
    )
    context = {
        "invitation": invitation,
        "county": invitation.county,
        "link": f"{settings.SITE_URL}{path}",
        "days": settings.JWP_INVITATION_DAYS,
    }
    subject = _("You are invited to %(county)s County's Joint Work Planning on jwp") % {
        "county": invitation.county.name
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("counties/email/invitation.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("counties/email/invitation.html", context), "text/html"
    )
    message.send()
