"""Coordination structures, their members, and nominations to them.

The manual's rules about structures are shown as warnings, never enforced:
counties start where they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from counties.models import (
    Contact,
    CoordinationStructure,
    County,
    Gender,
    Membership,
    Nomination,
    NominationStatus,
    Organization,
    OrganizationCategory,
    StructureKind,
    StructureMember,
)
from jwp import audit
from jwp.fiscal import is_kenyan_fy_label
from jwp.uploads import validate_document
from notifications.services.events import notify, resolve

TWG_SIZE = (7, 11)
SECRETARIAT_SIZE = (2, 3)
STATE_CATEGORIES = {
    OrganizationCategory.COUNTY_DEPARTMENT,
    OrganizationCategory.NATIONAL_GOVERNMENT,
}


@dataclass(frozen=True)
class StructureWarning:
    code: str
    message: str


def structure_warnings(structure: CoordinationStructure, members: list[StructureMember]) -> list:
    """The manual's rules for this structure that its membership does not meet yet."""
    size = len(members)
    if not size:
        return [StructureWarning("empty", _("No members yet."))]
    checks = {
        StructureKind.TWG: _twg_warnings,
        StructureKind.SECRETARIAT: _secretariat_warnings,
        StructureKind.SWG: _swg_warnings,
    }
    check = checks.get(structure.kind)
    return check(members) if check else []


def _twg_warnings(members) -> list:
    size, (low, high) = len(members), TWG_SIZE
    warnings = []
    if not low <= size <= high:
        message = _(
            "The manual recommends a TWG/Steering Committee of %(low)d–%(high)d "
            "members; it has %(size)d."
        )
        warnings.append(
            StructureWarning("twg_size", message % {"low": low, "high": high, "size": size})
        )
    without = sum(1 for m in members if not m.has_decision_authority)
    if without:
        message = ngettext(
            "%(n)d member has no decision-making authority.",
            "%(n)d members have no decision-making authority.",
            without,
        )
        warnings.append(StructureWarning("twg_authority", message % {"n": without}))
    women = sum(1 for m in members if m.gender == Gender.FEMALE)
    men = sum(1 for m in members if m.gender == Gender.MALE)
    if women * 3 < size or men * 3 < size:
        message = _(
            "Gender balance: %(women)d women and %(men)d men of %(size)d — no more "
            "than two-thirds should be of one gender."
        )
        warnings.append(
            StructureWarning("gender", message % {"women": women, "men": men, "size": size})
        )
    return warnings


def _secretariat_warnings(members) -> list:
    size, (low, high) = len(members), SECRETARIAT_SIZE
    if low <= size <= high:
        return []
    message = _(
        "The manual recommends a JWP Secretariat of %(low)d–%(high)d people; it has %(size)d."
    )
    return [
        StructureWarning("secretariat_size", message % {"low": low, "high": high, "size": size})
    ]


def _swg_warnings(members) -> list:
    if any(m.organization and m.organization.category not in STATE_CATEGORIES for m in members):
        return []
    return [
        StructureWarning(
            "swg_non_state",
            _(
                "No non-state actor sits on this Sector Working Group yet (CSOs, partners, "
                "private sector, communities)."
            ),
        )
    ]


def _check_structure(*, county: County, kind: str, cycle: str, sector) -> None:
    if not is_kenyan_fy_label(cycle):
        raise ValidationError({"cycle": _("Write the fiscal year like 2025/26.")})
    if kind == StructureKind.SWG and sector is None:
        raise ValidationError({"sector": _("A Sector Working Group needs its sector.")})
    if kind != StructureKind.SWG and sector is not None:
        raise ValidationError({"sector": _("Only a Sector Working Group has a sector.")})
    if sector is not None and sector.county_id != county.pk:
        raise ValidationError({"sector": _("Choose a sector of this county.")})


