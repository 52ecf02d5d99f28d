"""Cost-share budget, commitments and disbursements (issue 5, points 4, 5 and 10).

Who may touch a contribution is one rule (``can_edit_contribution``): the
secretariat edits any line or commitment, the county's own included; a partner
member only its own organization's. Every edit of a budget line or commitment
carries the ``row_version`` the user saw; a stale one is refused with the
current values (``EditConflict``) instead of overwriting someone else's change.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership, Organization
from jwp import audit
from jwp.roles import Role
from workplans.models import (
    BudgetComponent,
    BudgetLine,
    Commitment,
    CommitmentStatus,
    ContributionKind,
    Currency,
    Disbursement,
    JointActivity,
    JointWorkPlan,
)
from workplans.services.money_flags import funding_flags, notify_new_flags
from workplans.services.rules import EditConflict, is_editable, require_editable

OPEN_STATUSES = (CommitmentStatus.PLEDGED, CommitmentStatus.CONFIRMED)


# --- rules --------------------------------------------------------------------


def can_edit_contribution(membership: Membership, contributor_id: int | None) -> bool:
    """Secretariat: any contributor, the county included; partner: its own organization."""
    if membership.role == Role.SECRETARIAT:
        return True
    return (
        membership.role == Role.PARTNER
        and contributor_id is not None
        and contributor_id == membership.organization_id
    )


def can_add_budget_line(membership: Membership, plan: JointWorkPlan) -> bool:
    """What budget_line_create checks before it writes: a contributing role and a plan
    still open to changes. Pages offer "Add a budget line" only when this holds."""
    return membership.role in (Role.SECRETARIAT, Role.PARTNER) and is_editable(plan)


def can_change_budget_line(membership: Membership, line: BudgetLine, plan: JointWorkPlan) -> bool:
    """What budget_line_update and _delete check: the member's contribution, an open plan."""
    return can_edit_contribution(membership, line.contributor_id) and is_editable(plan)


def _require_contributor(membership: Membership, contributor_id: int | None) -> None:
    if not can_edit_contribution(membership, contributor_id):
        raise PermissionDenied


def clean_money(*, amount: Decimal, currency: str, exchange_rate: Decimal | None) -> None:
    """KES has no exchange rate; USD needs the rate used (errors name the field)."""
    errors = {}
    if amount is None or amount < 0:
        errors["amount"] = _("Enter an amount of zero or more.")
    if currency == Currency.USD and not exchange_rate:
        errors["exchange_rate"] = _("Enter the exchange rate used (KES per USD).")
    elif currency == Currency.USD and exchange_rate <= 0:
        errors["exchange_rate"] = _("The exchange rate must be more than zero.")
    elif currency == Currency.KES and exchange_rate is not None:
        errors["exchange_rate"] = _("Leave the exchange rate empty for amounts in KES.")
    if errors:
        raise ValidationError(errors)


VOTE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./()-]*$")


def clean_county_funding(
    *, contributor_id: int | None, vote_code: str, appropriation_reference: str
) -> tuple[str, str]:
    """The county's own cost-share is ring-fenced: it names the budget vote/programme it
    is budgeted under (letters, digits, spaces and . / ( ) -, with at least one digit)
    and the appropriation that voted it. A partner's commitment has neither."""
    vote_code = (vote_code or "").strip()
    appropriation_reference = (appropriation_reference or "").strip()
    errors = {}
    if contributor_id is None:
        if not vote_code:
            errors["vote_code"] = _(
                "Enter the budget vote / programme code the county's cost-share is budgeted under."
            )
        elif not VOTE_CODE.match(vote_code) or not any(ch.isdigit() for ch in vote_code):
            errors["vote_code"] = _(
                "Enter a vote / programme code such as “4213 / P2”: letters, digits, spaces "
                "and . / ( ) - only, with the vote number."
            )
        if not appropriation_reference:
            errors["appropriation_reference"] = _(
                "Enter the appropriation that voted the county's cost-share "
                "(e.g. the Appropriation Act and its item)."
            )
    else:
        if vote_code:
            errors["vote_code"] = _("Only the county's own commitments have a budget vote.")
        if appropriation_reference:
            errors["appropriation_reference"] = _(
                "Only the county's own commitments have an appropriation reference."
            )
    if errors:
        raise ValidationError(errors)
    return vote_code, appropriation_reference


def _money_text(obj) -> str:
    return f"{obj.amount} {obj.currency}" + (f" @ {obj.exchange_rate}" if obj.exchange_rate else "")


