"""Providers of dated items (see calendars/items.py), one per kind of deadline.

Imported by CalendarsConfig.ready() so every provider is registered at start-up.
Each provider runs a fixed number of queries whatever the number of rows (the
tests count them): rows, then at most one query for the people responsible.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from calendars import statutory
from calendars.items import DatedItem, ItemKind, provider, shared
from calendars.models import CalendarEvent
from counties.models import (
    ActionItem,
    ActionStatus,
    Meeting,
    Membership,
    Nomination,
    NominationStatus,
)
from jwp.fiscal import KENYA, FiscalYear
from jwp.roles import Role
from learning.models import OPEN_STATUSES as RECOMMENDATION_OPEN
from learning.models import Recommendation
from monitoring.models import Indicator, Result, ResultStatus
from monitoring.services import result_due_date
from progress.models import OPEN_STATUSES as ADAPTATION_OPEN
from progress.models import AdaptationItem
from sectorplans.models import FINISHED, ParticipationWindow, PlanStep
from workplans.models import JointWorkPlan, PlanStatus, ReviewMilestone

APPROVED = (PlanStatus.CEC_APPROVED, PlanStatus.SIGNED)


def _url(name: str, county, *args) -> str:
    return reverse(name, args=[county.slug, *args])


def _local_day(moment) -> date:
    return timezone.localdate(moment)


def _user_ids(memberships: Iterable[Membership], key) -> dict:
    """{key(membership): (user ids…)} — who is responsible, grouped."""
    grouped: dict = defaultdict(list)
    for m in memberships:
        grouped[key(m)].append(m.user_id)
    return {k: tuple(sorted(v)) for k, v in grouped.items()}


def _sector_leads(county) -> dict[int, tuple[int, ...]]:
    """{sector id: its sector leads' user ids}, read once per dated_items() call."""

    def read():
        rows = Membership.objects.for_county(county).filter(role=Role.SECTOR_LEAD)
        return _user_ids(rows.only("user_id", "sector_id"), lambda m: m.sector_id)

    return shared(("sector_leads", county.pk), read)


def _partners(county) -> dict[int, tuple[int, ...]]:
    """{organization id: its partner members' user ids}, read once per dated_items() call."""

    def read():
        rows = Membership.objects.for_county(county).filter(role=Role.PARTNER)
        return _user_ids(rows.only("user_id", "organization_id"), lambda m: m.organization_id)

    return shared(("partners", county.pk), read)


def _current_plans(county):
    """Work plans whose dates count: not replaced by an approved or signed amendment, and
    not an amendment still in preparation (its original stays the plan in force)."""
    replaced = JointWorkPlan.objects.for_county(county).filter(
        amends__isnull=False, status__in=APPROVED
    )
    return (
        JointWorkPlan.objects.for_county(county)
        .exclude(pk__in=replaced.values("amends_id"))
        .exclude(Q(amends__isnull=False) & ~Q(status__in=APPROVED))
    )


# --- computed: the statutory county calendar and the USAID planning season -----------


def _milestone_items(county, kind, milestones, today: date) -> Iterable[DatedItem]:
    for m in milestones:
        yield DatedItem(
            key=m.key,
            county_id=county.pk,
            kind=kind,
            title=m.title,
            date=m.date,
            legal_reference=m.legal_reference,
            end=m.end,
            # Passed once its day has gone, even a season (USAID planning, Sep–Dec):
            # it is a date to know about, never "overdue".
            done=m.date < today,
            extra={"source": m.source} if m.source else {},
        )


@provider
def pfm_milestones(county, start, end, today):
    """The PFM Act's budget calendar: the secretariat is reminded (no rows, no queries)."""
    return _milestone_items(
        county,
        ItemKind.PFM,
        statutory.milestones_between(statutory.pfm_milestones, start, end),
        today,
    )


@provider
def usaid_milestones(county, start, end, today):
    return _milestone_items(
        county,
        ItemKind.USAID,
        statutory.milestones_between(statutory.usaid_milestones, start, end),
        today,
    )


# --- the calendar's own rows ----------------------------------------------------------


@provider
def jwp_events(county, start, end, today):
    """JWP process events the secretariat scheduled, dated by their first day."""
    rows = CalendarEvent.objects.for_county(county).filter(starts_on__range=(start, end))
    for row in rows:
        yield DatedItem(
            key=f"jwpevent:{row.pk}",
            county_id=county.pk,
            kind=ItemKind.JWP,
            title=row.title,
            date=row.starts_on,
            url=_url("calendars:event", county, row.pk),
            sector_id=row.sector_id,
            end=row.ends_on,
            done=row.starts_on < today,  # under way or over: no more reminders
            extra={"event_kind": row.kind, "notes": row.notes},
        )


# --- other apps' dated rows ------------------------------------------------------------


@provider
def sector_plan_steps(county, start, end, today):
    """Steps of the 47-step workflow with a due date; the sector's leads are reminded."""
    rows = list(
        PlanStep.objects.for_county(county)
        .filter(due_date__range=(start, end))
        .select_related("plan__sector", "step")
        .only(
            "id",
            "status",
            "due_date",
            "plan__id",
            "plan__sector__id",
            "plan__sector__name",
            "plan__lead_id",
            "step__number",
            "step__description",
        )
    )
    leads = _sector_leads(county) if rows else {}
    for row in rows:
        responsible = set(leads.get(row.plan.sector_id, ()))
        if row.plan.lead_id:
            responsible.add(row.plan.lead_id)
        yield DatedItem(
            key=f"planstep:{row.pk}",
            county_id=county.pk,
            kind=ItemKind.SECTOR_PLAN_STEP,
            title=_("%(sector)s sector plan, step %(number)s: %(step)s")
            % {
                "sector": row.plan.sector.name,
                "number": row.step.number,
                "step": Truncator(row.step.description).chars(90),
            },
            date=row.due_date,
            url=_url("sectorplans:step", county, row.plan_id, row.step.number),
            sector_id=row.plan.sector_id,
            responsible_user_ids=tuple(sorted(responsible)),
            done=row.status in FINISHED,
        )


@provider
def participation_windows(county, start, end, today):
    """A public participation window opens and closes: two items, the sector's leads."""
    rows = list(
        ParticipationWindow.objects.for_county(county)
        .filter(Q(opens_at__date__range=(start, end)) | Q(closes_at__date__range=(start, end)))
        .select_related("plan__sector")
        .only("id", "opens_at", "closes_at", "plan__id", "plan__sector__id", "plan__sector__name")
    )
    leads = _sector_leads(county) if rows else {}
    for row in rows:
        opens, closes = _local_day(row.opens_at), _local_day(row.closes_at)
        common = {
            "county_id": county.pk,
            "kind": ItemKind.PARTICIPATION,
            "url": _url("sectorplans:window", county, row.pk),
            "sector_id": row.plan.sector_id,
            "responsible_user_ids": leads.get(row.plan.sector_id, ()),
        }
        plan = {"sector": row.plan.sector.name}
        yield DatedItem(
            key=f"participation:{row.pk}:opens",
            title=_("Public participation opens: %(sector)s sector plan") % plan,
            date=opens,
            end=closes,
            done=opens < today,  # opened before today: nothing more to remind
            **common,
        )
        yield DatedItem(
            key=f"participation:{row.pk}:closes",
            title=_("Public participation closes: %(sector)s sector plan") % plan,
            date=closes,
            done=closes < today,
            **common,
        )


@provider
def nominations(county, start, end, today):
    """An organization's nomination to a structure is due: its partner members are reminded
    (the secretariat when the organization has no member in the county)."""
    rows = list(
        Nomination.objects.for_county(county)
        .filter(due_date__range=(start, end))
        .select_related("structure", "organization")
        .only(
            "id",
            "status",
            "due_date",
            "organization__id",
            "organization__name",
            "structure__id",
            "structure__name",
            "structure__sector_id",
        )
    )
    partners = _partners(county) if rows else {}
    for row in rows:
        yield DatedItem(
            key=f"nomination:{row.pk}",
            county_id=county.pk,
            kind=ItemKind.NOMINATION,
            title=_("Nomination due: %(organization)s to %(structure)s")
            % {"organization": row.organization.name, "structure": row.structure.name},
            date=row.due_date,
            url=_url("counties:structure", county, row.structure_id),
            sector_id=row.structure.sector_id,
            responsible_user_ids=partners.get(row.organization_id, ()),
            done=row.status != NominationStatus.INVITED,
        )


@provider
def meetings(county, start, end, today):
    rows = (
        Meeting.objects.for_county(county)
        .filter(starts_at__date__range=(start, end))
        .select_related("structure")
        .only("id", "title", "kind", "starts_at", "ends_at", "venue", "structure__sector_id")
    )
    for row in rows:
        ends = _local_day(row.ends_at) if row.ends_at else None
        yield DatedItem(
            key=f"meeting:{row.pk}",
            county_id=county.pk,
            kind=ItemKind.MEETING,
            title=row.title,
            date=_local_day(row.starts_at),
            url=_url("counties:meeting", county, row.pk),
            sector_id=row.structure.sector_id if row.structure_id else None,
            end=ends if ends and ends != _local_day(row.starts_at) else None,
            done=_local_day(row.starts_at) < today,  # held (or under way since before today)
            extra={"time": timezone.localtime(row.starts_at).strftime("%H:%M"), "venue": row.venue},
        )


@provider
def action_items(county, start, end, today):
    """Meeting action items: the owner (when they have an account) is reminded."""
    rows = (
        ActionItem.objects.for_county(county)
        .filter(due_date__range=(start, end))
        .select_related("meeting")
        .only("id", "description", "due_date", "status", "owner_user_id", "meeting_id")
    )
    for row in rows:
        yield DatedItem(
            key=f"actionitem:{row.pk}",
            county_id=county.pk,
            kind=ItemKind.ACTION_ITEM,
            title=row.description,
            date=row.due_date,
            url=reverse("counties:meeting", args=[county.slug, row.meeting_id]),
            responsible_user_ids=(row.owner_user_id,) if row.owner_user_id else (),
            done=row.status in (ActionStatus.DONE, ActionStatus.CANCELLED),
        )


@provider
def review_milestones(county, start, end, today):
    """Section 7 of the plan in force: milestones and their review dates (the secretariat)."""
    rows = (
        ReviewMilestone.objects.for_county(county)
        .filter(review_date__range=(start, end), plan__in=_current_plans(county))
        .select_related("plan")
        .only("id", "deliverable", "review_date", "status", "plan__id", "plan__fiscal_year")
    )
    for row in rows:
        yield DatedItem(
            key=f"milestone:{row.pk}",
            county_id=county.pk,
            kind=ItemKind.MILESTONE,
            title=_("Review: %(deliverable)s (work plan %(year)s)")
            % {"deliverable": row.deliverable, "year": row.plan.fiscal_year},
            date=row.review_date,
            url=_url("workplans:milestones", county, row.plan_id),
            done=row.status == "done",
        )


@provider
def result_submissions(county, start, end, today):
    """Each indicator of an approved or signed plan owes a result every quarter, due a month
    after the quarter (monitoring's rule); done once submitted or verified. The responsible
    organization's partner members are reminded."""
    years = set()
    year = FiscalYear.of(KENYA, start)
    # A quarter's result is due up to a month after the quarter: look one year back.
    year = year.previous()
    while year.start <= end:
        years.add(year.label)
        year = year.next()
    due = {
        (fy, q): d
        for fy in years
        for q in (1, 2, 3, 4)
        if start <= (d := result_due_date(fy, q)) <= end
    }
    if not due:
        return
    indicators = list(
        Indicator.objects.for_county(county)
        .filter(
            plan__in=_current_plans(county).filter(status__in=APPROVED),
            plan__fiscal_year__in={fy for fy, _q in due},
        )
        .select_related("plan", "activity")
        .only(
            "id",
            "name",
            "responsible_organization_id",
            "plan__id",
            "plan__fiscal_year",
            "activity__sector_id",
        )
    )
    if not indicators:
        return
    submitted = set(
        Result.objects.for_county(county)
        .filter(
            indicator__in=[i.pk for i in indicators],
            status__in=(ResultStatus.SUBMITTED, ResultStatus.VERIFIED),
        )
        .values_list("indicator_id", "fiscal_year", "quarter")
    )
    partners = _partners(county)
    for indicator in indicators:
        fy = indicator.plan.fiscal_year
        for q in (1, 2, 3, 4):
            if (fy, q) not in due:
                continue
            yield DatedItem(
                key=f"result:{indicator.pk}:{fy}:q{q}",
                county_id=county.pk,
                kind=ItemKind.RESULT_SUBMISSION,
                title=_("Result due: %(indicator)s (%(year)s Q%(quarter)s)")
                % {"indicator": indicator.name, "year": fy, "quarter": q},
                date=due[(fy, q)],
                url=_url("monitoring:indicator", county, indicator.pk),
                sector_id=indicator.activity.sector_id if indicator.activity_id else None,
                responsible_user_ids=partners.get(indicator.responsible_organization_id, ()),
                done=(indicator.pk, fy, q) in submitted,
            )


# --- follow-up of monitoring: adaptation actions and evaluation recommendations -------


def _owners(county, rows) -> dict[int, tuple[int, ...]]:
    """{row id: responsible user ids}: the named person, else the responsible
    organization's partner members, else nobody (the secretariat)."""
    partners = _partners(county)
    return {
        r.pk: (r.responsible_user_id,)
        if r.responsible_user_id
        else partners.get(r.responsible_organization_id, ())
        for r in rows
    }


@provider
def adaptations(county, start, end, today):
    """Adaptation actions (progress): their timeline date; done once done or dropped."""
    rows = list(
        AdaptationItem.objects.for_county(county)
        .filter(timeline__range=(start, end))
        .select_related("activity")
        .only(
            "id",
            "proposed_action",
            "timeline",
            "status",
            "responsible_user_id",
            "responsible_organization_id",
            "activity__sector_id",
        )
    )
    owners = _owners(county, rows) if rows else {}
    for row in rows:
        yield DatedItem(
            key=f"adaptation:{row.pk}",
            county_id=county.pk,
            kind=ItemKind.ADAPTATION,
            title=_("Adaptation: %(action)s")
            % {"action": Truncator(row.proposed_action).chars(100)},
            date=row.timeline,
            url=_url("progress:adaptation", county, row.pk),
            sector_id=row.activity.sector_id if row.activity_id else None,
            responsible_user_ids=owners[row.pk],
            done=row.status not in ADAPTATION_OPEN,
        )


@provider
def recommendations(county, start, end, today):
    """Evaluation recommendations (learning): their timeline; done once implemented or
    dropped."""
    rows = list(
        Recommendation.objects.for_county(county)
        .filter(due_date__range=(start, end))
        .only(
            "id",
            "text",
            "due_date",
            "status",
            "responsible_user_id",
            "responsible_organization_id",
        )
    )
    owners = _owners(county, rows) if rows else {}
    for row in rows:
        yield DatedItem(
            key=f"recommendation:{row.pk}",
            county_id=county.pk,
            kind=ItemKind.RECOMMENDATION,
            title=_("Recommendation: %(text)s") % {"text": Truncator(row.text).chars(100)},
            date=row.due_date,
            url=_url("learning:recommendation", county, row.pk),
            responsible_user_ids=owners[row.pk],
            done=row.status not in RECOMMENDATION_OPEN,
        )
