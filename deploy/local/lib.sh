# lib.sh - start and stop the servers mue needs (nats-server, PostgreSQL) on loopback, as the local
# stack and the test harness both do. Sourced by bash scripts; every function returns non-zero on
# failure with a message on stderr.

pg_bindir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$d" ] || { echo "PostgreSQL server binaries not found (run: make deps)" >&2; return 1; }
    echo "$d"
}

nats_bin() {
    command -v nats-server 2>/dev/null || { [ -x /usr/sbin/nats-server ] && echo /usr/sbin/nats-server; } ||
        { echo "nats-server not found (run: make deps)" >&2; return 1; }
}

# True when something answers on 127.0.0.1:PORT.
port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Prints a port that nothing listens on, picked at random (a fixed one collides on shared hosts).
free_port() {
    local p i
    for i in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        port_busy "$p" || { echo "$p"; return 0; }
    done
    echo "no free port found" >&2
    return 1
}

# Runs a command as the PostgreSQL owner: initdb refuses to run as root.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# pg_datadir DIR: where the cluster of DIR lives. As root it must be reachable by the postgres
# user; when DIR's parents are closed to it (a clone under /root), a folder under /var/tmp is
# used and DIR/data links to it.
pg_prepare_dir() {
    local dir=$1
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        if [ ! -e "$dir/data" ] && ! runuser -u postgres -- test -x "$dir"; then
            local alt
            alt=$(mktemp -d /var/tmp/mue-pg.XXXXXX)
            chown postgres:postgres "$alt"
            ln -s "$alt" "$dir/data"
        fi
        install -d -o postgres -g postgres -m 700 "$dir/data" 2>/dev/null || true
        chown postgres:postgres "$(readlink -f "$dir/data")"
        install -d -o postgres -g postgres -m 755 "$dir/sock"
    else
        mkdir -p "$dir/data" "$dir/sock"
        chmod 700 "$dir/data"
    fi
}

# pg_start DIR PORT [AUTH PASSWORD]: creates the cluster on first use, then starts it listening on
# 127.0.0.1:PORT. AUTH is trust (tests) or scram-sha-256 (local stack, superuser PASSWORD).
pg_start() {
    local dir=$1 port=$2 auth=${3:-trust} password=${4:-} bin data
    bin=$(pg_bindir) || return 1
    pg_prepare_dir "$dir" || return 1
    data=$(readlink -f "$dir/data")
    if [ ! -f "$data/PG_VERSION" ]; then
        local pwopt=()
        if [ -n "$password" ]; then
            printf '%s\n' "$password" > "$dir/sock/.pw"
            [ "$(id -u)" = 0 ] && chown postgres "$dir/sock/.pw"
            chmod 600 "$dir/sock/.pw"
            pwopt=(--pwfile="$dir/sock/.pw")
        fi
        as_pg "$bin/initdb" -D "$data" -U postgres -A "$auth" "${pwopt[@]}" -E UTF8 \
            --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 ||
            { rm -f "$dir/sock/.pw"; echo "initdb failed, see $dir/initdb.log" >&2; return 1; }
        rm -f "$dir/sock/.pw"
    fi
    as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-p $port -k $(readlink -f "$dir/sock") -c listen_addresses=127.0.0.1 -c fsync=${MUE_PG_FSYNC:-on}" \
        start > "$dir/pg_ctl.log" 2>&1 ||
        { echo "PostgreSQL did not start, see $data/server.log" >&2; tail -5 "$data/server.log" >&2; return 1; }
}

pg_stop() {
    local dir=$1 bin data
    bin=$(pg_bindir) || return 1
    data=$(readlink -f "$dir/data")
    [ -f "$data/postmaster.pid" ] || return 0
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop > /dev/null 2>&1
}

# The postmaster's PID, for fault tests.
pg_pid() {
    head -n 1 "$(readlink -f "$1/data")/postmaster.pid" 2>/dev/null
}

# nats_start DIR PORT MONITOR_PORT: JetStream on, file store in DIR/js, PID in DIR/nats.pid.
nats_start() {
    local dir=$1 port=$2 mport=$3 bin i
    bin=$(nats_bin) || return 1
    mkdir -p "$dir/js"
    "$bin" -a 127.0.0.1 -p "$port" -m "$mport" -js -sd "$dir/js" -P "$dir/nats.pid" \
        -l "$dir/nats.log" > /dev/null 2>&1 &
    for i in $(seq 1 100); do
        if curl -fsS "http://127.0.0.1:$mport/healthz?js-enabled-only=true" > /dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    echo "nats-server did not become ready, see $dir/nats.log" >&2
    return 1
}

nats_stop() {
    local dir=$1 pid i
    pid=$(cat "$dir/nats.pid" 2>/dev/null) || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    return 0
}

# wait_healthy URL SECONDS: polls an admin /healthz until it answers 200.
wait_healthy() {
    local url=$1 secs=${2:-30} i
    for i in $(seq 1 $((secs * 10))); do
        curl -fsS "$url" > /dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# stop_pid FILE: SIGTERM the process of a PID file, then SIGKILL after 15 s.
stop_pid() {
    local file=$1 pid i
    pid=$(cat "$file" 2>/dev/null) || return 0
    rm -f "$file"
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 150); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    echo "pid $pid did not stop on SIGTERM, killing it" >&2
    kill -KILL "$pid" 2>/dev/null
    return 0
}

random_secret() {
    head -c 24 /dev/urandom | base64 | tr -d '/+=\n'
}
