"""Pages to manage indicators, quarterly targets and the county's thresholds (issue 6,
point 1): who may, what is checked, what is audited."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from monitoring import services
from monitoring.models import Indicator, IndicatorTarget
from tests import factories

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def plan(county):
    return factories.JointWorkPlanFactory(county=county, fiscal_year="2025/26")


@pytest.fixture
def organization(county):
    org = factories.OrganizationFactory(name="Nawiri")
    factories.MembershipFactory(county=county, role=Role.PARTNER, organization=org)
    return org


def form_data(parent: str, organization, **extra):
    return {
        "measures": parent,
        "name": "Children screened",
        "definition": "Children 6–59 months screened with MUAC",
        "level": "output",
        "measure": "number",
        "unit": "children",
        "direction": "increase",
        "baseline_value": "1200",
        "baseline_date": "2025-06-30",
        "plan_target": "5000",
        "aggregation": "sum",
        "decimals": "0",
        "by_sex": "on",
        "data_source": "Screening registers",
        "collection_method": "MUAC at outreach",
        "frequency": "quarterly",
        "responsible_organization": organization.pk,
        "order": "1",
        **extra,
    }


def test_the_secretariat_adds_edits_and_deletes_an_indicator(
    client, county, make_member, plan, organization
):
    objective = factories.ObjectiveFactory(county=county, plan=plan)
    client.force_login(make_member(county, Role.SECRETARIAT))
    url = reverse("monitoring:indicator_create", args=[county.slug, plan.pk])
    page = client.get(url).content.decode()
    assert objective.statement[:40] in page and "Nawiri" in page
    response = client.post(url, form_data(f"objective:{objective.pk}", organization))
    assert response.status_code == 302, response.content.decode()[-3000:]
    with county_context([county]):
        indicator = Indicator.objects.for_county(county).get()
    assert indicator.objective_id == objective.pk and indicator.by_sex
    assert indicator.aggregation == "sum"
    assert indicator.baseline_value == D(1200) and indicator.plan_target == D(5000)
    edit = reverse("monitoring:indicator_edit", args=[county.slug, indicator.pk])
    data = form_data(f"objective:{objective.pk}", organization, name="Children under five")
    data["row_version"] = indicator.row_version
    assert client.post(edit, data).status_code == 302
    # a second save with the version read before is stale: nothing is overwritten
    stale = client.post(edit, {**data, "name": "Old tab"})
    assert stale.status_code == 200 and "Someone else saved" in stale.content.decode()
    assert factories.refresh(indicator).name == "Children under five"
    delete = reverse("monitoring:indicator_delete", args=[county.slug, indicator.pk])
    factories.ResultFactory(county=county, indicator=indicator, fiscal_year="2025/26")
    client.post(delete)
    with county_context([county]):
        assert Indicator.objects.for_county(county).filter(pk=indicator.pk).exists()
        indicator.results.all().delete()
    assert client.post(delete).status_code == 302
    with county_context([county]):
        assert not Indicator.objects.for_county(county).exists()
        verbs = set(AuditEvent.objects.for_county(county).values_list("verb", flat=True))
    assert {"indicator.create", "indicator.update", "indicator.delete"} <= verbs


def test_the_form_says_what_is_wrong(client, county, make_member, plan, organization):
    objective = factories.ObjectiveFactory(county=county, plan=plan)
    client.force_login(make_member(county, Role.SECRETARIAT))
    url = reverse("monitoring:indicator_create", args=[county.slug, plan.pk])
    data = form_data(f"objective:{objective.pk}", organization, measure="percentage")
    body = client.post(url, data).content.decode()
    assert "A percentage is at most 100." in body
    data = form_data("", organization, baseline_value="")
    body = client.post(url, data).content.decode()
    assert "This field is required." in body
    other_plan_objective = factories.ObjectiveFactory(county=county, plan__fiscal_year="2026/27")
    body = client.post(url, form_data(f"objective:{other_plan_objective.pk}", organization))
    assert "Select a valid choice" in body.content.decode()
    data = form_data(f"objective:{objective.pk}", organization, baseline_value="")
    assert "Give the baseline value" in client.post(url, data).content.decode()
    with county_context([county]):
        assert not Indicator.objects.for_county(county).exists()


def test_a_sector_lead_manages_only_their_own_sectors_activities(
    client, county, make_member, plan, organization
):
    mine = factories.JointActivityFactory(county=county, plan=plan)
    theirs = factories.JointActivityFactory(
        county=county, plan=plan, sector=factories.SectorFactory(county=county)
    )
    objective = factories.ObjectiveFactory(county=county, plan=plan)
    lead = make_member(county, Role.SECTOR_LEAD, sector=mine.sector)
    client.force_login(lead)
    url = reverse("monitoring:indicator_create", args=[county.slug, plan.pk])
    page = client.get(url).content.decode()
    assert mine.title in page and theirs.title not in page and objective.statement not in page
    assert client.post(url, form_data(f"activity:{theirs.pk}", organization)).status_code == 200
    assert client.post(url, form_data(f"activity:{mine.pk}", organization)).status_code == 302
    other = factories.IndicatorFactory(county=county, plan=plan, objective=None, activity=theirs)
    for name in ("indicator_edit", "targets"):
        assert (
            client.get(reverse(f"monitoring:{name}", args=[county.slug, other.pk])).status_code
            == 403
        )


@pytest.mark.parametrize("role", [Role.PARTNER, Role.EXECUTIVE, Role.OBSERVER, Role.ASSEMBLY])
def test_other_roles_cannot_manage(client, county, make_member, plan, role):
    indicator = factories.IndicatorFactory(county=county, plan=plan)
    client.force_login(make_member(county, role))
    for url in (
        reverse("monitoring:indicator_create", args=[county.slug, plan.pk]),
        reverse("monitoring:indicator_edit", args=[county.slug, indicator.pk]),
        reverse("monitoring:targets", args=[county.slug, indicator.pk]),
        reverse("monitoring:thresholds", args=[county.slug]),
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            reverse("monitoring:indicator_delete", args=[county.slug, indicator.pk])
        ).status_code
        == 403
    )


def test_the_targets_grid_shows_both_calendars_and_checks_every_quarter(
    client, county, make_member, plan
):
    indicator = factories.IndicatorFactory(county=county, plan=plan)
    factories.IndicatorTargetFactory(county=county, indicator=indicator, quarter=4, value=D(9))
    client.force_login(make_member(county, Role.SECRETARIAT))
    url = reverse("monitoring:targets", args=[county.slug, indicator.pk])
    page = client.get(url).content.decode()
    assert "2025/26 Q1" in page and "FY2025 Q4" in page and "FY2026 Q3" in page
    response = client.post(url, {"q1": "100", "q2": "-5", "q3": "", "q4": ""})
    assert response.status_code == 200
    with county_context([county]):
        assert IndicatorTarget.objects.for_county(county).get().value == D(9)  # nothing saved
    assert client.post(url, {"q1": "100", "q2": "150", "q3": "", "q4": ""}).status_code == 302
    with county_context([county]):
        targets = dict(IndicatorTarget.objects.for_county(county).values_list("quarter", "value"))
    assert targets == {1: D(100), 2: D(150)}  # Q4 cleared


def test_thresholds_page_validates_and_saves(client, county, make_member):
    client.force_login(make_member(county, Role.SECRETARIAT))
    url = reverse("monitoring:thresholds", args=[county.slug])
    assert "from 90" in client.get(url).content.decode()
    body = client.post(url, {"green_from": "60", "amber_from": "80"}).content.decode()
    assert "Amber must start at or below green" in body
    assert client.post(url, {"green_from": "", "amber_from": "80"}).status_code == 200
    assert client.post(url, {"green_from": "95", "amber_from": "75"}).status_code == 302
    with county_context([county]):
        row = services.thresholds_for(county)
    assert (row.green_from, row.amber_from) == (D(95), D(75))


def test_targets_changed_meanwhile_are_not_overwritten(client, county, make_member, plan):
    indicator = factories.IndicatorFactory(county=county, plan=plan)
    factories.IndicatorTargetFactory(county=county, indicator=indicator, quarter=1, value=D(5))
    client.force_login(make_member(county, Role.SECRETARIAT))
    url = reverse("monitoring:targets", args=[county.slug, indicator.pk])
    loaded = client.get(url).context["form"].initial["loaded"]
    first = {"loaded": loaded, "q1": "10", "q2": "", "q3": "", "q4": ""}
    assert client.post(url, first).status_code == 302
    second = client.post(url, {**first, "q1": "20"})  # read before the first save
    assert second.status_code == 200
    assert "Someone else changed these targets" in second.content.decode()
    assert second.context["form"].initial["q1"] == D(10)  # theirs shown
    with county_context([county]):
        assert IndicatorTarget.objects.for_county(county).get().value == D(10)
