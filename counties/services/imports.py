"""Import of the stakeholder register and its contacts from a CSV or XLSX file.

Two steps, so nothing half-done reaches the register: ``import_read_file``
and ``import_validate`` give a preview with every row's errors (by row
number and column); ``import_save`` re-validates and saves all rows in one
transaction, or nothing. Between the two the view keeps the parsed rows (plain
strings, JSON) in the session.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from counties.models import (
    Contact,
    County,
    Gender,
    LawfulBasis,
    Level,
    Organization,
    OrganizationCategory,
    Sector,
    Stakeholder,
    StakeholderSector,
    StakeholderWard,
    Ward,
)
from jwp import audit
from jwp.spreadsheets import safe_row
from jwp.uploads import ZIP_ERRORS, check_zip_bounds, sniff_kind

__all__ = [
    "IMPORT_COLUMNS",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "MAX_XLSX_CELLS",
    "MAX_XLSX_UNCOMPRESSED_BYTES",
    "ImportRow",
    "ParsedFile",
    "import_read_file",
    "import_save",
    "import_template",
    "import_validate",
]

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 1000
MAX_XLSX_LINES = 20 * MAX_IMPORT_ROWS
# Bounds checked from the ZIP before openpyxl reads a workbook (finding L4: a 0.7 MB
# file whose text expanded to 180 MB held a web worker for 15 s and 450 MB).
MAX_XLSX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_XLSX_CELLS = 100 * (MAX_IMPORT_ROWS + 1)  # a thousand rows of up to 100 columns
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str
    example: str = ""


# The documented columns, in template order. Header names are matched without
# regard to case, spaces or hyphens ("Contact name" is contact_name).
IMPORT_COLUMNS = [
    Column(
        "organization",
        True,
        gettext_lazy("Name of the organization; matched to a known one regardless of case."),
        "Kenya Red Cross Society",
    ),
    Column("acronym", False, gettext_lazy("Short name, for a new organization."), "KRCS"),
    Column(
        "category",
        False,
        gettext_lazy("Required for a new organization: one of %(choices)s."),
        "cso",
    ),
    Column("role", False, gettext_lazy("Role / responsibility in the JWP."), "Humanitarian"),
    Column("interest", True, gettext_lazy("Interest in JWP: high, medium or low."), "high"),
    Column("influence", True, gettext_lazy("Level of influence: high, medium or low."), "medium"),
    Column("involvement", False, gettext_lazy("Level of involvement."), "Active participant"),
    Column("communication_strategy", False, gettext_lazy("How to keep them engaged."), ""),
    Column("remarks", False, gettext_lazy("Anything else worth knowing."), ""),
    Column("preg_partner", False, gettext_lazy("USAID/PREG partner: yes or no."), "no"),
    Column(
        "sectors",
        False,
        gettext_lazy(
            "Sectors of this county, by name, slug or MTEF code, separated by semicolons."
        ),
        "Health; education",
    ),
    Column(
        "wards",
        False,
        gettext_lazy(
            "Wards of this county, by name or 4-digit IEBC code, separated by semicolons."
        ),
        "",
    ),
    Column(
        "contact_name",
        False,
        gettext_lazy("Key contact person; the row's contact is created or updated."),
        "",
    ),
    Column("contact_position", False, gettext_lazy("The contact's position."), ""),
    Column("contact_email", False, gettext_lazy("The contact's e-mail address."), ""),
    Column("contact_phone", False, gettext_lazy("The contact's phone number."), ""),
    Column(
        "contact_gender",
        False,
        gettext_lazy("female, male, other or unspecified (the default)."),
        "",
    ),
    Column(
        "lawful_basis",
        False,
        gettext_lazy("Required with a contact (Data Protection Act s.30): one of %(choices)s."),
        "",
    ),
    Column(
        "consent_date",
        False,
        gettext_lazy("Required when the lawful basis is consent: YYYY-MM-DD."),
        "",
    ),
    Column(
        "consent_note",
        False,
        gettext_lazy("Required when the lawful basis is consent: how it was given."),
        "",
    ),
]
COLUMN_NAMES = [c.name for c in IMPORT_COLUMNS]
CONTACT_COLUMNS = [n for n in COLUMN_NAMES if n.startswith("contact_")] + [
    "lawful_basis",
    "consent_date",
    "consent_note",
]
YES = {"yes", "y", "true", "1", "ndiyo"}
NO = {"no", "n", "false", "0", "hapana", ""}


def column_help(column: Column) -> str:
    choices = {
        "category": OrganizationCategory.values,
        "lawful_basis": LawfulBasis.values,
    }.get(column.name)
    text = str(column.help)
    return text % {"choices": ", ".join(choices)} if choices else text


# --- reading the file -------------------------------------------------------


@dataclass
class ParsedFile:
    kind: str  # "csv" or "xlsx"
    sha256: str
    rows: list[tuple[int, dict[str, str]]]  # (row number in the file, column → text)


def _normalise_header(value) -> str:
    return str(value or "").strip().lower().replace(" ", "_").replace("-", "_")


def _cell_text(value) -> str:
    """An XLSX cell as the text a person typed (12.0 → "12", a date → ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time.min else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _csv_lines(upload) -> list[list[str]]:
    raw = upload.read()
    not_text = ValidationError(_("This is not a CSV or XLSX file (its content was checked)."))
    if b"\x00" in raw:
        raise not_text
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _(
                "The CSV file is not UTF-8 text (first bad byte at position %(pos)d). "
                "Save it as “CSV UTF-8” and try again."
            )
            % {"pos": exc.start}
        ) from None
    if _CONTROL_CHARACTERS.search(text):  # binary (a damaged workbook, an image …)
        raise not_text
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        message = _("The CSV file cannot be read: %(error)s") % {"error": exc}
        raise ValidationError(message) from None


