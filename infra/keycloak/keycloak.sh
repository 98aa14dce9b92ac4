#!/usr/bin/env bash
# Local Keycloak for development, tests and CI: downloads the distribution through Maven,
# imports the pointbridge realm from this directory and runs it in dev mode in the background.
#
#   keycloak.sh start | stop | status | url | token USER PASS
#
# Environment: KEYCLOAK_PORT (8180), KEYCLOAK_MANAGEMENT_PORT (9180), KEYCLOAK_START_TIMEOUT (180 s),
# JAVA_HOME (used when it is a JDK 21+; otherwise /usr/lib/jvm is searched).
set -euo pipefail

KEYCLOAK_VERSION=26.7.3
REALM=pointbridge
CONSOLE_CLIENT=pointbridge-console

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
LOCAL_DIR="$ROOT/.local"
KC_HOME="$LOCAL_DIR/keycloak-$KEYCLOAK_VERSION"
LOG_FILE="$LOCAL_DIR/keycloak.log"
PID_FILE="$LOCAL_DIR/keycloak.pid"
LOCK_FILE="$LOCAL_DIR/keycloak.lock"
REALM_FILE="$SCRIPT_DIR/realm-$REALM.json"
REALM_SUM_FILE="$LOCAL_DIR/keycloak-realm.sha256"
PORT=${KEYCLOAK_PORT:-8180}
MANAGEMENT_PORT=${KEYCLOAK_MANAGEMENT_PORT:-9180}
START_TIMEOUT=${KEYCLOAK_START_TIMEOUT:-180}
BASE_URL="http://localhost:$PORT"
ISSUER="$BASE_URL/realms/$REALM"
READY_URL="http://localhost:$MANAGEMENT_PORT/health/ready"

