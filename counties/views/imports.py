"""Import of the stakeholder register and contacts: upload, preview, confirm.

The preview's rows are kept in the session (JSON: row numbers and texts) under
a one-time token with the file's SHA-256, and validated again on confirm, so
what is saved is exactly what was previewed and still valid.
"""

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from counties import services
from counties.forms import ImportUploadForm
from counties.services.imports import IMPORT_COLUMNS, column_help
from jwp.access import county_view
from jwp.roles import Capability

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _session_key(county) -> str:
    return f"stakeholder_import:{county.pk}"


def _columns() -> list[dict]:
    return [
        {"name": c.name, "required": c.required, "help": column_help(c)} for c in IMPORT_COLUMNS
    ]


def _done_url(county) -> str:
    """The register, once it exists; the contacts otherwise."""
    try:
        return reverse("counties:stakeholders", kwargs={"county_slug": county.slug})
    except NoReverseMatch:
        return reverse("counties:contacts", kwargs={"county_slug": county.slug})


def _preview(request, *, form, rows, filename: str, token: str = "", sha256: str = ""):
    bad = [row for row in rows if not row.is_valid]
    return render(
        request,
        "counties/import/preview.html",
        {
            "form": form,
            "rows": rows,
            "bad_count": len(bad),
            "filename": filename,
            "token": token if not bad else "",
            "sha256": sha256,
            "columns": _columns(),
        },
    )


@county_view(Capability.MANAGE_STAKEHOLDERS)
def stakeholder_import(request):
    county = request.county
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        parsed = form.parsed
        rows = services.import_validate(county=county, rows=parsed.rows)
        filename = form.cleaned_data["file"].name
        token = ""
        if all(row.is_valid for row in rows):
            token = secrets.token_urlsafe(16)
            request.session[_session_key(county)] = {
                "token": token,
                "sha256": parsed.sha256,
                "filename": filename,
                "rows": parsed.rows,
            }
        else:
            request.session.pop(_session_key(county), None)
        return _preview(
            request,
            form=ImportUploadForm(),
            rows=rows,
            filename=filename,
            token=token,
            sha256=parsed.sha256,
        )
    return render(request, "counties/import/upload.html", {"form": form, "columns": _columns()})


def _confirm(request):
    county = request.county
    stored = request.session.get(_session_key(county))
    if (
        not stored
        or not secrets.compare_digest(stored["token"], request.POST.get("token", ""))
        or stored["sha256"] != request.POST.get("sha256", "")
    ):
        messages.error(request, _("This preview is no longer current: upload the file again."))
        return redirect("counties:stakeholder_import", county_slug=county.slug)
    rows = [(number, values) for number, values in stored["rows"]]
    try:
        counts = services.import_save(
            county=county, actor=request.user, rows=rows, sha256=stored["sha256"]
        )
    except ValidationError:
        # Something changed since the preview (a sector renamed, a ward …): show why.
        request.session.pop(_session_key(county), None)
        return _preview(
            request,
            form=ImportUploadForm(),
            rows=services.import_validate(county=county, rows=rows),
            filename=stored["filename"],
        )
    request.session.pop(_session_key(county), None)
    messages.success(
        request,
        _(
            "Imported %(rows)d row(s): %(new)d new and %(updated)d updated register rows, "
            "%(contacts)d new contact(s)."
        )
        % {
            "rows": counts["rows"],
            "new": counts["stakeholders_created"],
            "updated": counts["stakeholders_updated"],
            "contacts": counts["contacts_created"],
        },
    )
    return redirect(_done_url(county))


@require_GET
@county_view(Capability.MANAGE_STAKEHOLDERS)
def import_template(request, kind: str):
    response = HttpResponse(services.import_template(kind), content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="stakeholders-import.{kind}"'
    return response
