""" "Waiting for you": each member sees exactly the steps that are theirs in this county,
the header's count agrees with the page, the next actors are told, and a step taken
leaves nobody's bell."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from counties.models import ActionStatus, StructureKind
from counties.services import meetings, structures
from jwp.roles import Role
from jwp.tenancy import county_context
from notifications import waiting
from notifications.models import Notification, Threshold
from progress import services as progress
from tests import factories
from workplans.models import JointWorkPlan

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today():
    """A fixed day, and an empty cache: counts cached by another test are not ours."""
    cache.clear()
    with time_machine.travel(TODAY, tick=True):
        yield
    cache.clear()


def member(county, role, **kw):
    return factories.MembershipFactory(county=county, role=role, **kw)


def on_twg(county, cycle, membership):
    structure = factories.StructureFactory(county=county, kind=StructureKind.TWG, cycle=cycle)
    factories.StructureMemberFactory(
        county=county, structure=structure, user=membership.user, contact=None, organization=None
    )


def the_plan(county):
    """The county's 2025/26 plan (one per county and year)."""
    with county_context([county]):
        plan = JointWorkPlan.objects.for_county(county).first()
    return plan or factories.JointWorkPlanFactory(county=county, status="signed")


def submitted_report(county, author, *, quarter=1):
    plan = the_plan(county)
    with county_context([county]):
        report = progress.report_create(membership=author, plan=plan, quarter=quarter)
        progress.report_save_narrative(membership=author, report=report, summary="On track.")
        return progress.report_submit(membership=author, report=report)


def keys_of(client, county) -> list[str]:
    response = client.get(reverse("waiting:page", args=[county.slug]))
    assert response.status_code == 200
    return sorted(row.item.key for row in response.context["page"].object_list)


@pytest.fixture
def people(county, neighbour):
    """Samburu's members, and the same kinds of steps in Turkana (which must not show)."""
    p = {
        "author": member(county, Role.SECRETARIAT),
        "colleague": member(county, Role.SECRETARIAT),
        "twg": member(county, Role.EXECUTIVE),
        "observer": member(county, Role.OBSERVER),
        "lead": member(county, Role.SECTOR_LEAD),
    }
    p["invited"] = member(county, Role.PARTNER)
    p["nominating"] = member(county, Role.PARTNER)
    p["turkana"] = member(neighbour, Role.SECRETARIAT)
    # the same partner also works in Turkana, whose invitation is not Samburu's business
    member(neighbour, Role.PARTNER, user=p["invited"].user, organization=p["invited"].organization)
    return p


@pytest.fixture
def steps(county, neighbour, people, django_capture_on_commit_callbacks):
    """One step of each kind waiting in Samburu, and some in Turkana."""
    on_twg(county, "2025/26", people["twg"])
    s = {"in_review": submitted_report(county, people["author"], quarter=1)}
    returned = submitted_report(county, people["author"], quarter=2)
    with county_context([county]):
        s["returned"] = progress.report_review(
            membership=people["twg"],
            report=returned,
            reviewed_on=TODAY,
            comments="Add the Q2 figures.",
            accept=False,
        )
    twg = factories.StructureFactory(county=county, cycle="2026/27")
    s["invited"] = factories.NominationFactory(
        county=county, structure=twg, organization=people["invited"].organization
    )
    s["nominated"] = factories.NominationFactory(
        county=county,
        structure=twg,
        organization=people["nominating"].organization,
        status="nominated",
    )
    s["due"] = factories.ActionItemFactory(
        county=county, owner_user=people["lead"].user, due_date=TODAY + timedelta(days=3)
    )
    factories.ActionItemFactory(  # not due yet: the date reminders will come
        county=county, owner_user=people["lead"].user, due_date=TODAY + timedelta(days=30)
    )
    factories.ActionItemFactory(  # done
        county=county, owner_user=people["lead"].user, due_date=TODAY, status=ActionStatus.DONE
    )
    # Turkana: a report in review, an invitation to the partner's organization
    submitted_report(neighbour, people["turkana"])
    factories.NominationFactory(
        county=neighbour,
        structure=factories.StructureFactory(county=neighbour),
        organization=people["invited"].organization,
    )
    return s


