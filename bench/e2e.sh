#!/usr/bin/env bash
# e2e.sh - the end-to-end benchmark: mue-sim's load mode posts ChirpStack and TTS webhooks to
# mue-ingest at increasing rates, through UPLINKS, mue-normalizer, MEASURES and mue-writer into
# PostgreSQL, with the other four services running; each step is checked against the ledger and
# timed from each webhook's post to the commit of its rows (PostgreSQL's commit timestamps). The
# ramp stops at the first rate the pipeline does not keep up with. Then the ceilings of the same
# machine in the same run: COPY of as many rows into PostgreSQL, JetStream publish and consume of
# the same messages. Prints a summary and writes e2e.json in BENCH_RESULTS (bench/results).
# SPDX-License-Identifier: MIT
#
# Usage: bench/e2e.sh [BUILD_DIR]   (make bench runs it)
# Env: BENCH_RATES ("500 1000 2000 3000 4000 5000 6000 8000 10000" uplinks/s), BENCH_STEP_S (20 s
#      a step), BENCH_CITY_RATE (1000: the step whose webhook answers and memory are reported),
#      BENCH_DEVICES (2000 load devices: each sends every 2 s at 1,000/s), BENCH_THREADS (16 posting connections),
#      BENCH_PROFILE ("": with services, e.g. "ingest normalizer writer", each is sampled by perf
#      during the step at BENCH_PROFILE_RATE, the city rate by default, and the top of its profile
#      goes to profile-<service>.txt beside e2e.json).
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/local/lib.sh
. bench/lib.sh

B=${1:-build}
BIN=$B/bin
TOOLS=$B/bench
RATES=${BENCH_RATES:-500 1000 2000 3000 4000 5000 6000 8000 10000}
STEP_S=${BENCH_STEP_S:-20}
CITY_RATE=${BENCH_CITY_RATE:-1000}
DEVICES=${BENCH_DEVICES:-2000}
THREADS=${BENCH_THREADS:-16}
OUT=${BENCH_RESULTS:-bench/results}/e2e.json
# A step keeps up when the ingest took 95% of the rate asked and its last row was committed at
# most KEEP_UP_LAG_MS after its last webhook was answered: no backlog was left to grow.
KEEP_UP_RATIO=0.95
KEEP_UP_LAG_MS=2000
SERVICES="writer normalizer ingest alerts lighting opendata api"
PROFILE=${BENCH_PROFILE:-}
PROFILE_RATE=${BENCH_PROFILE_RATE:-$CITY_RATE}

for f in mue-admin mue-sim $(printf 'mue-%s ' $SERVICES); do
    [ -x "$BIN/$f" ] || { echo "e2e.sh: $BIN/$f is missing (run: make bench)" >&2; exit 1; }
done
for f in copy_ceiling js_ceiling; do
    [ -x "$TOOLS/$f" ] || { echo "e2e.sh: $TOOLS/$f is missing (run: make bench)" >&2; exit 1; }
done

bench_begin e2e
mkdir -p "$T/ledger"
declare -A ADMIN=()

NATS_PORT=$(free_port)
NATS_MPORT=$(free_port)
PG_PORT=$(free_port)
INGEST_PORT=$(free_port)
API_PORT=$(free_port)
for s in $SERVICES; do ADMIN[$s]=$(free_port); done
PORTS="$NATS_PORT $NATS_MPORT $PG_PORT $INGEST_PORT $API_PORT ${ADMIN[*]}"
[ "$(tr ' ' '\n' <<< "$PORTS" | sort -u | wc -l)" = "$(wc -w <<< "$PORTS")" ] ||
    fail "the same free port was drawn twice: run again"
sql() { psql -X -A -t -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "${2:-mue}" -c "$1"; }

