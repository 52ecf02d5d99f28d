"""The county calendar's own rows: JWP process events and the secret feed tokens.

Everything else on the calendar is *computed* by providers (calendars/providers.py)
from the rows of other apps and from the statutory calendar (calendars/statutory.py).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jwp.tenancy import CountyOwned


class EventKind(models.TextChoices):
    """The JWP process (manual §4): from inception to close-out."""

    INCEPTION = "inception", _("Inception meeting")
    CO_CREATION = "co_creation", _("Co-creation workshop")
    TWG_REVIEW = "twg_review", _("TWG review")
    PAUSE_AND_REFLECT = "pause_and_reflect", _("Pause and reflect")
    CLOSE_OUT = "close_out", _("Close-out")
    OTHER = "other", _("Other JWP event")


class CalendarEvent(CountyOwned):
    """A JWP process event the secretariat puts on the county's calendar."""

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("For events over several days.")
    )
    sector = models.ForeignKey(
        "counties.Sector",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sector"),
    )
    notes = models.TextField(_("notes"), blank=True)
    row_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["county", "starts_on"], name="calendarevent_county_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="calendarevent_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FeedToken(models.Model):
    """A secret calendar-feed URL. Only its SHA-256 is stored; the URL is shown once.

    A *user* token (``county`` empty) serves the items of every county the user
    is a member of, at the time of each request. A *county* token serves one
    county's items; the secretariat issues it and can revoke it. Revoked tokens
    stay (who, when) but answer 404.

    Global, not county-owned: the token is looked up before any county is known,
    and it reveals nothing by itself. The feed view then reads the county's rows
    inside ``county_context`` of the counties the token grants.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Owner of a personal feed."),
    )
    county = models.ForeignKey(
        "counties.County",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("County of a county feed."),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True, county__isnull=False)
                | Q(user__isnull=False, county__isnull=True),
                name="feedtoken_user_xor_county",
            ),
            # At most one live feed per user and per county: regenerating revokes the old one.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True, user__isnull=False),
                name="feedtoken_one_live_per_user",
            ),
            models.UniqueConstraint(
                fields=["county"],
                condition=Q(revoked_at__isnull=True, county__isnull=False),
                name="feedtoken_one_live_per_county",
            ),
        ]

    def __str__(self) -> str:
        return f"feed {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