log() { echo "keycloak: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require_curl() { command -v curl >/dev/null 2>&1 || die "curl is required (apt-get install curl)"; }

is_ready() { curl -fsS -o /dev/null --max-time 3 "$READY_URL" 2>/dev/null; }

running_pid() {
  local pid
  [[ -f "$PID_FILE" ]] || return 1
  pid=$(cat "$PID_FILE" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Prints the feature version (17, 21, 25, ...) of the given java binary, or nothing.
java_major() {
  local v
  v=$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
  [[ "$v" == 1.* ]] && v=${v#1.}
  v=${v%%[.+-]*}
  [[ "$v" =~ ^[0-9]+$ ]] && echo "$v"
}

find_java_home() {
  local major best="" best_major=0 dir
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    major=$(java_major "$JAVA_HOME/bin/java" || true)
    if [[ -n "$major" && "$major" -ge 21 ]]; then echo "$JAVA_HOME"; return 0; fi
    log "JAVA_HOME=$JAVA_HOME is Java ${major:-?}; Keycloak needs 21+, searching /usr/lib/jvm"
  fi
  for dir in /usr/lib/jvm/*; do
    [[ -x "$dir/bin/java" ]] || continue
    major=$(java_major "$dir/bin/java" || true)
    if [[ -n "$major" && "$major" -ge 21 && "$major" -gt "$best_major" ]]; then
      best="$dir"; best_major="$major"
    fi
  done
  [[ -n "$best" ]] || die "no JDK 21+ found (JAVA_HOME unset or older, nothing suitable in /usr/lib/jvm); install one, e.g. apt-get install openjdk-21-jdk-headless, or set JAVA_HOME"
  echo "$best"
}

install_keycloak() {
  [[ -x "$KC_HOME/bin/kc.sh" ]] && return 0
  local download="$LOCAL_DIR/download" unpack="$LOCAL_DIR/.keycloak-unpack.$$"
  local zip="$download/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
  mkdir -p "$download"
  log "fetching org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip through Maven (cached in ~/.m2)"
  # -N: run on the parent pom only, not once per module.
  if ! (cd "$ROOT" && ./mvnw -N -B -q dependency:copy \
          "-Dartifact=org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" \
          "-DoutputDirectory=$download" </dev/null >"$LOCAL_DIR/keycloak-download.log" 2>&1); then
    tail -n 30 "$LOCAL_DIR/keycloak-download.log" >&2 || true
    die "Maven could not fetch the Keycloak distribution (see $LOCAL_DIR/keycloak-download.log)"
  fi
  [[ -f "$zip" ]] || die "expected $zip after dependency:copy"
  command -v unzip >/dev/null 2>&1 || die "unzip is required (apt-get install unzip)"
  log "unpacking into $KC_HOME"
  rm -rf "$unpack"
  mkdir -p "$unpack"
  unzip -q "$zip" -d "$unpack"
  mv "$unpack/keycloak-$KEYCLOAK_VERSION" "$KC_HOME"
  rm -rf "$unpack" "$zip"
  rmdir "$download" 2>/dev/null || true
}

realm_sum() { sha256sum "$REALM_FILE" | cut -d' ' -f1; }

realm_changed() { [[ ! -f "$REALM_SUM_FILE" || "$(cat "$REALM_SUM_FILE")" != "$(realm_sum)" ]]; }

# Keycloak imports a realm only if it does not exist yet, so the dev database (H2 under data/h2)
# is reset whenever the realm file in the repo changed since the last import.
prepare_realm_import() {
  if realm_changed && [[ -d "$KC_HOME/data/h2" ]]; then
    log "realm-$REALM.json changed since the last import: resetting the dev database to re-import it"
    rm -rf "$KC_HOME/data/h2"
  fi
  mkdir -p "$KC_HOME/data/import"
  cp "$REALM_FILE" "$KC_HOME/data/import/realm-$REALM.json"
  realm_sum >"$REALM_SUM_FILE"
}

show_log_tail() {
  log "last 50 lines of $LOG_FILE:"
  tail -n 50 "$LOG_FILE" >&2 2>/dev/null || true
}

wait_until_ready() {
  local pid=$1 started=$SECONDS elapsed
  log "waiting for $READY_URL (timeout ${START_TIMEOUT}s)"
  while ! is_ready; do
    elapsed=$((SECONDS - started))
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log_tail
      die "Keycloak (pid $pid) exited before it was ready"
    fi
    if (( elapsed >= START_TIMEOUT )); then
      show_log_tail
      die "Keycloak not ready after ${START_TIMEOUT}s (pid $pid still running; '$0 stop' ends it)"
    fi
    if (( elapsed > 0 && elapsed % 5 == 0 )); then log "  still starting... ${elapsed}s"; fi
    sleep 1
  done
  log "ready after $((SECONDS - started))s: $ISSUER (admin console $BASE_URL/admin, admin/admin)"
}

cmd_start() {
  require_curl
  mkdir -p "$LOCAL_DIR"
  # One starter at a time (e.g. two test JVMs); the server itself must not inherit the lock.
  exec 9>"$LOCK_FILE"
  flock 9
  if is_ready; then
    log "already ready: $ISSUER"
    if realm_changed; then log "note: realm-$REALM.json changed since it was imported; '$0 stop' then 'start' re-imports it"; fi
    return 0
  fi
  local pid
  if pid=$(running_pid); then
    log "already starting (pid $pid)"
    wait_until_ready "$pid"
    return 0
  fi
  local java_home
  java_home=$(find_java_home)
  export JAVA_HOME="$java_home"
  log "using JAVA_HOME=$JAVA_HOME (Java $(java_major "$JAVA_HOME/bin/java"))"
  install_keycloak
  prepare_realm_import
  log "starting Keycloak $KEYCLOAK_VERSION on port $PORT (management $MANAGEMENT_PORT), log: $LOG_FILE"
  (
    cd "$KC_HOME"
    export PATH="$JAVA_HOME/bin:$PATH"
    export KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
    export KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}"
    setsid nohup bin/kc.sh start-dev \
      "--http-port=$PORT" \
      "--http-management-port=$MANAGEMENT_PORT" \
      --health-enabled=true \
      "--hostname=$BASE_URL" \
      --import-realm \
      </dev/null >"$LOG_FILE" 2>&1 9>&- &
    echo $! >"$PID_FILE"
  )
  wait_until_ready "$(cat "$PID_FILE")"
}

cmd_stop() {
  local pid i
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE"
    if is_ready; then die "a Keycloak answers on $READY_URL but was not started by this script (no pid file)"; fi
    log "not running"
    return 0
  fi
  log "stopping pid $pid"
  # setsid made the server its own process group: signal the group (kc.sh and its java).
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still running after 30s, sending KILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  local pid
  if is_ready; then
    echo "ready: $ISSUER (pid $(running_pid || echo '?'))"
  elif pid=$(running_pid); then
    echo "starting (pid $pid), not ready yet; log: $LOG_FILE"
    return 1
  else
    echo "stopped"
    return 3
  fi
}

cmd_token() {
  [[ $# -eq 2 ]] || die "usage: $0 token USER PASS"
  require_curl
  local response token
  response=$(curl -sS --max-time 10 "$ISSUER/protocol/openid-connect/token" \
    --data-urlencode "grant_type=password" \
    --data-urlencode "client_id=$CONSOLE_CLIENT" \
    --data-urlencode "scope=openid" \
    --data-urlencode "username=$1" \
    --data-urlencode "password=$2") || die "token endpoint not reachable at $ISSUER (is Keycloak started?)"
  token=$(printf '%s' "$response" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  [[ -n "$token" ]] || die "no access token for $1: $response"
  echo "$token"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  url) echo "$ISSUER" ;;
  token) shift; cmd_token "$@" ;;
  *)
    echo "usage: $0 start|stop|status|url|token USER PASS" >&2
    exit 2
    ;;
esac
