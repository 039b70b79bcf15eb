#!/usr/bin/env bash
# The whole test suite. In CI (CI=true) it runs on PostgreSQL with the browser tests and fails loudly
# when either is unavailable; elsewhere it falls back to SQLite and says what it skips.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# The accessibility walk (tests/e2e/test_walk_a11y.py) runs axe-core from the npm registry, pinned here.
AXE_VERSION=4.11.0
AXE=var/npm/node_modules/axe-core/axe.min.js
install_axe() {
  if ! head -c 40 "$AXE" 2>/dev/null | grep -q "axe v$AXE_VERSION"; then
    echo "Installing axe-core $AXE_VERSION into var/npm"
    npm install --no-save --no-audit --no-fund --prefix var/npm "axe-core@$AXE_VERSION" >/dev/null
  fi
}

if [ "${CI:-}" = "true" ]; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    echo "PostgreSQL is down: starting it"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432 -q || { echo "FATAL: PostgreSQL is not available on 127.0.0.1:5432" >&2; exit 1; }
  if [ ! -x /usr/bin/chromium ]; then
    echo "Chromium is missing: installing the Debian package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  fi
  # The ЕСИА signer tests check our signatures against OpenSSL's GOST engine.
  if ! openssl engine gost -t >/dev/null 2>&1; then
    echo "OpenSSL GOST engine is missing: installing the Debian package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libengine-gost-openssl >/dev/null
  fi
  if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then
    # The extract PDF's tests read its text and render it as a person would see it.
    echo "poppler-utils is missing: installing the Debian package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
  fi
  command -v pdftotext >/dev/null || { echo "FATAL: pdftotext (poppler-utils) is not available" >&2; exit 1; }
  if ! command -v msgfmt >/dev/null; then
    # tests/config/test_locale.py checks that the committed django.mo is compiled from django.po.
    echo "gettext is missing: installing the Debian package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
  fi
  if [ ! -x /usr/sbin/nginx ] || ! command -v systemd-analyze >/dev/null; then
    # tests/deploy checks deploy/nginx with `nginx -t` and deploy/systemd with `systemd-analyze verify`;
    # the Debian maintainer scripts do not start nginx in a container (policy-rc.d).
    echo "nginx or systemd-analyze is missing: installing the Debian packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx systemd >/dev/null
  fi
  # pg_dump/pg_restore of the backup drill (tests/deploy/test_backup_drill.py) must match the server.
  command -v pg_dump >/dev/null || { echo "FATAL: pg_dump is not available" >&2; exit 1; }
  [ -x /usr/bin/chromium ] || { echo "FATAL: /usr/bin/chromium is not available" >&2; exit 1; }
  install_axe || { echo "FATAL: axe-core could not be installed from npm (is npm there?)" >&2; exit 1; }
  [ -f "$AXE" ] || { echo "FATAL: $AXE is missing" >&2; exit 1; }
  if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
    # The extract PDF needs a Cyrillic font; frmr/accreditation/fonts/ has a fallback copy, but CI
    # should test with the system font that production uses.
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null || true
  fi
  export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/frmr}"
  # CI has the PostgreSQL server to itself: the worker's fault test stops and starts the whole server
  # (tests/taskworker.py); elsewhere it only cuts its own test database off.
  export FRMR_FAULT_PG_RESTART="${FRMR_FAULT_PG_RESTART:-1}"
  export FRMR_FAULT_PG_CLUSTER="${FRMR_FAULT_PG_CLUSTER:-$(ls /etc/postgresql | head -n1) main}"
  export FRMR_REQUIRE_BROWSER=1
else
  if [ -z "${DATABASE_URL:-}" ]; then
    echo "make test: no DATABASE_URL, using SQLite; PostgreSQL-only tests will be skipped (set DATABASE_URL=postgres://postgres@127.0.0.1:5432/frmr to run them)"
  fi
  [ -x /usr/bin/chromium ] || echo "make test: /usr/bin/chromium not found, browser tests will be skipped (apt-get install chromium)"
  command -v pdftotext >/dev/null || echo "make test: pdftotext not found, the extract's text test will be skipped (apt-get install poppler-utils)"
  if command -v npm >/dev/null; then
    install_axe || echo "make test: axe-core could not be installed, the accessibility walk will be skipped"
  else
    echo "make test: npm not found, the accessibility walk will be skipped"
  fi
fi

# ruff (rules and format), mypy --strict and the import-linter contracts: CI fails on any of them.
make --no-print-directory lint
$BIN/python manage.py makemigrations --check --dry-run >/dev/null || { echo "FATAL: models and migrations differ (run manage.py makemigrations)" >&2; exit 1; }
$BIN/pytest "$@"
