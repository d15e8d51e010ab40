# sim.sh - the simulated metropolis against the suite's servers (sourced by run.sh: uses its
# helpers ok, not_ok, sql, wait_sql, and $BIN, $T, $URL, $SECRET): the fleet registers, a day of
# back-fill gives rows for every use case and reconciles with its ledger, a repeat adds nothing,
# the load mode's ledger reconciles (and a lost uplink would be seen), the live clocks run.

sim() { MUE_LOG_LEVEL=warn MUE_INGEST_URL=$URL MUE_INGEST_SECRET=$SECRET "$BIN/mue-sim" "$@"; }

fleet_n=$(sim fleet | tail -n +2 | wc -l)
fleet_euis=$(sim fleet | tail -n +2 | awk '{printf "%s'\''%s'\''", (NR > 1 ? "," : ""), $1}')
r=$(sim register 2>&1)
n=$(sql "SELECT count(*) FROM device WHERE dev_eui IN ($fleet_euis)")
[ "$r" = "registered $fleet_n devices" ] && [ "$n" = "$fleet_n" ] &&
    ok "mue-sim registers the fleet's $fleet_n devices" || not_ok "mue-sim register" "$r; $n of $fleet_n in the registry"
before=$(sql "SELECT md5(string_agg(d.dev_eui || d.name || d.params::text || coalesce(d.site_id, 0), ',' ORDER BY d.dev_eui)) FROM device d")
r=$(sim register 2>&1)
after=$(sql "SELECT md5(string_agg(d.dev_eui || d.name || d.params::text || coalesce(d.site_id, 0), ',' ORDER BY d.dev_eui)) FROM device d")
[ "$before" = "$after" ] && ok "registering the fleet again changes nothing" || not_ok "register twice" "$r"
ucs=$(sql "SELECT string_agg(DISTINCT use_case, ' ' ORDER BY use_case) FROM device WHERE dev_eui IN ($fleet_euis)")
case "$ucs" in *counting*heat*lighting*noise*waste*water*) ok "the fleet covers the six use cases ($ucs)" ;; *) not_ok "six use cases in the fleet" "$ucs" ;; esac
outside=$(sql "SELECT count(*) FROM device d JOIN site s ON s.id = d.site_id WHERE s.insee IS NULL")
[ "$outside" = 0 ] && ok "every fleet site names its commune" || not_ok "sites without commune" "$outside"

# A day of history, from a fixed past day, with its ledger.
day_end=$(date -u -d 'today 00:00' +%Y-%m-%dT%H:%M:%SZ)
if sim run --mode backfill --days 1 --to "$day_end" --threads 4 --ledger "$T/backfill.csv" > "$T/log/sim-backfill.log" 2>&1; then
    ok "a day of back-fill is taken by the ingest: $(tail -1 "$T/log/sim-backfill.log")"
else
    not_ok "a day of back-fill" "$(tail -3 "$T/log/sim-backfill.log")"
fi
if sim reconcile --ledger "$T/backfill.csv" --wait 120 > "$T/log/sim-reconcile.log" 2>&1; then
    ok "the back-fill's ledger reconciles with PostgreSQL: $(cat "$T/log/sim-reconcile.log")"
else
    not_ok "back-fill ledger reconciles" "$(cat "$T/log/sim-reconcile.log")"