def structure_save(
    *,
    county: County,
    actor,
    structure: CoordinationStructure | None = None,
    kind: str,
    cycle: str,
    name: str = "",
    sector=None,
    mandate: str = "",
    is_active: bool = True,
    terms_of_reference=None,
) -> CoordinationStructure:
    _check_structure(county=county, kind=kind, cycle=cycle, sector=sector)
    if terms_of_reference is not None:
        try:
            validate_document(terms_of_reference, kinds=("pdf", "docx"))
        except ValidationError as exc:
            raise ValidationError({"terms_of_reference": exc.messages}) from exc
    creating = structure is None
    structure = structure or CoordinationStructure(county=county)
    clash = CoordinationStructure.objects.for_county(county).filter(
        kind=kind, cycle=cycle, sector=sector
    )
    if structure.pk:
        clash = clash.exclude(pk=structure.pk)
    if clash.exists():
        raise ValidationError(
            _("This county already has that structure for %(cycle)s.") % {"cycle": cycle}
        )
    default_name = StructureKind(kind).label + (f" — {sector.name}" if sector else "")
    structure.kind, structure.cycle, structure.sector = kind, cycle, sector
    structure.name = name.strip() or default_name
    structure.mandate, structure.is_active = mandate, is_active
    with transaction.atomic():
        if terms_of_reference is not None:
            structure.terms_of_reference.save(
                terms_of_reference.name, terms_of_reference, save=False
            )
        structure.save()
        audit.record(
            county=county,
            actor=actor,
            verb="structure.create" if creating else "structure.update",
            target=structure,
            summary=f"{'Set up' if creating else 'Edited'} {structure}",
        )
    return structure


def _organization_of(*, county: County, contact: Contact | None, user) -> Organization | None:
    if contact is not None:
        return contact.organization
    membership = Membership.objects.for_county(county).filter(user=user).first()
    return membership.organization if membership else None


def structure_member_add(
    *,
    structure: CoordinationStructure,
    actor,
    contact: Contact | None = None,
    user=None,
    position: str = "",
    gender: str = Gender.UNSPECIFIED,
    has_decision_authority: bool = False,
    is_chair: bool = False,
) -> StructureMember:
    county = structure.county
    if (contact is None) == (user is None):
        raise ValidationError(_("Choose either a contact or a platform user."))
    if contact is not None:
        structure.check_same_county(contact)
    elif not Membership.objects.for_county(county).filter(user=user).exists():
        raise ValidationError({"user": _("Choose a member of this county.")})
    members = StructureMember.objects.for_county(county).filter(structure=structure)
    if members.filter(contact=contact, user=user).exists():
        raise ValidationError(_("This person already sits on this structure."))
    with transaction.atomic():
        member = StructureMember.objects.create(
            county=county,
            structure=structure,
            contact=contact,
            user=user,
            organization=_organization_of(county=county, contact=contact, user=user),
            position=position,
            gender=gender,
            has_decision_authority=has_decision_authority,
            is_chair=is_chair,
        )
        audit.record(
            county=county,
            actor=actor,
            verb="structure.member_add",
            target=structure,
            summary=f"Added a member to {structure}",
            data={"member_id": member.pk},
        )
    return member


def structure_member_remove(*, member: StructureMember, actor) -> None:
    with transaction.atomic():
        audit.record(
            county=member.county,
            actor=actor,
            verb="structure.member_remove",
            target=member.structure,
            summary=f"Removed a member from {member.structure}",
            data={"member_id": member.pk},
        )
        member.delete()


def nomination_invite(
    *,
    structure: CoordinationStructure,
    actor,
    organization: Organization,
    due_date,
    message: str = "",
) -> Nomination:
    county = structure.county
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date has passed already.")})
    pending = Nomination.objects.for_county(county).filter(
        structure=structure,
        organization=organization,
        status__in=[NominationStatus.INVITED, NominationStatus.NOMINATED],
    )
    if pending.exists():
        raise ValidationError(
            {
                "organization": _("%(org)s already has a pending nomination to this structure.")
                % {"org": organization}
            }
        )
    with transaction.atomic():
        nomination = Nomination.objects.create(
            county=county,
            structure=structure,
            organization=organization,
            due_date=due_date,
            message=message,
            invited_by=actor,
        )
        audit.record(
            county=county,
            actor=actor,
            verb="nomination.invite",
            target=nomination,
            summary=f"Invited {organization.name} to nominate a member of {structure}",
        )
        _nomination_turn(nomination, event="invited", actor=actor)
    return nomination


