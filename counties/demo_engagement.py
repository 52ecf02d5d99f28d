"""Demo data of the preparatory phase: the stakeholder register and the structures.

Samburu gets a full register (every quadrant of the matrix populated), the
structures of the current cycle (today's fiscal year) with their members, and
nominations in every state; Turkana a smaller register and its TWG.
"""

from datetime import timedelta

from django.utils import timezone

from counties import services
from counties.demo import Demo
from counties.models import (
    Contact,
    Gender,
    Level,
    Sector,
    StructureKind,
    Ward,
)
from jwp.fiscal import kenyan_fy_label
from jwp.tenancy import county_context

H, M, L = Level.HIGH, Level.MEDIUM, Level.LOW

# acronym: (role, interest, influence, involvement, communication, PREG, sector slugs, wards)
SAMBURU_REGISTER = {
    "SCG-FEP": (
        "Convenes the JWP; co-creation, co-financing, joint monitoring",
        H,
        H,
        "Active participant in all phases",
        "County meetings, e-mail, quarterly reviews",
        False,
        ["public-administration"],
        [],
    ),
    "SCG-Health": (
        "Leads the health sector plan and its SWG",
        H,
        H,
        "Leads the Health SWG",
        "Monthly SWG meetings",
        False,
        ["health"],
        ["Maralal", "Wamba East", "Baawa"],
    ),
    "SCG-Water": (
        "Water, environment and natural resources programmes",
        H,
        M,
        "Co-leads water and drought activities",
        "Monthly SWG meetings",
        False,
        ["environment-water-natural-resources"],
        ["Suguta marmar", "Nachola"],
    ),
    "NDMA": (
        "Drought early warning and resilience coordination",
        H,
        H,
        "Supports integration of drought resilience into JWP",
        "Monthly drought bulletins, advisory sessions",
        False,
        ["environment-water-natural-resources", "agriculture-rural-urban-development"],
        ["Ndoto", "Nachola", "Wamba North"],
    ),
    "USAID": (
        "Funds and oversees resilience programmes; approvals",
        H,
        H,
        "Strategic oversight, approvals",
        "Monthly reports, bi-annual reviews",
        True,
        [],
        [],
    ),
    "UNICEF": (
        "Nutrition, WASH and child protection support",
        M,
        H,
        "Technical support to Health and Water SWGs",
        "Quarterly partner forum",
        False,
        ["health", "environment-water-natural-resources"],
        ["Maralal", "Ndoto"],
    ),
    "Nawiri": (
        "Implements nutrition-resilience interventions; cost-share",
        H,
        H,
        "Key player in execution and monitoring",
        "Bi-weekly coordination, shared monitoring data",
        True,
        ["health", "agriculture-rural-urban-development"],
        ["Wamba East", "Wamba West", "Waso", "Ndoto"],
    ),
    "WVK": (
        "Child well-being, WASH and livelihoods",
        H,
        M,
        "Implements in health and water",
        "Monthly partner meetings",
        False,
        ["health", "environment-water-natural-resources"],
        ["Loosuk", "Poro"],
    ),
    "KRCS": (
        "Emergency response and community health",
        H,
        M,
        "Supports disaster risk management",
        "Partner meetings, SMS alerts",
        False,
        ["health"],
        ["Ndoto", "El-barta"],
    ),
    "SWT": (
        "Women's rights and participation advocacy",
        H,
        L,
        "Mobilises women for public participation",
        "Community forums, WhatsApp groups",
        False,
        ["social-protection-culture-recreation"],
        ["Maralal", "Lodokejek"],
    ),
    "Caritas Maralal": (
        "Faith-based relief and livelihoods",
        M,
        L,
        "Consulted on community priorities",
        "Quarterly forums",
        False,
        ["agriculture-rural-urban-development"],
        ["Angata nanyokie"],
    ),
    "RLA": (
        "Learning, evidence and facilitation of the JWP process",
        H,
        M,
        "Facilitates pause-and-reflect and learning",
        "Learning briefs, workshops",
        True,
        [],
        [],
    ),
    "FCDC": (
        "Regional backbone of the frontier counties",
        M,
        M,
        "Shares lessons across counties",
        "Regional forums",
        False,
        [],
        [],
    ),
    "EGF": (
        "Financial inclusion and enterprise development",
        L,
        M,
        "Explores co-investment",
        "Public-private partnership meetings",
        False,
        ["general-economic-commercial-affairs"],
        ["Maralal"],
    ),
}

