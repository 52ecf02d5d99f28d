"""One visibility rule per kind of object (jwp.visibility), and the audit's M2 and M3:
a partner saw other partners' budget lines on the progress pages before
consolidation, and anyone could print a draft progress report through the quarterly
report PDF."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from counties.models import Organization
from documents.models import DocumentJob
from jwp.roles import Role
from jwp.tenancy import county_context
from progress.models import ReportStatus
from tests import factories

pytestmark = pytest.mark.django_db

OTHER_LINE = "HIDDEN-LINE-7f3a"
OTHER_AMOUNT = Decimal("7345678.00")
OWN_LINE = "OWN-LINE-2b9c"
DRAFT = "HIDDEN-DRAFT-c41e"


@pytest.fixture
def orgs(db):
    return (
        Organization.objects.create(name="Nawiri Resilience Programme", acronym="Nawiri"),
        Organization.objects.create(name="UNICEF Kenya", acronym="UNICEF"),
    )


@pytest.fixture
def co_creation(county, orgs):
    """A plan in co-creation with one activity funded by both partners."""
    nawiri, unicef = orgs
    plan = factories.JointWorkPlanFactory(county=county, status="co_creation")
    activity = factories.JointActivityFactory(county=county, plan=plan, lead_organization=nawiri)
    factories.BudgetLineFactory(
        county=county, activity=activity, contributor=nawiri, comment=OWN_LINE
    )
    factories.BudgetLineFactory(
        county=county,
        activity=activity,
        contributor=unicef,
        comment=OTHER_LINE,
        amount=OTHER_AMOUNT,
    )
    return plan, activity


def _shows_unicef(page: str) -> bool:
    """UNICEF's amount, alone (an activity's lines) or in a total (the plan's grid)."""
    return "7,345,678" in page or "7,445,678" in page


def _progress_pages(county, plan, activity):
    return (
        reverse("progress:plan", args=[county.slug, plan.pk]),
        reverse("progress:activity", args=[county.slug, activity.pk]),
    )


def test_m2_a_partner_sees_only_its_own_lines_on_progress_pages_before_consolidation(
    as_user, county, make_member, orgs, co_creation
):
    plan, activity = co_creation
    client = as_user(make_member(county, Role.PARTNER, organization=orgs[0]))
    for url in _progress_pages(county, plan, activity):
        page = client.get(url).content.decode()
        assert "100,000" in page, url  # its own line is there
        assert not _shows_unicef(page), url
    with county_context([county]):
        plan.status = "consolidated"
        plan.save()
    for url in _progress_pages(county, plan, activity):  # shared once consolidated
        assert _shows_unicef(client.get(url).content.decode()), url


def test_m2_the_secretariat_sees_every_line_and_the_neighbour_county_gets_404(
    as_user, county, neighbour, secretariat, neighbour_secretariat, co_creation
):
    plan, activity = co_creation
    for url in _progress_pages(county, plan, activity):
        assert _shows_unicef(as_user(secretariat).get(url).content.decode()), url
    neighbour_client = as_user(neighbour_secretariat)
    for url in _progress_pages(county, plan, activity):
        assert neighbour_client.get(url.replace(county.slug, neighbour.slug)).status_code == 404


def test_m2_the_expenditure_api_hides_other_partners_spending_before_consolidation(
    as_user, county, make_member, orgs, co_creation
):
    plan, activity = co_creation
    with county_context([county]):
        lines = {line.contributor_id: line for line in activity.budget_lines.all()}
    for org in orgs:
        factories.ExpenditureFactory(county=county, plan=plan, budget_line=lines[org.pk], quarter=1)
    client = as_user(make_member(county, Role.PARTNER, organization=orgs[0]))
    url = reverse("api:expenditures", args=[county.slug])
    rows = client.get(url).json()["results"]
    assert [r["budget_line"] for r in rows] == [lines[orgs[0].pk].pk]
    with county_context([county]):
        plan.status = "signed"
        plan.save()
    assert len(client.get(url).json()["results"]) == 2


# --- M3: the quarterly report PDF follows the progress report's rule -------------------


@pytest.fixture
def signed_plan(county):
    return factories.JointWorkPlanFactory(county=county, status="signed")


@pytest.fixture
def report_in_review(county, signed_plan):
    return factories.ProgressReportFactory(
        county=county,
        plan=signed_plan,
        quarter=3,
        status=ReportStatus.IN_REVIEW,
        summary=DRAFT,
    )


def _panel(county, plan):
    return reverse("documents:panel", args=[county.slug, "report", plan.pk])


def _download(county, job):
    return reverse("documents:download", args=[county.slug, job.pk])


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ASSEMBLY])
def test_m3_who_may_not_read_the_draft_may_not_request_its_pdf(
    as_user, county, make_member, signed_plan, report_in_review, role
):
    client = as_user(make_member(county, role))
    assert client.get(report_in_review.get_absolute_url()).status_code == 403
    assert client.post(_panel(county, signed_plan), {"quarter": 3}).status_code == 403
    with county_context([county]):
        assert not DocumentJob.objects.for_county(county).exists()
    # a quarter without a written report prints verified results only: allowed
    assert client.post(_panel(county, signed_plan), {"quarter": 2}).status_code == 302