def _nomination_turn(nomination: Nomination, *, event: str, actor) -> None:
    """The nomination's previous turn is over; tell who acts next (counties.waiting)."""
    from counties import waiting

    resolve(county=nomination.county, key=f"nomination:{nomination.pk}")
    if event == "invited":
        recipients, action = waiting.nominators(nomination), "nominate"
        title = _("Nominate a member of %(structure)s for %(organization)s")
        why = waiting.invited_why(nomination)
    elif event == "nominated":
        recipients, action = waiting.nomination_deciders(nomination.county), "decide"
        title = _("%(organization)s nominated a member of %(structure)s")
        why = waiting.nominated_why(nomination)
    else:
        return  # decided: nobody's turn any more
    notify(
        county=nomination.county,
        recipients=recipients,
        key=f"nomination:{nomination.pk}:{event}",
        title=title
        % {"structure": nomination.structure.name, "organization": nomination.organization.name},
        why=why,
        url=reverse(f"counties:nomination_{action}", args=[nomination.county.slug, nomination.pk]),
        actor=actor,
    )


def nomination_nominate(*, nomination: Nomination, actor, nominee: Contact) -> Nomination:
    """The organization names its nominee (a contact of that organization)."""
    if nomination.status != NominationStatus.INVITED:
        raise ValidationError(_("This nomination is no longer waiting for a nominee."))
    nomination.check_same_county(nominee)
    if nominee.organization_id != nomination.organization_id:
        raise ValidationError(
            {"nominee": _("Choose a person of %(org)s.") % {"org": nomination.organization}}
        )
    with transaction.atomic():
        nomination.nominee = nominee
        nomination.status = NominationStatus.NOMINATED
        nomination.nominated_at = timezone.now()
        nomination.save(update_fields=["nominee", "status", "nominated_at"])
        audit.record(
            county=nomination.county,
            actor=actor,
            verb="nomination.nominate",
            target=nomination,
            summary=f"{nomination.organization.name} nominated a member of {nomination.structure}",
        )
        _nomination_turn(nomination, event="nominated", actor=actor)
    return nomination


def nomination_decide(
    *,
    nomination: Nomination,
    actor,
    accept: bool,
    note: str = "",
    position: str = "",
    has_decision_authority: bool = False,
) -> Nomination:
    """Accept (the nominee joins the structure) or decline, with a note."""
    if nomination.status != NominationStatus.NOMINATED:
        raise ValidationError(_("Only a nomination with a nominee can be accepted or declined."))
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say why the nomination is declined.")})
    with transaction.atomic():
        nomination.status = NominationStatus.ACCEPTED if accept else NominationStatus.DECLINED
        nomination.decided_at = timezone.now()
        nomination.decision_note = note.strip()
        nomination.save(update_fields=["status", "decided_at", "decision_note"])
        if accept:
            structure_member_add(
                structure=nomination.structure,
                actor=actor,
                contact=nomination.nominee,
                position=position or nomination.nominee.position,
                gender=nomination.nominee.gender,
                has_decision_authority=has_decision_authority,
            )
        audit.record(
            county=nomination.county,
            actor=actor,
            verb="nomination.accept" if accept else "nomination.decline",
            target=nomination,
            summary=f"{'Accepted' if accept else 'Declined'} the nomination of "
            f"{nomination.organization.name} to {nomination.structure}",
        )
        _nomination_turn(nomination, event="decided", actor=actor)
    return nomination
