"""Demo data of progress: Samburu's signed 2024/25 plan through its four quarters.

Activity progress and spending entered by the lead partners and the secretariat (one
county budget line overrun: livestock vaccination), a stalled borehole rehabilitation,
stakeholder feedback that requires action, trigger detection run after each quarter (so
adaptation items exist, in every status), and progress reports: Q1 and Q2 reviewed by
the TWG and shared, Q3 with the TWG for review. Entered through the services. Dates and
years are design ones (``counties.demo_clock``), moved to today."""

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from counties.demo_clock import fiscal_year, shift, year
from counties.models import Membership
from jwp.roles import Role
from jwp.tenancy import county_context
from progress import services
from progress.models import AdaptationItem, ProgressReport, Trigger
from progress.periods import Quarter
from workplans.models import BudgetLine, JointActivity, JointWorkPlan, PlanStatus

CENT = Decimal("0.01")

# activity title: per quarter (percent complete, progress made, challenges, solutions)
PROGRESS = {
    "Integrated outreach for mothers and children": {
        1: (35, "Outreach teams visited 14 of 40 sites in Lodokejek and Suguta Marmar.", "", ""),
        2: (100, "All 40 outreach sites reached; immunization and growth monitoring done.", "", ""),
    },
    "Community health promoters refresher training": {
        1: (40, "First cohort of 60 promoters trained in Maralal.", "", ""),
        2: (100, "Second cohort trained; 118 promoters refreshed in total.", "", ""),
    },
    "Nutrition screening of children under five": {
        2: (45, "MUAC screening in 9 of 20 villages; referrals to the OTP sites.", "", ""),
        3: (
            80,
            "Screening in 16 of 20 villages.",
            "Screening days clashed with market days; attendance fell by a third.",
            "Moved screening to Saturdays after the women's group raised it.",
        ),
        4: (100, "All 20 villages screened twice; results in DHIS2.", "", ""),
    },
    "Livestock vaccination against PPR and CCPP": {
        1: (55, "21,000 goats and sheep vaccinated in Wamba and Waso.", "", ""),
        2: (
            100,
            "Campaign completed in all four wards.",
            "Cold chain failures forced a second round of vaccine purchase.",
            "Solar fridges borrowed from the health department.",
        ),
    },
    "Fodder production and storage training": {
        3: (50, "Two farmer field schools trained on hay baling.", "", ""),
        4: (100, "Four field schools trained; raised hay sheds built in two wards.", "", ""),
    },
    "Borehole rehabilitation in Wamba": {
        1: (10, "Site survey done and pump specification agreed.", "", ""),
        2: (
            10,
            "No work on site this quarter.",
            "The contractor is waiting for the county's funds release.",
            "Secretariat raised the delay with the Treasury.",
        ),
        3: (40, "Contractor back on site; the rising main replaced.", "", ""),
    },
    "Water user associations set-up": {
        2: (20, "Community meetings held at three water points.", "", ""),
        3: (60, "Two associations registered; by-laws drafted for the third.", "", ""),
        4: (
            60,
            "No further registrations this quarter.",
            "The bookkeeping trainer withdrew; the third association's by-laws are pending.",
            "",
        ),
    },
    "Sand dam construction": {
        3: (15, "Sites pegged with the community; materials ordered.", "", ""),
        4: (70, "Two of three dams built before the long rains.", "", ""),
    },
}
OVERRUN = "Livestock vaccination against PPR and CCPP"
OVERRUN_EXTRA = Decimal("0.08")  # the second vaccine purchase: 8 % above the county line

FEEDBACK = [
    (
        "Nkaroni women's group, Waso ward",
        "Nutrition screening of children under five",
        "Screening days clash with market day; mothers ask for Saturday sessions.",
        date(2025, 2, 12),
        True,
    ),
    (
        "Ward administrator, Wamba East",
        None,
        "The quarterly JWP review at the ward office was well attended; keep it there.",
        date(2024, 11, 20),
        False,
    ),
    (
        "Member of the County Assembly, Lorroki ward",
        "Sand dam construction",
        "Asks for a fourth sand dam in Lorroki before the short rains.",
        date(2025, 5, 8),
        True,
    ),
]


