"""Activity progress (M&E template section 5), expenditure per budget line and quarter,
and stakeholder feedback. Every write is audited; edits carry the row_version read."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership
from progress.models import ActivityProgress, Expenditure, Feedback
from progress.services.rules import (
    can_log_feedback,
    can_record_expenditure,
    can_report_activity,
    clean_quarter,
    guarded_update,
    record,
)
from workplans.services.money_flags import funding_flags, notify_new_flags

CENT = Decimal("0.01")


def progress_save(
    *,
    membership: Membership,
    activity,
    quarter: int,
    percent_complete: int,
    progress_made: str,
    challenges: str = "",
    solutions: str = "",
    row_version: int | None = None,
) -> ActivityProgress:
    """Create or change an activity's progress for a quarter of its plan's year."""
    activity.check_same_county(membership)
    if not can_report_activity(membership, activity):
        raise PermissionDenied(
            _("Only the lead or a supporting organization, or the secretariat, reports this.")
        )
    clean_quarter(quarter)
    errors = {}
    if percent_complete is None or not 0 <= percent_complete <= 100:
        errors["percent_complete"] = _("Enter a completion percentage from 0 to 100.")
    if not (progress_made or "").strip():
        errors["progress_made"] = _("Describe the progress made.")
    if errors:
        raise ValidationError(errors)
    plan = activity.plan
    fields = {
        "percent_complete": percent_complete,
        "progress_made": progress_made.strip(),
        "challenges": challenges.strip(),
        "solutions": solutions.strip(),
        "entered_by": membership.user,
        "updated_at": timezone.now(),
    }
    with transaction.atomic():
        row = (
            ActivityProgress.objects.for_county(activity.county_id)
            .select_for_update()
            .filter(activity=activity, fiscal_year=plan.fiscal_year, quarter=quarter)
            .first()
        )
        if row is None:
            row = ActivityProgress.objects.create(
                county_id=activity.county_id,
                plan=plan,
                activity=activity,
                fiscal_year=plan.fiscal_year,
                quarter=quarter,
                **fields,
            )
            verb = "activity_progress.create"
        else:
            guarded_update(row, row_version, **fields)
            verb = "activity_progress.update"
        record(
            row,
            membership.user,
            verb,
            _("Progress of “%(a)s” for %(fy)s Q%(q)s: %(p)s %% complete")
            % {"a": activity.title, "fy": plan.fiscal_year, "q": quarter, "p": percent_complete},
            activity=activity.pk,
            percent_complete=percent_complete,
        )
    return row


def expenditure_save(
    *,
    membership: Membership,
    budget_line,
    quarter: int,
    amount_kes: Decimal,
    note: str = "",
    row_version: int | None = None,
) -> Expenditure:
    """Set what was spent on a budget line in a quarter (KES, to the cent).

    Spending beyond what the line's contributor released for the activity, or on a
    funding whose commitments were withdrawn, is recorded — it is a fact of the
    financial report — and flagged: the new flags are on ``row.money_flags`` (the form
    warns) and the secretariat is notified (``workplans.services.money_flags``)."""
    budget_line.check_same_county(membership)
    activity = budget_line.activity
    if not can_record_expenditure(membership, budget_line, activity):
        raise PermissionDenied(
            _("Only the activity's organizations, the contributor or the secretariat report this.")
        )
    clean_quarter(quarter)
    if amount_kes is None or amount_kes < 0:
        raise ValidationError({"amount_kes": _("Enter an amount of zero or more.")})
    if amount_kes != amount_kes.quantize(CENT):
        raise ValidationError({"amount_kes": _("Enter the amount to the cent (two decimals).")})
    plan = activity.plan
    fields = {
        "amount_kes": amount_kes,
        "note": note.strip(),
        "entered_by": membership.user,
        "updated_at": timezone.now(),
    }
    funding = {"plan": plan, "activity": activity, "contributor_id": budget_line.contributor_id}
    with transaction.atomic():
        row = (
            Expenditure.objects.for_county(activity.county_id)
            .select_for_update()
            .filter(budget_line=budget_line, fiscal_year=plan.fiscal_year, quarter=quarter)
            .first()
        )
        before = funding_flags(**funding)
        if row is None:
            row = Expenditure.objects.create(
                county_id=activity.county_id,
                plan=plan,
                activity=activity,
                budget_line=budget_line,
                fiscal_year=plan.fiscal_year,
                quarter=quarter,
                **fields,
            )
            verb = "expenditure.create"
        else:
            guarded_update(row, row_version, **fields)
            verb = "expenditure.update"
        record(
            row,
            membership.user,
            verb,
            _("Spent on “%(a)s” (%(c)s) in %(fy)s Q%(q)s: KES %(amount)s")
            % {
                "a": activity.title,
                "c": budget_line.component,
                "fy": plan.fiscal_year,
                "q": quarter,
                "amount": amount_kes,
            },
            budget_line=budget_line.pk,
            amount_kes=amount_kes,
        )
        row.money_flags = notify_new_flags(
            plan=plan,
            before=before,
            after=funding_flags(**funding),
            actor=membership.user,
            event=f"expenditure:{row.pk}:{row.row_version}",
        )
    return row


def feedback_record(
    *,
    membership: Membership,
    plan,
    from_name: str,
    text: str,
    received_on,
    requires_action: bool = False,
    activity=None,
    organization=None,
) -> Feedback:
    plan.check_same_county(membership, activity)
    if not can_log_feedback(membership):
        raise PermissionDenied(_("Observers read feedback; members who may comment log it."))
    if activity is not None and activity.plan_id != plan.pk:
        raise ValidationError({"activity": _("That activity belongs to another plan.")})
    errors = {}
    if not from_name.strip():
        errors["from_name"] = _("Say whom the feedback is from.")
    if not text.strip():
        errors["text"] = _("Write down the feedback.")
    if received_on is None:
        errors["received_on"] = _("Enter the date it was received.")
    elif received_on > timezone.localdate():
        errors["received_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        feedback = Feedback.objects.create(
            county_id=plan.county_id,
            plan=plan,
            activity=activity,
            from_name=from_name.strip(),
            organization=organization,
            text=text.strip(),
            received_on=received_on,
            requires_action=requires_action,
            recorded_by=membership.user,
        )
        record(
            feedback,
            membership.user,
            "feedback.record",
            _("Stakeholder feedback from %(who)s recorded") % {"who": feedback.from_name},
            requires_action=requires_action,
        )
    return feedback
