"""Uploads are decoded, not sniffed (issue 13, point 7; finding L4 and the uploads
findings): decompression bombs, truncated photos, HTML named PDF and ZIP bombs are
refused with a field error, and an oversized body is refused before it is read."""

import io
import struct
import zipfile
import zlib

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from counties.services import imports
from jwp.uploads import MAX_OFFICE_UNCOMPRESSED_BYTES, validate_document
from tests import factories

IMAGES = ("png", "jpeg")


def _png_header(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes that claims width × height pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (width // 8 + 1) * 4)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _image(kind: str, size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (11, 110, 79)).save(out, kind.upper())
    return out.getvalue()


def _upload(data: bytes, name="file.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _refusal(data: bytes, kinds=("pdf", "docx", "xlsx", *IMAGES)) -> str:
    with pytest.raises(ValidationError) as error:
        validate_document(_upload(data), kinds=kinds)
    return " ".join(error.value.messages)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _docx(extra: dict[str, bytes] | None = None) -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            **(extra or {}),
        }
    )


# --- images ---------------------------------------------------------------------------


def test_real_png_and_jpeg_are_accepted():
    assert validate_document(_upload(_image("png")), kinds=IMAGES) == "png"
    assert validate_document(_upload(_image("jpeg")), kinds=IMAGES) == "jpeg"


def test_a_20000_by_20000_png_is_refused_from_its_header():
    bomb = _png_header(20_000, 20_000)
    assert len(bomb) < 200
    assert "more pixels than can be opened safely" in _refusal(bomb)


def test_an_image_over_the_pixel_limit_but_under_pillows_own_is_refused():
    assert "the limit is 40 megapixels" in _refusal(_png_header(8_000, 8_000))


def test_a_truncated_jpeg_is_refused():
    photo = _image("jpeg", (320, 240))
    assert "damaged" in _refusal(photo[: len(photo) * 2 // 3])


def test_a_truncated_png_is_refused():
    picture = _image("png", (320, 240))
    assert "damaged" in _refusal(picture[: len(picture) // 2])


# --- PDFs -----------------------------------------------------------------------------


def test_a_real_pdf_is_accepted():
    assert validate_document(_upload(factories.PDF_BYTES), kinds=("pdf",)) == "pdf"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        factories.PDF_BYTES[:-60],
    ],
    ids=["html", "no-pages", "truncated"],
)
def test_a_file_that_only_starts_like_a_pdf_is_refused(data):
    assert "damaged or not what it claims to be" in _refusal(data, kinds=("pdf",))


# --- Office files ---------------------------------------------------------------------


def test_a_real_docx_is_accepted():
    assert validate_document(_upload(_docx()), kinds=("docx",)) == "docx"


def test_a_docx_that_expands_beyond_the_limit_is_refused_before_it_is_unpacked(monkeypatch):
    bomb = _docx({"word/media/padding.xml": b"a" * (MAX_OFFICE_UNCOMPRESSED_BYTES + 1)})
    assert len(bomb) < 1024 * 1024
    monkeypatch.setattr(zipfile.ZipFile, "testzip", lambda self: pytest.fail("unpacked"))
    assert "the limit is 100 MB" in _refusal(bomb, kinds=("docx",))


def test_a_docx_with_a_corrupt_member_is_refused():
    data = bytearray(_docx({"word/styles.xml": b"<w:styles>" + b"x" * 5000}))
    at = data.find(b"word/styles.xml") + len("word/styles.xml") + 5  # inside its data
    data[at : at + 4] = b"\xff\xff\xff\xff"
    assert "damaged" in _refusal(bytes(data), kinds=("docx",))


# --- XLSX imports (L4) ----------------------------------------------------------------


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append([c.name for c in imports.IMPORT_COLUMNS])
    book.active.append([c.example for c in imports.IMPORT_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_member(xlsx: bytes, name: str, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    members = {info.filename: source.read(info) for info in source.infolist()}
    return _zip({**members, name: data})


@pytest.fixture
def openpyxl_never_reads(monkeypatch):
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("read"))


def test_an_xlsx_whose_text_expands_past_20_mb_is_refused_before_openpyxl_reads_it(
    openpyxl_never_reads,
):
    text = b"<sst><si><t>" + b"A" * (21 * 1024 * 1024) + b"</t></si></sst>"
    bomb = _with_member(_workbook(), "xl/sharedStrings.xml", text)
    assert len(bomb) < imports.MAX_IMPORT_BYTES
    with pytest.raises(ValidationError) as error:
        imports.import_read_file(_upload(bomb, "register.xlsx"))
    assert "the limit is 20 MB" in " ".join(error.value.messages)


def test_an_xlsx_with_too_many_cells_is_refused_before_openpyxl_reads_it(openpyxl_never_reads):
    cells = b'<c r="A1" t="n"><v>1</v></c>' * (imports.MAX_XLSX_CELLS + 1)
    sheet = b"<worksheet><sheetData><row>" + cells + b"</row></sheetData></worksheet>"
    bomb = _with_member(_workbook(), "xl/worksheets/sheet1.xml", sheet)
    with pytest.raises(ValidationError) as error:
        imports.import_read_file(_upload(bomb, "register.xlsx"))
    assert f"more than {imports.MAX_XLSX_CELLS:,} cells" in " ".join(error.value.messages)


def test_cells_are_counted_across_chunk_boundaries_and_namespace_prefixes():
    cell = b'<x:c r="A1"/>'
    sheet = b"<x:worksheet>" + cell * 20_000 + b"<c>1</c></x:worksheet>"
    xlsx = _with_member(_workbook(), "xl/worksheets/sheet1.xml", sheet)
    assert imports._count_cells(io.BytesIO(xlsx)) == 20_001


def test_an_ordinary_xlsx_is_still_read():
    parsed = imports.import_read_file(_upload(_workbook(), "register.xlsx"))
    assert parsed.kind == "xlsx"


# --- forms keep what was typed; oversized bodies are refused unread --------------------


@pytest.mark.django_db
def test_a_refused_annex_is_a_field_error_that_keeps_the_title(client, county, secretariat):
    factories.JointWorkPlanFactory(county=factories.turkana())  # a neighbour, untouched
    plan = factories.JointWorkPlanFactory(county=county)
    client.force_login(secretariat)
    url = reverse("workplans:annexes", args=[county.slug, plan.pk])
    html_as_pdf = _upload(b"%PDF-1.7\n<html><script>alert(1)</script></html>", "minutes.pdf")
    response = client.post(url, {"title": "Inception minutes", "file": html_as_pdf})
    assert response.status_code == 200
    page = response.content.decode()
    assert "damaged or not what it claims to be" in page
    assert 'value="Inception minutes"' in page


class _CountingInput(io.BytesIO):
    """The request body as the server hands it over, counting what Django reads."""

    taken = 0

    def read(self, size=-1):
        data = super().read(size)
        self.taken += len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.taken += len(data)
        return data


def _post_declaring(client, url: str, declared: int) -> tuple:
    body = _CountingInput(b"--x\r\n" + b"0" * 1024)
    response = client.post(
        url,
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(declared),
        **{"wsgi.input": body},
    )
    return response, body


@pytest.mark.django_db
def test_verify_refuses_an_anonymous_100_mb_upload_without_reading_it():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # refused before CSRF would parse the body
    response, body = _post_declaring(client, reverse("verify"), 100 * 1024 * 1024)
    assert response.status_code == 413
    assert body.taken == 0
    page = response.content.decode()
    assert "What you sent is 100.0 MB; this page accepts at most 20 MB." in page
    assert 'type="file"' in page  # the form is there to try again


@pytest.mark.django_db
def test_verify_still_takes_a_pdf_under_the_limit(client):
    response = client.post(reverse("verify"), {"file": _upload(factories.PDF_BYTES, "a.pdf")})
    assert response.status_code == 200
    assert "Not a document issued by jwp" in response.content.decode()


@pytest.mark.django_db
def test_any_page_refuses_a_body_over_the_site_limit_unread(client, county, secretariat, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    client.force_login(secretariat)
    url = reverse("counties:stakeholder_import", args=[county.slug])
    response, body = _post_declaring(client, url, 2 * 1024 * 1024)
    assert response.status_code == 413 and body.taken == 0
    assert "this page accepts at most 1 MB" in response.content.decode()
