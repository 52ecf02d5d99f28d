"""Section 1, objectives and activities of a joint work plan: who edits what, the
county's own wards and sub-counties, and stale edits refused."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from counties.models import SubCounty, Ward
from jwp.fiscal import KENYA, FiscalYear
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from workplans.models import ActivitySupporter, ActivityWard, JointActivity
from workplans.services import plans as services


def _sector(county, slug):
    return factories._county_sector(county, slug)


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county)


@pytest.fixture
def secretariat_m(county):
    return factories.MembershipFactory(county=county, role=Role.SECRETARIAT)


def test_scope_codes_must_be_of_this_county(county, neighbour, secretariat_m):
    own = SubCounty.objects.filter(county=county).first()
    foreign = SubCounty.objects.filter(county=neighbour).first()
    with county_context([county]):
        with pytest.raises(ValidationError) as err:
            services.workplan_create(
                county=county,
                membership=secretariat_m,
                fiscal_year="2025/26",
                title="JWP",
                lead_agency=factories.OrganizationFactory(),
                start_date=date(2025, 7, 1),
                end_date=date(2026, 6, 30),
                scope_level="subcounties",
                scope_codes=[own.code, foreign.code],
            )
        assert foreign.code in str(err.value.error_dict["scope_codes"])
        plan = services.workplan_create(
            county=county,
            membership=secretariat_m,
            fiscal_year="2025/26",
            title="JWP",
            lead_agency=factories.OrganizationFactory(),
            start_date=date(2025, 7, 1),
            end_date=date(2026, 6, 30),
            scope_level="subcounties",
            scope_codes=[own.code],
        )
    assert plan.scope_codes == [own.code]


def test_only_the_secretariat_creates_a_plan(county):
    lead = factories.MembershipFactory(county=county, role=Role.SECTOR_LEAD)
    with county_context([county]), pytest.raises(PermissionDenied):
        services.workplan_create(
            county=county,
            membership=lead,
            fiscal_year="2025/26",
            title="JWP",
            lead_agency=factories.OrganizationFactory(),
            start_date=date(2025, 7, 1),
            end_date=date(2026, 6, 30),
        )


def test_sector_lead_edits_only_own_sector(county, plan):
    health, water = (
        _sector(county, "health"),
        _sector(county, "environment-water-natural-resources"),
    )
    lead = factories.MembershipFactory(county=county, role=Role.SECTOR_LEAD, sector=health)
    own = factories.JointActivityFactory(county=county, plan=plan, sector=health)
    other = factories.JointActivityFactory(county=county, plan=plan, sector=water)
    with county_context([county]):
        services.activity_update(activity=own, membership=lead, row_version=1, title="Ours")
        with pytest.raises(PermissionDenied):
            services.activity_update(activity=other, membership=lead, row_version=1, title="X")
        # nor move its own activity into another sector
        with pytest.raises(PermissionDenied):
            services.activity_update(activity=own, membership=lead, row_version=2, sector=water)
    assert factories.refresh(own).title == "Ours"


def test_partner_edits_and_adds_only_activities_it_leads(county, plan):
    org = factories.OrganizationFactory()
    partner = factories.MembershipFactory(county=county, role=Role.PARTNER, organization=org)
    led = factories.JointActivityFactory(county=county, plan=plan, lead_organization=org)
    supported = factories.JointActivityFactory(county=county, plan=plan)
    health = _sector(county, "health")
    with county_context([county]):
        services.activity_update(activity=led, membership=partner, row_version=1, title="Ours")
        with pytest.raises(PermissionDenied):
            services.activity_update(
                activity=supported, membership=partner, row_version=1, title="X"
            )
        with pytest.raises(PermissionDenied):
            services.activity_delete(activity=supported, membership=partner)
        with pytest.raises(PermissionDenied):  # may not hand its activity to another
            services.activity_update(
                activity=led,
                membership=partner,
                row_version=2,
                lead_organization=supported.lead_organization,
            )
        with pytest.raises(PermissionDenied):
            services.activity_create(
                plan=plan,
                membership=partner,
                title="For someone else",
                sector=health,
                lead_organization=supported.lead_organization,
                start_date=date(2025, 8, 1),
                end_date=date(2025, 9, 1),
            )
        created = services.activity_create(
            plan=plan,
            membership=partner,
            title="Our new one",
            sector=health,
            lead_organization=org,
            start_date=date(2025, 8, 1),
            end_date=date(2025, 9, 1),
        )
    assert created.lead_organization == org


def test_observer_cannot_add_activities(county, plan):
    observer = factories.MembershipFactory(county=county, role=Role.OBSERVER)
    with county_context([county]), pytest.raises(PermissionDenied):
        services.activity_create(
            plan=plan,
            membership=observer,
            title="X",
            sector=_sector(county, "health"),
            lead_organization=factories.OrganizationFactory(),
            start_date=date(2025, 8, 1),
            end_date=date(2025, 9, 1),
        )


def test_activity_dates_and_wards_stay_inside_the_plan_and_county(
    county, neighbour, plan, secretariat_m
):
    foreign_ward = Ward.objects.filter(county=neighbour).first()
    kwargs = dict(
        plan=plan,
        membership=secretariat_m,
        title="X",
        sector=_sector(county, "health"),
        lead_organization=factories.OrganizationFactory(),
    )
    with county_context([county]):
        with pytest.raises(ValidationError) as err:
            services.activity_create(
                **kwargs, start_date=date(2025, 6, 1), end_date=date(2026, 7, 31)
            )
        assert set(err.value.error_dict) == {"start_date", "end_date"}
        with pytest.raises(ValidationError) as err:
            services.activity_create(
                **kwargs,
                start_date=date(2025, 8, 1),
                end_date=date(2025, 9, 1),
                wards=[foreign_ward],
            )
        assert set(err.value.error_dict) == {"wards"}


def test_stale_activity_edit_is_refused_with_the_current_values(county, plan, secretariat_m):
    activity = factories.JointActivityFactory(county=county, plan=plan, title="Original")
    with county_context([county]):
        services.activity_update(
            activity=JointActivity.objects.for_county(county).get(pk=activity.pk),
            membership=secretariat_m,
            row_version=1,
            title="First save",
        )
        with pytest.raises(services.EditConflict) as err:
            services.activity_update(
                activity=activity, membership=secretariat_m, row_version=1, title="Second save"
            )
    assert err.value.current.title == "First save"
    assert factories.refresh(activity).title == "First save"


def test_stale_section_1_edit_is_refused(county, plan, secretariat_m):
    with county_context([county]):
        services.workplan_update(plan=plan, membership=secretariat_m, row_version=1, title="A")
        with pytest.raises(services.EditConflict):
            services.workplan_update(plan=plan, membership=secretariat_m, row_version=1, title="B")
    assert factories.refresh(plan).title == "A"


def test_objective_links_a_cidp_programme_of_this_county(county, plan, secretariat_m):
    with county_context([county]):
        programme = services.cidp_programme_save(
            county=county,
            membership=secretariat_m,
            code="P1",
            name="Water supply",
            sector=_sector(county, "environment-water-natural-resources"),
        )
        with pytest.raises(ValidationError):
            services.cidp_programme_save(
                county=county,
                membership=secretariat_m,
                code="P1",
                name="Duplicate",
                sector=_sector(county, "environment-water-natural-resources"),
            )
        objective = services.objective_save(
            plan=plan,
            membership=secretariat_m,
            statement="More households with clean water",
            priority_area="Water",
            programme=programme,
        )
    assert objective.programme == programme


# --- pages ---------------------------------------------------------------------


def _url(name, county, *args):
    from django.urls import reverse

    return reverse(f"workplans:{name}", args=[county.slug, *args])


def _plan_with_activities(county, n: int, *, plan=None, extras=True):
    """A plan with ``n`` health activities, each in two wards with two supporters."""
    plan = plan or factories.JointWorkPlanFactory(county=county)
    wards = list(Ward.objects.filter(county=county)[:2])
    partners = [factories.OrganizationFactory() for _ in range(3)]
    with county_context([county]):
        for org in partners if extras else ():
            from workplans.models import PlanPartner

            PlanPartner.objects.create(county=county, plan=plan, organization=org)
    for _ in range(n):
        a = factories.JointActivityFactory(county=county, plan=plan)
        with county_context([county]):
            for w in wards:
                ActivityWard.objects.create(county=county, activity=a, ward=w)
            for org in partners[:2]:
                ActivitySupporter.objects.create(county=county, activity=a, organization=org)
    for _ in range(3 if extras else 0):
        factories.ObjectiveFactory(county=county, plan=plan)
    return plan


def test_plan_list_shows_the_countys_plans_with_activity_counts(
    client, county, neighbour, secretariat, neighbour_secretariat
):
    _plan_with_activities(county, 3)
    _plan_with_activities(neighbour, 1)
    client.force_login(secretariat)
    response = client.get(_url("plans", county))
    [plan] = response.context["page"].object_list
    assert plan.activity_count == 3
    assert "2025/26" in response.content.decode()


def test_secretariat_creates_a_plan_in_the_browser_form(client, county, secretariat):
    """The form offers the fiscal years around today (one before, two after): take the
    current one, whatever the date."""
    client.force_login(secretariat)
    # In the county's register: pick lists accept engaged (or searched) organizations.
    lead = factories.StakeholderFactory(county=county).organization
    ward = Ward.objects.filter(county=county).first()
    year = FiscalYear.of(KENYA, timezone.localdate())
    response = client.post(
        _url("plan_new", county),
        {
            "fiscal_year": year.label,
            "title": f"Samburu JWP {year.label}",
            "scope_level": "wards",
            "scope_codes": [ward.code],
            "lead_agency": lead.pk,
            "start_date": year.start.isoformat(),
            "end_date": year.end.isoformat(),
            "reporting_frequency": "quarterly",
        },
    )
    assert response.status_code == 302
    with county_context([county]):
        from workplans.models import JointWorkPlan

        plan = JointWorkPlan.objects.for_county(county).get()
    assert plan.scope_codes == [ward.code]
    page = client.get(response["Location"]).content.decode()
    # 1 July falls in the Kenyan year's Q1 and the USAID year's Q4 (it began 1 October).
    assert f"{year.label} Q1 · FY{year.start.year} Q4" in page


def test_observer_cannot_open_the_new_plan_form(client, county, make_member):
    client.force_login(make_member(county, Role.OBSERVER))
    assert client.get(_url("plan_new", county)).status_code == 403


def test_stale_activity_form_shows_both_versions_and_keeps_the_input(
    client, county, secretariat, secretariat_m
):
    plan = factories.JointWorkPlanFactory(county=county)
    activity = factories.JointActivityFactory(county=county, plan=plan, title="Original")
    with county_context([county]):
        services.activity_update(
            activity=activity, membership=secretariat_m, row_version=1, title="Their title"
        )
    client.force_login(secretariat)
    response = client.post(
        _url("activity_edit", county, activity.pk),
        {
            "title": "My title",
            "sector": activity.sector_id,
            "lead_organization": activity.lead_organization_id,
            "start_date": "2025-09-01",
            "end_date": "2025-12-31",
            "status": "planned",
            "row_version": 1,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this" in page
    assert "Their title" in page and 'value="My title"' in page
    assert factories.refresh(activity).title == "Their title"


def test_sector_lead_cannot_open_another_sectors_activity_form(client, county, make_member):
    water = _sector(county, "environment-water-natural-resources")
    client.force_login(make_member(county, Role.SECTOR_LEAD, sector=water))
    activity = factories.JointActivityFactory(county=county)  # health
    assert client.get(_url("activity_edit", county, activity.pk)).status_code == 403


def test_annex_is_served_to_members_and_checked_by_content(client, county, secretariat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = factories.JointWorkPlanFactory(county=county)
    client.force_login(secretariat)
    fake = SimpleUploadedFile("report.pdf", b"not a pdf at all")
    response = client.post(_url("annexes", county, plan.pk), {"title": "Report", "file": fake})
    assert response.status_code == 200
    assert "not a real" in response.content.decode()
    real = SimpleUploadedFile("report.pdf", factories.PDF_BYTES)
    response = client.post(_url("annexes", county, plan.pk), {"title": "Report", "file": real})
    assert response.status_code == 302
    with county_context([county]):
        from workplans.models import Annex

        annex = Annex.objects.for_county(county).get()
    response = client.get(_url("annex", county, annex.pk))
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_activities(county, plan, n):
    _plan_with_activities(county, n, plan=plan, extras=False)


def test_plan_page_query_count(client, county, neighbour, secretariat):
    plan = _plan_with_activities(county, 3)
    _plan_with_activities(neighbour, 3)
    client.force_login(secretariat)
    url = _url("plan", county, plan.pk)
    with_3 = _queries(client, url)
    # 21 queries (PostgreSQL; 18 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, plan, activity counts per
    # sector, sectors, signatures, partners, switcher (savepoint, set_config user_id,
    # my memberships, release), versions, objectives, set_config reset, 2 releases
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    assert with_3 <= 22
    _more_activities(county, plan, 7)
    assert _queries(client, url) == with_3  # 10 activities cost the same as 3


def test_sector_view_query_count(client, county, secretariat):
    plan = _plan_with_activities(county, 3)
    client.force_login(secretariat)
    url = _url("sector", county, plan.pk, _sector(county, "health").pk)
    with_3 = _queries(client, url)
    # 20 queries (PostgreSQL; 17 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, plan, sector, activities,
    # their wards, their supporters, overlap flags, switcher (savepoint, set_config
    # user_id, my memberships, release), set_config reset, 2 releases
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    assert with_3 <= 21
    _more_activities(county, plan, 7)
    assert _queries(client, url) == with_3  # 10 activities cost the same as 3


def test_plan_list_query_count(client, county, neighbour, secretariat):
    for fy in ("2023/24", "2024/25", "2025/26"):
        _plan_with_activities(
            county, 3, plan=factories.JointWorkPlanFactory(county=county, fiscal_year=fy)
        )
    _plan_with_activities(neighbour, 1)
    client.force_login(secretariat)
    url = _url("plans", county)
    with_3 = _queries(client, url)
    # 17 queries (PostgreSQL; 14 on SQLite): request savepoint, session, user, county,
    # context savepoint, set_config county_ids, membership, fiscal years (filter
    # choices), COUNT plans, switcher (savepoint, set_config user_id, my memberships,
    # release), page of plans with lead agency and activity counts, set_config reset,
    # 2 releases
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    assert with_3 <= 18
    factories.JointWorkPlanFactory(county=county, fiscal_year="2026/27")
    assert _queries(client, url) == with_3  # a fourth plan costs nothing more
