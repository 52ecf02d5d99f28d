"""Spreadsheets of a joint work plan (issue 5, point 9).

Export: the manual's §10.1 templates as an XLSX workbook — sheet "JWP" with the
Joint Work Planning template's sections 1, 2, 3, 6, 7 and 8, sheet "Budget" with
the Budget template (its totals from ``selectors.budget_summary``, in KES).

Import: activities, or budget lines, from a CSV or XLSX file, in the two steps of
the stakeholder import (``counties.services.imports``, whose reading, header
checks and templates are reused): a preview with every row's errors by row and
column, then a save that validates again and creates every row through the
plans' and budget's own services in one transaction — or nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from counties.models import County, Membership, Organization, Sector, Ward
from counties.services.imports import Column, import_template
from jwp import audit
from jwp.roles import Role
from jwp.spreadsheets import safe_row
from workplans import selectors
from workplans.models import (
    ActivityStatus,
    BudgetComponent,
    ContributionKind,
    Currency,
    JointActivity,
    JointWorkPlan,
    Objective,
)
from workplans.services import budget as budget_services
from workplans.services import plans as plan_services

__all__ = [
    "ACTIVITY_COLUMNS",
    "BUDGET_LINE_COLUMNS",
    "IMPORT_KINDS",
    "PlanImportRow",
    "plan_import_save",
    "plan_import_template",
    "plan_import_validate",
    "workplan_xlsx",
]

# --- export -------------------------------------------------------------------

MONEY = "#,##0.00"


def _bold(row) -> None:
    from openpyxl.styles import Font

    for cell in row:
        cell.font = Font(bold=True)


class _Sheet:
    """Append rows to a worksheet, with section titles and bold header rows; every
    cell goes through ``safe_cell`` (text that would run as a formula is made inert)."""

    def __init__(self, sheet):
        self.sheet = sheet

    def blank(self) -> None:
        self.sheet.append([])

    def title(self, text: str) -> None:
        from openpyxl.styles import Font

        self.sheet.append(safe_row([text]))
        self.sheet.cell(row=self.sheet.max_row, column=1).font = Font(bold=True, size=12)

    def header(self, *cells) -> None:
        self.sheet.append(safe_row(cells))
        _bold(self.sheet[self.sheet.max_row])

    def row(self, *cells) -> None:
        self.sheet.append(safe_row(cells))
        for cell in self.sheet[self.sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"

    def money_columns(self, *columns: str) -> None:
        for column in columns:
            for cell in self.sheet[column]:
                if isinstance(cell.value, int | float | Decimal):
                    cell.number_format = MONEY


def _org_names(orgs) -> str:
    return "; ".join(o.name for o in orgs)


def _timeline(start: date, end: date) -> str:
    return f"{start:%d %b %Y} – {end:%d %b %Y}"


def _scope(plan: JointWorkPlan) -> str:
    label = plan.get_scope_level_display()
    return f"{label}: {', '.join(plan.scope_codes)}" if plan.scope_codes else str(label)


def _jwp_sheet(out: _Sheet, plan: JointWorkPlan, county: County) -> None:
    out.title(_("Joint Work Planning Template"))
    out.row(f"{county.name} — {plan}")
    out.blank()
    out.title(_("SECTION 1: GENERAL INFORMATION"))
    out.header(_("Category"), _("Details"))
    partners = selectors.plan_partners(plan=plan)
    for label, value in (
        (_("JWP Title"), plan.title),
        (_("Geographical Scope"), _scope(plan)),
        (_("Lead Agency/Organization"), plan.lead_agency.name),
        (_("Partner Organizations"), _org_names(partners)),
        (_("Start Date"), plan.start_date),
        (_("End Date"), plan.end_date),
        (_("Reporting Period"), plan.get_reporting_frequency_display()),
    ):
        out.row(label, value)
    out.blank()
    out.title(_("SECTION 2: OBJECTIVES AND PRIORITIES"))
    out.header(_("Objective"), _("Priority Area"), _("CIDP/ADP programme"))
    for objective in selectors.plan_objectives(plan=plan):
        out.row(objective.statement, objective.priority_area, objective.programme or "")
    out.blank()
    out.title(_("SECTION 3: JOINT ACTIVITIES AND IMPLEMENTATION PLAN"))
    out.header(
        _("Activity"),
        _("Description"),
        _("Lead Organizations"),
        _("Supporting Organizations"),
        _("Timeline"),
        _("Expected Output/ Outcome"),
        _("Sector"),
        _("Wards"),
        _("Status"),
    )
    for a in selectors.plan_activities(plan=plan):
        out.row(
            a.title,
            a.description,
            a.lead_organization.name,
            _org_names(a.supporting_organizations.all()),
            _timeline(a.start_date, a.end_date),
            a.expected_output,
            a.sector.name,
            "; ".join(w.name for w in a.wards.all()),
            a.get_status_display(),
        )
    out.blank()
    out.title(_("SECTION 6: RISK MANAGEMENT"))
    out.header(
        _("Risk Identified"),
        _("Impact"),
        _("Mitigation Strategy"),
        _("Responsible Entity"),
        _("Likelihood"),
    )
    for risk in selectors.plan_risks(plan=plan):
        out.row(
            risk.description,
            risk.get_impact_display(),
            risk.mitigation,
            risk.responsible,
            risk.get_likelihood_display(),
        )
    out.blank()
    out.title(_("SECTION 7: REVIEW AND REPORTING"))
    out.header(
        _("Milestone/Deliverable"),
        _("Review Date"),
        _("Responsible Parties"),
        _("Progress Notes/Status"),
    )
    for m in selectors.plan_milestones(plan=plan):
        notes = f"{m.get_status_display()}" + (f" — {m.notes}" if m.notes else "")
        out.row(m.deliverable, m.review_date, m.responsible, notes)
    out.blank()
    out.title(_("SECTION 8: APPROVALS"))
    out.header(_("Name"), _("Title"), _("Organization"), _("Signature"), _("Date"))
    for s in selectors.plan_signatures(plan=plan):
        organization = s.organization.name if s.organization else county.name
        out.row(
            s.signer_name,
            s.signer_title or s.get_capacity_display(),
            organization,
            _("Signed in the app") if s.signed_at else "",
            timezone.localtime(s.signed_at).date() if s.signed_at else "",
        )
    for column, width in zip("ABCDEFGHI", (40, 40, 28, 28, 26, 32, 22, 24, 14), strict=True):
        out.sheet.column_dimensions[column].width = width


def _budget_sheet(out: _Sheet, plan: JointWorkPlan, county: County, membership) -> None:
    summary = selectors.budget_summary(county=county, plan=plan, membership=membership)
    partners = [r.label for r in summary.by_contributor if r.key is not None]
    out.title(_("Joint Work Planning Budget Template"))
    out.blank()
    for label, value in (
        (_("Project Title:"), plan.title),
        (_("County Name:"), county.name),
        (_("Implementing Partner(s):"), "; ".join(partners)),
        (_("Budget Year:"), plan.fiscal_year),
        (_("Date of Submission:"), timezone.localdate()),
    ):
        out.row(label, value)
    out.blank()
    out.header(
        _("ACTIVITY/PROJECT COMPONENT"),
        _("DESCRIPTION"),
        _("COUNTY GOVERNMENT CONTRIBUTION (KES)"),
        _("IMPLEMENTING PARTNER CONTRIBUTION (KES)"),
        _("TOTAL ESTIMATED COST (KES)"),
        _("COMMENTS"),
    )
    for number, row in enumerate(summary.by_component, start=1):
        out.row(
            f"{number}. {row.label}",
            row.description,
            row.county,
            row.partners,
            row.total,
            "; ".join(row.comments),
        )
    out.blank()
    out.title(_("TOTAL BUDGET:"))
    out.row(_("County Government Contribution"), "", summary.county)
    out.row(_("Implementing Partner Contribution"), "", summary.partners)
    out.row(_("Total Estimated Cost"), "", summary.total)
    if not summary.shared and membership.role == Role.PARTNER:
        out.row(_("Only your organization's contributions: the plan is not consolidated yet."))
    out.blank()
    out.title(_("APPROVALS AND SIGNATURES:"))
    for s in selectors.plan_signatures(plan=plan):
        name = ", ".join(x for x in (s.signer_name, s.signer_title) if x)
        when = timezone.localtime(s.signed_at).date() if s.signed_at else ""
        out.row(s.get_capacity_display(), name, when)
    out.money_columns("C", "D", "E")
    for column, width in zip("ABCDEF", (40, 44, 22, 22, 22, 40), strict=True):
        out.sheet.column_dimensions[column].width = width


def workplan_xlsx(*, plan: JointWorkPlan, membership: Membership) -> bytes:
    """The plan as the manual's templates: sheets "JWP" and "Budget"."""
    import openpyxl

    county = membership.county
    workbook = openpyxl.Workbook()
    jwp = workbook.active
    jwp.title = "JWP"
    _jwp_sheet(_Sheet(jwp), plan, county)
    _budget_sheet(_Sheet(workbook.create_sheet("Budget")), plan, county, membership)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- import: columns --------------------------------------------------------------

