#!/usr/bin/env bash
# smoke.sh - runs every libFuzzer target for a few seconds on its seeds; fails on any crash.
# Usage: smoke.sh FUZZ_BUILD_DIR SECONDS
set -uo pipefail
cd "$(dirname "$0")/../.."
dir=$1
secs=${2:-15}
passed=0
failed=0
for t in "$dir"/fuzz/fuzz_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    corpus=tests/fuzz/corpus/${name#fuzz_}
    scratch=$(mktemp -d)
    seeds=()
    [ -d "$corpus" ] && seeds=("$corpus")
    if "$t" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 -artifact_prefix="$scratch/" \
        "$scratch" "${seeds[@]}" > "$scratch/log" 2>&1; then
        echo "ok - $name: $(grep -o 'Done [0-9]* runs' "$scratch/log" | tail -1) in ${secs} s"
        passed=$((passed + 1))
        rm -rf "$scratch"
    else
        echo "not ok - $name: crash; input and log kept in $scratch"
        grep -E 'ERROR|SUMMARY' "$scratch/log" | head -5
        failed=$((failed + 1))
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]
