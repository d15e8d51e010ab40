#!/usr/bin/env bash
# run.sh - the platform on a three-node NATS cluster (deploy/nats/), one node killed under load:
# streams replicated three times, two copies each of the normalizer, the writer and the alert
# engine; mue-sim's load ledger must reconcile with nothing lost and nothing duplicated, and no
# alert may be doubled. Prints "ok - ..." or "not ok - ..." per check and ends with
# "cluster: N passed, N failed". Usage: run.sh BUILD_DIR
set -uo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/lib.sh
. tests/lib/harness.sh
. tests/lib/ledger_checks.sh

B=${1:-build}
BIN=$B/bin
RATE=${MUE_CLUSTER_RATE:-200}         # uplinks a second
DURATION=${MUE_CLUSTER_DURATION:-60}  # seconds of load
KILL_AFTER=${MUE_CLUSTER_KILL_AFTER:-20}
DOWN_FOR=${MUE_CLUSTER_DOWN_FOR:-5}
STREAMS="UPLINKS MEASURES ALERTS DOWNLINKS DEADLETTER"
harness_begin cluster

# --- three nodes from deploy/nats/nN.conf: the same settings, free ports, a fresh store
declare -A CPORT MPORT RPORT
for n in 1 2 3; do
    CPORT[$n]=$(free_port) && MPORT[$n]=$(free_port) && RPORT[$n]=$(free_port) || exit 1
done
PG_PORT=$(free_port) && INGEST_PORT=$(free_port) || exit 1

# The files name 4222-4224 (clients), 8222-8224 (monitoring), 6222-6224 (routes) and a store
# under .run/: each becomes this run's own.
for n in 1 2 3; do
    subst=()
    for m in 1 2 3; do
        subst+=(-e "s/127\.0\.0\.1:422$((m + 1))\b/127.0.0.1:${CPORT[$m]}/g"
            -e "s/127\.0\.0\.1:822$((m + 1))\b/127.0.0.1:${MPORT[$m]}/g"
            -e "s/127\.0\.0\.1:622$((m + 1))\b/127.0.0.1:${RPORT[$m]}/g")
    done
    sed "${subst[@]}" -e "s|^\( *store_dir:\).*|\1 \"$T/n$n\"|" "deploy/nats/n$n.conf" > "$T/n$n.conf"
    if grep -Eq '127\.0\.0\.1:[468]22[2-4]\b|\.run/' "$T/n$n.conf"; then
        echo "deploy/nats/n$n.conf: a port or the store was not rewritten" >&2
        exit 1
    fi
done

NATS=$(nats_bin) || exit 1
node_start() {
    "$NATS" -c "$T/n$1.conf" -P "$T/n$1.pid" -l "$T/log/n$1.log" > /dev/null 2>&1 &
    NODE_PID[$1]=$!
}
jsz() { curl -fsS --max-time 5 "http://127.0.0.1:${MPORT[$1]}/jsz${2:-}" 2>/dev/null; }
node_healthy() { curl -fsS --max-time 5 "http://127.0.0.1:${MPORT[$1]}/healthz" > /dev/null 2>&1; }

# wait_for SECONDS COMMAND...: polls every 0.5 s until COMMAND succeeds.
wait_for() {
    local secs=$1 i
    shift
    for i in $(seq 1 $((secs * 2))); do
        "$@" && return 0
        sleep 0.5
    done
    return 1
}

meta_agreed() {
    local n l leaders=""
    for n in 1 2 3; do
        l=$(jsz "$n" | jq -r '.meta_cluster.leader // empty')
        [ -n "$l" ] || return 1
        leaders="$leaders $l"
    done
    set -- $leaders
    [ "$1" = "$2" ] && [ "$2" = "$3" ]
}
all_nodes_healthy() { node_healthy 1 && node_healthy 2 && node_healthy 3; }

for n in 1 2 3; do node_start "$n"; done
echo "# nodes: clients ${CPORT[1]} ${CPORT[2]} ${CPORT[3]}, monitoring ${MPORT[1]} ${MPORT[2]} ${MPORT[3]}; logs $T/log"
if wait_for 60 meta_agreed && wait_for 60 all_nodes_healthy; then
    ok "three nodes from deploy/nats/ form a cluster: meta leader $(jsz 1 | jq -r .meta_cluster.leader), /healthz 200 on each"
else
    not_ok "three nodes form a cluster" "$(tail -3 "$T/log/n1.log")"
    exit 1
fi

