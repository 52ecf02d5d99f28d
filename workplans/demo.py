"""Demo data of the joint work plans, made through the services (they enforce the rules).

Years are the design years of ``counties.demo_clock``, moved to today when seeding.
Samburu: the 2024/25 plan taken through the approval chain by the office holders of
``counties.demo_offices`` (consolidated, returned by the TWG with comments, consolidated
again, endorsed in a held TWG meeting, approved by the CEC with its decision reference)
and signed by the holder of every signatory office (objectives linked to CIDP programmes,
eight activities in Health, Agriculture and Water, a cost-share budget from the county
and partners — some in USD with the rate used — commitments in every state, the
county's with its budget vote and appropriation, disbursed and released as the work
went so the money reconciles but for one deliberate flag, risks and review
milestones); the 2025/26 plan in co-creation, where the partners' activities
overlap: two same-sector, same-ward pairs and a look-alike pair to resolve, and one
pair already resolved as complementary. Turkana: a draft.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from counties.demo_clock import fiscal_year, shift, year
from counties.demo_offices import SIGNATORIES
from counties.models import (
    CoordinationStructure,
    Meeting,
    MeetingKind,
    Membership,
    Sector,
    StructureKind,
    Ward,
)
from jwp.fiscal import kenyan_fy_bounds
from jwp.tenancy import county_context
from notifications.models import Notification
from workplans.models import (
    BudgetComponent,
    DecisionOutcome,
    JointWorkPlan,
    OverlapFlag,
    OverlapReason,
    OverlapResolution,
    PlanDecision,
    PlanStatus,
    ScopeLevel,
    SignatoryCapacity,
    Signature,
)
from workplans.services import budget, overlaps, plans, signatures, workflow

HEALTH = "health"
AGRICULTURE = "agriculture-rural-urban-development"
WATER = "environment-water-natural-resources"
RATE = Decimal("129.5000")  # KES per USD, as used in the 2024/25 budget

# The partners' authorized signatories (counties.demo_offices assigns their offices).
PARTNER_SIGNATORIES = {"Nawiri": "partner@nawiri.demo"} | {
    acronym: email for email, _name, _title, acronym in SIGNATORIES
}

# The county's cost-share is ring-fenced: the department's vote in the county budget and
# the programme (the CIDP programme codes above), voted by the Appropriation Act.
VOTES = {HEALTH: "4061", AGRICULTURE: "4062", WATER: "4063"}

# Releases follow the work, so the money reconciles (progress.demo spends up to 96 % of
# a line by the quarter an activity completes): per activity, (design date, share of
# each commitment) in the order released — before each quarter's spending. A share
# list that does not reach 1 leaves the commitment confirmed and partly released.
# The one deliberate reconciliation flag: the county's vaccination line, overspent by
# the second vaccine purchase (progress.demo.OVERRUN), beyond what the treasury released.
RELEASES = {
    "Integrated outreach for mothers and children": [
        (date(2024, 8, 15), Decimal("0.5")),
        (date(2024, 10, 15), Decimal("0.5")),
    ],
    "Community health promoters refresher training": [
        (date(2024, 8, 15), Decimal("0.5")),
        (date(2024, 10, 15), Decimal("0.5")),
    ],
    "Nutrition screening of children under five": [
        (date(2024, 10, 10), Decimal("0.5")),
        (date(2025, 1, 20), Decimal("0.5")),
    ],
    "Livestock vaccination against PPR and CCPP": [
        (date(2024, 8, 20), Decimal("0.6")),
        (date(2024, 10, 15), Decimal("0.4")),
    ],
    "Fodder production and storage training": [
        (date(2025, 1, 10), Decimal("0.5")),
        (date(2025, 4, 7), Decimal("0.5")),
    ],
    # the contractor waited for the county's release in Q2; released on 20 January
    "Borehole rehabilitation in Wamba": [
        (date(2024, 9, 10), Decimal("0.15")),
        (date(2025, 1, 20), Decimal("0.35")),
    ],
    "Water user associations set-up": [
        (date(2024, 11, 5), Decimal("0.25")),
        (date(2025, 1, 15), Decimal("0.4")),
    ],
    "Sand dam construction": [
        (date(2025, 2, 10), Decimal("0.2")),
        (date(2025, 4, 10), Decimal("0.55")),
    ],
}

PROGRAMMES = [
    ("HLT-01", "Preventive and promotive health services", HEALTH),
    ("AGR-02", "Livestock development and disease control", AGRICULTURE),
    ("WAT-01", "Water supply and sanitation", WATER),
]

# Dates below are design dates (counties.demo_clock), moved to today when seeded.
# title, sector, lead acronym, ward index, start, end, (county KES, partner amount, currency)
SIGNED_ACTIVITIES = [
    (
        "Integrated outreach for mothers and children",
        HEALTH,
        "UNICEF",
        0,
        date(2024, 8, 1),
        date(2024, 12, 20),
        (Decimal("450000"), Decimal("12000"), "USD"),
    ),
    (
        "Community health promoters refresher training",
        HEALTH,
        "SCG-Health",
        1,
        date(2024, 9, 2),
        date(2024, 10, 31),
        (Decimal("300000"), Decimal("0"), "KES"),
    ),
    (
        "Nutrition screening of children under five",
        HEALTH,
        "Nawiri",
        2,
        date(2024, 10, 1),
        date(2025, 3, 31),
        (Decimal("150000"), Decimal("2400000"), "KES"),
    ),
    (
        "Livestock vaccination against PPR and CCPP",
        AGRICULTURE,
        "Nawiri",
        3,
        date(2024, 8, 15),
        date(2024, 11, 30),
        (Decimal("600000"), Decimal("1800000"), "KES"),
    ),
    (
        "Fodder production and storage training",
        AGRICULTURE,
        "WVK",
        4,
        date(2025, 1, 13),
        date(2025, 4, 30),
        (Decimal("200000"), Decimal("8000"), "USD"),
    ),
    (
        "Borehole rehabilitation in Wamba",
        WATER,
        "SCG-Water",
        5,
        date(2024, 9, 1),
        date(2025, 2, 28),
        (Decimal("3500000"), Decimal("0"), "KES"),
    ),
    (
        "Water user associations set-up",
        WATER,
        "WVK",
        6,
        date(2024, 11, 1),
        date(2025, 5, 30),
        (Decimal("120000"), Decimal("950000"), "KES"),
    ),
    (
        "Sand dam construction",
        WATER,
        "Nawiri",
        7,
        date(2025, 2, 3),
        date(2025, 6, 27),
        (Decimal("800000"), Decimal("25000"), "USD"),
    ),
]

# title, sector, lead acronym, ward index, start, end
CO_CREATION_ACTIVITIES = [
    # same sector, same ward, overlapping dates: to resolve
    (
        "Integrated outreach for mothers and children",
        HEALTH,
        "UNICEF",
        0,
        date(2025, 9, 1),
        date(2025, 12, 19),
    ),
    ("Mobile clinics in the dry season", HEALTH, "KRCS", 0, date(2025, 10, 6), date(2026, 2, 27)),
    ("Borehole rehabilitation and fencing", WATER, "WVK", 1, date(2025, 8, 4), date(2025, 11, 28)),
    (
        "Water point repair and management committees",
        WATER,
        "Nawiri",
        1,
        date(2025, 9, 15),
        date(2025, 12, 12),
    ),
    # look-alike titles in one ward, two sectors: to resolve
    ("Hygiene promotion in schools", HEALTH, "SCG-Health", 2, date(2025, 9, 1), date(2025, 11, 28)),
    (
        "Hygiene promotion in schools and villages",
        WATER,
        "KRCS",
        2,
        date(2025, 10, 1),
        date(2026, 1, 30),
    ),
    # same sector, ward and time, already resolved as complementary
    (
        "Livestock vaccination campaign",
        AGRICULTURE,
        "Nawiri",
        3,
        date(2025, 8, 18),
        date(2025, 11, 28),
    ),
    ("Fodder bank establishment", AGRICULTURE, "WVK", 3, date(2025, 9, 1), date(2026, 3, 31)),
    # no overlap: another ward, or one after the other
    ("Sand dam construction", WATER, "Nawiri", 4, date(2026, 1, 12), date(2026, 6, 26)),
    (
        "Community health promoters stipends",
        HEALTH,
        "SCG-Health",
        5,
        date(2025, 7, 7),
        date(2026, 6, 26),
    ),
]


def _year_of(design_label: str) -> dict:
    """A plan's fiscal year and its bounds, for a design label moved to today."""
    label = fiscal_year(design_label)
    start, end = kenyan_fy_bounds(label)
    return {"fiscal_year": label, "start_date": start, "end_date": end}


