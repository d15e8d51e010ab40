# harness.sh - the bookkeeping of the suites that run the whole platform themselves
# (tests/cluster/, tests/faults/): a folder for the run, ok/not_ok with their counts, and the end
# of a run: every process started killed by its PID (the arrays PID and NODE_PID, and SIM_PID),
# the servers stopped, the folder removed, or its logs kept when something failed.
# Sourced after deploy/local/lib.sh. The caller runs harness_begin SUITE, and sets
# summary_printed=1 once it has printed "SUITE: N passed, N failed" itself.
passed=0
failed=0
declare -A PID       # service (or copy) -> PID
declare -A NODE_PID  # nats node -> PID

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1${2:+: $2}"; failed=$((failed + 1)); }

# harness_begin SUITE: the run's folder $T (logs in $T/log), cleaned up at exit.
harness_begin() {
    SUITE=$1
    T=$(mktemp -d "/tmp/mue-$SUITE.XXXXXX")
    chmod 755 "$T"
    mkdir -p "$T/log"
    trap harness_end EXIT
}

harness_end() {
    local rc=$? k
    [ -n "${SIM_PID:-}" ] && kill -KILL "$SIM_PID" 2>/dev/null
    for k in "${!PID[@]}"; do
        kill -KILL "${PID[$k]}" 2>/dev/null && wait "${PID[$k]}" 2>/dev/null
    done
    for k in "${!NODE_PID[@]}"; do
        kill -KILL "${NODE_PID[$k]}" 2>/dev/null && wait "${NODE_PID[$k]}" 2>/dev/null
    done
    pg_stop "$T/pg"
    [ -d "$T/nats" ] && nats_stop "$T/nats"
    free_port_forget
    if [ -z "${summary_printed:-}" ]; then # stopped early: a setup step failed
        [ "$failed" -gt 0 ] || failed=1
        echo "$SUITE: $passed passed, $failed failed"
    fi
    if [ "$failed" -gt 0 ] || [ "$rc" != 0 ]; then
        echo "logs kept in $T/log"
    else
        pg_remove "$T/pg"
        rm -rf "$T"
    fi
}
