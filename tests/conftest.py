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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Make serialized rollback see through row-level security.

    Django snapshots the test database right after migrating, to restore it
    after each transactional test (browser and worker tests). On PostgreSQL
    that snapshot runs without a county context, so row-level security hides
    every county-owned row (the seeded sectors) and the restore would insert
    nothing — or be refused. Take the snapshot, and restore it, inside a
    context over every county, like any other platform-level job.
    """
    from django.db import connections

    from counties.models import County
    from jwp.tenancy import county_context

    with django_db_blocker.unblock():
        county_ids = list(County.objects.values_list("pk", flat=True))
        for conn in connections.all(initialized_only=True):
            if getattr(conn, "_test_serialized_contents", None) is None:
                continue
            creation = conn.creation
            with county_context(county_ids):
                conn._test_serialized_contents = creation.serialize_db_to_string()
            deserialize = creation.deserialize_db_from_string

            def deserialize_in_context(data, _deserialize=deserialize):
                with county_context(county_ids):
                    _deserialize(data)

            creation.deserialize_db_from_string = deserialize_in_context
