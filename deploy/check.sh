#!/usr/bin/env bash
# check.sh - static checks of the container files where no Docker engine runs: docker-compose.yml
# validates with .env.example, every service of it builds a target the Dockerfile defines, and
# every path the Dockerfile copies exists.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=0
passed=0
check() {
    if "$@"; then passed=$((passed + 1)); else echo "not ok - $*"; failed=$((failed + 1)); fi
}
compose_valid() {
    env -u DOCKER_HOST docker-compose --env-file .env.example -f docker-compose.yml config -q
}
targets_exist() {
    local t rc=0
    for t in $(grep -o 'target: [a-z]*' docker-compose.yml | awk '{print $2}' | sort -u); do
        grep -q "^FROM .* AS $t\$" deploy/docker/Dockerfile || { echo "no target $t in Dockerfile"; rc=1; }
    done
    return $rc
}
copies_exist() {
    local src rc=0
    for src in $(awk '/^COPY / && !/--from/ {for (i = 2; i < NF; i++) print $i}' deploy/docker/Dockerfile); do
        [ -e "$src" ] || { echo "Dockerfile copies missing $src"; rc=1; }
    done
    return $rc
}
services_have_targets() {
    local s rc=0
    for s in services/*/main.c; do
        s=$(basename "$(dirname "$s")")
        grep -q "^FROM .* AS $s\$" deploy/docker/Dockerfile || { echo "service $s has no image target"; rc=1; }
    done
    return $rc
}
check compose_valid
check targets_exist
check copies_exist
check services_have_targets
echo "deploy: $passed passed, $failed failed"
[ "$failed" = 0 ]
