"""Spreadsheets of a joint work plan: the XLSX export laid out like the manual's
templates, and the all-or-nothing import of activities and budget lines."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from counties.models import Ward
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from workplans.models import BudgetLine, JointActivity, PlanStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, status=PlanStatus.CO_CREATION)


@pytest.fixture
def sec_client(as_user, secretariat):
    return as_user(secretariat)


def _url(name, county, plan, **kwargs):
    return reverse(
        f"workplans:{name}", kwargs={"county_slug": county.slug, "plan_id": plan.pk, **kwargs}
    )


def _cells(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _flat(sheet) -> list:
    return [c for row in _cells(sheet) for c in row if c is not None]


# --- export -------------------------------------------------------------------


def test_export_has_the_templates_sections_and_budget_totals(sec_client, county, plan):
    partner = factories.OrganizationFactory(name="Mercy Corps")
    activity = factories.JointActivityFactory(county=county, plan=plan, title="Borehole repair")
    factories.BudgetLineFactory(county=county, activity=activity, amount=Decimal("100000.50"))
    factories.BudgetLineFactory(
        county=county,
        activity=activity,
        contributor=partner,
        amount=Decimal("1000"),
        currency="USD",
        exchange_rate=Decimal("129.3456"),
    )
    factories.RiskFactory(county=county, plan=plan)
    response = sec_client.get(_url("plan_export", county, plan))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["JWP", "Budget"]
    jwp = _flat(book["JWP"])
    for heading in (
        "SECTION 1: GENERAL INFORMATION",
        "SECTION 2: OBJECTIVES AND PRIORITIES",
        "SECTION 3: JOINT ACTIVITIES AND IMPLEMENTATION PLAN",
        "SECTION 6: RISK MANAGEMENT",
        "SECTION 7: REVIEW AND REPORTING",
        "SECTION 8: APPROVALS",
        "JWP Title",
        "Lead Organizations",
        "Expected Output/ Outcome",
        "Borehole repair",
        "Drought delays field work",
    ):
        assert heading in jwp, heading
    budget = _cells(book["Budget"])
    flat = _flat(book["Budget"])
    for heading in ("Project Title:", "County Name:", "Implementing Partner(s):", "Budget Year:"):
        assert heading in flat
    assert county.name in flat and "2025/26" in flat and "Mercy Corps" in flat
    header = next(r for r in budget if r[0] == "ACTIVITY/PROJECT COMPONENT")
    assert header[2:5] == [
        "COUNTY GOVERNMENT CONTRIBUTION (KES)",
        "IMPLEMENTING PARTNER CONTRIBUTION (KES)",
        "TOTAL ESTIMATED COST (KES)",
    ]
    [planning] = [r for r in budget if r[0] == "1. Planning and Coordination"]
    # 1000 USD × 129.3456 = 129,345.60 KES
    assert [Decimal(str(v)) for v in planning[2:5]] == [
        Decimal("100000.5"),
        Decimal("129345.6"),
        Decimal("229346.1"),
    ]
    totals = {
        r[0]: r[2]
        for r in budget
        if r[0] and str(r[0]).startswith(("County Gov", "Impl", "Total E"))
    }
    assert Decimal(str(totals["Total Estimated Cost"])) == Decimal("229346.1")


def test_neighbour_cannot_export(as_user, neighbour_secretariat, county, plan):
    response = as_user(neighbour_secretariat).get(_url("plan_export", county, plan))
    assert response.status_code == 404


# --- import ---------------------------------------------------------------------


ACTIVITY_HEADER = ["title", "sector", "lead_organization", "wards", "start_date", "end_date"]


def _csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx(header, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([h.upper() for h in header])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, county, plan, what, content, name):
    url = _url(f"import_{what.replace('-', '_')}", county, plan)
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _activities(county, plan):
    with county_context([county]):
        return list(JointActivity.objects.for_county(county).filter(plan=plan))


@pytest.fixture
def lead():
    return factories.OrganizationFactory(name="World Vision Kenya", acronym="WVK")


def test_activity_import_with_one_bad_row_saves_nothing_and_names_row_and_column(
    sec_client, county, plan, lead
):
    ward = Ward.objects.filter(county=county).order_by("code").first()
    rows = [
        ["Borehole repair", "health", "WVK", ward.code, "2025-09-01", "2025-12-31"],
        ["Nutrition survey", "Nowhere sector", "WVK", "", "2025-09-01", "2025-12-31"],
        ["Teacher training", "education", "WVK", "", "2025-09-01", "2027-01-01"],
    ]
    response = _upload(sec_client, county, plan, "activities", _csv(ACTIVITY_HEADER, rows), "a.csv")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 rows have errors" in page
    row_numbers = [row.number for row in response.context["rows"] if row.errors]
    assert row_numbers == [3, 4]
    errors = {row.number: [c for c, _m in row.errors] for row in response.context["rows"]}
    assert errors[3] == ["sector"] and errors[4] == ["end_date"]
    assert 'name="token"' not in page
    assert _activities(county, plan) == []


def test_valid_xlsx_is_previewed_then_imported_through_the_services(sec_client, county, plan, lead):
    ward = Ward.objects.filter(county=county).order_by("code").first()
    rows = [
        ["Borehole repair", "health", "World Vision Kenya", ward.name, "2025-09-01", "2025-12-31"],
        ["Measles campaign", "Health", "wvk", ward.code, "2025-10-01", "2025-11-30"],
        ["Teacher training", "education", "WVK", "", "2026-01-01", "2026-03-31"],
    ]
    preview = _upload(
        sec_client, county, plan, "activities", _xlsx(ACTIVITY_HEADER, rows), "a.xlsx"
    )
    assert preview.status_code == 200 and preview.context["token"], preview.content
    assert _activities(county, plan) == []  # nothing before confirming
    response = sec_client.post(
        _url("import_activities", county, plan),
        {"token": preview.context["token"], "sha256": preview.context["sha256"]},
    )
    assert response.status_code == 302
    titles = sorted(a.title for a in _activities(county, plan))
    assert titles == ["Borehole repair", "Measles campaign", "Teacher training"]


def test_budget_line_csv_import_converts_usd_and_refuses_a_bad_row(sec_client, county, plan, lead):
    factories.JointActivityFactory(county=county, plan=plan, title="Borehole repair")
    header = ["activity", "contributor", "component", "amount", "currency", "exchange_rate"]
    good = [
        ["Borehole repair", "", "Planning and Coordination", "250,000", "", ""],
        ["borehole repair", "WVK", "Planning and Coordination", "1000", "USD", "129.5"],
    ]
    bad = [*good, ["Borehole repair", "WVK", "Planning and Coordination", "10", "USD", ""]]
    response = _upload(sec_client, county, plan, "budget-lines", _csv(header, bad), "b.csv")
    errors = [(row.number, row.errors) for row in response.context["rows"] if row.errors]
    assert errors[0][0] == 4 and errors[0][1][0][0] == "exchange_rate"
    preview = _upload(sec_client, county, plan, "budget-lines", _csv(header, good), "b.csv")
    sec_client.post(
        _url("import_budget_lines", county, plan),
        {"token": preview.context["token"], "sha256": preview.context["sha256"]},
    )
    with county_context([county]):
        lines = list(BudgetLine.objects.for_county(county).order_by("id"))
    assert [line.amount_kes for line in lines] == [Decimal("250000.00"), Decimal("129500.00")]
    assert lines[1].contributor == lead


def test_confirm_revalidates_and_saves_nothing_when_the_plan_changed(
    sec_client, county, plan, lead
):
    rows = [["Borehole repair", "health", "WVK", "", "2025-09-01", "2025-12-31"]]
    preview = _upload(sec_client, county, plan, "activities", _csv(ACTIVITY_HEADER, rows), "a.csv")
    with county_context([county]):
        lead.acronym = "WV"
        lead.save()
    response = sec_client.post(
        _url("import_activities", county, plan),
        {"token": preview.context["token"], "sha256": preview.context["sha256"]},
    )
    assert response.status_code == 200 and b"row-error" in response.content
    assert _activities(county, plan) == []


def test_a_locked_plan_refuses_imports(sec_client, county, plan):
    with county_context([county]):
        plan.status, plan.locked_at = PlanStatus.SIGNED, timezone.now()
        plan.save()
    response = sec_client.get(_url("import_activities", county, plan))
    assert response.status_code == 302


def test_only_the_secretariat_imports(as_user, make_member, county, plan):
    client = as_user(make_member(county, Role.PARTNER))
    assert client.get(_url("import_activities", county, plan)).status_code == 403


def test_templates_download_with_the_columns(sec_client, county, plan):
    response = sec_client.get(_url("import_activities_template_csv", county, plan))
    assert response.content.decode("utf-8-sig").startswith("title,description,sector")
    response = sec_client.get(_url("import_budget_lines_template_xlsx", county, plan))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Budget lines", "Columns"]


def test_export_tab_offers_imports_to_the_secretariat_only(
    sec_client, as_user, make_member, county, plan
):
    url = _url("spreadsheets", county, plan)
    page = sec_client.get(url).content.decode()
    assert _url("plan_export", county, plan) in page
    assert _url("import_activities", county, plan) in page
    observer = as_user(make_member(county, Role.OBSERVER)).get(url).content.decode()
    assert _url("import_activities", county, plan) not in observer
