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