def _count_cells(upload) -> int:
    """The cells (``<c>`` elements) of every part of the workbook, counted in the
    ZIP's stream, stopping as soon as the limit is passed."""
    cells = 0
    with zipfile.ZipFile(upload) as archive:
        for info in archive.infolist():
            with archive.open(info) as part:
                carry = b""
                while chunk := part.read(1 << 16):
                    data = carry + chunk
                    cut = data.rfind(b"<")  # a tag cut by the chunk is counted next time
                    cut = len(data) if cut < 0 else cut
                    cells += len(_CELL_TAG.findall(data, 0, cut))
                    carry = data[cut:]
                    if cells > MAX_XLSX_CELLS:
                        return cells
                cells += len(_CELL_TAG.findall(carry + b" "))
    return cells


def _check_xlsx_bounds(upload) -> None:
    check_zip_bounds(upload, max_uncompressed=MAX_XLSX_UNCOMPRESSED_BYTES, what="xlsx")
    try:
        cells = _count_cells(upload)
    except ZIP_ERRORS:
        raise ValidationError(_("The XLSX file is damaged and cannot be read.")) from None
    finally:
        upload.seek(0)
    if cells > MAX_XLSX_CELLS:
        raise ValidationError(
            _(
                "The workbook holds more than %(limit)s cells; an import reads at most "
                "%(rows)s rows. Keep only the sheet to import and delete unused rows and "
                "columns."
            )
            % {"limit": f"{MAX_XLSX_CELLS:,}", "rows": f"{MAX_IMPORT_ROWS:,}"}
        )


def _xlsx_lines(upload) -> list[list[str]]:
    import openpyxl

    _check_xlsx_bounds(upload)

    try:
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise ValidationError(_("The XLSX file is damaged and cannot be read.")) from None
    try:
        sheet = workbook.worksheets[0]
        lines, filled = [], 0
        for values in sheet.iter_rows(values_only=True):
            line = [_cell_text(v) for v in values]
            lines.append(line)
            filled += any(line)
            # Enough to say "too many rows" (header + one too many); a sheet
            # formatted down to row 1,048,576 is cut short instead of read.
            if filled > MAX_IMPORT_ROWS + 1 or len(lines) > MAX_XLSX_LINES:
                break
        return lines
    finally:
        workbook.close()


