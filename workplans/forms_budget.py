"""Forms of the cost-share budget: they collect input; the rules are in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counties.models import Organization
from jwp.forms import BoundedIntegerField
from jwp.roles import Role
from workplans.models import (
    BudgetComponent,
    BudgetLine,
    ContributionKind,
    Currency,
    JointActivity,
    PlanPartner,
)


def contributor_choices(*, plan, membership):
    """Who may be named as contributor: the plan's partners and activity leads (the
    secretariat), or the member's own organization (a partner)."""
    if membership.organization_id and membership.role == Role.PARTNER:
        return Organization.objects.filter(pk=membership.organization_id)
    partner_ids = PlanPartner.objects.for_county(plan.county_id).filter(plan=plan)
    lead_ids = JointActivity.objects.for_county(plan.county_id).filter(plan=plan)
    return Organization.objects.filter(
        pk__in=[
            *partner_ids.values_list("organization_id", flat=True),
            *lead_ids.values_list("lead_organization_id", flat=True),
        ]
    ).order_by("name")


class MoneyFields(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=16, decimal_places=2, min_value=0, localize=False
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    exchange_rate = forms.DecimalField(
        label=_("Exchange rate used (KES per USD)"),
        max_digits=10,
        decimal_places=4,
        required=False,
        help_text=_("Only for amounts in USD; leave empty for KES."),
    )

    def clean(self):
        data = super().clean()
        currency, rate = data.get("currency"), data.get("exchange_rate")
        if currency == Currency.USD and not rate:
            self.add_error("exchange_rate", _("Enter the exchange rate used (KES per USD)."))
        elif currency == Currency.KES and rate is not None:
            self.add_error("exchange_rate", _("Leave the exchange rate empty for amounts in KES."))
        return data


class _ContributionForm(MoneyFields):
    """Activity and contributor: the contributor field is hidden for a partner member,
    whose contributions are always its own organization's."""

    def __init__(self, *args, plan, membership, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.membership = plan, membership
        if editing:
            del self.fields["activity"]
            del self.fields["contributor"]
            return
        self.fields["activity"].queryset = (
            JointActivity.objects.for_county(plan.county_id)
            .filter(plan=plan)
            .select_related("sector")
            .order_by("sector__order", "start_date", "id")
        )
        self.fields["activity"].label_from_instance = lambda a: f"{a.title} ({a.sector.name})"
        orgs = contributor_choices(plan=plan, membership=membership)
        self.fields["contributor"].queryset = orgs
        if membership.role == Role.PARTNER:
            self.fields["contributor"].required = True
            self.fields["contributor"].empty_label = None
            self.fields["contributor"].initial = membership.organization_id
            self.fields["contributor"].widget = forms.HiddenInput()


class BudgetLineForm(_ContributionForm):
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=JointActivity.objects.none())
    contributor = forms.ModelChoiceField(
        label=_("Contributor"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("County government"),
    )
    component = forms.ModelChoiceField(
        label=_("Component"), queryset=BudgetComponent.objects.none()
    )
    kind = forms.ChoiceField(label=_("Cash or in kind"), choices=ContributionKind.choices)
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)
    row_version = BoundedIntegerField(widget=forms.HiddenInput(), required=False)

    field_order = [
        "activity",
        "contributor",
        "component",
        "kind",
        "amount",
        "currency",
        "exchange_rate",
        "comment",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = BudgetComponent.objects.for_county(
            self.plan.county_id
        ).filter(is_active=True)


class CommitmentForm(_ContributionForm):
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=JointActivity.objects.none())
    contributor = forms.ModelChoiceField(
        label=_("Contributor"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("County government"),
    )
    kind = forms.ChoiceField(label=_("Cash or in kind"), choices=ContributionKind.choices)
    budget_line = forms.ModelChoiceField(
        label=_("Budget line it funds"),
        queryset=BudgetLine.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    vote_code = forms.CharField(
        label=_("Budget vote / programme code"),
        max_length=40,
        required=False,
        help_text=_("The county government's own commitment only: e.g. “4213 / P2”."),
    )
    appropriation_reference = forms.CharField(
        label=_("Appropriation reference"),
        max_length=120,
        required=False,
        help_text=_(
            "The county government's own commitment only: the Appropriation Act "
            "(or supplementary budget) and item that voted it."
        ),
    )
    row_version = BoundedIntegerField(widget=forms.HiddenInput(), required=False)

    field_order = ["activity", "contributor", "kind", "amount", "currency", "exchange_rate"]

    def __init__(self, *args, lines=None, county_funding=None, **kwargs):
        """``county_funding``: editing a commitment, whether it is the county's own (the
        vote fields are then shown); a partner member never sees them."""
        super().__init__(*args, **kwargs)
        if self.membership.role == Role.PARTNER or county_funding is False:
            del self.fields["vote_code"]
            del self.fields["appropriation_reference"]
        if "activity" not in self.fields:
            del self.fields["budget_line"]
            return
        self.fields["budget_line"].queryset = (
            lines if lines is not None else BudgetLine.objects.none()
        )
        self.fields["budget_line"].label_from_instance = lambda bl: (
            f"{bl.activity.title} · {bl.component.name} · {bl.amount:,.2f} {bl.currency}"
        )


class RowVersionForm(forms.Form):
    row_version = BoundedIntegerField(widget=forms.HiddenInput())


class WithdrawForm(RowVersionForm):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=300)


class DisbursementForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount released"), max_digits=16, decimal_places=2, min_value=0
    )
    exchange_rate = forms.DecimalField(
        label=_("Exchange rate used (KES per USD)"),
        max_digits=10,
        decimal_places=4,
        required=False,
        help_text=_("Only for commitments in USD."),
    )
    disbursed_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("Transfer, cheque or treasury release number."),
    )
