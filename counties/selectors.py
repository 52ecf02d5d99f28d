"""Reads for counties, members, sectors and organizations. Always take the county."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Contact,
    CoordinationStructure,
    County,
    Gender,
    Invitation,
    Meeting,
    Membership,
    Nomination,
    Organization,
    OrganizationCategory,
    Sector,
    Stakeholder,
    StakeholderSector,
    StakeholderWard,
    StructureMember,
)
from jwp.models import AuditEvent
from jwp.tenancy import activate_user


def memberships_for_user(user) -> list[Membership]:
    """The user's memberships in every county (the county switcher).

    Reads across counties under the user's own context: row-level security
    admits a member's own membership rows and nothing else of other counties.
    """
    if not user.is_authenticated:
        return []
    with transaction.atomic():
        activate_user(user)
        return list(
            Membership.objects.all_counties()
            .filter(user=user)
            .select_related("county")
            .order_by("county__name")
        )


@dataclass(frozen=True)
class Preview:
    """The first rows of a list and how many there are, read from one queryset, so a
    card's count and its rows can never disagree ("Members (9)" listing 8)."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def preview(qs: QuerySet, *, limit: int) -> Preview:
    rows = list(qs[:limit])
    total = len(rows) if len(rows) < limit else qs.count()
    return Preview(rows=rows, total=total)


def county_members(
    *, county: County, role: str = "", query: str = "", active_only: bool = False
) -> QuerySet[Membership]:
    """Members of the county; ``active_only`` leaves out accounts that were switched off
    (they cannot sign in, so they are not counted among the people working here)."""
    qs = Membership.objects.for_county(county).select_related("user", "sector", "organization")
    if active_only:
        qs = qs.filter(user__is_active=True)
    if role:
        qs = qs.filter(role=role)
    if query:
        qs = qs.filter(Q(user__full_name__icontains=query) | Q(user__email__icontains=query))
    return qs.order_by("user__full_name", "user__email")


def county_sectors(*, county: County, active_only: bool = False) -> QuerySet[Sector]:
    qs = Sector.objects.for_county(county)
    return qs.filter(is_active=True) if active_only else qs


def county_organizations(
    *, county: County, category: str = "", query: str = ""
) -> QuerySet[Organization]:
    """Organizations engaged in the county: in its register, or with members or contacts."""
    qs = Organization.objects.filter(
        Q(pk__in=Stakeholder.objects.for_county(county).values("organization"))
        | Q(pk__in=Membership.objects.for_county(county).values("organization"))
        | Q(pk__in=Contact.objects.for_county(county).values("organization"))
    )
    if category:
        qs = qs.filter(category=category)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(acronym__icontains=query))
    return qs.order_by("name")


ORGANIZATION_PICK_LIMIT = 20
ORGANIZATION_SEARCH_MIN = 2


def _engagements() -> list[tuple[type, str]]:
    """Where a county uses an organization: (county-owned model, organization field).
    One list for the pick lists and for "which counties use this profile"."""
    from workplans.models import JointActivity, PlanPartner

    return [
        (Stakeholder, "organization"),
        (Membership, "organization"),
        (Contact, "organization"),
        (PlanPartner, "organization"),
        (JointActivity, "lead_organization"),
    ]


def organizations_engaged(*, county: County) -> QuerySet[Organization]:
    """The organizations a county uses (register, members, contacts, plan partners and
    activity leads), plus the ones its secretariat recorded."""
    used = Q(created_in=county)
    for model, field in _engagements():
        used |= Q(pk__in=model.objects.for_county(county).values(field))
    return Organization.objects.filter(used).order_by("name")


def organization_counties(*, organization: Organization) -> list[County]:
    """Every county that uses the organization (the people a change to its shared profile
    concerns). Reads county ids across counties, nothing else."""
    from jwp.tenancy import all_counties_context

    used = Q(pk__in=[])
    for model, field in _engagements():
        used |= Q(
            pk__in=model.objects.all_counties().filter(**{field: organization}).values("county")
        )
    with all_counties_context():
        return list(County.objects.filter(used).order_by("name"))