def _record(obj, membership: Membership, verb: str, summary: str, **data) -> None:
    audit.record(
        county=obj.county,
        actor=membership.user,
        verb=verb,
        target=obj,
        summary=summary,
        data={k: str(v) if v is not None else None for k, v in data.items()},
    )


def _bump(model, obj, row_version: int, **fields) -> None:
    """Save ``fields`` only if nobody saved since ``row_version``; else EditConflict."""
    updated = (
        model.objects.for_county(obj.county_id)
        .filter(pk=obj.pk, row_version=row_version)
        .update(row_version=F("row_version") + 1, **fields)
    )
    if not updated:
        current = (
            model.objects.for_county(obj.county_id)
            .select_related("contributor")
            .filter(pk=obj.pk)
            .first()
        )
        raise EditConflict(current)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.row_version = row_version + 1


# --- budget lines -------------------------------------------------------------


def budget_line_create(
    *,
    membership: Membership,
    activity: JointActivity,
    contributor: Organization | None,
    component: BudgetComponent,
    amount: Decimal,
    currency: str = Currency.KES,
    exchange_rate: Decimal | None = None,
    kind: str = ContributionKind.CASH,
    comment: str = "",
) -> BudgetLine:
    _require_contributor(membership, contributor.pk if contributor else None)
    activity.check_same_county(membership, component)
    require_editable(activity.plan)
    clean_money(amount=amount, currency=currency, exchange_rate=exchange_rate)
    with transaction.atomic():
        line = BudgetLine.objects.create(
            county_id=activity.county_id,
            activity=activity,
            contributor=contributor,
            component=component,
            amount=amount,
            currency=currency,
            exchange_rate=exchange_rate,
            kind=kind,
            comment=comment,
            created_by=membership.user,
        )
        _record(
            line,
            membership,
            "budget_line.create",
            _("Budget line added to “%(activity)s”: %(money)s")
            % {"activity": activity.title, "money": _money_text(line)},
        )
    return line


def budget_line_update(
    *,
    membership: Membership,
    line: BudgetLine,
    row_version: int,
    component: BudgetComponent,
    amount: Decimal,
    currency: str,
    exchange_rate: Decimal | None,
    kind: str,
    comment: str = "",
) -> BudgetLine:
    _require_contributor(membership, line.contributor_id)
    line.check_same_county(component)
    require_editable(line.activity.plan)
    clean_money(amount=amount, currency=currency, exchange_rate=exchange_rate)
    before = _money_text(line)
    with transaction.atomic():
        _bump(
            BudgetLine,
            line,
            row_version,
            component=component,
            amount=amount,
            currency=currency,
            exchange_rate=exchange_rate,
            kind=kind,
            comment=comment,
        )
        _record(
            line,
            membership,
            "budget_line.update",
            _("Budget line of “%(activity)s” changed: %(before)s → %(after)s")
            % {"activity": line.activity.title, "before": before, "after": _money_text(line)},
        )
    return line


def budget_line_delete(*, membership: Membership, line: BudgetLine, row_version: int) -> None:
    _require_contributor(membership, line.contributor_id)
    require_editable(line.activity.plan)
    with transaction.atomic():
        deleted, _rows = (
            BudgetLine.objects.for_county(line.county_id)
            .filter(pk=line.pk, row_version=row_version)
            .delete()
        )
        if not deleted:
            current = BudgetLine.objects.for_county(line.county_id).filter(pk=line.pk).first()
            raise EditConflict(current)
        _record(
            line,
            membership,
            "budget_line.delete",
            _("Budget line of “%(activity)s” removed: %(money)s")
            % {"activity": line.activity.title, "money": _money_text(line)},
        )


# --- commitments --------------------------------------------------------------


def commitment_create(
    *,
    membership: Membership,
    activity: JointActivity,
    contributor: Organization | None,
    amount: Decimal,
    currency: str = Currency.KES,
    exchange_rate: Decimal | None = None,
    kind: str = ContributionKind.CASH,
    budget_line: BudgetLine | None = None,
    vote_code: str = "",
    appropriation_reference: str = "",
) -> Commitment:
    """A contributor promises money for an activity (pledged until it confirms); the
    county's own promise names its budget vote and appropriation."""
    contributor_id = contributor.pk if contributor else None
    _require_contributor(membership, contributor_id)
    activity.check_same_county(membership, budget_line)
    clean_money(amount=amount, currency=currency, exchange_rate=exchange_rate)
    vote_code, appropriation_reference = clean_county_funding(
        contributor_id=contributor_id,
        vote_code=vote_code,
        appropriation_reference=appropriation_reference,
    )
    if budget_line is not None and (
        budget_line.activity_id != activity.pk or budget_line.contributor_id != contributor_id
    ):
        raise ValidationError(
            {"budget_line": _("Choose a budget line of this activity and contributor.")}
        )
    with transaction.atomic():
        commitment = Commitment.objects.create(
            county_id=activity.county_id,
            activity=activity,
            contributor=contributor,
            budget_line=budget_line,
            amount=amount,
            currency=currency,
            exchange_rate=exchange_rate,
            kind=kind,
            pledged_by=membership.user,
            vote_code=vote_code,
            appropriation_reference=appropriation_reference,
        )
        _record(
            commitment,
            membership,
            "commitment.pledge",
            _("%(who)s pledged %(money)s to “%(activity)s”")
            % {
                "who": contributor or _("County government"),
                "money": _money_text(commitment),
                "activity": activity.title,
            },
        )
    return commitment


