"""PostgreSQL row-level security: the database's own lock, under the ORM's.

Raw SQL bypasses the ORM entirely, so these tests show what the database
alone admits.
"""

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from jwp.tenancy import CountyOwned, EnableCountyRLS, activate_user, county_context
from tests import factories

COUNTY_OWNED = [m for m in apps.get_models() if issubclass(m, CountyOwned) and not m._meta.proxy]


def _sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def test_every_county_owned_model_has_an_rls_migration():
    """Runs on every backend: the migration files themselves must carry the policy."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    covered = {
        (app_label, op.model_name.lower())
        for (app_label, _name), migration in loader.disk_migrations.items()
        for op in migration.operations
        if isinstance(op, EnableCountyRLS)
    }
    missing = [
        m._meta.label
        for m in COUNTY_OWNED
        if (m._meta.app_label, m._meta.model_name) not in covered
    ]
    assert COUNTY_OWNED, "no county-owned models found"
    assert not missing, f"add EnableCountyRLS(...) to a migration for: {missing}"


@pytest.mark.postgres
@pytest.mark.django_db
class TestOnPostgres:
    def test_the_application_role_is_not_a_superuser(self):
        [(superuser, bypass)] = _sql(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        assert not superuser and not bypass

    @pytest.mark.parametrize("model", COUNTY_OWNED, ids=lambda m: m._meta.label)
    def test_every_county_owned_table_forces_a_policy(self, model):
        table = model._meta.db_table
        [(enabled, forced)] = _sql(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = %s",
            [table],
        )
        policies = _sql("SELECT policyname FROM pg_policies WHERE tablename = %s", [table])
        assert enabled and forced and ("county_isolation",) in policies

    def test_raw_sql_sees_only_the_current_countys_rows(self, county, neighbour):
        with county_context([county]):
            rows = _sql("SELECT DISTINCT county_id FROM counties_sector")
        assert rows == [(county.pk,)]

    def test_with_no_county_set_raw_sql_sees_nothing(self, county):
        assert _sql("SELECT count(*) FROM counties_sector") == [(0,)]
        assert _sql("SELECT count(*) FROM counties_membership") == [(0,)]

    def test_a_write_into_another_county_is_refused(self, county, neighbour):
        with (
            county_context([county]),
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
        ):
            _sql(
                "INSERT INTO counties_sector (county_id, name, slug, mtef_sector, "
                "description, is_active, \"order\") VALUES (%s, 'X', 'x', '', '', true, 1)",
                [neighbour.pk],
            )

    def test_moving_a_row_to_another_county_is_refused(self, county, neighbour):
        with (
            county_context([county]),
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
        ):
            _sql("UPDATE counties_sector SET county_id = %s", [neighbour.pk])

    def test_rows_of_another_county_cannot_be_updated_or_deleted(self, county, neighbour):
        with county_context([county]):
            _sql(
                "UPDATE counties_sector SET name = name || '!' WHERE county_id = %s", [neighbour.pk]
            )
            _sql("DELETE FROM counties_sector WHERE county_id = %s", [neighbour.pk])
        with county_context([neighbour]):
            assert _sql("SELECT count(*) FROM counties_sector WHERE name LIKE '%%!'") == [(0,)]
            assert _sql("SELECT count(*) FROM counties_sector") == [(10,)]

    def test_a_user_context_reveals_only_that_users_memberships(
        self, county, neighbour, make_member
    ):
        both = make_member(county)
        factories.MembershipFactory(county=neighbour, user=both)
        make_member(county)  # someone else
        with transaction.atomic():
            activate_user(both)
            rows = _sql("SELECT user_id, county_id FROM counties_membership ORDER BY county_id")
            assert {r[0] for r in rows} == {both.pk}
            assert {r[1] for r in rows} == {county.pk, neighbour.pk}
            assert _sql("SELECT count(*) FROM counties_sector") == [(0,)]

    def test_context_is_restored_after_a_nested_block(self, county, neighbour):
        with county_context([county]):
            with county_context([neighbour]):
                assert _sql("SELECT DISTINCT county_id FROM counties_sector") == [(neighbour.pk,)]
            assert _sql("SELECT DISTINCT county_id FROM counties_sector") == [(county.pk,)]
        assert _sql("SELECT count(*) FROM counties_sector") == [(0,)]