export MUE_NATS_URL=nats://127.0.0.1:$NATS_PORT MUE_LOG_LEVEL=warn
export MUE_PG_DSN="host=127.0.0.1 port=$PG_PORT user=postgres dbname=mue"
export MUE_INGEST_SECRET=$(random_secret) MUE_INGEST_LISTEN=127.0.0.1:$INGEST_PORT
export MUE_INGEST_URL=http://127.0.0.1:$INGEST_PORT MUE_API_LISTEN=127.0.0.1:$API_PORT
export MUE_OPENDATA_DATASETS=$PWD/deploy/opendata/datasets.json
export MUE_OPENDATA_PUBLIC_DIR=$T/opendata/public MUE_OPENDATA_PRIVATE_DIR=$T/opendata/restricted

# Each service under its own role, as in production (deploy/sql/0012_roles.sql).
start_svc() {
    local svc=$1
    MUE_PG_DSN=$(pg_role_dsn "$MUE_PG_DSN" "$svc") MUE_ADMIN_LISTEN=127.0.0.1:${ADMIN[$svc]} \
        "$BIN/mue-$svc" >> "$T/log/$svc.log" 2>&1 &
    PID[$svc]=$!
}

echo "# end-to-end benchmark: steps of $STEP_S s at ${RATES// /, } uplinks/s, $DEVICES devices," \
    "$THREADS connections, $(nproc) cores, servers in $T"
# Production settings (fsync on), and the commit time of every transaction, which dates each row.
# With BENCH_PROFILE, pg_stat_statements also counts what every statement costs.
PG_OPTS="-c track_commit_timestamp=on"
[ -n "$PROFILE" ] && PG_OPTS="$PG_OPTS -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
PG_OPTS="$PG_OPTS ${BENCH_PG_OPTIONS:-}" # e.g. auto_explain's settings, to see a slow plan
MUE_PG_FSYNC=on MUE_PG_OPTIONS="$PG_OPTS" pg_start "$T/pg" "$PG_PORT" trust
nats_start "$T/nats" "$NATS_PORT" "$NATS_MPORT"
sql "CREATE DATABASE mue" postgres
[ -n "$PROFILE" ] && sql "CREATE EXTENSION pg_stat_statements"
"$BIN/mue-admin" migrate > "$T/log/migrate.log" 2>&1 || fail "migrate: $(tail -3 "$T/log/migrate.log")"
PG_VERSION=$(sql "SHOW server_version")
NATS_VERSION=$("$(nats_bin)" --version 2>&1 | awk '{ print $NF }')
for svc in $SERVICES; do start_svc "$svc"; done
for svc in $SERVICES; do
    wait_healthy "http://127.0.0.1:${ADMIN[$svc]}/healthz" 60 ||
        fail "mue-$svc did not become healthy: $(tail -3 "$T/log/$svc.log")"
done
sql "CREATE SCHEMA bench;
     CREATE TABLE bench.ledger (step int, time_us bigint, dev_eui text, fcnt bigint, fport int,
         outcome text, http_status int, attempts int, repeat int, posted_us bigint,
         answered_us bigint)"

# The load devices registered, and the pipeline warmed up, by 100 uplinks.
"$BIN/mue-sim" run --mode load --rate 100 --duration 1 --devices "$DEVICES" \
    --ledger "$T/ledger/register.csv" > "$T/log/register.log" 2>&1 ||
    fail "registering the load devices: $(tail -3 "$T/log/register.log")"

# Every consumer's lag (pending and unacknowledged), one "STREAM/consumer N" line each.
consumer_lags() {
    curl -fsS --max-time 5 "http://127.0.0.1:$NATS_MPORT/jsz?consumers=true" 2>/dev/null |
        jq -r '.account_details[]?.stream_detail[]? | .name as $s | .consumer_detail[]? |
               "\($s)/\(.name) \(.num_pending + .num_ack_pending)"'
}
# drained SECONDS: waits (cheaply: the server's monitor, not the database) until the consumers on
# the rows' path, the normalizer's and the writer's, have nothing left. The others (alerts,
# lighting) are reported beside, as what was still behind then.
drained() {
    local lags i
    for ((i = 0; i < $1 * 5; i++)); do
        lags=$(consumer_lags | grep -E '^(UPLINKS/normalizer|MEASURES/writer) ')
        [ -n "$lags" ] && ! grep -qv ' 0$' <<< "$lags" && return 0
        sleep 0.2
    done
    return 1
}

