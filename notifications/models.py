"""Reminders of dated items: in-app notifications, their e-mails and each user's preferences.

A ``Notification`` is one reminder of one dated item (``calendars.items.DatedItem``) at
one threshold for one person. The unique constraint on (county, item key, threshold,
recipient) is the lock that makes the daily sweep idempotent: whoever inserts the row
sends the reminder, a second sweep (or a retried task) finds the row and sends nothing.

An ``EmailDelivery`` is one e-mail to send: either one notification (e-mail
immediately) or one user's daily digest in one county. Its status is the job's source
of truth: the broker message is a nudge, the sweeper re-enqueues what is still pending.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calendars.items import ItemKind
from jwp.tenancy import CountyOwned


class Threshold(models.TextChoices):
    """How close an item is when the reminder goes out (see services/reminders.py)."""

    DAYS_14 = "d14", _("Within 14 days")
    DAYS_7 = "d7", _("Within 7 days")
    DAYS_1 = "d1", _("Tomorrow or today")
    OVERDUE = "overdue", _("Overdue")
    ESCALATED = "escalated", _("Overdue for more than 7 days")
    # A workflow event (notifications.services.events): someone must act now.
    TURN = "turn", _("Your turn")


class DeliveryMode(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail immediately")
    DIGEST = "digest", _("Daily digest e-mail")
    IN_APP = "in_app", _("In-app only")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class EmailDelivery(CountyOwned):
    """One e-mail: a single reminder (``notification``) or a daily digest (``digest_date``)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    to_email = models.EmailField(_("to"))
    notification = models.ForeignKey(
        "notifications.Notification",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    digest_date = models.DateField(_("digest of"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notification__isnull=False, digest_date__isnull=True)
                | Q(notification__isnull=True, digest_date__isnull=False),
                name="emaildelivery_reminder_or_digest",
            ),
            models.UniqueConstraint(
                fields=["county", "notification"],
                condition=Q(notification__isnull=False),
                name="emaildelivery_once_per_notification",
            ),
            models.UniqueConstraint(
                fields=["county", "recipient", "digest_date"],
                condition=Q(digest_date__isnull=False),
                name="emaildelivery_one_digest_per_user_and_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to_email} ({self.get_status_display()})"

    @property
    def is_digest(self) -> bool:
        return self.digest_date is not None


class Notification(CountyOwned):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    item_key = models.CharField(_("item"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=ItemKind.choices)
    threshold = models.CharField(_("reminder"), max_length=10, choices=Threshold.choices)
    title = models.CharField(_("title"), max_length=300)
    due_date = models.DateField(_("due date"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Workflow turns: why it is the recipient's turn (empty for date reminders).
    why = models.CharField(_("why"), max_length=500, blank=True)
    email_mode = models.CharField(
        _("e-mail"), max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.IN_APP
    )
    # The digest e-mail that listed this reminder (digest mode only; empty until then).
    digest = models.ForeignKey(
        EmailDelivery,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digest_items",
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "item_key", "threshold", "recipient"],
                name="notification_once_per_item_threshold_recipient",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_threshold_display()})"

    @property
    def is_overdue(self) -> bool:
        return self.threshold in (Threshold.OVERDUE, Threshold.ESCALATED)

    @property
    def is_turn(self) -> bool:
        """A workflow event: someone's turn to act, not a date reminder."""
        return self.threshold == Threshold.TURN

    @property
    def days_left(self) -> int:
        """Days from the reminder's day to the due date (negative: overdue)."""
        return (self.due_date - timezone.localdate(self.created_at)).days


class NotificationPreference(models.Model):
    """How a user wants reminders of one kind of item; no row means e-mail immediately."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ItemKind.choices)
    mode = models.CharField(
        _("delivery"), max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.IMMEDIATE
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notificationpreference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {self.mode}"
