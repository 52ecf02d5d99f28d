#!/bin/bash
# Runs once, when the db volume is first initialised (the official postgres
# image runs /docker-entrypoint-initdb.d/*.sh as the `postgres` OS user, with
# POSTGRES_USER as the database superuser).
#
# Creates the role the application connects as, `jwp_app`, and its database
# `jwp`. The role is deliberately NOT a superuser and cannot bypass row-level
# security: superusers always bypass it, and RLS is the second lock between
# counties. Never point DATABASE_URL at POSTGRES_USER.
set -euo pipefail

: "${JWP_DB_PASSWORD:?set JWP_DB_PASSWORD (the password of jwp_app) in .env}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set=app_password="$JWP_DB_PASSWORD" <<'SQL'
CREATE ROLE jwp_app LOGIN PASSWORD :'app_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE DATABASE jwp OWNER jwp_app ENCODING 'UTF8';
REVOKE ALL ON DATABASE jwp FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE jwp TO jwp_app;
SQL

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
