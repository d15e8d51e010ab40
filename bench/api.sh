#!/usr/bin/env bash
# api.sh - the latency benchmark of mue-api: a year's hourly series of one sensor and the
# latest-values map of a use case under a steady request load, beside the same series' SQL run
# straight through libpq and /v1/me (the HTTP floor), all measured in the same run.
# SPDX-License-Identifier: MIT
#
# Usage: bench/api.sh [BUILD_DIR]   (make bench-api builds what it needs, then runs it)
# Env: BENCH_RATE (default 50 requests/s), BENCH_SECONDS (default 20 measured seconds a
#      scenario), BENCH_CONNS (default 4 kept-alive connections), BENCH_DAYS (default 365 days of
#      the water use case back-filled through the pipeline), BENCH_RESULTS (bench/results).
# Prints a summary and writes bench/results/api.json. Starts its own nats-server and PostgreSQL
# (fsync on, default settings) on free loopback ports and stops all it started.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/local/lib.sh
. bench/lib.sh

B=${1:-build}
BIN=$B/bin
LOAD=$B/bench/api_load
RATE=${BENCH_RATE:-50}
SECS=${BENCH_SECONDS:-20}
CONNS=${BENCH_CONNS:-4}
DAYS=${BENCH_DAYS:-365}
WARMUP=2
AIM_P99_MS=20
RESULTS=${BENCH_RESULTS:-bench/results}
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)

for f in mue-writer mue-normalizer mue-ingest mue-api mue-admin mue-sim; do
    [ -x "$BIN/$f" ] || { echo "api.sh: $BIN/$f is missing (run: make bench-api)" >&2; exit 1; }
done
[ -x "$LOAD" ] || { echo "api.sh: $LOAD is missing (run: make bench-api)" >&2; exit 1; }

bench_begin api

NATS_PORT=$(free_port)
NATS_MPORT=$(free_port)
PG_PORT=$(free_port)
INGEST_PORT=$(free_port)
API_PORT=$(free_port)
declare -A ADMIN=([writer]=$(free_port) [normalizer]=$(free_port) [ingest]=$(free_port) [api]=$(free_port))
PORTS="$NATS_PORT $NATS_MPORT $PG_PORT $INGEST_PORT $API_PORT ${ADMIN[*]}"
[ "$(tr ' ' '\n' <<< "$PORTS" | sort -u | wc -l)" = "$(wc -w <<< "$PORTS")" ] ||
    fail "the same free port was drawn twice: run again"
PG_DSN="host=127.0.0.1 port=$PG_PORT user=postgres dbname=mue"
SECRET=$(random_secret)
API=http://127.0.0.1:$API_PORT
sql() { psql -X -A -t -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "${2:-mue}" -c "$1"; }

export MUE_NATS_URL=nats://127.0.0.1:$NATS_PORT MUE_PG_DSN=$PG_DSN MUE_LOG_LEVEL=warn
export MUE_INGEST_SECRET=$SECRET MUE_INGEST_LISTEN=127.0.0.1:$INGEST_PORT
export MUE_INGEST_URL=http://127.0.0.1:$INGEST_PORT

start_svc() {
    local svc=$1
    # Each service under its own role, as in production (deploy/sql/0012_roles.sql).
    MUE_PG_DSN=$(pg_role_dsn "$PG_DSN" "$svc") MUE_ADMIN_LISTEN=127.0.0.1:${ADMIN[$svc]} \
        "$BIN/mue-$svc" >> "$T/log/$svc.log" 2>&1 &
    PID[$svc]=$!
    wait_healthy "http://127.0.0.1:${ADMIN[$svc]}/healthz" 30 ||
        fail "mue-$svc did not become healthy: $(tail -3 "$T/log/$svc.log")"
}

echo "# api benchmark: $RATE requests/s for $SECS s a scenario over $CONNS connections," \
    "$DAYS days of the water use case, $(nproc) cores, servers in $T"
MUE_PG_FSYNC=on pg_start "$T/pg" "$PG_PORT" trust
nats_start "$T/nats" "$NATS_PORT" "$NATS_MPORT"
sql "CREATE DATABASE mue" postgres
"$BIN/mue-admin" migrate > "$T/log/migrate.log" 2>&1 || fail "migrate: $(tail -3 "$T/log/migrate.log")"
PG_VERSION=$(sql "SHOW server_version")
for svc in writer normalizer ingest; do start_svc "$svc"; done