# step_figures RATE: one line of the step's figures from the ledger joined to the rows:
# uplinks points first_post_us last_answer_us last_commit_us row_p50 row_p99 row_max
# answer_p50 answer_p99 unmatched took_per_s (ms for the latencies; took: every post of the step,
# from the first sent to the last answered).
step_figures() {
    sql "WITH u AS (
            SELECT d.id AS device_id, timestamptz 'epoch' + l.time_us * interval '1 microsecond' AS t,
                   l.posted_us, l.answered_us
            FROM bench.ledger l JOIN device d ON d.dev_eui = l.dev_eui
            WHERE l.step = $1 AND l.outcome = 'accepted' AND l.repeat = 0),
         r AS (
            SELECT u.posted_us, u.answered_us, count(m.device_id) AS points,
                   max((extract(epoch FROM pg_xact_commit_timestamp(m.xmin)) * 1e6)::int8) AS commit_us
            FROM u LEFT JOIN measurement m ON m.device_id = u.device_id AND m.time = u.t
            GROUP BY u.device_id, u.t, u.posted_us, u.answered_us)
         SELECT count(*), sum(points), min(posted_us), max(answered_us), max(commit_us),
                round((percentile_cont(0.5) WITHIN GROUP (ORDER BY commit_us - posted_us) / 1000)::numeric, 2),
                round((percentile_cont(0.99) WITHIN GROUP (ORDER BY commit_us - posted_us) / 1000)::numeric, 2),
                round((max(commit_us - posted_us) / 1000.0)::numeric, 2),
                round((percentile_cont(0.5) WITHIN GROUP (ORDER BY answered_us - posted_us) / 1000)::numeric, 2),
                round((percentile_cont(0.99) WITHIN GROUP (ORDER BY answered_us - posted_us) / 1000)::numeric, 2),
                count(*) FILTER (WHERE points = 0),
                (SELECT round(count(*) * 1e6 / greatest(max(answered_us) - min(posted_us), 1))
                 FROM bench.ledger WHERE step = $1)
         FROM r" | tr '|' ' '
}

# perf samples each service of BENCH_PROFILE (the postmaster's backends for "postgresql") while
# the step runs; flat profiles (self time by function) are what tells where the time goes.
declare -A PERF_PID=()
profile_start() {
    local svc pids
    sql "SELECT pg_stat_statements_reset()" > /dev/null
    for svc in $PROFILE; do
        if [ "$svc" = postgresql ]; then
            pids=$(ps -o pid= --ppid "$PM_PID" | tr -s ' \n' ',' | sed 's/^,//; s/,$//')
        else
            pids=${PID[$svc]}
        fi
        perf record -q -F 499 -p "$pids" -o "$T/perf-$svc.data" > "$T/log/perf-$svc.log" 2>&1 &
        PERF_PID[$svc]=$!
    done
}
profile_end() {
    local svc dir
    dir=$(dirname "$OUT")
    mkdir -p "$dir"
    for svc in $PROFILE; do
        kill -INT "${PERF_PID[$svc]}" 2>/dev/null || true
        wait "${PERF_PID[$svc]}" 2>/dev/null || true
        { echo "# perf, mue-$svc during the $1 uplinks/s step: self time by function"
          perf report -i "$T/perf-$svc.data" --stdio --sort dso,sym --percent-limit 1 2>/dev/null |
              grep -v '^$' | head -40; } > "$dir/profile-$svc.txt"
    done
    # PostgreSQL's side by statement: who asks what, and what it costs (top level and nested).
    { echo "# pg_stat_statements during the $1 uplinks/s step: the statements by total time"
      sql "SELECT round(total_exec_time) AS total_ms, calls, round((total_exec_time / calls)::numeric, 3) AS mean_ms,
                  rows, toplevel, regexp_replace(left(query, 160), '\s+', ' ', 'g')
           FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25" | tr '|' '\t'
    } > "$dir/profile-statements.txt"
}

