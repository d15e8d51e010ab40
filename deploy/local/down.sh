#!/usr/bin/env bash
# down.sh - stops what make up started, by PID: services first, then PostgreSQL and nats-server.
set -uo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/lib.sh
RUN=${MUE_RUN_DIR:-$PWD/.run} # another folder: a second stack (bench/up_time.sh)
[ -d "$RUN" ] || { echo "nothing to stop"; exit 0; }
# The ingest first, so nothing new comes in while the consumers finish what they hold; then all
# the others at once (each takes a second or two to close its HTTP server).
stopping=()
for svc in sim ingest netserver api opendata lighting alerts normalizer writer; do
    [ -f "$RUN/pid/$svc.pid" ] || continue
    if [ "$svc" = ingest ] || [ "$svc" = sim ] || [ "$svc" = netserver ]; then
        stop_pid "$RUN/pid/$svc.pid"
        echo "stopped mue-$svc"
    else
        stopping+=("$svc")
        stop_pid "$RUN/pid/$svc.pid" &
    fi
done
wait
for svc in "${stopping[@]}"; do echo "stopped mue-$svc"; done
if [ -n "$(pg_pid "$RUN/pg")" ]; then
    pg_stop "$RUN/pg" && echo "stopped PostgreSQL"
fi
if [ -f "$RUN/nats/nats.pid" ]; then
    nats_stop "$RUN/nats" && echo "stopped nats-server"
    rm -f "$RUN/nats/nats.pid"
fi
exit 0
