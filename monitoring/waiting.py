"""What waits for a member in monitoring (``notifications.waiting``): results awaiting
their verification, and their returned results awaiting resubmission.

Decided by the same predicates that allow the action: a result waits for a verifier
who may verify it (the secretariat, not the person who submitted it); a returned
result (a draft with its return comment) waits for the member who submitted it and
for the reporters of the responsible organization. Two queries at most.
"""

from __future__ import annotations

from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jwp.roles import Role
from monitoring.models import Result, ResultStatus
from monitoring.services import can_verify, may_verify
from notifications.waiting import WaitingItem, waiting_provider

AREA = gettext_lazy("Results")


def _url(result: Result, name: str = "monitoring:result") -> str:
    return reverse(name, args=[result.county.slug, result.pk])


def _title(result: Result) -> str:
    return _("“%(name)s”, %(fy)s Q%(q)s") % {
        "name": result.indicator.name,
        "fy": result.fiscal_year,
        "q": result.quarter,
    }


@waiting_provider
def results_waiting(membership, today) -> list[WaitingItem]:
    items = []
    county = membership.county_id
    related = ("indicator", "county")
    if can_verify(membership):
        for result in (
            Result.objects.for_county(county)
            .filter(status=ResultStatus.SUBMITTED)
            .exclude(submitted_by_id=membership.user_id)
            .select_related(*related)
        ):
            if not may_verify(membership, result):
                continue
            items.append(
                WaitingItem(
                    key=f"result:{result.pk}:verify",
                    title=_title(result),
                    why=_("Submitted for verification: verify it or return it."),
                    url=_url(result, "monitoring:result_verify"),
                    since=result.submitted_at,
                    area=str(AREA),
                )
            )
    mine = Q(submitted_by_id=membership.user_id)
    if membership.role == Role.PARTNER and membership.organization_id:
        mine |= Q(indicator__responsible_organization_id=membership.organization_id)
    for result in (
        Result.objects.for_county(county)
        .filter(mine, status__in=[ResultStatus.DRAFT, ResultStatus.RETURNED])
        .exclude(return_comment="")
        .select_related(*related)
        .annotate(returned_at=Max("comments__created_at", filter=Q(comments__kind="return")))
    ):
        items.append(
            WaitingItem(
                key=f"result:{result.pk}:resubmit",
                title=_title(result),
                why=_("Returned for correction: %(reason)s")
                % {"reason": result.return_comment[:120]},
                url=_url(result),
                since=result.returned_at,
                area=str(AREA),
            )
        )
    return items
