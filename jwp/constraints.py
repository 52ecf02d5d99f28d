"""Database constraints in the user's words, next to the field they are about.

Django reports a broken ``CheckConstraint`` as ``Constraint "x" is violated.`` on top
of the form, skips every unique constraint that includes ``county`` (the county is
never a form field) and lets the database's ``IntegrityError`` become a 500. This
module is the one place that turns a constraint (by name) into a field error:

- ``constraint_error(model, constraint)``: the field and the message for it;
- ``validate_constraints(instance, exclude=...)``: what ``Model.validate_constraints``
  checks, county-scoped unique constraints included, with each error on its field;
- ``integrity_error_as_validation(exc)``: the same error for a violation the database
  caught (a race between two saves);
- ``translate_errors(exc)``: a model's ValidationError with Django's generic constraint
  messages replaced by ours (what ``full_clean`` in a service raises).

``jwp.forms.ConstraintErrorsMixin`` and ``jwp.forms.add_service_errors`` use them, so
every form shows constraint errors the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models
from django.db.models import F, Q
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Check constraints are named ``<model>_<rule>``; the rule says what went wrong, in
# the same words wherever it is used.
RULE_MESSAGES = {
    "ends_after_start": _("The end is before the start."),
    "period_ordered": _("The end of the period is before its start."),
    "closes_after_opening": _("The closing time must be after the opening time."),
    "amount_not_negative": _("Enter an amount of zero or more."),
    "usd_needs_rate": _("Give the exchange rate for an amount in US dollars (and none in KES)."),
    "quarter_1_4": _("Choose a quarter from 1 to 4."),
    "percent_0_100": _("Enter a percentage from 0 to 100."),
    "rating_1_4": _("Choose a rating from 1 to 4."),
    "amber_below_green": _("Amber must start at or below green."),
    "consent_has_date": _("Give the date consent was recorded."),
    "withdrawal_has_reason": _("Say why the commitment is withdrawn."),
    "sector_lead_has_sector": _("A sector lead needs a sector."),
    "partner_has_organization": _("A partner needs an organization."),
    "objective_xor_activity": _("Attach the indicator to an objective or an activity, not both."),
}

# The field a check constraint is about, when it is not the first one its condition
# names ("A implies B" is about B).
RULE_FIELDS = {
    "consent_has_date": "consent_recorded_at",
    "withdrawal_has_reason": "withdrawn_reason",
    "usd_needs_rate": "exchange_rate",
    "sector_lead_has_sector": "sector",
    "partner_has_organization": "organization",
}


def _condition_fields(condition) -> list[str]:
    """Field names a Q condition refers to, in order (``end_date__gte`` → ``end_date``)."""
    names: list[str] = []
    for child in getattr(condition, "children", [condition]):
        if isinstance(child, Q):
            names += _condition_fields(child)
        elif isinstance(child, tuple):
            names.append(child[0].split("__")[0])
            if isinstance(child[1], F):
                names.append(child[1].name.split("__")[0])
    return names


def _rule(model: type[models.Model], constraint) -> str:
    prefix = f"{model._meta.model_name}_"
    return constraint.name[len(prefix) :] if constraint.name.startswith(prefix) else ""


def constraint_error(model: type[models.Model], constraint) -> tuple[str, str]:
    """(field, message) for a broken constraint of ``model``; field is NON_FIELD_ERRORS
    only when the constraint names no field of its own. A constraint that words its own
    ``violation_error_message`` keeps it."""
    custom = constraint.violation_error_message
    if custom == constraint.default_violation_error_message:
        custom = None  # Django's generic wording: ours below says what is wrong
    if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
        named = [f for f in constraint.fields if f != "county"]
        field = named[-1] if named else NON_FIELD_ERRORS
        if custom:
            return field, str(custom)
        labels = [str(model._meta.get_field(f).verbose_name) for f in named]
        message = _("%(model)s with this %(fields)s already exists in this county.") % {
            "model": capfirst(model._meta.verbose_name),
            "fields": " / ".join(labels),
        }
        return field, message
    rule = _rule(model, constraint)
    fields = _condition_fields(getattr(constraint, "condition", None))
    field = RULE_FIELDS.get(rule) or next((f for f in fields if f != "county"), NON_FIELD_ERRORS)
    message = (
        custom
        or RULE_MESSAGES.get(rule)
        or _("This value breaks the rule “%(rule)s”.")
        % {"rule": (rule or constraint.name).replace("_", " ")}
    )
    return field, str(message)


def validate_constraints(instance: models.Model, *, exclude=()) -> dict[str, list[str]]:
    """Every constraint of the instance's model, checked as the database would, county
    included when the instance has one: ``{field: [message]}``, empty when all hold."""
    model = type(instance)
    exclude = set(exclude)
    if getattr(instance, "county_id", None) is not None:
        exclude.discard("county")
    errors: dict[str, list[str]] = {}
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                constraint.validate(model_class, instance, exclude=exclude)
            except ValidationError:
                field, message = constraint_error(model, constraint)
                errors.setdefault(field, []).append(message)
    return errors


@cache
def _generic_messages(language: str | None) -> dict[str, tuple[str, str]]:
    """Django's own message for each constraint of every model → ours."""
    table: dict[str, tuple[str, str]] = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
                if constraint.condition is not None or constraint.expressions:
                    generic = constraint.get_violation_error_message()
                else:
                    error = model.unique_error_message(model(), model, constraint.fields)
                    generic = error.messages[0]
            else:
                generic = constraint.get_violation_error_message()
            table[str(generic)] = constraint_error(model, constraint)
    return table


