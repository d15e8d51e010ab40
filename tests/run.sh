#!/usr/bin/env bash
# run.sh - runs the static checks of the sources (tests/lint/), the unit test binaries and the
# integration suite, then prints "total: N passed, N failed".
# Usage: run.sh BUILD_DIR [lint|unit|integration|all]
set -uo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
what=${2:-all}
passed=0
failed=0

# Adds the counts of every "<suite>: N passed, N failed" line of a log; sets $f to its failures.
count() {
    local p
    read -r p f < <(grep -E '^[A-Za-z0-9_./-]+: [0-9]+ passed, [0-9]+ failed$' "$1" |
        awk '{p += $2; f += $4} END {print p + 0, f + 0}')
    passed=$((passed + p))
    failed=$((failed + f))
}

if [ "$what" = lint ] || [ "$what" = all ]; then
    echo "== static checks of the sources"
    log=$(mktemp)
    bash tests/lint/run.sh > "$log" 2>&1
    rc=$?
    count "$log"
    grep -E '^not ok|passed, [0-9]+ failed$' "$log" | sed 's/^/  /'
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        echo "  tests/lint/run.sh exited with status $rc"
        failed=$((failed + 1))
    fi
    rm -f "$log"
fi

if [ "$what" = unit ] || [ "$what" = all ]; then
    echo "== unit tests ($B)"
    for t in $(find "$B/tests/unit" -type f -name 'test_*' ! -name '*.[od]' | sort); do
        # A binary left over from a test that was renamed or removed is not a test any more.
        [ -f "${t#"$B"/}.c" ] || continue
        log=$(mktemp)
        "$t" > "$log" 2>&1
        rc=$?
        count "$log"
        grep -E 'passed, [0-9]+ failed$|FAIL|in [a-z_]+\.' "$log" | sed 's/^/  /'
        if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
            # A crash or a sanitizer report: the binary died before its summary line.
            echo "  $(basename "$t"): exited with status $rc"
            tail -n 20 "$log" | sed 's/^/    /'
            failed=$((failed + 1))
        fi
        rm -f "$log"
    done
fi

if [ "$what" = integration ] || [ "$what" = all ]; then
    echo "== integration tests ($B)"
    log=$(mktemp)
    bash tests/integration/run.sh "$B" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    count "$log"
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        echo "  integration suite exited with status $rc"
        failed=$((failed + 1))
    fi
    rm -f "$log"
fi

echo "total: $passed passed, $failed failed"
[ "$failed" = 0 ]