def import_read_file(upload, *, columns: list[Column] | None = None) -> ParsedFile:
    """Read an uploaded CSV or XLSX, judged by its content; a ValidationError says why not.

    ``columns`` are the documented columns (the stakeholder register's by default);
    other imports (joint work plan activities, budget lines) pass their own."""
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": upload.size / 1024 / 1024, "limit": MAX_IMPORT_BYTES // 1024 // 1024}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    kind = sniff_kind(upload)
    if kind == "xlsx":
        lines = _xlsx_lines(upload)
    elif kind is None:
        kind = "csv"
        lines = _csv_lines(upload)
    else:
        raise ValidationError(
            _("This is a %(kind)s file: upload a CSV or XLSX file.") % {"kind": kind.upper()}
        )
    return ParsedFile(
        kind=kind, sha256=digest.hexdigest(), rows=_rows(lines, columns or IMPORT_COLUMNS)
    )


def _rows(lines: list[list[str]], columns: list[Column]) -> list[tuple[int, dict[str, str]]]:
    names = [c.name for c in columns]
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if any(c.strip() for c in line)]
    if not numbered:
        raise ValidationError(_("The file has no header row and no data."))
    _header_number, header_line = numbered[0]
    header = [_normalise_header(h) for h in header_line]
    unknown = [h for h in header if h and h not in names]
    missing = [c.name for c in columns if c.required and c.name not in header]
    problems = []
    if missing:
        problems.append(
            _("The header row lacks the required column(s): %(cols)s.")
            % {"cols": ", ".join(missing)}
        )
    if unknown:
        problems.append(
            _("Unknown column(s): %(cols)s. The columns are: %(known)s.")
            % {"cols": ", ".join(unknown), "known": ", ".join(names)}
        )
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        problems.append(_("Column(s) appear twice: %(cols)s.") % {"cols": ", ".join(duplicated)})
    if problems:
        raise ValidationError(problems)
    data = numbered[1:]
    if not data:
        raise ValidationError(_("The file has a header row but no rows of data."))
    if len(data) > MAX_IMPORT_ROWS:
        raise ValidationError(
            _("The file has more than %(max)d rows; split it into smaller files.")
            % {"max": MAX_IMPORT_ROWS}
        )
    rows = []
    for number, line in data:
        values = dict.fromkeys(names, "")
        for index, cell in enumerate(line):
            if index < len(header) and header[index]:
                values[header[index]] = str(cell).strip()
        rows.append((number, values))
    return rows


# --- validating rows ----------------------------------------------------------


@dataclass
class ImportRow:
    """One data row: the text as read, what it resolves to, and its errors."""

    number: int
    values: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    organization: Organization | None = None
    stakeholder: Stakeholder | None = None
    sectors: list[Sector] = field(default_factory=list)
    wards: list[Ward] = field(default_factory=list)
    contact: Contact | None = None
    cleaned: dict = field(default_factory=dict)

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _choice(value: str, choices) -> str | None:
    """A choice by value or by label, regardless of case; None if unknown."""
    wanted = value.strip().lower()
    for choice_value, label in choices:
        if wanted in (str(choice_value).lower(), str(label).lower()):
            return choice_value
    return None


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


