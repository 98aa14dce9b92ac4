#!/usr/bin/env bash
# Restores a backup made by backup.sh into a NEW database, then checks it is complete.
#
#   infra/scripts/restore.sh FILE TARGET_DATABASE
#
# It refuses to touch an existing database: restore next to the live one, verify, then switch the
# application's POINTBRIDGE_DB_URL over (or rename databases) in a maintenance window. The roles
# must exist on the server (infra/scripts/db-setup.sh). After restoring, run the ledger checks:
# the application's LedgerVerification (BackupRestoreIntegrationTests shows how) must find nothing.
#
# Environment: as backup.sh.
set -euo pipefail

DB_HOST="${POINTBRIDGE_DB_HOST:-127.0.0.1}"
DB_PORT="${POINTBRIDGE_DB_PORT:-5432}"
DB_OWNER="${POINTBRIDGE_DB_OWNER:-pointbridge_owner}"
export PGPASSWORD="${POINTBRIDGE_DB_OWNER_PASSWORD:-owner-dev}"

[ $# -eq 2 ] || { echo "usage: $0 FILE TARGET_DATABASE" >&2; exit 2; }
file="$1"
target="$2"
[ -r "$file" ] || { echo "restore: cannot read $file" >&2; exit 1; }
[[ "$target" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || { echo "restore: '$target' is not a plain database name" >&2; exit 2; }

psql_owner() { psql -X -w -q -At -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$DB_OWNER" "$@"; }

if [ "$(psql_owner -d postgres -c "select count(*) from pg_database where datname = '$target'")" != "0" ]; then
  echo "restore: database $target exists; restore into a new one" >&2
  exit 1
fi

echo "restore: creating $target owned by $DB_OWNER"
psql_owner -d postgres -c "create database $target owner $DB_OWNER"
echo "restore: restoring $file"
pg_restore --exit-on-error --no-password --single-transaction \
  -h "$DB_HOST" -p "$DB_PORT" -U "$DB_OWNER" -d "$target" "$file"
tables=$(psql_owner -d "$target" -c "select count(*) from pg_tables where schemaname = 'public'")
migrations=$(psql_owner -d "$target" -c "select max(version) from flyway_schema_history where success")
echo "restore: done: $tables tables, schema at migration $migrations"
