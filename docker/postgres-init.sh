#!/bin/sh
# Runs once, when the postgres container creates its data directory (docker-entrypoint-initdb.d):
# the application's role, without superuser rights, and the database it owns. The app migrates and
# runs as this role (SECURITY.md, "Running as a non-superuser database role").
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_password="$BUTLER_DB_PASSWORD" <<'SQL'
CREATE ROLE butler LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE butler_crm OWNER butler;
SQL