class _Lookups:
    """Everything the rows refer to, read in a handful of queries for the whole file."""

    def __init__(self, county: County, rows: list[tuple[int, dict[str, str]]]):
        names = {v["organization"].strip().lower() for _n, v in rows if v["organization"].strip()}
        self.organizations = {
            o.lname: o
            for o in Organization.objects.annotate(lname=Lower("name")).filter(lname__in=names)
        }
        self.stakeholders = {
            s.organization_id: s
            for s in Stakeholder.objects.for_county(county).filter(
                organization__in=self.organizations.values()
            )
        }
        self.contacts = defaultdict(list)
        for c in Contact.objects.for_county(county).filter(
            organization__in=self.organizations.values()
        ):
            self.contacts[c.organization_id].append(c)
        # Names are matched loosely (case, punctuation: "El barta" is "El-barta").
        # A sector is also known by its MTEF code ("arud") when only one sector has it.
        self.sectors = {}
        sectors = list(Sector.objects.for_county(county))
        codes = [s.mtef_sector for s in sectors if s.mtef_sector]
        for s in sectors:
            if s.mtef_sector and codes.count(s.mtef_sector) == 1:
                self.sectors[s.mtef_sector] = s
        for s in sectors:
            self.sectors[slugify(s.name)] = s
            self.sectors[s.slug.lower()] = s
        self.wards: dict[str, list[Ward]] = defaultdict(list)
        for w in Ward.objects.filter(county=county):
            self.wards[slugify(w.name)].append(w)
            self.wards[w.code].append(w)
        self.county = county

    def sector(self, value: str) -> Sector | None:
        return self.sectors.get(value.lower()) or self.sectors.get(slugify(value))

    def ward(self, value: str) -> list[Ward]:
        return self.wards.get(value) or self.wards.get(slugify(value)) or []

    def other_county_ward(self, value: str) -> bool:
        return Ward.objects.exclude(county=self.county).filter(code=value).exists() or (
            Ward.objects.exclude(county=self.county).filter(name__iexact=value).exists()
        )

    def existing_contact(self, organization: Organization | None, name: str, email: str):
        """The contact this row updates: same organization, same e-mail (else same name)."""
        if organization is None:
            return None
        for contact in self.contacts.get(organization.pk, []):
            if email and contact.email.lower() == email.lower():
                return contact
        for contact in self.contacts.get(organization.pk, []):
            if not email and contact.name.lower() == name.lower():
                return contact
        return None


def import_validate(*, county: County, rows: list[tuple[int, dict[str, str]]]) -> list[ImportRow]:
    """Check every row against the county's sectors, wards and register; nothing is saved."""
    lookups = _Lookups(county, rows)
    first_row_of: dict[str, int] = {}
    checked = []
    for number, values in rows:
        row = ImportRow(number=number, values=values)
        _check_organization(row, lookups, first_row_of)
        _check_register(row)
        _check_coverage(row, lookups)
        _check_contact(row, lookups)
        checked.append(row)
    return checked


def _check_organization(row: ImportRow, lookups: _Lookups, first_row_of: dict) -> None:
    v = row.values
    name = v["organization"]
    if not name:
        row.error("organization", _("The organization's name is required."))
        return
    if len(name) > 200:
        row.error("organization", _("At most 200 characters."))
        return
    key = name.lower()
    if key in first_row_of:
        row.error(
            "organization",
            _("%(name)s is already on row %(row)d; one row per organization.")
            % {"name": name, "row": first_row_of[key]},
        )
    first_row_of.setdefault(key, row.number)
    row.organization = lookups.organizations.get(key)
    if row.organization is not None:
        row.stakeholder = lookups.stakeholders.get(row.organization.pk)
        return
    if len(v["acronym"]) > 40:
        row.error("acronym", _("At most 40 characters."))
    category = _choice(v["category"], OrganizationCategory.choices)
    if not v["category"]:
        row.error("category", _("A new organization needs a category."))
    elif category is None:
        row.error(
            "category",
            _("Unknown category “%(value)s”; use one of: %(choices)s.")
            % {"value": v["category"], "choices": ", ".join(OrganizationCategory.values)},
        )
    row.cleaned["category"] = category


def _check_register(row: ImportRow) -> None:
    v, cleaned = row.values, row.cleaned
    for column in ("interest", "influence"):
        level = _choice(v[column], Level.choices)
        if not v[column]:
            row.error(column, _("Required: high, medium or low."))
        elif level is None:
            row.error(column, _("“%(value)s” is not high, medium or low.") % {"value": v[column]})
        cleaned[column] = level
    if len(v["involvement"]) > 200:
        row.error("involvement", _("At most 200 characters."))
    preg = v["preg_partner"].lower()
    if preg not in YES | NO:
        row.error("preg_partner", _("Write yes or no."))
    cleaned["is_preg_partner"] = preg in YES


