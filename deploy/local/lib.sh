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
# A free port below the kernel's ephemeral range (outgoing connections take ports from that range,
# and one could hold the port before the server binds it), never the same twice to one shell
# (the ports handed out are noted in /tmp/mue-ports.<shell pid>; free_port_forget removes it).
free_port() {
    local p i low reg=/tmp/mue-ports.$$
    low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    [ "${low:-0}" -gt 12000 ] || low=32768
    for i in $(seq 1 500); do
        p=$((10000 + RANDOM % (low - 10000)))
        grep -qx "$p" "$reg" 2>/dev/null && continue
        port_busy "$p" && continue
        echo "$p" >> "$reg"
        echo "$p"
        return 0
    done
    echo "no free port found" >&2
    return 1
}

free_port_forget() { rm -f "/tmp/mue-ports.$$"; }

# Runs a command as the PostgreSQL owner: initdb refuses to run as root.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# pg_home DIR: the folder holding the cluster of DIR (data/, sock/). It is DIR/home, or, as root
# when DIR's parents are closed to the postgres user (a clone in a private folder), a folder under
# /var/tmp that DIR/home links to. Prints its real path.
pg_home() {
    local dir=$1
    mkdir -p "$dir"
    if [ ! -e "$dir/home" ]; then
        if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$dir"; then
            ln -s "$(mktemp -d /var/tmp/mue-pg.XXXXXX)" "$dir/home"
        else
            mkdir -p "$dir/home"
        fi
    fi
    readlink -f "$dir/home"
}

pg_prepare_home() {
    local home=$1
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$home"
        install -d -o postgres -g postgres -m 700 "$home/data"
        install -d -o postgres -g postgres -m 755 "$home/sock"
    else
        mkdir -p "$home/data" "$home/sock"
        chmod 700 "$home/data"
    fi
}

# pg_start DIR PORT [AUTH PASSWORD]: creates the cluster on first use, then starts it listening on
# 127.0.0.1:PORT. AUTH is trust (tests) or scram-sha-256 (local stack, superuser PASSWORD).
# MUE_PG_FSYNC (on) and MUE_PG_OPTIONS (more "-c name=value" settings) tune the server.
pg_start() {
    local dir=$1 port=$2 auth=${3:-trust} password=${4:-} bin home
    bin=$(pg_bindir) || return 1
    home=$(pg_home "$dir") || return 1
    pg_prepare_home "$home" || return 1
    if [ ! -f "$home/data/PG_VERSION" ]; then
        local pwopt=()
        if [ -n "$password" ]; then
            printf '%s\n' "$password" > "$home/.pw"
            [ "$(id -u)" = 0 ] && chown postgres "$home/.pw"
            chmod 600 "$home/.pw"
            pwopt=(--pwfile="$home/.pw")
        fi
        as_pg "$bin/initdb" -D "$home/data" -U postgres -A "$auth" "${pwopt[@]}" -E UTF8 \
            --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 ||
            { rm -f "$home/.pw"; echo "initdb failed, see $dir/initdb.log" >&2; return 1; }
        rm -f "$home/.pw"
    fi
    as_pg "$bin/pg_ctl" -D "$home/data" -l "$home/data/server.log" -w -t 60 \
        -o "-p $port -k $home/sock -c listen_addresses=127.0.0.1 -c fsync=${MUE_PG_FSYNC:-on} ${MUE_PG_OPTIONS:-}" \
        start > "$dir/pg_ctl.log" 2>&1 ||
        { echo "PostgreSQL did not start, see $home/data/server.log" >&2; tail -5 "$home/data/server.log" >&2; return 1; }
}

# True when DIR holds a created cluster.
pg_exists() {
    [ -f "$(readlink -f "$1/home" 2>/dev/null)/data/PG_VERSION" ]
}

pg_stop() {
    local dir=$1 bin data
    bin=$(pg_bindir) || return 1
    data=$(readlink -f "$dir/home" 2>/dev/null)/data
    [ -f "$data/postmaster.pid" ] || return 0
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop > /dev/null 2>&1
}

# The postmaster's PID, for fault tests.
pg_pid() {
    head -n 1 "$(readlink -f "$1/home" 2>/dev/null)/data/postmaster.pid" 2>/dev/null
}

# pg_remove DIR: deletes the cluster's files, including a folder under /var/tmp it links to.
pg_remove() {
    local home
    home=$(readlink -f "$1/home" 2>/dev/null)
    case "$home" in /var/tmp/mue-pg.*) rm -rf "$home" ;; esac
    rm -rf "$1"
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

# pg_role_dsn DSN SERVICE [PASSWORD]: the owner's DSN (key=value form) made the service's: its own
# role mue_<service> (deploy/sql/0012_roles.sql) and that role's password (libpq takes the last
# value of a repeated keyword). Empty for mue-ingest and mue-sim, which have no role.
pg_role_dsn() {
    case $2 in ingest | sim) return 0 ;; esac
    printf '%s user=mue_%s%s' "$1" "$2" "${3:+ password=$3}"
}

random_secret() {
    head -c 24 /dev/urandom | base64 | tr -d '/+=\n'
}