ACTIVITY_COLUMNS = [
    Column("title", True, gettext_lazy("The activity, as in section 3."), "Borehole repair"),
    Column("description", False, gettext_lazy("A brief description."), ""),
    Column(
        "sector",
        True,
        gettext_lazy("A sector of this county, by name, slug or MTEF code."),
        "Health",
    ),
    Column(
        "objective",
        False,
        gettext_lazy("An objective of this plan: its number (1, 2 …) or its text."),
        "1",
    ),
    Column(
        "lead_organization",
        True,
        gettext_lazy("A known organization, by name or acronym."),
        "Kenya Red Cross Society",
    ),
    Column(
        "supporting_organizations",
        False,
        gettext_lazy("Known organizations, by name or acronym, separated by semicolons."),
        "",
    ),
    Column(
        "wards",
        False,
        gettext_lazy(
            "Wards of this county, by name or 4-digit IEBC code, separated by semicolons."
        ),
        "Wamba East",
    ),
    Column("start_date", True, gettext_lazy("YYYY-MM-DD, within the plan's dates."), "2025-09-01"),
    Column("end_date", True, gettext_lazy("YYYY-MM-DD, within the plan's dates."), "2025-12-31"),
    Column("expected_output", False, gettext_lazy("Expected output/outcome."), ""),
    Column("status", False, gettext_lazy("One of %(choices)s (planned by default)."), "planned"),
]