def _check_coverage(row: ImportRow, lookups: _Lookups) -> None:
    for part in _split(row.values["sectors"]):
        sector = lookups.sector(part)
        if sector is None:
            row.error(
                "sectors",
                _("“%(value)s” is not a sector of %(county)s.")
                % {"value": part, "county": lookups.county.name},
            )
        elif sector not in row.sectors:
            row.sectors.append(sector)
    for part in _split(row.values["wards"]):
        matches = lookups.ward(part)
        if len(matches) == 1:
            if matches[0] not in row.wards:
                row.wards.append(matches[0])
        elif len(matches) > 1:
            row.error(
                "wards",
                _("“%(value)s” names more than one ward; use the IEBC code.") % {"value": part},
            )
        elif lookups.other_county_ward(part):
            row.error(
                "wards",
                _("“%(value)s” is a ward of another county, not of %(county)s.")
                % {"value": part, "county": lookups.county.name},
            )
        else:
            row.error(
                "wards",
                _("“%(value)s” is not a ward of %(county)s.")
                % {"value": part, "county": lookups.county.name},
            )


def _check_contact(row: ImportRow, lookups: _Lookups) -> None:
    v, cleaned = row.values, row.cleaned
    name = v["contact_name"]
    if not name:
        given = [c for c in CONTACT_COLUMNS if v[c]]
        if given:
            row.error(
                "contact_name",
                _("Give the contact's name, or leave %(cols)s empty.") % {"cols": ", ".join(given)},
            )
        return
    for column, limit in (("contact_name", 200), ("contact_position", 200), ("contact_phone", 40)):
        if len(v[column]) > limit:
            row.error(column, _("At most %(n)d characters.") % {"n": limit})
    if v["contact_email"]:
        try:
            validate_email(v["contact_email"])
        except ValidationError:
            row.error(
                "contact_email",
                _("“%(value)s” is not an e-mail address.") % {"value": v["contact_email"]},
            )
    gender = _choice(v["contact_gender"] or Gender.UNSPECIFIED, Gender.choices)
    if gender is None:
        row.error("contact_gender", _("Use female, male, other or unspecified."))
    cleaned["gender"] = gender
    basis = _choice(v["lawful_basis"], LawfulBasis.choices)
    if not v["lawful_basis"]:
        row.error(
            "lawful_basis",
            _("A contact needs its lawful basis (Data Protection Act s.30): %(choices)s.")
            % {"choices": ", ".join(LawfulBasis.values)},
        )
    elif basis is None:
        row.error(
            "lawful_basis",
            _("Unknown lawful basis “%(value)s”; use one of: %(choices)s.")
            % {"value": v["lawful_basis"], "choices": ", ".join(LawfulBasis.values)},
        )
    cleaned["lawful_basis"] = basis
    cleaned["consent_recorded_at"], cleaned["consent_note"] = None, ""
    if basis == LawfulBasis.CONSENT:
        _check_consent(row)
    row.contact = lookups.existing_contact(row.organization, name, v["contact_email"])


def _check_consent(row: ImportRow) -> None:
    v = row.values
    if not v["consent_date"]:
        row.error("consent_date", _("Consent needs the date the person agreed (YYYY-MM-DD)."))
    else:
        try:
            day = date.fromisoformat(v["consent_date"][:10])
        except ValueError:
            row.error("consent_date", _("Write the date as YYYY-MM-DD."))
        else:
            if day > timezone.localdate():
                row.error("consent_date", _("The consent date cannot be in the future."))
            row.cleaned["consent_recorded_at"] = timezone.make_aware(
                datetime.combine(day, time.min)
            )
    if not v["consent_note"]:
        row.error("consent_note", _("Say how the person gave consent (e.g. signed form)."))
    elif len(v["consent_note"]) > 300:
        row.error("consent_note", _("At most 300 characters."))
    row.cleaned["consent_note"] = v["consent_note"]


# --- saving -------------------------------------------------------------------

TEXT_FIELDS = {
    "role": "role",
    "involvement": "involvement",
    "communication_strategy": "communication_strategy",
    "remarks": "remarks",
}


