#!/bin/bash
# Runs once, when the db volume is first initialised (the official postgres
# image runs /docker-entrypoint-initdb.d/*.sh as the `postgres` OS user, with
# POSTGRES_USER as the database superuser). CI runs it too (.ci/run).
#
# Creates two roles and the database `jwp`, neither role a superuser nor able
# to bypass row-level security (superusers always bypass it, and RLS is the
# second lock between counties):
#
#   jwp_owner  owns the database and every table; `migrate` connects as it
#              (MIGRATE_DATABASE_URL).
#   jwp_app    the web, worker and beat processes connect as it (DATABASE_URL):
#              rows only, so an injected statement cannot ALTER or DROP a table
#              or DISABLE ROW LEVEL SECURITY (deploy/postgres-app-role.sql).
#
# A database made before jwp_owner existed: deploy/postgres-split-owner.sh, once.
#
# Never point DATABASE_URL at POSTGRES_USER or at jwp_owner.
set -euo pipefail

: "${JWP_DB_PASSWORD:?set JWP_DB_PASSWORD (the password of jwp_app) in .env}"
: "${JWP_DB_OWNER_PASSWORD:?set JWP_DB_OWNER_PASSWORD (the password of jwp_owner) in .env}"
# BASH_SOURCE, not $0: the postgres image sources *.sh files that are not executable.
app_role_sql=${JWP_APP_ROLE_SQL:-$(dirname "${BASH_SOURCE[0]}")/postgres-app-role.sql}
[[ -r $app_role_sql ]] || {
  echo "cannot read $app_role_sql (set JWP_APP_ROLE_SQL)" >&2
  exit 1
}

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set=owner_password="$JWP_DB_OWNER_PASSWORD" <<'SQL'
CREATE ROLE jwp_owner LOGIN PASSWORD :'owner_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE DATABASE jwp OWNER jwp_owner ENCODING 'UTF8';
REVOKE ALL ON DATABASE jwp FROM PUBLIC;
SQL

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname jwp \
  --set=owner=jwp_owner --set=app=jwp_app --set=db=jwp \
  --set=app_password="$JWP_DB_PASSWORD" --file "$app_role_sql"

# The superuser may log in over the local socket only (docker compose exec db
# psql -U postgres): its password, which sits in .env next to the app's
# settings, then opens nothing from the network. pg_hba.conf is first-match,
# so this line goes first; it takes effect when the image restarts the server
# after these scripts.
hba="$PGDATA/pg_hba.conf"
{
  echo "host all $POSTGRES_USER all reject"
  cat "$hba"
} >"$hba.new"
mv "$hba.new" "$hba"
