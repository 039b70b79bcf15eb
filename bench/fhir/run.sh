#!/usr/bin/env bash
# Page through all PractitionerRoles of the largest organization of a generated register over HTTP,
# alternating with the floor (bench/fhir/README.md).
#
#   bench/fhir/run.sh                          # database frmr_fhir_bench (generate_register, README)
#   BENCH_DB=… PORT=8470 COUNT=100 ROUNDS=5 INCLUDE=1 bench/fhir/run.sh
#
# Starts gunicorn with the API's WSGI entry (config.wsgi_api, which serves /fhir/) and stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."

DB=${BENCH_DB:-frmr_fhir_bench}
PORT=${PORT:-8470}
COUNT=${COUNT:-100}
ROUNDS=${ROUNDS:-5}
FLOOR=${FLOOR:-200}
PSQL=(psql -h 127.0.0.1 -U postgres -d "$DB" -v ON_ERROR_STOP=1 -Atq)
OUT=var/bench/fhir
mkdir -p "$OUT"

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DATABASE_CONN_MAX_AGE=600            # persistent connections, as in production
export DJANGO_DEBUG=0                       # DEBUG keeps every query in memory
export FRMR_API_RATE_PER_MINUTE=1000000000  # one token makes every request: lift the limit
export FRMR_LOG_LEVEL=WARNING

.venv/bin/python manage.py migrate --no-input >/dev/null
"${PSQL[@]}" -c "analyze"
persons=$("${PSQL[@]}" -c "select count(*) from registry_person")
read -r MO CARDS < <("${PSQL[@]}" -F ' ' -c "select o.oid, count(*) from registry_employmentcard c
  join registry_organization o on o.id = c.organization_id group by o.oid order by count(*) desc limit 1")
echo "database $DB: $persons persons; largest organization $MO with $CARDS cards; $(nproc) cores"
TOKEN=$(.venv/bin/python manage.py create_api_token --organization "$MO" --name "bench fhir $(date +%s)" --quiet-token)

.venv/bin/gunicorn config.wsgi_api:application --workers 1 --worker-class gthread --threads 1 \
  --bind "127.0.0.1:$PORT" --log-level warning >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/fhir/metadata" >/dev/null && break
  sleep 0.2
done

ARGS=(--base "http://127.0.0.1:$PORT/fhir" --token "$TOKEN" --mo "$MO" --count "$COUNT" --rounds "$ROUNDS" --floor "$FLOOR")
[ -n "${INCLUDE:-}" ] && ARGS+=(--include)
.venv/bin/python bench/fhir/page_through.py "${ARGS[@]}" | tee "$OUT/result-$(date +%Y%m%d-%H%M%S).txt"
