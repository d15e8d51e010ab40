#!/usr/bin/env bash
# smoke.sh - docker-compose.yml on a real Docker engine: a private dockerd (no bridge, no iptables:
# the host's network settings stay as they are), the Debian base image made locally, every image
# built, the stack up with its healthchecks, one ChirpStack uplink posted to the ingest and read
# back from the API, then the stack stopped and started again with its volumes: the measurement is
# still there. Prints "ok - ..." / "not ok - ..." and "compose smoke: N passed, N failed".
# Where no engine can start, it says so and exits 0 (the static checks, deploy/check.sh, still run).
# Usage: smoke.sh [CACHE_DIR]   (the base image's tarball is kept there; default build/compose-smoke)
set -uo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/lib.sh

cache=$(realpath -m "${1:-build/compose-smoke}")
W=$(mktemp -d /tmp/mue-compose.XXXXXX)
project=muesmoke$$
passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1${2:+: $2}"; failed=$((failed + 1)); }
not_run() { echo "# compose smoke: not run: $1"; rm -rf "$W"; exit 0; }

for tool in dockerd /usr/bin/docker docker-compose debootstrap curl jq; do
    command -v "$tool" > /dev/null ||
        not_run "$tool is missing (apt-get install docker.io docker-compose debootstrap curl)"
done
[ "$(id -u)" = 0 ] || not_run "a private dockerd needs root"

export DOCKER_HOST=unix://$W/docker.sock DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
docker=/usr/bin/docker
dc() {
    docker-compose --env-file "$W/env" -p "$project" \
        -f docker-compose.yml -f tests/deploy/compose.smoke.yml "$@"
}

cleanup() {
    local rc=$?
    if [ -S "$W/docker.sock" ]; then
        [ "$failed" = 0 ] || dc logs --no-color > "$W/compose.log" 2>&1
        dc --profile demo down -v --remove-orphans > /dev/null 2>&1
    fi
    if [ -s "$W/dockerd.pid" ]; then
        local pid
        pid=$(cat "$W/dockerd.pid")
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null
    fi
    # dockerd leaves its network namespace mounted.
    umount "$W/exec/netns/default" 2>/dev/null
    free_port_forget
    if [ "$failed" -gt 0 ] || [ "$rc" != 0 ]; then
        echo "# logs kept in $W (dockerd.log, build.log, compose.log)"
    else
        rm -rf "$W"
    fi
}
trap cleanup EXIT

# --- a private engine
dockerd --data-root "$W/root" --exec-root "$W/exec" -H "$DOCKER_HOST" --pidfile "$W/dockerd.pid" \
    --bridge=none --iptables=false --ip6tables=false --ip-forward=false > "$W/dockerd.log" 2>&1 &
for _ in $(seq 1 150); do
    $docker info > /dev/null 2>&1 && break
    kill -0 $! 2>/dev/null || break
    sleep 0.2
done
if ! $docker info > /dev/null 2>&1; then
    echo "# compose smoke: no Docker engine could start here; its last words:"
    tail -5 "$W/dockerd.log" | sed 's/^/#   /'
    not_run "the engine did not start (the static checks still ran)"
fi
echo "# engine: $($docker info --format '{{.ServerVersion}}, storage {{.Driver}}')"

t0=$SECONDS
bash tests/deploy/base-image.sh "$cache" || not_ok "the base image debian:bookworm-slim is made locally"

# --- the settings an operator writes in .env: .env.example with secrets and free loopback ports
INGEST_PORT=$(free_port) && API_PORT=$(free_port) || exit 1
SECRET=smoke-ingest-$RANDOM$RANDOM
ADMIN_KEY=smoke-admin-key-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
sed -e "s/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=smoke-$RANDOM$RANDOM/" \
    -e "s/^MUE_INGEST_SECRET=.*/MUE_INGEST_SECRET=$SECRET/" \
    -e "s/^MUE_INGEST_PORT=.*/MUE_INGEST_PORT=127.0.0.1:$INGEST_PORT/" \
    -e "s/^MUE_API_PORT=.*/MUE_API_PORT=127.0.0.1:$API_PORT/" .env.example > "$W/env"

# --- every image
if dc --profile demo build > "$W/build.log" 2>&1; then
    ok "every image builds ($((SECONDS - t0)) s with the base image)"
else
    not_ok "every image builds" "$(tail -15 "$W/build.log")"
    exit 1
fi
for svc in ingest normalizer writer alerts lighting opendata api; do
    conf=$($docker image inspect "mue-$svc:latest" --format '{{.Config.User}}|{{json .Config.Healthcheck.Test}}')
    case "$conf" in
        mue\|*healthz*) ;;
        *) not_ok "mue-$svc's image runs as mue with a healthcheck on /healthz" "$conf"; continue ;;
    esac
    ok "mue-$svc's image runs as mue with a healthcheck on /healthz"
