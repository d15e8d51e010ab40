#!/usr/bin/env bash
# writer.sh - the storage benchmark of mue-writer: measurements/s from MEASURES into PostgreSQL,
# beside the plain COPY ceiling of the same server measured in the same run.
# SPDX-License-Identifier: MIT
#
# Usage: bench/writer.sh [BUILD_DIR]   (make bench-writer builds what it needs, then runs it)
# Env: BENCH_BATCHES (default 100000 batches), BENCH_PER_BATCH (default 4 measurements a batch),
#      BENCH_CEILING_ROWS (default 500000), MUE_WRITER_BATCH (the writer's, default 2000 like the service).
# Prints a summary and writes bench/results/writer.json. Starts its own nats-server and
# PostgreSQL (fsync on, default settings) on free loopback ports and stops all it started.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/local/lib.sh
. bench/lib.sh

B=${1:-build}
BIN=$B/bin
TOOLS=$B/bench
BATCHES=${BENCH_BATCHES:-100000}
PER_BATCH=${BENCH_PER_BATCH:-4}
CEILING_ROWS=${BENCH_CEILING_ROWS:-500000}
CHUNK=10000
DEVICES=100
WRITER_BATCH=${MUE_WRITER_BATCH:-2000}
TARGET=$((BATCHES * PER_BATCH))
RESULTS=bench/results
HZ=$(getconf CLK_TCK)
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)

for f in "$BIN/mue-writer" "$BIN/mue-admin" "$TOOLS/copy_ceiling" "$TOOLS/publish_batches"; do
    [ -x "$f" ] || { echo "writer.sh: $f is missing (run: make bench-writer)" >&2; exit 1; }
done

bench_begin writer
TOP_PID=
# top's sampling loop ends at its next frame.
bench_before_end() { [ -n "$TOP_PID" ] && touch "$T/top.stop" && wait "$TOP_PID" 2>/dev/null; }

NATS_PORT=$(free_port)
NATS_MPORT=$(free_port)
PG_PORT=$(free_port)
ADMIN_PORT=$(free_port)
PG_DSN="host=127.0.0.1 port=$PG_PORT user=postgres dbname=mue"
sql() { psql -X -A -t -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "${2:-mue}" -c "$1"; }

echo "# writer benchmark: $BATCHES batches x $PER_BATCH measurements, writer batch $WRITER_BATCH," \
    "$(nproc) cores, servers in $T"
MUE_PG_FSYNC=on pg_start "$T/pg" "$PG_PORT" trust
nats_start "$T/nats" "$NATS_PORT" "$NATS_MPORT"
sql "CREATE DATABASE mue" postgres
sql "CREATE DATABASE mue_scratch" postgres
MUE_PG_DSN=$PG_DSN MUE_LOG_LEVEL=warn "$BIN/mue-admin" migrate > "$T/migrate.log" 2>&1 ||
    { cat "$T/migrate.log" >&2; exit 1; }
sql "INSERT INTO device (dev_eui, name, model, use_case)
     SELECT 'be' || lpad(to_hex(i), 14, '0'), 'bench-pav-' || lpad(i::text, 3, '0'),
            'milesight-em310-udl', 'waste'
     FROM generate_series(1, $DEVICES) AS i ORDER BY i"
read -r FIRST_ID LAST_ID < <(sql "SELECT min(id), max(id) FROM device" | tr '|' ' ')
[ $((LAST_ID - FIRST_ID + 1)) = "$DEVICES" ] || { echo "device ids are not contiguous" >&2; exit 1; }
PG_VERSION=$(sql "SHOW server_version")

# --- the ceiling: plain COPY into an indexed table of a scratch database, same server
"$TOOLS/copy_ceiling" "host=127.0.0.1 port=$PG_PORT user=postgres dbname=mue_scratch" \
    "$CEILING_ROWS" "$CHUNK" | tee "$T/ceiling.txt"
CEIL_CHUNKED=$(awk -v c="$CHUNK" '$3 == "rows_per_txn=" c { sub("rows_per_s=", "", $6); print $6 }' "$T/ceiling.txt")
CEIL_SINGLE=$(awk -v n="$CEILING_ROWS" '$3 == "rows_per_txn=" n { sub("rows_per_s=", "", $6); print $6 }' "$T/ceiling.txt")
if [ -z "$CEIL_CHUNKED" ] || [ -z "$CEIL_SINGLE" ]; then
    echo "copy_ceiling printed no figures" >&2
    exit 1
