#!/usr/bin/env bash
# up.sh - the local stack on loopback: nats-server with JetStream and a PostgreSQL cluster whose
# data live under .run/, the schema migrated, then every service; waits until all are healthy and
# writes .run/env. Usage: up.sh BUILD_DIR   (make up)
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/lib.sh

B=${1:-build}
RUN=${MUE_RUN_DIR:-$PWD/.run} # another folder: a second stack (bench/up_time.sh)
mkdir -p "$RUN/log" "$RUN/pid"
chmod 755 "$RUN"

# Ports: fixed defaults, each overridable from the environment.
NATS_PORT=${MUE_NATS_PORT:-4222}
NATS_MONITOR_PORT=${MUE_NATS_MONITOR_PORT:-8222}
PG_PORT=${MUE_PG_PORT:-5433}
INGEST_PORT=${MUE_INGEST_PORT:-8081}
API_PORT=${MUE_API_PORT:-8080}
declare -A ADMIN_PORT=([ingest]=${MUE_INGEST_ADMIN_PORT:-9081} [normalizer]=${MUE_NORMALIZER_ADMIN_PORT:-9082}
    [writer]=${MUE_WRITER_ADMIN_PORT:-9083} [alerts]=${MUE_ALERTS_ADMIN_PORT:-9084}
    [lighting]=${MUE_LIGHTING_ADMIN_PORT:-9085} [opendata]=${MUE_OPENDATA_ADMIN_PORT:-9086}
    [api]=${MUE_API_ADMIN_PORT:-9087})
# Start order: consumers of a stream after the producers' streams exist does not matter (every
# service creates the streams), but the writer first means nothing waits in MEASURES for long.
SERVICES=(writer normalizer ingest alerts lighting opendata api)

# Secrets are made once and kept in .run/secrets: the database password was set at initdb. Each
# service that uses PostgreSQL logs in as its own role (deploy/sql/0012_roles.sql) with its own
# password, PG_PASSWORD_<SERVICE> (added to a .run/secrets made before the roles existed).
if [ ! -f "$RUN/secrets" ]; then
    umask 077
    printf 'PG_PASSWORD=%s\nINGEST_SECRET=%s\nADMIN_KEY=%s\n' "$(random_secret)" "$(random_secret)" \
        "$(random_secret)" > "$RUN/secrets"
    umask 022
fi
DB_SERVICES=(normalizer writer alerts lighting opendata api)
for svc in "${DB_SERVICES[@]}"; do
    var=PG_PASSWORD_${svc^^}
    grep -q "^$var=" "$RUN/secrets" || printf '%s=%s\n' "$var" "$(random_secret)" >> "$RUN/secrets"
done
. "$RUN/secrets"

if [ -f "$RUN/nats/nats.pid" ] && kill -0 "$(cat "$RUN/nats/nats.pid")" 2>/dev/null; then
    echo "nats-server already running"
else
    port_busy "$NATS_PORT" && { echo "port $NATS_PORT is taken: set MUE_NATS_PORT" >&2; exit 1; }
    nats_start "$RUN/nats" "$NATS_PORT" "$NATS_MONITOR_PORT"
    echo "nats-server     nats://127.0.0.1:$NATS_PORT (monitor :$NATS_MONITOR_PORT, JetStream in .run/nats/js)"
fi

first_pg=0
pg_exists "$RUN/pg" || first_pg=1
if [ "$(pg_pid "$RUN/pg")" != "" ] && kill -0 "$(pg_pid "$RUN/pg")" 2>/dev/null; then
    echo "PostgreSQL already running"
else
    port_busy "$PG_PORT" && { echo "port $PG_PORT is taken: set MUE_PG_PORT" >&2; exit 1; }
    pg_start "$RUN/pg" "$PG_PORT" scram-sha-256 "$PG_PASSWORD"
    echo "PostgreSQL      127.0.0.1:$PG_PORT (data in .run/pg)"
fi
export PGPASSWORD=$PG_PASSWORD
if [ "$first_pg" = 1 ]; then
    psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE mue LOGIN PASSWORD '$PG_PASSWORD'" -c "CREATE DATABASE mue OWNER mue" > /dev/null
fi
# mue, the owner that migrates, makes the services' roles and sets their passwords (also on a
# cluster made before they existed).
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "ALTER ROLE mue CREATEROLE" > /dev/null
unset PGPASSWORD

NATS_URL=nats://127.0.0.1:$NATS_PORT
PG_DSN="host=127.0.0.1 port=$PG_PORT dbname=mue user=mue password=$PG_PASSWORD"

cat > "$RUN/env" <<ENV
# Written by make up: the local stack's addresses and secrets (shell syntax; set -a; . .run/env).
MUE_NATS_URL='$NATS_URL'
MUE_NATS_MONITOR_URL='http://127.0.0.1:$NATS_MONITOR_PORT'
MUE_PG_DSN='$PG_DSN'
MUE_INGEST_URL='http://127.0.0.1:$INGEST_PORT'
MUE_INGEST_SECRET='$INGEST_SECRET'
MUE_OPENDATA_PUBLIC_DIR='$RUN/opendata/public'
MUE_OPENDATA_PRIVATE_DIR='$RUN/opendata/restricted'
MUE_OPENDATA_DATASETS='$PWD/deploy/opendata/datasets.json'
MUE_OPENDATA_BASE_URL='http://127.0.0.1:$API_PORT'
ENV
[ -x "$B/bin/mue-api" ] && printf "MUE_API_URL='http://127.0.0.1:%s'\nMUE_ADMIN_KEY='%s'\n" \
    "$API_PORT" "$ADMIN_KEY" >> "$RUN/env"
