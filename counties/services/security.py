"""The county's sign-in rule: two-factor required for the secretariat and the executive."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import County
from counties.selectors import privileged_members_two_factor
from jwp import audit
from jwp.account.selectors import has_two_factor
from jwp.readiness import Check, Readiness, require_ready
from notifications.services.events import notify


def county_two_factor_readiness(*, county: County, actor) -> Readiness:
    """Before requiring two-factor: the person turning it on uses it; who will be asked."""
    enrol_url = reverse("account:two_factor_enrol")
    checks = [
        Check(
            _("You use two-factor sign-in"),
            met=has_two_factor(actor),
            detail=""
            if has_two_factor(actor)
            else _(
                "Set it up on your own account first, so you know what your colleagues will see."
            ),
            fix_url=enrol_url,
        )
    ]
    for row in privileged_members_two_factor(county=county):
        if row.user_id == actor.pk:
            continue
        checks.append(
            Check(
                f"{row.user} ({row.get_role_display()})",
                met=row.has_two_factor,
                detail=""
                if row.has_two_factor
                else _("Not set up: will be asked to set it up at the next log-in."),
                blocking=False,
            )
        )
    return Readiness(checks)


@transaction.atomic
def county_two_factor_set(*, county: County, actor, required: bool) -> None:
    """Require two-factor sign-in for the county's secretariat and executive, or stop."""
    if required == county.require_two_factor:
        return
    if required:
        require_ready(county_two_factor_readiness(county=county, actor=actor))
    county.require_two_factor = required
    county.save(update_fields=["require_two_factor"])
    audit.record(
        county=county,
        actor=actor,
        verb="county.two_factor_required" if required else "county.two_factor_optional",
        target=county,
        summary=(
            "Required two-factor sign-in for the secretariat and the executive"
            if required
            else "Made two-factor sign-in optional again"
        ),
    )
    if required:
        waiting = [
            row.user
            for row in privileged_members_two_factor(county=county)
            if not row.has_two_factor
        ]
        notify(
            county=county,
            recipients=waiting,
            key=f"county:{county.pk}:two-factor-required:{timezone.now():%Y%m%d%H%M%S}",
            title=_("Set up two-factor sign-in"),
            url=reverse("account:two_factor_enrol"),
            actor=actor,
            why=_(
                "%(county)s now requires two-factor sign-in for your role; you will be asked "
                "to set it up at your next log-in."
            )
            % {"county": county.name},
        )
