#!/usr/bin/env bash
# up_time.sh - how long `make up` takes to bring the whole local stack to healthy: the first time
# (initdb, the schema migrated, the roles made) and again after `make down` (data kept). It runs
# the real make up and make down with their stack in a folder of its own (MUE_RUN_DIR) on free
# loopback ports, so a stack already running under .run is left alone.
# Prints one line and writes up.json in BENCH_RESULTS (bench/results).
# SPDX-License-Identifier: MIT
#
# Usage: bench/up_time.sh [BUILD_DIR]   (make bench runs it, after building what make up needs)
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/local/lib.sh

B=${1:-build}
OUT=${BENCH_RESULTS:-bench/results}/up.json
RUN_DIR=$(mktemp -d /tmp/mue-bench-up.XXXXXX)
chmod 755 "$RUN_DIR"
export MUE_RUN_DIR=$RUN_DIR

cleanup() {
    set +e
    make -s --no-print-directory down B="$B" > "$RUN_DIR/down.log" 2>&1
    free_port_forget
    pg_remove "$RUN_DIR/pg"
    rm -rf "$RUN_DIR"
}
trap cleanup EXIT

for v in MUE_NATS_PORT MUE_NATS_MONITOR_PORT MUE_PG_PORT MUE_INGEST_PORT MUE_API_PORT \
    MUE_INGEST_ADMIN_PORT MUE_NORMALIZER_ADMIN_PORT MUE_WRITER_ADMIN_PORT MUE_ALERTS_ADMIN_PORT \
    MUE_LIGHTING_ADMIN_PORT MUE_OPENDATA_ADMIN_PORT MUE_API_ADMIN_PORT; do
    export "$v=$(free_port)"
done

# timed_up LOG: seconds (3 decimals) of one make up, which returns once every service is healthy.
timed_up() {
    local t0 t1
    t0=$(date +%s%N)
    make -s --no-print-directory up B="$B" > "$RUN_DIR/$1" 2>&1 ||
        { echo "up_time.sh: make up failed:" >&2; tail -15 "$RUN_DIR/$1" >&2; return 1; }
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
}

first=$(timed_up up-first.log)
healthy=$(grep -c ' healthy (admin ' "$RUN_DIR/up-first.log" || true)
[ "$healthy" = 7 ] || { echo "up_time.sh: $healthy of 7 services reported healthy" >&2; exit 1; }
make -s --no-print-directory down B="$B" > "$RUN_DIR/down-first.log" 2>&1
again=$(timed_up up-again.log)

jq -n --argjson first "$first" --argjson again "$again" \
    '{up_to_healthy_s: $first, up_again_to_healthy_s: $again}' > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "make up to all 7 services healthy: $first s the first time (initdb, migrations), $again s again after make down"