def _membership(county, email: str, demo) -> Membership:
    return Membership.objects.for_county(county).get(user=demo.users[email])


def _partner_signatories(demo, county) -> dict[str, Membership]:
    """Each partner's authorized signatory (Nawiri's coordinator signs for Nawiri)."""
    return {
        acronym: _membership(county, email, demo) for acronym, email in PARTNER_SIGNATORIES.items()
    }


def _activities(plan, secretariat, rows, sectors, wards, orgs) -> list:
    made = []
    for title, sector, lead, ward, start, end, *_rest in rows:
        made.append(
            plans.activity_create(
                plan=plan,
                membership=secretariat,
                wards=[wards[ward]],
                title=title,
                sector=sectors[sector],
                lead_organization=orgs[lead],
                start_date=shift(start),
                end_date=shift(end),
                expected_output=f"{title}: done in {wards[ward].name}",
            )
        )
    return made


def _signed_plan(demo, county, secretariat, sectors, wards, orgs) -> None:
    signers = _partner_signatories(demo, county)
    plan = plans.workplan_create(
        county=county,
        membership=secretariat,
        **_year_of("2024/25"),
        title="Samburu County Joint Work Plan",
        lead_agency=orgs["SCG-FEP"],
        partners=[orgs["Nawiri"], orgs["UNICEF"], orgs["WVK"]],
    )
    plans.workplan_advance(plan=plan, membership=secretariat, to=PlanStatus.CO_CREATION)
    programmes = {
        sector: plans.cidp_programme_save(
            county=county, membership=secretariat, code=code, name=name, sector=sectors[sector]
        )
        for code, name, sector in PROGRAMMES
    }
    for statement, area, sector in (
        ("Reduce child malnutrition in pastoral wards", "Maternal and child health", HEALTH),
        ("Keep herds healthy through the dry season", "Livestock resilience", AGRICULTURE),
        ("Bring safe water within 5 km of every household", "Water access", WATER),
    ):
        plans.objective_save(
            plan=plan,
            membership=secretariat,
            statement=statement,
            priority_area=area,
            programme=programmes[sector],
        )
    activities = _activities(plan, secretariat, SIGNED_ACTIVITIES, sectors, wards, orgs)
    components = list(BudgetComponent.objects.for_county(county).filter(is_active=True))
    commitments = []
    for index, (activity, row) in enumerate(zip(activities, SIGNED_ACTIVITIES, strict=True)):
        lead, (county_kes, partner_amount, currency) = row[2], row[6]
        component = components[index % len(components)]
        county_line = budget.budget_line_create(
            membership=secretariat,
            activity=activity,
            contributor=None,
            component=component,
            amount=county_kes,
            comment="County Annual Development Plan allocation",
        )
        commitments.append(
            budget.commitment_create(
                membership=secretariat,
                activity=activity,
                contributor=None,
                amount=county_kes,
                budget_line=county_line,
                vote_code=f"{VOTES[row[1]]} / {programmes[row[1]].code}",
                appropriation_reference=f"Samburu County Appropriation Act, {year(2024)}: "
                f"development vote {VOTES[row[1]]}, item {index + 1}",
            )
        )
        if partner_amount and lead in signers:
            rate = RATE if currency == "USD" else None
            line = budget.budget_line_create(
                membership=signers[lead],
                activity=activity,
                contributor=orgs[lead],
                component=component,
                amount=partner_amount,
                currency=currency,
                exchange_rate=rate,
                comment="Partner cost-share",
            )
            commitments.append(
                budget.commitment_create(
                    membership=signers[lead],
                    activity=activity,
                    contributor=orgs[lead],
                    amount=partner_amount,
                    currency=currency,
                    exchange_rate=rate,
                    budget_line=line,
                )
            )
    for kind, values in (
        (
            "risk",
            {
                "description": "Delays in county funding releases",
                "likelihood": "high",
                "impact": "high",
                "mitigation": "Quarterly treasury releases agreed in the "
                "CFSP; partners front-load where they can",
                "responsible": "County Treasury",
            },
        ),
        (
            "risk",
            {
                "description": "Drought displaces households mid-year",
                "likelihood": "medium",
                "impact": "high",
                "mitigation": "Follow the NDMA early warning bulletin; "
                "move outreach to where herds are",
                "responsible": "NDMA and the SWGs",
            },
        ),
        (
            "risk",
            {
                "description": "Insecurity on the Baragoi road",
                "likelihood": "medium",
                "impact": "medium",
                "mitigation": "Plan field work with the County Commissioner's office",
                "responsible": "JWP Secretariat",
            },
        ),
        (
            "milestone",
            {
                "deliverable": "Quarter 1 joint progress report",
                "review_date": shift(date(2024, 10, 31)),
                "responsible": "JWP Secretariat",
                "status": "done",
                "notes": "Presented to the TWG",
            },
        ),
        (
            "milestone",
            {
                "deliverable": "Mid-year pause and reflect",
                "review_date": shift(date(2025, 1, 30)),
                "responsible": "TWG and partners",
                "status": "done",
                "notes": "Water activities re-sequenced",
            },
        ),
        (
            "milestone",
            {
                "deliverable": "Annual review and next year's co-creation",
                "review_date": shift(date(2025, 6, 20)),
                "responsible": "JWP Secretariat",
                "status": "on_track",
            },
        ),
    ):
        plans.section_item_save(plan=plan, membership=secretariat, kind=kind, **values)
    _approval_chain(demo, county, plan, secretariat, signers)
    _money_flows(commitments, secretariat, signers, orgs)
    _further_promises(activities, signers, orgs)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(shift(day), time(hour)))