def _require_open(commitment: Commitment, *statuses: str) -> None:
    if commitment.status not in statuses:
        raise ValidationError(
            _("This commitment is %(status)s: it can no longer change that way.")
            % {"status": commitment.get_status_display().lower()}
        )


def commitment_update(
    *,
    membership: Membership,
    commitment: Commitment,
    row_version: int,
    amount: Decimal,
    currency: str,
    exchange_rate: Decimal | None,
    kind: str,
    vote_code: str | None = None,
    appropriation_reference: str | None = None,
) -> Commitment:
    """Only a pledge changes its amount; once confirmed it is the contributor's word.
    ``vote_code``/``appropriation_reference`` None keep the recorded ones."""
    _require_contributor(membership, commitment.contributor_id)
    _require_open(commitment, CommitmentStatus.PLEDGED)
    clean_money(amount=amount, currency=currency, exchange_rate=exchange_rate)
    vote_code, appropriation_reference = clean_county_funding(
        contributor_id=commitment.contributor_id,
        vote_code=commitment.vote_code if vote_code is None else vote_code,
        appropriation_reference=(
            commitment.appropriation_reference
            if appropriation_reference is None
            else appropriation_reference
        ),
    )
    before = _money_text(commitment)
    with transaction.atomic():
        _bump(
            Commitment,
            commitment,
            row_version,
            amount=amount,
            currency=currency,
            exchange_rate=exchange_rate,
            kind=kind,
            vote_code=vote_code,
            appropriation_reference=appropriation_reference,
        )
        _record(
            commitment,
            membership,
            "commitment.update",
            _("Pledge changed: %(before)s → %(after)s")
            % {"before": before, "after": _money_text(commitment)},
        )
    return commitment


def commitment_confirm(
    *, membership: Membership, commitment: Commitment, row_version: int
) -> Commitment:
    """Confirmed: the organization approved the funds, or for the county the cost-share
    is in the budget — so a county commitment must name its vote and appropriation."""
    _require_contributor(membership, commitment.contributor_id)
    _require_open(commitment, CommitmentStatus.PLEDGED)
    clean_county_funding(
        contributor_id=commitment.contributor_id,
        vote_code=commitment.vote_code,
        appropriation_reference=commitment.appropriation_reference,
    )
    with transaction.atomic():
        _bump(
            Commitment,
            commitment,
            row_version,
            status=CommitmentStatus.CONFIRMED,
            confirmed_at=timezone.now(),
        )
        _record(
            commitment,
            membership,
            "commitment.confirm",
            _("Commitment of %(money)s confirmed") % {"money": _money_text(commitment)},
        )
    return commitment


def commitment_withdraw(
    *, membership: Membership, commitment: Commitment, row_version: int, reason: str
) -> Commitment:
    _require_contributor(membership, commitment.contributor_id)
    _require_open(commitment, *OPEN_STATUSES)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the commitment is withdrawn.")})
    plan = commitment.activity.plan
    with transaction.atomic():
        before = funding_flags(
            plan=plan, activity=commitment.activity, contributor_id=commitment.contributor_id
        )
        _bump(
            Commitment,
            commitment,
            row_version,
            status=CommitmentStatus.WITHDRAWN,
            withdrawn_at=timezone.now(),
            withdrawn_reason=reason[:300],
        )
        # Money already spent on it is now spent on a withdrawn promise: tell the secretariat.
        commitment.money_flags = notify_new_flags(
            plan=plan,
            before=before,
            after=funding_flags(
                plan=plan, activity=commitment.activity, contributor_id=commitment.contributor_id
            ),
            actor=membership.user,
            event=f"withdraw:{commitment.pk}",
        )
        _record(
            commitment,
            membership,
            "commitment.withdraw",
            _("Commitment of %(money)s withdrawn: %(reason)s")
            % {"money": _money_text(commitment), "reason": reason},
        )
    return commitment


