#!/usr/bin/env bash
# Backs up the Pointbridge database into one file (pg_dump custom format: compressed, restorable
# table by table, consistent as of one snapshot while the platform keeps running).
#
#   infra/scripts/backup.sh [FILE]        default FILE: .local/backups/pointbridge-<UTC time>.dump
#
# It connects as the schema owner, which row-level security does not restrict, so every tenant's
# rows are in the dump. Roles are cluster-wide and not part of it: on a new server run
# infra/scripts/db-setup.sh first (or pg_dumpall --roles-only from the old one).
#
# Environment: POINTBRIDGE_DB_HOST (127.0.0.1), POINTBRIDGE_DB_PORT (5432), POINTBRIDGE_DB_NAME
# (pointbridge), POINTBRIDGE_DB_OWNER (pointbridge_owner), POINTBRIDGE_DB_OWNER_PASSWORD (owner-dev).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DB_HOST="${POINTBRIDGE_DB_HOST:-127.0.0.1}"
DB_PORT="${POINTBRIDGE_DB_PORT:-5432}"
DB_NAME="${POINTBRIDGE_DB_NAME:-pointbridge}"
DB_OWNER="${POINTBRIDGE_DB_OWNER:-pointbridge_owner}"
export PGPASSWORD="${POINTBRIDGE_DB_OWNER_PASSWORD:-owner-dev}"

file="${1:-$ROOT/.local/backups/pointbridge-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$file")"

command -v pg_dump >/dev/null 2>&1 || { echo "backup: pg_dump not found (apt-get install postgresql-client)" >&2; exit 1; }

echo "backup: dumping $DB_NAME on $DB_HOST:$DB_PORT as $DB_OWNER"
pg_dump --format=custom --compress=6 --no-password --serializable-deferrable \
  -h "$DB_HOST" -p "$DB_PORT" -U "$DB_OWNER" -d "$DB_NAME" -f "$file.partial"
mv "$file.partial" "$file"
echo "backup: wrote $file ($(du -h "$file" | cut -f1), sha256 $(sha256sum "$file" | cut -c1-16)...)"