EXPECTED = {
    "author": ["nomination:{nominated}:decide", "progressreport:{returned}:revise"],
    "colleague": ["nomination:{nominated}:decide"],
    "twg": ["progressreport:{in_review}:review"],
    "invited": ["nomination:{invited}:nominate"],
    "nominating": [],
    "lead": ["actionitem:{due}"],
    "observer": [],
}


@pytest.mark.parametrize("who", EXPECTED)
def test_each_member_sees_exactly_their_steps(client, county, people, steps, who):
    client.force_login(people[who].user)
    ids = {name: obj.pk for name, obj in steps.items()}
    assert keys_of(client, county) == sorted(key.format(**ids) for key in EXPECTED[who])
    page = client.get(reverse("waiting:page", args=[county.slug])).context["page"]
    for row in page.object_list:  # where to act opens for this member
        assert client.get(row.item.url).status_code == 200, row.item.url


def test_the_page_says_why_since_when_and_links_to_the_step(client, county, people, steps):
    client.force_login(people["author"].user)
    html = client.get(reverse("waiting:page", args=[county.slug])).content.decode()
    assert "Progress reports" in html and "Nominations" in html  # grouped by area
    assert "The TWG returned it: “Add the Q2 figures.”" in html
    assert steps["returned"].get_absolute_url() in html
    assert "Waiting since today" in html


def test_a_member_with_nothing_waiting_is_told_so(client, county, people, steps):
    client.force_login(people["observer"].user)
    response = client.get(reverse("waiting:page", args=[county.slug]))
    assert "Nothing waits for you" in response.content.decode()
    assert 'class="waiting-count"' not in response.content.decode()


def test_another_countys_member_gets_404(client, county, neighbour, people, steps):
    client.force_login(people["turkana"].user)
    assert client.get(reverse("waiting:page", args=[county.slug])).status_code == 404
    assert client.get(reverse("waiting:count", args=[county.slug])).status_code == 404


def header_count(html: str) -> int | None:
    found = re.search(r'class="waiting-count">(\d+)<', html)
    return int(found[1]) if found else None


def test_the_header_count_matches_the_page(client, county, people, steps):
    client.force_login(people["author"].user)
    home = reverse("counties:home", args=[county.slug])
    count_url = reverse("waiting:count", args=[county.slug])
    cold = client.get(home).content.decode()
    assert f'hx-get="{count_url}"' in cold  # nothing cached: asked for after the page loads
    assert header_count(client.get(count_url).content.decode()) == 2
    warm = client.get(home).content.decode()
    assert header_count(warm) == 2 and f'hx-get="{count_url}"' not in warm
    page = client.get(reverse("waiting:page", args=[county.slug]))
    assert header_count(page.content.decode()) == len(page.context["page"].object_list) == 2


def test_a_step_taken_makes_the_cached_counts_of_the_county_stale(client, county, people, steps):
    client.force_login(people["twg"].user)
    client.get(reverse("waiting:page", args=[county.slug]))
    with county_context([county]):
        twg = people["twg"]
        assert waiting.cached_count(twg) == 1
        progress.report_review(
            membership=twg,
            report=steps["in_review"],
            reviewed_on=TODAY,
            comments="",
            accept=True,
        )
        assert waiting.cached_count(twg) is None  # recomputed on the next page
        assert waiting.count_for(twg) == 0


