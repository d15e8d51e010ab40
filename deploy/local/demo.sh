#!/usr/bin/env bash
# demo.sh - a first look at the running stack: registers a few real-model devices (waste containers
# in the Pays d'Aix and the Pays de Martigues, level stations on the Touloubre and the Cadière),
# posts their vendor-format uplinks through the ChirpStack webhook, and shows what was stored.
# The simulated metropolis (mue-sim) replaces this once it exists. Usage: demo.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${1:-build}
set -a
. .run/env
set +a
export MUE_LOG_LEVEL=warn

add() { "$B/bin/mue-admin" device add "$@" > /dev/null; }
# Containers: sensor 2.4 m above the bottom when empty, full at 0.35 m.
add --dev-eui 24e1247100000000 --model milesight-em310-udl --use-case waste --name "PAV verre Aix Rotonde" \
    --lat 43.5263 --lon 5.4454 --params '{"empty_distance_m": 2.4, "full_distance_m": 0.35}'
add --dev-eui 24e1247100000001 --model milesight-em310-udl --use-case waste --name "PAV papier Martigues Ferrières" \
    --lat 43.4068 --lon 5.0520 --params '{"empty_distance_m": 2.4, "full_distance_m": 0.35}'
# Level stations: sensor 4.0 m and 3.2 m above the gauge zero.
add --dev-eui 70b3d57ba0000000 --model decentlab-dl-mbx --use-case water --name "Touloubre à Saint-Chamas" \
    --lat 43.5520 --lon 5.0420 --params '{"sensor_height_m": 4.0}'
add --dev-eui 70b3d57ba0000001 --model decentlab-dl-mbx --use-case water --name "Cadière à Marignane" \
    --lat 43.4190 --lon 5.2140 --params '{"sensor_height_m": 3.2}'

start=$(date -u -d '-1 day' +%Y-%m-%dT%H:00:00Z)
"$B/bin/mue-post" --url "$MUE_INGEST_URL" --secret "$MUE_INGEST_SECRET" --count 96 --devices 2 \
    --eui-prefix 24e12471 --payload-hex 01755c03824408040001 --fport 85 --start "$start" \
    --step-s 1800 --run-id "demo-waste-$(date +%s)"
"$B/bin/mue-post" --url "$MUE_INGEST_URL" --secret "$MUE_INGEST_SECRET" --count 192 --devices 2 \
    --eui-prefix 70b3d57b --payload-hex 02012f000304d200010bb1 --fport 1 --start "$start" \
    --step-s 900 --run-id "demo-water-$(date +%s)"
sleep 2
echo
echo "Stored (latest value of each series):"
psql "$MUE_PG_DSN" -X -q -P pager=off -c "SELECT d.name, l.quantity, round(l.value::numeric, 3) AS value, l.time
    FROM latest_value l JOIN device d ON d.id = l.device_id ORDER BY d.name, l.quantity"
cat <<TXT
The platform runs on loopback; its settings are in .run/env (set -a; . .run/env; set +a).
  webhooks:     $MUE_INGEST_URL/v1/chirpstack, /v1/tts, /v1/thingpark, /v1/liveobjects
                (Authorization: Bearer \$MUE_INGEST_SECRET), /v1/senml (device tokens);
                how to point each network server: docs/networks.md
  downlinks:    build/bin/mue-admin downlink send DEV_EUI --port N --hex HEX; downlink list
  database:     psql "\$MUE_PG_DSN"
  dead letters: build/bin/mue-admin deadletter list
  stop:         make down
TXT