fi
for pair in waste:fill_level water:water_level noise:LAeq counting:bike_count_in lighting:dim_level \
    lighting:power heat:temperature heat:humidity water:conductivity; do
    uc=${pair%%:*} q=${pair#*:}
    n=$(sql "SELECT count(*) FROM measurement m JOIN device d ON d.id = m.device_id
             WHERE m.use_case = '$uc' AND m.quantity = '$q' AND m.time >= '$day_end'::timestamptz - interval '1 day'
             AND m.time < '$day_end' AND d.dev_eui NOT LIKE 'fe%'")
    [ "${n:-0}" -gt 0 ] && ok "the back-filled day has $uc rows of $q ($n)" || not_ok "back-fill rows of $uc $q" "$n"
done
# The day's story holds in the stored values: the city is quieter at night, rivers cross a
# vigilance level at least once a week (asked of a day here: the level moves), lamps are off by day.
n=$(sql "SELECT (avg(value) FILTER (WHERE extract(hour FROM time AT TIME ZONE 'Europe/Paris') BETWEEN 2 AND 4)
         < avg(value) FILTER (WHERE extract(hour FROM time AT TIME ZONE 'Europe/Paris') BETWEEN 8 AND 18))::text
         FROM measurement WHERE use_case = 'noise' AND quantity = 'LAeq'
         AND time >= '$day_end'::timestamptz - interval '1 day' AND time < '$day_end'")
[ "$n" = true ] && ok "simulated noise is lower at night than by day" || not_ok "noise night < day" "$n"
n=$(sql "SELECT count(*) FROM measurement WHERE use_case = 'lighting' AND quantity = 'dim_level' AND value > 0
         AND extract(hour FROM time AT TIME ZONE 'Europe/Paris') = 13
         AND time >= '$day_end'::timestamptz - interval '1 day' AND time < '$day_end'")
[ "$n" = 0 ] && ok "simulated lamps are off at 13:00 local time" || not_ok "lamps off by day" "$n lit"

n=$(sql "SELECT (avg(h.island) FILTER (WHERE d.params ->> 'setting' = 'mineral') > 0
                AND abs(avg(h.island) FILTER (WHERE d.params ->> 'reference' = 'true')) < 1e-9)::text
         FROM heat_night h JOIN device d ON d.id = h.device_id
         WHERE h.night = '$day_end'::date - 1")
[ "$n" = true ] && ok "heat_night: the simulated mineral squares stay warmer at night than the parks" ||
    not_ok "heat island in heat_night" "$n"

# The same day again: the same uplinks, ids and all, so the ingest answers each one duplicate
# (within the bus's 20-minute window) and nothing new is stored.
rows=$(sql "SELECT count(*) FROM measurement")
r=$(sim run --mode backfill --days 1 --to "$day_end" --use-case water,heat --threads 4 2>&1)
sleep 3
case "$r" in "sent "*) set -- $r ;; *) set -- x 0 x 0 x 1 ;; esac
[ "$2" -gt 0 ] && [ "$6" = "$2" ] && [ "$(sql "SELECT count(*) FROM measurement")" = "$rows" ] &&
    ok "back-filling the same day again adds no row: $r" || not_ok "back-fill again" "$r"

# Load: a target rate on 40 cloned devices, 5 % of posts repeated as network servers retry.
if sim run --mode load --rate 400 --duration 5 --devices 40 --repeat-pct 5 --ledger "$T/load.csv" \
    > "$T/log/sim-load.log" 2>&1; then
    ok "load mode posts 2,000 uplinks at 400/s: $(tail -1 "$T/log/sim-load.log")"
else
    not_ok "load mode" "$(tail -3 "$T/log/sim-load.log")"
fi
if sim reconcile --ledger "$T/load.csv" --wait 120 > "$T/log/sim-load-reconcile.log" 2>&1; then
    ok "the load ledger reconciles: $(cat "$T/log/sim-load-reconcile.log")"
else
    not_ok "load ledger reconciles" "$(cat "$T/log/sim-load-reconcile.log")"
fi
# The ledger's columns: time_us,dev_eui,fcnt,fport,outcome,http_status,attempts,repeat,posted_us,answered_us
awk -F, 'NR > 1 && $8 == 1 && $10 >= $9 && $9 > 0 { n++ } END { exit !n }' "$T/load.csv" &&
    ok "the load ledger holds repeated posts, each with the times of its post and answer" ||
    not_ok "repeated posts in the ledger"
# Reconciliation can fail: one uplink's rows removed is one uplink lost.
# The rows are put back afterwards: the open data checks later compare the rollups, which still
# count them, with the raw rows.
victim=$(awk -F, 'NR == 2 {print $2 " " $1}' "$T/load.csv")
victim_rows="FROM measurement m USING device d WHERE d.id = m.device_id AND d.dev_eui = '${victim% *}'
              AND m.time = to_timestamp(${victim#* } / 1000000.0)"
sql "CREATE TABLE it_victim AS SELECT m.* FROM measurement m JOIN device d ON d.id = m.device_id
     WHERE d.dev_eui = '${victim% *}' AND m.time = to_timestamp(${victim#* } / 1000000.0);
     DELETE $victim_rows" > /dev/null
r=$(sim reconcile --ledger "$T/load.csv" --wait 0 2>&1)
rc=$?
[ "$rc" = 1 ] && case "$r" in *"lost 1;"*) true ;; *) false ;; esac &&
    ok "reconcile reports an uplink whose rows are gone as lost (exit 1)" || not_ok "reconcile sees a loss" "rc=$rc $r"
sql "INSERT INTO measurement SELECT * FROM it_victim; DROP TABLE it_victim" > /dev/null

# The live clocks: accelerated time catches up two hours, real time runs until SIGTERM.
from=$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%SZ)
r=$(sim run --mode accelerated --speed 7200 --from "$from" --to "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --use-case noise 2>&1)
case "$r" in "sent "*) set -- $r ;; *) set -- x 0 ;; esac
[ "$2" -ge 100 ] && ok "accelerated mode sends two hours of noise uplinks in seconds: $r" || not_ok "accelerated mode" "$r"
date -u -d '-10 minutes' +%Y-%m-%dT%H:%M:%SZ > "$T/cursor"
# (the binary itself in the background, not the shell function: its PID is the one signalled)
MUE_LOG_LEVEL=warn MUE_INGEST_URL=$URL MUE_INGEST_SECRET=$SECRET "$BIN/mue-sim" run --mode realtime \
    --use-case noise --cursor "$T/cursor" > "$T/log/sim-live.log" 2>&1 &
live=$!
sleep 3
kill -TERM "$live"
wait "$live"
rc=$?
cursor=$(cat "$T/cursor")
[ "$rc" = 0 ] && [ "$(date -u -d "$cursor" +%s)" -ge $(($(date -u +%s) - 10)) ] &&
    ok "real-time mode catches up from its cursor, stops on SIGTERM, and moves the cursor to now ($cursor)" ||
    not_ok "real-time mode" "rc=$rc cursor=$cursor $(tail -2 "$T/log/sim-live.log")"