def queries_of(client, url, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(100) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_steps(county, people, n, quarters):
    for quarter in quarters:
        submitted_report(county, people["author"], quarter=quarter)
    structure = factories.StructureFactory(county=county, cycle=f"2030/{31 + n}")
    for _ in range(n):
        factories.NominationFactory(county=county, structure=structure, status="nominated")
        factories.ActionItemFactory(county=county, owner_user=people["author"].user, due_date=TODAY)


def test_page_and_header_cost_the_same_queries_as_items_grow(
    client, county, people, django_assert_max_num_queries
):
    client.force_login(people["author"].user)
    page = reverse("waiting:page", args=[county.slug])
    count = reverse("waiting:count", args=[county.slug])
    home = reverse("counties:home", args=[county.slug])
    add_steps(county, people, 1, [1])
    cache.clear()
    home_cold = queries_of(client, home, django_assert_max_num_queries)
    small = (
        queries_of(client, page, django_assert_max_num_queries),
        queries_of(client, count, django_assert_max_num_queries),
    )
    home_warm = queries_of(client, home, django_assert_max_num_queries)
    # The header reads the count from the cache or asks for it later: no SQL either way.
    assert home_warm == home_cold
    add_steps(county, people, 4, [2, 3, 4])
    cache.clear()
    big = (
        queries_of(client, page, django_assert_max_num_queries),
        queries_of(client, count, django_assert_max_num_queries),
    )
    assert big == small
    assert len(client.get(page).context["page"].object_list) == 14
    # 18 queries on the page (SQLite; 21 on PostgreSQL): request savepoint, session, user,
    # county, context savepoint, membership; per provider here: nominations, action
    # items, reports in review, their TWG reviewers, the author's returned or reviewed
    # reports; the switcher's savepoint, memberships and release, the bell's COUNT,
    # 2 releases. Each provider may cost two (other apps register theirs).
    assert small[0] <= 16 + 2 * len(waiting._PROVIDERS)


# --- the next actors are told, and told no more once the step is taken ---------------


def turns(county) -> list[tuple[str, str, bool]]:
    with county_context([county]):
        rows = Notification.objects.for_county(county).filter(threshold=Threshold.TURN)
        rows = rows.values_list("recipient__email", "item_key", "read_at")
        return sorted((email, key, read_at is None) for email, key, read_at in rows)


def test_a_submitted_report_is_told_to_the_twg_and_a_returned_one_to_its_author(
    county, neighbour, people, django_capture_on_commit_callbacks
):
    on_twg(county, "2025/26", people["twg"])
    with django_capture_on_commit_callbacks(execute=True):
        report = submitted_report(county, people["author"])
    key = f"progressreport:{report.pk}:submitted:{report.row_version}"
    assert turns(county) == [(people["twg"].user.email, key, True)]
    assert mail.outbox[0].to == [people["twg"].user.email]
    with county_context([county]):
        returned = progress.report_review(
            membership=people["twg"],
            report=report,
            reviewed_on=TODAY,
            comments="Add the figures.",
            accept=False,
        )
    assert turns(county) == [
        (
            people["author"].user.email,
            f"progressreport:{report.pk}:returned:{returned.row_version}",
            True,
        ),
        (people["twg"].user.email, key, False),  # the TWG's turn is over
    ]
    assert turns(neighbour) == []
    with county_context([county]):
        progress.report_submit(membership=people["author"], report=returned)
        progress.report_review(
            membership=people["twg"], report=returned, reviewed_on=TODAY, comments="", accept=True
        )
        progress.report_share(membership=people["author"], report=returned)
    assert [unread for *_, unread in turns(county)] == [False] * 4  # shared: nobody's turn


def test_a_report_of_a_twg_without_platform_members_waits_for_the_other_secretariat(county, people):
    report = submitted_report(county, people["author"])
    key = f"progressreport:{report.pk}:submitted:{report.row_version}"
    assert turns(county) == [(people["colleague"].user.email, key, True)]


def test_an_invitation_is_told_to_the_organizations_partners_and_a_nominee_to_the_secretariat(
    county, neighbour, people
):
    other_partner = member(county, Role.PARTNER)
    organization = people["invited"].organization
    with county_context([county]):
        nomination = structures.nomination_invite(
            structure=factories.StructureFactory(county=county),
            actor=people["author"].user,
            organization=organization,
            due_date=TODAY + timedelta(days=7),
        )
        key = f"nomination:{nomination.pk}"
        assert turns(county) == [(people["invited"].user.email, f"{key}:invited", True)]
        nominee = factories.ContactFactory(county=county, organization=organization)
        structures.nomination_nominate(
            nomination=nomination, actor=people["invited"].user, nominee=nominee
        )
    told = {email for email, *_ in turns(county)}
    assert other_partner.user.email not in told and people["turkana"].user.email not in told
    assert turns(county) == sorted(
        [
            (people["author"].user.email, f"{key}:nominated", True),
            (people["colleague"].user.email, f"{key}:nominated", True),
            (people["invited"].user.email, f"{key}:invited", False),
        ]
    )
    assert turns(neighbour) == []
    with county_context([county]):
        structures.nomination_decide(
            nomination=nomination, actor=people["author"].user, accept=True
        )
    assert [unread for *_, unread in turns(county)] == [False] * 3


def test_an_action_item_done_takes_its_reminders_out_of_the_bell(county, people):
    item = factories.ActionItemFactory(county=county, owner_user=people["lead"].user)
    other = factories.ActionItemFactory(county=county, owner_user=people["lead"].user)
    for action in (item, other):
        factories.NotificationFactory(
            county=county,
            recipient=people["lead"].user,
            item_key=f"actionitem:{action.pk}",
            threshold=Threshold.DAYS_7,
        )
    with county_context([county]):
        meetings.action_item_set_status(
            action_item=item, actor=people["lead"].user, status=ActionStatus.DONE
        )
        unread = Notification.objects.for_county(county).filter(read_at__isnull=True)
        assert list(unread.values_list("item_key", flat=True)) == [f"actionitem:{other.pk}"]


def test_the_turn_e_mail_says_whose_step_it_is_why_and_where(
    county, people, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://jwp.example"
    on_twg(county, "2025/26", people["twg"])
    with django_capture_on_commit_callbacks(execute=True):
        report = submitted_report(county, people["author"])
    [message] = mail.outbox
    assert message.subject == f"Samburu: Waiting for you: {report} waits for the TWG review"
    assert "It is your turn to act in Joint Work Planning in Samburu County" in message.body
    assert "record the review: accept it or return it with comments" in message.body
    assert f"https://jwp.example{report.get_absolute_url()}" in message.body
    html = message.alternatives[0][0]
    assert "the next step is yours" in html and "record the review" in html


def test_turns_are_shown_apart_from_date_reminders_in_the_list(client, county, people):
    on_twg(county, "2025/26", people["twg"])
    submitted_report(county, people["author"])
    factories.NotificationFactory(
        county=county, recipient=people["twg"].user, threshold=Threshold.DAYS_7
    )
    client.force_login(people["twg"].user)
    html = client.get(reverse("notifications:list")).content.decode()
    assert html.count("is-turn") == 1 and "Your turn" in html
    assert "record the review" in html
    assert (
        "Your turn in a workflow"
        in client.get(reverse("notifications:preferences")).content.decode()
    )


def test_public_comments_wait_for_moderation_and_then_for_their_response(
    client, county, neighbour, people
):
    now = timezone.now()
    window = factories.ParticipationWindowFactory(county=county)
    for _ in range(2):
        factories.PublicCommentFactory(county=county, window=window)
    closed = factories.ParticipationWindowFactory(
        county=county,
        plan=window.plan,
        plan_step=factories.plan_step(window.plan, 12),
        opens_at=now - timedelta(days=20),
        closes_at=now - timedelta(days=2),
    )
    factories.PublicCommentFactory(county=county, window=closed, moderation="accepted")
    factories.PublicCommentFactory(  # answered already
        county=county, window=closed, moderation="accepted", response="incorporated"
    )
    factories.PublicCommentFactory(county=neighbour)  # Turkana's
    client.force_login(people["colleague"].user)
    response = client.get(reverse("waiting:page", args=[county.slug]))
    # (the sector plan's own steps wait too: that provider is tested in tests/sectorplans)
    rows = {
        row.item.key: row.item.why
        for row in response.context["page"].object_list
        if row.item.key.startswith("window:")
    }
    assert rows == {
        f"window:{window.pk}:moderate": "2 public comments await moderation.",
        f"window:{closed.pk}:respond": "The window has closed; 1 accepted comment awaits "
        "its response.",
    }
    client.force_login(people["observer"].user)
    assert keys_of(client, county) == []


def test_an_unreachable_cache_costs_the_count_not_the_page_or_the_step(
    client, county, people, steps, monkeypatch
):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    for method in ("get", "get_many", "set"):
        monkeypatch.setattr(cache, method, down)
    client.force_login(people["twg"].user)
    home = client.get(reverse("counties:home", args=[county.slug]))
    assert home.status_code == 200 and header_count(home.content.decode()) is None
    assert (
        header_count(client.get(reverse("waiting:count", args=[county.slug])).content.decode()) == 1
    )
    with county_context([county]):
        progress.report_review(  # the step notifies (and bumps the version) all the same
            membership=people["twg"],
            report=steps["in_review"],
            reviewed_on=TODAY,
            comments="",
            accept=True,
        )