done
api_web=$($docker run --rm --network none --entrypoint /bin/sh mue-api:latest \
    -c 'ls /usr/share/mue/web/index.html' 2>/dev/null)
[ "$api_web" = /usr/share/mue/web/index.html ] && ok "the api image holds the public web pages" ||
    not_ok "the api image holds the public web pages" "$api_web"

# all_healthy: every long-running service healthy and the migration done (status 0).
SERVICES="nats postgres writer normalizer ingest alerts lighting opendata api"
all_healthy() {
    local s id state
    for s in $SERVICES; do
        id=$(dc ps -q "$s" 2>/dev/null)
        [ -n "$id" ] || return 1
        state=$($docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id")
        [ "$state" = healthy ] || return 1
    done
    id=$(dc ps -q migrate 2>/dev/null)
    [ "$($docker inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$id" 2>/dev/null)" = "exited 0" ]
}
wait_healthy() {
    local t=$SECONDS
    while [ $((SECONDS - t)) -lt 120 ]; do
        all_healthy && return 0
        sleep 1
    done
    dc ps >&2
    return 1
}
up() {
    local t=$SECONDS
    if dc up -d > "$W/up.log" 2>&1 && wait_healthy; then
        ok "$1 ($((SECONDS - t)) s to all healthy)"
    else
        not_ok "$1" "$(tail -5 "$W/up.log")"
        exit 1
    fi
}
up "docker-compose up -d: nats, postgres, the migration and the seven services come up healthy"

# --- one uplink in through the ingest, out through the API
admin() { dc run --rm -T migrate "$@" 2>> "$W/admin.log"; }
admin device add --dev-eui 24E124710000A001 --model milesight-em310-udl --use-case waste \
    --name pav-aix-001 --lat 43.5297 --lon 5.4474 \
    --params '{"empty_distance_m": 2.5, "full_distance_m": 0.3}' > /dev/null &&
    admin keys create --name smoke --role admin --key "$ADMIN_KEY" > /dev/null &&
    ok "mue-admin in its image registers a device and an API key" ||
    not_ok "mue-admin in its image registers a device and an API key" "$(tail -3 "$W/admin.log")"

now=$(date -u +%Y-%m-%dT%H:%M:%S.000000+00:00)
sed "s/\"time\": \"[^\"]*\"/\"time\": \"$now\"/" tests/integration/fixtures/cs_em310.json > "$W/uplink.json"
code=$(curl -sS -o "$W/post.out" -w '%{http_code}' -X POST -H "Authorization: Bearer $SECRET" \
    -H 'Content-Type: application/json' --data-binary "@$W/uplink.json" \
    "http://127.0.0.1:$INGEST_PORT/v1/chirpstack?event=up" 2>&1)
[ "$code" = 202 ] && ok "the ingest's published port accepts a ChirpStack uplink (202)" ||
    not_ok "the ingest's published port accepts a ChirpStack uplink" "$code $(cat "$W/post.out" 2>/dev/null)"

# fill_level of the EM310-UDL vendor example: (2.5 - 2.116) / 2.2 * 100 = 17.4545...
latest_fill() {
    curl -sS -H "Authorization: Bearer $ADMIN_KEY" \
        "http://127.0.0.1:$API_PORT/v1/devices/24e124710000a001/latest" 2>/dev/null |
        jq -r '.values[] | select(.quantity == "fill_level") | .value' 2>/dev/null
}
read_back() {
    local v
    for _ in $(seq 1 60); do
        v=$(latest_fill)
        case "$v" in 17.45*) echo "$v"; return 0 ;; esac
        sleep 0.5
    done
    echo "${v:-nothing}"
    return 1
}
v=$(read_back) && ok "the API answers the uplink's fill level ($v %) through nats, the writer and postgres" ||
    not_ok "the API answers the uplink's fill level" "got $v; $(curl -sS "http://127.0.0.1:$API_PORT/v1/devices/24e124710000a001/latest" 2>&1 | head -c 300)"

metrics=$(dc exec -T ingest curl -fsS http://127.0.0.1:9090/metrics 2>&1)
grep -q '^mue_healthy 1' <<< "$metrics" && ok "mue-ingest's /metrics answers inside its container (mue_healthy 1)" ||
    not_ok "mue-ingest's /metrics answers" "$(head -c 200 <<< "$metrics")"

# --- stopped and started again: the volumes keep the data
if dc down > "$W/down.log" 2>&1; then ok "docker-compose down stops the stack"; else not_ok "docker-compose down" "$(tail -3 "$W/down.log")"; fi
up "docker-compose up -d again on the same volumes"
v=$(read_back) && ok "the measurement survived the restart ($v %)" ||
    not_ok "the measurement survived the restart" "got $v"

echo "compose smoke: $passed passed, $failed failed ($((SECONDS - t0)) s)"
[ "$failed" = 0 ]
