"""Import of the stakeholder register and contacts: preview with row errors, all or nothing."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from counties.models import Contact, Organization, Stakeholder, StakeholderSector, StakeholderWard
from counties.services.imports import COLUMN_NAMES, MAX_IMPORT_ROWS
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "docs" / "samples" / "stakeholders-import.csv"


def _url(name, county):
    return reverse(f"counties:{name}", kwargs={"county_slug": county.slug})


def _row(**values) -> dict:
    row = {
        "organization": "Kenya Red Cross Society",
        "acronym": "KRCS",
        "category": "cso",
        "interest": "high",
        "influence": "medium",
        "sectors": "Health",
        "wards": "Maralal",
        "contact_name": "Daniel Lopeyok",
        "contact_email": "daniel@example.org",
        "lawful_basis": "legitimate_interest",
    }
    return {**row, **values}


def _csv(rows: list[dict], header=None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or COLUMN_NAMES, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx(rows: list[dict]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    header = [name.upper() for name in COLUMN_NAMES]  # header names in any case
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name, "") for name in COLUMN_NAMES])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(client, county, content: bytes, name="stakeholders.csv"):
    return client.post(
        _url("stakeholder_import", county), {"file": SimpleUploadedFile(name, content)}
    )


def _confirm(client, county, response):
    return client.post(
        _url("stakeholder_import", county),
        {"token": response.context["token"], "sha256": response.context["sha256"]},
    )


def _saved(county) -> dict[str, int]:
    with county_context([county]):
        return {
            "stakeholders": Stakeholder.objects.for_county(county).count(),
            "contacts": Contact.objects.for_county(county).count(),
            "imports": AuditEvent.objects.for_county(county)
            .filter(verb="stakeholder.import")
            .count(),
        }


NOTHING = {"stakeholders": 0, "contacts": 0, "imports": 0}


@pytest.fixture
def sec_client(client, secretariat):
    client.force_login(secretariat)
    return client


def test_import_with_one_bad_row_saves_nothing_and_reports_the_row_and_column(sec_client, county):
    rows = [
        _row(),
        _row(organization="World Vision Kenya", influence="enormous", contact_email="wv@x.org"),
        _row(organization="Caritas Maralal", category="faith_based", contact_email="c@x.org"),
    ]
    response = _upload(sec_client, county, _csv(rows))
    assert response.status_code == 200
    checked = response.context["rows"]
    assert [row.number for row in checked] == [2, 3, 4]  # the header is row 1
    assert checked[1].errors == [("influence", "“enormous” is not high, medium or low.")]
    assert checked[0].is_valid and checked[2].is_valid
    page = response.content.decode()
    assert "1 row has errors." in page and "Nothing was saved." in page
    assert "<strong>influence</strong>" in page
    assert response.context["token"] == ""  # no way to confirm
    assert "Import 3 rows" not in page
    assert _saved(county) == NOTHING
    assert not Organization.objects.filter(name="Caritas Maralal").exists()


def test_a_valid_file_is_previewed_then_imported_in_one_go(sec_client, county, secretariat):
    factories.OrganizationFactory(name="World Vision Kenya", category="implementing_partner")
    rows = [
        _row(wards="Maralal; 0672", sectors="health; Education; arud", preg_partner="yes"),
        _row(
            organization="world vision kenya",  # matched regardless of case
            category="",
            contact_name="Ruth Letoiye",
            contact_email="",
            lawful_basis="consent",
            consent_date="2025-03-03",
            consent_note="Signed the forum register",
        ),
        _row(organization="Samburu Women Trust", category="community", contact_name="")
        | {"contact_email": "", "lawful_basis": ""},
    ]
    preview = _upload(sec_client, county, _csv(rows))
    assert all(row.is_valid for row in preview.context["rows"])
    assert "Import 3 rows" in preview.content.decode()
    assert _saved(county) == NOTHING  # the preview saves nothing

    response = _confirm(sec_client, county, preview)
    assert response.status_code == 302
    assert _saved(county) == {"stakeholders": 3, "contacts": 2, "imports": 1}
    with county_context([county]):
        red_cross = Stakeholder.objects.for_county(county).get(
            organization__name="Kenya Red Cross Society"
        )
        assert red_cross.key_contact.name == "Daniel Lopeyok"
        assert red_cross.is_preg_partner is True
        assert sorted(
            StakeholderSector.objects.for_county(county)
            .filter(stakeholder=red_cross)
            .values_list("sector__slug", flat=True)
        ) == ["agriculture-rural-urban-development", "education", "health"]  # by name, slug, MTEF
        assert sorted(
            StakeholderWard.objects.for_county(county)
            .filter(stakeholder=red_cross)
            .values_list("ward__code", flat=True)
        ) == ["0663", "0672"]
        ruth = Contact.objects.for_county(county).get(name="Ruth Letoiye")
        event = AuditEvent.objects.for_county(county).get(verb="stakeholder.import")
    assert ruth.lawful_basis == "consent" and ruth.consent_note == "Signed the forum register"
    assert ruth.organization.name == "World Vision Kenya"
    assert Organization.objects.filter(name__iexact="world vision kenya").count() == 1
    assert event.actor == secretariat
    assert event.data["organizations_created"] == 2
    assert event.data["stakeholders_created"] == 3
    assert event.data["contacts_created"] == 2


def test_reimporting_updates_rows_and_contacts_instead_of_duplicating(sec_client, county):
    content = _csv([_row()])
    _confirm(sec_client, county, _upload(sec_client, county, content))
    again = _csv([_row(influence="high", remarks="Now leads the WASH cluster", wards="")])
    _confirm(sec_client, county, _upload(sec_client, county, again))
    assert _saved(county) == {"stakeholders": 1, "contacts": 1, "imports": 2}
    with county_context([county]):
        row = Stakeholder.objects.for_county(county).get()
        wards = StakeholderWard.objects.for_county(county).filter(stakeholder=row).count()
    assert (row.influence, row.remarks) == ("high", "Now leads the WASH cluster")
    assert wards == 1  # an empty cell leaves the wards as they were


def test_xlsx_with_headers_in_capitals_is_read(sec_client, county):
    response = _upload(sec_client, county, _xlsx([_row()]), name="register.xlsx")
    assert [row.is_valid for row in response.context["rows"]] == [True]
    _confirm(sec_client, county, response)
    assert _saved(county)["stakeholders"] == 1


def test_a_ward_of_another_county_is_an_error(sec_client, county):
    # Kaeris (0611) is a ward of Turkana, the neighbour.
    response = _upload(sec_client, county, _csv([_row(wards="Kaeris; 0611; Nowhere")]))
    (row,) = response.context["rows"]
    assert [column for column, _m in row.errors] == ["wards", "wards", "wards"]
    messages = [m for _c, m in row.errors]
    assert "“Kaeris” is a ward of another county, not of Samburu." in messages
    assert "“Nowhere” is not a ward of Samburu." in messages
    assert _saved(county) == NOTHING


def test_row_errors_name_their_columns(sec_client, county):
    rows = [
        _row(organization="", contact_email="not-an-address"),
        _row(organization="New NGO", category="alien", sectors="Space"),
        _row(lawful_basis="consent"),
        _row(organization="Kenya Red Cross Society", acronym="dup"),  # again, case aside
        _row(organization="Another", category="cso", contact_name="", lawful_basis="consent"),
    ]
    response = _upload(sec_client, county, _csv(rows))
    errors = {row.number: {c for c, _m in row.errors} for row in response.context["rows"]}
    assert errors[2] == {"organization", "contact_email"}
    assert errors[3] == {"category", "sectors"}
    assert errors[4] == {"consent_date", "consent_note"}
    assert errors[5] == {"organization"}  # Kenya Red Cross Society again: one row each
    assert errors[6] == {"contact_name"}


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"", "empty.csv", "The submitted file is empty."),
        (bytes(range(256)) * 40, "junk.csv", "This is not a CSV or XLSX file"),
        ("organización\n".encode("latin-1"), "latin.csv", "not UTF-8 text"),
        (b"%PDF-1.4 a pdf", "register.csv", "This is a PDF file"),
        (b"PK\x03\x04 not a zip", "register.xlsx", "This is not a CSV or XLSX file"),
        (b"name,interest\nX,high\n", "missing.csv", "lacks the required column(s): organization"),
        (b"organization,interest,influence,colour\n", "unknown.csv", "Unknown column(s): colour"),
        (b"organization,interest,influence\n", "header-only.csv", "no rows of data"),
        (b"\n\n", "blank.csv", "no header row"),
    ],
)
def test_malformed_files_give_a_clear_message_and_save_nothing(
    sec_client, county, content, name, message
):
    response = _upload(sec_client, county, content, name=name)
    assert response.status_code == 200
    assert "counties/import/upload.html" in [t.name for t in response.templates]
    assert message in " ".join(response.context["form"].errors["file"])
    assert _saved(county) == NOTHING


def test_a_3_mb_file_is_refused_on_the_form(sec_client, county):
    big = b"organization,interest,influence\n" + b"x" * (3 * 1024 * 1024)
    response = _upload(sec_client, county, big)
    assert "the limit is 2 MB" in " ".join(response.context["form"].errors["file"])
    assert _saved(county) == NOTHING


def test_more_than_1000_rows_are_refused(sec_client, county):
    rows = [_row(organization=f"Org {i}", category="cso") for i in range(MAX_IMPORT_ROWS + 1)]
    response = _upload(sec_client, county, _csv(rows))
    assert "more than 1000 rows" in " ".join(response.context["form"].errors["file"])


def test_a_stale_or_forged_token_saves_nothing(sec_client, county):
    preview = _upload(sec_client, county, _csv([_row()]))
    forged = sec_client.post(
        _url("stakeholder_import", county),
        {"token": "forged", "sha256": preview.context["sha256"]},
    )
    assert forged.status_code == 302
    assert _saved(county) == NOTHING
    assert _confirm(sec_client, county, preview).status_code == 302
    assert _confirm(sec_client, county, preview).status_code == 302  # a second time: no-op
    assert _saved(county) == {"stakeholders": 1, "contacts": 1, "imports": 1}


def test_confirm_validates_again(sec_client, county):
    preview = _upload(sec_client, county, _csv([_row(sectors="Blue economy")]))
    assert not preview.context["rows"][0].is_valid
    factories.SectorFactory(county=county, name="Blue economy", slug="blue-economy")
    preview = _upload(sec_client, county, _csv([_row(sectors="Blue economy")]))
    with county_context([county]):
        from counties.models import Sector

        Sector.objects.for_county(county).filter(slug="blue-economy").delete()
    response = _confirm(sec_client, county, preview)
    assert response.status_code == 200
    assert response.context["bad_count"] == 1
    assert _saved(county) == NOTHING


def test_the_sample_file_in_the_docs_imports_cleanly(sec_client, county):
    response = _upload(sec_client, county, SAMPLE.read_bytes())
    assert [(r.number, r.errors) for r in response.context["rows"] if r.errors] == []
    _confirm(sec_client, county, response)
    assert _saved(county) == {"stakeholders": 5, "contacts": 4, "imports": 1}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_templates_read_back_as_a_file_with_the_documented_columns(sec_client, county, kind):
    response = sec_client.get(_url(f"stakeholder_import_template_{kind}", county))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="stakeholders-import.{kind}"'
    if kind == "csv":
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        header = [cell.value for cell in sheet[1]]
    assert header == COLUMN_NAMES


def test_the_upload_page_documents_every_column(sec_client, county):
    page = sec_client.get(_url("stakeholder_import", county)).content.decode()
    for name in COLUMN_NAMES:
        assert f"<code>{name}</code>" in page


@pytest.mark.parametrize("role", [Role.PARTNER, Role.OBSERVER, Role.EXECUTIVE])
def test_only_the_secretariat_imports(client, county, make_member, role):
    client.force_login(make_member(county, role))
    assert client.get(_url("stakeholder_import", county)).status_code == 403
    response = _upload(client, county, _csv([_row()]))
    assert response.status_code == 403
    assert _saved(county) == NOTHING


def test_the_neighbours_secretariat_cannot_import_here(client, county, neighbour_secretariat):
    client.force_login(neighbour_secretariat)
    assert _upload(client, county, _csv([_row()])).status_code == 404
    assert client.get(_url("stakeholder_import_template_csv", county)).status_code == 404