# --- the data, through the real pipeline: ingest -> normalizer -> writer
"$BIN/mue-sim" register > "$T/log/register.log" 2>&1 || fail "register: $(tail -3 "$T/log/register.log")"
day_end=$(date -u -d 'today 00:00' +%Y-%m-%dT%H:%M:%SZ)
t0=$(date +%s)
"$BIN/mue-sim" run --mode backfill --days "$DAYS" --to "$day_end" --use-case water --threads 4 \
    --ledger "$T/water.csv" > "$T/log/backfill-water.log" 2>&1 ||
    fail "back-fill of water: $(tail -3 "$T/log/backfill-water.log")"
"$BIN/mue-sim" run --mode backfill --days 1 --to "$day_end" \
    --use-case counting,heat,lighting,noise,waste --threads 4 \
    --ledger "$T/fleet.csv" > "$T/log/backfill-fleet.log" 2>&1 ||
    fail "back-fill of the fleet: $(tail -3 "$T/log/backfill-fleet.log")"
for l in water fleet; do
    "$BIN/mue-sim" reconcile --ledger "$T/$l.csv" --wait 600 > "$T/log/reconcile-$l.log" 2>&1 ||
        fail "the $l ledger does not reconcile: $(cat "$T/log/reconcile-$l.log")"
done
echo "data: water $(tail -1 "$T/log/backfill-water.log"); fleet $(tail -1 "$T/log/backfill-fleet.log");" \
    "stored in $(($(date +%s) - t0)) s"
# Fresh planner statistics and no autovacuum in the middle of the measurements.
sql "VACUUM ANALYZE"
sql "CHECKPOINT"

# The water level sensor with the most hours of data (the first in order among equals).
read -r EUI DEV_ID HOURS < <(sql "SELECT d.dev_eui, d.id, count(*) FROM device d
    JOIN rollup_hour r ON r.device_id = d.id AND r.quantity = 'water_level'
    WHERE d.use_case = 'water' AND d.active GROUP BY d.id ORDER BY count(*) DESC, d.dev_eui LIMIT 1" |
    tr '|' ' ')
[ -n "${EUI:-}" ] || fail "no water level sensor has hourly rollups"
MAP_UC=waste
MAP_DEVICES=$(sql "SELECT count(*) FROM device WHERE use_case = '$MAP_UC' AND active")
FROM=$(date -u -d "$day_end - $DAYS days" +%Y-%m-%dT%H:%M:%SZ)
SERIES_PATH="/v1/devices/$EUI/series?quantity=water_level&from=$FROM&to=$day_end&bucket=hour"
MAP_PATH="/v1/usecases/$MAP_UC/latest?format=geojson"

MUE_LOG_LEVEL=warn MUE_API_LISTEN=127.0.0.1:$API_PORT start_svc api
API_LOAD_KEY=$("$BIN/mue-admin" keys create --name bench --role admin 2> "$T/log/keys.log") ||
    fail "keys create: $(cat "$T/log/keys.log")"
export API_LOAD_KEY

# What the scenarios answer, checked once before they are timed.
get() { curl -fsS -H "Authorization: Bearer $API_LOAD_KEY" "$API$1"; }
POINTS=$(get "$SERIES_PATH" | grep -o '\["' | wc -l) || fail "GET $SERIES_PATH failed"
FEATURES=$(get "$MAP_PATH" | grep -o '"Feature"' | wc -l) || fail "GET $MAP_PATH failed"
[ "$POINTS" = "$HOURS" ] || echo "warning: the series has $POINTS points, rollup_hour $HOURS hours" >&2
[ "$FEATURES" = "$MAP_DEVICES" ] ||
    echo "warning: the map has $FEATURES features for $MAP_DEVICES devices of $MAP_UC" >&2
echo "series: $EUI water_level, $FROM to $day_end by hour: $POINTS points;" \
    "map: $MAP_UC, $FEATURES devices"

# The series' SQL, as services/api/h_series.c sends it for bucket=hour, agg=mean.
SERIES_SQL='SELECT date_part('\''epoch'\'', hour)::int8 * 1000000, sum::float8 / count FROM rollup_hour
    WHERE device_id = $1::int8 AND quantity = $2 AND hour >= $3::timestamptz AND hour < $4::timestamptz
    ORDER BY hour'