def _members(county) -> dict:
    found = {}
    for m in Membership.objects.for_county(county).select_related("organization", "user"):
        if m.role == Role.SECRETARIAT:
            found.setdefault("secretariat", m)
        elif m.role == Role.PARTNER and m.organization is not None:
            found.setdefault(m.organization.acronym or m.organization.name, m)
    return found


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _enter(plan, members, secretariat) -> None:
    activities = {
        a.title: a
        for a in JointActivity.objects.for_county(plan.county_id)
        .filter(plan=plan)
        .select_related("lead_organization")
    }
    lines = list(
        BudgetLine.objects.for_county(plan.county_id).filter(activity__plan=plan).order_by("pk")
    )
    so_far: dict[int, Decimal] = {}
    for title, quarters in PROGRESS.items():
        activity = activities.get(title)
        if activity is None:
            continue
        reporter = members.get(activity.lead_organization.acronym, secretariat)
        before = 0
        for quarter, (pct, made, challenges, solutions) in sorted(quarters.items()):
            services.progress_save(
                membership=reporter,
                activity=activity,
                quarter=quarter,
                percent_complete=pct,
                progress_made=made,
                challenges=challenges,
                solutions=solutions,
            )
            share = Decimal(pct - before) / 100
            for line in (x for x in lines if x.activity_id == activity.pk):
                spent = (line.amount_kes * share * Decimal("0.96")).quantize(
                    CENT, rounding=ROUND_HALF_UP
                )
                if title == OVERRUN and line.contributor_id is None and pct == 100:
                    # the second vaccine purchase takes the county line over its budget
                    spent = line.amount_kes * (1 + OVERRUN_EXTRA) - so_far.get(line.pk, 0)
                if spent:
                    services.expenditure_save(
                        membership=secretariat,
                        budget_line=line,
                        quarter=quarter,
                        amount_kes=spent,
                        note="Per the quarter's financial report",
                    )
                    so_far[line.pk] = so_far.get(line.pk, 0) + spent
            before = pct


def _feedback(plan, secretariat) -> None:
    activities = {
        a.title: a for a in JointActivity.objects.for_county(plan.county_id).filter(plan=plan)
    }
    for who, title, text, received, requires_action in FEEDBACK:
        services.feedback_record(
            membership=secretariat,
            plan=plan,
            activity=activities.get(title) if title else None,
            from_name=who,
            text=text,
            received_on=shift(received),
            requires_action=requires_action,
        )


def _adapt(plan, secretariat) -> None:
    """Detection after each quarter, then the follow-up the responsible parties recorded."""
    for quarter in (1, 2, 3, 4):
        checked_on = Quarter(plan.fiscal_year, quarter).end + timedelta(days=10)
        raised = services.detect_triggers(
            plan=plan, fiscal_year=plan.fiscal_year, quarter=quarter, today=checked_on
        )
        # The demo happened in the past: the nightly check ran ten days after the quarter.
        AdaptationItem.objects.for_county(plan.county_id).filter(
            pk__in=[i.pk for i in raised]
        ).update(detected_at=_at(checked_on), updated_at=_at(checked_on))
    items = list(AdaptationItem.objects.for_county(plan.county_id).filter(plan=plan))
    follow_up = {
        (Trigger.BUDGET_OVERRUN, 2): (
            "in_progress",
            "Reallocate KES 70,000 from the county's fodder line at the supplementary budget.",
            "",
        ),
        (Trigger.ACTIVITY_STALLED, 2): (
            "done",
            "Escalate the funds release to the CEC Finance; contractor to resume in January.",
            f"Funds released on 20 January {year(2025)}; the contractor is back on site.",
        ),
        (Trigger.FEEDBACK, 4): (
            "dropped",
            f"Not in this year's budget; proposed for the {fiscal_year('2025/26')} plan instead.",
            "",
        ),
        (Trigger.FEEDBACK, 3): (
            "done",
            "Hold screening on Saturdays in Waso.",
            "Attendance back to the Q2 level in March.",
        ),
    }
    missed_done = False
    for item in items:
        key = (item.trigger, item.quarter)
        if key in follow_up:
            status, action, outcome = follow_up.pop(key)
        elif item.trigger == Trigger.INDICATOR_MISSED and not missed_done:
            status, action, outcome = (
                "done",
                "Second vaccination round with borrowed cold chain.",
                "Target met in the following quarter.",
            )
            missed_done = True
        else:
            continue
        services.adaptation_update(
            membership=secretariat,
            item=item,
            status=status,
            proposed_action=action,
            actual_outcome=outcome,
        )
        AdaptationItem.objects.for_county(plan.county_id).filter(pk=item.pk).update(
            updated_at=_at(item.detected_at.date() + timedelta(days=21))
        )