def _twg_meeting(county, secretariat, day: date, title: str, decisions: str) -> Meeting:
    return Meeting.objects.create(
        county=county,
        kind=MeetingKind.TWG,
        title=title,
        structure=CoordinationStructure.objects.for_county(county)
        .filter(kind=StructureKind.TWG)
        .first(),
        starts_at=_at(day, 10),
        ends_at=_at(day, 13),
        venue="County Commissioner's boardroom, Maralal",
        decisions=decisions,
        created_by=secretariat.user,
    )


def _approval_chain(demo, county, plan, secretariat, signers) -> None:
    """The corrected chain with real decisions by the office holders: consolidated,
    returned by the TWG with comments, consolidated again, endorsed in a held TWG
    meeting, approved by the CEC, signed by the holder of every signatory office."""
    chair = _membership(county, "sectorlead@samburu.demo", demo)
    executive = _membership(county, "executive@samburu.demo", demo)
    label = plan.fiscal_year
    first = _twg_meeting(
        county,
        secretariat,
        date(2024, 6, 21),
        f"TWG review of the draft {label} joint work plan",
        "Returned to the SWGs: the water activities need their wards and the review "
        "milestones their owners.",
    )
    second = _twg_meeting(
        county,
        secretariat,
        date(2024, 7, 3),
        f"TWG review of the consolidated {label} joint work plan",
        "Endorsed for the County Executive Committee.",
    )
    moments = []
    workflow.workplan_consolidate(plan=plan, membership=secretariat)
    moments.append(_at(date(2024, 6, 14), 16))
    workflow.workplan_twg_review(
        plan=plan,
        membership=chair,
        meeting=first,
        outcome=DecisionOutcome.RETURNED,
        comments="Name the wards of every water activity and an owner for each review "
        "milestone, then bring it back.",
    )
    moments.append(_at(date(2024, 6, 21), 14))
    workflow.workplan_consolidate(
        plan=plan, membership=secretariat, comments="Wards and milestone owners added."
    )
    moments.append(_at(date(2024, 6, 28), 16))
    workflow.workplan_twg_review(
        plan=plan,
        membership=chair,
        meeting=second,
        outcome=DecisionOutcome.ENDORSED,
        comments="Endorsed. Partners to confirm their pledges before the first quarter.",
    )
    moments.append(_at(date(2024, 7, 3), 14))
    workflow.workplan_cec_approve(
        plan=plan,
        membership=executive,
        reference=f"CEC/SBR/{shift(date(2024, 7, 10)).year}/07/04",
        decided_on=shift(date(2024, 7, 10)),
        comments="Approved with the county's cost-share in the ADP.",
    )
    moments.append(_at(date(2024, 7, 10), 15))
    holders = {
        "county_secretary": _membership(county, "secretary@samburu.demo", demo),
        "cec_finance": executive,
    }
    for signature in (
        Signature.objects.for_county(county)
        .filter(plan=plan)
        .select_related("plan", "organization")
    ):
        signer = (
            signers[signature.organization.acronym]
            if signature.capacity == SignatoryCapacity.PARTNER
            else holders[signature.capacity]
        )
        signatures.signature_sign(signature=signature, membership=signer)
    # The services stamp "now"; the chain ran in the June and July its year began,
    # before the money below moved, so its dates say so.
    for decision, moment in zip(
        PlanDecision.objects.for_county(county).filter(plan=plan).order_by("pk"),
        moments,
        strict=True,
    ):
        PlanDecision.objects.for_county(county).filter(pk=decision.pk).update(created_at=moment)
    approved = _at(date(2024, 7, 12), 11)
    # Each holder was told of their turn then and has acted: those are read, not new.
    Notification.objects.for_county(county).filter(
        item_key__startswith=f"workplan:{plan.pk}:"
    ).update(created_at=approved, read_at=approved)
    Signature.objects.for_county(county).filter(plan=plan).update(signed_at=approved)
    JointWorkPlan.objects.for_county(county).filter(pk=plan.pk).update(
        locked_at=approved, status_changed_at=approved
    )


