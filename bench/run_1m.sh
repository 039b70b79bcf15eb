#!/usr/bin/env bash
# Recreate the benchmark database and time `generate_register` with one million persons (bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${BENCH_DB:-frmr_bench}"
PERSONS="${PERSONS:-1000000}"
WORKERS="${WORKERS:-2}"
PGPORT="${PGPORT:-5432}"  # 8461: the private server of bench/pg.sh with the shipped settings
export DATABASE_URL="postgres://postgres@127.0.0.1:${PGPORT}/${DB}"
psql -h 127.0.0.1 -p "${PGPORT}" -U postgres -qc "DROP DATABASE IF EXISTS ${DB}" -c "CREATE DATABASE ${DB}"
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py load_dictionaries | tail -n 1
/usr/bin/time -v .venv/bin/python manage.py generate_register --persons "${PERSONS}" --workers "${WORKERS}" 2>&1
psql -h 127.0.0.1 -p "${PGPORT}" -U postgres -d "${DB}" -c "
  SELECT relname AS table, n_live_tup AS rows, pg_size_pretty(pg_total_relation_size(relid)) AS size_with_indexes
  FROM pg_stat_user_tables WHERE relname LIKE 'registry_%' ORDER BY n_live_tup DESC;"
