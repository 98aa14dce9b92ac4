#!/usr/bin/env bash
# Checks the Prometheus configuration and alert rules with promtool:
#   promtool check config infra/prometheus/prometheus.yml    (also checks the rule files it lists)
#   promtool check rules  infra/prometheus/rules/pointbridge-alerts.yml
#   promtool test rules   infra/prometheus/rules/pointbridge-alerts.test.yml
# Installs Debian's prometheus package (which brings promtool) when promtool is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PROM_DIR="$ROOT/infra/prometheus"

say() { printf 'check-prometheus: %s\n' "$*"; }
die() { printf 'check-prometheus: ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    if [ -t 0 ] && [ -z "${CI:-}" ]; then sudo "$@"; else sudo -n "$@"; fi
  else
    die "root is needed for: $* (no sudo found)"
  fi
}

if ! command -v promtool >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "promtool not found and no apt-get; install Prometheus (it ships promtool)"
  say "promtool not found: installing Debian's prometheus package (brings promtool)"
  log="$(mktemp)"
  if ! { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
         as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "could not install prometheus"
  fi
  rm -f "$log"
  command -v promtool >/dev/null 2>&1 || die "prometheus installed but promtool is still not on PATH"
fi
say "using $(promtool --version 2>&1 | head -n1)"

failed=0
run_check() {
  local name="$1"; shift
  say "$name"
  if "$@"; then
    say "$name: ok"
  else
    say "$name: FAILED"
    failed=$((failed + 1))
  fi
}

cd "$PROM_DIR"
run_check "promtool check config prometheus.yml" promtool check config prometheus.yml
run_check "promtool check rules rules/pointbridge-alerts.yml" promtool check rules rules/pointbridge-alerts.yml
run_check "promtool test rules rules/pointbridge-alerts.test.yml" promtool test rules rules/pointbridge-alerts.test.yml

if [ "$failed" -ne 0 ]; then
  die "$failed of 3 Prometheus checks failed"
fi
say "all 3 Prometheus checks passed"