PM_PID=$(pg_pid "$T/pg")
NATS_PID=$(cat "$T/nats/nats.pid")
declare -A RSS=()
steps_json="[]"
best_rate=0 best_line="" city_line="" fell_behind=""

# run_step RATE: one step of the ramp; sets step_ok and appends to steps_json.
run_step() {
    local rate=$1 ledger=$T/ledger/$1.csv line sim_rc=0 c0 c1 all0 all1 svc
    local -A t0=()
    for svc in $SERVICES; do t0[$svc]=$(ticks "${PID[$svc]}"); done
    c0="$(pg_ticks "$PM_PID") $(ticks "$NATS_PID")"
    all0=$(machine_ticks)
    [ -n "$PROFILE" ] && [ "$rate" = "$PROFILE_RATE" ] && profile_start
    "$BIN/mue-sim" run --mode load --rate "$rate" --duration "$STEP_S" --devices "$DEVICES" \
        --threads "$THREADS" --ledger "$ledger" > "$T/log/sim-$rate.log" 2>&1 || sim_rc=$?
    [ "$sim_rc" = 0 ] || fail "the load at $rate/s: $(tail -3 "$T/log/sim-$rate.log")"
    [ -n "$PROFILE" ] && [ "$rate" = "$PROFILE_RATE" ] && profile_end "$rate"
    drained 600 || fail "the consumers did not drain within 600 s after the $rate/s step: $(consumer_lags | tr '\n' ' ')"
    all1=$(machine_ticks)
    c1="$(pg_ticks "$PM_PID") $(ticks "$NATS_PID")"
    local behind
    behind=$(consumer_lags | grep -E '^(UPLINKS|MEASURES)/' | grep -v ' 0$' | sort | tr '\n' ' ' | sed 's/ $//' || true)
    "$BIN/mue-sim" reconcile --ledger "$ledger" --wait 60 > "$T/log/reconcile-$rate.log" 2>&1 ||
        fail "the ledger of $rate/s does not reconcile: $(tail -3 "$T/log/reconcile-$rate.log")"
    local cpu="" n ours=0
    for svc in $SERVICES; do
        n=$(($(ticks "${PID[$svc]}") - ${t0[$svc]}))
        cpu="$cpu\"$svc\": $n,"
        ours=$((ours + n))
    done
    read -r pg0 nats0 <<< "$c0"
    read -r pg1 nats1 <<< "$c1"
    ours=$((ours + pg1 - pg0 + nats1 - nats0))
    # "other": the rest of the machine, mostly mue-sim posting the load on the same cores.
    cpu="{ $cpu \"postgresql\": $((pg1 - pg0)), \"nats-server\": $((nats1 - nats0)),
           \"other\": $((all1 - all0 - ours)), \"machine\": $((all1 - all0)), \"hz\": $(getconf CLK_TCK) }"

    sql "\\copy bench.ledger (time_us, dev_eui, fcnt, fport, outcome, http_status, attempts, repeat, posted_us, answered_us) FROM '$ledger' WITH (FORMAT csv, HEADER)"
    sql "UPDATE bench.ledger SET step = $rate WHERE step IS NULL"
    read -r uplinks points first_post last_answer last_commit row_p50 row_p99 row_max \
        answer_p50 answer_p99 unmatched took <<< "$(step_figures "$rate")"
    [ "$unmatched" = 0 ] || fail "$unmatched uplinks of the $rate/s step have no rows"
    local span_s lag_ms
    span_s=$(awk -v a="$first_post" -v b="$last_commit" 'BEGIN { printf "%.3f", (b - a) / 1e6 }')
    lag_ms=$(awk -v a="$last_answer" -v b="$last_commit" 'BEGIN { printf "%.0f", (b - a) / 1e3 }')
    local ups pps
    ups=$(awk -v n="$uplinks" -v s="$span_s" 'BEGIN { printf "%.0f", n / s }')
    pps=$(awk -v n="$points" -v s="$span_s" 'BEGIN { printf "%.0f", n / s }')
    step_ok=$(awk -v took="$took" -v r="$rate" -v k="$KEEP_UP_RATIO" -v lag="$lag_ms" -v max="$KEEP_UP_LAG_MS" \
        'BEGIN { print (took >= k * r && lag <= max) ? 1 : 0 }')
    printf '%7s/s  took %7s/s  stored %7s uplinks/s %8s points/s  webhook->row p50 %7s p99 %8s ms  answer p50 %6s p99 %7s ms  lag %6s ms  %s\n' \
        "$rate" "$took" "$ups" "$pps" "$row_p50" "$row_p99" "$answer_p50" "$answer_p99" "$lag_ms" \
        "$([ "$step_ok" = 1 ] && echo "keeps up" || echo "FALLS BEHIND")${behind:+ (still behind: $behind)}"
    line=$(jq -n --argjson rate "$rate" --argjson took "$took" --argjson uplinks "$uplinks" \
        --argjson points "$points" --argjson span "$span_s" --argjson ups "$ups" --argjson pps "$pps" \
        --argjson p50 "$row_p50" --argjson p99 "$row_p99" --argjson pmax "$row_max" \
        --argjson a50 "$answer_p50" --argjson a99 "$answer_p99" --argjson lag "$lag_ms" \
        --argjson ok "$([ "$step_ok" = 1 ] && echo true || echo false)" --argjson cpu "$cpu" \
        --arg behind "$behind" \
        '{rate: $rate, posted_per_s: $took, uplinks: $uplinks, points: $points, span_s: $span,
          uplinks_per_s: $ups, points_per_s: $pps, row_p50_ms: $p50, row_p99_ms: $p99,
          row_max_ms: $pmax, answer_p50_ms: $a50, answer_p99_ms: $a99, lag_ms: $lag,
          keeps_up: $ok, cpu_ticks: $cpu, others_behind_when_stored: $behind}')
    steps_json=$(jq --argjson s "$line" '. + [$s]' <<< "$steps_json")
    if [ "$step_ok" = 1 ] && [ "$ups" -gt "$best_rate" ]; then
        best_rate=$ups best_line=$line
    fi
    # Footprint at the city-like rate: each service's peak memory since it started.
    if [ "$rate" = "$CITY_RATE" ]; then
        city_line=$line
        for svc in $SERVICES; do RSS[$svc]=$(peak_rss_mb "${PID[$svc]}"); done
    fi
}

