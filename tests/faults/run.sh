#!/usr/bin/env bash
# run.sh - faults under load: mue-sim's load mode posts at a steady rate through the whole
# pipeline while each of the seven services in turn is killed with SIGKILL and restarted, then
# PostgreSQL is stopped hard (immediate: crash recovery at restart) and started again, then
# nats-server is killed with SIGKILL and restarted on its store. At the end the ledger and the
# database agree exactly: every uplink's measurements present once, rollups equal to a
# recomputation, no alert opened twice. Ends with "sent N, stored N, duplicates N, lost N" and
# "faults: N passed, N failed". Usage: run.sh BUILD_DIR
set -uo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/lib.sh
. tests/lib/harness.sh
. tests/lib/ledger_checks.sh

B=${1:-build}
BIN=$B/bin
RATE=${MUE_FAULTS_RATE:-100}         # uplinks a second
DURATION=${MUE_FAULTS_DURATION:-150} # seconds of load
GAP=${MUE_FAULTS_GAP:-6}             # seconds between two faults
DOWN_FOR=${MUE_FAULTS_DOWN_FOR:-4}   # seconds PostgreSQL and nats-server stay down
SERVICES="ingest normalizer writer alerts lighting api opendata"
harness_begin faults
declare -A ADMIN

NATS_PORT=$(free_port) && NATS_MPORT=$(free_port) && PG_PORT=$(free_port) || exit 1
INGEST_PORT=$(free_port) && API_PORT=$(free_port) || exit 1
for s in $SERVICES; do ADMIN[$s]=$(free_port) || exit 1; done
export MUE_NATS_URL=nats://127.0.0.1:$NATS_PORT
export MUE_PG_DSN="host=127.0.0.1 port=$PG_PORT user=postgres dbname=mue"
export MUE_INGEST_SECRET=$(random_secret) MUE_INGEST_LISTEN=127.0.0.1:$INGEST_PORT
export MUE_API_LISTEN=127.0.0.1:$API_PORT
export MUE_OPENDATA_DATASETS=$PWD/deploy/opendata/datasets.json
export MUE_OPENDATA_PUBLIC_DIR=$T/opendata/public MUE_OPENDATA_PRIVATE_DIR=$T/opendata/restricted
export MUE_LOG_LEVEL=info
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

