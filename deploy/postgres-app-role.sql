-- The role the web and worker processes connect as: rows only, never the schema.
--
-- Run by psql, connected to the application's database as a role that may
-- create roles (the superuser in deploy/postgres-init.sh), with the variables
--   owner         the role that owns the database and the tables; migrations run as it
--   app           the role to create
--   app_password  its password
-- tests/deploy/test_database_roles.py runs this same file in the test database
-- (it substitutes the variables and follows \ir the way psql does), so the test
-- proves what production gets.
--
-- The app role owns nothing and is not a superuser, so it cannot ALTER, DROP or
-- DISABLE ROW LEVEL SECURITY on a table, and row-level security (FORCEd on every
-- county-owned table) applies to it. It gets SELECT, INSERT, UPDATE, DELETE on
-- the tables and USAGE, SELECT on the sequences: the existing ones now, and the
-- ones later migrations create as the owner through default privileges.

CREATE ROLE :"app" LOGIN PASSWORD :'app_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

\ir postgres-app-grants.sql