# --- PostgreSQL, the schema, the services (two copies of each consumer)
export MUE_NATS_URL="nats://127.0.0.1:${CPORT[1]},nats://127.0.0.1:${CPORT[2]},nats://127.0.0.1:${CPORT[3]}"
export MUE_BUS_REPLICAS=3
export MUE_PG_DSN="host=127.0.0.1 port=$PG_PORT user=postgres dbname=mue"
export MUE_INGEST_SECRET=$(random_secret) MUE_INGEST_LISTEN=127.0.0.1:$INGEST_PORT
export MUE_LOG_LEVEL=info

MUE_PG_FSYNC=off pg_start "$T/pg" "$PG_PORT" trust || exit 1
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE mue" || exit 1
sql() { psql -X -A -t -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d mue -c "$1" 2>&1; }
if MUE_LOG_LEVEL=warn "$BIN/mue-admin" migrate > "$T/log/migrate.log" 2>&1; then
    ok "mue-admin migrate applies the schema"
else
    not_ok "mue-admin migrate" "$(tail -3 "$T/log/migrate.log")"
    exit 1
fi

# A rule that flaps under load (the simulated radio's RSSI moves around -95 dBm from one uplink to
# the next): alerts open and resolve all through the run, on both engines, across the failover.
if sql "INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, severity, title)
        SELECT 'cluster.rssi_flap.' || id, id, 'threshold', 'rssi', 'below', -95, 5, 'info', 'test'
        FROM use_case" > "$T/log/rule.log"; then
    ok "a flapping test rule on rssi is added for every use case"
else
    not_ok "test rule" "$(cat "$T/log/rule.log")"
fi

COPIES="ingest normalizer.1 normalizer.2 writer.1 writer.2 alerts.1 alerts.2"
declare -A ADMIN
for c in $COPIES; do ADMIN[$c]=$(free_port) || exit 1; done
# All at once, as compose starts them: a service that finds the cluster still electing its
# JetStream leaders waits for it (common/mue_bus.c) instead of exiting.
# Each under its own role (deploy/sql/0012_roles.sql); mue-admin and mue-sim keep the owner's.
for c in $COPIES; do
    MUE_PG_DSN=$(pg_role_dsn "$MUE_PG_DSN" "${c%.*}") MUE_ADMIN_LISTEN=127.0.0.1:${ADMIN[$c]} \
        "$BIN/mue-${c%.*}" >> "$T/log/$c.log" 2>&1 &
    PID[$c]=$!
done
up=""
for c in $COPIES; do
    for i in $(seq 1 900); do
        curl -fsS "http://127.0.0.1:${ADMIN[$c]}/healthz" > /dev/null 2>&1 && break
        kill -0 "${PID[$c]}" 2>/dev/null || break
        sleep 0.1
    done
    curl -fsS "http://127.0.0.1:${ADMIN[$c]}/healthz" > /dev/null 2>&1 || up="$up $c"
done
if [ -z "$up" ]; then
    ok "mue-ingest and two copies each of mue-normalizer, mue-writer, mue-alerts, started at once, report healthy"
else
    not_ok "services start on the cluster" "not healthy:$up"
    exit 1
fi

# Every stream and bucket of the platform, with its replica count, as the meta leader sees it:
# configured / nodes holding it: the leader and its distinct followers (a follower may be listed
# twice for a moment while a stream made by two services at once settles: counted once).
replicas() {
    jsz "$1" '?streams=true&config=true' | jq -r '.account_details[]?.stream_detail[]? |
        "\(.name)=\(.config.num_replicas // 1)/\(1 + ([(.cluster.replicas // [])[].name] | unique | length))"' | sort
}
r=$(replicas 1 | tr '\n' ' ')
bad=""
for s in $STREAMS; do
    case " $r" in *" $s=3/3 "*) ;; *) bad="$bad $s" ;; esac
done
[ -z "$bad" ] && ok "the five streams have three replicas, each on a node" ||
    not_ok "streams replicated three times" "wrong:$bad; all: $r"
short=$(replicas 1 | grep -v '=3/3$' | tr '\n' ' ')
[ -n "$r" ] && [ -z "$short" ] && ok "no stream or key-value bucket has fewer than three replicas" ||
    not_ok "every stream and bucket has three replicas" "$short"