def disbursement_record(
    *,
    membership: Membership,
    commitment: Commitment,
    amount: Decimal,
    disbursed_on: date,
    exchange_rate: Decimal | None = None,
    reference: str = "",
) -> Disbursement:
    """Money released against a confirmed commitment (a partner's or the treasury's).

    A disbursement is in the commitment's currency (a USD one with the day's rate);
    when the disbursements reach the amount committed, the commitment is disbursed.
    More than remains is refused, not flagged: the promise is what the plan counts on,
    so money beyond it is first committed (a new commitment) and then released. A
    treasury release (the county's own commitment) carries its release number.
    """
    _require_contributor(membership, commitment.contributor_id)
    _require_open(commitment, CommitmentStatus.CONFIRMED)
    currency = commitment.currency
    clean_money(amount=amount, currency=currency, exchange_rate=exchange_rate)
    if amount <= 0:
        raise ValidationError({"amount": _("Enter the amount released (more than zero).")})
    if disbursed_on > timezone.localdate():
        raise ValidationError({"disbursed_on": _("A disbursement cannot be in the future.")})
    reference = (reference or "").strip()
    if commitment.contributor_id is None and not reference:
        raise ValidationError(
            {"reference": _("Enter the treasury's release number for the county's cost-share.")}
        )
    with transaction.atomic():
        # Lock the commitment so two disbursements recorded at once add up right.
        locked = (
            Commitment.objects.for_county(commitment.county_id)
            .select_for_update()
            .get(pk=commitment.pk)
        )
        already = sum((d.amount for d in locked.disbursements.all()), Decimal("0"))
        remaining = locked.amount - already
        if amount > remaining:
            raise ValidationError(
                {
                    "amount": _(
                        "Only %(remaining)s %(currency)s remain to be disbursed. Money beyond "
                        "the commitment is committed first (record a further commitment)."
                    )
                    % {"remaining": f"{remaining:,.2f}", "currency": currency}
                }
            )
        disbursement = Disbursement.objects.create(
            county_id=commitment.county_id,
            commitment=locked,
            amount=amount,
            currency=currency,
            exchange_rate=exchange_rate,
            disbursed_on=disbursed_on,
            reference=reference,
            recorded_by=membership.user,
        )
        fields = {}
        if amount == remaining:
            fields["status"] = CommitmentStatus.DISBURSED
        Commitment.objects.for_county(commitment.county_id).filter(pk=commitment.pk).update(
            row_version=F("row_version") + 1, **fields
        )
        for name, value in fields.items():
            setattr(commitment, name, value)
        commitment.row_version = locked.row_version + 1
        _record(
            disbursement,
            membership,
            "commitment.disburse",
            _("%(money)s disbursed on %(date)s (%(reference)s)")
            % {
                "money": _money_text(disbursement),
                "date": disbursed_on.isoformat(),
                "reference": reference or "—",
            },
        )
    return disbursement


# --- amendments ---------------------------------------------------------------


def copy_budget(
    *, old_plan: JointWorkPlan, new_plan: JointWorkPlan, activity_map: dict[int, JointActivity]
) -> None:
    """Copy budget lines and open commitments (as pledges) into an amended version.

    ``activity_map`` maps the old activities' ids to their copies; an activity left
    out of the amendment takes its lines and commitments with it. Disbursed and
    withdrawn commitments stay with the version they belong to.
    """
    old_plan.check_same_county(new_plan)
    county_id = old_plan.county_id
    lines = BudgetLine.objects.for_county(county_id).filter(
        activity__plan=old_plan, activity_id__in=list(activity_map)
    )
    line_map: dict[int, BudgetLine] = {}
    for line in lines.order_by("id"):
        old_id = line.pk
        line.pk = None
        line.id = None
        line.activity = activity_map[line.activity_id]
        line.row_version = 1
        line.save(force_insert=True)
        line_map[old_id] = line
    commitments = Commitment.objects.for_county(county_id).filter(
        activity__plan=old_plan, activity_id__in=list(activity_map), status__in=OPEN_STATUSES
    )
    copies = []
    for c in commitments.order_by("id"):
        copies.append(
            Commitment(
                county_id=county_id,
                activity=activity_map[c.activity_id],
                budget_line=line_map.get(c.budget_line_id),
                contributor_id=c.contributor_id,
                amount=c.amount,
                currency=c.currency,
                exchange_rate=c.exchange_rate,
                kind=c.kind,
                pledged_by_id=c.pledged_by_id,
                status=CommitmentStatus.PLEDGED,
            )
        )
    Commitment.objects.bulk_create(copies)