BUDGET_LINE_COLUMNS = [
    Column(
        "activity",
        True,
        gettext_lazy("An activity of this plan, by its title (or its number in the app)."),
        "Borehole repair",
    ),
    Column(
        "contributor",
        False,
        gettext_lazy("A known organization by name or acronym; empty for the county government."),
        "",
    ),
    Column(
        "component",
        True,
        gettext_lazy("A budget component of this county, by name."),
        "Planning and Coordination",
    ),
    Column("kind", False, gettext_lazy("cash (the default) or in_kind."), "cash"),
    Column("amount", True, gettext_lazy("The amount, e.g. 250000 or 250000.50."), "250000"),
    Column("currency", False, gettext_lazy("KES (the default) or USD."), "KES"),
    Column(
        "exchange_rate",
        False,
        gettext_lazy("Required for USD: the rate used, in KES per USD."),
        "",
    ),
    Column("comment", False, gettext_lazy("Comments, as in the Budget template."), ""),
]

IMPORT_KINDS = {"activities": ACTIVITY_COLUMNS, "budget-lines": BUDGET_LINE_COLUMNS}
_CHOICES = {"status": ActivityStatus.values}


def column_help(column: Column) -> str:
    text = str(column.help)
    choices = _CHOICES.get(column.name)
    return text % {"choices": ", ".join(choices)} if choices else text


def plan_import_template(what: str, file_kind: str) -> bytes:
    title = "Activities" if what == "activities" else "Budget lines"
    return import_template(
        file_kind, columns=IMPORT_KINDS[what], sheet_title=title, describe=column_help
    )


# --- import: validating -------------------------------------------------------------


@dataclass
class PlanImportRow:
    """One data row: the text as read, the values it resolves to, and its errors."""

    number: int
    values: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    cleaned: dict = field(default_factory=dict)

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


