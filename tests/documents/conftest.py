"""Objects of every kind of document, inside Samburu, with names, dates and amounts
the PDF tests look for."""

import subprocess
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from counties.models import Organization
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories

EAT = ZoneInfo("Africa/Nairobi")


def pdf_text(data: bytes, tmp_path) -> str:
    """The text of a PDF as poppler's pdftotext reads it, whitespace folded to single
    spaces (a table cell's text wraps over lines)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def job_pdf(job) -> bytes:
    with job.file.open("rb") as fh:
        return fh.read()


@pytest.fixture
def partner_org(db):
    return Organization.objects.create(name="Nawiri Resilience Programme", acronym="Nawiri")


@pytest.fixture
def other_partner_org(db):
    return Organization.objects.create(name="Kenya Red Cross Society", acronym="KRCS")


@pytest.fixture
def signed_plan(county, partner_org, other_partner_org, make_member):
    """A signed plan with every section filled: objectives, two activities, county and
    partner budget lines (one in USD), an indicator with targets and results, a risk,
    a milestone and three signatures."""
    from monitoring.models import Indicator, IndicatorTarget, Result
    from workplans.models import (
        ActivitySupporter,
        PlanDecision,
        PlanPartner,
        Signature,
    )

    plan = factories.JointWorkPlanFactory(
        county=county,
        fiscal_year="2024/25",
        title="Samburu Resilience Joint Work Plan",
        status="signed",
        start_date=date(2024, 7, 1),
        end_date=date(2025, 6, 30),
        locked_at=datetime(2024, 7, 20, 10, 0, tzinfo=EAT),
    )
    objective = factories.ObjectiveFactory(
        county=county, plan=plan, statement="Reduce acute malnutrition among children"
    )
    water = factories.JointActivityFactory(
        county=county,
        plan=plan,
        title="Rehabilitate Lodungokwe borehole",
        description="Solar pump and storage tank",
        lead_organization=partner_org,
        objective=objective,
        expected_output="Water for 1,200 households",
        start_date=date(2024, 9, 1),
        end_date=date(2025, 3, 31),
    )
    outreach = factories.JointActivityFactory(
        county=county,
        plan=plan,
        title="Integrated outreach for mothers and children",
        lead_organization=other_partner_org,
        start_date=date(2024, 10, 1),
        end_date=date(2025, 6, 30),
    )
    with county_context([county]):
        for org in (partner_org, other_partner_org):
            PlanPartner.objects.create(county=county, plan=plan, organization=org)
        ActivitySupporter.objects.create(
            county=county, activity=water, organization=other_partner_org
        )
    factories.BudgetLineFactory(
        county=county, activity=water, amount=Decimal("2500000.00"), comment="Pump and tank"
    )
    factories.BudgetLineFactory(
        county=county,
        activity=water,
        contributor=partner_org,
        amount=Decimal("10000.00"),
        currency="USD",
        exchange_rate=Decimal("129.5000"),
    )
    factories.BudgetLineFactory(
        county=county, activity=outreach, contributor=other_partner_org, amount=Decimal("750000")
    )
    factories.RiskFactory(county=county, plan=plan, description="Late release of county funds")
    factories.ReviewMilestoneFactory(
        county=county, plan=plan, deliverable="Mid-year review", review_date=date(2025, 1, 15)
    )
    with county_context([county]):
        indicator = Indicator.objects.create(
            county=county,
            plan=plan,
            objective=objective,
            name="Children under five screened",
            unit="children",
            responsible_organization=partner_org,
            aggregation="sum",
            baseline_value=Decimal("1500"),
            plan_target=Decimal("8000"),
        )
        for quarter, target in ((1, "2000"), (2, "2500")):
            IndicatorTarget.objects.create(
                county=county,
                indicator=indicator,
                fiscal_year="2024/25",
                quarter=quarter,
                value=Decimal(target),
            )
        Result.objects.create(
            county=county,
            indicator=indicator,
            fiscal_year="2024/25",
            quarter=1,
            value=Decimal("1900"),
            status="verified",
        )
        Result.objects.create(
            county=county,
            indicator=indicator,
            fiscal_year="2024/25",
            quarter=2,
            value=Decimal("1200"),
            status="verified",
        )
        signed_on = datetime(2024, 7, 18, 11, 0, tzinfo=EAT)
        secretary = make_member(county, Role.EXECUTIVE)
        Signature.objects.create(
            county=county,
            plan=plan,
            capacity="county_secretary",
            signed_by=secretary,
            signer_name="Jane Lenaiyasa",
            signer_title="County Secretary",
            signed_at=signed_on,
        )
        Signature.objects.create(
            county=county,
            plan=plan,
            capacity="cec_finance",
            signed_by=secretary,
            signer_name="Peter Lekalkuli",
            signer_title="CEC Member, Finance",
            signed_at=signed_on,
        )
        Signature.objects.create(
            county=county,
            plan=plan,
            capacity="partner",
            organization=partner_org,
            signed_by=secretary,
            signer_name="Amina Wekesa",
            signer_title="Chief of Party",
            signed_at=signed_on,
        )
        PlanDecision.objects.create(
            county=county,
            plan=plan,
            stage="cec_approval",
            outcome="approved",
            from_status="twg_reviewed",
            to_status="cec_approved",
            reference="CEC/SBR/2024/07/04",
            decided_on=date(2024, 7, 10),
            by=secretary,
            office_title="CEC Member for Finance and Economic Planning",
        )
    return plan


@pytest.fixture
def approved_sector_plan(county):
    """A sector plan approved by the Assembly: one participation window with comments
    (two accepted, one answered), CEC comments and the formal approval at step 46."""
    from sectorplans.models import PlanDecision

    plan = factories.sector_plan(county, title="Water sector plan 2023–2027")
    window = factories.ParticipationWindowFactory(
        county=county,
        plan=plan,
        plan_step=factories.plan_step(plan, 7),
        title="Water points and pasture",
    )
    factories.PublicCommentFactory(
        county=county,
        window=window,
        moderation="accepted",
        response="incorporated",
        response_reason="Added two boreholes",
    )
    factories.PublicCommentFactory(county=county, window=window, moderation="accepted")
    factories.PublicCommentFactory(county=county, window=window, moderation="rejected")
    with county_context([county]):
        PlanDecision.objects.create(
            county=county,
            plan=plan,
            plan_step=plan.steps.get(step__number=11),
            kind="executive_comments",
            body="Align the targets with the CIDP.",
            decided_on=date(2024, 3, 4),
        )
        PlanDecision.objects.create(
            county=county,
            plan=plan,
            plan_step=plan.steps.get(step__number=46),
            kind="formal_approval",
            body="The House adopts the Water Sector Plan.",
            decided_on=date(2024, 6, 27),
            reference="Resolution CA/SBR/45/2024",
        )
        plan.status = "approved"
        plan.approved_on = date(2024, 6, 27)
        plan.approval_reference = "Hansard 27 June 2024"
        plan.save()
    return plan


@pytest.fixture
def nomination(county, partner_org, secretariat):
    from counties.models import Contact

    structure = factories.StructureFactory(
        county=county,
        cycle="2025/26",
        name="Samburu JWP Technical Working Group",
        mandate="Reviews the consolidated joint work plan.",
    )
    with county_context([county]):
        nominee = Contact.objects.create(
            county=county, organization=partner_org, name="Grace Lekupe", position="M&E lead"
        )
    return factories.NominationFactory(
        county=county,
        structure=structure,
        organization=partner_org,
        due_date=date(2025, 8, 15),
        message="Please nominate your M&E lead.",
        invited_by=secretariat,
        invited_at=datetime(2025, 7, 28, 9, 0, tzinfo=EAT),
        nominee=nominee,
        status="nominated",
    )


def membership_of(user, county):
    from counties.models import Membership

    with county_context([county]):
        return Membership.objects.for_county(county).select_related("county", "user").get(user=user)


def ask(**kwargs):
    """services.document_request inside the county's context, as the view calls it."""
    from documents import services

    with county_context([kwargs["membership"].county_id]):
        return services.document_request(**kwargs)


def retry(**kwargs):
    from documents import services

    with county_context([kwargs["membership"].county_id]):
        return services.document_retry(**kwargs)
