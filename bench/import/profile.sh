#!/usr/bin/env bash
# cProfile of one import on a fresh PostgreSQL database (default 10,000 rows); prints the top functions.
# Usage: bash bench/import/profile.sh [ROWS]   (from the repository root; PostgreSQL on 127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${1:-10000}"
DB="${BENCH_DB:-frmr_bench_import_profile}"
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DJANGO_SETTINGS_MODULE=config.settings
OUT=var/bench/import
mkdir -p "$OUT"
CSV="$OUT/employees_$ROWS.csv"
ORG_OID=1.2.643.5.1.13.13.12.2.77.9999

$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_dictionaries >/dev/null
.venv/bin/python manage.py shell -c "
from frmr.registry.services import organization_create, department_create
from frmr.audit.actors import SYSTEM
org = organization_create(actor=SYSTEM, data={'oid': '$ORG_OID', 'name_full': 'ГБУЗ «Больница для замеров»',
    'name_short': 'Больница для замеров', 'ogrn': '1027700000019', 'inn': '7700000009', 'region': '77'})
department_create(actor=SYSTEM, organization=org, name='Терапевтическое отделение')
"
.venv/bin/python bench/import/generate.py --rows "$ROWS" > "$CSV"
.venv/bin/python -m cProfile -o "$OUT/import.prof" manage.py import_employees --organization "$ORG_OID" "$CSV"
.venv/bin/python -c "
import pstats
stats = pstats.Stats('$OUT/import.prof')
stats.sort_stats('tottime').print_stats(25)
stats.sort_stats('cumulative').print_stats(40)
"