def _money_flows(commitments, secretariat, signers, orgs) -> None:
    """Every commitment confirmed and released as the work went (``RELEASES``): in full
    where the activity is done, in part where it goes on. Partners disburse; for the
    county's own commitments the treasury releases (the exchequer release number)."""
    by_acronym = {o.pk: a for a, o in orgs.items()}
    for commitment in commitments:
        who = (
            signers[by_acronym[commitment.contributor_id]]
            if commitment.contributor_id
            else secretariat
        )
        commitment = budget.commitment_confirm(
            membership=who, commitment=commitment, row_version=commitment.row_version
        )
        rate = RATE if commitment.currency == "USD" else None
        released, shares = Decimal("0"), Decimal("0")
        for number, (day, share) in enumerate(RELEASES[commitment.activity.title], start=1):
            shares += share
            # the last tranche of a full release is what remains, to the cent
            amount = (
                commitment.amount - released
                if shares == 1
                else (commitment.amount * share).quantize(Decimal("0.01"))
            )
            released += amount
            day = shift(day)
            budget.disbursement_record(
                membership=who,
                commitment=commitment,
                amount=amount,
                disbursed_on=day,
                exchange_rate=rate,
                reference=(
                    f"Exchequer release {day:%Y}/{commitment.pk:03d}-{number}"
                    if commitment.contributor_id is None
                    else f"PV-{commitment.pk:04d}-{day:%m}"
                ),
            )


