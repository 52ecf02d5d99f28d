"""Demo data of the learning area, on Samburu's signed 2024/25 plan: a pause and reflect
session with answers, lessons from the Samburu learning brief, a published learning
brief, a joint monitoring visit with two photos (drawn here with Pillow), a mid-term
review rated on the six criteria with recommendations in every status, and the
close-out of the cycle, which carries the two still open into the 2025/26 plan.
Entered through the services, by the secretariat, the Nawiri partner and the health
sector lead. Dates and years are design ones (``counties.demo_clock``), moved to today;
the lessons' texts name them as ``{placeholders}`` filled in when seeding."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from counties.demo_clock import fiscal_year, shift, year
from counties.models import Membership, Sector, Ward
from jwp.tenancy import county_context
from learning import services
from learning.models import Criterion, LearningQuestion, RecommendationStatus
from workplans.models import JointWorkPlan, PlanStatus

Q = LearningQuestion
ANSWERS = [
    (Q.WORKED_WELL, "Dates, venue and timelines were shared early; turnout was good."),
    (Q.WORKED_WELL, "CEC members took part and mobilized their departments."),
    (
        Q.DID_NOT_WORK,
        "Partners could not commit budgets in the room: they had to consult "
        "their head offices first.",
    ),
    (Q.DID_NOT_WORK, "Virtual follow-up sessions: connectivity in the wards and virtual fatigue."),
    (
        Q.CAN_IMPROVE,
        "Start the conversation at the PBB stage, aligned with the county's "
        "gazetted planning and budget calendar.",
    ),
    (Q.CAN_IMPROVE, "Track the JWP's own indicators quarterly and share the learning early."),
]

# title, text, evidence, sector slugs, themes, source
LESSONS = [
    (
        "Involving top county leadership improves participation",
        "The involvement of CEC members propelled the mobilization and participation of county "
        "officials, who served as county champions and mobilized their colleagues.",
        "Mid-year pause and reflect: every department sent a technical officer after the CEC "
        "for Finance and Economic Planning opened the session.",
        ["health"],
        ["leadership", "participation"],
        "session",
    ),
    (
        "Align the JWP calendar with the county's planning and budget calendar",
        "The county's planning and budgeting cycle and the partners' programme cycles do not "
        "match. Harmonizing the JWP with the gazetted county calendars increases participation "
        "and links the plan to the sector working groups.",
        "Two partners' budgets for {signed} were confirmed only after the county budget was "
        "approved; see the mid-term review, coherence.",
        ["health", "agriculture-rural-urban-development"],
        ["calendars", "financing"],
        "evaluation",
    ),
    (
        "A backbone organization keeps the process moving",
        "Convening is not enough: the backbone facilitates communication between partners, "
        "coaches, incubates collaborations and establishes shared measurement.",
        "Learning brief on the Samburu JWP process (desk review of the {first} and {second} JWPs).",
        [],
        ["coordination"],
        "other",
    ),
    (
        "In-person sessions yield better outcomes than virtual ones",
        "JWP is a technical process with long, sector-specific discussions; participants "
        "experienced virtual fatigue and some struggled with online tools.",
        "Attendance fell from 31 to 14 between the in-person and the virtual follow-up session.",
        [],
        ["participation", "facilitation"],
        "session",
    ),
    (
        "Joint visits verify results and build trust",
        "Seeing the outreach sites together settled a disagreement on screening numbers and "
        "showed where the registers were incomplete.",
        "Joint monitoring visit, February {visit_year}: the screening registers at two sites had "
        "unrecorded referrals.",
        ["health"],
        ["mel", "coordination"],
        "visit",
    ),
    (
        "Monitoring the JWP itself needs its own indicators",
        "Without tracking the plan's implementation there was little information on progress; "
        "learning generated early is what makes adaptive management possible.",
        "Mid-term review, effectiveness: no quarterly JWP progress report in the first half-year.",
        [],
        ["mel"],
        "evaluation",
    ),
]

RATINGS = {
    Criterion.RELEVANCE: (4, "Activities follow the CIDP and the sector plans' priorities."),
    Criterion.COHERENCE: (
        2,
        "Partners' cycles still differ from the county's; two budgets came late.",
    ),
    Criterion.EFFECTIVENESS: (3, "Most outputs on track; nutrition screening behind in Q3."),
    Criterion.EFFICIENCY: (3, "Joint outreach shared transport and staff across partners."),
    Criterion.IMPACT: (2, "Too early for outcome change; GAM rate not yet re-measured."),
    Criterion.SUSTAINABILITY: (3, "County co-financing of CHP stipends agreed for next year."),
}

# text, responsible acronym, due, priority, final status (with the note that gets it there)
RECOMMENDATIONS = [
    (
        "Align the JWP calendar with the county's gazetted planning and budget calendar; start "
        "the conversation at the PBB stage.",
        "SCG-FEP",
        date(2025, 9, 30),
        "high",
        [],
    ),
    (
        "Partners confirm their cost-share commitments before the county budget estimates are "
        "tabled.",
        "Nawiri",
        date(2025, 5, 31),
        "high",
        [(RecommendationStatus.IN_PROGRESS, "Head office asked to delegate commitments.")],
    ),
    (
        "Publish a quarterly JWP progress report and share it with all stakeholders.",
        "SCG-FEP",
        date(2025, 4, 30),
        "medium",
        [
            (RecommendationStatus.IN_PROGRESS, ""),
            (RecommendationStatus.IMPLEMENTED, "Q3 and Q4 reports shared at the TWG."),
        ],
    ),
    (
        "Hold follow-up sessions online to save costs.",
        "UNICEF",
        date(2025, 3, 31),
        "low",
        [(RecommendationStatus.DROPPED, "Virtual fatigue: in-person sessions work better.")],
    ),
]


def _photo(kind: int) -> SimpleUploadedFile:
    """A simple drawn scene (sky, ground, a water tank or a tent and people), 2400×1600."""
    width, height = 2400, 1600
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height * 3 // 5):
        shade = 150 + y * 90 // height
        draw.line([(0, y), (width, y)], fill=(shade - 60, shade, 235))
    draw.rectangle([0, height * 3 // 5, width, height], fill=(196, 160, 110))
    draw.ellipse([1900, 120, 2120, 340], fill=(255, 220, 120))
    if kind == 0:  # an elevated water tank
        draw.rectangle([700, 520, 1100, 820], fill=(60, 90, 140))
        for x in (720, 1060):
            draw.rectangle([x, 820, x + 20, 1100], fill=(90, 90, 90))
    else:  # an outreach tent
        draw.polygon([(600, 1050), (1100, 600), (1600, 1050)], fill=(240, 240, 235))
        draw.rectangle([600, 1050, 1600, 1150], fill=(220, 220, 210))
    for i in range(6):  # people
        x = 400 + i * 300
        draw.ellipse([x, 1000, x + 60, 1060], fill=(70, 45, 30))
        draw.rectangle([x + 5, 1060, x + 55, 1220], fill=[(180, 40, 40), (40, 90, 170)][i % 2])
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"visit-{kind}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _story() -> dict:
    """The years the lessons' texts name, moved to today."""
    return {
        "signed": fiscal_year("2024/25"),
        "first": fiscal_year("2019/20"),
        "second": fiscal_year("2020/21"),
        "visit_year": year(2025),
    }


