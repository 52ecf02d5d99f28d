"""Nominations and meeting action items waiting for a member (notifications.waiting).

- An invitation to nominate waits for the invited organization's partner members
  (the secretariat when the organization has no member in the county, as its
  reminders do); the secretariat may also name the nominee, but it is not its turn.
- A nomination with a nominee waits for whoever manages the county's structures
  (the secretariat) to accept or decline it.
- A meeting's action item waits for its owner (a member with an account) while it is
  open and due within a week, or overdue.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from datetime import date, timedelta
from functools import reduce

from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from counties.models import ActionItem, ActionStatus, Membership, Nomination, NominationStatus
from jwp.roles import Capability, Role, role_can
from notifications.waiting import WaitingItem, waiting_provider

ACTION_ITEM_DAYS_AHEAD = 7  # an open action item waits for its owner from a week before due


def may_decide_nominations(membership: Membership) -> bool:
    """Who accepts or declines a nomination (counties.views.structures.nomination_decide)."""
    return role_can(membership.role, Capability.MANAGE_STAKEHOLDERS)


def nomination_deciders(county) -> list[int]:
    return [
        m.user_id
        for m in Membership.objects.for_county(county).only("user_id", "role")
        if may_decide_nominations(m)
    ]


def nominators(nomination: Nomination) -> list[int]:
    """Who names the nominee: the organization's partner members, else the secretariat."""
    members = Membership.objects.for_county(nomination.county_id)
    partners = list(
        members.filter(role=Role.PARTNER, organization_id=nomination.organization_id).values_list(
            "user_id", flat=True
        )
    )
    return partners or list(members.filter(role=Role.SECRETARIAT).values_list("user_id", flat=True))


def invited_why(nomination: Nomination, today: date | None = None) -> str:
    values = {
        "structure": nomination.structure.name,
        "organization": nomination.organization.name,
        "due": formats.date_format(nomination.due_date, "j M Y"),
    }
    if today is not None and nomination.due_date < today:
        return (
            _("%(structure)s asked %(organization)s to nominate a member by %(due)s: overdue.")
            % values
        )
    return _("%(structure)s asks %(organization)s to nominate a member by %(due)s.") % values


def nominated_why(nomination: Nomination) -> str:
    return _("%(organization)s nominated %(nominee)s; accept or decline the nomination.") % {
        "organization": nomination.organization.name,
        "nominee": nomination.nominee.name if nomination.nominee_id else _("someone"),
    }


def _nominations_for(membership: Membership):
    """The nominations on which this member acts now (one query, or none)."""
    invited, nominated = NominationStatus.INVITED, NominationStatus.NOMINATED
    wanted = []
    if membership.role == Role.PARTNER:
        wanted.append(Q(status=invited, organization_id=membership.organization_id))
    if membership.role == Role.SECRETARIAT:  # for organizations without a member here
        partners = Membership.objects.for_county(membership.county_id).filter(role=Role.PARTNER)
        wanted.append(
            Q(status=invited) & ~Q(organization_id__in=partners.values("organization_id"))
        )
    if may_decide_nominations(membership):
        wanted.append(Q(status=nominated))
    if not wanted:
        return []
    return (
        Nomination.objects.for_county(membership.county_id)
        .filter(reduce(operator.or_, wanted))
        .select_related("county", "structure", "organization", "nominee")
    )


@waiting_provider
def nominations(membership: Membership, today: date) -> Iterable[WaitingItem]:
    for row in _nominations_for(membership):
        invited = row.status == NominationStatus.INVITED
        action = "nominate" if invited else "decide"
        yield WaitingItem(
            key=f"nomination:{row.pk}:{action}",
            title=_("Nomination of %(organization)s to %(structure)s")
            % {"organization": row.organization.name, "structure": row.structure.name},
            why=invited_why(row, today) if invited else nominated_why(row),
            url=reverse(f"counties:nomination_{action}", args=[row.county.slug, row.pk]),
            since=row.invited_at if invited else row.nominated_at,
            area=_("Nominations"),
        )


@waiting_provider
def action_items(membership: Membership, today: date) -> Iterable[WaitingItem]:
    rows = (
        ActionItem.objects.for_county(membership.county_id)
        .filter(
            owner_user_id=membership.user_id,
            status__in=(ActionStatus.OPEN, ActionStatus.IN_PROGRESS),
            due_date__lte=today + timedelta(days=ACTION_ITEM_DAYS_AHEAD),
        )
        .select_related("county", "meeting")
    )
    for row in rows:
        overdue = row.due_date < today
        yield WaitingItem(
            key=f"actionitem:{row.pk}",
            title=row.description,
            why=(
                _("Agreed at %(meeting)s; overdue since %(due)s.")
                if overdue
                else _("Agreed at %(meeting)s; due %(due)s.")
            )
            % {"meeting": row.meeting.title, "due": formats.date_format(row.due_date, "j M Y")},
            url=reverse("counties:meeting", args=[row.county.slug, row.meeting_id]),
            since=row.meeting.starts_at,
            area=_("Meeting actions"),
        )