echo "#    rate  ingest took        stored                     time from webhook to row           webhook answer          backlog"
last_ok=0
for rate in $RATES; do
    run_step "$rate"
    if [ "$step_ok" = 1 ]; then
        last_ok=$rate
    else
        fell_behind=$rate
        break
    fi
done
# One step more, half-way between the last rate kept up with and the first one not.
if [ -n "$fell_behind" ] && [ "$last_ok" -gt 0 ]; then
    mid=$(( (last_ok + fell_behind) / 2 / 100 * 100 ))
    [ "$mid" -gt "$last_ok" ] && run_step "$mid"
fi
[ -n "$best_line" ] || fail "the pipeline kept up with no rate: the first step is too fast"
[ -n "$city_line" ] || fail "no step ran at the city rate $CITY_RATE/s (BENCH_RATES)"

# --- the ceilings, same machine, same servers, as much as the best step carried
best_uplinks=$(jq .uplinks <<< "$best_line")
best_points=$(jq .points <<< "$best_line")
sql "CREATE DATABASE mue_scratch" postgres
"$TOOLS/copy_ceiling" "host=127.0.0.1 port=$PG_PORT user=postgres dbname=mue_scratch" \
    "$best_points" 10000 > "$T/copy.txt" || fail "copy_ceiling: $(cat "$T/copy.txt")"