# load NAME ARGS...: one scenario; its line goes to $T/NAME.txt.
load() {
    local name=$1
    shift
    "$LOAD" --name "$name" --rate "$RATE" --seconds "$SECS" --warmup "$WARMUP" --conns "$CONNS" "$@" \
        > "$T/$name.txt" 2> "$T/log/load-$name.log" || fail "$name: $(head -3 "$T/log/load-$name.log")"
    cat "$T/$name.txt"
}
# f NAME KEY: a figure of a scenario's line.
f() { tr ' ' '\n' < "$T/$1.txt" | awk -F= -v k="$2" '$1 == k { print $2 }'; }

load me "$API/v1/me"
load series_sql --dsn "$PG_DSN" --sql "$SERIES_SQL" --param "$DEV_ID" --param water_level \
    --param "$FROM" --param "$day_end"
load series_sql_single_row --single-row --dsn "$PG_DSN" --sql "$SERIES_SQL" --param "$DEV_ID" \
    --param water_level --param "$FROM" --param "$day_end"
load series "$API$SERIES_PATH"
load map "$API$MAP_PATH"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
R_SERIES_P50=$(ratio "$(f series p50_ms)" "$(f series_sql p50_ms)")
R_SERIES_P99=$(ratio "$(f series p99_ms)" "$(f series_sql p99_ms)")
R_SERIES_ME=$(ratio "$(f series p50_ms)" "$(f me p50_ms)")
R_MAP_ME=$(ratio "$(f map p50_ms)" "$(f me p50_ms)")
AIM_MET=$(awk -v p="$(f series p99_ms)" -v a="$AIM_P99_MS" 'BEGIN { print (p < a) ? "true" : "false" }')
ERRORS=0
for s in me series_sql series_sql_single_row series map; do ERRORS=$((ERRORS + $(f $s errors))); done

echo
printf '%-24s %8s %8s %8s %8s %8s %7s %10s\n' scenario requests errors p50_ms p90_ms p99_ms max_ms "answer"
for s in me series_sql series_sql_single_row series map; do
    printf '%-24s %8s %8s %8s %8s %8s %7.1f %10s\n' "$s" "$(f $s count)" "$(f $s errors)" \
        "$(f $s p50_ms)" "$(f $s p90_ms)" "$(f $s p99_ms)" "$(f $s max_ms)" "$(f $s bytes) B"
done
echo "ratios: series / its SQL through libpq: p50 $R_SERIES_P50, p99 $R_SERIES_P99;" \
    "series / /v1/me p50 $R_SERIES_ME; map / /v1/me p50 $R_MAP_ME"
echo "aim: a year's hourly series under $AIM_P99_MS ms at p99: $(f series p99_ms) ms ($([ "$AIM_MET" = true ] && echo met || echo not met))"
echo "$(nproc) cores, load average $LOAD_BEFORE before the benchmark;" \
    "latencies run from each request's due time (open loop), at $RATE requests/s"
[ "$ERRORS" = 0 ] || echo "warning: $ERRORS requests failed (see above)" >&2

json_scenario() {
    local s=$1 k
    for k in count errors p50_ms p90_ms p99_ms max_ms rate svc_p50_ms svc_p99_ms bytes; do
        printf '  "%s.%s": %s,\n' "$s" "$k" "$(f "$s" "$k")"
    done
}
mkdir -p "$RESULTS"
{
    cat <<EOF
{
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "machine.nproc": $(nproc),
  "machine.cpu": "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo | sed 's/["\\]//g')",
  "machine.loadavg_before": $LOAD_BEFORE,
  "postgresql.version": "$PG_VERSION",
  "load.rate_per_s": $RATE,
  "load.seconds": $SECS,
  "load.connections": $CONNS,
  "data.days": $DAYS,
  "series.dev_eui": "$EUI",
  "series.points": $POINTS,
  "map.use_case": "$MAP_UC",
  "map.devices": $FEATURES,
EOF
    for s in me series_sql series_sql_single_row series map; do json_scenario "$s"; done
    cat <<EOF
  "ratios.series_vs_sql_p50": $R_SERIES_P50,
  "ratios.series_vs_sql_p99": $R_SERIES_P99,
  "ratios.series_vs_me_p50": $R_SERIES_ME,
  "ratios.map_vs_me_p50": $R_MAP_ME,
  "aim.series_p99_ms": $AIM_P99_MS,
  "aim.met": $AIM_MET
}
EOF
} > "$RESULTS/api.json"
echo "results: $RESULTS/api.json"
ok=1