def generic_messages() -> dict[str, tuple[str, str]]:
    """Django's generic message of every constraint → (field, our message)."""
    return _generic_messages(get_language())


def translate_errors(exc: ValidationError) -> dict[str, list]:
    """A ValidationError as ``{field: [errors]}`` with Django's generic constraint
    messages moved to their field and put in words."""
    table = generic_messages()
    if not hasattr(exc, "error_dict"):
        exc = ValidationError({NON_FIELD_ERRORS: exc.error_list})
    placed: dict[str, list] = {}
    for field, errors in exc.error_dict.items():
        for error in errors:
            for message in error.messages if hasattr(error, "messages") else [error]:
                target, words = table.get(str(message), (field, message))
                placed.setdefault(target, []).append(words)
    return placed


_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w., ]+)")


def _constraint_named_in(text: str):
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if re.search(rf"\b{re.escape(constraint.name)}\b", text):
                return model, constraint
    # SQLite names the columns of a unique constraint, not the constraint.
    match = _SQLITE_UNIQUE.search(text)
    if match:
        pairs = [c.strip().rsplit(".", 1) for c in match["columns"].split(",")]
        table = pairs[0][0]
        columns = {p[1] for p in pairs}
        for model in apps.get_models():
            if model._meta.db_table != table:
                continue
            for constraint in model._meta.constraints:
                if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
                    cols = {model._meta.get_field(f).column for f in constraint.fields}
                    if cols == columns:
                        return model, constraint
    return None


def integrity_error_as_validation(exc: IntegrityError) -> ValidationError | None:
    """The field error for a constraint the database enforced; None if it names none."""
    found = _constraint_named_in(str(exc))
    if found is None:
        return None
    field, message = constraint_error(*found)
    return ValidationError({field: [message]})


@contextmanager
def integrity_errors() -> Iterator[None]:
    """Around a service's ``transaction.atomic()`` block: a constraint the database
    enforced (two people saving the same name at once) is a ValidationError on its
    field, not a 500. Put it *outside* the atomic block so the rollback has happened."""
    try:
        yield
    except IntegrityError as exc:
        error = integrity_error_as_validation(exc)
        if error is None:
            raise
        raise error from exc


class ConstraintViolationMiddleware:
    """The safety net under the forms: a constraint the database enforced and no form
    caught is answered 400 with the rule in words and a way back, never a 500. (Forms
    show it at the field: ConstraintErrorsMixin, add_service_errors, integrity_errors.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, IntegrityError):
            return None
        error = integrity_error_as_validation(exception)
        if error is None:
            return None
        from django.shortcuts import render
        from django.utils.http import url_has_allowed_host_and_scheme

        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        return render(
            request, "constraint_error.html", {"errors": error.messages, "back": back}, status=400
        )
