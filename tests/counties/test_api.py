"""The counties API: the public county list, and one county's geography, sectors,
organizations and members for its members only (Turkana is the neighbour)."""

import csv
import json
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from counties.models import Membership, Sector, SubCounty
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories

DATA = Path(settings.BASE_DIR) / "counties" / "data"
COUNTY_ENDPOINTS = ["subcounties", "wards", "sectors", "organizations", "members"]


def _csv(name: str) -> list[dict]:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def wards_of(county_code: str) -> list[dict]:
    """The reference ward rows of one county, as the migration loads them."""
    return [row for row in _csv("kenya-wards.csv") if row["county_code"] == county_code]


def subcounty_codes_of(county_code: str) -> set[str]:
    return {row["constituency_code"] for row in wards_of(county_code)}


def api(name: str, county, **query) -> str:
    url = reverse(f"api:{name}", kwargs={"county_slug": county.slug})
    return f"{url}?{urlencode(query)}" if query else url


def assert_problem(response, status: int) -> dict:
    """An RFC 9457 problem document with the given status."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = json.loads(response.content)
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    return body


@pytest.fixture
def member(county, make_member):
    """An observer of Samburu: the least a member can be, and enough to read."""
    return make_member(county, Role.OBSERVER)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def add_partners(county, n: int) -> list[Membership]:
    """n partner members of the county, each with its own organization."""
    return [factories.MembershipFactory(county=county, role=Role.PARTNER) for _ in range(n)]


@pytest.fixture
def neighbour_rows(neighbour):
    """Rows of the neighbour county that must never show in this county's lists."""
    partner = factories.MembershipFactory(county=neighbour, role=Role.PARTNER)
    factories.ContactFactory(county=neighbour)
    factories.SectorFactory(county=neighbour, name="Turkana only sector")
    return partner


# --- /api/v1/counties/ (public) ---------------------------------------------


def test_anonymous_user_lists_the_47_counties_with_codes_001_to_047(client, db):
    response = client.get(reverse("api:counties"))

    assert response.status_code == 200
    codes = [c["code"] for c in response.json()]
    assert codes == [f"{n:03d}" for n in range(1, 48)]
    assert set(response.json()[0]) == {"code", "name", "slug", "former_province"}


def test_counties_filter_by_former_province(client, db):
    expected = Counter(row["former_province"] for row in _csv("kenya-counties.csv"))

    response = client.get(reverse("api:counties"), {"former_province": "Rift Valley"})

    assert response.status_code == 200
    counties = response.json()
    assert len(counties) == expected["Rift Valley"] > 3
    assert {c["former_province"] for c in counties} == {"Rift Valley"}
    assert "samburu" in {c["slug"] for c in counties}


# --- a county's lists: this county's rows only -----------------------------


def test_member_sees_the_subcounties_of_their_county_from_the_reference_data(member_client, county):
    response = member_client.get(api("subcounties", county))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(subcounty_codes_of(county.code)) >= 3
    assert {s["code"] for s in body["results"]} == subcounty_codes_of(county.code)


def test_member_sees_the_wards_of_their_county_from_the_reference_data(member_client, county):
    wards = wards_of(county.code)

    response = member_client.get(api("wards", county, page_size=200))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(wards) >= 3
    assert {w["code"] for w in body["results"]} == {row["ward_code"] for row in wards}
    by_code = {w["code"]: w for w in body["results"]}
    for row in wards:
        assert by_code[row["ward_code"]]["subcounty"] == row["constituency_code"]


def test_wards_filter_by_subcounty_code(member_client, county):
    subcounty = sorted(subcounty_codes_of(county.code))[0]
    expected = {
        row["ward_code"] for row in wards_of(county.code) if row["constituency_code"] == subcounty
    }

    response = member_client.get(api("wards", county, subcounty=subcounty))

    assert response.status_code == 200
    assert {w["code"] for w in response.json()["results"]} == expected
    assert response.json()["count"] == len(expected) < len(wards_of(county.code))


def test_member_sees_only_sectors_of_their_county(member_client, county, neighbour_rows):
    with county_context([county]):
        expected = set(Sector.objects.for_county(county).values_list("pk", flat=True))

    response = member_client.get(api("sectors", county))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(expected) >= 3
    assert {s["id"] for s in body["results"]} == expected
    assert "Turkana only sector" not in {s["name"] for s in body["results"]}


def test_member_sees_only_organizations_engaged_in_their_county(
    member_client, county, neighbour_rows
):
    partners = add_partners(county, 2)
    contact = factories.ContactFactory(county=county)
    expected = {p.organization_id for p in partners} | {contact.organization_id}

    response = member_client.get(api("organizations", county))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert {o["id"] for o in body["results"]} == expected
    assert neighbour_rows.organization_id not in expected


def test_organization_engaged_in_both_counties_is_listed_in_each(member_client, county, neighbour):
    shared = factories.MembershipFactory(county=neighbour, role=Role.PARTNER).organization
    factories.ContactFactory(county=county, organization=shared)

    response = member_client.get(api("organizations", county))

    assert [o["id"] for o in response.json()["results"]] == [shared.pk]