MUE_PG_FSYNC=off pg_start "$T/pg" "$PG_PORT" trust || exit 1
nats_start "$T/nats" "$NATS_PORT" "$NATS_MPORT" || exit 1
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE mue" || exit 1
sql() { psql -X -A -t -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d mue -c "$1" 2>&1; }
sim() { MUE_LOG_LEVEL=warn MUE_INGEST_URL=http://127.0.0.1:$INGEST_PORT "$BIN/mue-sim" "$@"; }
echo "# nats 127.0.0.1:$NATS_PORT, postgresql 127.0.0.1:$PG_PORT; logs $T/log"

if MUE_LOG_LEVEL=warn "$BIN/mue-admin" migrate > "$T/log/migrate.log" 2>&1; then
    ok "mue-admin migrate applies the schema"
else
    not_ok "mue-admin migrate" "$(tail -3 "$T/log/migrate.log")"
    exit 1
fi
# A rule that flaps under load (the simulated RSSI moves around -95 dBm): alerts open and resolve
# all through the run, across the alert engine's death.
sql "INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, severity, title)
     SELECT 'faults.rssi_flap.' || id, id, 'threshold', 'rssi', 'below', -95, 5, 'info', 'test'
     FROM use_case" > "$T/log/rule.log" || not_ok "test rule" "$(cat "$T/log/rule.log")"

# Each service under its own role (deploy/sql/0012_roles.sql); mue-admin and mue-sim keep the
# owner's.
start_svc() {
    MUE_PG_DSN=$(pg_role_dsn "$MUE_PG_DSN" "$1") MUE_ADMIN_LISTEN=127.0.0.1:${ADMIN[$1]} \
        "$BIN/mue-$1" >> "$T/log/$1.log" 2>&1 &
    PID[$1]=$!
}
healthy() { wait_healthy "http://127.0.0.1:${ADMIN[$1]}/healthz" "${2:-60}"; }

for s in $SERVICES; do start_svc "$s"; done
down=""
for s in $SERVICES; do healthy "$s" || down="$down $s"; done
[ -z "$down" ] && ok "the seven services start and report healthy" || { not_ok "services start" "not healthy:$down"; exit 1; }
r=$(sim register 2>&1) && ok "mue-sim registers the fleet: $r" || not_ok "mue-sim register" "$r"

# --- the load, and the faults one after the other during it
sim run --mode load --rate "$RATE" --duration "$DURATION" --devices 50 --repeat-pct 5 --threads 8 \
    --ledger "$T/load.csv" > "$T/log/sim-load.log" 2>&1 &
SIM_PID=$!
t0=$SECONDS
at() { echo "$((SECONDS - t0)) s"; }

for s in $SERVICES; do
    sleep "$GAP"
    kill -KILL "${PID[$s]}"
    wait "${PID[$s]}" 2>/dev/null
    sleep 1
    start_svc "$s"
    if healthy "$s"; then
        ok "mue-$s killed with SIGKILL at $(at) under load, restarted, healthy again"
    else
        not_ok "mue-$s restarts after SIGKILL" "$(tail -3 "$T/log/$s.log")"
    fi
done

sleep "$GAP"
pg_data=$(readlink -f "$T/pg/home")/data
echo "# PostgreSQL stopped (immediate) at $(at)"
as_pg "$(pg_bindir)/pg_ctl" -D "$pg_data" -m immediate -w stop > "$T/log/pg-stop.log" 2>&1
sleep "$DOWN_FOR"
if MUE_PG_FSYNC=off pg_start "$T/pg" "$PG_PORT" trust; then
    ok "PostgreSQL stopped hard at $(at) under load and started again ${DOWN_FOR} s later"
else
    not_ok "PostgreSQL restarts"
fi

sleep "$GAP"
echo "# nats-server killed at $(at)"
nats_pid=$(cat "$T/nats/nats.pid")
kill -KILL "$nats_pid"
wait "$nats_pid" 2>/dev/null # a child of this shell (nats_start): reaped without a "Killed" line
sleep "$DOWN_FOR"
if nats_start "$T/nats" "$NATS_PORT" "$NATS_MPORT"; then
    ok "nats-server killed with SIGKILL at $(at) under load and restarted on its store ${DOWN_FOR} s later"
else
    not_ok "nats-server restarts"
fi

wait "$SIM_PID"
rc=$?
SIM_PID=""
summary=$(tail -1 "$T/log/sim-load.log")
echo "# load done after $(at): $summary"
[ "$rc" = 0 ] && ok "every uplink of the load was taken by the ingest in the end: $summary" ||
    not_ok "the load run" "rc=$rc $(tail -3 "$T/log/sim-load.log")"

# --- drained: the rows arrive, then no consumer has anything pending and the outbox is empty
r=$(sim reconcile --ledger "$T/load.csv" --wait 180 2>&1)
echo "# $r"
consumer_lags() {
    curl -fsS --max-time 5 "http://127.0.0.1:$NATS_MPORT/jsz?consumers=true" 2>/dev/null |
        jq -r '.account_details[]?.stream_detail[]? | .name as $s | .consumer_detail[]? |
               "\($s)/\(.name) \(.num_pending + .num_ack_pending)"'
}
drained() {
    local lags
    lags=$(consumer_lags)
    [ -n "$lags" ] && ! grep -qv ' 0$' <<< "$lags" &&
        [ "$(sql "SELECT count(*) FROM alert_event WHERE NOT published")" = 0 ]
}
for _ in $(seq 1 240); do drained && break; sleep 0.5; done
drained && ok "every consumer drained, the alert outbox is empty" ||
    not_ok "consumers drain" "$(consumer_lags | tr '\n' ' ')"

stream_msgs() {
    curl -fsS --max-time 5 "http://127.0.0.1:$NATS_MPORT/jsz?streams=true" 2>/dev/null |
        jq -r --arg s "$1" '.account_details[]?.stream_detail[]? | select(.name == $s) | .state.messages'
}
check_ledger "$T/load.csv"
check_rollups
check_alerts_once 'fe%'

. tests/lib/role_checks.sh
check_service_roles only "mue_alerts mue_api mue_lighting mue_normalizer mue_opendata mue_writer" \
    $(for s in $SERVICES; do echo "$T/log/$s.log"; done)

gone=""
for s in $SERVICES; do kill -0 "${PID[$s]}" 2>/dev/null || gone="$gone $s"; done
[ -z "$gone" ] && ok "every service is running at the end" || not_ok "services running at the end" "gone:$gone"
reports=$(grep -l "ERROR: AddressSanitizer\|runtime error:\|ERROR: LeakSanitizer" "$T"/log/*.log 2>/dev/null)
[ -z "$reports" ] && ok "no sanitizer report in the services' logs" || not_ok "sanitizer reports" "$reports"

echo "# $(at) from the start of the load to the end"
echo "faults: $passed passed, $failed failed"
summary_printed=1
echo "${LEDGER_LINE:-sent ?, stored ?, duplicates ?, lost ?}"
[ "$failed" = 0 ] && [ "${LEDGER_LOST:-1}" = 0 ] && [ "${LEDGER_DUPLICATES:-1}" = 0 ]
