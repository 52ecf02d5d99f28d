"""Organization profiles are shared between counties (issue 13, finding M1).

A county *links* to an organization (its register, members, contacts, plan partners,
activity leads); it never edits a profile other counties rely on. One rule says who
edits a profile (``organization_edit_readiness``):

- the organization's own partner members (a partner membership with it),
- platform admins,
- the secretariat of the county that recorded it, only while no other county uses it.

A change to a profile is written to the audit trail of every county that uses it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from counties.models import County, Membership, Organization
from counties.selectors import organization_counties
from jwp import audit
from jwp.readiness import Check, Readiness
from jwp.roles import Role
from jwp.tenancy import all_counties_context

__all__ = [
    "organization_create",
    "organization_edit_readiness",
    "organization_may_edit",
    "organization_update",
]

PROFILE_FIELDS = ("name", "acronym", "category", "iati_identifier", "website", "description")


def _recorded_by(organization: Organization, users: list[County]) -> int | None:
    """The county that recorded it; for profiles older than that record, the one county
    that uses it (none when several do)."""
    if organization.created_in_id:
        return organization.created_in_id
    return users[0].pk if len(users) == 1 else None


def organization_edit_readiness(
    *, user, membership: Membership, organization: Organization
) -> Readiness:
    """May this member edit the organization's shared profile? Shown on the profile page
    (the Edit button is offered only when ready) and enforced by ``organization_update``."""
    label = _("Who edits this profile")
    if user.is_staff:
        return Readiness([Check(label, met=True, detail=_("You are a platform admin."))])
    if membership.role == Role.PARTNER and membership.organization_id == organization.pk:
        return Readiness([Check(label, met=True, detail=_("You are one of its members."))])
    nobody_else = _("only its own members or a platform admin can edit it.")
    if membership.role != Role.SECRETARIAT:
        return Readiness(
            [Check(label, met=False, detail=_("Your role does not edit it: %s") % nobody_else)]
        )
    users = organization_counties(organization=organization)
    others = [c for c in users if c.pk != membership.county_id]
    if others:
        names = get_text_list([c.name for c in users], _("and"))
        detail = _("Used by %(counties)s; %(rule)s") % {"counties": names, "rule": nobody_else}
        return Readiness([Check(label, met=False, detail=detail)])
    if _recorded_by(organization, users) != membership.county_id:
        detail = _("Recorded by another county; %s") % nobody_else
        return Readiness([Check(label, met=False, detail=detail)])
    return Readiness(
        [Check(label, met=True, detail=_("Your county recorded it and no other county uses it."))]
    )


def organization_may_edit(*, user, membership: Membership, organization: Organization) -> bool:
    return organization_edit_readiness(
        user=user, membership=membership, organization=organization
    ).ready


def organization_create(*, county: County, actor, **fields) -> Organization:
    """Record a new organization (global) from a county's workspace."""
    organization = Organization(**fields, created_in=county)
    organization.full_clean()
    organization.save()
    audit.record(
        county=county,
        actor=actor,
        verb="organization.create",
        target=organization,
        summary=f"Recorded the organization {organization.name}",
    )
    return organization


def organization_update(
    *, membership: Membership, organization: Organization, actor, **fields
) -> Organization:
    """Edit the shared profile; every county that uses it gets the change in its trail."""
    readiness = organization_edit_readiness(
        user=actor, membership=membership, organization=organization
    )
    if not readiness.ready:
        raise PermissionDenied(readiness.message())
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    # What is stored now (a ModelForm may already have set the new values on the object).
    stored = Organization.objects.filter(pk=organization.pk)
    before = (stored.values(*fields).first() or {}) if fields else {}
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    county = membership.county
    with transaction.atomic():
        organization.save()
        counties = {c.pk: c for c in organization_counties(organization=organization)}
        counties.setdefault(county.pk, county)
        changes = {
            "fields": sorted(fields),
            "before": before,
            "after": {name: getattr(organization, name) for name in fields},
            "edited_in": county.name,
        }
        with all_counties_context():
            for target_county in counties.values():
                audit.record(
                    county=target_county,
                    actor=actor,
                    verb="organization.update",
                    target=organization,
                    summary=(
                        f"Edited the shared profile of {organization.name} (from {county.name})"
                    ),
                    data=changes,
                )
    return organization
