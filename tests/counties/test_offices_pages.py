"""The offices pages: every member reads who holds which office (vacancies and history
shown); only the secretariat assigns, hands over and ends terms; Turkana is the
neighbour whose offices, holdings and members are never reachable from Samburu."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from counties.models import Membership, Office, OfficeHolding, OfficeKind
from counties.services.offices import office_assign, office_get_or_create, office_slot_assign
from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories

pytestmark = pytest.mark.django_db
K = OfficeKind


def url(name: str, county, *args, **query) -> str:
    path = reverse(f"counties:{name}", args=[county.slug, *args])
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def member(county, role, **kw) -> Membership:
    return factories.MembershipFactory(county=county, role=role, **kw)


def holdings(county, **lookup) -> list[OfficeHolding]:
    with county_context([county]):
        return list(
            OfficeHolding.objects.for_county(county)
            .filter(**lookup)
            .select_related("user")
            .order_by("starts_on")
        )


def assign(county, kind, holder, by, starts_on, ends_on=None, **slot) -> OfficeHolding:
    with county_context([county]):
        office = office_get_or_create(county=county, kind=kind, **slot)
        return office_assign(
            office=office, holder=holder, starts_on=starts_on, ends_on=ends_on, by=by
        )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def boss(county):
    return member(county, Role.SECRETARIAT)


@pytest.fixture
def boss_client(client, boss):
    client.force_login(boss.user)
    return client


@pytest.fixture
def cec(county):
    return member(county, Role.EXECUTIVE)


def test_secretariat_assigns_an_office_and_the_page_shows_the_holder_since_then(
    boss_client, county, cec, today
):
    response = boss_client.post(
        url("office_assign", county, kind=K.COUNTY_SECRETARY),
        {"holder": cec.pk, "starts_on": today.isoformat(), "note": "Gazette notice 12/2026"},
    )

    assert response.status_code == 302
    assert response["Location"] == url("offices", county)
    [holding] = holdings(county)
    assert (holding.user, holding.starts_on, holding.ends_on) == (cec.user, today, None)
    page = boss_client.get(url("offices", county)).content.decode()
    assert cec.user.full_name in page
    assert f"since {today:%-d %b %Y}" in page
    audit = boss_client.get(reverse("counties:audit", args=[county.slug])).content.decode()
    assert "holds County Secretary from" in audit


def test_a_hand_over_ends_the_previous_holder_the_day_before_and_keeps_the_history(
    boss_client, county, boss, cec, today
):
    first_start = today - timedelta(days=200)
    assign(county, K.CEC_FINANCE, cec, boss, first_start)
    successor = member(county, Role.EXECUTIVE)

    form = boss_client.get(url("office_assign", county, kind=K.CEC_FINANCE)).content.decode()
    assert "the day before" in form  # the hand-over is announced before it happens
    response = boss_client.post(
        url("office_assign", county, kind=K.CEC_FINANCE),
        {"holder": successor.pk, "starts_on": today.isoformat()},
    )

    assert response.status_code == 302
    assert [(h.user, h.starts_on, h.ends_on) for h in holdings(county)] == [
        (cec.user, first_start, today - timedelta(days=1)),
        (successor.user, today, None),
    ]
    page = boss_client.get(url("offices", county)).content.decode()
    row = page.split('id="office-cec_finance"')[1].split("</tr>")[0]
    assert successor.user.full_name in row
    assert "1 other holding" in row and cec.user.full_name in row


def test_ending_a_term_asks_for_the_last_day_then_leaves_the_office_vacant(
    boss_client, county, boss, cec, today
):
    holding = assign(county, K.COUNTY_SECRETARY, cec, boss, today - timedelta(days=30))
    end_url = url("office_end", county, holding.pk)

    confirm = boss_client.get(end_url)
    assert confirm.status_code == 200
    assert "End the term" in confirm.content.decode()
    assert holdings(county)[0].ends_on is None  # a GET changes nothing

    response = boss_client.post(end_url, {"ends_on": (today - timedelta(days=1)).isoformat()})

    assert response.status_code == 302
    assert holdings(county)[0].ends_on == today - timedelta(days=1)
    row = boss_client.get(url("offices", county)).content.decode()
    row = row.split('id="office-county_secretary"')[1].split("</tr>")[0]
    assert "Vacant" in row and cec.user.full_name in row  # vacant now, the term in history
    with county_context([county]):
        verbs = set(AuditEvent.objects.for_county(county).values_list("verb", flat=True))
    assert {"office.assign", "office.end"} <= verbs


def test_ending_before_the_start_is_a_field_error(boss_client, county, boss, cec, today):
    holding = assign(county, K.COUNTY_SECRETARY, cec, boss, today)

    response = boss_client.post(
        url("office_end", county, holding.pk),
        {"ends_on": (today - timedelta(days=3)).isoformat()},
    )

    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert holdings(county)[0].ends_on is None


def test_the_page_lists_every_office_marks_vacancies_and_shows_history(
    client, county, boss, cec, today
):
    health = factories.SectorFactory(county=county, name="Health services")
    nawiri = factories.OrganizationFactory(name="Nawiri", acronym="Nawiri")
    signatory = member(county, Role.PARTNER, organization=nawiri)
    old_cs = member(county, Role.EXECUTIVE)
    assign(
        county,
        K.COUNTY_SECRETARY,
        old_cs,
        boss,
        today - timedelta(days=400),
        today - timedelta(days=40),
    )
    assign(county, K.CEC_SECTOR, cec, boss, today - timedelta(days=10), sector=health)
    client.force_login(member(county, Role.OBSERVER).user)

    page = client.get(url("offices", county)).content.decode()

    for kind in (K.CEC_FINANCE, K.CHIEF_OFFICER_PLANNING, K.TWG_CHAIR):
        assert f'<tr id="office-{kind}" class="is-vacant">' in page
    assert f'id="office-cec_sector-s{health.pk}">' in page  # held
    assert f'id="office-assembly_chair-s{health.pk}" class="is-vacant"' in page
    assert f'id="office-partner_signatory-o{nawiri.pk}" class="is-vacant"' in page
    secretary_row = page.split('id="office-county_secretary"')[1].split("</tr>")[0]
    assert "Vacant" in secretary_row
    assert old_cs.user.full_name in secretary_row
    assert f"{today - timedelta(days=400):%-d %b %Y} – {today - timedelta(days=40):%-d %b %Y}" in (
        secretary_row
    )
    assert signatory.user.full_name not in page  # a member, not yet its signatory


@pytest.mark.parametrize(
    "role", [Role.EXECUTIVE, Role.PARTNER, Role.OBSERVER, Role.ASSEMBLY, Role.SECTOR_LEAD]
)
def test_other_roles_read_the_offices_but_are_not_offered_nor_allowed_to_change_them(
    client, county, boss, cec, today, role
):
    holding = assign(county, K.COUNTY_SECRETARY, cec, boss, today)
    client.force_login(member(county, role).user)

    page = client.get(url("offices", county))

    assert page.status_code == 200
    assert cec.user.full_name in page.content.decode()
    assert reverse("counties:office_assign", args=[county.slug]) not in page.content.decode()
    assert "/end/" not in page.content.decode()
    assign_url = url("office_assign", county, kind=K.CEC_FINANCE)
    assert client.get(assign_url).status_code == 403
    assert client.post(assign_url, {"holder": cec.pk, "starts_on": today}).status_code == 403
    end_url = url("office_end", county, holding.pk)
    assert client.get(end_url).status_code == 403
    assert client.post(end_url, {"ends_on": today.isoformat()}).status_code == 403
    assert holdings(county)[0].ends_on is None
    assert len(holdings(county)) == 1


def test_secretariat_is_offered_assign_hand_over_and_end(boss_client, county, boss, cec, today):
    holding = assign(county, K.COUNTY_SECRETARY, cec, boss, today)

    page = boss_client.get(url("offices", county)).content.decode()

    assert url("office_end", county, holding.pk) in page
    assert "Hand over" in page
    assert f'href="{url("office_assign", county)}?kind=cec_finance">Assign' in page


def test_a_neighbour_gets_404_on_every_offices_url(client, county, neighbour, boss, cec, today):
    holding = assign(county, K.COUNTY_SECRETARY, cec, boss, today)
    client.force_login(member(neighbour, Role.SECRETARIAT).user)

    for path in (
        url("offices", county),
        url("office_assign", county, kind=K.CEC_FINANCE),
        url("office_end", county, holding.pk),
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {"ends_on": today.isoformat()}).status_code == 404, path
    assert holdings(county)[0].ends_on is None


def test_a_neighbours_holding_id_is_404_for_our_secretariat(boss_client, county, neighbour, today):
    turkana_boss = member(neighbour, Role.SECRETARIAT)
    theirs = assign(
        neighbour, K.COUNTY_SECRETARY, member(neighbour, Role.EXECUTIVE), turkana_boss, today
    )

    path = url("office_end", county, theirs.pk)

    assert boss_client.get(path).status_code == 404
    assert boss_client.post(path, {"ends_on": today.isoformat()}).status_code == 404
    assert holdings(neighbour)[0].ends_on is None


def test_a_neighbours_member_cannot_be_assigned(boss_client, county, neighbour, cec, today):
    stranger = member(neighbour, Role.EXECUTIVE)

    response = boss_client.post(
        url("office_assign", county, kind=K.COUNTY_SECRETARY),
        {"holder": stranger.pk, "starts_on": today.isoformat()},
    )

    assert response.status_code == 200
    assert "Choose a member of this county who may hold it." in response.content.decode()
    assert holdings(county) == [] and holdings(neighbour) == []
    assert stranger.user.full_name not in response.content.decode()


def test_the_form_lists_only_members_whose_role_may_hold_the_office(boss_client, county, cec, boss):
    unicef, other = factories.OrganizationFactory(), factories.OrganizationFactory()
    own = member(county, Role.PARTNER, organization=unicef)
    foreign = member(county, Role.PARTNER, organization=other)
    observer = member(county, Role.OBSERVER)

    secretary_form = boss_client.get(url("office_assign", county, kind=K.COUNTY_SECRETARY))
    signatory_form = boss_client.get(
        url("office_assign", county, kind=K.PARTNER_SIGNATORY, organization=unicef.pk)
    )

    options = secretary_form.content.decode()
    assert f'value="{cec.pk}"' in options
    for m in (own, foreign, observer, boss):
        assert f'value="{m.pk}"' not in options
    options = signatory_form.content.decode()
    assert f'value="{own.pk}"' in options
    assert f'value="{foreign.pk}"' not in options and f'value="{cec.pk}"' not in options


def test_an_organization_without_a_partner_member_says_whom_to_invite(boss_client, county):
    krcs = factories.ContactFactory(county=county).organization  # engaged, no member

    response = boss_client.get(
        url("office_assign", county, kind=K.PARTNER_SIGNATORY, organization=krcs.pk)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "No member of this county may hold this office yet." in page
    assert f"Invite the Chief of Party or Country Director of {krcs.short_name}" in page
    assert "<button" not in page.split("<main")[1].split("</main>")[0].replace(
        '<button type="submit" class="link">', ""
    )


@pytest.mark.parametrize(
    "query, message",
    [
        ({"kind": ""}, "This field is required."),
        ({"kind": "<script>alert(1)</script>"}, "Select a valid choice."),
        ({"kind": K.CEC_SECTOR}, "Choose the sector of this office."),
        ({"kind": K.CEC_SECTOR, "sector": "1 OR 1=1"}, "Select a valid choice."),
        ({"kind": K.PARTNER_SIGNATORY}, "Choose the organization of this office."),
        ({"kind": K.PARTNER_SIGNATORY, "organization": "99999999"}, "Select a valid choice."),
    ],
)
def test_an_office_that_is_not_named_fully_asks_for_what_is_missing(
    boss_client, county, query, message
):
    response = boss_client.get(url("office_assign", county, **query))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Next" in response.content.decode()  # still choosing the office


def test_a_neighbours_sector_cannot_name_an_office(boss_client, county, neighbour):
    theirs = factories.SectorFactory(county=neighbour)

    response = boss_client.get(url("office_assign", county, kind=K.CEC_SECTOR, sector=theirs.pk))

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"starts_on": "not a date"}, "starts_on", "Enter a valid date."),
        ({"starts_on": "'; DROP TABLE x; --"}, "starts_on", "Enter a valid date."),
        ({"ends_on": "2026-02-30"}, "ends_on", "Enter a valid date."),
        ({"ends_on": "before"}, "ends_on", "Enter a valid date."),
        ({"holder": "abc"}, "holder", "Choose a member of this county who may hold it."),
        ({"note": "x" * 301}, "note", "at most 300 characters"),
    ],
)
def test_bad_input_is_a_field_error_next_to_the_field(
    boss_client, county, cec, today, data, field, message
):
    post = {"holder": cec.pk, "starts_on": today.isoformat(), **data}

    response = boss_client.post(url("office_assign", county, kind=K.COUNTY_SECRETARY), post)

    assert response.status_code == 200
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert message in response.content.decode()
    assert holdings(county) == []


def test_dates_in_the_wrong_order_are_refused_at_the_end_date(boss_client, county, cec, today):
    response = boss_client.post(
        url("office_assign", county, kind=K.COUNTY_SECRETARY),
        {
            "holder": cec.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "The end date cannot be before the start date." in page.split('id="id_ends_on_errors"')[1]
    )
    assert holdings(county) == []
    with county_context([county]):
        assert not Office.objects.for_county(county).exists()  # nothing half-created


def test_an_overlapping_holding_is_refused_with_the_dates(boss_client, county, boss, cec, today):
    start, end = today - timedelta(days=60), today - timedelta(days=10)
    assign(county, K.CEC_FINANCE, cec, boss, start, end)

    response = boss_client.post(
        url("office_assign", county, kind=K.CEC_FINANCE),
        {
            "holder": member(county, Role.EXECUTIVE).pk,
            "starts_on": (today - timedelta(days=30)).isoformat(),
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"held this office from {start} to {end}" in page.split('id="id_starts_on_errors"')[1]
    assert len(holdings(county)) == 1


def test_a_role_that_may_not_hold_the_office_is_refused(boss_client, county, cec, today):
    assembly = member(county, Role.ASSEMBLY)

    response = boss_client.post(
        url("office_assign", county, kind=K.CEC_FINANCE),
        {"holder": assembly.pk, "starts_on": today.isoformat()},
    )

    assert response.status_code == 200
    assert "Choose a member of this county who may hold it." in response.content.decode()
    assert holdings(county) == []


def test_the_members_page_shows_the_offices_each_member_holds_today(
    client, county, boss, cec, today
):
    health = factories.SectorFactory(county=county, name="Health services")
    assign(county, K.CEC_FINANCE, cec, boss, today - timedelta(days=5))
    assign(county, K.CEC_SECTOR, cec, boss, today - timedelta(days=5), sector=health)
    former = member(county, Role.EXECUTIVE)
    assign(
        county,
        K.COUNTY_SECRETARY,
        former,
        boss,
        today - timedelta(days=50),
        today - timedelta(days=1),
    )
    client.force_login(member(county, Role.OBSERVER).user)

    page = client.get(reverse("counties:members", args=[county.slug])).content.decode()

    cec_row = page.split(cec.user.full_name)[1].split("</tr>")[0]
    assert "CEC Member for Finance and Economic Planning" in cec_row
    assert "CEC Member responsible for the sector — Health services" in cec_row
    former_row = page.split(former.user.full_name)[1].split("</tr>")[0]
    assert "County Secretary" not in former_row  # ended yesterday
    assert f'href="{url("offices", county)}"' in page  # nav and the page's own link


def seed_offices(county, boss, today, n: int) -> None:
    """n sectors with both their offices held, n partner organizations with a signatory
    and a past holder each, so rows and history grow with n."""
    for _ in range(n):
        sector = factories.SectorFactory(county=county)
        for kind, role in ((K.CEC_SECTOR, Role.EXECUTIVE), (K.ASSEMBLY_CHAIR, Role.ASSEMBLY)):
            assign(
                county, kind, member(county, role), boss, today - timedelta(days=9), sector=sector
            )
        organization = factories.OrganizationFactory()
        for days in (90, 9):
            assign(
                county,
                K.PARTNER_SIGNATORY,
                member(county, Role.PARTNER, organization=organization),
                boss,
                today - timedelta(days=days),
                organization=organization,
            )


PLUMBING = ("SAVEPOINT", "RELEASE SAVEPOINT", "SELECT set_config")


def page_queries(client, path, django_assert_max_num_queries, limit: int) -> tuple[str, int]:
    """(the page, its statements other than savepoints and row-level security settings)."""
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(path)
    assert response.status_code == 200
    selects = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(PLUMBING)]
    return response.content.decode(), len(selects)


def test_offices_page_costs_the_same_few_queries_however_many_offices_and_holdings(
    boss_client, county, neighbour, boss, today, django_assert_max_num_queries
):
    turkana_boss = member(neighbour, Role.SECRETARIAT)
    seed_offices(neighbour, turkana_boss, today, 2)  # the neighbour's rows cost nothing
    seed_offices(county, boss, today, 3)
    path = url("offices", county)

    # 18 statements (PostgreSQL; 15 on SQLite), 9 of them queries: session, user, county,
    # membership, active sectors, signatory organizations, all holdings (one query each,
    # however many), the switcher's memberships, the bell's unread count. The rest is
    # plumbing: 3 savepoints and their releases, and on PostgreSQL 3 set_config.
    page_3, at_3 = page_queries(boss_client, path, django_assert_max_num_queries, 18)
    seed_offices(county, boss, today, 7)
    page_10, at_10 = page_queries(boss_client, path, django_assert_max_num_queries, 18)

    assert page_3.count("1 other holding") == 3
    assert page_10.count("1 other holding") == 10
    assert at_3 == at_10 <= 10


def test_members_page_queries_do_not_grow_with_offices(
    boss_client, county, boss, today, django_assert_max_num_queries
):
    path = reverse("counties:members", args=[county.slug])
    seed_offices(county, boss, today, 1)
    _page, at_1 = page_queries(boss_client, path, django_assert_max_num_queries, 21)
    seed_offices(county, boss, today, 4)
    _page, at_4 = page_queries(boss_client, path, django_assert_max_num_queries, 21)

    assert at_1 == at_4


def test_the_office_holder_include_shows_the_holder_or_the_vacancy(county, boss, cec, today):
    holding = assign(county, K.COUNTY_SECRETARY, cec, boss, today)
    include = "counties/_office_holder.html"

    held = render_to_string(
        include, {"title": "County Secretary", "holding": holding, "since": True}
    )
    vacant_for_secretariat = render_to_string(
        include, {"title": "County Secretary", "assign_url": "/samburu/offices/assign/?kind=x"}
    )
    vacant = render_to_string(include, {"title": "County Secretary"})

    assert cec.user.full_name in held and f"since {today:%-d %b %Y}" in held
    assert 'href="/samburu/offices/assign/?kind=x">Vacant — assign</a>' in vacant_for_secretariat
    assert "Vacant" in vacant and "href" not in vacant


# --- API ---------------------------------------------------------------------


def api_offices(county, **query) -> str:
    path = reverse("api:offices", kwargs={"county_slug": county.slug})
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_api_lists_offices_with_todays_holder_and_vacancies(client, county, boss, cec, today):
    nawiri = factories.OrganizationFactory(acronym="Nawiri")
    signatory = member(county, Role.PARTNER, organization=nawiri)
    assign(
        county, K.PARTNER_SIGNATORY, signatory, boss, today - timedelta(days=3), organization=nawiri
    )
    assign(
        county, K.COUNTY_SECRETARY, cec, boss, today - timedelta(days=90), today - timedelta(days=1)
    )
    client.force_login(member(county, Role.OBSERVER).user)

    body = client.get(api_offices(county)).json()
    by_kind = {row["kind"]: row for row in body["results"]}

    assert by_kind["partner_signatory"] == {
        "id": by_kind["partner_signatory"]["id"],
        "kind": "partner_signatory",
        "title": "Authorized signatory (Chief of Party / Country Director) — Nawiri",
        "sector": None,
        "organization": nawiri.pk,
        "holder": {
            "name": signatory.user.full_name,
            "since": (today - timedelta(days=3)).isoformat(),
            "until": None,
        },
    }
    assert by_kind["county_secretary"]["holder"] is None  # ended yesterday: vacant
    filtered = client.get(api_offices(county, organization=nawiri.pk)).json()
    assert [row["kind"] for row in filtered["results"]] == ["partner_signatory"]


def test_api_offices_is_404_for_a_neighbours_member(client, county, neighbour, boss, cec, today):
    assign(county, K.COUNTY_SECRETARY, cec, boss, today)
    client.force_login(member(neighbour, Role.SECRETARIAT).user)

    assert client.get(api_offices(county)).status_code == 404


def test_api_offices_costs_the_same_queries_for_3_and_13_offices(
    client, county, boss, today, django_assert_max_num_queries
):
    client.force_login(member(county, Role.OBSERVER).user)
    seed_offices(county, boss, today, 1)  # 3 offices, 4 holdings

    # 13 statements on PostgreSQL (11 on SQLite): a county list's 12 (see test_api's
    # COUNTY_LIST_QUERIES) and one more for the offices' current holdings
    with django_assert_max_num_queries(13) as at_3:
        assert client.get(api_offices(county)).json()["count"] == 3
    seed_offices(county, boss, today, 4)
    with django_assert_max_num_queries(13) as at_15:
        assert client.get(api_offices(county)).json()["count"] == 15

    assert len(at_3) == len(at_15)


def test_a_hostile_note_is_shown_as_text_in_the_history(boss_client, county, cec, today):
    boss_client.post(
        url("office_assign", county, kind=K.COUNTY_SECRETARY),
        {
            "holder": cec.pk,
            "starts_on": (today - timedelta(days=9)).isoformat(),
            "ends_on": (today - timedelta(days=2)).isoformat(),
            "note": "<script>alert('x')</script>",
        },
    )

    page = boss_client.get(url("offices", county)).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_the_slot_service_refuses_a_non_secretariat_before_creating_the_office(county, cec, today):
    with county_context([county]), pytest.raises(PermissionDenied):
        office_slot_assign(county=county, kind=K.CEC_FINANCE, holder=cec, starts_on=today, by=cec)
    with county_context([county]):
        assert not Office.objects.for_county(county).exists()
