#!/usr/bin/env bash
# deps.sh - the Debian packages mue builds, tests and runs with.
#   deps.sh install   apt-get install them all (as root, or through sudo)
#   deps.sh ensure    install only when something is missing (quiet when all is there)
set -euo pipefail

PACKAGES=(build-essential pkg-config make curl ca-certificates jq
    nats-server libnats-dev libpq-dev postgresql postgresql-client
    libjansson-dev libcivetweb-dev protobuf-c-compiler libprotobuf-c-dev)

missing() {
    local p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
    done
}

install() {
    local sudo=()
    [ "$(id -u)" = 0 ] || sudo=(sudo)
    echo "installing: $*"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
        > /tmp/mue-apt.log 2>&1 || { tail -20 /tmp/mue-apt.log >&2; exit 1; }
}

case "${1:-ensure}" in
install) install "${PACKAGES[@]}" ;;
ensure)
    todo=$(missing)
    # shellcheck disable=SC2086
    [ -z "$todo" ] || install $todo
    ;;
*) echo "usage: deps.sh install|ensure" >&2; exit 2 ;;
esac