def test_m3_the_panel_offers_only_the_quarters_whose_report_the_member_may_read(
    as_user, county, make_member, secretariat, signed_plan, report_in_review
):
    options = re.compile(r'<option value="(\d)"')
    partner_panel = as_user(make_member(county, Role.PARTNER)).get(_panel(county, signed_plan))
    assert options.findall(partner_panel.content.decode()) == ["1", "2", "4"]
    secretariat_panel = as_user(secretariat).get(_panel(county, signed_plan))
    assert options.findall(secretariat_panel.content.decode()) == ["1", "2", "3", "4"]


def test_m3_a_pdf_the_secretariat_made_of_a_draft_is_not_downloadable_by_others(
    as_user, county, make_member, secretariat, signed_plan, report_in_review
):
    job = factories.DocumentJobFactory(
        county=county,
        kind="report",
        target_id=signed_plan.pk,
        params={"fiscal_year": signed_plan.fiscal_year, "quarter": 3},
        requested_by=secretariat,
    )
    assert as_user(secretariat).get(_download(county, job)).status_code == 200
    for role in (Role.PARTNER, Role.ASSEMBLY, Role.OBSERVER):
        client = as_user(make_member(county, role))
        for name in ("documents:job", "documents:download", "documents:status"):
            assert client.get(reverse(name, args=[county.slug, job.pk])).status_code == 404
        listing = client.get(reverse("documents:jobs", args=[county.slug])).content.decode()
        assert reverse("documents:job", args=[county.slug, job.pk]) not in listing
        panel = client.get(_panel(county, signed_plan)).content.decode()
        assert reverse("documents:job", args=[county.slug, job.pk]) not in panel

    # Shared: a PDF made afterwards is everyone's; the one made of the draft is not.
    with county_context([county]):
        report_in_review.status = ReportStatus.SHARED
        report_in_review.shared_at = timezone.now()
        report_in_review.save()
    after = factories.DocumentJobFactory(
        county=county,
        kind="report",
        target_id=signed_plan.pk,
        params={"fiscal_year": signed_plan.fiscal_year, "quarter": 3},
        requested_by=secretariat,
        requested_at=report_in_review.shared_at + timedelta(minutes=1),
    )
    with county_context([county]):
        DocumentJob.objects.for_county(county).filter(pk=job.pk).update(
            requested_at=report_in_review.shared_at - timedelta(minutes=1)
        )
    observer = as_user(make_member(county, Role.OBSERVER))
    assert observer.get(_download(county, after)).status_code == 200
    assert observer.get(_download(county, job)).status_code == 404
    listing = observer.get(reverse("documents:jobs", args=[county.slug])).content.decode()
    assert reverse("documents:job", args=[county.slug, after.pk]) in listing
    assert reverse("documents:job", args=[county.slug, job.pk]) not in listing


def test_m3_the_twg_member_and_sector_lead_read_drafts_and_the_neighbour_gets_404(
    as_user, county, neighbour, make_member, neighbour_secretariat, signed_plan, report_in_review
):
    from counties.models import StructureKind

    partner = make_member(county, Role.PARTNER)
    structure = factories.StructureFactory(
        county=county, kind=StructureKind.TWG, cycle=signed_plan.fiscal_year
    )
    factories.StructureMemberFactory(
        county=county, structure=structure, user=partner, contact=None, organization=None
    )
    for member in (partner, make_member(county, Role.SECTOR_LEAD)):
        client = as_user(member)
        assert client.post(_panel(county, signed_plan), {"quarter": 3}).status_code == 302
    with county_context([county]):
        job = DocumentJob.objects.for_county(county).first()
    neighbour_client = as_user(neighbour_secretariat)
    assert neighbour_client.get(_download(neighbour, job)).status_code == 404
    url = reverse("documents:panel", args=[neighbour.slug, "report", signed_plan.pk])
    assert neighbour_client.post(url, {"quarter": 3}).status_code == 404
