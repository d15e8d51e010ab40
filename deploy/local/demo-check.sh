#!/usr/bin/env bash
# demo-check.sh - what CI asks of a short demo (MUE_DEMO_DAYS=1 make demo): the running platform
# holds rows of every use case, every simulated device reported, the default alert rules raised
# alerts, the pilot lighting schedule reached the lamps, and the live fleet runs.
set -uo pipefail
cd "$(dirname "$0")/../.."
set -a
. .run/env
set +a
failed=0
q() { psql "$MUE_PG_DSN" -X -A -t -q -c "$1"; }
for uc in $(q "SELECT id FROM use_case ORDER BY id"); do
    n=$(q "SELECT count(*) FROM measurement WHERE use_case = '$uc'")
    if [ "${n:-0}" -gt 0 ]; then echo "ok - $uc: $n rows"; else echo "not ok - $uc: no rows"; failed=1; fi
done
silent=$(q "SELECT count(*) FROM device d WHERE d.active AND NOT EXISTS
            (SELECT 1 FROM latest_value l WHERE l.device_id = d.id)")
[ "$silent" = 0 ] && echo "ok - every registered device has reported" ||
    { echo "not ok - $silent registered devices never reported"; failed=1; }
raised=$(q "SELECT count(DISTINCT use_case) || ' ' || count(*) FROM alert")
[ "${raised%% *}" -ge 2 ] && echo "ok - the default alert rules raised alerts (use cases, alerts: $raised)" ||
    { echo "not ok - the default alert rules raised too little: $raised"; failed=1; }
if [ -x build/bin/mue-lighting ]; then
    acked=$(q "SELECT count(*) FILTER (WHERE state = 'acknowledged') || ' ' || count(*) FROM lighting_command")
    [ "${acked%% *}" -gt 0 ] && echo "ok - lighting commands reached the simulated lamps and were acknowledged ($acked)" ||
        { echo "not ok - no lighting command acknowledged: $acked"; failed=1; }
fi
if [ -x build/bin/mue-opendata ]; then
    csv=$(curl -fsS "$MUE_API_URL/opendata/dechets-remplissage-heure/dechets-remplissage-heure.csv" | wc -l)
    cat=$(curl -fsS -o /dev/null -w '%{http_code}' "$MUE_API_URL/opendata/catalog.jsonld")
    [ "${csv:-0}" -gt 100 ] && [ "$cat" = 200 ] &&
        echo "ok - the open data is served: $csv lines of hourly fill levels, the DCAT catalogue" ||
        { echo "not ok - open data: $csv CSV lines, catalogue $cat"; failed=1; }
fi
if [ -f .run/pid/sim.pid ] && kill -0 "$(cat .run/pid/sim.pid)" 2>/dev/null; then
    echo "ok - the live fleet runs (pid $(cat .run/pid/sim.pid))"
else
    echo "not ok - the live fleet is not running"; failed=1
fi
exit $failed
