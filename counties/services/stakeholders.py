"""The stakeholder register: who is engaged in the county, how, and where."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from counties.models import (
    Contact,
    County,
    Organization,
    Sector,
    Stakeholder,
    StakeholderSector,
    StakeholderWard,
    Ward,
)
from jwp import audit

REGISTER_FIELDS = (
    "role",
    "interest",
    "influence",
    "involvement",
    "communication_strategy",
    "remarks",
    "is_preg_partner",
)


def _check_coverage(*, county: County, sectors, wards) -> None:
    if any(s.county_id != county.pk for s in sectors):
        raise ValidationError({"sectors": _("Choose sectors of this county.")})
    if any(w.county_id != county.pk for w in wards):
        raise ValidationError({"wards": _("Choose wards of this county.")})


def _replace_links(model, *, county: County, stakeholder: Stakeholder, field: str, objs) -> None:
    """Make the stakeholder's links (sectors or wards) exactly ``objs``."""
    wanted = {o.pk for o in objs}
    links = model.objects.for_county(county).filter(stakeholder=stakeholder)
    links.exclude(**{f"{field}_id__in": wanted}).delete()
    have = set(links.values_list(f"{field}_id", flat=True))
    model.objects.bulk_create(
        model(county=county, stakeholder=stakeholder, **{f"{field}_id": pk}) for pk in wanted - have
    )


def _coverage_names(stakeholder: Stakeholder) -> dict:
    return {
        "sectors": sorted(s.name for s in stakeholder.sectors.all()),
        "wards": sorted(w.name for w in stakeholder.wards.all()),
    }


def stakeholder_save(
    *,
    county: County,
    actor,
    organization: Organization,
    sectors: list[Sector],
    wards: list[Ward],
    key_contact: Contact | None = None,
    stakeholder: Stakeholder | None = None,
    **fields,
) -> Stakeholder:
    """Add an organization to the register, or update its row."""
    creating = stakeholder is None
    duplicate = Stakeholder.objects.for_county(county).filter(organization=organization)
    if stakeholder is not None:
        duplicate = duplicate.exclude(pk=stakeholder.pk)
    if duplicate.exists():
        raise ValidationError(
            {"organization": _("%(org)s is already in the register.") % {"org": organization}}
        )
    _check_coverage(county=county, sectors=sectors, wards=wards)
    if key_contact is not None and (
        key_contact.county_id != county.pk or key_contact.organization_id != organization.pk
    ):
        raise ValidationError({"key_contact": _("Choose a contact of this organization.")})
    with transaction.atomic():
        stakeholder = stakeholder or Stakeholder(county=county)
        before = {} if creating else {f: getattr(stakeholder, f) for f in REGISTER_FIELDS}
        if not creating:
            before.update(_coverage_names(stakeholder))
        stakeholder.organization = organization
        stakeholder.key_contact = key_contact
        for name in REGISTER_FIELDS:
            if name in fields:
                setattr(stakeholder, name, fields[name])
        stakeholder.full_clean(exclude=["county"])
        stakeholder.save()
        _replace_links(
            StakeholderSector, county=county, stakeholder=stakeholder, field="sector", objs=sectors
        )
        _replace_links(
            StakeholderWard, county=county, stakeholder=stakeholder, field="ward", objs=wards
        )
        after = {f: getattr(stakeholder, f) for f in REGISTER_FIELDS} | _coverage_names(stakeholder)
        audit.record(
            county=county,
            actor=actor,
            verb="stakeholder.create" if creating else "stakeholder.update",
            target=stakeholder,
            summary=f"{'Added' if creating else 'Updated'} {organization.name} in the register",
            data={"before": before, "after": after} if not creating else {"after": after},
        )
    return stakeholder


def stakeholder_set_coverage(*, stakeholder: Stakeholder, actor, sectors, wards) -> Stakeholder:
    """Where the organization works: partners keep this up to date for their own row."""
    county = stakeholder.county
    _check_coverage(county=county, sectors=sectors, wards=wards)
    with transaction.atomic():
        before = _coverage_names(stakeholder)
        _replace_links(
            StakeholderSector, county=county, stakeholder=stakeholder, field="sector", objs=sectors
        )
        _replace_links(
            StakeholderWard, county=county, stakeholder=stakeholder, field="ward", objs=wards
        )
        audit.record(
            county=county,
            actor=actor,
            verb="stakeholder.coverage",
            target=stakeholder,
            summary=f"Updated where {stakeholder.organization.name} works",
            data={"before": before, "after": _coverage_names(stakeholder)},
        )
    return stakeholder


def stakeholder_remove(*, stakeholder: Stakeholder, actor) -> None:
    with transaction.atomic():
        audit.record(
            county=stakeholder.county,
            actor=actor,
            verb="stakeholder.remove",
            target=stakeholder,
            summary=f"Removed {stakeholder.organization.name} from the register",
        )
        stakeholder.delete()
