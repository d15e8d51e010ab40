#!/usr/bin/env bash
# bench.sh - make bench: the end-to-end ramp with its ceilings (e2e.sh), the API under load
# (api.sh), the time from make up to healthy (up_time.sh); then bench/results/latest.json and a
# summary, each figure beside the ceiling measured in the same run and their ratio.
# SPDX-License-Identifier: MIT
#
# Usage: bench/bench.sh [BUILD_DIR]
# Env: BENCH_SHORT=1 (make bench-smoke): a few seconds of each part, written to
#      BENCH_RESULTS (then a temporary folder), only to prove the benchmark code works; the
#      figures of such a run mean nothing. The parts' own variables pass through (bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

B=${1:-build}
if [ "${BENCH_SHORT:-0}" = 1 ]; then
    export BENCH_RATES=${BENCH_RATES:-100 200} BENCH_STEP_S=${BENCH_STEP_S:-3}
    export BENCH_CITY_RATE=${BENCH_CITY_RATE:-200} BENCH_DEVICES=${BENCH_DEVICES:-20}
    export BENCH_THREADS=${BENCH_THREADS:-4}
    export BENCH_DAYS=${BENCH_DAYS:-3} BENCH_SECONDS=${BENCH_SECONDS:-2} BENCH_RATE=${BENCH_RATE:-20}
fi
export BENCH_RESULTS=${BENCH_RESULTS:-bench/results}
R=$BENCH_RESULTS
mkdir -p "$R"
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
t0=$SECONDS

echo "== end to end: webhooks to rows, ramped until the pipeline falls behind"
bash bench/e2e.sh "$B"
echo
echo "== API: a year's hourly series and the fleet's latest values under a steady load"
bash bench/api.sh "$B"
echo
echo "== start-up"
bash bench/up_time.sh "$B"

jq -n --slurpfile e "$R/e2e.json" --slurpfile a "$R/api.json" --slurpfile u "$R/up.json" \
    --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    --arg cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
    --argjson nproc "$(nproc)" --argjson mem "$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)" \
    --argjson load "$LOAD_BEFORE" --argjson short "${BENCH_SHORT:-0}" --argjson secs "$((SECONDS - t0))" \
    '$e[0] as $e | $a[0] as $a | $u[0] as $u |
     {date: $date, commit: $commit, short: ($short == 1), seconds: $secs,
      machine: {cpu: $cpu, cores: $nproc, memory_gb: $mem, loadavg_before: $load,
                postgresql: $e.versions.postgresql, nats_server: $e.versions.nats_server},
      e2e: ($e.e2e | del(.steps)), steps: $e.e2e.steps,
      ceilings: ($e.ceilings + {api_series_sql_p99_ms: $a["series_sql.p99_ms"]}),
      ratios: ($e.ratios + {series_vs_sql_p99: $a["ratios.series_vs_sql_p99"]}),
      api: {series_year_p50_ms: $a["series.p50_ms"], series_year_p99_ms: $a["series.p99_ms"],
            series_points: $a["series.points"], map_p50_ms: $a["map.p50_ms"],
            map_p99_ms: $a["map.p99_ms"], map_devices: $a["map.devices"],
            me_p50_ms: $a["me.p50_ms"], requests_per_s: $a["load.rate_per_s"]},
      rss_mb: $e.rss_mb, startup: $u}' > "$R/latest.json.tmp"
mv "$R/latest.json.tmp" "$R/latest.json"

# Every figure the issue names is a number (a part that printed nothing fails here).
missing=$(jq -r '. as $doc | [ "e2e.uplinks_per_s", "e2e.points_per_s", "e2e.p99_webhook_ms",
    "ceilings.pg_copy_rows_per_s", "ceilings.jetstream_msgs_per_s", "ratios.points_vs_copy",
    "api.series_year_p99_ms", "startup.up_to_healthy_s",
    (.rss_mb | keys[] | "rss_mb." + .) ] as $k
    | [ $k[] | . as $key | select(($doc | getpath($key | split("."))) | type != "number") ]
    | join(" ")' "$R/latest.json")
[ "$(jq '.rss_mb | length' "$R/latest.json")" = 7 ] || missing="$missing rss_mb (7 services)"

j() { jq -r "$1" "$R/latest.json"; }
echo
echo "== summary ($(j .machine.cores) cores, $(j .machine.cpu), $(j .machine.memory_gb) GB; PostgreSQL $(j .machine.postgresql | cut -d' ' -f1), nats-server $(j .machine.nats_server); commit $(j .commit))"
printf '%-44s %14s   %-36s %s\n' figure value ceiling ratio
printf '%-44s %14s   %-36s %s\n' "sustained uplinks/s, end to end" "$(j .e2e.uplinks_per_s)" \
    "JetStream pub+consume $(j .ceilings.jetstream_msgs_per_s) msgs/s" "$(j .ratios.uplinks_vs_jetstream)"
printf '%-44s %14s   %-36s %s\n' "data points/s stored" "$(j .e2e.points_per_s)" \
    "PostgreSQL COPY $(j .ceilings.pg_copy_rows_per_s) rows/s" "$(j .ratios.points_vs_copy)"
printf '%-44s %14s\n' "webhook to row p50 / p99 ms (sustained)" "$(j .e2e.p50_row_ms) / $(j .e2e.p99_row_ms)"
printf '%-44s %14s\n' "webhook to row p50 / p99 ms ($(j .e2e.city_rate)/s)" "$(j .e2e.city_p50_row_ms) / $(j .e2e.city_p99_row_ms)"
printf '%-44s %14s\n' "webhook answer p50 / p99 ms ($(j .e2e.city_rate)/s)" "$(j .e2e.p50_webhook_ms) / $(j .e2e.p99_webhook_ms)"
printf '%-44s %14s   %-36s %s\n' "year hourly series p50 / p99 ms" "$(j .api.series_year_p50_ms) / $(j .api.series_year_p99_ms)" \
    "its SQL alone p99 $(j .ceilings.api_series_sql_p99_ms) ms" "$(j .ratios.series_vs_sql_p99)"
printf '%-44s %14s\n' "latest-values map p50 / p99 ms" "$(j .api.map_p50_ms) / $(j .api.map_p99_ms)"
printf '%-44s %14s\n' "make up to all healthy s (first / again)" "$(j .startup.up_to_healthy_s) / $(j .startup.up_again_to_healthy_s)"
printf '%-44s %s\n' "peak RSS MB at $(j .e2e.city_rate) uplinks/s" "$(j '.rss_mb | to_entries | map("\(.key) \(.value)") | join(", ")')"
# Where the CPU went during the sustained step, in % of one core over its span.
echo "CPU at $(j .e2e.uplinks_per_s) uplinks/s (% of one core): $(jq -r --argjson r "$(j .e2e.rate_asked)" '
    .steps | map(select(.rate == $r)) | last | .span_s as $s | .cpu_ticks as $c
    | [ $c | to_entries[] | select(.key != "hz" and .key != "machine")
        | "\(.key) \((.value / $c.hz / $s * 100) | round)" ] | join(", ")' "$R/latest.json")"
echo "wrote $R/latest.json in $((SECONDS - t0)) s"
if [ -n "$missing" ]; then
    echo "bench: figures missing from $R/latest.json: $missing" >&2
    exit 1
fi