def test_partner_sees_only_members_of_its_county(client, county, member, neighbour_rows):
    partner = add_partners(county, 2)[0]
    client.force_login(partner.user)

    response = client.get(api("members", county))

    assert response.status_code == 200
    body = response.json()
    with county_context([county]):
        expected = set(Membership.objects.for_county(county).values_list("pk", flat=True))
    assert body["count"] == len(expected) == 3
    assert {m["id"] for m in body["results"]} == expected
    assert neighbour_rows.user.email not in {m["email"] for m in body["results"]}
    assert set(body["results"][0]) == {
        "id",
        "name",
        "email",
        "role",
        "sector",
        "organization",
        "created_at",
    }


def test_members_filter_by_role(member_client, county, make_member):
    partners = add_partners(county, 2)
    make_member(county, Role.SECRETARIAT)

    response = member_client.get(api("members", county, role=Role.PARTNER))

    assert response.status_code == 200
    results = response.json()["results"]
    assert {m["id"] for m in results} == {p.pk for p in partners}
    assert {m["role"] for m in results} == {"partner"}
    assert {m["organization"] for m in results} == {p.organization_id for p in partners}


# --- pagination -------------------------------------------------------------


@pytest.mark.parametrize("name", COUNTY_ENDPOINTS)
def test_every_county_list_is_paginated_with_count_next_and_results(member_client, county, name):
    add_partners(county, 3)  # members and organizations need ≥ 3 rows too

    response = member_client.get(api(name, county, page_size=2))

    assert response.status_code == 200
    body = response.json()
    assert {"count", "next", "previous", "results"} <= body.keys()
    assert body["count"] >= 3
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]
    assert "page_size=2" in body["next"]
    assert body["previous"] is None


def test_the_second_page_follows_the_next_link(member_client, county):
    first = member_client.get(api("wards", county, page_size=2)).json()

    second = member_client.get(first["next"]).json()

    assert len(second["results"]) == 2
    assert not {w["code"] for w in first["results"]} & {w["code"] for w in second["results"]}
    assert second["previous"] is not None


def test_page_size_is_capped_at_200(member_client, county):
    with county_context([county]):
        Sector.objects.bulk_create(
            Sector(county=county, name=f"Extra sector {n}", slug=f"extra-{n}") for n in range(200)
        )

    response = member_client.get(api("sectors", county, page_size=500))

    body = response.json()
    assert body["count"] > 200
    assert len(body["results"]) == 200
    assert body["next"] is not None


# --- who may read: 404 for neighbours and unknown counties, 401/403 for anonymous


@pytest.mark.parametrize("name", COUNTY_ENDPOINTS)
def test_neighbour_county_member_gets_404_problem(client, county, neighbour_secretariat, name):
    client.force_login(neighbour_secretariat)

    body = assert_problem(client.get(api(name, county)), 404)

    assert body["title"] == "Not found"


@pytest.mark.parametrize("name", COUNTY_ENDPOINTS)
def test_unknown_county_slug_gets_404_problem(member_client, name):
    url = reverse(f"api:{name}", kwargs={"county_slug": "atlantis"})

    assert_problem(member_client.get(url), 404)


@pytest.mark.parametrize("name", COUNTY_ENDPOINTS)
def test_anonymous_user_is_refused_with_a_problem(client, county, name):
    response = client.get(api(name, county))

    assert response.status_code in (401, 403)
    body = assert_problem(response, response.status_code)
    assert "Turkana" not in body["detail"] and "Samburu" not in body["detail"]


def test_neighbours_404_is_the_same_as_an_unknown_countys(client, county, neighbour_secretariat):
    client.force_login(neighbour_secretariat)

    hidden = client.get(api("members", county))
    missing = client.get(reverse("api:members", kwargs={"county_slug": "atlantis"}))

    assert hidden.content == missing.content


# --- query counts -------------------------------------------------------------


@pytest.fixture
def three_of_everything(county, member):
    """≥ 3 rows in every list: 3 sub-counties, 15 wards and 10 sectors come from the
    migrations; 3 partners add 3 organizations and (with `member`) 4 members."""
    add_partners(county, 3)


# Every county list costs the same 12 queries on PostgreSQL (10 on SQLite, which has
# no set_config): request savepoint, county, county-context savepoint, set_config
# county_ids, session, user, membership, COUNT, the page of rows (related rows joined),
# set_config reset, two savepoint releases.
COUNTY_LIST_QUERIES = 12


@pytest.mark.usefixtures("three_of_everything")
@pytest.mark.parametrize("name", COUNTY_ENDPOINTS)
def test_county_list_query_count(member_client, county, django_assert_max_num_queries, name):
    # 12 queries (PostgreSQL; 10 on SQLite): see COUNTY_LIST_QUERIES
    with django_assert_max_num_queries(COUNTY_LIST_QUERIES):
        response = member_client.get(api(name, county))
    assert response.status_code == 200
    assert response.json()["count"] >= 3


