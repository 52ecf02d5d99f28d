"""Money that adds up (issue 12, point 5): selectors of the plan's reconciliation.

Per activity × contributor (a *funding*: what one contributor — an organization, or
the county government when the contributor is empty — puts into one activity), per
contributor, per activity and for the plan, side by side, in KES to the cent:

* **budgeted**: the budget lines;
* **committed**: commitments that are not withdrawn (pledged, confirmed, disbursed);
* **confirmed**: commitments confirmed or fully disbursed;
* **released**: disbursements — a partner's transfers, the treasury's releases for the
  county's own commitments (withdrawn commitments' earlier disbursements included: the
  money moved);
* **spent**: expenditure entered per budget line and quarter (``progress``).

Every figure is a SQL aggregate: one statement whatever the plan's size (budget lines,
commitments, disbursements and expenditure each grouped by funding, as one UNION ALL;
commitments disbursed beyond their amount are counted by a correlated subquery);
Python only adds up the grouped rows of each funding.
Each read goes through ``visible_contributions``: a partner sees only its own fundings
while the plan is being built.

The flags (``FlagKind``) are raised per funding, where money is matched to money: a
contributor's spending on an activity is paid from what that contributor released for
it. Which flags refuse and which are recorded is decided where money is entered
(``workplans.services.budget``, ``progress.services.entries``):

* disbursing beyond a commitment is **refused** (the contributor raises its promise
  first); the flag still lists any row that predates the rule;
* spending beyond what was released, and spending on a funding whose commitments were
  all withdrawn, are **recorded with a flag**: the expenditure is a fact of the
  financial report (a county pre-financing, a partner fronting money); refusing it would
  hide exactly what an auditor must see;
* a live county commitment without its vote/programme code or appropriation reference
  is flagged as not ring-fenced (new ones cannot be recorded without them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from workplans.models import BudgetLine, Commitment, CommitmentStatus, Disbursement
from workplans.selectors import ZERO, _kes_sum, kes_amount, visible_contributions

# The statements of a reconciliation; a page that shows only some figures asks for those
# (promises vs money: "commitments" and "released"). Flags need them all.
PARTS = ("lines", "commitments", "released", "spent", "over")
CENT = Decimal("0.01")
LIVE = (CommitmentStatus.PLEDGED, CommitmentStatus.CONFIRMED, CommitmentStatus.DISBURSED)
CONFIRMED = (CommitmentStatus.CONFIRMED, CommitmentStatus.DISBURSED)


class FlagKind:
    SPENT_BEYOND_RELEASED = "spent_beyond_released"
    SPENT_ON_WITHDRAWN = "spent_on_withdrawn"
    DISBURSED_BEYOND_COMMITTED = "disbursed_beyond_committed"
    NOT_RING_FENCED = "not_ring_fenced"

    LABELS = {
        SPENT_BEYOND_RELEASED: gettext_lazy("Spent beyond what was disbursed or released"),
        SPENT_ON_WITHDRAWN: gettext_lazy("Spending on a withdrawn commitment"),
        DISBURSED_BEYOND_COMMITTED: gettext_lazy("Disbursed beyond the commitment"),
        NOT_RING_FENCED: gettext_lazy("County cost-share without vote or appropriation"),
    }
    # The kinds that spending raises (the adaptive-management "budget overrun" trigger).
    SPENDING = (SPENT_BEYOND_RELEASED, SPENT_ON_WITHDRAWN)


@dataclass(frozen=True)
class Flag:
    kind: str
    activity_id: int
    activity_title: str
    contributor_id: int | None
    contributor_label: str
    amount: Decimal  # the excess, in KES (0 when there is no amount, e.g. not ring-fenced)
    detail: str

    @property
    def label(self) -> str:
        return str(FlagKind.LABELS[self.kind])

    @property
    def key(self) -> tuple:
        return (self.kind, self.activity_id, self.contributor_id)


@dataclass
class Figures:
    label: str = ""
    key: object = None
    budgeted: Decimal = ZERO
    committed: Decimal = ZERO
    confirmed: Decimal = ZERO
    released: Decimal = ZERO
    spent: Decimal = ZERO

    def add(self, other: Figures) -> None:
        for name in ("budgeted", "committed", "confirmed", "released", "spent"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def not_released(self) -> Decimal:
        """Committed money not yet disbursed or released (never below zero)."""
        return max(self.committed - self.released, ZERO)

    @property
    def spendable(self) -> Decimal:
        """What can still be spent before spending runs ahead of the money released."""
        return self.released - self.spent


@dataclass
class FundingRow(Figures):
    activity_id: int = 0
    contributor_id: int | None = None
    activity_title: str = ""
    order: tuple = ()
    withdrawn: int = 0
    live: int = 0
    unfenced: int = 0
    over: int = 0
    over_kes: Decimal = ZERO
    flags: list[Flag] = field(default_factory=list)


@dataclass
class Reconciliation:
    rows: list[FundingRow]
    by_contributor: list[Figures]
    by_activity: list[Figures]
    total: Figures
    flags: list[Flag]

    def row(self, activity_id: int, contributor_id: int | None) -> FundingRow | None:
        return next(
            (
                r
                for r in self.rows
                if r.activity_id == activity_id and r.contributor_id == contributor_id
            ),
            None,
        )


def county_label(contributor_name: str | None) -> str:
    return contributor_name or str(_("County government"))


def _contributor_is(contributor_id: int | None, prefix: str = "") -> Q:
    if contributor_id is None:
        return Q(**{f"{prefix}contributor__isnull": True})
    return Q(**{f"{prefix}contributor_id": contributor_id})


def _scope(
    qs,
    *,
    plan,
    membership,
    prefix: str,
    activity_field: str,
    activity=None,
    contributor=...,
):
    """The plan's rows the member may see, optionally of one activity and contributor
    (``contributor=None`` is the county government; leave it out for everyone)."""
    qs = qs.filter(**{f"{activity_field}__plan": plan})
    if membership is not None:
        qs = qs.filter(visible_contributions(membership=membership, plan=plan, prefix=prefix))
    if activity is not None:
        qs = qs.filter(**{activity_field: activity})
    if contributor is not ...:
        qs = qs.filter(_contributor_is(contributor, prefix))
    return qs


MONEY = DecimalField(max_digits=24, decimal_places=2)
COUNTS = ("withdrawn", "live", "unfenced", "over")
COLUMNS = ("budgeted", "committed", "confirmed", "released", "spent", "over_kes", *COUNTS)


def _part(qs, activity_prefix: str, contributor_prefix: str, sums: dict):
    """One table's rows grouped by funding, in the union's columns (the others zero)."""
    columns = {
        name: sums.get(name)
        or (Value(0) if name in COUNTS else Cast(Value(ZERO), output_field=MONEY))
        for name in COLUMNS
    }
    return (
        qs.values(
            a=F(f"{activity_prefix}activity_id"),
            c=F(f"{contributor_prefix}contributor_id"),
            title=F(f"{activity_prefix}activity__title"),
            name=F(f"{contributor_prefix}contributor__name"),
            sector_order=F(f"{activity_prefix}activity__sector__order"),
            start=F(f"{activity_prefix}activity__start_date"),
        )
        .annotate(**columns)
        .order_by()
    )


def _money_sum(expression) -> Coalesce:
    return Coalesce(
        Sum(expression), Value(ZERO), output_field=DecimalField(max_digits=24, decimal_places=2)
    )


def reconcile(
    *,
    county,
    plan,
    membership=None,
    activity=None,
    contributor=...,
    until: date | None = None,
    until_quarter: int | None = None,
    parts: frozenset = frozenset(PARTS),
) -> Reconciliation:
    """The plan's money side by side, with its flags (one statement: a UNION ALL of
    the budget lines, commitments, disbursements and expenditure grouped by funding).

    ``membership`` None reads everything (the nightly trigger detection); ``activity``
    and ``contributor`` narrow to one funding (what an entry form checks);
    ``until``/``until_quarter`` count releases up to a date and spending up to a
    quarter of the plan's year (a quarter's trigger detection); ``parts`` leaves out
    the statements whose figures a page does not show (flags are then partial).
    """
    from progress.models import Expenditure

    def scoped(model, prefix: str, activity_field: str):
        return _scope(
            model.objects.for_county(county),
            plan=plan,
            membership=membership,
            prefix=prefix,
            activity_field=activity_field,
            activity=activity,
            contributor=contributor,
        )

    paid_kes = Subquery(
        Disbursement.objects.for_county(county)
        .filter(commitment=OuterRef("pk"))
        .values("commitment")
        .annotate(total=Sum(kes_amount()))
        .values("total"),
        output_field=MONEY,
    )
    paid = Subquery(
        Disbursement.objects.for_county(county)
        .filter(commitment=OuterRef("pk"))
        .values("commitment")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=MONEY,
    )
    over = Q(GreaterThan(paid, F("amount")))
    unfenced = Q(contributor__isnull=True, status__in=LIVE) & (
        Q(vote_code="") | Q(appropriation_reference="")
    )
    commitment_sums = {
        "committed": _kes_sum(status__in=LIVE),
        "confirmed": _kes_sum(status__in=CONFIRMED),
        "withdrawn": Count("id", filter=Q(status=CommitmentStatus.WITHDRAWN)),
        "live": Count("id", filter=Q(status__in=LIVE)),
        "unfenced": Count("id", filter=unfenced),
        "over": Count("id", filter=over),
        "over_kes": _money_sum(Case(When(over, then=paid_kes - kes_amount()), default=None)),
    }
    disbursements = scoped(Disbursement, "commitment__", "commitment__activity")
    if until is not None:
        disbursements = disbursements.filter(disbursed_on__lte=until)
    spending = scoped(Expenditure, "budget_line__", "activity").filter(fiscal_year=plan.fiscal_year)
    if until_quarter is not None:
        spending = spending.filter(quarter__lte=until_quarter)
    # One statement: the four tables grouped by funding, as one UNION ALL.
    statements = [
        _part(scoped(BudgetLine, "", "activity"), "", "", {"budgeted": _kes_sum()})
        if "lines" in parts
        else None,
        _part(scoped(Commitment, "", "activity"), "", "", commitment_sums)
        if "commitments" in parts
        else None,
        _part(disbursements, "commitment__", "commitment__", {"released": _kes_sum()})
        if "released" in parts
        else None,
        _part(spending, "", "budget_line__", {"spent": _money_sum("amount_kes")})
        if "spent" in parts
        else None,
    ]
    statements = [q for q in statements if q is not None]
    union = statements[0].union(*statements[1:], all=True) if len(statements) > 1 else statements[0]
    rows: dict[tuple[int, int | None], FundingRow] = {}
    for r in union:
        key = (r["a"], r["c"])
        row = rows.get(key)
        if row is None:
            row = rows[key] = FundingRow(
                activity_id=r["a"],
                contributor_id=r["c"],
                activity_title=r["title"],
                label=county_label(r["name"]),
                order=(r["sector_order"], r["start"], r["a"]),
            )
        for name in COLUMNS:
            value = r[name] or 0
            if name not in COUNTS:  # SQLite sums decimals as floats: back to the cent
                value = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
            setattr(row, name, getattr(row, name) + value)
    return _assemble(rows)


def _assemble(rows: dict) -> Reconciliation:
    ordered = sorted(
        rows.values(),
        key=lambda r: (r.order, r.contributor_id is not None, r.label),
    )
    flags: list[Flag] = []
    for row in ordered:
        row.flags = _flags_of(row)
    for row in ordered:
        flags.extend(row.flags)
    by_contributor: dict[int | None, Figures] = {}
    by_activity: dict[int, Figures] = {}
    total = Figures(label=str(_("Total")))
    for row in ordered:
        by_contributor.setdefault(
            row.contributor_id, Figures(label=row.label, key=row.contributor_id)
        ).add(row)
        by_activity.setdefault(
            row.activity_id, Figures(label=row.activity_title, key=row.activity_id)
        ).add(row)
        total.add(row)
    contributors = sorted(by_contributor.items(), key=lambda kv: (kv[0] is not None, kv[1].label))
    return Reconciliation(
        rows=ordered,
        by_contributor=[figures for _key, figures in contributors],
        by_activity=list(by_activity.values()),
        total=total,
        flags=flags,
    )


def _flags_of(row: FundingRow) -> list[Flag]:
    def flag(kind: str, amount: Decimal, detail: str) -> Flag:
        return Flag(
            kind=kind,
            activity_id=row.activity_id,
            activity_title=row.activity_title,
            contributor_id=row.contributor_id,
            contributor_label=row.label,
            amount=amount,
            detail=detail,
        )

    found = []
    money = {"spent": f"{row.spent:,.2f}", "released": f"{row.released:,.2f}"}
    if row.spent > 0 and row.withdrawn and not row.live:
        found.append(
            flag(
                FlagKind.SPENT_ON_WITHDRAWN,
                row.spent,
                _("KES %(spent)s spent although the commitment was withdrawn") % money,
            )
        )
    elif row.spent > row.released:
        found.append(
            flag(
                FlagKind.SPENT_BEYOND_RELEASED,
                row.spent - row.released,
                _("KES %(spent)s spent against KES %(released)s disbursed or released") % money,
            )
        )
    if row.over:
        found.append(
            flag(
                FlagKind.DISBURSED_BEYOND_COMMITTED,
                row.over_kes,
                ngettext(
                    "%(n)s commitment disbursed beyond its amount, by KES %(excess)s",
                    "%(n)s commitments disbursed beyond their amounts, by KES %(excess)s",
                    row.over,
                )
                % {"n": row.over, "excess": f"{row.over_kes:,.2f}"},
            )
        )
    if row.unfenced:
        found.append(
            flag(
                FlagKind.NOT_RING_FENCED,
                ZERO,
                _("The county's commitment has no budget vote/programme code or appropriation"),
            )
        )
    return found


# --- per budget line ---------------------------------------------------------------


def _line_sum(queryset, link: str, expression):
    """A correlated subquery: ``expression`` summed over ``queryset`` rows of the line."""
    total = (
        queryset.filter(**{link: OuterRef("pk")})
        .values(link)
        .annotate(total=Sum(expression))
        .values("total")
    )
    return Coalesce(
        Subquery(total, output_field=DecimalField(max_digits=24, decimal_places=2)),
        Value(ZERO),
        output_field=DecimalField(max_digits=24, decimal_places=2),
    )


def line_figures(*, county, plan, membership, activity):
    """An activity's budget lines the member may see, each annotated with budgeted
    (``kes``), and committed, confirmed, released and spent through the commitments
    linked to it (one statement)."""
    from progress.models import Expenditure

    commitments = Commitment.objects.for_county(county)
    return (
        BudgetLine.objects.for_county(county)
        .filter(activity=activity, activity__plan=plan)
        .filter(visible_contributions(membership=membership, plan=plan))
        .select_related("contributor", "component")
        .annotate(
            kes=kes_amount(),
            committed=_line_sum(commitments.filter(status__in=LIVE), "budget_line", kes_amount()),
            confirmed=_line_sum(
                commitments.filter(status__in=CONFIRMED), "budget_line", kes_amount()
            ),
            released=_line_sum(
                Disbursement.objects.for_county(county), "commitment__budget_line", kes_amount()
            ),
            spent=_line_sum(
                Expenditure.objects.for_county(county).filter(fiscal_year=plan.fiscal_year),
                "budget_line",
                F("amount_kes"),
            ),
        )
        .order_by(F("contributor__name").asc(nulls_first=True), "component__order", "id")
    )


def flag_url(county, plan, flag: Flag) -> str:
    return (
        reverse("workplans:reconciliation", args=[county.slug, plan.pk])
        + f"?activity={flag.activity_id}"
    )
