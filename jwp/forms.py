"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError

from jwp import constraints
from jwp.inputs import INT_MAX


def add_service_errors(form: forms.Form, exc: ValidationError | IntegrityError) -> None:
    """Show a service's error next to the fields it names, else on top. A model
    constraint's error (Django's generic one, or the database's IntegrityError) goes to
    the field the constraint is about, in words (``jwp.constraints``)."""
    if isinstance(exc, IntegrityError):
        error = constraints.integrity_error_as_validation(exc)
        if error is None:
            raise exc
        exc = error
    for field, errors in constraints.translate_errors(exc).items():
        form.add_error(field if field in form.fields else None, errors)


class BoundedIntegerField(forms.IntegerField):
    """An integer the database column can hold: a number past the column's range is a
    field error ("at most …"), not a 500 when the row is saved."""

    def __init__(self, *, max_value=INT_MAX, min_value=-INT_MAX - 1, **kwargs):
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)


class ConstraintErrorsMixin:
    """For every ModelForm: the model's constraints are checked as the database will
    check them (unique constraints with ``county`` included, when the county is known)
    and each broken one is an error on its field, in words, instead of
    ``Constraint "x" is violated.`` on top or an IntegrityError on save.

    A form whose instance has no county yet (a new row) says which county it is for
    with ``constraint_county`` (set in ``__init__``)."""

    constraint_county = None

    def _post_clean(self):
        super()._post_clean()
        # Django's own pass put its generic constraint messages on top: ours replace them.
        generic = constraints.generic_messages()
        if NON_FIELD_ERRORS in self._errors:
            kept = [e for e in self._errors.pop(NON_FIELD_ERRORS) if e not in generic]
            if kept:
                self.add_error(None, kept)
        instance = self.instance
        if self.constraint_county is not None and getattr(instance, "county_id", 1) is None:
            instance.county_id = getattr(self.constraint_county, "pk", self.constraint_county)
        exclude = self._get_validation_exclusions()
        for field, messages in constraints.validate_constraints(instance, exclude=exclude).items():
            target = field if field in self.fields else None
            if target is not None and target in self._errors:
                continue  # the field's own error comes first
            self.add_error(target, messages)
