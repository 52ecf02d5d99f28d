"""Export of a plan to XLSX (the manual's templates) and import of activities or budget
lines: upload, preview with every row's errors, confirm (as the stakeholder import).

The preview's rows are kept in the session under a one-time token with the file's
SHA-256 and validated again on confirm, so what is saved is exactly what was
previewed and still valid.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from counties.forms import ImportUploadForm
from counties.services.imports import import_read_file
from jwp.access import county_view, get_in_county, require
from jwp.roles import Role
from workplans.models import JointWorkPlan
from workplans.services import spreadsheets as services
from workplans.services.plans import require_editable
from workplans.views.overlaps import plan_editable

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TITLES = {
    "activities": gettext_lazy("Import activities"),
    "budget-lines": gettext_lazy("Import budget lines"),
}


def _plan(request, plan_id: int) -> JointWorkPlan:
    return get_in_county(
        JointWorkPlan.objects.select_related("lead_agency"), request.county, pk=plan_id
    )


def _download(content: bytes, kind: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@county_view()
def plan_spreadsheets(request, plan_id: int):
    """The Export tab: the workbook to download and, for the secretariat, the imports."""
    plan = _plan(request, plan_id)
    editable = plan_editable(plan)
    return render(
        request,
        "workplans/spreadsheets/index.html",
        {
            "plan": plan,
            "tab": "spreadsheets",
            "editable": editable,
            "can_import": editable and request.membership.role == Role.SECRETARIAT,
        },
    )


@require_GET
@county_view()
def plan_export(request, plan_id: int):
    plan = _plan(request, plan_id)
    content = services.workplan_xlsx(plan=plan, membership=request.membership)
    name = f"{slugify(request.county.name)}-jwp-{plan.fiscal_year.replace('/', '-')}"
    if plan.version > 1:
        name += f"-v{plan.version}"
    return _download(content, "xlsx", f"{name}.xlsx")


class PlanImportUploadForm(ImportUploadForm):
    """The stakeholder import's upload form, reading this import's columns."""

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.parsed = import_read_file(upload, columns=self.columns)
        return upload


def _session_key(plan, what: str) -> str:
    return f"workplan_import:{plan.county_id}:{plan.pk}:{what}"


def _columns(what: str) -> list[dict]:
    return [
        {"name": c.name, "required": c.required, "help": services.column_help(c)}
        for c in services.IMPORT_KINDS[what]
    ]


def _page(request, plan, what, **context):
    template = "preview" if "rows" in context else "upload"
    context.setdefault("form", PlanImportUploadForm(columns=services.IMPORT_KINDS[what]))
    return render(
        request,
        f"workplans/spreadsheets/{template}.html",
        {
            "plan": plan,
            "what": what,
            "heading": TITLES[what],
            "columns": _columns(what),
            "url_name": f"workplans:import_{what.replace('-', '_')}",
            **context,
        },
    )


def _refused(request, plan, what, exc: ValidationError):
    messages.error(request, " ".join(exc.messages))
    return redirect("workplans:plan", county_slug=request.county.slug, plan_id=plan.pk)


@county_view()
def plan_import(request, plan_id: int, what: str):
    require(request.membership.role == Role.SECRETARIAT)
    plan = _plan(request, plan_id)
    try:
        require_editable(plan)
    except ValidationError as exc:
        return _refused(request, plan, what, exc)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, plan, what)
    columns = services.IMPORT_KINDS[what]
    form = PlanImportUploadForm(request.POST or None, request.FILES or None, columns=columns)
    if request.method == "POST" and form.is_valid():
        parsed = form.parsed
        rows = services.plan_import_validate(
            plan=plan, membership=request.membership, what=what, rows=parsed.rows
        )
        filename = form.cleaned_data["file"].name
        token = ""
        if all(row.is_valid for row in rows):
            token = secrets.token_urlsafe(16)
            request.session[_session_key(plan, what)] = {
                "token": token,
                "sha256": parsed.sha256,
                "filename": filename,
                "rows": parsed.rows,
            }
        else:
            request.session.pop(_session_key(plan, what), None)
        return _preview(request, plan, what, rows, filename, token, parsed.sha256)
    return _page(request, plan, what, form=form)


def _preview(request, plan, what, rows, filename, token="", sha256=""):
    bad = sum(1 for row in rows if not row.is_valid)
    return _page(
        request,
        plan,
        what,
        rows=rows,
        bad_count=bad,
        filename=filename,
        token=token if not bad else "",
        sha256=sha256,
    )


def _confirm(request, plan, what):
    key = _session_key(plan, what)
    stored = request.session.get(key)
    if (
        not stored
        or not secrets.compare_digest(stored["token"], request.POST.get("token", ""))
        or stored["sha256"] != request.POST.get("sha256", "")
    ):
        messages.error(request, _("This preview is no longer current: upload the file again."))
        return redirect(request.path)
    rows = [(number, values) for number, values in stored["rows"]]
    request.session.pop(key, None)
    try:
        count = services.plan_import_save(
            plan=plan, membership=request.membership, what=what, rows=rows, sha256=stored["sha256"]
        )
    except ValidationError:
        # Something changed since the preview (an activity renamed, the plan frozen …).
        rows = services.plan_import_validate(
            plan=plan, membership=request.membership, what=what, rows=rows
        )
        return _preview(request, plan, what, rows, stored["filename"])
    messages.success(request, _("Imported %(n)d row(s).") % {"n": count})
    target = "workplans:activities" if what == "activities" else "workplans:budget_lines"
    return redirect(
        reverse(target, kwargs={"county_slug": request.county.slug, "plan_id": plan.pk})
    )


@require_GET
@county_view()
def import_template(request, plan_id: int, what: str, file_kind: str):
    _plan(request, plan_id)
    content = services.plan_import_template(what, file_kind)
    return _download(content, file_kind, f"jwp-{what}-import.{file_kind}")