# --- load, and the UPLINKS leader killed under it
sim() { MUE_LOG_LEVEL=warn MUE_INGEST_URL=http://127.0.0.1:$INGEST_PORT "$BIN/mue-sim" "$@"; }
r=$(sim register 2>&1) && ok "mue-sim registers the fleet: $r" || not_ok "mue-sim register" "$r"

MUE_LOG_LEVEL=warn MUE_INGEST_URL=http://127.0.0.1:$INGEST_PORT "$BIN/mue-sim" run --mode load \
    --rate "$RATE" --duration "$DURATION" --devices 50 --repeat-pct 5 --threads 8 \
    --ledger "$T/load.csv" > "$T/log/sim-load.log" 2>&1 &
SIM_PID=$!
t0=$(date +%s)
sleep "$KILL_AFTER"

stream_leader() {
    jsz "$1" '?streams=true' | jq -r --arg s "$2" \
        '.account_details[]?.stream_detail[]? | select(.name == $s) | .cluster.leader // empty'
}
leader=$(stream_leader 1 UPLINKS)
victim=${leader#n}
case "$victim" in
1 | 2 | 3)
    kill -KILL "${NODE_PID[$victim]}"
    wait "${NODE_PID[$victim]}" 2> /dev/null
    echo "# killed n$victim (PID ${NODE_PID[$victim]}), the UPLINKS leader, $(($(date +%s) - t0)) s into the load"
    sleep "$DOWN_FOR"
    node_start "$victim"
    echo "# restarted n$victim on the same store"
    ok "the UPLINKS leader n$victim is killed with SIGKILL under load and restarted ${DOWN_FOR} s later"
    ;;
*)
    not_ok "the UPLINKS leader is found in /jsz" "got '$leader'"
    victim=""
    ;;
esac

wait "$SIM_PID"
rc=$?
SIM_PID=""
summary=$(tail -1 "$T/log/sim-load.log")
echo "# load done after $(($(date +%s) - t0)) s: $summary"
[ "$rc" = 0 ] && ok "every uplink of the load was taken by the ingest: $summary" ||
    not_ok "the load run" "rc=$rc $(tail -3 "$T/log/sim-load.log")"

# --- drained: reconcile waits for the rows; then every consumer's leader reports nothing pending
r=$(sim reconcile --ledger "$T/load.csv" --wait 120 2>&1)
rc=$?
echo "# $r"

# "stream/consumer pending" from each node, for the consumers it leads (only the leader's numbers
# mean anything).
consumer_lags() {
    local n name
    for n in 1 2 3; do
        name=$(curl -fsS --max-time 5 "http://127.0.0.1:${MPORT[$n]}/varz" 2>/dev/null | jq -r .server_name)
        jsz "$n" '?consumers=true' | jq -r --arg me "$name" '.account_details[]?.stream_detail[]? |
            .name as $s | .consumer_detail[]? | select(.cluster.leader == $me) |
            "\($s)/\(.name) \(.num_pending + .num_ack_pending)"'
    done
}
drained() {
    local lags
    lags=$(consumer_lags)
    [ -n "$lags" ] && ! grep -qv ' 0$' <<< "$lags" &&
        [ "$(sql "SELECT count(*) FROM alert_event WHERE NOT published")" = 0 ]
}
if wait_for 120 drained; then
    ok "every consumer drained: $(consumer_lags | sort | tr '\n' ' ')"
else
    not_ok "consumers drain" "$(consumer_lags | tr '\n' ' ')"
fi

# The ledger against PostgreSQL and against the streams (tests/lib/ledger_checks.sh).
stream_msgs() {
    local n
    for n in 1 2 3; do
        [ "$n" = "${victim:-0}" ] && continue
        jsz "$n" '?streams=true' | jq -r --arg s "$1" \
            '.account_details[]?.stream_detail[]? | select(.name == $s) | .state.messages' && return
    done
}
check_ledger "$T/load.csv"
check_rollups
dead=$(stream_msgs DEADLETTER)
[ "${dead:-x}" = 0 ] && ok "nothing was dead-lettered" || not_ok "nothing dead-lettered" "DEADLETTER holds ${dead:-?}"

# --- alerts: never two open at once for one rule and device, each event once
check_alerts_once 'fe%'

# --- the restarted node caught up
if [ -n "$victim" ] && wait_for 90 node_healthy "$victim"; then
    ok "the restarted node n$victim is current again (/healthz 200)"
else
    not_ok "the restarted node is current" "$(curl -sS "http://127.0.0.1:${MPORT[${victim:-1}]}/healthz" 2>&1)"
fi
. tests/lib/role_checks.sh
check_service_roles only "mue_alerts mue_normalizer mue_writer" $(for c in $COPIES; do echo "$T/log/$c.log"; done)

alive=""
for c in $COPIES; do kill -0 "${PID[$c]}" 2>/dev/null || alive="$alive $c"; done
[ -z "$alive" ] && ok "every service copy lived through the failover" || not_ok "services alive" "gone:$alive"

echo "# $(($(date +%s) - t0)) s from the start of the load to the end"
echo "cluster: $passed passed, $failed failed"
summary_printed=1
[ "$failed" = 0 ]
