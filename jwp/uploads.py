"""Uploaded files: checked by their content, stored per county, served only to members.

Browsers and users lie about file types, so the kind of a file is read from
its first bytes (and, for Office files, from the ZIP's own table of contents),
never from its name or the Content-Type header.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_KINDS = {"pdf": "PDF", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)"}
_OFFICE_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


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
        except zipfile.BadZipFile:
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
    """Return the file's kind, or raise a ValidationError that says what is wrong."""
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
    return kind


def county_upload_to(instance, filename: str) -> str:
    """county/<county_id>/<model>/<random>/<clean name>: unguessable, never listed."""
    name = get_valid_filename(PurePosixPath(filename).name)[-120:] or "file"
    return f"county/{instance.county_id}/{instance._meta.model_name}/{uuid.uuid4().hex}/{name}"


def serve_file(field_file, *, download_name: str | None = None) -> FileResponse:
    """Stream a stored file; the caller has already checked the county and role."""
    name = download_name or PurePosixPath(field_file.name).name
    return FileResponse(field_file.open("rb"), as_attachment=True, filename=name)
