"""A county ready for the plan's approval chain: the office holders, a plan whose
content passes every check, a held and a future TWG meeting. Shared by the workflow
tests and the browser test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from counties.models import Membership, Office, OfficeKind, Ward
from counties.services.offices import office_assign, office_get_or_create
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from workplans.models import ActivityWard, JointWorkPlan, PlanStatus
from workplans.services import plans as services


@dataclass
class Chain:
    county: object
    plan: JointWorkPlan
    org: object
    secretariat: Membership
    secretary: Membership  # County Secretary
    finance: Membership  # CEC Member for Finance and Economic Planning
    chair: Membership  # TWG chair
    signatory: Membership  # the partner's authorized signatory
    executive: Membership  # a CEC member holding no office
    held: object  # a TWG meeting three days ago
    future: object  # a TWG meeting next week
    activity: object


def member(county, role, **kw) -> Membership:
    return factories.MembershipFactory(county=county, role=role, **kw)


def assign(county, kind, holder: Membership, by: Membership, starts_on: date, **kw):
    with county_context([county]):
        office = office_get_or_create(county=county, kind=kind, **kw)
        return office_assign(office=office, holder=holder, starts_on=starts_on, by=by)


def build(county) -> Chain:
    today = timezone.localdate()
    since = today - timedelta(days=60)
    org = factories.OrganizationFactory(name="World Vision Kenya", acronym="WVK")
    sec = member(county, Role.SECRETARIAT)
    people = {
        "secretary": member(county, Role.EXECUTIVE),
        "finance": member(county, Role.EXECUTIVE),
        "chair": member(county, Role.EXECUTIVE),
        "signatory": member(county, Role.PARTNER, organization=org),
        "executive": member(county, Role.EXECUTIVE),
    }
    assign(county, OfficeKind.COUNTY_SECRETARY, people["secretary"], sec, since)
    assign(county, OfficeKind.CEC_FINANCE, people["finance"], sec, since)
    assign(county, OfficeKind.TWG_CHAIR, people["chair"], sec, since)
    assign(county, OfficeKind.PARTNER_SIGNATORY, people["signatory"], sec, since, organization=org)
    with county_context([county]):
        plan = services.workplan_create(
            county=county,
            membership=sec,
            fiscal_year="2025/26",
            title="Samburu JWP",
            lead_agency=factories.OrganizationFactory(),
            start_date=date(2025, 7, 1),
            end_date=date(2026, 6, 30),
            partners=[org],
        )
        services.workplan_advance(plan=plan, membership=sec, to=PlanStatus.CO_CREATION)
    factories.ObjectiveFactory(county=county, plan=plan)
    activity = factories.JointActivityFactory(county=county, plan=plan, title="Borehole repair")
    with county_context([county]):
        ActivityWard.objects.create(
            county=county, activity=activity, ward=Ward.objects.filter(county=county).first()
        )
    factories.BudgetLineFactory(county=county, activity=activity, contributor=org)
    now = timezone.now()
    held = factories.MeetingFactory(county=county, starts_at=now - timedelta(days=3))
    future = factories.MeetingFactory(county=county, starts_at=now + timedelta(days=7))
    return Chain(
        county=county,
        plan=plan,
        org=org,
        secretariat=sec,
        held=held,
        future=future,
        activity=activity,
        **people,
    )


def office(county, kind, **kw) -> Office:
    with county_context([county]):
        return Office.objects.for_county(county).get(kind=kind, **kw)
