"""Demo data of monitoring: indicators of Samburu's signed 2024/25 plan, four quarters
of targets and results in every state (verified, submitted, draft, and one returned to
draft with the secretariat's comment), RAG mixed; values by sex, age group and
disability where the indicator asks for them; an evidence PDF and a short comments
thread. Issue 12's rules are visible: submitted results shown as provisional (the
immunization's Q3, the malnutrition rate's Q3), a decrease-is-better rate rated by its
legend (15.9 % against 14 % needs attention), counts as whole numbers, and a quarter
with a verified result but no target shown "not rated" (the goats' Q3).
Entered through the services, by the secretariat and the responsible partners.
Years are design years (``counties.demo_clock``), moved to today."""

from decimal import ROUND_DOWN, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from counties.demo_clock import fiscal_year, year
from counties.models import Membership
from jwp.roles import Role
from jwp.tenancy import county_context
from monitoring import services
from monitoring.models import GROUPS, Aggregation, Direction, IndicatorLevel, Measure
from workplans.models import JointActivity, JointWorkPlan, Objective, PlanStatus

D = Decimal
V, S, R, Dr = "verified", "submitted", "returned", "draft"

# activity title (or None: the first objective), responsible acronym, fields,
# targets Q1–Q4, results Q1–Q4 as (value, state) or None
INDICATORS = [
    (
        "Integrated outreach for mothers and children",
        "UNICEF",
        {
            "name": "Children under one fully immunized",
            "level": IndicatorLevel.OUTPUT,
            "unit": "children",
            "aggregation": Aggregation.SUM,
            "by_sex": True,
            "data_source": "DHIS2 (MOH 710)",
            "collection_method": "Facility tally sheets",
            "baseline_value": D("2100"),
        },
        ("600", "600", "700", "700"),
        [("610", V), ("540", V), ("470", S), ("690", Dr)],
    ),
    (
        "Nutrition screening of children under five",
        "Nawiri",
        {
            "name": "Children under five screened for malnutrition",
            "level": IndicatorLevel.OUTPUT,
            "unit": "children",
            "aggregation": Aggregation.SUM,
            "by_sex": True,
            "data_source": "Screening registers",
            "collection_method": "MUAC screening at outreach sites",
        },
        ("0", "2500", "2500", "1000"),
        [None, ("2600", V), ("1900", R), ("950", S)],
    ),
    (
        "Livestock vaccination against PPR and CCPP",
        "Nawiri",
        {
            "name": "Goats and sheep vaccinated against PPR",
            "level": IndicatorLevel.OUTPUT,
            "unit": "animals",
            "aggregation": Aggregation.SUM,
            "data_source": "Veterinary department vaccination records",
            "collection_method": "Vaccination certificates per ward",
        },
        # Q3 had no target: the catch-up round after the PPR outbreak was not planned,
        # so its verified result is shown "not rated".
        ("20000", "25000", None, "0"),
        [("21000", V), ("16500", V), ("3200", V), None],
    ),
    (
        None,
        "Nawiri",
        {
            "name": "Global acute malnutrition rate among children under five",
            "level": IndicatorLevel.OUTCOME,
            "measure": Measure.PERCENTAGE,
            "unit": "%",
            "direction": Direction.DECREASE,
            "data_source": "SMART survey / sentinel sites",
            "collection_method": "Anthropometric survey",
            "baseline_value": D("15.8"),
            "plan_target": D("12"),
        },
        ("15", "14", "13", "12"),
        [("14.6", V), ("15.9", V), ("14.2", S), None],
    ),
    (
        "Water user associations set-up",
        "WVK",
        {
            "name": "Water user associations registered and trained",
            "level": IndicatorLevel.PROCESS,
            "unit": "associations",
            "aggregation": Aggregation.SUM,
            "data_source": "Water department register",
            "collection_method": "Certificates of registration",
        },
        ("0", "2", "3", "3"),
        [None, ("2", V), ("1", S), None],
    ),
    (
        "Fodder production and storage training",
        "WVK",
        {
            "name": "Farmers trained in fodder production and storage",
            "level": IndicatorLevel.OUTPUT,
            "unit": "farmers",
            "aggregation": Aggregation.SUM,
            "by_sex": True,
            "by_age_group": True,
            "by_disability": True,
            "data_source": "Training attendance lists",
            "collection_method": "Signed attendance lists per session",
            "plan_target": D("350"),
        },
        ("0", "120", "150", "80"),
        [None, ("118", V), ("131", S), None],
    ),
    (
        "Fodder production and storage training",
        "WVK",
        {
            "name": "Farmers' view of the fodder training",
            "level": IndicatorLevel.OUTCOME,
            "measure": Measure.QUALITATIVE,
            "by_disability": True,
            "data_source": "Focus group discussions",
            "collection_method": "Post-training discussions in two wards",
        },
        (),
        [
            None,
            None,
            ("Farmers store hay in raised sheds; women asked for smaller bales.", V),
            None,
        ],
    ),
]

