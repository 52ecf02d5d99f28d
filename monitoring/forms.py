"""Forms of the monitoring pages; rules live in monitoring.services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jwp.forms import BoundedIntegerField, ConstraintErrorsMixin, add_service_errors
from monitoring.models import GROUPS, QUARTERS, Category, Indicator
from monitoring.services.evidence import EVIDENCE_KINDS, MAX_EVIDENCE_BYTES
from monitoring.services.figures import rounded

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def step(decimals: int) -> str:
    """The number input's step for an indicator's decimal places: 1 for counts."""
    return str(Decimal(1).scaleb(-decimals))


class IndicatorForm(ConstraintErrorsMixin, forms.ModelForm):
    """All the indicator's fields; ``measures`` picks the objective or activity."""

    measures = forms.ChoiceField(label=_("Measures (objective or activity)"))
    row_version = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = [
            "name",
            "definition",
            "level",
            "measure",
            "unit",
            "direction",
            "baseline_value",
            "baseline_date",
            "plan_target",
            "aggregation",
            "decimals",
            "by_sex",
            "by_age_group",
            "by_disability",
            "data_source",
            "collection_method",
            "frequency",
            "responsible_organization",
            "order",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "baseline_date": DATE,
        }

    def __init__(self, *args, objectives, activities, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = {str(o.pk): o for o in objectives}
        self.activities = {str(a.pk): a for a in activities}
        choices = [("", "—")]
        if self.objectives:
            choices.append(
                (
                    _("Objectives"),
                    [(f"objective:{k}", o.statement[:120]) for k, o in self.objectives.items()],
                )
            )
        if self.activities:
            choices.append(
                (
                    _("Activities"),
                    [(f"activity:{k}", a.title[:120]) for k, a in self.activities.items()],
                )
            )
        self.fields["measures"].choices = choices
        self.order_fields(["measures", *self.Meta.fields])
        self.fields["responsible_organization"].queryset = organizations
        self.fields["order"].required = False
        self.fields["order"].help_text = _("Smaller numbers come first.")
        instance = self.instance
        if instance.pk and not self.is_bound:
            self.initial["measures"] = (
                f"objective:{instance.objective_id}"
                if instance.objective_id
                else f"activity:{instance.activity_id}"
            )
            self.initial["row_version"] = instance.row_version

    def clean_measures(self):
        kind, _sep, key = self.cleaned_data["measures"].partition(":")
        found = (self.objectives if kind == "objective" else self.activities).get(key)
        if found is None:
            raise ValidationError(_("Choose an objective or an activity of this plan."))
        return kind, found

    def clean_order(self):
        return self.cleaned_data.get("order") or 0

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        kind, parent = data.pop("measures")
        data.pop("row_version", None)
        return {
            "objective": parent if kind == "objective" else None,
            "activity": parent if kind == "activity" else None,
            "responsible_organization": data.pop("responsible_organization"),
            **data,
        }

    def _post_clean(self):
        """The service validates and saves; no model validation on an unsaved parent."""


def fingerprint(targets: dict) -> str:
    """The targets as read ("1=600.00;2=600.00"), to notice a change made meanwhile."""
    return ";".join(f"{q}={targets[q]}" for q in sorted(targets))


class TargetsForm(forms.Form):
    """One target per quarter of the plan's year (blank: no target for that quarter)."""

    loaded = forms.CharField(widget=forms.HiddenInput, required=False)
    STALE = _(
        "Someone else changed these targets while you were editing them; nothing was "
        "overwritten. The form now shows their values: check them and save again."
    )

    def __init__(
        self, *args, periods, targets: dict, percentage: bool = False, decimals: int = 2, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.periods = periods
        self.current = fingerprint(targets)
        self.initial["loaded"] = self.current
        for period in periods:
            name = f"q{period.quarter}"
            self.fields[name] = forms.DecimalField(
                label=f"{period.label} · {period.usaid}",
                max_digits=14,
                decimal_places=2,
                min_value=0,
                max_value=100 if percentage else None,
                required=False,
            )
            self.fields[name].widget.attrs["step"] = step(decimals)
            if period.quarter in targets:
                # A count's 600.00 is shown as 600.
                self.initial[name] = rounded(targets[period.quarter], decimals)

    def values(self) -> dict:
        return {p.quarter: self.cleaned_data.get(f"q{p.quarter}") for p in self.periods}

    def rows(self):
        return [(p, self[f"q{p.quarter}"]) for p in self.periods]


class ThresholdsForm(forms.Form):
    green_from = forms.DecimalField(
        label=_("On track (green) from, % of target"),
        max_digits=5,
        decimal_places=1,
        min_value=0,
        max_value=200,
    )
    amber_from = forms.DecimalField(
        label=_("Needs attention (amber) from, % of target"),
        max_digits=5,
        decimal_places=1,
        min_value=0,
        max_value=200,
        help_text=_("Below this the indicator is off track (red)."),
    )

    def clean(self):
        data = super().clean()
        green, amber = data.get("green_from"), data.get("amber_from")
        if green is not None and amber is not None and amber > green:
            self.add_error(
                "amber_from",
                _("Amber must start at or below green (%(green)s %%).") % {"green": green},
            )
        return data


def _group_field_name(category: str, index: int) -> str:
    return f"{category}_{index}"


class ResultForm(forms.Form):
    """A quarter's result; with the indicator's disaggregation groups when it has them."""

    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)
    value = forms.DecimalField(
        label=_("Actual"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    narrative = forms.CharField(
        label=_("Qualitative result or comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    row_version = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        indicator: Indicator | None = None,
        quarter_fixed=False,
        quarters=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if quarters is not None:
            self.fields["quarter"].choices = [(q, label) for q, label in QUARTERS if q in quarters]
        self.categories = indicator.categories if indicator is not None else []
        if quarter_fixed:
            self.fields["quarter"].widget = forms.HiddenInput()
        if indicator is not None and indicator.is_qualitative:
            del self.fields["value"]
            self.fields["narrative"].label = _("Result (qualitative)")
            self.fields["narrative"].required = True
        elif indicator is not None:
            self.fields["value"].required = True
            self.fields["value"].widget.attrs["step"] = step(indicator.decimals)
            if indicator.unit:
                self.fields["value"].label = _("Actual (%(unit)s)") % {"unit": indicator.unit}
        self.group_fields: list[tuple[str, list[str]]] = []
        for category in self.categories:
            names = []
            for index, (_group, label) in enumerate(GROUPS[category]):
                name = _group_field_name(category, index)
                self.fields[name] = forms.DecimalField(
                    label=label, max_digits=14, decimal_places=2, min_value=0, required=False
                )
                names.append(name)
            self.group_fields.append((category, names))

    def fieldsets(self):
        """(legend, bound fields) per disaggregation category, for the template."""
        return [
            (Category(category).label, [self[name] for name in names])
            for category, names in self.group_fields
        ]

    def main_fields(self):
        names = {n for _c, names in self.group_fields for n in names}
        return [f for f in self.visible_fields() if f.name not in names]

    def disaggregation(self) -> dict | None:
        if not self.categories:
            return None
        return {
            category: {
                group: self.cleaned_data.get(_group_field_name(category, index))
                for index, (group, _label) in enumerate(GROUPS[category])
            }
            for category in self.categories
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        """A category's error goes on its first group's field (read next to the groups)."""
        if hasattr(exc, "error_dict"):
            firsts = {category: names[0] for category, names in self.group_fields}
            for key, errors in exc.error_dict.items():
                self.add_error(firsts.get(key, key if key in self.fields else None), errors)
        else:
            add_service_errors(self, exc)


def initial_groups(form: ResultForm, stored: dict) -> None:
    """Fill the group fields from a result's stored values."""
    for category, names in form.group_fields:
        for index, (group, _label) in enumerate(GROUPS[category]):
            value = stored.get(category, {}).get(group)
            if value is not None:
                form.initial[names[index]] = value


class RowVersionForm(forms.Form):
    row_version = BoundedIntegerField(widget=forms.HiddenInput)


class ReturnForm(RowVersionForm):
    comment = forms.CharField(
        label=_("What needs correcting"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class EvidenceForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, Word, Excel, PNG or JPEG, up to %(mb)d MB.") % {
            "mb": MAX_EVIDENCE_BYTES // 1024 // 1024
        }

    title = forms.CharField(label=_("What the file shows"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{k}" for k in EVIDENCE_KINDS) + ",.jpg"}
        ),
    )