def _members(county) -> dict:
    found = {}
    for m in Membership.objects.for_county(county).select_related("user", "county", "organization"):
        found.setdefault(m.user.email, m)
    return found


def seed(demo) -> None:
    county = demo.samburu
    orgs = demo.organizations
    with county_context([county]):
        plan = (
            JointWorkPlan.objects.for_county(county)
            .filter(fiscal_year=fiscal_year("2024/25"), status=PlanStatus.SIGNED)
            .select_related("county")
            .first()
        )
        if plan is None:
            return
        members = _members(county)
        sec = members["secretariat@samburu.demo"]
        partner = members.get("partner@nawiri.demo", sec)
        lead = members.get("sectorlead@samburu.demo", sec)
        sectors = {s.slug: s for s in Sector.objects.for_county(county)}
        wards = list(Ward.objects.filter(county=county).order_by("code")[:2])
        org = [orgs[a] for a in ("SCG-FEP", "SCG-Health", "UNICEF", "Nawiri", "FAO", "NDMA")]

        session = services.session_save(
            membership=sec,
            plan=plan,
            organizations=org,
            members=[m for m in (sec, partner, lead) if m],
            title=f"Mid-year pause and reflect on the {plan.fiscal_year} JWP",
            held_on=shift(date(2025, 1, 22)),
            venue="Maralal, county headquarters",
            facilitator="JWP TWG chair (Economic Planning)",
            other_participants="Ward administrator, Waso\nCBEF representative",
            participant_count=28,
            follow_up="Secretariat to propose calendar alignment to the TWG by March; "
            "partners to confirm commitments before the budget estimates are tabled.",
        )
        for question, text in ANSWERS:
            services.answer_add(membership=sec, session=session, question=question, text=text)

        visit = services.visit_save(
            membership=sec,
            plan=plan,
            wards=wards,
            sectors=[sectors["health"]],
            organizations=[orgs["SCG-Health"], orgs["UNICEF"], orgs["Nawiri"]],
            title="Integrated outreach and nutrition screening sites",
            visited_on=shift(date(2025, 2, 12)),
            sites="Outreach site at the ward dispensary; water point used by the outreach team",
            summary="Outreach running as planned; screening registers incomplete at two sites.",
        )
        services.finding_add(
            membership=partner,
            visit=visit,
            text="Referrals of children with MUAC in the red band are not written in the "
            "screening register at two sites.",
        )
        services.finding_add(
            membership=lead,
            visit=visit,
            text="Cold chain working; the outreach schedule is posted at the dispensary.",
        )
        services.photo_add(
            membership=partner, visit=visit, upload=_photo(0), caption="Water point at the site"
        )
        services.photo_add(
            membership=lead, visit=visit, upload=_photo(1), caption="Outreach tent, screening day"
        )
        services.action_add(
            membership=sec,
            visit=visit,
            action="Complete the referral column of the screening registers",
            responsible="Nawiri nutrition officer",
            due_date=shift(date(2025, 3, 15)),
        )
        shared = services.action_add(
            membership=sec,
            visit=visit,
            action="Share the outreach schedule with the ward administrators",
            responsible="County health management team",
            due_date=shift(date(2025, 2, 28)),
        )
        services.action_set_status(membership=sec, action=shared, status="done")

        evaluation = services.evaluation_save(
            membership=sec,
            plan=plan,
            kind="mid_term",
            conducted_on=shift(date(2025, 1, 30)),
            conducted_by="JWP TWG, externally facilitated",
            methods="Key informant interviews, focus group discussions, document review",
            summary="Interim progress is good on outputs; coherence of the partners' and the "
            "county's cycles is the main gap.",
        )
        services.ratings_save(membership=sec, evaluation=evaluation, ratings=RATINGS)
        for text, acronym, due, priority, steps in RECOMMENDATIONS:
            rec = services.recommendation_add(
                membership=sec,
                evaluation=evaluation,
                text=text,
                due_date=shift(due),
                priority=priority,
                responsible_organization=orgs[acronym],
            )
            for status, note in steps:
                services.recommendation_set_status(
                    membership=sec, recommendation=rec, status=status, note=note
                )

        sources = {"session": session, "visit": visit, "evaluation": evaluation}
        lessons, story = [], _story()
        for title, text, evidence, slugs, themes, source in LESSONS:
            lessons.append(
                services.lesson_save(
                    membership=partner if source == "visit" else sec,
                    plan=plan,
                    title=title,
                    text=text.format(**story),
                    evidence=evidence.format(**story),
                    sectors=[sectors[s] for s in slugs if s in sectors],
                    themes=themes,
                    source=source,
                    source_note="Samburu JWP learning brief" if source == "other" else "",
                    **({source: sources[source]} if source in sources else {}),
                )
            )
        brief = services.brief_save(
            membership=sec,
            plan=plan,
            title=f"Joint work planning in Samburu, {plan.fiscal_year}: what we learned",
            summary="The county-led JWP is becoming more inclusive. Leadership, early "
            "communication and joint visits worked; calendars and cost-share commitments still "
            "need alignment, and the JWP needs its own monitoring.",
            lessons=[lessons[0], lessons[1], lessons[4], lessons[5]],
        )
        services.brief_set_status(membership=sec, brief=brief, status="published")

        services.close_out_save(
            membership=sec,
            plan=plan,
            achievements="Joint outreach reached every ward; 2,600 children screened in Q2; "
            "livestock vaccination above target in Q1.",
            challenges="Late partner budget commitments; nutrition screening behind in Q3; "
            "registers incomplete at some sites.",
            lessons_summary="Leadership and early communication drive participation; align the "
            "calendars; monitor the JWP itself.",
            lessons=[lessons[0], lessons[1], lessons[5]],
        )
        if services.next_plan(plan) is not None:
            services.close_out_carry(membership=sec, plan=plan)
