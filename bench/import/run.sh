#!/usr/bin/env bash
# Import of 50,000 employees on PostgreSQL, next to PostgreSQL's own COPY of the same rows.
# Usage: bash bench/import/run.sh [ROWS]   (from the repository root; PostgreSQL on 127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${1:-50000}"
DB="${BENCH_DB:-frmr_bench_import}"
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DJANGO_SETTINGS_MODULE=config.settings
OUT=var/bench/import
mkdir -p "$OUT"
CSV="$OUT/employees_$ROWS.csv"
ORG_OID=1.2.643.5.1.13.13.12.2.77.9999

echo "== fresh database $DB"
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

echo "== generate $ROWS rows"
.venv/bin/python bench/import/generate.py --rows "$ROWS" > "$CSV"
ls -l "$CSV"

echo "== import_employees (validation + bulk writes + audit), first load"
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
start=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o "$OUT/import.cpu" .venv/bin/python manage.py import_employees --organization "$ORG_OID" "$CSV"
end=$(date +%s.%N)
IMPORT_SECONDS=$(echo "$end - $start" | bc)
IMPORT_CPU=$(awk '{print $1 + $2}' "$OUT/import.cpu")

echo "== PostgreSQL COPY of the same file into a plain table"
COLS=$(head -1 "$CSV" | tr ';' '\n' | awk '{printf "%sc%d text", (NR>1?", ":""), NR}')
$PSQL -d $DB -c "DROP TABLE IF EXISTS bench_copy" -c "CREATE TABLE bench_copy ($COLS)"
start=$(date +%s.%N)
$PSQL -d $DB -c "\\copy bench_copy FROM '$CSV' WITH (FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'UTF8')"
end=$(date +%s.%N)
COPY_SECONDS=$(echo "$end - $start" | bc)
COPIED=$($PSQL -d $DB -tA -c "SELECT count(*) FROM bench_copy")

PERSONS=$($PSQL -d $DB -tA -c "SELECT count(*) FROM registry_person")
AUDIT=$($PSQL -d $DB -tA -c "SELECT count(*) FROM audit_auditentry")
printf '\nRESULT rows=%s import_s=%.2f import_cpu_s=%.2f copy_s=%.2f copied=%s persons=%s audit_entries=%s ratio=%.0fx load1=%s cores=%s\n' \
  "$ROWS" "$IMPORT_SECONDS" "$IMPORT_CPU" "$COPY_SECONDS" "$COPIED" "$PERSONS" "$AUDIT" \
  "$(echo "$IMPORT_SECONDS / $COPY_SECONDS" | bc -l)" "$LOAD_BEFORE" "$(nproc)"
