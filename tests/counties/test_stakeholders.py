"""The stakeholder register and the influence/interest matrix."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counties import services
from counties.matrix import matrix_points
from counties.models import Quadrant, Sector, Stakeholder, Ward
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories

pytestmark = pytest.mark.django_db


def _url(name, county, **kwargs):
    return reverse(f"counties:{name}", kwargs={"county_slug": county.slug, **kwargs})


def _health(county):
    with county_context([county]):
        return Sector.objects.for_county(county).get(slug="health")


def test_secretariat_maps_a_stakeholder_with_sectors_and_wards(client, county, secretariat):
    org = factories.OrganizationFactory(name="World Vision Kenya")
    maralal = Ward.objects.get(county=county, name="Maralal")
    client.force_login(secretariat)
    response = client.post(
        _url("stakeholder_new", county),
        {
            "organization": org.pk,
            "organization-search": "World Vision",
            "role": "WASH and livelihoods",
            "interest": "high",
            "influence": "medium",
            "involvement": "Implements in water",
            "sectors": [_health(county).pk],
            "wards": [maralal.pk],
            "is_preg_partner": "on",
        },
    )
    assert response.status_code == 302
    with county_context([county]):
        row = Stakeholder.objects.for_county(county).get(organization=org)
        assert [s.slug for s in row.sectors.all()] == ["health"]
        assert [w.name for w in row.wards.all()] == ["Maralal"]
        assert AuditEvent.objects.for_county(county).filter(verb="stakeholder.create").exists()
    assert row.quadrant == Quadrant.KEEP_INFORMED and row.is_preg_partner


def test_an_organization_is_mapped_once_per_county(client, county, neighbour, secretariat):
    row = factories.StakeholderFactory(county=county)
    factories.StakeholderFactory(county=neighbour, organization=row.organization)  # fine
    client.force_login(secretariat)
    response = client.post(
        _url("stakeholder_new", county),
        {
            "organization": row.organization_id,
            "interest": "low",
            "influence": "low",
        },
    )
    assert response.status_code == 200
    assert b"already in the register" in response.content


def test_wards_and_sectors_of_another_county_are_refused(county, neighbour, secretariat):
    lodwar = Ward.objects.filter(county=neighbour).first()
    with county_context([county]), pytest.raises(ValidationError) as exc:
        services.stakeholder_save(
            county=county,
            actor=secretariat,
            organization=factories.OrganizationFactory(),
            interest="high",
            influence="high",
            sectors=[],
            wards=[lodwar],
        )
    assert "wards" in exc.value.message_dict


def test_the_form_offers_only_this_countys_wards(client, county, neighbour, secretariat):
    client.force_login(secretariat)
    page = client.get(_url("stakeholder_new", county)).content.decode()
    assert "Maralal" in page
    assert Ward.objects.filter(county=neighbour).first().name not in page


def test_partner_edits_where_its_own_organization_works(client, county, make_member):
    partner = factories.MembershipFactory(county=county, role=Role.PARTNER)
    row = factories.StakeholderFactory(county=county, organization=partner.organization)
    client.force_login(partner.user)
    response = client.post(
        _url("stakeholder_coverage", county, stakeholder_id=row.pk),
        {"sectors": [_health(county).pk]},
    )
    assert response.status_code == 302
    with county_context([county]):
        assert [s.slug for s in row.sectors.all()] == ["health"]


def test_partner_cannot_edit_another_organizations_row(client, county):
    partner = factories.MembershipFactory(county=county, role=Role.PARTNER)
    other = factories.StakeholderFactory(county=county)
    client.force_login(partner.user)
    assert (
        client.get(_url("stakeholder_coverage", county, stakeholder_id=other.pk)).status_code == 403
    )
    assert client.get(_url("stakeholder_edit", county, stakeholder_id=other.pk)).status_code == 403
    own = factories.StakeholderFactory(county=county, organization=partner.organization)
    # the register's assessment (interest, influence) stays the secretariat's
    assert client.get(_url("stakeholder_edit", county, stakeholder_id=own.pk)).status_code == 403


def test_observer_reads_the_register_but_cannot_map(client, county, make_member):
    factories.StakeholderFactory(county=county, organization__name="Kenya Red Cross")
    client.force_login(make_member(county, Role.OBSERVER))
    assert b"Kenya Red Cross" in client.get(_url("stakeholders", county)).content
    assert client.get(_url("stakeholder_new", county)).status_code == 403


def test_register_filters_by_sector_ward_category_and_preg(client, county, secretariat):
    health = _health(county)
    maralal = Ward.objects.get(county=county, name="Maralal")
    a = factories.StakeholderFactory(
        county=county, organization__name="Alpha Health", is_preg_partner=True
    )
    factories.StakeholderFactory(
        county=county, organization__name="Beta Water", organization__category="cso"
    )
    with county_context([county]):
        services.stakeholder_set_coverage(
            stakeholder=a, actor=secretariat, sectors=[health], wards=[maralal]
        )
    client.force_login(secretariat)
    for params in (
        {"sector": health.pk},
        {"ward": maralal.pk},
        {"preg": "yes"},
        {"category": "implementing_partner"},
    ):
        page = client.get(_url("stakeholders", county), params).content
        assert b"Alpha Health" in page and b"Beta Water" not in page, params


def test_register_counts_stakeholders_per_quadrant(client, county, secretariat):
    for interest, influence in [
        ("high", "high"),
        ("high", "high"),
        ("low", "high"),
        ("medium", "low"),
    ]:
        factories.StakeholderFactory(county=county, interest=interest, influence=influence)
    client.force_login(secretariat)
    page = client.get(_url("stakeholders", county)).content.decode()
    assert "<strong>2</strong> Manage closely" in page
    assert "<strong>1</strong> Keep satisfied" in page
    assert "<strong>1</strong> Monitor" in page


@pytest.mark.parametrize(
    "interest,influence,quadrant",
    [
        ("high", "high", Quadrant.MANAGE_CLOSELY),
        ("medium", "high", Quadrant.KEEP_SATISFIED),
        ("high", "low", Quadrant.KEEP_INFORMED),
        ("medium", "medium", Quadrant.MONITOR),
    ],
)
def test_each_combination_falls_in_one_quadrant(interest, influence, quadrant):
    assert Stakeholder(interest=interest, influence=influence).quadrant == quadrant


def test_points_in_one_cell_do_not_overlap(county):
    rows = [
        factories.StakeholderFactory(county=county, interest="high", influence="high")
        for _ in range(5)
    ]
    with county_context([county]):
        points = matrix_points(
            Stakeholder.objects.for_county(county).select_related("organization")
        )
    assert len({(p.x, p.y) for p in points}) == len(rows)
    assert all(p.x > 320 and p.y < 260 for p in points)  # all in the top-right quadrant


def test_matrix_links_every_stakeholder_and_filters_by_category(client, county, secretariat):
    cso = factories.StakeholderFactory(
        county=county, organization__acronym="SWT", organization__category="cso"
    )
    ip = factories.StakeholderFactory(county=county, organization__acronym="NAWIRI")
    client.force_login(secretariat)
    page = client.get(_url("stakeholder_matrix", county)).content.decode()
    for row in (cso, ip):
        assert _url("stakeholder", county, stakeholder_id=row.pk) in page
    assert "<svg" in page and "Manage closely" in page
    only_cso = client.get(_url("stakeholder_matrix", county), {"category": "cso"}).content
    assert b"SWT" in only_cso and b"NAWIRI" not in only_cso


def test_matrix_has_an_empty_state(client, county, secretariat):
    client.force_login(secretariat)
    assert b"Nobody to place yet" in client.get(_url("stakeholder_matrix", county)).content


def test_register_escapes_what_people_type(client, county, secretariat):
    factories.StakeholderFactory(county=county, role="<script>alert(1)</script>")
    client.force_login(secretariat)
    page = client.get(_url("stakeholders", county)).content
    assert b"<script>alert" not in page and b"&lt;script&gt;" in page


def _register_rows(county, n):
    health = _health(county)
    wards = list(Ward.objects.filter(county=county)[:2])
    for _ in range(n):
        row = factories.StakeholderFactory(
            county=county, key_contact=factories.ContactFactory(county=county)
        )
        with county_context([county]):
            services.stakeholder_set_coverage(
                stakeholder=row, actor=None, sectors=[health], wards=wards
            )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["stakeholders", "stakeholder_matrix"])
def test_register_and_matrix_query_counts_do_not_grow_with_rows(
    client, county, neighbour, secretariat, django_assert_max_num_queries, name
):
    _register_rows(neighbour, 2)
    _register_rows(county, 3)
    client.force_login(secretariat)
    url = _url(name, county)
    # Register, measured: 21 on PostgreSQL (18 on SQLite, the matrix fewer): savepoint,
    # session, user, county, savepoint + set_config, membership, page count, quadrant
    # counts, the switcher's memberships (savepoint + set_config + select + release), the
    # filter form's sector and ward choices, rows, sectors and wards prefetches,
    # set_config restore, two releases.
    # +1 (PostgreSQL and SQLite): the notification bell's unread COUNT in the header.
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200
    with_three = _queries(client, url)
    _register_rows(county, 7)
    assert _queries(client, url) == with_three  # no query per row


def test_a_new_organization_is_recorded_then_mapped(client, county, secretariat):
    client.force_login(secretariat)
    response = client.post(
        _url("organization_new", county),
        {
            "name": "Samburu Youth Network",
            "acronym": "SYN",
            "category": "community",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(_url("stakeholder_new", county) + "?organization=")
    form = client.get(response["Location"]).content.decode()
    assert "Samburu Youth Network" in form


def test_the_api_lists_the_register_with_filters(client, county, neighbour, secretariat):
    a = factories.StakeholderFactory(county=county, organization__name="Alpha")
    factories.StakeholderFactory(county=county, organization__name="Beta", interest="low")
    factories.StakeholderFactory(county=neighbour, organization__name="Gamma")
    with county_context([county]):
        services.stakeholder_set_coverage(
            stakeholder=a, actor=None, sectors=[_health(county)], wards=[]
        )
    client.force_login(secretariat)
    url = reverse("api:stakeholders", kwargs={"county_slug": county.slug})
    names = [r["organization"]["name"] for r in client.get(url).json()["results"]]
    assert names == ["Alpha", "Beta"]
    assert [
        r["organization"]["name"] for r in client.get(url, {"sector": "health"}).json()["results"]
    ] == ["Alpha"]
    assert client.get(url, {"interest": "low"}).json()["count"] == 1