# Shares of a total per group, in the order of monitoring.models.GROUPS.
SHARES = {
    "sex": ("0.52", "0.48"),
    "age_group": ("0", "0.27", "0.39", "0.34"),
    "disability": ("0.06", "0.94"),
}

THREAD = [
    (
        "secretariat",
        "Q3 is well below the target of 700. Were outreach days in Baragoi cancelled?",
    ),
    (
        "UNICEF",
        "Yes: two outreach days in Baragoi were lost to insecurity in February. Catch-up "
        "days are planned for April; the MOH 710 extract is attached.",
    ),
]

RETURN_COMMENT = (
    "The Q3 figure leaves out Waso ward's outreach; add it from the screening registers "
    "and resubmit."
)


def _members(county) -> dict:
    found = {}
    for m in Membership.objects.for_county(county).select_related("organization", "user"):
        if m.role == Role.SECRETARIAT:
            found.setdefault("secretariat", m)
        elif m.role == Role.PARTNER and m.organization is not None:
            found.setdefault(m.organization.acronym or m.organization.name, m)
    return found


def _split(indicator, total: Decimal) -> dict:
    """The total shared out per group of each category; the last group takes the rest."""
    values = {}
    for category in indicator.categories:
        groups = [g for g, _label in GROUPS[category]]
        parts = [
            (total * D(share)).quantize(D("1"), rounding=ROUND_DOWN)
            for share in SHARES[category][:-1]
        ]
        parts.append(total - sum(parts, D(0)))
        values[category] = dict(zip(groups, parts, strict=True))
    return values


def _pdf(text: str) -> bytes:
    """A one-page PDF saying ``text`` (valid enough for any reader)."""
    stream = f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def seed(demo) -> None:
    county = demo.samburu
    orgs = demo.organizations
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
        activities = {
            a.title: a for a in JointActivity.objects.for_county(county).filter(plan=plan)
        }
        objective = Objective.objects.for_county(county).filter(plan=plan).first()
        for order, (activity, acronym, fields, targets, results) in enumerate(INDICATORS):
            indicator = services.indicator_save(
                membership=secretariat,
                plan=plan,
                objective=objective if activity is None else None,
                activity=activities[activity] if activity else None,
                responsible_organization=orgs[acronym],
                order=order,
                **fields,
            )
            for quarter, value in enumerate(targets, start=1):
                if value is None:
                    continue
                services.target_set(
                    membership=secretariat,
                    indicator=indicator,
                    fiscal_year=plan.fiscal_year,
                    quarter=quarter,
                    value=D(value),
                )
            reporter = members.get(acronym, secretariat)
            for quarter, entry in enumerate(results, start=1):
                if entry is None:
                    continue
                value, state = entry
                result = _result(indicator, plan, quarter, value, state, reporter, secretariat)
                if order == 0 and quarter == 3:
                    _thread(result, members, reporter)


def _evidence(result, reporter) -> None:
    """The immunization's Q3 result: the partner attaches the register extract."""
    services.evidence_add(
        membership=reporter,
        result=result,
        title=f"MOH 710 extract, January–March {year(2025)}",
        upload=SimpleUploadedFile(
            f"moh-710-q3-{result.fiscal_year.replace('/', '-')}.pdf",
            _pdf(f"MOH 710 immunization summary, Samburu, January - March {year(2025)}"),
            content_type="application/pdf",
        ),
    )


def _thread(result, members, reporter) -> None:
    for who, body in THREAD:
        services.comment_add(membership=members.get(who, reporter), result=result, body=body)


def _result(indicator, plan, quarter, value, state, reporter, secretariat):
    qualitative = indicator.measure == Measure.QUALITATIVE
    result = services.result_save_draft(
        membership=reporter,
        indicator=indicator,
        fiscal_year=plan.fiscal_year,
        quarter=quarter,
        value=None if qualitative else D(value),
        narrative=value if qualitative else "",
        disaggregation=None if qualitative else _split(indicator, D(value)),
    )
    if indicator.order == 0 and quarter == 3:
        _evidence(result, reporter)
    if state == "draft":
        return result
    services.result_submit(membership=reporter, result=result)
    if state == "verified":
        services.result_verify(membership=secretariat, result=result)
    elif state == "returned":
        services.result_return(membership=secretariat, result=result, comment=RETURN_COMMENT)
    return result