def organizations_for_pick(
    *, county: County, query: str = "", limit: int = ORGANIZATION_PICK_LIMIT
) -> QuerySet[Organization]:
    """What an organization pick list offers: the organizations engaged in the county
    (``organizations_engaged``); with a search (two characters or more) also any
    organization whose name or acronym matches, at most ``limit`` of them (organizations
    are shared reference data: a name, an acronym, a category; nothing a county recorded
    about them). Picking one links it to the county; it never lets the county edit a
    profile another county uses (``organization_edit_readiness``)."""
    engaged = organizations_engaged(county=county)
    query = query.strip()
    if len(query) < ORGANIZATION_SEARCH_MIN:
        return engaged
    matches = Organization.objects.filter(
        Q(name__icontains=query) | Q(acronym__icontains=query)
    ).order_by("name")
    found = list(matches.values_list("pk", flat=True)[:limit])
    return Organization.objects.filter(Q(pk__in=engaged.values("pk")) | Q(pk__in=found)).order_by(
        "name"
    )


def organization_contacts(*, county: County, organization: Organization) -> QuerySet[Contact]:
    return Contact.objects.for_county(county).filter(organization=organization)


def open_invitations(*, county: County) -> QuerySet[Invitation]:
    return (
        Invitation.objects.for_county(county)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("sector", "organization", "invited_by")
    )


def county_audit_events(*, county: County, verb: str = "") -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.for_county(county).select_related("actor")
    return qs.filter(verb=verb) if verb else qs


# --- stakeholder register and structures -----------------------------------


def county_stakeholders(
    *,
    county: County,
    category: str = "",
    sector=None,
    ward=None,
    interest: str = "",
    influence: str = "",
    preg: str = "",
    query: str = "",
) -> QuerySet[Stakeholder]:
    qs = (
        Stakeholder.objects.for_county(county)
        .select_related("organization", "key_contact")
        .prefetch_related("sectors", "wards")
    )
    if category:
        qs = qs.filter(organization__category=category)
    if sector:
        links = StakeholderSector.objects.for_county(county).filter(sector_id=sector)
        qs = qs.filter(pk__in=links.values("stakeholder"))
    if ward:
        links = StakeholderWard.objects.for_county(county).filter(ward_id=ward)
        qs = qs.filter(pk__in=links.values("stakeholder"))
    if interest:
        qs = qs.filter(interest=interest)
    if influence:
        qs = qs.filter(influence=influence)
    if preg in ("yes", "no"):
        qs = qs.filter(is_preg_partner=preg == "yes")
    if query:
        qs = qs.filter(
            Q(organization__name__icontains=query) | Q(organization__acronym__icontains=query)
        )
    return qs.order_by("organization__name")


def quadrant_counts(stakeholders: QuerySet[Stakeholder]) -> dict[str, int]:
    """How many stakeholders fall in each quadrant of the matrix, counted by the database."""
    high_influence, high_interest = Q(influence="high"), Q(interest="high")
    return stakeholders.order_by().aggregate(
        manage_closely=Count("pk", filter=high_influence & high_interest),
        keep_satisfied=Count("pk", filter=high_influence & ~high_interest),
        keep_informed=Count("pk", filter=~high_influence & high_interest),
        monitor=Count("pk", filter=~high_influence & ~high_interest),
    )


def county_structures(*, county: County, cycle: str = "") -> QuerySet[CoordinationStructure]:
    qs = (
        CoordinationStructure.objects.for_county(county)
        .select_related("sector")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=StructureMember.objects.for_county(county).select_related(
                    "contact", "user", "organization"
                ),
            )
        )
    )
    return qs.filter(cycle=cycle) if cycle else qs


def structure_nominations(*, county: County, structure) -> QuerySet[Nomination]:
    return (
        Nomination.objects.for_county(county)
        .filter(structure=structure)
        .select_related("organization", "nominee", "invited_by")
    )


def sectors_without_swg(*, county: County, cycle: str) -> QuerySet[Sector]:
    with_swg = CoordinationStructure.objects.for_county(county).filter(
        kind="swg", cycle=cycle, is_active=True
    )
    return county_sectors(county=county, active_only=True).exclude(pk__in=with_swg.values("sector"))


# --- meetings ---------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """A part of a meeting's attendance: how many people, and what per cent of all."""

    label: str
    count: int
    percent: int
    key: str = ""


@dataclass(frozen=True)
class Participation:
    """The participation figures the manual asks of every meeting and workshop."""

    total: int
    women: Share
    men: Share
    youth: Share
    disability: Share
    by_category: list[Share]


