"""Workflow events reach exactly the next actors, once, by their chosen channel."""

import pytest
from django.core import mail

from calendars.items import ItemKind
from jwp.readiness import Check, Readiness, require_ready
from jwp.roles import Role
from jwp.tenancy import county_context
from notifications.models import DeliveryMode, Notification, NotificationPreference, Threshold
from notifications.services.events import notify
from notifications.waiting import WaitingItem, waiting_for, waiting_provider

pytestmark = pytest.mark.django_db


def received(county) -> list[tuple[str, str]]:
    with county_context([county]):
        rows = Notification.objects.for_county(county).order_by("recipient__email")
        return list(rows.values_list("recipient__email", "threshold"))


def test_next_actors_are_notified_once_and_strangers_never(
    county, neighbour, make_member, django_capture_on_commit_callbacks
):
    chair, actor = make_member(county, Role.EXECUTIVE), make_member(county, Role.SECRETARIAT)
    stranger = make_member(neighbour, Role.EXECUTIVE)
    with county_context([county]), django_capture_on_commit_callbacks(execute=True):
        sent = notify(
            county=county,
            recipients=[chair, actor, stranger],
            key="workplan:1:consolidated:7",
            title="The plan waits for the TWG review",
            url="/samburu/plans/1/",
            actor=actor,
        )
        key = "workplan:1:consolidated:7"
        again = notify(county=county, recipients=[chair], key=key, title="x")
    assert (sent, again) == (1, 0)
    assert received(county) == [(chair.email, Threshold.TURN)]
    assert received(neighbour) == []
    assert [m.to for m in mail.outbox] == [[chair.email]]
    assert "Waiting for you" in mail.outbox[0].subject


def test_the_members_preference_for_workflow_turns_is_followed(
    county, make_member, django_capture_on_commit_callbacks
):
    quiet = make_member(county, Role.EXECUTIVE)
    NotificationPreference.objects.create(
        user=quiet, kind=ItemKind.WORKFLOW, mode=DeliveryMode.IN_APP
    )
    with county_context([county]), django_capture_on_commit_callbacks(execute=True):
        assert notify(county=county, recipients=[quiet], key="k:1", title="t") == 1
    assert received(county) == [(quiet.email, Threshold.TURN)]
    assert mail.outbox == []


def test_readiness_refuses_with_every_blocking_check_and_ignores_warnings():
    readiness = Readiness(
        [
            Check("Objectives", met=False, detail="No objectives yet."),
            Check("Evidence", met=False, detail="None attached.", blocking=False),
            Check("Dates", met=True),
        ]
    )
    assert not readiness.ready and [c.label for c in readiness.blocking] == ["Objectives"]
    assert [c.state for c in readiness] == ["blocking", "warning", "met"]
    with pytest.raises(Exception, match="No objectives yet"):
        require_ready(readiness)
    require_ready(Readiness([Check("Dates", met=True)]))


def test_waiting_for_lists_each_providers_items_longest_waiting_first(county, make_member):
    from datetime import date

    from notifications import waiting

    user = make_member(county, Role.EXECUTIVE)
    with county_context([county]):
        membership = user.memberships.for_county(county).get()

    def provider(m, today):
        assert m == membership
        yield WaitingItem(key="b", title="B", why="", url="", since=date(2026, 2, 1))
        yield WaitingItem(key="a", title="A", why="", url="", since=date(2026, 1, 1))

    waiting_provider(provider)
    try:
        assert [i.key for i in waiting_for(membership, today=date(2026, 3, 1))] == ["a", "b"]
    finally:
        waiting._PROVIDERS.remove(provider)
