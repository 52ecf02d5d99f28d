"""Public comments waiting for a member (notifications.waiting): a participation
window's comments to moderate, and once it has closed, the accepted comments still
without their "you said, we did" response. They wait for whoever acts on the window's
step (``sectorplans.services.rules.acts_as``: the step's actor, or the secretariat on
its behalf), the same check that lets them moderate and respond.

Kept apart from the sector-plan steps' provider: these are the window's chores, not a
step of the 47.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.waiting import WaitingItem, waiting_provider
from sectorplans.models import Moderation, ParticipationWindow
from sectorplans.services.rules import acts_as

PENDING = Q(comments__moderation=Moderation.PENDING)
UNANSWERED = Q(comments__moderation=Moderation.ACCEPTED, comments__response="")


@waiting_provider
def public_comments(membership, today: date) -> Iterable[WaitingItem]:
    now = timezone.now()
    windows = (
        ParticipationWindow.objects.for_county(membership.county_id)
        .filter(opens_at__lte=now)
        .annotate(
            pending=Count("comments", filter=PENDING),
            oldest_pending=Min("comments__submitted_at", filter=PENDING),
            unanswered=Count("comments", filter=UNANSWERED),
        )
        .filter(Q(pending__gt=0) | Q(unanswered__gt=0, closes_at__lte=now))
        .select_related("county", "plan", "plan__sector", "plan_step", "plan_step__step")
    )
    for window in windows:
        window.plan_step.plan = window.plan
        if acts_as(membership, window.plan_step) is None:
            continue
        url = reverse("sectorplans:window", args=[window.county.slug, window.pk])
        title = _("%(window)s (%(sector)s sector plan)") % {
            "window": window.title,
            "sector": window.plan.sector.name,
        }
        if window.pending:
            yield WaitingItem(
                key=f"window:{window.pk}:moderate",
                title=title,
                why=ngettext(
                    "%(n)d public comment awaits moderation.",
                    "%(n)d public comments await moderation.",
                    window.pending,
                )
                % {"n": window.pending},
                url=url,
                since=window.oldest_pending,
                area=_("Public participation"),
            )
        if window.unanswered and window.has_closed(now):
            yield WaitingItem(
                key=f"window:{window.pk}:respond",
                title=title,
                why=ngettext(
                    "The window has closed; %(n)d accepted comment awaits its response.",
                    "The window has closed; %(n)d accepted comments await their response.",
                    window.unanswered,
                )
                % {"n": window.unanswered},
                url=url,
                since=window.closes_at,
                area=_("Public participation"),
            )
