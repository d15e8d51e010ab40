#!/usr/bin/env bash
# down.sh - stops what make up started, by PID: services first, then PostgreSQL and nats-server.
set -uo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/lib.sh
RUN=$PWD/.run
[ -d "$RUN" ] || { echo "nothing to stop"; exit 0; }
for svc in api opendata lighting alerts ingest normalizer writer sim; do
    if [ -f "$RUN/pid/$svc.pid" ]; then
        stop_pid "$RUN/pid/$svc.pid"
        echo "stopped mue-$svc"
    fi
done
if [ -n "$(pg_pid "$RUN/pg")" ]; then
    pg_stop "$RUN/pg" && echo "stopped PostgreSQL"
fi
if [ -f "$RUN/nats/nats.pid" ]; then
    nats_stop "$RUN/nats" && echo "stopped nats-server"
    rm -f "$RUN/nats/nats.pid"
fi
exit 0
