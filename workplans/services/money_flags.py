"""Reconciliation flags raised where money is entered (issue 12, point 5).

A write that touches one funding (an activity × contributor) reads the funding's flags
before and after (``funding_flags``); a flag that appears is told to the secretariat
(``notify_new_flags``), who follows up the money. Which writes refuse and which record
with a flag is explained in ``workplans.reconciliation``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from counties.models import Membership
from jwp.roles import Role
from workplans.reconciliation import Flag, flag_url, reconcile


def funding_flags(*, plan, activity, contributor_id: int | None) -> list[Flag]:
    """The flags of one funding, read without a member's filter (a service's check)."""
    return reconcile(
        county=plan.county, plan=plan, activity=activity, contributor=contributor_id
    ).flags


def notify_new_flags(*, plan, before: list[Flag], after: list[Flag], actor, event: str) -> list:
    """Notify the county's secretariat of each flag in ``after`` not in ``before``;
    returns the new flags. ``event`` makes the notification key unique to this write."""
    from notifications.services.events import notify

    seen = {f.key for f in before}
    new = [f for f in after if f.key not in seen]
    if not new:
        return []
    secretariat = Membership.objects.for_county(plan.county_id).filter(role=Role.SECRETARIAT)
    recipients = list(secretariat.values_list("user_id", flat=True))
    for flag in new:
        notify(
            county=plan.county,
            recipients=recipients,
            key=f"money-flag:{flag.kind}:{flag.activity_id}:{flag.contributor_id}:{event}",
            title=_("Money flag on “%(activity)s” (%(who)s): %(detail)s")
            % {
                "activity": flag.activity_title,
                "who": flag.contributor_label,
                "detail": flag.detail,
            },
            url=flag_url(plan.county, plan, flag),
            actor=actor,
        )
    return new