def test_public_county_list_query_count(client, django_assert_max_num_queries, db):
    # 3 queries on both backends: request savepoint, the 47 counties, release
    with django_assert_max_num_queries(3):
        response = client.get(reverse("api:counties"))
    assert len(response.json()) == 47


def rows_and_queries(client, url, django_assert_max_num_queries) -> tuple[int, int]:
    """(rows in the list, queries it took)."""
    with django_assert_max_num_queries(1000) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.json()["count"], len(captured)


def test_more_members_add_no_queries(member_client, county, django_assert_max_num_queries):
    url = api("members", county)
    add_partners(county, 1)
    factories.MembershipFactory(county=county, role=Role.SECTOR_LEAD)
    rows_3, at_3 = rows_and_queries(member_client, url, django_assert_max_num_queries)

    add_partners(county, 4)
    for role in (Role.SECTOR_LEAD, Role.EXECUTIVE, Role.ASSEMBLY):
        factories.MembershipFactory(county=county, role=role)
    rows_10, at_10 = rows_and_queries(member_client, url, django_assert_max_num_queries)

    assert (rows_3, rows_10) == (3, 10)
    assert at_3 == at_10


def test_more_organizations_add_no_queries(member_client, county, django_assert_max_num_queries):
    url = api("organizations", county)
    add_partners(county, 2)
    factories.ContactFactory(county=county)
    rows_3, at_3 = rows_and_queries(member_client, url, django_assert_max_num_queries)

    add_partners(county, 4)
    for _ in range(3):
        factories.ContactFactory(county=county)
    rows_10, at_10 = rows_and_queries(member_client, url, django_assert_max_num_queries)

    assert (rows_3, rows_10) == (3, 10)
    assert at_3 == at_10


def test_more_sectors_add_no_queries(member_client, county, django_assert_max_num_queries):
    """Every county starts with the ten MTEF sectors, so the guard compares 10 with 20."""
    url = api("sectors", county)
    rows_10, at_10 = rows_and_queries(member_client, url, django_assert_max_num_queries)
    for _ in range(10):
        factories.SectorFactory(county=county)
    rows_20, at_20 = rows_and_queries(member_client, url, django_assert_max_num_queries)

    assert (rows_10, rows_20) == (10, 20)
    assert at_10 == at_20


def test_more_subcounties_add_no_queries(member_client, county, django_assert_max_num_queries):
    url = api("subcounties", county)
    rows_3, at_3 = rows_and_queries(member_client, url, django_assert_max_num_queries)
    for n in range(7):
        SubCounty.objects.create(county=county, code=f"9{n:02d}", name=f"New sub-county {n}")
    rows_10, at_10 = rows_and_queries(member_client, url, django_assert_max_num_queries)

    assert (rows_3, rows_10) == (3, 10)
    assert at_3 == at_10


def test_a_longer_page_of_wards_adds_no_queries(
    member_client, county, django_assert_max_num_queries
):
    """Wards name their sub-county; a page of 10 costs what a page of 3 does."""
    _, at_3 = rows_and_queries(
        member_client, api("wards", county, page_size=3), django_assert_max_num_queries
    )
    _, at_10 = rows_and_queries(
        member_client, api("wards", county, page_size=10), django_assert_max_num_queries
    )

    assert at_3 == at_10


# --- OpenAPI schema and docs ------------------------------------------------


class _AssetRefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attr = {"script": "src", "link": "href", "img": "src"}.get(tag)
        value = dict(attrs).get(attr) if attr else None
        if value:
            self.refs.append(value)


def asset_references(page: str) -> list[str]:
    """Every script src, link href and img src of an HTML page."""
    parser = _AssetRefs()
    parser.feed(page)
    return parser.refs


def test_schema_is_an_openapi_3_document_with_the_county_paths(client, db):
    response = client.get(reverse("api-schema"))

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for name in ["", *COUNTY_ENDPOINTS]:
        path = f"/api/v1/counties/{{county_slug}}/{name}/" if name else "/api/v1/counties/"
        assert path in schema["paths"], path
    members = schema["paths"]["/api/v1/counties/{county_slug}/members/"]["get"]
    assert {"page", "page_size", "role"} <= {p["name"] for p in members["parameters"]}


def test_schema_is_served_as_json_on_request(client, db):
    response = client.get(reverse("api-schema"), {"format": "json"})

    assert response.status_code == 200
    assert "/api/v1/counties/{county_slug}/members/" in response.json()["paths"]


def test_api_docs_load_only_local_assets_that_exist(client, db):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    refs = asset_references(response.content.decode())
    assert refs
    assert not [r for r in refs if r.startswith(("http://", "https://", "//"))]
    static = [r for r in refs if r.startswith(settings.STATIC_URL)]
    assert any(r.endswith("swagger-ui-bundle.js") for r in static)
    assert any(r.endswith("swagger-ui.css") for r in static)
    for ref in static:
        assert finders.find(ref.removeprefix(settings.STATIC_URL)), f"{ref} is not a static file"
    # The rest are served by Django itself, e.g. the split view's init script.
    for ref in set(refs) - set(static):
        assert client.get(ref).status_code == 200, ref
