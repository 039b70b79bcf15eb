#!/usr/bin/env bash
# GET /api/frmr/person?snils= under gunicorn, next to pgbench's raw index lookup, in one run.
#
#   bench/api/run.sh                  # uses the database frmr_bench_api (see README.md to prepare it)
#   BENCH_DB=… WORKERS=3 CONNECTIONS=6 DURATION=20 bench/api/run.sh
#
# Needs: PostgreSQL on 127.0.0.1:5432 with a generated register, pgbench, wrk (apt-get install wrk),
# gunicorn in .venv. Everything it starts it stops; results go to var/bench/api/.
set -euo pipefail
cd "$(dirname "$0")/../.."

DB=${BENCH_DB:-frmr_bench_api}
WORKERS=${WORKERS:-3}
CONNECTIONS=${CONNECTIONS:-6}
DURATION=${DURATION:-20}
PORT=${PORT:-8765}
PSQL=(psql -h 127.0.0.1 -U postgres -d "$DB" -v ON_ERROR_STOP=1 -Atq)
OUT=var/bench/api
mkdir -p "$OUT"

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DATABASE_CONN_MAX_AGE=600          # persistent connections, as in production
export DJANGO_DEBUG=0                     # DEBUG keeps every query in memory: never benchmark with it
export FRMR_API_RATE_PER_MINUTE=1000000000  # one token makes all requests: lift the limit for the run
export FRMR_LOG_LEVEL=WARNING

.venv/bin/python manage.py migrate --no-input >/dev/null

persons=$("${PSQL[@]}" -c "select count(*) from registry_person")
# The organization with the most employees, unless BENCH_MO names one.
MO=${BENCH_MO:-$("${PSQL[@]}" -c "select o.oid from registry_employmentcard c join registry_organization o
  on o.id = c.organization_id group by o.oid order by count(*) desc limit 1")}
echo "database $DB: $persons persons; organization $MO"

# The same 10 000 random СНИЛС of the organization's employees for pgbench and for wrk.
"${PSQL[@]}" <<SQL
drop table if exists bench_snils;
create table bench_snils (n int primary key, snils varchar(11) not null);
insert into bench_snils
select row_number() over (), snils from (
  select p.snils from registry_person p
  where exists (select 1 from registry_employmentcard c join registry_organization o on o.id = c.organization_id
                where c.person_id = p.id and o.oid = '$MO')
  order by random() limit 10000) s;
analyze bench_snils;
SQL
"${PSQL[@]}" -c "select snils from bench_snils order by n" > "$OUT/snils.txt"
echo "sampled $(wc -l < "$OUT/snils.txt") СНИЛС"

echo "== pgbench: raw index lookup"
pgbench -h 127.0.0.1 -U postgres -n -f bench/api/lookup.sql -c 4 -j 2 -T "$DURATION" "$DB" | tee "$OUT/pgbench.txt"

TOKEN=$(.venv/bin/python manage.py create_api_token --organization "$MO" --name "bench $(date +%s)" --quiet-token)
.venv/bin/gunicorn config.wsgi:application --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
  --log-level warning >"$OUT/gunicorn.log" 2>&1 &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/api/frmr/person/list?mo=$MO&limit=1" && break
  sleep 0.2
done

export BENCH_SNILS_FILE="$OUT/snils.txt" BENCH_MO="$MO" BENCH_TOKEN="$TOKEN"
echo "== warm-up (5 s)"
wrk -t2 -c"$CONNECTIONS" -d5s -s bench/api/person_by_snils.lua "http://127.0.0.1:$PORT" >/dev/null
echo "== wrk: GET /api/frmr/person?mo=…&snils=… ($WORKERS gunicorn workers, $CONNECTIONS connections)"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/api/person_by_snils.lua \
  "http://127.0.0.1:$PORT" | tee "$OUT/wrk.txt"

pg_tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pgbench.txt" | head -n1)
api_rps=$(sed -n 's/^BENCH .* rps=\([0-9.]*\) .*/\1/p' "$OUT/wrk.txt")
api_p99=$(sed -n 's/^BENCH .* p99_ms=\([0-9.]*\) .*/\1/p' "$OUT/wrk.txt")
errors=$(sed -n 's/^BENCH .* errors=\([0-9]*\).*/\1/p' "$OUT/wrk.txt")
ratio=$(python3 -c "print(f'{$pg_tps / $api_rps:.1f}')")
echo "RESULT persons=$persons pgbench_tps=$pg_tps api_rps=$api_rps api_p99_ms=$api_p99 errors=$errors pgbench/api=$ratio (target ≤ 20)"
"${PSQL[@]}" -c "drop table bench_snils"