fi
sql "DROP DATABASE mue_scratch" postgres

# --- everything into the stream before the writer starts: the publisher is never the bottleneck
"$TOOLS/publish_batches" -u "nats://127.0.0.1:$NATS_PORT" -n "$BATCHES" -k "$PER_BATCH" \
    -d "$DEVICES" -f "$FIRST_ID" | tee "$T/publish.txt"
STORED=$(curl -fsS "http://127.0.0.1:$NATS_MPORT/jsz?streams=true" |
    awk -F: '/"name": *"MEASURES"/ { m = 1 } m && /"messages"/ { gsub(/[ ,]/, "", $2); print $2; exit }')
[ "$STORED" = "$BATCHES" ] || { echo "stream MEASURES holds $STORED messages, not $BATCHES" >&2; exit 1; }
sql "CHECKPOINT"

# --- the writer drains the stream; timed from its start to the last row counted
PM_PID=$(pg_pid "$T/pg")
NATS_PID=$(cat "$T/nats/nats.pid")
pg0=$(pg_ticks "$PM_PID")
nats0=$(ticks "$NATS_PID")
all0=$(machine_ticks)
t0=$(date +%s%N)
# The writer under its own role, as in production (deploy/sql/0012_roles.sql).
MUE_NATS_URL="nats://127.0.0.1:$NATS_PORT" MUE_ADMIN_LISTEN="127.0.0.1:$ADMIN_PORT" \
    MUE_LOG_LEVEL=warn MUE_WRITER_BATCH=$WRITER_BATCH MUE_PG_DSN=$(pg_role_dsn "$PG_DSN" writer) \
    "$BIN/mue-writer" > "$T/writer.log" 2>&1 &
WRITER_PID=$!
PID[writer]=$WRITER_PID
# top, every second or so: the second frame of each call holds the CPU shares of that second
( while [ ! -e "$T/top.stop" ]; do top -b -d 1 -n 2 -w 160 | awk '/^top -/ { f++ } f == 2' > "$T/top.tmp" 2>/dev/null &&
      mv "$T/top.tmp" "$T/top.$(date +%s%N)"; done ) &
TOP_PID=$!

count=0
last_change=$(date +%s)
while [ "$count" -lt "$TARGET" ]; do
    sleep 0.2
    kill -0 "$WRITER_PID" 2>/dev/null || { echo "mue-writer exited:" >&2; tail -5 "$T/writer.log" >&2; exit 1; }
    c=$(sql "SELECT count(*) FROM measurement")
    [ "$c" != "$count" ] && last_change=$(date +%s)
    count=$c
    [ $(($(date +%s) - last_change)) -lt 120 ] ||
        { echo "no progress for 120 s at $count of $TARGET rows" >&2; tail -5 "$T/writer.log" >&2; exit 1; }
done
t1=$(date +%s%N)
writer_ticks=$(ticks "$WRITER_PID")
pg1=$(pg_ticks "$PM_PID")
nats1=$(ticks "$NATS_PID")
all1=$(machine_ticks)
OURS="$WRITER_PID $NATS_PID $PM_PID $(ps -o pid= --ppid "$PM_PID" | tr '\n' ' ')"
touch "$T/top.stop"
wait "$TOP_PID" 2>/dev/null || true
TOP_PID=
metrics=$(curl -fsS "http://127.0.0.1:$ADMIN_PORT/metrics")
metric() { awk -v m="$1" '$1 == m { print $2 }' <<< "$metrics"; }
INSERTED=$(metric mue_writer_rows_inserted_total)
MESSAGES=$(metric mue_writer_messages_total)
COMMITS=$(metric mue_writer_commits_total)
kill -TERM "$WRITER_PID"
wait "$WRITER_PID" 2>/dev/null || true
PID[writer]=

