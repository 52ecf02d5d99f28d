"""Fixtures of the reminder tests: a clock at 06:00 in Nairobi (the beat time) and the sweep
run as beat runs it, with the e-mails the committed transactions enqueue."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jwp.roles import Role
from notifications import tasks
from tests import factories

NAIROBI = ZoneInfo("Africa/Nairobi")
TODAY = date(2026, 11, 23)


def six_am(day: date) -> datetime:
    return datetime.combine(day, time(6, 0), tzinfo=NAIROBI)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """sweep(day): the 06:00 beat task on that day; returns its counts."""

    def run(day: date = TODAY) -> dict:
        with (
            time_machine.travel(six_am(day), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return tasks.sweep_reminders()

    return run


@pytest.fixture
def owner(county, make_member):
    return make_member(county, Role.PARTNER)


@pytest.fixture
def action_item(county, owner):
    """item(due=..., **fields): an open action item of the county owned by ``owner``."""

    def make(due: date, **fields):
        fields.setdefault("owner_user", owner)
        return factories.ActionItemFactory(county=county, due_date=due, **fields)

    return make


@pytest.fixture
def only_action_items(monkeypatch):
    """Only meeting action items are dated: the statutory calendars (PFM, USAID) remind
    the secretariat every few weeks, which would make these tests' counts depend on the
    date. test_all_providers.py sweeps with every provider registered."""
    from calendars import items, providers

    monkeypatch.setattr(items, "_PROVIDERS", [providers.action_items])