TURKANA_REGISTER = {
    "TCG-FEP": (
        "Convenes the JWP",
        H,
        H,
        "Active participant in all phases",
        "County meetings",
        False,
        [],
        [],
    ),
    "TCG-Agric": (
        "Leads agriculture, pastoral economy and fisheries",
        H,
        H,
        "Leads the SWG",
        "Monthly SWG meetings",
        False,
        ["agriculture-rural-urban-development"],
        [],
    ),
    "FAO": (
        "Livestock and food security support",
        M,
        H,
        "Technical support",
        "Quarterly forum",
        False,
        ["agriculture-rural-urban-development"],
        [],
    ),
    "Nawiri": (
        "Nutrition-resilience interventions",
        H,
        H,
        "Key implementer",
        "Bi-weekly coordination",
        True,
        ["health"],
        [],
    ),
    "CRS": (
        "Livelihoods and WASH",
        H,
        M,
        "Implements",
        "Partner meetings",
        False,
        ["environment-water-natural-resources"],
        [],
    ),
    "TUPADO": (
        "Pastoralist community voice",
        H,
        L,
        "Mobilises communities",
        "Community barazas",
        False,
        [],
        [],
    ),
}

TWG_PEOPLE = [
    # name, position, gender, decision authority, acronym
    ("Naserian Lekalkuli", "Director, Economic Planning (chair)", Gender.FEMALE, True, "SCG-FEP"),
    ("Peter Lenanyokie", "CEC Member, Finance", Gender.MALE, True, "SCG-FEP"),
    ("Dr. Mary Lolosoli", "Chief Officer, Health", Gender.FEMALE, True, "SCG-Health"),
    ("Daniel Lopeyok", "County Drought Coordinator", Gender.MALE, True, "NDMA"),
    ("Amina Ekiru", "County Coordinator", Gender.FEMALE, True, "Nawiri"),
    ("Samuel Ekeno", "Programme Manager", Gender.MALE, False, "WVK"),
    ("Ruth Letoiye", "Coordinator", Gender.FEMALE, True, "SWT"),
    ("Moses Lotiir", "Chief Officer, Water", Gender.MALE, True, "SCG-Water"),
]


def _sectors(county, slugs):
    return [Sector.objects.for_county(county).get(slug=slug) for slug in slugs]


def _wards(county, names):
    return list(Ward.objects.filter(county=county, name__in=names))


def _contact(county, organization, name, position, gender):
    contact = Contact.objects.for_county(county).filter(organization=organization).first()
    if contact is None or contact.name != name:
        contact = Contact.objects.create(
            county=county,
            organization=organization,
            name=name,
            position=position,
            gender=gender,
            email=f"{name.split()[-1].lower()}@example.org",
        )
    return contact


def _register(demo: Demo, county, rows: dict, actor) -> None:
    for acronym, (
        role,
        interest,
        influence,
        involvement,
        comms,
        preg,
        sectors,
        wards,
    ) in rows.items():
        organization = demo.organizations[acronym]
        services.stakeholder_save(
            county=county,
            actor=actor,
            organization=organization,
            role=role,
            interest=interest,
            influence=influence,
            involvement=involvement,
            communication_strategy=comms,
            is_preg_partner=preg,
            sectors=_sectors(county, sectors),
            wards=_wards(county, wards),
            key_contact=Contact.objects.for_county(county)
            .filter(organization=organization)
            .first(),
        )