# --- what landed besides the raw rows
ROLLUP=$(sql "SELECT (SELECT sum(count) FROM rollup_hour) || ' ' || (SELECT sum(count) FROM rollup_day)
              || ' ' || (SELECT count(*) FROM latest_value)
              || ' ' || (SELECT count(DISTINCT date_trunc('month', time)) FROM measurement)")
read -r ROLLUP_HOUR ROLLUP_DAY LATEST MONTHS <<< "$ROLLUP"

SECONDS_RUN=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
RATE=$(awk -v n="$TARGET" -v s="$SECONDS_RUN" 'BEGIN { printf "%.0f", n / s }')
RATIO=$(awk -v w="$RATE" -v c="$CEIL_CHUNKED" 'BEGIN { printf "%.2f", w / c }')
cpu() { awk -v t="$1" -v hz="$HZ" -v s="$SECONDS_RUN" 'BEGIN { printf "%.1f s (%.0f%% of one core)", t / hz, 100 * t / hz / s }'; }
cpu_s() { awk -v t="$1" -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }'; }

# The top frame taken nearest the middle of the run.
mid=$(( (t0 + t1) / 2 ))
TOP_FILE=$({ ls "$T"/top.[0-9]* 2>/dev/null || true; } |
    awk -F. -v m="$mid" '{ d = $NF - m; if (d < 0) d = -d } NR == 1 || d < best { best = d; f = $0 } END { print f }')

echo
echo "writer: $TARGET measurements in $SECONDS_RUN s = $(commas "$RATE") measurements/s (batch $WRITER_BATCH messages)"
echo "ceiling: COPY $(commas "$CHUNK")-row transactions into an indexed table = $(commas "$CEIL_CHUNKED") rows/s" \
    "(single transaction: $(commas "$CEIL_SINGLE") rows/s)"
echo "ratio: writer / COPY ceiling = $RATIO"
echo "check: rows_inserted_total $INSERTED, messages $MESSAGES in $COMMITS commits" \
    "($(awk -v m="$MESSAGES" -v c="$COMMITS" 'BEGIN { printf "%.0f", m / c }') a commit)," \
    "rollup_hour count $ROLLUP_HOUR, rollup_day count $ROLLUP_DAY, latest_value $LATEST rows," \
    "rows in $MONTHS months"
OTHER=$(( (all1 - all0) - writer_ticks - (pg1 - pg0) - (nats1 - nats0) ))
[ "$OTHER" -ge 0 ] || OTHER=0
echo "cpu during the run: mue-writer $(cpu "$writer_ticks"), postgres $(cpu $((pg1 - pg0))), nats-server" \
    "$(cpu $((nats1 - nats0))); other processes $(cpu "$OTHER"); $(nproc) cores, load average" \
    "$LOAD_BEFORE before the benchmark"
if [ -n "$TOP_FILE" ]; then
    echo "top -b, mid-run:"
    awk -v ours="$OURS" 'BEGIN { n = split(ours, p, " "); for (i = 1; i <= n; i++) mine[p[i]] = 1 }
         NR <= 5 && /^%Cpu/ { print "  " $0 }
         $1 in mine && $9 + 0 >= 1 { printf "  %6s %-12s pid %s\n", $9 "%", $NF, $1 }
         !($1 in mine) && $1 ~ /^[0-9]+$/ && $9 + 0 >= 5 { printf "  %6s %-12s (not ours)\n", $9 "%", $NF }' \
        "$TOP_FILE" | head -14
fi
[ "$INSERTED" = "$TARGET" ] || echo "warning: the writer counted $INSERTED rows inserted, not $TARGET" >&2

mkdir -p "$RESULTS"
cat > "$RESULTS/writer.json" <<EOF
{
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "machine.nproc": $(nproc),
  "machine.cpu": "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo | sed 's/["\\]//g')",
  "postgresql.version": "$PG_VERSION",
  "batches": $BATCHES,
  "measurements": $TARGET,
  "seconds": $SECONDS_RUN,
  "writer.measurements_per_s": $RATE,
  "writer.batch_messages": $WRITER_BATCH,
  "writer.commits": $COMMITS,
  "writer.rows_inserted_total": $INSERTED,
  "ceilings.pg_copy_rows_per_s": $CEIL_CHUNKED,
  "ceilings.pg_copy_rows_per_txn": $CHUNK,
  "ceilings.pg_copy_single_txn_rows_per_s": $CEIL_SINGLE,
  "ceilings.pg_copy_rows": $CEILING_ROWS,
  "ratios.writer_vs_copy": $RATIO,
  "cpu_s.writer": $(cpu_s "$writer_ticks"),
  "cpu_s.postgres": $(cpu_s $((pg1 - pg0))),
  "cpu_s.nats": $(cpu_s $((nats1 - nats0))),
  "cpu_s.other_processes": $(cpu_s "$OTHER"),
  "machine.loadavg_before": $LOAD_BEFORE
}
EOF
echo "results: $RESULTS/writer.json"
ok=1
