"""Demo data of meetings and workshops.

Samburu: the Inception Team's preparatory meeting and the co-creation workshop,
both held, with attendance registers, minutes, decisions and action items (some
done, one overdue), and a TWG meeting next week. Turkana: its inception meeting.
Runs after ``counties.demo_engagement`` so meetings can name their structure.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from counties import services
from counties.demo import Demo
from counties.models import ActionStatus, CoordinationStructure, County, MeetingKind, StructureKind
from counties.models import Gender as G
from jwp.tenancy import county_context

F, M = G.FEMALE, G.MALE

# name, organization acronym, position, gender, youth, person with disability
INCEPTION_PEOPLE = [
    ("Naserian Lekalkuli", "SCG-FEP", "Director, Economic Planning", F, False, False),
    ("Peter Lenanyokie", "SCG-FEP", "CEC Member, Finance and Economic Planning", M, False, False),
    ("Dr. Mary Lolosoli", "SCG-Health", "Chief Officer, Health Services", F, False, False),
    ("Julius Lekidime", "SCG-Water", "Director, Water Services", M, False, False),
    ("Grace Akai", "NDMA", "County Drought Coordinator", F, False, False),
    ("Amina Ekiru", "Nawiri", "County Coordinator", F, False, False),
    ("Stephen Lemarkat", "WVK", "Programme Manager", M, False, False),
    ("Lucy Naisula", "RLA", "Learning Advisor", F, True, False),
    ("Daniel Lopeyok", "KRCS", "County Coordinator", M, False, True),
    ("Esther Lenolkirna", "SWT", "Executive Director", F, False, False),
    ("Fr. Joseph Lekoloole", "Caritas Maralal", "Coordinator", M, False, False),
    ("Kevin Lesiamon", "SCG-FEP", "Economist", M, True, False),
    ("Mercy Lentoimaga", "UNICEF", "Field Officer", F, True, False),
    ("Wilson Lenkaina", "FCDC", "Policy Officer", M, False, False),
    ("Faith Naingisa", "SCG-Health", "County Nutrition Coordinator", F, False, False),
    ("Paul Lemaiyan", "USAID", "Resilience Advisor", M, False, False),
]

WORKSHOP_PEOPLE = [
    *INCEPTION_PEOPLE[:10],
    ("Ruth Letoiye", "SCG-Water", "Environment Officer", F, True, False),
    ("Josephine Lekupe", "SWT", "Youth Programme Officer", F, True, False),
    ("Moses Lesuper", "SCG-Health", "Health Records Officer", M, True, True),
    ("Agnes Lenasalia", "KRCS", "Volunteer Coordinator", F, True, False),
    ("Simon Lekisaat", "Nawiri", "MEL Officer", M, False, False),
    ("Rose Lemoile", "UNICEF", "WASH Specialist", F, False, False),
    ("Thomas Lengees", "EGF", "Relationship Manager", M, False, False),
    ("Beatrice Lolchuraki", "Caritas Maralal", "Programme Officer", F, False, True),
    ("Joseph Leparsanti", "SCG-FEP", "Budget Officer", M, True, False),
    ("Catherine Naimodu", "WVK", "Gender Specialist", F, False, False),
    ("Isaac Lekalesoi", "NDMA", "Drought Information Officer", M, True, False),
    ("Hellen Lemunge", "SCG-Water", "Community Liaison", F, False, False),
]

TURKANA_PEOPLE = [
    ("Joseph Ekai", "TCG-FEP", "Director, Economic Planning", M, False, False),
    ("Mary Akiru", "TCG-Agric", "Chief Officer, Pastoral Economy", F, False, False),
    ("Grace Akai", "NDMA", "County Drought Coordinator", F, False, False),
    ("John Ekeno", "FAO", "Field Coordinator", M, False, False),
    ("Susan Nakiru", "CRS", "Programme Officer", F, True, False),
    ("Peter Lokwang", "TUPADO", "Chairperson", M, False, True),
    ("Amina Ekiru", "Nawiri", "County Coordinator", F, False, False),
]

# Owners of action items who have an account in the workspace (they get reminders).
OWNER_ACCOUNTS = {
    "Naserian Lekalkuli": "secretariat@samburu.demo",
    "Amina Ekiru": "partner@nawiri.demo",
    "Joseph Ekai": "secretariat@turkana.demo",
}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _structure(county: County, kind: str) -> CoordinationStructure | None:
    return CoordinationStructure.objects.for_county(county).filter(kind=kind).first()


def _register(meeting, demo: Demo, people, actor) -> None:
    for name, acronym, position, gender, youth, disability in people:
        services.attendance_add(
            meeting=meeting,
            actor=actor,
            name=name,
            organization=demo.organizations[acronym],
            position=position,
            gender=gender,
            is_youth=youth,
            has_disability=disability,
        )


def _actions(meeting, demo: Demo, actor, items) -> None:
    for description, owner, acronym, due, status in items:
        item = services.action_item_add(
            meeting=meeting,
            actor=actor,
            description=description,
            owner_name=owner,
            owner_organization=demo.organizations[acronym],
            owner_user=demo.users.get(OWNER_ACCOUNTS.get(owner, "")),
            due_date=due,
        )
        if status != ActionStatus.OPEN:
            services.action_item_set_status(action_item=item, actor=actor, status=status)


def _samburu(demo: Demo) -> None:
    county, actor = demo.samburu, demo.users["secretariat@samburu.demo"]
    today = timezone.localdate()
    inception_day = today - timedelta(days=45)
    inception = services.meeting_create(
        county=county,
        actor=actor,
        kind=MeetingKind.INCEPTION,
        title="JWP Inception Team preparatory meeting",
        structure=_structure(county, StructureKind.INCEPTION_TEAM),
        starts_at=_at(inception_day, 9),
        ends_at=_at(inception_day, 13),
        venue="County Secretary's boardroom, Maralal",
        agenda="1. Opening remarks by the County Secretary\n"
        "2. The JWP process and the implementation manual\n"
        "3. Roadmap and calendar for the JWP cycle\n"
        "4. Stakeholder mapping: who does what where\n"
        "5. Any other business",
        minutes="The County Secretary opened the meeting and welcomed partners. The Director "
        "of Economic Planning presented the JWP process (manual §4.1) and the draft roadmap. "
        "Partners asked that the co-creation workshop be held before the ADP hearings so that "
        "commitments can inform the county budget. NDMA offered the drought early-warning "
        "bulletins as evidence for prioritisation.",
        decisions="1. The roadmap is adopted with the co-creation workshop moved forward.\n"
        "2. The secretariat completes the stakeholder mapping matrix within three weeks.\n"
        "3. Each partner nominates a focal person for the TWG.",
    )
    _register(inception, demo, INCEPTION_PEOPLE, actor)
    _actions(
        inception,
        demo,
        actor,
        [
            (
                "Share the adopted roadmap with all departments and partners",
                "Naserian Lekalkuli",
                "SCG-FEP",
                inception_day + timedelta(days=7),
                ActionStatus.DONE,
            ),
            (
                "Complete the stakeholder mapping matrix",
                "Kevin Lesiamon",
                "SCG-FEP",
                inception_day + timedelta(days=21),
                ActionStatus.DONE,
            ),
            (
                "Send drought early-warning bulletins for the last two seasons",
                "Grace Akai",
                "NDMA",
                inception_day + timedelta(days=14),
                ActionStatus.DONE,
            ),
        ],
    )

    workshop_day = today - timedelta(days=14)
    workshop = services.meeting_create(
        county=county,
        actor=actor,
        kind=MeetingKind.CO_CREATION,
        title="JWP co-creation workshop",
        starts_at=_at(workshop_day, 8, 30),
        ends_at=_at(workshop_day + timedelta(days=1), 16),
        venue="Maralal Social Hall",
        agenda="Day 1: county priorities (CIDP, ADP); partner plans by sector; gaps and overlaps\n"
        "Day 2: joint activities and cost-share; draft JWP; next steps",
        minutes="Sector groups matched partner plans to the ADP priorities. Health and water "
        "had the most overlap in Wamba East and Baawa; partners agreed to split wards. "
        "Youth and women's groups asked for a standing seat in the SWGs.",
        decisions="1. The draft JWP is consolidated by the secretariat.\n"
        "2. Partners submit cost-share commitments for the draft.\n"
        "3. Each SWG includes a youth and a women's representative.",
    )
    _register(workshop, demo, WORKSHOP_PEOPLE, actor)
    _actions(
        workshop,
        demo,
        actor,
        [
            (
                "Circulate the workshop report",
                "Lucy Naisula",
                "RLA",
                workshop_day + timedelta(days=5),
                ActionStatus.DONE,
            ),
            (
                "Submit partner cost-share commitments for the draft JWP",
                "Amina Ekiru",
                "Nawiri",
                today - timedelta(days=3),  # overdue
                ActionStatus.IN_PROGRESS,
            ),
            (
                "Consolidate the draft JWP for the TWG",
                "Naserian Lekalkuli",
                "SCG-FEP",
                today + timedelta(days=5),
                ActionStatus.OPEN,
            ),
            (
                "Name youth and women's representatives to each SWG",
                "Esther Lenolkirna",
                "SWT",
                today + timedelta(days=12),
                ActionStatus.OPEN,
            ),
        ],
    )

    twg_day = today + timedelta(days=7)
    services.meeting_create(
        county=county,
        actor=actor,
        kind=MeetingKind.TWG,
        title="TWG review of the draft joint work plan",
        structure=_structure(county, StructureKind.TWG),
        starts_at=_at(twg_day, 10),
        ends_at=_at(twg_day, 13),
        venue="Economic Planning boardroom, Maralal",
        is_virtual=True,
        virtual_link="https://meet.example.org/samburu-twg",
        agenda="1. The consolidated draft JWP\n"
        "2. Cost-share commitments received\n"
        "3. Recommendations to the CEC",
    )


def _turkana(demo: Demo) -> None:
    county, actor = demo.turkana, demo.users["secretariat@turkana.demo"]
    day = timezone.localdate() - timedelta(days=20)
    meeting = services.meeting_create(
        county=county,
        actor=actor,
        kind=MeetingKind.INCEPTION,
        title="JWP inception meeting",
        starts_at=_at(day, 9),
        ends_at=_at(day, 12, 30),
        venue="Governor's boardroom, Lodwar",
        agenda="1. The JWP process\n2. Roadmap\n3. Structures for the cycle",
        decisions="The TWG is constituted from the departments and partners present.",
    )
    _register(meeting, demo, TURKANA_PEOPLE, actor)
    _actions(
        meeting,
        demo,
        actor,
        [
            (
                "Invite nominations to the TWG",
                "Joseph Ekai",
                "TCG-FEP",
                day + timedelta(days=10),
                ActionStatus.DONE,
            )
        ],
    )


def seed(demo: Demo) -> None:
    with county_context([demo.samburu]):
        _samburu(demo)
    with county_context([demo.turkana]):
        _turkana(demo)
