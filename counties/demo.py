"""Demo data of the counties app: organizations, contacts, one user per role.

Every app that has demo data has a ``demo.py`` with ``seed(demo)``; the
``seed_demo`` command runs them in order, sharing one ``Demo`` so later apps
find the counties, organizations and users made here.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from counties import services
from counties.models import Contact, County, Membership, Organization, Sector
from counties.models import OrganizationCategory as Cat
from jwp.roles import Role
from jwp.tenancy import county_context

DEMO_PASSWORD = "jwp-demo-2026"
SAMBURU, TURKANA = "025", "023"

# name, acronym, category, IATI identifier, website, counties it works in
ORGANIZATIONS = [
    (
        "Samburu County Department of Finance and Economic Planning",
        "SCG-FEP",
        Cat.COUNTY_DEPARTMENT,
        "",
        "",
        [SAMBURU],
    ),
    (
        "Samburu County Department of Health Services",
        "SCG-Health",
        Cat.COUNTY_DEPARTMENT,
        "",
        "",
        [SAMBURU],
    ),
    (
        "Samburu County Department of Water, Environment and Natural Resources",
        "SCG-Water",
        Cat.COUNTY_DEPARTMENT,
        "",
        "",
        [SAMBURU],
    ),
    (
        "Turkana County Department of Finance and Economic Planning",
        "TCG-FEP",
        Cat.COUNTY_DEPARTMENT,
        "",
        "",
        [TURKANA],
    ),
    (
        "Turkana County Department of Agriculture, Pastoral Economy and Fisheries",
        "TCG-Agric",
        Cat.COUNTY_DEPARTMENT,
        "",
        "",
        [TURKANA],
    ),
    (
        "National Drought Management Authority",
        "NDMA",
        Cat.NATIONAL_GOVERNMENT,
        "",
        "https://ndma.go.ke",
        [SAMBURU, TURKANA],
    ),
    (
        "United States Agency for International Development",
        "USAID",
        Cat.DONOR,
        "US-GOV-1",
        "https://www.usaid.gov",
        [SAMBURU, TURKANA],
    ),
    (
        "Food and Agriculture Organization of the United Nations",
        "FAO",
        Cat.DONOR,
        "XM-DAC-41301",
        "https://www.fao.org",
        [TURKANA],
    ),
    (
        "UNICEF Kenya Country Office",
        "UNICEF",
        Cat.DONOR,
        "XM-DAC-41122",
        "https://www.unicef.org/kenya",
        [SAMBURU, TURKANA],
    ),
    (
        "Mercy Corps Kenya (USAID Nawiri)",
        "Nawiri",
        Cat.IMPLEMENTING_PARTNER,
        "",
        "https://www.mercycorps.org",
        [SAMBURU, TURKANA],
    ),
    (
        "World Vision Kenya",
        "WVK",
        Cat.IMPLEMENTING_PARTNER,
        "",
        "https://www.wvi.org/kenya",
        [SAMBURU],
    ),
    (
        "Catholic Relief Services",
        "CRS",
        Cat.IMPLEMENTING_PARTNER,
        "",
        "https://www.crs.org",
        [TURKANA],
    ),
    (
        "Kenya Red Cross Society",
        "KRCS",
        Cat.CSO,
        "",
        "https://www.redcross.or.ke",
        [SAMBURU, TURKANA],
    ),
    ("Samburu Women Trust", "SWT", Cat.CSO, "", "", [SAMBURU]),
    ("Caritas Maralal", "", Cat.FAITH_BASED, "", "", [SAMBURU]),
    ("Turkana Pastoralist Development Organization", "TUPADO", Cat.CSO, "", "", [TURKANA]),
    ("USAID Resilience Learning Activity", "RLA", Cat.RESEARCH, "", "", [SAMBURU, TURKANA]),
    (
        "Frontier Counties Development Council",
        "FCDC",
        Cat.BACKBONE,
        "",
        "https://fcdc.or.ke",
        [SAMBURU, TURKANA],
    ),
    ("Equity Group Foundation", "EGF", Cat.PRIVATE_SECTOR, "", "", [SAMBURU]),
]

# e-mail, full name, title, {county code: (role, sector slug or "", organization acronym)}
USERS = [
    (
        "secretariat@samburu.demo",
        "Naserian Lekalkuli",
        "Director, Economic Planning",
        {SAMBURU: (Role.SECRETARIAT, "", "SCG-FEP")},
    ),
    (
        "executive@samburu.demo",
        "Peter Lenanyokie",
        "CEC Member, Finance and Economic Planning",
        {SAMBURU: (Role.EXECUTIVE, "", "SCG-FEP")},
    ),
    (
        "secretary@samburu.demo",
        "Jane Lenkaina",
        "County Secretary",
        {SAMBURU: (Role.EXECUTIVE, "", "SCG-FEP")},
    ),
    (
        "sectorlead@samburu.demo",
        "Dr. Mary Lolosoli",
        "Chief Officer, Health Services",
        {SAMBURU: (Role.SECTOR_LEAD, "health", "SCG-Health")},
    ),
    (
        "partner@nawiri.demo",
        "Amina Ekiru",
        "County Coordinator, USAID Nawiri",
        {SAMBURU: (Role.PARTNER, "", "Nawiri"), TURKANA: (Role.PARTNER, "", "Nawiri")},
    ),
    (
        "assembly@samburu.demo",
        "Hon. John Lesuuda",
        "Chair, Budget and Appropriations Committee",
        {SAMBURU: (Role.ASSEMBLY, "", "")},
    ),
    (
        "observer@ndma.demo",
        "Grace Akai",
        "County Drought Coordinator",
        {SAMBURU: (Role.OBSERVER, "", "NDMA"), TURKANA: (Role.OBSERVER, "", "NDMA")},
    ),
    (
        "secretariat@turkana.demo",
        "Joseph Ekai",
        "Director, Economic Planning",
        {TURKANA: (Role.SECRETARIAT, "", "TCG-FEP")},
    ),
]

CONTACT_NAMES = [
    "Esther Lenolkirna",
    "Daniel Lopeyok",
    "Faith Naingisa",
    "Moses Lotiir",
    "Ruth Letoiye",
    "Samuel Ekeno",
    "Josephine Lekupe",
    "Paul Akiru",
]


@dataclass
class Demo:
    """What the seeders share: counties by code, organizations by acronym, users by e-mail."""

    counties: dict[str, County] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    @property
    def samburu(self) -> County:
        return self.counties[SAMBURU]

    @property
    def turkana(self) -> County:
        return self.counties[TURKANA]


def seed(demo: Demo) -> None:
    User = get_user_model()
    demo.counties.update({c.code: c for c in County.objects.filter(code__in=[SAMBURU, TURKANA])})
    codes_of = {}
    for name, acronym, category, iati, website, codes in ORGANIZATIONS:
        org = Organization.objects.create(
            name=name,
            acronym=acronym,
            category=category,
            iati_identifier=iati,
            website=website,
            # One county's own: its secretariat recorded it and may edit the profile.
            created_in=demo.counties[codes[0]] if len(codes) == 1 else None,
        )
        demo.organizations[acronym or name] = org
        codes_of[org.pk] = codes
    for index, org in enumerate(demo.organizations.values()):
        for code in codes_of[org.pk]:
            county = demo.counties[code]
            with county_context([county]):
                Contact.objects.create(
                    county=county,
                    organization=org,
                    name=CONTACT_NAMES[index % len(CONTACT_NAMES)],
                    position="Focal person, Joint Work Planning",
                    email=f"focal{index}.{code}@example.org",
                    phone=f"+254 7{index:02d} 000 {code}",
                )
    demo.users["admin@jwp.demo"] = User.objects.create_superuser(
        email="admin@jwp.demo", password=DEMO_PASSWORD, full_name="Platform Admin"
    )
    for email, full_name, title, roles in USERS:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=full_name, title=title
        )
        demo.users[email] = user
        for code, (role, sector_slug, acronym) in roles.items():
            county = demo.counties[code]
            with county_context([county]):
                sector = (
                    Sector.objects.for_county(county).get(slug__startswith=sector_slug)
                    if sector_slug
                    else None
                )
                services.membership_create(
                    county=county,
                    user=user,
                    role=role,
                    sector=sector,
                    organization=demo.organizations[acronym] if acronym else None,
                )
    _partner_edits_its_shared_profile(demo)


def _partner_edits_its_shared_profile(demo: Demo) -> None:
    """Nawiri's own partner member keeps its profile, which Samburu and Turkana both use:
    the change is in both counties' audit trails (issue 13)."""
    partner = demo.users["partner@nawiri.demo"]
    with county_context([demo.samburu]):
        membership = (
            Membership.objects.for_county(demo.samburu).select_related("county").get(user=partner)
        )
        services.organization_update(
            membership=membership,
            organization=demo.organizations["Nawiri"],
            actor=partner,
            description=(
                "USAID Nawiri: sustainably reducing persistent acute malnutrition in Samburu "
                "and Turkana through resilient livelihoods, health and nutrition systems."
            ),
        )


def logins() -> list[tuple[str, str]]:
    rows = [("admin@jwp.demo", "platform admin (/admin/)")]
    for email, _name, _title, roles in USERS:
        where = ", ".join(
            f"{'Samburu' if code == SAMBURU else 'Turkana'} {role.label}"
            for code, (role, _s, _o) in roles.items()
        )
        rows.append((email, where))
    return rows