NARRATIVE = {
    1: {
        "summary": "A strong start: outreach, promoter training and livestock vaccination "
        "are under way; the borehole rehabilitation has not moved past the survey.",
        "progress_narrative": "Vaccination reached 21,000 animals, above the quarter's target.",
        "challenges_narrative": "County funds for the borehole have not been released.",
        "lessons_narrative": "Joint site visits early in the quarter sped up approvals.",
        "corrective_actions_narrative": "Raised the funds release with the Treasury.",
    },
    2: {
        "summary": "Health and livestock activities completed; vaccination overran its "
        "county budget line and the borehole stalled.",
        "progress_narrative": "Outreach and promoter training finished on time.",
        "challenges_narrative": "Cold chain failures in Waso; the borehole contractor idle.",
        "lessons_narrative": "Plan cold chain back-up with the health department.",
        "corrective_actions_narrative": "Reallocation at the supplementary budget; escalation "
        "of the borehole funds to the CEC Finance.",
    },
    3: {
        "summary": "Nutrition screening recovered after moving to Saturdays; water user "
        "associations registered; sand dams started.",
        "progress_narrative": "Screening reached 16 of 20 villages.",
        "challenges_narrative": "Market days clashed with screening days.",
        "lessons_narrative": "Ask women's groups before fixing outreach days.",
        "corrective_actions_narrative": "Screening moved to Saturdays in Waso.",
    },
}
# quarter: (submitted on, reviewed on, shared on or None)
REPORT_DATES = {
    1: (date(2024, 10, 14), date(2024, 10, 22), date(2024, 10, 25)),
    2: (date(2025, 1, 15), date(2025, 1, 23), date(2025, 1, 27)),
    3: (date(2025, 4, 14), None, None),
}


def _reports(plan, secretariat) -> None:
    for quarter, narrative in NARRATIVE.items():
        report = services.report_create(membership=secretariat, plan=plan, quarter=quarter)
        services.report_save_narrative(membership=secretariat, report=report, **narrative)
        services.report_submit(membership=secretariat, report=report)
        submitted, reviewed, shared = (shift(d) if d else None for d in REPORT_DATES[quarter])
        if reviewed is not None:
            services.report_review(
                membership=secretariat,
                report=report,
                reviewed_on=reviewed,
                comments="Reviewed at the TWG meeting; approved for sharing.",
                accept=True,
            )
            services.report_share(membership=secretariat, report=report)
        # The demo happened in the past: the workflow's timestamps say when.
        ProgressReport.objects.for_county(plan.county_id).filter(pk=report.pk).update(
            submitted_at=_at(submitted), shared_at=_at(shared) if shared else None
        )


def seed(demo) -> None:
    county = demo.samburu
    with county_context([county]):
        plan = (
            JointWorkPlan.objects.for_county(county)
            .filter(fiscal_year=fiscal_year("2024/25"), status=PlanStatus.SIGNED)
            .first()
        )
        if plan is None:
            return
        members = _members(county)
        secretariat = members["secretariat"]
        _enter(plan, members, secretariat)
        _feedback(plan, secretariat)
        _adapt(plan, secretariat)
        _reports(plan, secretariat)