class _Lookups:
    """Everything rows may name, read once per file (a handful of queries)."""

    def __init__(self, plan: JointWorkPlan, what: str):
        county = plan.county_id
        self.organizations: dict[str, list[Organization]] = {}
        for o in Organization.objects.annotate(lname=Lower("name")):
            self.organizations.setdefault(o.lname, []).append(o)
            if o.acronym:
                self.organizations.setdefault(o.acronym.lower(), []).append(o)
        if what == "activities":
            self.sectors: dict[str, Sector] = {}
            sectors = list(Sector.objects.for_county(county).filter(is_active=True))
            codes = [s.mtef_sector for s in sectors if s.mtef_sector]
            for s in sectors:
                if s.mtef_sector and codes.count(s.mtef_sector) == 1:
                    self.sectors[s.mtef_sector] = s
                self.sectors[slugify(s.name)] = s
                self.sectors[s.slug] = s
            self.wards: dict[str, list[Ward]] = {}
            for w in Ward.objects.filter(county_id=county):
                self.wards.setdefault(slugify(w.name), []).append(w)
                self.wards.setdefault(w.code, []).append(w)
            self.objectives = list(Objective.objects.for_county(county).filter(plan=plan))
        else:
            self.activities: dict[str, list[JointActivity]] = {}
            for a in JointActivity.objects.for_county(county).filter(plan=plan):
                self.activities.setdefault(a.title.strip().lower(), []).append(a)
                self.activities.setdefault(str(a.pk), []).append(a)
            self.components = {
                c.name.lower(): c
                for c in BudgetComponent.objects.for_county(county).filter(is_active=True)
            }

    def organization(self, row: PlanImportRow, column: str, value: str) -> Organization | None:
        found = self.organizations.get(value.strip().lower(), [])
        if len({o.pk for o in found}) == 1:
            return found[0]
        if found:
            row.error(
                column, _("“%(v)s” names several organizations: use the full name.") % {"v": value}
            )
        else:
            row.error(column, _("No known organization is called “%(v)s”.") % {"v": value})
        return None


def _date(row: PlanImportRow, column: str) -> date | None:
    value = row.values[column]
    if not value:
        row.error(column, _("Required."))
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        row.error(column, _("Write the date as YYYY-MM-DD."))
        return None


def _decimal(row: PlanImportRow, column: str, *, required: bool) -> Decimal | None:
    value = row.values[column].replace(",", "").strip()
    if not value:
        if required:
            row.error(column, _("Required."))
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        row.error(column, _("“%(v)s” is not a number.") % {"v": row.values[column]})
        return None
    if not number.is_finite() or number < 0:
        row.error(column, _("Enter a number of zero or more."))
        return None
    return number.quantize(Decimal("0.01") if column == "amount" else Decimal("0.0001"))


def _check_activity_row(row: PlanImportRow, lookups: _Lookups, plan, membership) -> None:
    v, c = row.values, row.cleaned
    if not v["title"]:
        row.error("title", _("Required."))
    elif len(v["title"]) > 200:
        row.error("title", _("At most 200 characters."))
    c["title"], c["description"], c["expected_output"] = (
        v["title"],
        v["description"],
        v["expected_output"],
    )
    sector = lookups.sectors.get(v["sector"].lower()) or lookups.sectors.get(slugify(v["sector"]))
    if not v["sector"]:
        row.error("sector", _("Required."))
    elif sector is None:
        row.error(
            "sector", _("No active sector of this county is called “%(v)s”.") % {"v": v["sector"]}
        )
    c["sector"] = sector
    c["objective"] = None
    if v["objective"]:
        objective = None
        if v["objective"].isdigit() and 0 < int(v["objective"]) <= len(lookups.objectives):
            objective = lookups.objectives[int(v["objective"]) - 1]
        else:
            wanted = v["objective"].strip().lower()
            objective = next(
                (o for o in lookups.objectives if o.statement.strip().lower() == wanted), None
            )
        if objective is None:
            row.error(
                "objective", _("No objective of this plan is “%(v)s”.") % {"v": v["objective"]}
            )
        c["objective"] = objective
    c["lead_organization"] = None
    if not v["lead_organization"]:
        row.error("lead_organization", _("Required."))
    else:
        c["lead_organization"] = lookups.organization(
            row, "lead_organization", v["lead_organization"]
        )
    c["supporting_organizations"] = [
        o
        for name in _split(v["supporting_organizations"])
        if (o := lookups.organization(row, "supporting_organizations", name))
    ]
    wards = []
    for name in _split(v["wards"]):
        found = lookups.wards.get(name) or lookups.wards.get(slugify(name)) or []
        if len(found) == 1:
            wards.append(found[0])
        else:
            row.error("wards", _("No ward of this county is called “%(v)s”.") % {"v": name})
    c["wards"] = wards
    c["start_date"], c["end_date"] = _date(row, "start_date"), _date(row, "end_date")
    status = v["status"].strip().lower() or ActivityStatus.PLANNED
    if status not in ActivityStatus.values:
        row.error("status", _("Write one of: %(c)s.") % {"c": ", ".join(ActivityStatus.values)})
    c["status"] = status
    if row.is_valid:
        _ask_service(row, plan, c)