chmod 600 "$RUN/env"

# The roles' passwords go to mue-admin through its environment, never on a command line.
(
    export MUE_PG_DSN=$PG_DSN
    for svc in "${DB_SERVICES[@]}"; do
        var=PG_PASSWORD_${svc^^}
        export "MUE_PG_PASSWORD_${svc^^}=${!var}"
    done
    exec "$B/bin/mue-admin" migrate
) | grep -v '^password of '
# The local admin key of .run/secrets is registered (hashed) once; a second start finds it.
if [ -x "$B/bin/mue-api" ]; then
    MUE_PG_DSN=$PG_DSN "$B/bin/mue-admin" keys create --name local-admin --role admin \
        --key "$ADMIN_KEY" > /dev/null 2>> "$RUN/log/keys.log" ||
        { echo "the local admin key could not be registered: .run/log/keys.log" >&2; exit 1; }
fi

# make demo (MUE_DEMO_NETWORK=1): with no network server configured, a stand-in for ChirpStack's
# and The Things Stack's downlink APIs (tests/tools/mue-fake-netserver) that also plays the
# simulated devices' side, echoing each configuration downlink as a lamp controller does; so the
# lighting commands reach the simulated lamps and come back acknowledged.
if [ "${MUE_DEMO_NETWORK:-0}" = 1 ] && [ -z "${MUE_CHIRPSTACK_API_URL:-}" ] && [ -x "$B/bin/mue-fake-netserver" ]; then
    NS_PORT=${MUE_DEMO_NETSERVER_PORT:-8091}
    if [ -f "$RUN/pid/netserver.pid" ] && kill -0 "$(cat "$RUN/pid/netserver.pid")" 2>/dev/null; then
        echo "network stand-in already running"
    else
        port_busy "$NS_PORT" && { echo "port $NS_PORT is taken: set MUE_DEMO_NETSERVER_PORT" >&2; exit 1; }
        setsid "$B/bin/mue-fake-netserver" --listen "127.0.0.1:$NS_PORT" --token "$INGEST_SECRET" \
            --ingest "http://127.0.0.1:$INGEST_PORT" --secret "$INGEST_SECRET" --echo --delay-ms 300 \
            >> "$RUN/log/netserver.log" 2>&1 < /dev/null &
        echo $! > "$RUN/pid/netserver.pid"
        echo "network stand-in http://127.0.0.1:$NS_PORT (ChirpStack and TTS downlink APIs, devices' echoes; log .run/log/netserver.log)"
    fi
    export MUE_CHIRPSTACK_API_URL=http://127.0.0.1:$NS_PORT MUE_CHIRPSTACK_API_TOKEN=$INGEST_SECRET \
        MUE_TTS_API_URL=http://127.0.0.1:$NS_PORT MUE_TTS_API_KEY=$INGEST_SECRET \
        MUE_TTS_APPLICATION_ID=${MUE_TTS_APPLICATION_ID:-mue-demo}
fi

started=()
for svc in "${SERVICES[@]}"; do
    bin=$B/bin/mue-$svc
    [ -x "$bin" ] || continue
    pidfile=$RUN/pid/$svc.pid
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "mue-$svc already running"
        started+=("$svc")
        continue
    fi
    pw=PG_PASSWORD_${svc^^}
    env MUE_NATS_URL="$NATS_URL" MUE_PG_DSN="$(pg_role_dsn "$PG_DSN" "$svc" "${!pw:-}")" \
        MUE_INGEST_SECRET="$INGEST_SECRET" \
        MUE_ADMIN_KEY="$ADMIN_KEY" MUE_ADMIN_LISTEN="127.0.0.1:${ADMIN_PORT[$svc]}" \
        MUE_INGEST_LISTEN="127.0.0.1:$INGEST_PORT" MUE_API_LISTEN="127.0.0.1:$API_PORT" \
        MUE_API_WEB_ROOT="${MUE_API_WEB_ROOT:-$PWD/build/web}" \
        MUE_API_OPENDATA_ROOT="$RUN/opendata/public" MUE_OPENDATA_PUBLIC_DIR="$RUN/opendata/public" \
        MUE_OPENDATA_PRIVATE_DIR="$RUN/opendata/restricted" \
        MUE_OPENDATA_DATASETS="$PWD/deploy/opendata/datasets.json" \
        MUE_OPENDATA_BASE_URL="http://127.0.0.1:$API_PORT" \
        setsid "$bin" >> "$RUN/log/$svc.log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
    started+=("$svc")
done

for svc in "${started[@]}"; do
    if ! wait_healthy "http://127.0.0.1:${ADMIN_PORT[$svc]}/healthz" 30; then
        echo "mue-$svc is not healthy after 30 s; last lines of .run/log/$svc.log:" >&2
        tail -n 15 "$RUN/log/$svc.log" >&2
        exit 1
    fi
    printf 'mue-%-11s healthy (admin http://127.0.0.1:%s/healthz, log .run/log/%s.log)\n' \
        "$svc" "${ADMIN_PORT[$svc]}" "$svc"
done
echo "webhooks        http://127.0.0.1:$INGEST_PORT/v1/chirpstack?event=up and /v1/tts"
echo "settings        .run/env   (stop everything with: make down)"
