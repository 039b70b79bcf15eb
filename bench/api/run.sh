#!/usr/bin/env bash
# GET /api/frmr/person?snils= under granian (or gunicorn), next to pgbench's raw index lookup, in one run.
#
#   bench/api/run.sh                  # uses the database frmr_bench_api (see README.md to prepare it)
#   BENCH_DB=… SERVER=granian|gunicorn WORKERS=2 CONNECTIONS=4 DURATION=10 ROUNDS=5 bench/api/run.sh
#
# pgbench and the API take turns, ROUNDS times (pgbench DURATION s, then wrk DURATION s): the machine is
# shared, and a load that comes and goes then falls on both sides alike. Each round prints a ROUND
# line with the load average; the RESULT line gives the medians and the ratio of the medians.
#
# Needs: PostgreSQL on 127.0.0.1:5432 with a generated register, pgbench, wrk (apt-get install wrk),
# granian and gunicorn in .venv. Everything it starts it stops; results go to var/bench/api/.
set -euo pipefail
cd "$(dirname "$0")/../.."

DB=${BENCH_DB:-frmr_bench_api}
# granian: the production server of the API group (docs/decisions/0002-api-server.md); gunicorn to compare.
SERVER=${SERVER:-granian}
WORKERS=${WORKERS:-2}
# gunicorn: gthread keeps HTTP connections alive between requests (sync workers close each one);
# one thread per worker: the work is CPU-bound, more threads only contend for the GIL.
WORKER_CLASS=${WORKER_CLASS:-gthread}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-4}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-5}
# config.wsgi_api: the API-only entry (the site's config.wsgi dispatches /api/frmr/ to the same handler).
WSGI=${WSGI:-config.wsgi_api}
PORT=${PORT:-8765}
PSQL=(psql -h 127.0.0.1 -U postgres -d "$DB" -v ON_ERROR_STOP=1 -Atq)
OUT=var/bench/api
mkdir -p "$OUT"

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DATABASE_CONN_MAX_AGE=600          # persistent connections, as in production
export DATABASE_CONN_HEALTH_CHECKS=${DATABASE_CONN_HEALTH_CHECKS:-1}  # as in production
export DJANGO_DEBUG=0                     # DEBUG keeps every query in memory: never benchmark with it
export FRMR_API_RATE_PER_MINUTE=1000000000  # one token makes all requests: lift the limit for the run
export FRMR_LOG_LEVEL=WARNING
load() { cut -d' ' -f1-3 /proc/loadavg; }

.venv/bin/python manage.py migrate --no-input >/dev/null

persons=$("${PSQL[@]}" -c "select count(*) from registry_person")
# The organization with the most employees, unless BENCH_MO names one.
MO=${BENCH_MO:-$("${PSQL[@]}" -c "select o.oid from registry_employmentcard c join registry_organization o
  on o.id = c.organization_id group by o.oid order by count(*) desc limit 1")}
echo "database $DB: $persons persons; organization $MO"
# Planner statistics, as autovacuum keeps them in production: the development server runs with
# autovacuum off, and a freshly loaded copy has none (every row estimate is then a default guess).
"${PSQL[@]}" -c "analyze"

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

TOKEN=$(.venv/bin/python manage.py create_api_token --organization "$MO" --name "bench $(date +%s)" --quiet-token)
case "$SERVER" in
  granian)
    # One blocking thread per worker and a single-threaded runtime: as gunicorn's --threads 1, the
    # work is CPU-bound (measured: granian's defaults give ~8 % fewer requests per second).
    .venv/bin/granian --interface wsgi "$WSGI:application" --workers "$WORKERS" --blocking-threads "$THREADS" \
      --runtime-mode st --host 127.0.0.1 --port "$PORT" --log-level warning >"$OUT/server.log" 2>&1 &
    SERVER_DESC="granian, $WORKERS workers × $THREADS thread" ;;
  gunicorn)
    .venv/bin/gunicorn "$WSGI:application" --workers "$WORKERS" --worker-class "$WORKER_CLASS" \
      --threads "$THREADS" --bind "127.0.0.1:$PORT" --log-level warning >"$OUT/server.log" 2>&1 &
    SERVER_DESC="gunicorn, $WORKERS $WORKER_CLASS workers" ;;
  *) echo "SERVER must be granian or gunicorn" >&2; exit 2 ;;
esac
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/api/frmr/person/list?mo=$MO&limit=1" 2>/dev/null && break
  sleep 0.2
done

export BENCH_SNILS_FILE="$OUT/snils.txt" BENCH_MO="$MO" BENCH_TOKEN="$TOKEN"
echo "== warm-up (5 s)"
wrk -t2 -c"$CONNECTIONS" -d5s -s bench/api/person_by_snils.lua "http://127.0.0.1:$PORT" >/dev/null
echo "== $ROUNDS rounds: pgbench ${DURATION}s (raw index lookup, 4 clients), then wrk ${DURATION}s" \
  "(GET /api/frmr/person?mo=…&snils=…; $WSGI, $SERVER_DESC, $CONNECTIONS connections)"
: >"$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  load_pg=$(load)
  pgbench -h 127.0.0.1 -U postgres -n -f bench/api/lookup.sql -c 4 -j 2 -T "$DURATION" "$DB" \
    >"$OUT/pgbench.$round.txt" 2>&1
  load_api=$(load)
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/api/person_by_snils.lua \
    "http://127.0.0.1:$PORT" >"$OUT/wrk.$round.txt"
  pg_tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pgbench.$round.txt" | head -n1)
  read -r api_rps api_p99 errors < <(sed -n 's/^BENCH .* rps=\([0-9.]*\) .* p99_ms=\([0-9.]*\) .* errors=\([0-9]*\).*/\1 \2 \3/p' "$OUT/wrk.$round.txt")
  ratio=$(python3 -c "print(f'{$pg_tps / $api_rps:.1f}')")
  echo "$pg_tps $api_rps $api_p99 $errors" >>"$OUT/rounds.txt"
  echo "ROUND $round pgbench_tps=${pg_tps%.*} (load $load_pg) api_rps=$api_rps api_p99_ms=$api_p99 errors=$errors (load $load_api) pgbench/api=$ratio"
done

python3 - "$OUT/rounds.txt" "$persons" "$WSGI" "$SERVER×$WORKERS" "$CONNECTIONS" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
pg, api, p99, errors = (statistics.median(col) for col in zip(*rows))
print(f"RESULT persons={sys.argv[2]} pgbench_tps={pg:.0f} api_rps={api:.1f} api_p99_ms={p99:.1f} "
      f"errors={sum(r[3] for r in rows):.0f} pgbench/api={pg / api:.1f} (target ≤ 20; medians of {len(rows)} rounds) "
      f"wsgi={sys.argv[3]} server={sys.argv[4]} connections={sys.argv[5]}")
PY
"${PSQL[@]}" -c "drop table bench_snils"