def import_save(
    *, county: County, actor, rows: list[tuple[int, dict[str, str]]], sha256: str = ""
) -> dict[str, int]:
    """Validate again and save every row in one transaction, or raise and save nothing.

    Organizations are matched by name (case-insensitive) or created; the
    county's register row of each is created or updated (non-empty cells
    replace, empty cells leave as is; a sectors or wards list replaces the
    old one); a contact is created, or updated when the organization already
    has one with the same e-mail (else name), and becomes the key contact.
    """
    checked = import_validate(county=county, rows=rows)
    bad = [row for row in checked if not row.is_valid]
    if bad:
        raise ValidationError(_("%(n)d row(s) have errors; nothing was saved.") % {"n": len(bad)})
    counts = dict.fromkeys(
        (
            "rows",
            "organizations_created",
            "stakeholders_created",
            "stakeholders_updated",
            "contacts_created",
            "contacts_updated",
        ),
        0,
    )
    with transaction.atomic():
        for row in checked:
            _save_row(county, row, counts)
        counts["rows"] = len(checked)
        audit.record(
            county=county,
            actor=actor,
            verb="stakeholder.import",
            summary=f"Imported {len(checked)} stakeholder row(s) from a file",
            data={**counts, "sha256": sha256},
        )
    return counts


def _save_row(county: County, row: ImportRow, counts: dict[str, int]) -> None:
    v, cleaned = row.values, row.cleaned
    organization = row.organization
    if organization is None:
        organization = Organization(
            name=v["organization"],
            acronym=v["acronym"],
            category=cleaned["category"],
            created_in=county,
        )
        organization.full_clean()
        organization.save()
        counts["organizations_created"] += 1
    stakeholder = row.stakeholder
    creating = stakeholder is None
    if creating:
        stakeholder = Stakeholder(county=county, organization=organization)
    stakeholder.interest, stakeholder.influence = cleaned["interest"], cleaned["influence"]
    for column, attr in TEXT_FIELDS.items():
        if v[column] or creating:
            setattr(stakeholder, attr, v[column])
    if v["preg_partner"] or creating:
        stakeholder.is_preg_partner = cleaned["is_preg_partner"]
    if v["contact_name"]:
        stakeholder.key_contact = _save_contact(county, organization, row, counts)
    stakeholder.full_clean(exclude=["county"])
    stakeholder.save()
    counts["stakeholders_created" if creating else "stakeholders_updated"] += 1
    if v["sectors"]:
        _replace(StakeholderSector, county, stakeholder, "sector", row.sectors)
    if v["wards"]:
        _replace(StakeholderWard, county, stakeholder, "ward", row.wards)


def _save_contact(county: County, organization, row: ImportRow, counts) -> Contact:
    v, cleaned = row.values, row.cleaned
    contact = row.contact or Contact(county=county, organization=organization)
    contact.organization = organization
    contact.name = v["contact_name"]
    for column, attr in (
        ("contact_position", "position"),
        ("contact_email", "email"),
        ("contact_phone", "phone"),
    ):
        if v[column] or row.contact is None:
            setattr(contact, attr, v[column])
    if v["contact_gender"] or row.contact is None:
        contact.gender = cleaned["gender"]
    contact.lawful_basis = cleaned["lawful_basis"]
    contact.consent_recorded_at = cleaned["consent_recorded_at"]
    contact.consent_note = cleaned["consent_note"]
    contact.full_clean(exclude=["county"])
    contact.save()
    counts["contacts_updated" if row.contact else "contacts_created"] += 1
    return contact


def _replace(model, county: County, stakeholder: Stakeholder, field_name: str, objs) -> None:
    """Make the stakeholder's sector (or ward) links exactly ``objs``."""
    model.objects.for_county(county).filter(stakeholder=stakeholder).delete()
    model.objects.bulk_create(
        model(county=county, stakeholder=stakeholder, **{field_name: obj}) for obj in objs
    )


# --- templates ----------------------------------------------------------------


def import_template(
    kind: str,
    *,
    columns: list[Column] | None = None,
    sheet_title: str = "Stakeholders",
    describe=column_help,
) -> bytes:
    """The header row (and a sheet of column notes, for XLSX) to fill in."""
    columns = columns or IMPORT_COLUMNS
    names = [c.name for c in columns]
    if kind == "csv":
        out = io.StringIO()
        csv.writer(out).writerow(safe_row(names))
        return out.getvalue().encode("utf-8-sig")
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(safe_row(names))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    notes = workbook.create_sheet("Columns")
    notes.append(["column", "required", "what to write"])
    for column in columns:
        notes.append(safe_row([column.name, "yes" if column.required else "", describe(column)]))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
