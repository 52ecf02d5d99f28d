"""Providers of dated items (see calendars/items.py), one per kind of deadline.

Imported by CalendarsConfig.ready() so every provider is registered at start-up.
"""

from django.urls import reverse

from calendars.items import DatedItem, ItemKind, provider
from counties.models import ActionItem, ActionStatus


@provider
def action_items(county, start, end):
    """Meeting action items: the owner (when they have an account) is reminded."""
    rows = (
        ActionItem.objects.for_county(county)
        .filter(due_date__range=(start, end))
        .select_related("meeting")
        .only("id", "description", "due_date", "status", "owner_user_id", "meeting_id")
    )
    for row in rows:
        yield DatedItem(
            key=f"actionitem:{row.pk}",
            county_id=county.pk,
            kind=ItemKind.ACTION_ITEM,
            title=row.description,
            date=row.due_date,
            url=reverse("counties:meeting", args=[county.slug, row.meeting_id]),
            responsible_user_ids=(row.owner_user_id,) if row.owner_user_id else (),
            done=row.status in (ActionStatus.DONE, ActionStatus.CANCELLED),
        )
