"""Writes of the calendar: JWP process events and the secret feed tokens.

Every change is audited. Events carry a ``row_version`` so two secretariat
members editing the same event cannot overwrite each other silently.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from calendars.models import CalendarEvent, FeedToken, hash_token
from jwp import audit
from jwp.fiscal import MAX_YEAR, MIN_YEAR


class EditConflict(Exception):
    """The event changed since the form was opened."""


def _validate(*, starts_on, ends_on, sector, county) -> None:
    errors = {}
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day is not None and not MIN_YEAR <= day.year < MAX_YEAR:
            errors[name] = _("Choose a date between %(min)s and %(max)s.") % {
                "min": MIN_YEAR,
                "max": MAX_YEAR - 1,
            }
    if errors:
        raise ValidationError(errors)
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The end date cannot be before the date the event starts.")
    elif ends_on is not None and (ends_on - starts_on).days > 31:
        errors["ends_on"] = _("An event lasts at most a month; add separate events instead.")
    if sector is not None and sector.county_id != county.pk:
        errors["sector"] = _("Choose one of this county's sectors.")
    if errors:
        raise ValidationError(errors)


def event_create(*, county, actor, kind, title, starts_on, ends_on=None, sector=None, notes=""):
    _validate(starts_on=starts_on, ends_on=ends_on, sector=sector, county=county)
    with transaction.atomic():
        event = CalendarEvent.objects.create(
            county=county,
            kind=kind,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            sector=sector,
            notes=notes,
            created_by=actor,
        )
        audit.record(
            county=county,
            actor=actor,
            verb="calendar_event.create",
            target=event,
            summary=f"Scheduled {event.get_kind_display()}: {title} on {starts_on:%d %b %Y}",
        )
    return event


def event_update(*, event: CalendarEvent, actor, row_version: int, **fields) -> CalendarEvent:
    _validate(
        starts_on=fields["starts_on"],
        ends_on=fields.get("ends_on"),
        sector=fields.get("sector"),
        county=event.county,
    )
    with transaction.atomic():
        changed = {
            name: [str(getattr(event, name)), str(value)]
            for name, value in fields.items()
            if getattr(event, name) != value
        }
        updated = (
            CalendarEvent.objects.for_county(event.county)
            .filter(pk=event.pk, row_version=row_version)
            .update(row_version=F("row_version") + 1, **fields)
        )
        if not updated:
            raise EditConflict
        event.refresh_from_db()
        audit.record(
            county=event.county,
            actor=actor,
            verb="calendar_event.update",
            target=event,
            summary=f"Changed the JWP event {event.title}",
            data={"changed": changed},
        )
    return event


def event_delete(*, event: CalendarEvent, actor) -> None:
    with transaction.atomic():
        audit.record(
            county=event.county,
            actor=actor,
            verb="calendar_event.delete",
            target=event,
            summary=f"Removed the JWP event {event.title} ({event.starts_on:%d %b %Y})",
        )
        event.delete()


# --- feed tokens ------------------------------------------------------------------------


def _issue(**owner) -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    FeedToken.objects.filter(revoked_at__isnull=True, **owner).update(revoked_at=timezone.now())
    return token, hash_token(token)


def user_feed_issue(*, user) -> str:
    """A new personal feed URL token (any older one stops working). Returned once."""
    with transaction.atomic():
        token, digest = _issue(user=user)
        FeedToken.objects.create(user=user, token_hash=digest, created_by=user)
    return token


def user_feed_revoke(*, user) -> bool:
    return bool(
        FeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def county_feed_issue(*, county, actor) -> str:
    with transaction.atomic():
        token, digest = _issue(county=county)
        feed = FeedToken.objects.create(county=county, token_hash=digest, created_by=actor)
        audit.record(
            county=county,
            actor=actor,
            verb="calendar_feed.issue",
            target=feed,
            summary="Issued a new county calendar feed link (the previous one stops working)",
        )
    return token


def county_feed_revoke(*, county, actor) -> bool:
    with transaction.atomic():
        live = list(FeedToken.objects.filter(county=county, revoked_at__isnull=True))
        FeedToken.objects.filter(pk__in=[f.pk for f in live]).update(revoked_at=timezone.now())
        for feed in live:
            audit.record(
                county=county,
                actor=actor,
                verb="calendar_feed.revoke",
                target=feed,
                summary="Revoked the county calendar feed link",
            )
    return bool(live)


def feed_for_token(token: str) -> FeedToken | None:
    """The live feed behind a URL token, or None (unknown and revoked look the same).

    The lookup is by SHA-256 of the token (an index lookup on a digest, which does not
    leak the token through timing); the digest is then compared in constant time.
    """
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    feed = (
        FeedToken.objects.select_related("user", "county")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if feed is None or not secrets.compare_digest(feed.token_hash, digest):
        return None
    return feed
