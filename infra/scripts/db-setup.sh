#!/usr/bin/env bash
# Creates (idempotently) the Pointbridge dev database and its two roles.
#
#   pointbridge_owner  LOGIN, password owner-dev, CREATEDB; owns the database `pointbridge` and its
#                      `public` schema. Flyway runs as this role.
#   pointbridge_app    LOGIN, password app-dev, NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE,
#                      owns nothing; the Flyway migrations grant it what it needs. Row-level
#                      security applies to it.
#
# It connects as the PostgreSQL superuser, in this order:
#   1. psql -h $DB_HOST -p $DB_PORT -U postgres (TCP, no password prompt: trust or ~/.pgpass),
#   2. as the OS user postgres over the local socket (su when root, else sudo -n -u postgres),
#   3. psql over the local socket as the current OS user, when that user is the postgres superuser.
# Running it twice changes nothing; it prints what it found and what it did.
#
# Environment (all optional):
#   POINTBRIDGE_DB_HOST (127.0.0.1)  POINTBRIDGE_DB_PORT (5432)  POINTBRIDGE_DB_NAME (pointbridge)
#   POINTBRIDGE_DB_OWNER_PASSWORD (owner-dev)  POINTBRIDGE_DB_APP_PASSWORD (app-dev)
set -euo pipefail

DB_HOST="${POINTBRIDGE_DB_HOST:-127.0.0.1}"
DB_PORT="${POINTBRIDGE_DB_PORT:-5432}"
DB_NAME="${POINTBRIDGE_DB_NAME:-pointbridge}"
OWNER_ROLE="pointbridge_owner"
APP_ROLE="pointbridge_app"
OWNER_PASSWORD="${POINTBRIDGE_DB_OWNER_PASSWORD:-owner-dev}"
APP_PASSWORD="${POINTBRIDGE_DB_APP_PASSWORD:-app-dev}"

say() { printf 'db-setup: %s\n' "$*"; }
die() { printf 'db-setup: ERROR: %s\n' "$*" >&2; exit 1; }

command -v psql >/dev/null 2>&1 || die "psql not found (apt-get install postgresql-client, or run ./pointbridge up)"

# How to reach the superuser: MODE is tcp | su | sudo | local.
MODE=""
# Common psql options: no ~/.psqlrc, no password prompt, stop on the first error, quiet, bare output.
PSQL_OPTS=(-X -w -v ON_ERROR_STOP=1 -q -At -p "$DB_PORT")

# run_psql DB [psql args...]  -- runs psql as the superuser against DB; SQL may come on stdin.
run_psql() {
  local db="$1"; shift
  case "$MODE" in
    tcp)   psql "${PSQL_OPTS[@]}" -h "$DB_HOST" -U postgres -d "$db" "$@" ;;
    su)    su postgres -s /bin/sh -c "cd / && exec psql $(printf '%q ' "${PSQL_OPTS[@]}" -d "$db" "$@")" ;;
    sudo)  sudo -n -u postgres sh -c "cd / && exec psql $(printf '%q ' "${PSQL_OPTS[@]}" -d "$db" "$@")" ;;
    local) psql "${PSQL_OPTS[@]}" -d "$db" "$@" ;;
    *)     die "internal: no connection mode" ;;
  esac
}

is_superuser() {
  [ "$(run_psql postgres -c 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user' 2>/dev/null </dev/null)" = "t" ]
}

pick_mode() {
  MODE=tcp
  if is_superuser; then say "connected as superuser postgres over TCP ($DB_HOST:$DB_PORT)"; return; fi
  if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
    MODE=su
    if is_superuser; then say "connected as superuser postgres over the local socket (su postgres)"; return; fi
  fi
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    MODE=sudo
    if is_superuser; then say "connected as superuser postgres over the local socket (sudo -u postgres)"; return; fi
  fi
  MODE=local
  if is_superuser; then say "connected as superuser $(id -un) over the local socket"; return; fi
  die "cannot connect to PostgreSQL on port $DB_PORT as a superuser.
  Tried: psql -h $DB_HOST -U postgres; su/sudo -u postgres psql; psql as $(id -un).
  Is the server running (pg_isready -h $DB_HOST -p $DB_PORT)? './pointbridge up' starts and configures it."
}

# q DB SQL -- one query, bare result.
q() { run_psql "$1" -c "$2" </dev/null; }

