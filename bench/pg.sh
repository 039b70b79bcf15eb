#!/usr/bin/env bash
# A private PostgreSQL server for the benchmarks, so that its settings can be changed and it can be
# restarted without touching anybody else's server (docs/postgresql.md).
#
#   bench/pg.sh start [shipped|stock]   # initdb on first use; `shipped` includes deploy/postgresql/frmr.conf
#   bench/pg.sh stop
#
# PGDATA (default /tmp/frmr-bench-pg), PGPORT (default 8461), SHARED_BUFFERS (overrides the shipped
# 4GB, e.g. on a machine shared with others).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PGDATA="${PGDATA:-/tmp/frmr-bench-pg}"
PGPORT="${PGPORT:-8461}"
# The server refuses to run as root: as root, run it as the `postgres` system user.
AS=()
if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); fi
case "${1:-}" in
start)
    mode="${2:-shipped}"
    if [ ! -f "${PGDATA}/PG_VERSION" ]; then
        mkdir -p "${PGDATA}"
        if [ "$(id -u)" = 0 ]; then chown postgres "${PGDATA}"; fi
        "${AS[@]}" "${BIN}/initdb" -D "${PGDATA}" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    "${AS[@]}" touch "${PGDATA}/frmr-bench.conf"
    : >"${PGDATA}/frmr-bench.conf"
    if [ "${mode}" = shipped ]; then
        cp deploy/postgresql/frmr.conf "${PGDATA}/frmr-shipped.conf"
        echo "include = 'frmr-shipped.conf'" >>"${PGDATA}/frmr-bench.conf"
        if [ -n "${SHARED_BUFFERS:-}" ]; then
            echo "shared_buffers = '${SHARED_BUFFERS}'" >>"${PGDATA}/frmr-bench.conf"
        fi
    fi
    grep -q "include_if_exists = 'frmr-bench.conf'" "${PGDATA}/postgresql.conf" ||
        echo "include_if_exists = 'frmr-bench.conf'" >>"${PGDATA}/postgresql.conf"
    "${AS[@]}" "${BIN}/pg_ctl" -D "${PGDATA}" -o "-p ${PGPORT} -k /tmp" -l "${PGDATA}/server.log" -w restart >/dev/null 2>&1 ||
        "${AS[@]}" "${BIN}/pg_ctl" -D "${PGDATA}" -o "-p ${PGPORT} -k /tmp" -l "${PGDATA}/server.log" -w start >/dev/null
    psql -h 127.0.0.1 -p "${PGPORT}" -U postgres -Atc \
        "SELECT 'settings: ' || string_agg(name || '=' || current_setting(name), ' ' ORDER BY name)
         FROM pg_settings WHERE name IN ('jit', 'shared_buffers', 'work_mem', 'random_page_cost',
         'effective_cache_size', 'autovacuum_vacuum_scale_factor')"
    ;;
stop)
    "${AS[@]}" "${BIN}/pg_ctl" -D "${PGDATA}" -m fast -w stop
    ;;
*)
    echo "usage: $0 start [shipped|stock] | stop" >&2
    exit 2
    ;;
esac