def _further_promises(activities, signers, orgs) -> None:
    """Promises beyond the budget: one still pledged, one withdrawn (on fundings that
    have their confirmed commitment, so nothing is spent on a withdrawn promise)."""
    by_title = {a.title: a for a in activities}
    budget.commitment_create(  # for a fourth sand dam in Lorroki, asked for by the MCA
        membership=signers["Nawiri"],
        activity=by_title["Sand dam construction"],
        contributor=orgs["Nawiri"],
        amount=Decimal("5000"),
        currency="USD",
        exchange_rate=RATE,
    )
    trainer = budget.commitment_create(
        membership=signers["WVK"],
        activity=by_title["Water user associations set-up"],
        contributor=orgs["WVK"],
        amount=Decimal("150000"),
    )
    trainer = budget.commitment_confirm(
        membership=signers["WVK"], commitment=trainer, row_version=trainer.row_version
    )
    budget.commitment_withdraw(
        membership=signers["WVK"],
        commitment=trainer,
        row_version=trainer.row_version,
        reason="The bookkeeping trainer withdrew; no replacement this year",
    )


def _co_creation_plan(county, secretariat, sectors, wards, orgs) -> None:
    plan = plans.workplan_create(
        county=county,
        membership=secretariat,
        **_year_of("2025/26"),
        title="Samburu County Joint Work Plan",
        lead_agency=orgs["SCG-FEP"],
        partners=[orgs["Nawiri"], orgs["UNICEF"], orgs["WVK"], orgs["KRCS"]],
    )
    plans.workplan_advance(plan=plan, membership=secretariat, to=PlanStatus.CO_CREATION)
    activities = _activities(plan, secretariat, CO_CREATION_ACTIVITIES, sectors, wards, orgs)
    vaccination, fodder = activities[6], activities[7]
    flag = (
        OverlapFlag.objects.for_county(county)
        .filter(
            plan=plan,
            activity_a_id=min(vaccination.pk, fodder.pk),
            activity_b_id=max(vaccination.pk, fodder.pk),
            reason=OverlapReason.SAME_PLACE_AND_TIME,
        )
        .get()
    )
    overlaps.overlap_resolve(
        flag=flag,
        membership=secretariat,
        resolution=OverlapResolution.COMPLEMENTARY,
        note="Vaccination protects the herds, the fodder bank feeds them: same households, "
        "both needed. Teams share one mobilisation day.",
    )
    component = BudgetComponent.objects.for_county(county).filter(is_active=True).first()
    budget.budget_line_create(
        membership=secretariat,
        activity=activities[0],
        contributor=orgs["UNICEF"],
        component=component,
        amount=Decimal("15000"),
        currency="USD",
        exchange_rate=Decimal("129.0000"),
        comment="Draft, to be confirmed at the workshop",
    )


def seed(demo) -> None:
    samburu, turkana = demo.samburu, demo.turkana
    orgs = demo.organizations
    with county_context([samburu]):
        secretariat = _membership(samburu, "secretariat@samburu.demo", demo)
        sectors = {
            s.slug: s
            for s in Sector.objects.for_county(samburu).filter(
                slug__in=[HEALTH, AGRICULTURE, WATER]
            )
        }
        wards = list(Ward.objects.filter(county=samburu).order_by("code"))
        _signed_plan(demo, samburu, secretariat, sectors, wards, orgs)
        _co_creation_plan(samburu, secretariat, sectors, wards, orgs)
    with county_context([turkana]):
        plans.workplan_create(
            county=turkana,
            membership=_membership(turkana, "secretariat@turkana.demo", demo),
            **_year_of("2025/26"),
            title="Turkana County Joint Work Plan",
            lead_agency=orgs["TCG-FEP"],
            scope_level=ScopeLevel.COUNTY,
            partners=[orgs["Nawiri"], orgs["CRS"], orgs["FAO"]],
        )
