# lib.sh - what the benchmark scripts share: figures printed readably, and the CPU time and peak
# memory of the processes they measure (from /proc). Sourced after deploy/local/lib.sh.
# SPDX-License-Identifier: MIT

# 1234567.8 -> 1,234,568
commas() {
    awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); r = "";
        while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
        print s r }'
}

# CPU ticks (user + system, own and reaped children) of one process.
ticks() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    echo "${stat##*) }" | awk '{ print $12 + $13 + $14 + $15 }'
}

# Busy CPU ticks of the whole machine (all cores): everything but idle and iowait.
machine_ticks() {
    awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

# CPU ticks of the postmaster and every backend it runs.
pg_ticks() {
    local pm=$1 sum c
    sum=$(ticks "$pm")
    for c in $(ps -o pid= --ppid "$pm"); do
        sum=$((sum + $(ticks "$c")))
    done
    echo "$sum"
}

# Peak resident memory (VmHWM) of one process in MB, with one decimal; empty when it is gone.
peak_rss_mb() {
    awk '$1 == "VmHWM:" { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status" 2>/dev/null
}

# bench_begin NAME: the run's folder $T (logs in $T/log), and its end at exit: each service of the
# array PID stopped (SIGTERM), the servers in $T stopped, the folder removed, or kept when the run
# did not set ok=1 (or BENCH_KEEP is set); a function bench_before_end, if the script has one, runs first. fail MESSAGE
# ends the run with NAME.sh's message.
bench_begin() {
    BENCH_NAME=$1
    T=$(mktemp -d "/tmp/mue-bench-$1.XXXXXX")
    chmod 755 "$T"
    mkdir -p "$T/log"
    declare -gA PID=()
    ok=0
    trap bench_end EXIT
}

bench_end() {
    local svc
    free_port_forget
    set +e
    declare -F bench_before_end > /dev/null && bench_before_end
    for svc in "${!PID[@]}"; do
        if [ -n "${PID[$svc]}" ] && kill -0 "${PID[$svc]}" 2>/dev/null; then
            kill -TERM "${PID[$svc]}"
            wait "${PID[$svc]}" 2>/dev/null
        fi
    done
    pg_stop "$T/pg"
    nats_stop "$T/nats"
    if [ -n "${BENCH_KEEP:-}" ]; then # the servers' data and logs, to look into a run
        echo "$BENCH_NAME.sh: kept $T and PostgreSQL's data in $(readlink -f "$T/pg/home")" >&2
        return
    fi
    pg_remove "$T/pg"
    if [ "$ok" = 1 ]; then
        rm -rf "$T"
    else
        echo "$BENCH_NAME.sh: failed; logs kept in $T" >&2
    fi
}

fail() {
    echo "$BENCH_NAME.sh: $*" >&2
    exit 1
}
