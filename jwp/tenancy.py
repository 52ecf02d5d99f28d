"""The county is the tenant.

Three locks keep one county's data away from another county's users:

1. URLs carry the county slug and views resolve it through a membership check
   (``jwp.access``), answering 404 to non-members.
2. County-owned models inherit ``CountyOwned``; its default manager *fails
   closed*: a query that is not scoped with ``.for_county(c)`` (or explicitly
   ``.all_counties()`` for national roll-ups) raises ``UnscopedCountyQuery``
   when it reaches the database.
3. On PostgreSQL, row-level security on every county-owned table admits only
   rows whose ``county_id`` is in the transaction-local setting
   ``jwp.county_ids``; ``county_context()`` sets it. With no context, no rows.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator

from django.db import connection, models, transaction
from django.db.migrations.operations.base import Operation
from django.db.models import lookups
from django.db.models.sql.where import AND

COUNTY_SETTING = "jwp.county_ids"
USER_SETTING = "jwp.user_id"

_current_counties: contextvars.ContextVar[tuple[int, ...]] = contextvars.ContextVar(
    "jwp_current_counties", default=()
)


class UnscopedCountyQuery(Exception):
    """A county-owned table was queried without saying which county."""


# --- ORM lock ---------------------------------------------------------------


def _filters_on_county(query) -> bool:
    """True when the WHERE clause pins ``county_id`` of the base table (AND-ed)."""
    where = query.where
    if where.connector != AND or where.negated:
        return False
    for child in where.children:
        if isinstance(child, lookups.Exact | lookups.In):
            target = getattr(child.lhs, "target", None)
            alias = getattr(child.lhs, "alias", None)
            if target is not None and target.name == "county" and alias in (None, query.base_table):
                return True
    return False


class CountyQuerySet(models.QuerySet):
    _county_scoped = False

    def for_county(self, county) -> CountyQuerySet:
        county_id = getattr(county, "pk", county)
        if county_id is None:
            raise UnscopedCountyQuery("for_county() needs a saved county.")
        qs = self.filter(county_id=county_id)
        qs._county_scoped = True
        return qs

    def all_counties(self) -> CountyQuerySet:
        """Explicitly unscoped: national roll-ups and platform admin only."""
        qs = self._chain()
        qs._county_scoped = True
        return qs

    def _clone(self):
        clone = super()._clone()
        clone._county_scoped = self._county_scoped
        return clone

    def _check_scoped(self) -> None:
        if self._county_scoped:
            return
        # Related managers of a county-owned parent (``plan.steps.all()``) are
        # scoped by it. A global parent (an Organization, a User) is not: its
        # county-owned children still need .for_county().
        if isinstance(self._hints.get("instance"), CountyOwned):
            return
        if _filters_on_county(self.query):
            return
        raise UnscopedCountyQuery(
            f"{self.model.__name__} is county-owned: query it with .for_county(county) "
            "(or .all_counties() for an explicit national roll-up)."
        )

    def _fetch_all(self):
        if self._result_cache is None:
            self._check_scoped()
        super()._fetch_all()

    def _iterator(self, use_chunked_fetch, chunk_size):
        self._check_scoped()
        return super()._iterator(use_chunked_fetch, chunk_size)

    def count(self):
        if self._result_cache is None:
            self._check_scoped()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._check_scoped()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check_scoped()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._check_scoped()
        return super().update(**kwargs)

    def delete(self):
        self._check_scoped()
        return super().delete()


class CountyManager(models.Manager.from_queryset(CountyQuerySet)):
    pass


class CountyOwned(models.Model):
    """Base of every county-owned model: ``county_id NOT NULL``, indexed.

    Unique constraints of subclasses must include ``county``. Their migration
    adds row-level security with one line: ``EnableCountyRLS("ModelName")``.
    """

    county = models.ForeignKey(
        "counties.County", on_delete=models.PROTECT, related_name="+", db_index=True
    )

    objects = CountyManager()

    class Meta:
        abstract = True
        base_manager_name = None

    def check_same_county(self, *others: CountyOwned | None) -> None:
        """Services call this before linking objects: parent and child share a county."""
        for other in others:
            if other is None:
                continue
            other_county = other.pk if other._meta.model_name == "county" else other.county_id
            if other_county != self.county_id:
                raise CrossCountyError(
                    f"{type(other).__name__} belongs to another county than {type(self).__name__}."
                )


class CrossCountyError(ValueError):
    """A service was asked to link objects of two counties."""


# --- database lock (PostgreSQL row-level security) -------------------------


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _set_config(name: str, value: str) -> None:
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def current_county_ids() -> tuple[int, ...]:
    return _current_counties.get()


@contextlib.contextmanager
def county_context(counties: Iterable) -> Iterator[None]:
    """Open a transaction in which only these counties' rows are visible.

    Accepts County objects or ids. Restores the previous context on exit, so
    contexts nest. Celery tasks and management commands use this explicitly.
    """
    ids = tuple(sorted({getattr(c, "pk", c) for c in counties}))
    previous = _current_counties.get()
    token = _current_counties.set(ids)
    try:
        with transaction.atomic():
            _set_config(COUNTY_SETTING, _join(ids))
            yield
            # On an exception (or a rollback already requested) the savepoint's
            # rollback restores the setting by itself.
            if not connection.needs_rollback:
                _set_config(COUNTY_SETTING, _join(previous))
    finally:
        _current_counties.reset(token)


def _join(ids: Iterable[int]) -> str:
    return ",".join(str(i) for i in ids)


def all_counties_context():
    """Context over every county: platform admins and national roll-ups only."""
    from counties.models import County

    return county_context(County.objects.values_list("pk", flat=True))


def activate_user(user) -> None:
    """Let the current transaction read the user's own memberships in any county."""
    _set_config(USER_SETTING, str(user.pk) if user and user.is_authenticated else "")


class AdminCountyContextMiddleware:
    """Platform admins in Django admin see every county (they are the platform)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path.startswith("/admin/") and user and user.is_authenticated and user.is_staff:
            with all_counties_context():
                return self.get_response(request)
        return self.get_response(request)


_COUNTY_IDS_SQL = (
    "string_to_array(NULLIF(current_setting('jwp.county_ids', true), ''), ',')::bigint[]"
)


def rls_policy_sql(table: str, extra_using: str = "") -> str:
    using = f"county_id = ANY ({_COUNTY_IDS_SQL})"
    read = f"({using}) OR ({extra_using})" if extra_using else using
    return (
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY; '
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY; '
        f'CREATE POLICY county_isolation ON "{table}" USING ({read}) WITH CHECK ({using});'
    )


class EnableCountyRLS(Operation):
    """Migration operation: row-level security on a county-owned model's table.

    ``EnableCountyRLS("Sector")`` in the model's migration is the whole step.
    ``extra_using`` widens *reading* only (writes stay pinned to the county).
    A no-op on SQLite, which has no row-level security.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str, extra_using: str = ""):
        self.model_name = model_name
        self.extra_using = extra_using

    def state_forwards(self, app_label, state):
        pass

    def _table(self, app_label, state) -> str:
        return state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, to_state)
        schema_editor.execute(rls_policy_sql(table, self.extra_using))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, from_state)
        schema_editor.execute(
            f'DROP POLICY IF EXISTS county_isolation ON "{table}"; '
            f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY; '
            f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY;'
        )

    def describe(self):
        return f"Enable county row-level security on {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"rls_{self.model_name.lower()}"

    def deconstruct(self):
        kwargs = {"extra_using": self.extra_using} if self.extra_using else {}
        return (self.__class__.__qualname__, [self.model_name], kwargs)
