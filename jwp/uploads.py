"""Uploaded files: checked by their content, stored per county, served only to members.

Browsers and users lie about file types, so the kind of a file is read from
its first bytes (and, for Office files, from the ZIP's own table of contents),
never from its name or the Content-Type header. Then the file is decoded as
that kind, not just sniffed: an image is opened with Pillow, bounded in pixels
(a decompression bomb is refused before it is decoded) and fully decoded (a
truncated photo is refused); a PDF is parsed with pypdf (a file that starts with
``%PDF-`` but is HTML is refused); an Office file is opened as a ZIP whose
uncompressed size is bounded before any of it is read, and every member is
checked.
"""

from __future__ import annotations

import threading
import uuid
import warnings
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_KINDS = {"pdf": "PDF", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)"}
_OFFICE_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# 40 megapixels: more than any phone photo or scanned page. A 20000×20000 PNG of a
# few kilobytes claims 400 million pixels (1.2 GB to decode): refused from its header.
MAX_IMAGE_PIXELS = 40_000_000
# What an Office file may expand to. Pictures in a DOCX are stored compressed
# already, so a real 20 MB document stays near 20 MB; text that expands 250-fold
# (the audit's 0.7 MB workbook of 180 MB) is a bomb.
MAX_OFFICE_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
# What reading a damaged ZIP member raises.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError)

_STRICT_LOCK = threading.Lock()


@contextmanager
def strict_image_decoding():
    """Refuse truncated images and decompression bombs while decoding, whatever the
    process-wide flags say.

    WeasyPrint sets ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` when it is imported
    (a Celery worker that renders PDFs, or a test run), which would let a cut-off
    upload through as a half-grey photo. Pillow's own bomb check only warns below
    twice its limit; here the warning is an error.
    """
    from PIL import Image, ImageFile

    with _STRICT_LOCK, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def too_many_pixels(limit: int = MAX_IMAGE_PIXELS) -> ValidationError:
    """A decompression bomb, or just a huge picture: refused from its header."""
    return ValidationError(
        _(
            "The image has more pixels than can be opened safely; the limit is %(limit)d "
            "megapixels. Send a smaller image."
        )
        % {"limit": limit // 1_000_000},
        code="too_many_pixels",
    )


def sniff_kind(upload) -> str | None:
    """'pdf', 'docx', 'xlsx', 'png', 'jpeg' or None, judged by the bytes."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except ZIP_ERRORS:
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            for kind, marker in _OFFICE_MARKERS.items():
                if marker in names:
                    return kind
    return None


def validate_document(
    upload, *, kinds=tuple(DOCUMENT_KINDS), max_bytes: int = MAX_DOCUMENT_BYTES
) -> str:
    """Return the file's kind, or raise a ValidationError that says what is wrong.

    The kind is sniffed from the first bytes, then the file is decoded as that kind."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": upload.size / 1024 / 1024, "limit": max_bytes // 1024 // 1024}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    kind = sniff_kind(upload)
    if kind not in kinds:
        allowed = ", ".join(DOCUMENT_KINDS.get(k, k.upper()) for k in kinds)
        raise ValidationError(
            _("This file is not a real %(allowed)s file (its content was checked, not its name).")
            % {"allowed": allowed}
        )
    try:
        _DECODERS[kind](upload, kind)
    finally:
        upload.seek(0)
    return kind


def _damaged(kind: str) -> ValidationError:
    return ValidationError(
        _("This %(kind)s file is damaged or not what it claims to be: it could not be opened.")
        % {"kind": DOCUMENT_KINDS.get(kind, kind.upper())},
        code="damaged",
    )


def _decode_image(upload, kind: str) -> None:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with strict_image_decoding(), Image.open(upload, formats=("PNG", "JPEG")) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise too_many_pixels()
            # A JPEG is decoded at an eighth of its size: every byte is still read
            # (a truncated file fails) without holding the full picture in memory.
            image.draft("RGB", (image.width // 8, image.height // 8))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _damaged(kind) from None


def _decode_pdf(upload, kind: str) -> None:
    from pypdf import PdfReader

    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        # An encrypted PDF (often only "no editing" rights) cannot show its pages
        # without a key, but its cross-reference table and trailer were parsed.
        if not reader.is_encrypted and len(reader.pages) == 0:
            raise _damaged(kind)
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds (and RecursionError) for a damaged file
        raise _damaged(kind) from None


def check_zip_bounds(upload, *, max_uncompressed: int, what: str) -> None:
    """Refuse a ZIP (an Office file) that expands beyond ``max_uncompressed`` bytes,
    judged from its table of contents before anything is decompressed. Reading a
    member never yields more than the size the table declares (zipfile stops there
    and checks the CRC), so the declared sizes bound the work."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
    except ZIP_ERRORS:
        raise _damaged(what) from None
    finally:
        upload.seek(0)
    expanded = sum(info.file_size for info in infos)
    if expanded > max_uncompressed or len(infos) > MAX_ZIP_MEMBERS:
        raise ValidationError(
            _(
                "This file expands to %(size)d MB when opened; the limit is %(limit)d MB. "
                "Remove what is not needed (pictures, unused sheets) and try again."
            )
            % {"size": expanded // 1024 // 1024, "limit": max_uncompressed // 1024 // 1024},
            code="too_large_uncompressed",
        )


def _decode_office(upload, kind: str) -> None:
    check_zip_bounds(upload, max_uncompressed=MAX_OFFICE_UNCOMPRESSED_BYTES, what=kind)
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            broken = archive.testzip()  # reads every member, checks its CRC
    except ZIP_ERRORS:
        raise _damaged(kind) from None
    if broken is not None:
        raise _damaged(kind)


_DECODERS = {
    "pdf": _decode_pdf,
    "png": _decode_image,
    "jpeg": _decode_image,
    "docx": _decode_office,
    "xlsx": _decode_office,
}


def county_upload_to(instance, filename: str) -> str:
    """county/<county_id>/<model>/<random>/<clean name>: unguessable, never listed."""
    name = get_valid_filename(PurePosixPath(filename).name)[-120:] or "file"
    return f"county/{instance.county_id}/{instance._meta.model_name}/{uuid.uuid4().hex}/{name}"


def serve_file(field_file, *, download_name: str | None = None) -> FileResponse:
    """Stream a stored file; the caller has already checked the county and role."""
    name = download_name or PurePosixPath(field_file.name).name
    return FileResponse(field_file.open("rb"), as_attachment=True, filename=name)