pick_mode

# --- roles -------------------------------------------------------------------------------------
ensure_role() {
  local role="$1" password="$2" attributes="$3"
  if [ "$(q postgres "SELECT count(*) FROM pg_roles WHERE rolname = '$role'")" = "1" ]; then
    say "role $role exists; ensuring $attributes and its dev password"
  else
    q postgres "CREATE ROLE $role" >/dev/null
    say "role $role created ($attributes)"
  fi
  # The password goes through a psql variable (read from stdin, so it is interpolated and quoted).
  run_psql postgres -v "pw=$password" >/dev/null <<SQL
ALTER ROLE $role WITH $attributes PASSWORD :'pw';
SQL
}

ensure_role "$OWNER_ROLE" "$OWNER_PASSWORD" "LOGIN CREATEDB NOBYPASSRLS"
ensure_role "$APP_ROLE" "$APP_PASSWORD" "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION"

# The runtime role must not inherit the owner's rights.
if [ "$(q postgres "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE r.rolname = '$OWNER_ROLE' AND u.rolname = '$APP_ROLE'")" != "0" ]; then
  q postgres "REVOKE $OWNER_ROLE FROM $APP_ROLE" >/dev/null
  say "revoked membership of $APP_ROLE in $OWNER_ROLE (the runtime role must not act as the owner)"
fi

# --- database ----------------------------------------------------------------------------------
current_owner="$(q postgres "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$DB_NAME'")"
if [ -z "$current_owner" ]; then
  # CREATE DATABASE cannot run inside a transaction block, so it is a plain statement here.
  if q postgres "CREATE DATABASE $DB_NAME OWNER $OWNER_ROLE ENCODING 'UTF8' TEMPLATE template0" >/dev/null 2>&1; then
    say "database $DB_NAME created (UTF8), owned by $OWNER_ROLE"
  else
    # The cluster's locale does not fit UTF8: take the cluster's defaults (warned about below).
    q postgres "CREATE DATABASE $DB_NAME OWNER $OWNER_ROLE" >/dev/null
    say "database $DB_NAME created with the cluster's default encoding, owned by $OWNER_ROLE"
  fi
elif [ "$current_owner" != "$OWNER_ROLE" ]; then
  q postgres "ALTER DATABASE $DB_NAME OWNER TO $OWNER_ROLE" >/dev/null
  say "database $DB_NAME existed (owner $current_owner); owner changed to $OWNER_ROLE"
else
  say "database $DB_NAME exists, owned by $OWNER_ROLE"
fi

encoding="$(q postgres "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = '$DB_NAME'")"
[ "$encoding" = "UTF8" ] || say "WARNING: database $DB_NAME has encoding $encoding, expected UTF8"

# --- schema public and privileges --------------------------------------------------------------
schema_owner="$(q "$DB_NAME" "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'")"
if [ "$schema_owner" != "$OWNER_ROLE" ]; then
  q "$DB_NAME" "ALTER SCHEMA public OWNER TO $OWNER_ROLE" >/dev/null
  say "schema public of $DB_NAME: owner changed from $schema_owner to $OWNER_ROLE"
else
  say "schema public of $DB_NAME is owned by $OWNER_ROLE"
fi
# Only the owner creates objects (PostgreSQL 15 already revokes CREATE from PUBLIC; older ones do not).
# The runtime role may connect; what else it may do is granted by the Flyway migrations.
run_psql "$DB_NAME" >/dev/null <<SQL
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE $DB_NAME TO $APP_ROLE;
GRANT CONNECT, TEMPORARY ON DATABASE $DB_NAME TO $OWNER_ROLE;
SQL
say "privileges: only $OWNER_ROLE may CREATE in schema public; $APP_ROLE may CONNECT"

owned="$(q "$DB_NAME" "SELECT count(*) FROM pg_class WHERE relowner = '$APP_ROLE'::regrole")"
[ "$owned" = "0" ] || say "WARNING: $APP_ROLE owns $owned relation(s) in $DB_NAME; it must own nothing (RLS does not apply to owners)"

say "done: database $DB_NAME on $DB_HOST:$DB_PORT; jdbc:postgresql://$DB_HOST:$DB_PORT/$DB_NAME (owner $OWNER_ROLE, app $APP_ROLE)"
