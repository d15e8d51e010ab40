#!/usr/bin/env bash
# check.sh - static checks of the container files where no Docker engine runs: docker-compose.yml
# validates with .env.example, every service of it builds a target the Dockerfile defines, and
# every path the Dockerfile copies exists; Prometheus's configuration and rules pass promtool
# (Debian's prometheus package), the rules their unit tests, and every service is scraped.
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
promtool_run() {
    command -v promtool > /dev/null ||
        { echo "promtool not found: apt-get install prometheus (Debian's package has it)"; return 1; }
    local out
    out=$(promtool "$@" 2>&1) || { echo "$out"; return 1; }
}
# "service target" for each service of docker-compose.yml built from a target of the Dockerfile.
compose_service_targets() {
    awk '/^services:/ { inside = 1; next }
         /^[^ #]/ { inside = 0 }
         inside && /^  [a-z][a-z0-9-]*:$/ { service = substr($1, 1, length($1) - 1) }
         inside && /target: [a-z]/ { match($0, /target: [a-z]+/); print service, substr($0, RSTART + 8, RLENGTH - 8) }' \
        docker-compose.yml
}
services_scraped() {
    local s t rc=0
    while read -r s t; do
        case "$t" in admin | sim | migrate) continue ;; esac
        grep -v '^ *#' deploy/prometheus/prometheus.yml | grep -q "\"$s:9090\"" ||
            { echo "service $s is not scraped by deploy/prometheus/prometheus.yml"; rc=1; }
    done < <(compose_service_targets)
    for s in $(grep -v '^ *#' deploy/prometheus/prometheus.yml | grep -o '"[a-z][a-z0-9-]*:9090"' |
        tr -d '"' | cut -d: -f1); do
        [ "$s" = localhost ] && continue
        grep -q "^  $s:\$" docker-compose.yml ||
            { echo "prometheus.yml scrapes $s, which docker-compose.yml does not run"; rc=1; }
    done
    return $rc
}
check compose_valid
check targets_exist
check copies_exist
check services_have_targets
check promtool_run check config deploy/prometheus/prometheus.yml
check promtool_run check rules deploy/prometheus/rules.yml
check promtool_run test rules tests/deploy/test_rules.yml
check services_scraped
echo "deploy: $passed passed, $failed failed"
[ "$failed" = 0 ]
