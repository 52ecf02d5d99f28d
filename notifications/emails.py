"""Reminder e-mails: plain text and HTML, through Django's e-mail backends."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calendars.items import ItemKind
from notifications.models import EmailDelivery, Notification, Threshold


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path else ""


# Things that happen on their date (rather than being due by it).
EVENT_KINDS = {ItemKind.MEETING, ItemKind.JWP, ItemKind.PARTICIPATION}


def reminder_when(notification: Notification) -> str:
    """ "Due in 5 days", "Due tomorrow", "Overdue by 3 days"; "Starts in 5 days" for events
    (as of the reminder's day)."""
    if notification.threshold == Threshold.TURN:
        return _("Waiting for you")
    days = notification.days_left
    if days < 0:
        text = ngettext("Overdue by %(n)d day", "Overdue by %(n)d days", -days)
    elif notification.kind in EVENT_KINDS:
        if days == 0:
            text = _("Starts today")
        elif days == 1:
            text = _("Starts tomorrow")
        else:
            text = ngettext("Starts in %(n)d day", "Starts in %(n)d days", days)
    elif days == 0:
        text = _("Due today")
    elif days == 1:
        text = _("Due tomorrow")
    else:
        text = ngettext("Due in %(n)d day", "Due in %(n)d days", days)
    return text % {"n": abs(days)} if "%(n)" in text else text


def _entry(notification: Notification) -> dict:
    return {
        "notification": notification,
        "when": reminder_when(notification),
        "day": formats.date_format(notification.due_date, "j M Y"),
        "escalated": notification.threshold == Threshold.ESCALATED,
        "turn": notification.is_turn,
        "link": _link(notification.url),
    }


def build_message(delivery: EmailDelivery, county, notifications: list) -> EmailMultiAlternatives:
    """The e-mail of a delivery: one reminder, or the digest of ``notifications``."""
    context = {
        "county": county,
        "recipient": delivery.recipient,
        "entries": [_entry(n) for n in notifications],
        "digest": delivery.is_digest,
        # One "your turn" e-mail (not a digest): it says whose step it is, not a date.
        "turn": not delivery.is_digest and all(n.is_turn for n in notifications),
        "inbox": _link(reverse("notifications:list")),
        "preferences": _link(reverse("notifications:preferences")),
    }
    if delivery.is_digest:
        subject = _("%(county)s: your JWP reminders of %(day)s (%(n)d)") % {
            "county": county.name,
            "day": formats.date_format(delivery.digest_date, "j M Y"),
            "n": len(notifications),
        }
    else:
        entry = context["entries"][0]
        prefix = _("Escalated") if entry["escalated"] else entry["when"]
        subject = f"{county.name}: {prefix}: {entry['notification'].title}"[:200]
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email/reminder.txt", context),
        to=[delivery.to_email],
    )
    message.attach_alternative(
        render_to_string("notifications/email/reminder.html", context), "text/html"
    )
    return message
