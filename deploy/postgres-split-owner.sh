#!/bin/bash
# Once, on a database made before the owner role existed: deploy/postgres-init.sh
# then made jwp_app the owner of the database and of every table, so an injected
# statement could ALTER TABLE ... DISABLE ROW LEVEL SECURITY. This creates
# jwp_owner, hands it everything jwp_app owns, and leaves jwp_app rows only
# (deploy/postgres-app-grants.sql), in one transaction. New volumes need nothing.
#
#   # add JWP_DB_OWNER_PASSWORD and MIGRATE_DATABASE_URL to .env (deploy/env.example)
#   docker compose stop web worker beat
#   docker compose up -d db
#   docker compose exec db bash /etc/jwp/postgres-split-owner.sh
#   docker compose up -d
set -euo pipefail

: "${JWP_DB_OWNER_PASSWORD:?set JWP_DB_OWNER_PASSWORD (the password of jwp_owner) in .env}"
grants_sql=${JWP_APP_GRANTS_SQL:-$(dirname "${BASH_SOURCE[0]}")/postgres-app-grants.sql}
[[ -r $grants_sql ]] || {
  echo "cannot read $grants_sql (set JWP_APP_GRANTS_SQL)" >&2
  exit 1
}

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname jwp \
  --set=owner_password="$JWP_DB_OWNER_PASSWORD" --set=grants="$grants_sql" \
  --set=owner=jwp_owner --set=app=jwp_app --set=db=jwp <<'SQL'
BEGIN;
CREATE ROLE jwp_owner LOGIN PASSWORD :'owner_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
-- The database, the tables, the sequences: everything jwp_app owns here.
REASSIGN OWNED BY jwp_app TO jwp_owner;
ALTER ROLE jwp_app NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
REVOKE ALL ON DATABASE jwp FROM PUBLIC;
\i :grants
COMMIT;
SQL