def _percent(part: int, whole: int) -> int:
    """A whole per cent, rounded half up (2 of 3 is 67 %, 1 of 8 is 13 %)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def county_meetings(
    *,
    county: County,
    kind: str = "",
    when: str = "",
    after: date | None = None,
    before: date | None = None,
) -> QuerySet[Meeting]:
    """The county's meetings with their attendance and open actions counted.

    ``when`` is ``upcoming`` (soonest first) or ``past`` (latest first);
    ``after``/``before`` bound the start date, both days included.
    """
    still_open = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
    qs = (
        Meeting.objects.for_county(county)
        .select_related("structure")
        .annotate(
            attendee_count=Count("attendance", distinct=True),
            open_action_count=Count(
                "action_items", filter=Q(action_items__status__in=still_open), distinct=True
            ),
        )
    )
    if kind:
        qs = qs.filter(kind=kind)
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(starts_at__gte=now).order_by("starts_at", "pk")
    elif when == "past":
        qs = qs.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    else:
        qs = qs.order_by("-starts_at", "-pk")
    if after:
        qs = qs.filter(starts_at__date__gte=after)
    if before:
        qs = qs.filter(starts_at__date__lte=before)
    return qs


def meeting_attendance(*, county: County, meeting: Meeting) -> QuerySet[Attendance]:
    return (
        Attendance.objects.for_county(county)
        .filter(meeting=meeting)
        .select_related("organization")
        .order_by("pk")
    )


def meeting_participation(*, county: County, meeting: Meeting) -> Participation:
    """Total, women, men, youth, persons with disability and turnout by organization
    category, counted by the database (two queries, however long the register)."""
    register = Attendance.objects.for_county(county).filter(meeting=meeting)
    counts = register.aggregate(
        total=Count("pk"),
        women=Count("pk", filter=Q(gender=Gender.FEMALE)),
        men=Count("pk", filter=Q(gender=Gender.MALE)),
        youth=Count("pk", filter=Q(is_youth=True)),
        disability=Count("pk", filter=Q(has_disability=True)),
    )
    total = counts["total"]
    by_category = (
        register.values("organization__category")
        .annotate(n=Count("pk"))
        .order_by("-n", F("organization__category").asc(nulls_last=True))
    )
    labels = dict(OrganizationCategory.choices)

    def share(label, n: int, key: str = "") -> Share:
        return Share(label=str(label), count=n, percent=_percent(n, total), key=key)

    return Participation(
        total=total,
        women=share(_("women"), counts["women"], "women"),
        men=share(_("men"), counts["men"], "men"),
        youth=share(_("youth (18–35)"), counts["youth"], "youth"),
        disability=share(_("persons with disability"), counts["disability"], "disability"),
        by_category=[
            share(
                labels.get(row["organization__category"], _("No organization recorded")),
                row["n"],
                row["organization__category"] or "",
            )
            for row in by_category
        ]
        if total
        else [],
    )


def meeting_action_items(*, county: County, meeting: Meeting) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.for_county(county)
        .filter(meeting=meeting)
        .select_related("owner_organization", "owner_user")
        .order_by("due_date", "pk")
    )


def attendee_contacts(*, county: County) -> QuerySet[Contact]:
    """Contacts the secretariat may pick from when registering an attendee."""
    return Contact.objects.for_county(county).select_related("organization").order_by("name")


def county_member_users(*, county: County):
    """Platform users who are members of the county (owners of action items)."""
    return (
        get_user_model()
        .objects.filter(pk__in=Membership.objects.for_county(county).values("user"))
        .order_by("full_name", "email")
    )


# --- contacts ---------------------------------------------------------------


def county_contacts(
    *, county: County, organization_id: int | None = None, lawful_basis: str = "", query: str = ""
) -> QuerySet[Contact]:
    """The county's contacts (personal data: members of this county only)."""
    qs = Contact.objects.for_county(county).select_related("organization")
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    if lawful_basis:
        qs = qs.filter(lawful_basis=lawful_basis)
    if query:
        qs = qs.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(position__icontains=query)
        )
    return qs.order_by("name", "pk")


def contact_organizations(*, county: County) -> QuerySet[Organization]:
    """Organizations that have contacts in the county (the contact list's filter)."""
    return Organization.objects.filter(
        pk__in=Contact.objects.for_county(county).values("organization")
    ).order_by("name")


