"""Demo offices: who holds which named position (DESIGN.md, Offices), assigned by the
secretariat through the service (dated, audited), so the approval chain of the demo
plans is taken and signed by the right people.

Samburu: the County Secretary (secretary@), the CEC Member for Finance and Economic
Planning and for Health (executive@), the Chief Officer, Economic Planning
(secretariat@), the TWG chair (sectorlead@), the chair of the Assembly's Health
committee (assembly@), and the authorized signatory of each partner in the signed
plan's section 1 and of the Kenya Red Cross (partner@nawiri.demo for Nawiri, a
``signatory@<org>.demo`` account for the others). Turkana: its Chief Officer.
Runs right after ``counties.demo``.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from counties import services as county_services
from counties.demo import DEMO_PASSWORD, Demo
from counties.demo_clock import shift
from counties.models import Membership, OfficeKind, Sector
from counties.services.offices import office_assign, office_get_or_create
from jwp.roles import Role
from jwp.tenancy import county_context

K = OfficeKind
# Design date (moved by counties.demo_clock): the holders took office before the
# signed plan's approval chain and before the Health sector plan's first step
# (sectorplans.demo then finds its CEC member and committee chair in office).
SINCE = date(2023, 1, 2)

# e-mail, full name, title, organization acronym: partners' authorized signatories
SIGNATORIES = [
    ("signatory@unicef.demo", "Dr. Hassan Abdille", "Chief of Field Office", "UNICEF"),
    ("signatory@wvk.demo", "Caroline Lenkaina", "Zonal Manager, Samburu", "WVK"),
    ("signatory@krcs.demo", "Daniel Lekuton", "Regional Manager, North Rift", "KRCS"),
]

# e-mail, office kind, sector slug prefix or "", organization acronym or ""
SAMBURU_HOLDERS = [
    ("secretary@samburu.demo", K.COUNTY_SECRETARY, "", ""),
    ("executive@samburu.demo", K.CEC_FINANCE, "", ""),
    ("executive@samburu.demo", K.CEC_SECTOR, "health", ""),
    ("secretariat@samburu.demo", K.CHIEF_OFFICER_PLANNING, "", ""),
    ("sectorlead@samburu.demo", K.TWG_CHAIR, "", ""),
    ("assembly@samburu.demo", K.ASSEMBLY_CHAIR, "health", ""),
    ("partner@nawiri.demo", K.PARTNER_SIGNATORY, "", "Nawiri"),
    *((email, K.PARTNER_SIGNATORY, "", acronym) for email, _n, _t, acronym in SIGNATORIES),
]
TURKANA_HOLDERS = [("secretariat@turkana.demo", K.CHIEF_OFFICER_PLANNING, "", "")]


def _member(county, demo: Demo, email: str) -> Membership:
    return Membership.objects.for_county(county).get(user=demo.users[email])


def _assign(county, demo: Demo, holders, by_email: str) -> None:
    by = _member(county, demo, by_email)
    for email, kind, sector_slug, acronym in holders:
        office = office_get_or_create(
            county=county,
            kind=kind,
            sector=Sector.objects.for_county(county).get(slug__startswith=sector_slug)
            if sector_slug
            else None,
            organization=demo.organizations[acronym] if acronym else None,
        )
        office_assign(
            office=office,
            holder=_member(county, demo, email),
            starts_on=shift(SINCE),
            by=by,
            note="Demo: in office for the signed plan's approval",
        )


def seed(demo: Demo) -> None:
    User = get_user_model()
    samburu, turkana = demo.samburu, demo.turkana
    with county_context([samburu]):
        for email, name, title, acronym in SIGNATORIES:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=name, title=title
            )
            demo.users[email] = user
            county_services.membership_create(
                county=samburu,
                user=user,
                role=Role.PARTNER,
                organization=demo.organizations[acronym],
            )
        _assign(samburu, demo, SAMBURU_HOLDERS, "secretariat@samburu.demo")
    with county_context([turkana]):
        _assign(turkana, demo, TURKANA_HOLDERS, "secretariat@turkana.demo")


def logins() -> list[tuple[str, str]]:
    return [
        (email, f"Samburu partner: {acronym}'s signatory") for email, *_r, acronym in SIGNATORIES
    ]