def _samburu_structures(demo: Demo, actor) -> None:
    county, cycle = demo.samburu, kenyan_fy_label()
    today = timezone.localdate()
    twg = services.structure_save(
        county=county,
        actor=actor,
        kind=StructureKind.TWG,
        cycle=cycle,
        mandate="Provides technical direction to the JWP, reviews the consolidated plan and "
        "tracks cost-share commitments.",
    )
    for name, position, gender, authority, acronym in TWG_PEOPLE:
        org = demo.organizations[acronym]
        services.structure_member_add(
            structure=twg,
            actor=actor,
            contact=_contact(county, org, name, position, gender),
            position=position,
            gender=gender,
            has_decision_authority=authority,
            is_chair=position.endswith("(chair)"),
        )
    secretariat = services.structure_save(
        county=county,
        actor=actor,
        kind=StructureKind.SECRETARIAT,
        cycle=cycle,
        mandate="Runs the JWP day to day: calendars, consolidation, records.",
    )
    for email in ("secretariat@samburu.demo", "executive@samburu.demo"):
        services.structure_member_add(
            structure=secretariat,
            actor=actor,
            user=demo.users[email],
            position=demo.users[email].title,
            has_decision_authority=True,
            gender=Gender.FEMALE if email.startswith("secretariat") else Gender.MALE,
        )
    services.structure_save(
        county=county, actor=actor, kind=StructureKind.INCEPTION_TEAM, cycle=cycle
    )
    for slug in (
        "health",
        "agriculture-rural-urban-development",
        "environment-water-natural-resources",
    ):
        sector = Sector.objects.for_county(county).get(slug=slug)
        swg = services.structure_save(
            county=county, actor=actor, kind=StructureKind.SWG, cycle=cycle, sector=sector
        )
        if slug == "health":
            org = demo.organizations["SCG-Health"]
            services.structure_member_add(
                structure=swg,
                actor=actor,
                contact=_contact(
                    county, org, "Dr. Mary Lolosoli", "Chief Officer, Health", Gender.FEMALE
                ),
                position="Chair",
                gender=Gender.FEMALE,
                has_decision_authority=True,
                is_chair=True,
            )
    # nominations in every state
    services.nomination_invite(
        structure=twg,
        actor=actor,
        organization=demo.organizations["KRCS"],
        due_date=today + timedelta(days=10),
        message="Please nominate a senior officer with authority to commit resources.",
    )
    nominated = services.nomination_invite(
        structure=twg,
        actor=actor,
        organization=demo.organizations["UNICEF"],
        due_date=today + timedelta(days=3),
    )
    services.nomination_nominate(
        nomination=nominated,
        actor=demo.users["secretariat@samburu.demo"],
        nominee=Contact.objects.for_county(county)
        .filter(organization=demo.organizations["UNICEF"])
        .first(),
    )
    overdue = services.nomination_invite(
        structure=twg,
        actor=actor,
        organization=demo.organizations["Caritas Maralal"],
        due_date=today,
    )
    overdue.due_date = today - timedelta(days=5)  # demo only: an invitation now overdue
    overdue.save(update_fields=["due_date"])


def seed(demo: Demo) -> None:
    actor = demo.users["secretariat@samburu.demo"]
    with county_context([demo.samburu]):
        _register(demo, demo.samburu, SAMBURU_REGISTER, actor)
        _samburu_structures(demo, actor)
    turkana_actor = demo.users["secretariat@turkana.demo"]
    with county_context([demo.turkana]):
        _register(demo, demo.turkana, TURKANA_REGISTER, turkana_actor)
        services.structure_save(
            county=demo.turkana,
            actor=turkana_actor,
            kind=StructureKind.TWG,
            cycle=kenyan_fy_label(),
        )