def contact_footprint(*, county: County, contact: Contact) -> dict[str, int]:
    """Where the person appears in this county, counted (the erasure's confirm page)."""
    from counties.models import Attendance, Nomination, Stakeholder, StructureMember
    from jwp.models import AuditEvent

    return {
        "stakeholders": Stakeholder.objects.for_county(county).filter(key_contact=contact).count(),
        "structure_memberships": StructureMember.objects.for_county(county)
        .filter(contact=contact)
        .count(),
        "nominations": Nomination.objects.for_county(county).filter(nominee=contact).count(),
        "attendance": Attendance.objects.for_county(county).filter(contact=contact).count(),
        "audit_events": AuditEvent.objects.for_county(county)
        .filter(target_type=Contact._meta.label_lower, target_id=str(contact.pk))
        .count(),
    }


def contact_subject_access(*, county: County, contact: Contact) -> dict:
    """Everything this county holds about the person (Data Protection Act 2019, s.26)."""
    from django.utils import timezone

    from counties.models import Attendance, Nomination, Stakeholder, StructureMember
    from jwp.models import AuditEvent

    stakeholders = (
        Stakeholder.objects.for_county(county)
        .filter(key_contact=contact)
        .select_related("organization")
    )
    memberships = (
        StructureMember.objects.for_county(county)
        .filter(contact=contact)
        .select_related("structure", "organization")
    )
    nominations = (
        Nomination.objects.for_county(county)
        .filter(nominee=contact)
        .select_related("structure", "organization")
    )
    attendance = (
        Attendance.objects.for_county(county)
        .filter(contact=contact)
        .select_related("meeting", "organization")
    )
    events = AuditEvent.objects.for_county(county).filter(
        target_type=Contact._meta.label_lower, target_id=str(contact.pk)
    )
    return {
        "about": {
            "county": county.name,
            "exported_at": timezone.now(),
            "law": "Data Protection Act 2019 (Kenya), s.26: right of access",
        },
        "contact": {
            "id": contact.pk,
            "name": contact.name,
            "organization": contact.organization.name,
            "position": contact.position,
            "email": contact.email,
            "phone": contact.phone,
            "gender": contact.get_gender_display(),
            "lawful_basis": contact.get_lawful_basis_display(),
            "consent_recorded_at": contact.consent_recorded_at,
            "consent_note": contact.consent_note,
            "created_at": contact.created_at,
        },
        "stakeholder_key_contact": [
            {
                "organization": s.organization.name,
                "role": s.role,
                "interest": s.get_interest_display(),
                "influence": s.get_influence_display(),
                "communication_strategy": s.communication_strategy,
            }
            for s in stakeholders
        ],
        "structure_memberships": [
            {
                "structure": str(m.structure),
                "organization": m.organization.name if m.organization else "",
                "position": m.position,
                "gender": m.get_gender_display(),
                "is_chair": m.is_chair,
                "has_decision_authority": m.has_decision_authority,
                "joined_on": m.joined_on,
            }
            for m in memberships
        ],
        "nominations": [
            {
                "structure": str(n.structure),
                "organization": n.organization.name,
                "status": n.get_status_display(),
                "due_date": n.due_date,
                "nominated_at": n.nominated_at,
                "decided_at": n.decided_at,
                "note": n.decision_note,
            }
            for n in nominations
        ],
        "attendance": [
            {
                "meeting": a.meeting.title,
                "starts_at": a.meeting.starts_at,
                "name": a.name,
                "organization": a.organization.name if a.organization else "",
                "position": a.position,
                "gender": a.get_gender_display(),
                "youth": a.is_youth,
                "person_with_disability": a.has_disability,
            }
            for a in attendance
        ],
        "audit_events": [
            {"at": e.created_at, "action": e.verb, "summary": e.summary} for e in events
        ],
    }


def privileged_members_two_factor(*, county: County) -> list[Membership]:
    """The county's secretariat and executive members, each with ``has_two_factor``."""
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jwp.roles import PRIVILEGED_ROLES

    devices = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
    return list(
        county_members(county=county, active_only=True)
        .filter(role__in=PRIVILEGED_ROLES)
        .annotate(has_two_factor=Exists(devices))
    )
