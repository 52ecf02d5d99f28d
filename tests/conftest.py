"""Shared fixtures. Two counties always exist (loaded by migrations): Samburu and,
as the neighbour in every test module, Turkana."""

import os
import shutil

import pytest
from django.db import connection

from jwp.celery import app as celery_app
from jwp.roles import Role
from tests import factories

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = "/usr/lib/chromium/chromium"


def pytest_collection_modifyitems(config, items):
    """Skip what this machine cannot run — saying why — except under CI, where it fails."""
    has_postgres = "postgres" in os.environ.get("DATABASE_URL", "")
    has_redis = bool(os.environ.get("REDIS_URL"))
    has_chromium = os.path.exists(CHROMIUM) or bool(shutil.which("chromium"))
    reasons = {
        "postgres": None if has_postgres else "needs PostgreSQL: set DATABASE_URL (see README)",
        "redis": None if has_redis else "needs Redis and a Celery worker: set REDIS_URL",
        "browser": None if has_chromium else "needs Debian's chromium (apt-get install chromium)",
    }
    for item in items:
        for marker, reason in reasons.items():
            if reason and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if CI and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI=true, which is a failure: {report.longrepr}"


@pytest.fixture(autouse=True)
def _eager_celery():
    """Unit tests run tasks in-process; tests marked `redis` use a real worker."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Fast hashing: the tests are about rules, not key stretching.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county(db):
    return factories.samburu()


@pytest.fixture
def neighbour(db):
    return factories.turkana()


@pytest.fixture
def make_member(db):
    """make_member(county, role, **membership fields) -> the member's User."""

    def make(county, role=Role.OBSERVER, **kwargs):
        return factories.MembershipFactory(county=county, role=role, **kwargs).user

    return make


@pytest.fixture
def secretariat(county, make_member):
    return make_member(county, Role.SECRETARIAT)


@pytest.fixture
def neighbour_secretariat(neighbour, make_member):
    return make_member(neighbour, Role.SECRETARIAT)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def is_postgres(db) -> bool:
    return connection.vendor == "postgresql"