sql "DROP DATABASE mue_scratch" postgres
COPY_ROWS_S=$(awk '$3 == "rows_per_txn=10000" { sub("rows_per_s=", "", $6); print $6; exit }' "$T/copy.txt")
[ -n "$COPY_ROWS_S" ] || fail "copy_ceiling printed no figures: $(cat "$T/copy.txt")"
js() {
    "$TOOLS/js_ceiling" -u "$MUE_NATS_URL" -s "$1" -n "$2" > "$T/js-$1.txt" 2> "$T/log/js-$1.log" ||
        fail "js_ceiling $1: $(tail -3 "$T/log/js-$1.log")"
    awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^msgs_per_s=/) { sub("msgs_per_s=", "", $i); print $i } }' "$T/js-$1.txt"
}
JS_UPLINKS_S=$(js UPLINKS "$best_uplinks")
JS_MEASURES_S=$(js MEASURES "$best_uplinks")
[ -n "$JS_UPLINKS_S" ] && [ -n "$JS_MEASURES_S" ] || fail "js_ceiling printed no figures"

ok=1
mkdir -p "$(dirname "$OUT")"
jq -n --argjson steps "$steps_json" --argjson best "$best_line" --argjson city "$city_line" \
    --arg pg "$PG_VERSION" --arg nats "$NATS_VERSION" --argjson step_s "$STEP_S" \
    --argjson devices "$DEVICES" --argjson threads "$THREADS" \
    --argjson copy "$COPY_ROWS_S" --argjson js_up "$JS_UPLINKS_S" --argjson js_me "$JS_MEASURES_S" \
    --argjson rss "$(for s in $SERVICES; do printf '{"%s": %s}\n' "$s" "${RSS[$s]:-null}"; done | jq -s add)" \
    --arg fell "${fell_behind:-}" \
    '{e2e: {uplinks_per_s: $best.uplinks_per_s, points_per_s: $best.points_per_s,
            rate_asked: $best.rate, p50_row_ms: $best.row_p50_ms, p99_row_ms: $best.row_p99_ms,
            city_rate: $city.rate, p99_webhook_ms: $city.answer_p99_ms,
            p50_webhook_ms: $city.answer_p50_ms, city_p50_row_ms: $city.row_p50_ms,
            city_p99_row_ms: $city.row_p99_ms,
            fell_behind_at: (if $fell == "" then null else ($fell | tonumber) end),
            step_s: $step_s, devices: $devices, connections: $threads, steps: $steps},
      ceilings: {pg_copy_rows_per_s: $copy, jetstream_msgs_per_s: $js_up,
                 jetstream_measures_msgs_per_s: $js_me},
      ratios: {points_vs_copy: (($best.points_per_s / $copy) * 1000 | round / 1000),
               uplinks_vs_jetstream: (($best.uplinks_per_s / $js_up) * 1000 | round / 1000)},
      rss_mb: $rss, versions: {postgresql: $pg, nats_server: $nats}}' > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"

echo "sustained: $(commas "$(jq .e2e.uplinks_per_s "$OUT")") uplinks/s," \
    "$(commas "$(jq .e2e.points_per_s "$OUT")") points/s stored (asked $(jq .e2e.rate_asked "$OUT")/s;" \
    "fell behind at ${fell_behind:-none of the rates})"
echo "ceilings:  PostgreSQL COPY $(commas "$COPY_ROWS_S") rows/s (ratio $(jq .ratios.points_vs_copy "$OUT"));" \
    "JetStream publish+consume $(commas "$JS_UPLINKS_S") msgs/s of UPLINKS (ratio $(jq .ratios.uplinks_vs_jetstream "$OUT")), $(commas "$JS_MEASURES_S") of MEASURES"
echo "at $CITY_RATE uplinks/s: webhook answer p50 $(jq .e2e.p50_webhook_ms "$OUT") p99 $(jq .e2e.p99_webhook_ms "$OUT") ms;" \
    "webhook to row p50 $(jq .e2e.city_p50_row_ms "$OUT") p99 $(jq .e2e.city_p99_row_ms "$OUT") ms;" \
    "peak RSS (MB): $(jq -r '.rss_mb | to_entries | map("\(.key) \(.value)") | join(", ")' "$OUT")"
echo "wrote $OUT"
