#!/usr/bin/env bash
# demo.sh - the simulated metropolis on the running stack (make demo, after make up): registers the
# fleet of deploy/fleet/, back-fills its history (a week, or what is missing since the last run),
# then keeps the fleet live in the background until make down. Usage: demo.sh BUILD_DIR [DAYS]
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/lib.sh
B=${1:-build}
DAYS=${2:-${MUE_DEMO_DAYS:-7}}
RUN=$PWD/.run
set -a
. "$RUN/env"
set +a
export MUE_LOG_LEVEL=${MUE_LOG_LEVEL:-warn}
mkdir -p "$RUN/sim" "$RUN/pid" "$RUN/log"

"$B/bin/mue-sim" register
if [ -f "$RUN/pid/sim.pid" ] && kill -0 "$(cat "$RUN/pid/sim.pid")" 2>/dev/null; then
    echo "the simulated fleet is already live (pid $(cat "$RUN/pid/sim.pid"), log .run/log/sim.log)"
else
    # With the network stand-in up (make demo), the uplinks go through it as through a network
    # server: it then knows each device's frame counter, and its echoes continue it.
    sim_url=$MUE_INGEST_URL
    if [ -f "$RUN/pid/netserver.pid" ] && kill -0 "$(cat "$RUN/pid/netserver.pid")" 2>/dev/null; then
        sim_url=http://127.0.0.1:${MUE_DEMO_NETSERVER_PORT:-8091}
    fi
    # The cursor remembers up to when the fleet has sent: a second demo only fills the gap. Posting
    # webhooks needs no database: the fleet runs without the owner's DSN (registering did).
    echo "back-filling up to $DAYS days of history (a progress line every 5 s)"
    MUE_PG_DSN= MUE_INGEST_URL=$sim_url "$B/bin/mue-sim" run --mode backfill --days "$DAYS" \
        --cursor "$RUN/sim/cursor" --progress
    MUE_PG_DSN= MUE_INGEST_URL=$sim_url setsid "$B/bin/mue-sim" run --mode realtime \
        --cursor "$RUN/sim/cursor" >> "$RUN/log/sim.log" 2>&1 < /dev/null &
    echo $! > "$RUN/pid/sim.pid"
    echo "the fleet is live: mue-sim pid $!, log .run/log/sim.log"
fi

# The ingest has taken every uplink; the normalizer and the writer may still be on the last ones:
# wait until no consumer of the bus has anything pending (at most two minutes).
pending() {
    curl -fsS "$MUE_NATS_MONITOR_URL/jsz?consumers=true" 2>/dev/null |
        grep -o '"num_\(ack_\)\{0,1\}pending": *[0-9]*' | awk -F: '{s += $2} END {print s + 0}'
}
for i in $(seq 1 240); do
    [ "$(pending)" = 0 ] && break
    sleep 0.5
done
echo
echo "What the metropolis has measured so far:"
psql "$MUE_PG_DSN" -X -q -P pager=off -c "
    SELECT u.id AS use_case, count(DISTINCT d.id) AS devices, count(DISTINCT d.site_id) AS sites,
           coalesce(sum(r.count), 0) AS measurements, max(r.last_time) AS latest
    FROM use_case u
    LEFT JOIN device d ON d.use_case = u.id AND d.active
    LEFT JOIN LATERAL (SELECT sum(count) AS count, max(last_time) AS last_time
                       FROM rollup_day r WHERE r.device_id = d.id) r ON true
    GROUP BY u.id ORDER BY u.id"

if [ -x "$B/bin/mue-alerts" ]; then
    echo "What the default alert rules found (docs/alerts.md):"
    psql "$MUE_PG_DSN" -X -q -P pager=off -c "
        SELECT a.use_case, r.name AS rule, a.severity,
               count(*) FILTER (WHERE a.state <> 'resolved') AS unresolved, count(*) AS raised
        FROM alert a JOIN alert_rule r ON r.id = a.rule_id
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
fi

