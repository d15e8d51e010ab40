#!/usr/bin/env bash
# deps.sh - the Debian packages mue builds, tests and runs with.
#   deps.sh install        apt-get install them all (as root, or through sudo)
#   deps.sh ensure [test]  install only what is missing (quiet when all is there); "test" adds
#                          the browser the web pages are tested in and rdflib, which reads the
#                          open-data catalogue as a harvester would
set -euo pipefail

PACKAGES=(build-essential pkg-config make curl ca-certificates jq
    nats-server libnats-dev libpq-dev postgresql postgresql-client
    libjansson-dev libcivetweb-dev protobuf-c-compiler libprotobuf-c-dev)
# Only the tests need these: headless Chromium drives the web pages (tests/web); rdflib parses
# the DCAT catalogue (tests/integration/opendata/check_dcat.py).
TEST_PACKAGES=(chromium python3-rdflib)

missing() {
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
    done
    # The web pages are built with Node.js and npm: any install of them will do (Debian's
    # nodejs and npm packages, or NodeSource's nodejs, which holds npm and conflicts with them).
    command -v node > /dev/null && command -v npm > /dev/null || echo nodejs npm
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
install)
    # shellcheck disable=SC2046
    install "${PACKAGES[@]}" "${TEST_PACKAGES[@]}" $(command -v npm > /dev/null || echo nodejs npm)
    ;;
ensure)
    wanted=("${PACKAGES[@]}")
    [ "${2:-}" != test ] || wanted+=("${TEST_PACKAGES[@]}")
    todo=$(missing "${wanted[@]}")
    # shellcheck disable=SC2086
    [ -z "$todo" ] || install $todo
    ;;
*) echo "usage: deps.sh install|ensure [test]" >&2; exit 2 ;;
esac
