#!/usr/bin/env bash
# status.sh - what make up started and whether it is healthy.
set -uo pipefail
cd "$(dirname "$0")/../.."
RUN=${MUE_RUN_DIR:-$PWD/.run} # another folder: a second stack (bench/up_time.sh)
for f in "$RUN"/pid/*.pid; do
    [ -e "$f" ] || { echo "no service started (make up)"; break; }
    svc=$(basename "$f" .pid)
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then echo "mue-$svc running (pid $pid)"; else echo "mue-$svc DEAD (pid $pid)"; fi
done