# Street lighting: Istres, a pilot commune, dims its lamps by program (docs/lighting.md): on at
# sunset, 50 % from 23:00, 100 % from 05:30 until sunrise, as its simulated lamps do. Set through
# the API, so mue-lighting compiles it at once; the network stand-in echoes the commands back.
if [ -n "${MUE_API_URL:-}" ] && [ -x "$B/bin/mue-lighting" ]; then
    lamps=$(psql "$MUE_PG_DSN" -X -A -t -q -c "SELECT string_agg(dev_eui, ',' ORDER BY id) FROM device
        WHERE active AND use_case = 'lighting' AND name LIKE '% Istres %'")
    api_put() { # PATH JSON
        curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $MUE_ADMIN_KEY" \
            -H 'Content-Type: application/json' --data "$2" "$MUE_API_URL$1"
    }
    if [ -n "$lamps" ] &&
        "$B/bin/mue-admin" groups set eclairage-istres --device "$lamps" \
            --title "Éclairage public d'Istres (pilote)" > /dev/null &&
        api_put /v1/lighting/programs/cp-metropole '{"activePeriods": [{"name": "AstroClockActivePeriod",
            "sunsetOffset": 0, "sunriseOffset": 0}], "fixedTimeControls": [
            {"startTime": "05:30:00", "command": {"state": {"name": "LevelState", "value": 100}}},
            {"startTime": "23:00:00", "command": {"state": {"name": "LevelState", "value": 50}, "rampToLevelTime": 60}}]}' &&
        api_put /v1/lighting/calendars/cal-metropole '{"rules": [], "defaultProgram": "cp-metropole"}' &&
        api_put /v1/lighting/assignments/eclairage-istres '{"calendar": "cal-metropole"}'; then
        # Compiled at once, then sent and echoed: wait until there are commands and none open.
        for i in $(seq 1 60); do
            [ "$(psql "$MUE_PG_DSN" -X -A -t -q -c "SELECT count(*) > 0 AND count(*) FILTER
                (WHERE state IN ('pending', 'queued', 'sent')) = 0 FROM lighting_command")" = t ] && break
            sleep 0.5
        done
        echo "Street lighting: Istres's lamps and cabinets on program cp-metropole (docs/lighting.md):"
        psql "$MUE_PG_DSN" -X -q -P pager=off -c "
            SELECT d.model, c.state, count(*) AS commands, count(DISTINCT c.device_id) AS devices
            FROM lighting_command c JOIN device d ON d.id = c.device_id GROUP BY 1, 2 ORDER BY 1, 2"
    else
        echo "street lighting: the pilot schedule could not be set (see .run/log/lighting.log)" >&2
    fi
fi

# Open data: the running mue-opendata exported at its start, before the back-fill; one pass now
# publishes the history (docs/opendata.md), then it keeps each dataset on its schedule.
if [ -x "$B/bin/mue-opendata" ] && [ -n "${MUE_API_URL:-}" ]; then
    if MUE_OPENDATA_ONCE=1 MUE_LOG_LEVEL=warn "$B/bin/mue-opendata" >> "$RUN/log/opendata.log" 2>&1; then
        echo "Open data published under $MUE_API_URL/opendata/ (DCAT-AP: /opendata/catalog.jsonld):"
        psql "$MUE_PG_DSN" -X -q -P pager=off -c "
            SELECT ds.id AS dataset, CASE WHEN ds.restricted THEN 'restricted' ELSE 'open' END AS access,
                   r.rows, r.files, to_char(ds.done_until AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD HH24:MI')
                       AS up_to
            FROM opendata_dataset ds LEFT JOIN LATERAL (SELECT rows, files FROM opendata_run u
                WHERE u.dataset = ds.id AND u.state = 'ok' ORDER BY u.id DESC LIMIT 1) r ON true
            ORDER BY ds.id"
    else
        echo "open data: the export failed (see .run/log/opendata.log)" >&2
    fi
fi

api_line="  API:          not built"
if [ -n "${MUE_API_URL:-}" ]; then
    api_line="  API:          $MUE_API_URL/v1/usecases (routes: $MUE_API_URL/v1/openapi.json;
                staff calls: Authorization: Bearer \$MUE_ADMIN_KEY, more keys: mue-admin keys)
  public site:  $MUE_API_URL/   (the six use cases, the 3D view /3d, counters' displays /compteur)
  supervision:  $MUE_API_URL/supervision/   (sign in with \$MUE_ADMIN_KEY, or a directorate's or operator's key)
  open data:    $MUE_API_URL/opendata/   (files at stable URLs; DCAT-AP catalogue /opendata/catalog.jsonld, .ttl)"
fi
cat <<TXT
The platform runs on loopback until 'make down'; its settings are in .run/env (set -a; . .run/env; set +a).
$api_line
  webhooks:     $MUE_INGEST_URL/v1/chirpstack, /v1/tts, /v1/thingpark, /v1/liveobjects
                (Authorization: Bearer \$MUE_INGEST_SECRET), /v1/senml (device tokens);
                how to point each network server: docs/networks.md
  the fleet:    $B/bin/mue-sim fleet   (devices, places; deploy/fleet/*.json)
  database:     psql "\$MUE_PG_DSN"
  alerts:       $B/bin/mue-admin alerts list --state unresolved   (ack ID, resolve ID, rules)
  lighting:     $B/bin/mue-admin lighting preview --dev-eui EUI --date YYYY-MM-DD --changes;
                \$MUE_API_URL/v1/lighting/plan?group=eclairage-istres (docs/lighting.md)
  dead letters: $B/bin/mue-admin deadletter list
  stop:         make down
TXT
