"""Shared fixtures. Two counties always exist (loaded by migrations): Samburu and,
as the neighbour in every test module, Turkana.

The suite is independent of the day it runs, of its order and of its neighbours:

* ``JWP_TEST_CLOCK_OFFSET_DAYS=450`` runs every test with the clock moved that many
  days (time-machine, started before the first test, ticking); CI runs the SQLite
  suite a second time moved past a Kenyan and a USAID fiscal year end and a leap day.
* pytest-randomly shuffles the order; the header prints the seed ("Using
  --randomly-seed=N"): replay a failure with ``make test PYTEST_ARGS=--randomly-seed=N``
  (add ``-p no:randomly`` for file order).
* pytest-xdist (``make test`` runs ``-n auto``): each worker has its own test
  database (pytest-django adds ``_gw0``…), its own SQLite file and its own Redis
  database number for the broker and the cache.
"""

import os
import shutil
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from jwp.celery import app as celery_app
from jwp.roles import Role
from tests import factories

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = "/usr/lib/chromium/chromium"


def _clock_offset_days() -> float:
    """Days to move the clock by; a fraction moves the time of day too (0.5: twelve hours,
    e.g. to run at 22:00 UTC, when Nairobi is already on the next day)."""
    raw = os.environ.get("JWP_TEST_CLOCK_OFFSET_DAYS", "").strip()
    if not raw:
        return 0
    try:
        return float(raw)
    except ValueError:
        raise pytest.UsageError(
            f"JWP_TEST_CLOCK_OFFSET_DAYS must be a number of days (e.g. 452), not {raw!r}"
        ) from None


CLOCK_OFFSET_DAYS = _clock_offset_days()
_moved_clock = None


def pytest_configure(config):
    """Move the clock for the whole run (every worker) when asked to."""
    global _moved_clock
    if CLOCK_OFFSET_DAYS and _moved_clock is None:
        _moved_clock = time_machine.travel(
            timezone.now() + timedelta(days=CLOCK_OFFSET_DAYS), tick=True
        )
        _moved_clock.start()


def pytest_unconfigure(config):
    global _moved_clock
    if _moved_clock is not None:
        _moved_clock.stop()
        _moved_clock = None


def pytest_report_header(config):
    if CLOCK_OFFSET_DAYS:
        return (
            f"clock moved {CLOCK_OFFSET_DAYS:+g} days (JWP_TEST_CLOCK_OFFSET_DAYS): "
            f"it is {timezone.localtime():%Y-%m-%d %H:%M} in Nairobi"
        )
    return None


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


# A second CI pass on SQLite may skip the PostgreSQL tests: JWP_TEST_MAY_SKIP=postgres.
MAY_SKIP = {m for m in os.environ.get("JWP_TEST_MAY_SKIP", "").split(",") if m.strip()}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    allowed = any(item.get_closest_marker(marker) for marker in MAY_SKIP)
    if CI and report.skipped and not allowed:
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
    # Rate-limit and login counters start at zero in every test (jwp.ratelimit keys).
    settings.JWP_RATELIMIT_NAMESPACE = uuid.uuid4().hex


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
def _sqlite_test_database_file(tmp_path_factory):
    """SQLite tests use a file, as the embedded default does, never the in-memory database.

    Django's in-memory test database is one shared-cache database: every connection
    to it shares table locks, and a conflict fails at once with "database table is
    locked" (SQLITE_LOCKED) — the busy timeout does not apply to shared-cache locks.
    A browser test has two connections: the live server's and, while Playwright's
    event loop runs, the test's own (asgiref hands the running loop another
    connection object), so a factory writing while the page loads could fail. A file
    in WAL mode with IMMEDIATE transactions (jwp/settings.py) makes them wait for each
    other like the web server and the worker of ``make run`` do.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3") or database["TEST"].get("NAME"):
        yield
        return
    # In memory when the machine has /dev/shm (a commit then costs no disk flush),
    # else in pytest's temporary folder.
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="jwp-tests-", dir=shm))
    else:
        folder = tmp_path_factory.mktemp("sqlite")
    database["TEST"]["NAME"] = str(folder / "test-jwp.sqlite3")
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    _sqlite_test_database_file, django_db_modify_db_settings_parallel_suffix
):
    """The file first, then pytest-django's per-worker suffix (``_gw0``…)."""


@pytest.fixture(scope="session", autouse=True)
def _redis_database_per_worker(worker_id):
    """Each xdist worker gets its own Redis database number (1, 2…) for the Celery broker
    and the cache, so one worker's Celery worker never takes another's tasks (whose rows
    are in another test database) and rate-limit counters do not add up across them."""
    from django.conf import settings
    from django.test.utils import override_settings

    url = os.environ.get("REDIS_URL", "")
    if not url or worker_id == "master":
        yield
        return
    own = urlunsplit(urlsplit(url)._replace(path=f"/{int(worker_id.removeprefix('gw')) + 1}"))
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = own
    with override_settings(CACHES={"default": {**settings.CACHES["default"], "LOCATION": own}}):
        yield
    celery_app.conf.broker_url = previous


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
