"""Quarterly progress reports: prepared by the secretariat, reviewed by the TWG, shared
with all stakeholders; drafts are for the secretariat and the TWG only."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from counties.models import StructureKind
from jwp.roles import Role
from jwp.tenancy import county_context
from progress import selectors, services
from progress.models import ProgressReport, ReportStatus
from tests import factories
from workplans.services.rules import EditConflict

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, status="signed")


def member(county, role, **kw):
    return factories.MembershipFactory(county=county, role=role, **kw)


def twg_partner(county, plan):
    """A partner's representative who sits on the plan's TWG (a platform user)."""
    partner = member(county, Role.PARTNER)
    structure = factories.StructureFactory(
        county=county, kind=StructureKind.TWG, cycle=plan.fiscal_year
    )
    factories.StructureMemberFactory(
        county=county, structure=structure, user=partner.user, contact=None, organization=None
    )
    return partner


def test_the_report_goes_from_draft_to_twg_review_to_shared(plan, county):
    secretariat = member(county, Role.SECRETARIAT)
    reviewer = twg_partner(county, plan)
    activity = factories.JointActivityFactory(county=county, plan=plan)
    factories.ActivityProgressFactory(
        county=county, activity=activity, quarter=1, percent_complete=40, challenges="Rains"
    )
    with county_context([county]):
        report = services.report_create(membership=secretariat, plan=plan, quarter=1)
        with pytest.raises(ValidationError):
            services.report_create(membership=secretariat, plan=plan, quarter=1)
        with pytest.raises(ValidationError) as exc:  # the summary comes first
            services.report_submit(membership=secretariat, report=report)
        assert "summary" in exc.value.error_dict
        services.report_save_narrative(
            membership=secretariat,
            report=report,
            row_version=report.row_version,
            summary="Good first quarter.",
            lessons_narrative="Start outreach before the rains.",
        )
        with pytest.raises(PermissionDenied):  # only the secretariat sends it
            services.report_submit(membership=reviewer, report=report)
        services.report_submit(
            membership=secretariat, report=report, row_version=report.row_version
        )
        assert report.status == ReportStatus.IN_REVIEW and report.snapshot is not None
        # the compilation is frozen: later progress does not change what the TWG reviews
        factories.ActivityProgressFactory(
            county=county, activity=activity, quarter=2, percent_complete=90
        )
        factories.ActivityProgressFactory(county=county, quarter=1, activity__plan=plan)
        data = selectors.report_data(factories.refresh(report))
        assert data["frozen"] and len(data["activities"]) == 1
        # the frozen figures come back from JSON as Decimals and dates, not strings
        assert isinstance(data["expenditure"]["plan"]["budget_kes"], Decimal)
        assert isinstance(data["activities"][0]["start_date"], date)
        assert data["activities"][0]["percent_complete"] == 40
        assert data["challenges"] == [
            {"activity": activity.title, "challenges": "Rains", "solutions": ""}
        ]
        with pytest.raises(ValidationError):  # narrative is locked once submitted
            services.report_save_narrative(membership=secretariat, report=report, summary="x")
        with pytest.raises(PermissionDenied):
            services.report_review(
                membership=member(county, Role.OBSERVER),
                report=report,
                reviewed_on=date(2025, 10, 20),
                comments="",
                accept=True,
            )
        with pytest.raises(ValidationError):  # sharing needs the TWG's review first
            services.report_share(membership=secretariat, report=report)
        services.report_review(
            membership=reviewer,
            report=report,
            reviewed_on=date(2025, 10, 20),
            comments="Clear; add the Waso figures next time.",
            accept=True,
            row_version=report.row_version,
        )
        assert report.status == ReportStatus.REVIEWED and report.reviewed_by == reviewer.user
        services.report_share(membership=secretariat, report=report, row_version=report.row_version)
    report = factories.refresh(report)
    assert report.status == ReportStatus.SHARED and report.shared_by == secretariat.user
    assert report.reviewed_on == date(2025, 10, 20)


def test_the_twg_can_return_the_report_which_unfreezes_it(plan, county):
    secretariat = member(county, Role.SECRETARIAT)
    report = factories.ProgressReportFactory(county=county, plan=plan, summary="S")
    with county_context([county]):
        services.report_submit(membership=secretariat, report=report)
        with pytest.raises(ValidationError) as exc:
            services.report_review(
                membership=secretariat,
                report=report,
                reviewed_on=date(2025, 10, 1),
                comments=" ",
                accept=False,
            )
        assert "comments" in exc.value.error_dict
        services.report_review(
            membership=secretariat,
            report=report,
            reviewed_on=date(2025, 10, 1),
            comments="Explain the low immunization figure.",
            accept=False,
        )
        assert report.status == ReportStatus.DRAFT and report.snapshot is None
        stale = report.row_version - 1
        with pytest.raises(EditConflict):
            services.report_save_narrative(
                membership=secretariat, report=report, row_version=stale, summary="Old"
            )


def test_report_data_has_everything_the_quarterly_report_needs(plan, county):
    secretariat = member(county, Role.SECRETARIAT)
    objective = factories.ObjectiveFactory(county=county, plan=plan)
    activity = factories.JointActivityFactory(county=county, plan=plan, objective=objective)
    line = factories.BudgetLineFactory(county=county, activity=activity, amount=D("200.00"))
    # the treasury released what is spent below, so no reconciliation flag joins the items
    released = factories.CommitmentFactory(
        county=county, activity=activity, contributor=None, amount=D("200.00"), status="confirmed"
    )
    factories.DisbursementFactory(
        county=county, commitment=released, amount=D("100.00"), disbursed_on=date(2025, 7, 15)
    )
    indicator = factories.IndicatorFactory(county=county, plan=plan, objective=objective)
    factories.IndicatorTargetFactory(county=county, indicator=indicator, quarter=2, value=D(100))
    factories.ResultFactory(
        county=county, indicator=indicator, quarter=2, value=D(40), status="verified"
    )
    with county_context([county]):
        services.expenditure_save(
            membership=secretariat, budget_line=line, quarter=1, amount_kes=D("50.00")
        )
        services.expenditure_save(
            membership=secretariat, budget_line=line, quarter=2, amount_kes=D("25.50")
        )
        services.detect_triggers(
            plan=plan, fiscal_year=plan.fiscal_year, quarter=2, today=date(2026, 1, 5)
        )
        report = services.report_create(membership=secretariat, plan=plan, quarter=2)
        data = selectors.report_data(report)
    assert data["period"]["label"] == "2025/26 Q2" and data["period"]["usaid"] == "FY2026 Q1"
    assert data["plan"]["fiscal_year"] == "2025/26" and data["county"] == "Samburu"
    (row,) = data["indicators"]
    assert (row["target"], row["actual"], row["difference"], row["rag"]) == (
        D(100),
        D(40),
        D(-60),
        "red",
    )
    assert data["objectives"][0]["indicators"] == [row]
    assert data["objectives"][0]["activities"][0]["title"] == activity.title
    plan_money = data["expenditure"]["plan"]
    assert plan_money == {
        "budget_kes": D("200.00"),
        "spent_quarter_kes": D("25.50"),
        "spent_to_date_kes": D("75.50"),
        "balance_kes": D("124.50"),
        "utilisation_percent": D("37.8"),
    }
    triggers = sorted(a["trigger"] for a in data["adaptations"])
    assert triggers == ["activity_stalled", "indicator_missed"]
    assert [n["key"] for n in data["narrative"]] == [
        "summary",
        "progress",
        "challenges",
        "lessons",
        "corrective_actions",
    ]
    assert data["lessons"] == [] and data["frozen"] is False


def test_the_report_lists_the_lessons_learned_in_its_quarter(plan, county):
    factories.LessonFactory(county=county, plan=plan, title="Ask women's groups first")
    secretariat = member(county, Role.SECRETARIAT)
    with county_context([county]):
        from learning.models import Lesson

        Lesson.objects.for_county(county).update(created_at=datetime(2025, 8, 9, 9, tzinfo=UTC))
        q1 = services.report_create(membership=secretariat, plan=plan, quarter=1)
        q2 = services.report_create(membership=secretariat, plan=plan, quarter=2)
        assert [x["title"] for x in selectors.report_data(q1)["lessons"]] == [
            "Ask women's groups first"
        ]
        assert selectors.report_data(q2)["lessons"] == []


@pytest.mark.parametrize(
    "role,sees_draft",
    [
        (Role.SECRETARIAT, True),
        (Role.EXECUTIVE, True),
        (Role.SECTOR_LEAD, True),
        (Role.PARTNER, False),
        (Role.ASSEMBLY, False),
        (Role.OBSERVER, False),
    ],
)
def test_drafts_are_for_the_secretariat_and_the_twg_shared_reports_for_everyone(
    client, plan, county, role, sees_draft
):
    draft = factories.ProgressReportFactory(county=county, plan=plan, quarter=3)
    shared = factories.ProgressReportFactory(
        county=county, plan=plan, quarter=1, status=ReportStatus.SHARED
    )
    extra = {"sector": factories.SectorFactory(county=county)} if role == Role.SECTOR_LEAD else {}
    client.force_login(member(county, role, **extra).user)
    listing = client.get(reverse("progress:reports", args=[county.slug, plan.pk]))
    body = listing.content.decode()
    assert ("2025/26 Q3" in body) is sees_draft and "2025/26 Q1" in body
    draft_page = client.get(reverse("progress:report", args=[county.slug, draft.pk]))
    assert draft_page.status_code == (200 if sees_draft else 403)
    assert client.get(reverse("progress:report", args=[county.slug, shared.pk])).status_code == 200


def test_a_partner_on_the_twg_sees_drafts_and_records_the_review(client, plan, county):
    reviewer = twg_partner(county, plan)
    report = factories.ProgressReportFactory(
        county=county, plan=plan, status=ReportStatus.IN_REVIEW, snapshot=None
    )
    client.force_login(reviewer.user)
    page = client.get(reverse("progress:report", args=[county.slug, report.pk]))
    assert page.status_code == 200 and "Record the TWG" in page.content.decode()
    response = client.post(
        reverse("progress:report_review", args=[county.slug, report.pk]),
        {
            "decision": "accept",
            "reviewed_on": "2025-10-20",
            "comments": "Fine",
            "row_version": report.row_version,
        },
    )
    assert response.status_code == 302
    assert factories.refresh(report).status == ReportStatus.REVIEWED
    with county_context([county]):
        assert ProgressReport.objects.for_county(county).count() == 1