def _check_budget_row(row: PlanImportRow, lookups: _Lookups, plan, membership) -> None:
    v, c = row.values, row.cleaned
    found = lookups.activities.get(v["activity"].strip().lower(), [])
    c["activity"] = None
    if not v["activity"]:
        row.error("activity", _("Required."))
    elif not found:
        row.error(
            "activity", _("No activity of this plan is called “%(v)s”.") % {"v": v["activity"]}
        )
    elif len(found) > 1:
        row.error(
            "activity",
            _("Several activities are called “%(v)s”: use its number.") % {"v": v["activity"]},
        )
    else:
        c["activity"] = found[0]
    c["contributor"] = None
    if v["contributor"] and v["contributor"].strip().lower() not in ("county", "county government"):
        c["contributor"] = lookups.organization(row, "contributor", v["contributor"])
    contributor_id = c["contributor"].pk if c["contributor"] else None
    if row.is_valid and not budget_services.can_edit_contribution(membership, contributor_id):
        row.error("contributor", _("You may not enter lines for this contributor."))
    c["component"] = lookups.components.get(v["component"].strip().lower())
    if not v["component"]:
        row.error("component", _("Required."))
    elif c["component"] is None:
        row.error("component", _("No budget component is called “%(v)s”.") % {"v": v["component"]})
    kind = v["kind"].strip().lower().replace(" ", "_").replace("-", "_") or ContributionKind.CASH
    if kind not in ContributionKind.values:
        row.error("kind", _("Write cash or in_kind."))
    c["kind"] = kind
    c["amount"] = _decimal(row, "amount", required=True)
    currency = v["currency"].strip().upper() or Currency.KES
    if currency not in Currency.values:
        row.error("currency", _("Write KES or USD."))
    c["currency"] = currency
    c["exchange_rate"] = _decimal(row, "exchange_rate", required=False)
    if len(v["comment"]) > 300:
        row.error("comment", _("At most 300 characters."))
    c["comment"] = v["comment"]
    if row.is_valid:
        try:
            budget_services.clean_money(
                amount=c["amount"], currency=c["currency"], exchange_rate=c["exchange_rate"]
            )
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                for message in messages:
                    row.error(column, message)


def _ask_service(row: PlanImportRow, plan: JointWorkPlan, c: dict) -> None:
    """The plans service's own checks of an activity (dates within the plan's, wards of
    the county, lead not also a supporter): its field errors become column errors."""
    try:
        plan_services._check_activity(plan, c, c["wards"], c["supporting_organizations"])
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for column, messages in exc.message_dict.items():
                for message in messages:
                    row.error(column, message)
        else:
            for message in exc.messages:
                row.error("title", message)


def _require_importer(plan: JointWorkPlan, membership: Membership) -> None:
    if membership.role != Role.SECRETARIAT:
        raise PermissionDenied(_("Only the JWP secretariat imports into a plan."))
    membership.check_same_county(plan)
    plan_services.require_editable(plan)


def plan_import_validate(
    *, plan: JointWorkPlan, membership: Membership, what: str, rows
) -> list[PlanImportRow]:
    """Every row with its errors; nothing is saved."""
    _require_importer(plan, membership)
    lookups = _Lookups(plan, what)
    check = _check_activity_row if what == "activities" else _check_budget_row
    checked = []
    for number, values in rows:
        row = PlanImportRow(number=number, values=dict(values))
        check(row, lookups, plan, membership)
        checked.append(row)
    return checked


def plan_import_save(
    *, plan: JointWorkPlan, membership: Membership, what: str, rows, sha256: str = ""
) -> int:
    """Validate again and create every row through the services, or raise and save nothing."""
    checked = plan_import_validate(plan=plan, membership=membership, what=what, rows=rows)
    bad = [row for row in checked if not row.is_valid]
    if bad:
        raise ValidationError(_("%(n)d row(s) have errors; nothing was saved.") % {"n": len(bad)})
    with transaction.atomic():
        for row in checked:
            c = dict(row.cleaned)
            if what == "activities":
                plan_services.activity_create(
                    plan=plan,
                    membership=membership,
                    wards=c.pop("wards"),
                    supporting_organizations=c.pop("supporting_organizations"),
                    **c,
                )
            else:
                budget_services.budget_line_create(membership=membership, **c)
        audit.record(
            county=membership.county,
            actor=membership.user,
            verb=f"workplan.import.{what}",
            target=plan,
            summary=f"Imported {len(checked)} {what.replace('-', ' ')} row(s) into {plan}",
            data={"rows": len(checked), "sha256": sha256, "workplan": plan.pk},
        )
    return len(checked)
