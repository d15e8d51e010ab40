#!/usr/bin/env bash
# run.sh - the integration suite: a real nats-server and PostgreSQL on free loopback ports, the
# real mue binaries, webhooks in the network servers' shapes. Prints "ok - ..." or "not ok - ..."
# per check and ends with "integration: N passed, N failed". Usage: run.sh BUILD_DIR
set -uo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/lib.sh

B=${1:-build}
BIN=$B/bin
FIX=tests/integration/fixtures
T=$(mktemp -d /tmp/mue-it.XXXXXX)
chmod 755 "$T"
mkdir -p "$T/log"
passed=0
failed=0
declare -A PID

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1${2:+: $2}"; failed=$((failed + 1)); }

cleanup() {
    local svc
    for svc in "${!PID[@]}"; do
        kill -KILL "${PID[$svc]}" 2>/dev/null
    done
    pg_stop "$T/pg"
    nats_stop "$T/nats"
    free_port_forget
    [ "$failed" -gt 0 ] || pg_remove "$T/pg"
    if [ "$failed" -gt 0 ]; then
        echo "logs kept in $T/log"
    else
        rm -rf "$T"
    fi
}
trap cleanup EXIT

NATS_PORT=$(free_port) && NATS_MPORT=$(free_port) && PG_PORT=$(free_port) || exit 1
INGEST_PORT=$(free_port)
declare -A ADMIN=([ingest]=$(free_port) [normalizer]=$(free_port) [writer]=$(free_port))
SECRET=$(random_secret)
LO_SECRET=$(random_secret) # Live Objects gets its own, to prove per-source secrets
export MUE_INGEST_SECRET_LIVEOBJECTS=$LO_SECRET
export MUE_NATS_URL=nats://127.0.0.1:$NATS_PORT
export MUE_PG_DSN="host=127.0.0.1 port=$PG_PORT user=postgres dbname=mue"
export MUE_INGEST_SECRET=$SECRET MUE_INGEST_LISTEN=127.0.0.1:$INGEST_PORT
# An unknown DevEUI stays unknown for an hour in the normalizer's cache: only the registry-change
# notice can make a device registered later visible, so the suite proves that it works.
export MUE_INGEST_PUBLISH_TIMEOUT_MS=1500 MUE_NORMALIZER_UNKNOWN_TTL_S=3600
export MUE_LOG_LEVEL=info
# A sanitizer build reports leaks at exit: make that fail the clean-shutdown check.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
URL=http://127.0.0.1:$INGEST_PORT

# The suite's own servers: fsync off only makes the throw-away cluster faster.
MUE_PG_FSYNC=off pg_start "$T/pg" "$PG_PORT" trust || exit 1
nats_start "$T/nats" "$NATS_PORT" "$NATS_MPORT" || exit 1
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE mue" || exit 1

admin() { MUE_LOG_LEVEL=warn "$BIN/mue-admin" "$@"; }

sql() { psql -X -A -t -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d mue -c "$1" 2>&1; }

# Under `make valgrind` (MUE_VALGRIND=1) each service runs in memcheck: VG prefixes its command,
# the reports go to $T/log/vg.<pid>.log and are read at the end.
VG=()
[ -n "${MUE_VALGRIND:-}" ] && VG=(valgrind --quiet --leak-check=full --show-leak-kinds=definite
    --errors-for-leak-kinds=definite --error-exitcode=97 --log-file="$T/log/vg.%p.log")

# The DSN a service connects with: its own role. mue-admin, mue-sim and the checks' psql keep the
# owner's (MUE_PG_DSN).
svc_dsn() { pg_role_dsn "$MUE_PG_DSN" "$1"; }

start_svc() {
    local svc=$1
    MUE_PG_DSN=$(svc_dsn "$svc") MUE_ADMIN_LISTEN=127.0.0.1:${ADMIN[$svc]} "${VG[@]}" "$BIN/mue-$svc" \
        >> "$T/log/$svc.log" 2>&1 &
    PID[$svc]=$!
}

healthy() { wait_healthy "http://127.0.0.1:${ADMIN[$1]}/healthz" "${2:-30}"; }

# post FILE [PATH] -> prints "STATUS BODY"
post() {
    local path=${2:-/v1/chirpstack?event=up}
    curl -sS -o "$T/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $SECRET" \
        -H 'Content-Type: application/json' --data-binary "@$1" "$URL$path" 2>/dev/null
    printf ' %s' "$(cat "$T/body" 2>/dev/null)"
}

# wait_sql QUERY EXPECTED [SECONDS]: polls until the query prints EXPECTED.
wait_sql() {
    local i got
    for i in $(seq 1 $((${3:-15} * 10))); do
        got=$(sql "$1")
        [ "$got" = "$2" ] && return 0
        sleep 0.1
    done
    echo "    query: $1" >&2
    echo "    got:   $got (expected $2)" >&2
    return 1
}

# expect_values DEV_EUI TIME "quantity=value ..." : exactly those rows at that time, values to 1e-9.
expect_values() {
    local eui=$1 time=$2 pairs=$3 q v n=0 cond=""
    for pv in $pairs; do
        q=${pv%%=*} v=${pv#*=}
        cond="$cond OR (m.quantity = '$q' AND abs(m.value - ($v)) < 1e-9)"
        n=$((n + 1))
    done
    wait_sql "SELECT count(*) FILTER (WHERE false $cond) || '/' || count(*) FROM measurement m
              JOIN device d ON d.id = m.device_id WHERE d.dev_eui = '$eui' AND m.time = '$time'" \
        "$n/$n"
}

deadletter_has() {
    local i
    for i in $(seq 1 50); do
        admin deadletter list --stage normalizer 2>/dev/null | grep -F -- "$1" | grep -q -F -- "$2" &&
            return 0
        sleep 0.1
    done
    return 1
}

echo "# servers: nats 127.0.0.1:$NATS_PORT, postgresql 127.0.0.1:$PG_PORT, logs $T/log"

# --- schema and services
if admin migrate > "$T/log/migrate.log" 2>&1; then ok "mue-admin migrate applies the schema"; else not_ok "mue-admin migrate" "$(tail -3 "$T/log/migrate.log")"; fi
if admin migrate | grep -q "applied 0 migration"; then ok "a second migrate applies nothing"; else not_ok "a second migrate applies nothing"; fi
admin device add --dev-eui 24E124710000A001 --model milesight-em310-udl --use-case waste \
    --name pav-aix-001 --lat 43.5297 --lon 5.4474 --params '{"empty_distance_m": 2.5, "full_distance_m": 0.3}' > /dev/null &&
    admin device add --dev-eui 70b3d57ba000b001 --model decentlab-dl-mbx --use-case water \
        --name touloubre-1 --params '{"sensor_height_m": 4.0}' > /dev/null &&
    ok "devices are registered with mue-admin" || not_ok "devices are registered with mue-admin"

for svc in writer normalizer ingest; do start_svc "$svc"; done
for svc in writer normalizer ingest; do
    if healthy "$svc"; then ok "mue-$svc starts and reports healthy"; else not_ok "mue-$svc starts" "$(tail -5 "$T/log/$svc.log")"; fi
done

# --- the two codecs through both network servers' webhooks
r=$(post $FIX/cs_em310.json)
[ "${r%% *}" = 202 ] && ok "ChirpStack up event is accepted (202)" || not_ok "ChirpStack up event is accepted" "$r"
expect_values 24e124710000a001 '2022-07-18T09:34:15.775023Z' \
    "battery=92 distance=2.116 tilt=1 fill_level=(2.5-2.116)/2.2*100 rssi=-36 snr=10.5 f_cnt=11" &&
    ok "EM310-UDL vendor example via ChirpStack becomes battery, distance, tilt, fill_level and health rows" ||
    not_ok "EM310-UDL via ChirpStack rows"
r=$(post $FIX/tts_dlmbx.json /v1/tts)
[ "${r%% *}" = 202 ] && ok "TTS uplink is accepted (202)" || not_ok "TTS uplink is accepted" "$r"
expect_values 70b3d57ba000b001 '2020-02-12T15:15:45.789585Z' \
    "distance=1.234 valid_samples=1 battery_voltage=2.993 water_level=4.0-1.234 rssi=-35 snr=5 f_cnt=1" &&
    ok "DL-MBX vendor example 1 via TTS becomes distance, samples, battery and water_level rows" ||
    not_ok "DL-MBX via TTS rows"
r=$(post $FIX/cs_dlmbx_battery.json)
expect_values 70b3d57ba000b001 '2022-10-03T03:17:10.42743Z' "battery_voltage=2.993 rssi=-74 snr=9.8 f_cnt=2" &&
    ok "DL-MBX vendor example 2 (battery only) via ChirpStack becomes the battery and health rows" || not_ok "DL-MBX example 2" "$r"
r=$(post $FIX/tts_em310.json /v1/tts)
expect_values 24e124710000a001 '2020-02-12T15:25:45.789585Z' \
    "battery=92 distance=2.116 tilt=1 fill_level=(2.5-2.116)/2.2*100 rssi=-35 snr=5 f_cnt=12" &&
    ok "EM310-UDL vendor example via TTS becomes rows" || not_ok "EM310-UDL via TTS" "$r"
wait_sql "SELECT value FROM latest_value l JOIN device d ON d.id = l.device_id
          WHERE d.dev_eui = '24e124710000a001' AND quantity = 'battery' AND time = '2022-07-18T09:34:15.775023Z'" 92 &&
    ok "latest_value holds the newest reading of each series" || not_ok "latest_value"

# --- replays add nothing
before=$(sql "SELECT count(*) FROM measurement")
dups=0
for f in cs_em310 tts_dlmbx cs_dlmbx_battery; do
    path=/v1/chirpstack?event=up
    [ "${f%%_*}" = tts ] && path=/v1/tts
    r=$(post "$FIX/$f.json" "$path")
    case "$r" in 202*'"duplicate":true'*) dups=$((dups + 1)) ;; esac
done
[ "$dups" = 3 ] && ok "the same webhooks posted again are answered 202 duplicate" || not_ok "replayed webhooks flagged duplicate" "$dups of 3"
r=$(post $FIX/cs_em310_same_frame_new_id.json)
sleep 1.5
after=$(sql "SELECT count(*) FROM measurement")
[ "$before" = "$after" ] && ok "replays and a re-sent frame under a new id add no row ($after rows)" ||
    not_ok "replays add no row" "$before rows before, $after after"

# --- refused input: clear reasons, counted, nothing dies
r=$(post $FIX/cs_unknown_device.json)
[ "${r%% *}" = 202 ] && deadletter_has ffffffffffff0001 '"code":"unknown_device"' &&
    ok "an unknown device's uplink ends in the dead-letter stream with its reason" ||
    not_ok "unknown device dead letter" "$r"
r=$(post $FIX/cs_garbage_payload.json)
[ "${r%% *}" = 202 ] && deadletter_has 0d2f5c1e '"code":"decode_failed"' &&
    ok "a garbage payload ends in the dead-letter stream as decode_failed" || not_ok "garbage payload dead letter" "$r"
admin deadletter list --stage normalizer | grep 0d2f5c1e | grep -q 'unknown channel' &&
    ok "the dead letter says why the payload is refused" || not_ok "dead letter reason"
r=$(post $FIX/tts_filtered_no_device.json /v1/tts)
case "$r" in 400*'"reason":"'*dev_eui*) ok "TTS webhook without device ids: 400 with a JSON reason" ;; *) not_ok "TTS without device ids" "$r" ;; esac
printf '{"deduplicationId": "x", "deviceInfo": ' > "$T/bad.json"
r=$(post "$T/bad.json")
case "$r" in 400*'"error":"bad_request"'*) ok "malformed JSON: 400 with a JSON reason" ;; *) not_ok "malformed JSON" "$r" ;; esac
head -c 70000 /dev/zero | tr '\0' ' ' > "$T/big.json"
r=$(post "$T/big.json")
case "$r" in 413*too_large*) ok "oversized body: 413" ;; *) not_ok "oversized body" "$r" ;; esac
r=$(curl -sS -w ' %{http_code}' -X POST -H "Authorization: Bearer wrong" --data-binary @$FIX/cs_em310.json "$URL/v1/chirpstack?event=up")
case "$r" in *unauthorized*401) ok "wrong secret: 401" ;; *) not_ok "wrong secret" "$r" ;; esac
r=$(curl -sS -w ' %{http_code}' -X POST --data-binary @$FIX/cs_em310.json "$URL/v1/chirpstack?event=up")
case "$r" in *unauthorized*401) ok "no secret: 401" ;; *) not_ok "no secret" "$r" ;; esac
r=$(post $FIX/cs_em310.json "/v1/chirpstack?event=integration")
case "$r" in 400*unsupported_event*) ok "an event type mue does not handle: 400 unsupported_event" ;; *) not_ok "unsupported event" "$r" ;; esac
r=$(curl -sS -w ' %{http_code}' "$URL/v1/tts")
case "$r" in *405) ok "GET on a webhook: 405" ;; *) not_ok "GET on webhook" "$r" ;; esac
r=$(curl -sS -w ' %{http_code}' -X POST -H "Authorization: Bearer $SECRET" "$URL/nope")
case "$r" in *not_found*404) ok "unknown path: 404 with a JSON reason" ;; *) not_ok "unknown path" "$r" ;; esac
alive=1
for svc in writer normalizer ingest; do
    kill -0 "${PID[$svc]}" 2>/dev/null && healthy "$svc" 2 || alive=0
done
[ "$alive" = 1 ] && ok "after all that bad input every service is alive and healthy" || not_ok "services alive after bad input"
# Read whole before grep: grep -q leaves at the first match, and curl then fails writing.
metrics_ingest=$(curl -fsS "http://127.0.0.1:${ADMIN[ingest]}/metrics")
metrics_normalizer=$(curl -fsS "http://127.0.0.1:${ADMIN[normalizer]}/metrics")
grep -q 'mue_ingest_requests_total{source="chirpstack",outcome="bad_request"} [1-9]' <<< "$metrics_ingest" &&
    grep -q 'mue_deadletter_total{stage="normalizer",code="unknown_device"} 1' <<< "$metrics_normalizer" &&
    ok "refusals are counted in /metrics" || not_ok "refusals counted"

# --- every other network server, device tokens, events besides uplinks, hostile input
. tests/integration/sources.sh

# --- the registry: imports, change notices, replay of what was refused meanwhile
r=$(admin devices import $FIX/devices.csv)
[ "$r" = "2 created, 0 updated, 0 unchanged" ] && ok "mue-admin devices import of a CSV file registers its devices" || not_ok "CSV import" "$r"
r=$(admin devices import $FIX/devices.json)
[ "$r" = "2 created, 0 updated, 0 unchanged" ] && ok "mue-admin devices import of a JSON file registers its devices" || not_ok "JSON import" "$r"
r=$(admin devices import $FIX/devices.csv)
[ "$r" = "0 created, 0 updated, 2 unchanged" ] && ok "importing the same file again changes nothing" || not_ok "import idempotent" "$r"
[ "$(sql "SELECT name || ' ' || (params->>'container_depth_m') FROM device WHERE dev_eui = '24e1247100c0ffee'")" = "PAV verre, Aix Rotonde 1.8" ] &&
    ok "CSV quoting and param.<key> columns land in the registry" || not_ok "CSV fields"
printf 'dev_eui,name,model,use_case\n24e1247100c0ffe0,ok,milesight-em310-udl,waste\n24e1247100c0ffe1,bad,milesight-em310-udl,nope\n' > "$T/bad.csv"
r=$(admin devices import "$T/bad.csv" 2>&1)
[ "$(sql "SELECT count(*) FROM device WHERE dev_eui IN ('24e1247100c0ffe0', '24e1247100c0ffe1')")" = 0 ] && case "$r" in *"entry 2"*) true ;; *) false ;; esac &&
    ok "an import with one bad entry changes nothing and names the entry" || not_ok "import all or nothing" "$r"
r=$(post $FIX/cs_late_registered.json)
deadletter_has 24e1247100c0f0f0 '"code":"unknown_device"' && ok "an uplink of a device not yet registered is dead-lettered" || not_ok "late device dead letter" "$r"
admin device add --dev-eui 24e1247100c0f0f0 --model milesight-em310-udl --use-case waste --name pav-late \
    --params '{"container_depth_m": 2.0, "sensor_offset_m": 0.3}' > /dev/null
r=$(post $FIX/cs_late_registered_next.json)
expect_values 24e1247100c0f0f0 '2026-06-01T08:15:00Z' "battery=92 distance=2.116 tilt=1 fill_level=(2.3-2.116)/2.0*100 rssi=-36 snr=10.5 f_cnt=6" &&
    ok "once registered, the device's next uplink is decoded at once (registry-change notice)" || not_ok "registry change notice" "$r"
r=$(admin replay --code unknown_device --dev-eui 24e1247100c0f0f0)
[ "$r" = "replayed 1 dead letter(s)" ] && expect_values 24e1247100c0f0f0 '2026-06-01T08:00:00Z' \
    "battery=92 distance=2.116 tilt=1 fill_level=(2.3-2.116)/2.0*100 rssi=-36 snr=10.5 f_cnt=5" &&
    ok "mue-admin replay sends the refused uplink through again and it is stored" || not_ok "replay" "$r"
[ -z "$(admin deadletter list --dev-eui 24e1247100c0f0f0)" ] && ok "a replayed dead letter leaves the list" || not_ok "replayed entry removed"
r=$(post $FIX/tts_decoded_thermo.json /v1/tts)
expect_values a81758fffe0c0ffe '2026-07-14T21:00:00.5Z' "temperature=31.4 humidity=38 rssi=-35 snr=5 f_cnt=77" &&
    ok "a model without a codec is read from the network server's decoded payload (decoded_map)" || not_ok "decoded map" "$r"

# --- mue-decode, for people commissioning sensors
r=$("$BIN/mue-decode" --model milesight-em310-udl --fport 85 --hex 01755c03824408040001 --use-case waste \
    --params '{"container_depth_m": 2.2, "sensor_offset_m": 0.3}')
case "$r" in *'"quantity": "distance"'*'"value": 2.116'*'"unit": "m"'*'"quantity": "fill_level"'*) ok "mue-decode prints quantities, values and units as JSON" ;; *) not_ok "mue-decode output" "$r" ;; esac
r=$("$BIN/mue-decode" --model decentlab-dl-mbx --fport 1 --base64 AgEvAAIL 2>&1)
rc=$?
[ "$rc" = 2 ] && case "$r" in *"rejects the payload"*) true ;; *) false ;; esac && ok "mue-decode exits 2 with a clear message on a refused payload" || not_ok "mue-decode refusal" "rc=$rc $r"
[ "$("$BIN/mue-decode" --list-models | wc -l)" -ge 2 ] && ok "mue-decode --list-models lists the codecs" || not_ok "mue-decode --list-models"

# --- C tests of common/ and of services' modules against the same servers
for t in "$B"/tests/integration/*/test_*; do
    [ -x "$t" ] || continue
    case "$t" in *.o | *.d) continue ;; esac
    [ -f "${t#"$B"/}.c" ] || continue # left over from a removed test
    MUE_TEST_NATS_URL=$MUE_NATS_URL MUE_TEST_PG_DSN="host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres" \
        "$t" > "$T/log/$(basename "$t").log" 2>&1
    rc=$?
    line=$(grep -E '^[a-z_]+: [0-9]+ passed, [0-9]+ failed$' "$T/log/$(basename "$t").log" | tail -1)
    if [ "$rc" = 0 ] && [ -n "$line" ]; then ok "$line"; else not_ok "$(basename "$t")" "${line:-exit $rc}"; grep -E 'FAIL|ERROR' "$T/log/$(basename "$t").log" | head -5; fi
done

# --- kill -9 of the writer in the middle of 10,000 uplinks: exactly 10,000 uplinks' rows
sql "INSERT INTO device (dev_eui, name, model, use_case, params)
     SELECT '24e12472' || lpad(to_hex(i), 8, '0'), 'pav-load-' || i, 'milesight-em310-udl', 'waste',
            '{\"empty_distance_m\": 2.5}' FROM generate_series(0, 99) AS i" > /dev/null
"$BIN/mue-post" --url "$URL" --secret "$SECRET" --count 10000 --devices 100 --threads 4 \
    --eui-prefix 24e12472 --run-id kill9 --start 2026-03-01T00:00:00Z > "$T/log/post.log" 2>&1 &
poster=$!
killed=0
for i in $(seq 1 300); do
    n=$(curl -fsS "http://127.0.0.1:${ADMIN[writer]}/metrics" 2>/dev/null | awk '/^mue_writer_messages_total /{print $2}')
    if [ "${n:-0}" -ge 1000 ]; then
        kill -KILL "${PID[writer]}"
        wait "${PID[writer]}" 2>/dev/null
        killed=$n
        break
    fi
    sleep 0.02
done
rows_at_kill=$(sql "SELECT count(*) FROM measurement m JOIN device d ON d.id = m.device_id WHERE d.name LIKE 'pav-load-%'")
sleep 1
start_svc writer
wait "$poster"
post_rc=$?
[ "$post_rc" = 0 ] && ok "10,000 uplinks accepted: $(cat "$T/log/post.log")" || not_ok "10,000 uplinks posted" "$(cat "$T/log/post.log")"
[ "$killed" -gt 0 ] && [ "$rows_at_kill" -lt 70000 ] &&
    ok "mue-writer was killed with -9 mid-stream (after $killed batches, $rows_at_kill of 70000 rows stored)" ||
    not_ok "writer killed mid-stream" "killed=$killed rows_at_kill=$rows_at_kill"
healthy writer && wait_sql "SELECT count(*) || ' ' || count(DISTINCT (m.device_id, m.time)) FROM measurement m
          JOIN device d ON d.id = m.device_id WHERE d.name LIKE 'pav-load-%'" "70000 10000" 60 &&
    ok "after the restart: exactly 10,000 uplinks' rows (70,000: 4 measured, 3 of health), none twice" || not_ok "exactly 10,000 uplinks' rows after kill -9"

# --- the bus goes away: 503, then service resumes when it is back
nats_stop "$T/nats"
r=$(post $FIX/cs_em310.json)
case "$r" in 503*bus_unavailable*) ok "nats-server down: the webhook is answered 503 (the network server retries)" ;; *) not_ok "503 while the bus is down" "$r" ;; esac
nats_start "$T/nats" "$NATS_PORT" "$NATS_MPORT" || not_ok "nats-server restarts"
sed -e 's/"fCnt": 11/"fCnt": 21/' -e 's/3ac7e3c4-4401/3ac7e3c4-4402/' -e 's/2022-07-18T09:34:15/2022-07-18T11:34:15/' $FIX/cs_em310.json > "$T/after.json"
r=""
for i in $(seq 1 50); do
    r=$(post "$T/after.json")
    [ "${r%% *}" = 202 ] && break
    sleep 0.2
done
[ "${r%% *}" = 202 ] && expect_values 24e124710000a001 '2022-07-18T11:34:15.775023Z' \
    "battery=92 distance=2.116 tilt=1 fill_level=(2.5-2.116)/2.2*100 rssi=-36 snr=10.5 f_cnt=21" &&
    ok "after nats-server restarts, uplinks flow through all three services again" || not_ok "flow after nats restart" "$r"

# --- PostgreSQL stopped for 20 s in the middle of a stream: every measurement stored once
"$BIN/mue-post" --url "$URL" --secret "$SECRET" --count 3000 --devices 100 --threads 2 --rate 100 \
    --eui-prefix 24e12472 --run-id pgdown --start 2026-04-01T00:00:00Z > "$T/log/post-pgdown.log" 2>&1 &
poster=$!
before=$(curl -fsS "http://127.0.0.1:${ADMIN[writer]}/metrics" | awk '/^mue_writer_messages_total /{print $2}')
for i in $(seq 1 200); do
    n=$(curl -fsS "http://127.0.0.1:${ADMIN[writer]}/metrics" 2>/dev/null | awk '/^mue_writer_messages_total /{print $2}')
    [ "$((${n:-0} - ${before:-0}))" -ge 300 ] && break
    sleep 0.05
done
pg_stop "$T/pg"
down_at=$(sql "SELECT 1" > /dev/null 2>&1 && echo up || echo down)
sleep 20
MUE_PG_FSYNC=off pg_start "$T/pg" "$PG_PORT" trust || not_ok "PostgreSQL restarts"
wait "$poster"
post_rc=$?
[ "$down_at" = down ] && [ "$post_rc" = 0 ] && ok "PostgreSQL stopped for 20 s mid-stream while ingest kept accepting ($(cat "$T/log/post-pgdown.log"))" ||
    not_ok "PostgreSQL outage mid-stream" "db was $down_at; $(cat "$T/log/post-pgdown.log")"
wait_sql "SELECT count(*) || ' ' || count(DISTINCT (m.device_id, m.time)) FROM measurement m
          JOIN device d ON d.id = m.device_id
          WHERE d.name LIKE 'pav-load-%' AND m.time >= '2026-04-01' AND m.time < '2026-05-01'" "21000 3000" 90 &&
    ok "after PostgreSQL is back: every one of the 3,000 uplinks stored once (21,000 rows)" || not_ok "every measurement stored once after the outage"
r=$(curl -fsS "http://127.0.0.1:${ADMIN[writer]}/metrics" | awk '/^mue_writer_retries_total /{print $2}')
[ "${r:-0}" -gt 0 ] && ok "the writer retried while the database was away ($r retries) and kept its messages" || not_ok "writer retries counted" "$r"
alive=1
for svc in writer normalizer ingest; do
    kill -0 "${PID[$svc]}" 2>/dev/null && healthy "$svc" 10 || alive=0
done
[ "$alive" = 1 ] && ok "no service died while the database was away; all are healthy again" || not_ok "services alive after the outage"
wait_sql "SELECT count(*) FROM (SELECT device_id, quantity, date_trunc('hour', time) h, count(*) c, sum(value::text::numeric) s
          FROM measurement GROUP BY 1, 2, 3 EXCEPT SELECT device_id, quantity, hour, count, sum FROM rollup_hour) x" 0 10 &&
    ok "hourly rollups equal a recomputation from the raw rows after all of the above" || not_ok "rollups equal recomputation"

# --- retention: a use case's old raw partitions are dropped whole; rollups stay
r=$(admin retention --use-case water --days 365)
case "$r" in *"water      365 days"*) ok "mue-admin retention sets how long a use case keeps raw rows" ;; *) not_ok "retention set" "$r" ;; esac
before=$(sql "SELECT count(*) FROM rollup_day r JOIN device d ON d.id = r.device_id WHERE d.use_case = 'water'")
dropped=$(sql "SELECT mue_drop_expired_measurements()")
[ "$dropped" -ge 2 ] && [ "$(sql "SELECT to_regclass('measurement_2020_02_water') IS NULL AND to_regclass('measurement_2022_10_water') IS NULL")" = t ] &&
    [ "$(sql "SELECT to_regclass('measurement_2022_07_waste') IS NOT NULL")" = t ] &&
    [ "$(sql "SELECT count(*) FROM rollup_day r JOIN device d ON d.id = r.device_id WHERE d.use_case = 'water'")" = "$before" ] &&
    ok "expired water partitions are dropped ($dropped), waste ones and all rollups kept" || not_ok "retention drops partitions" "dropped=$dropped"
admin retention --use-case water --keep > /dev/null

# --- downlinks: mue-admin asks, mue-ingest's forwarder answers (here no network API is configured,
# so the request must end FAILED and be counted; this also runs after the nats-server restart above)
r=$(admin downlink send 24E124710000A001 --port 85 --hex 01ff --ttl-s 600)
case "$r" in admin:24e124710000a001:[0-9]*) ok "mue-admin downlink send publishes a request and prints its id" ;; *) not_ok "mue-admin downlink send" "$r" ;; esac
n=""
for i in $(seq 1 50); do
    n=$(curl -fsS "http://127.0.0.1:${ADMIN[ingest]}/metrics" 2>/dev/null |
        awk '/^mue_ingest_downlinks_total\{network="chirpstack",outcome="failed"\} /{print $2}')
    [ "${n:-0}" -ge 1 ] && break
    sleep 0.1
done
[ "${n:-0}" = 1 ] && grep -q 'event=downlink.failed id=admin:24e124710000a001:.*MUE_CHIRPSTACK_API_URL' "$T/log/ingest.log" &&
    ok "mue-ingest's forwarder takes it and fails it with a reason: no ChirpStack API configured" ||
    not_ok "forwarder fails an unconfigured network's downlink" "failed=$n"
r=$(admin downlink send ffffffffffff0001 --port 1 --hex 00 2>&1)
rc=$?
[ "$rc" = 1 ] && case "$r" in *"not registered"*) true ;; *) false ;; esac &&
    ok "a downlink to an unregistered device is refused by mue-admin" || not_ok "downlink to unknown device" "rc=$rc $r"

# --- the simulated metropolis: fleet, back-fill, ledgers, clocks
. tests/integration/sim.sh

# --- mue-lighting, for the API's lighting routes and lighting.sh (fast clocks for the tests)
ADMIN[lighting]=$(free_port)
MUE_LIGHTING_TICK_S=2 MUE_LIGHTING_ACK_WAIT_S=20 MUE_LIGHTING_RETRY_S=1 start_svc lighting
healthy lighting && ok "mue-lighting starts and is healthy" || not_ok "mue-lighting starts" "$(tail -3 "$T/log/lighting.log")"

# --- the API over that data: roles, catalog, latest values, series, OpenAPI
. tests/integration/api.sh
. tests/integration/limits.sh

# --- the alert engine: rules, lifecycle, notifications, over the same data
. tests/integration/alerts.sh

# --- downlinks through both network servers' APIs and back
. tests/integration/downlinks.sh

# --- street lighting: schedules compiled to the lamps, followed to acknowledged
. tests/integration/lighting.sh

# --- open data: exports, catalogue, CKAN push, restricted datasets, a killed run
. tests/integration/opendata.sh

. tests/integration/web.sh

# --- least privilege: each service ran as its own role, was never refused, and is refused the rest
. tests/integration/roles.sh

# --- SIGTERM: each service finishes and exits 0 (a sanitizer build also proves no leak)
for svc in alerts lighting opendata api ingest normalizer writer; do
    [ -n "${PID[$svc]:-}" ] || continue
    kill -TERM "${PID[$svc]}"
    wait "${PID[$svc]}"
    rc=$?
    unset "PID[$svc]"
    [ "$rc" = 0 ] && ok "mue-$svc stops on SIGTERM with status 0" || not_ok "mue-$svc stops on SIGTERM" "status $rc; $(tail -3 "$T/log/$svc.log")"
done
if grep -l -E 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$T"/log/*.log > /dev/null 2>&1; then
    not_ok "no sanitizer report in the services' logs" "$(grep -l -E 'Sanitizer|runtime error' "$T"/log/*.log)"
else
    ok "no sanitizer report in the services' logs"
fi
# Secrets never logged: no webhook secret or API key of this run is in any service's log.
leaked=""
for v in SECRET LO_SECRET HOOK_SECRET KEY_ADMIN KEY_DIRECTORATE KEY_DIR_LIGHT KEY_OPERATOR KEY_PARTNER KEY_REVOKED; do
    val=${!v:-}
    [ "${#val}" -ge 12 ] || { leaked="$leaked $v(unset)"; continue; }
    for f in "$T"/log/{ingest,normalizer,writer,alerts,lighting,api,opendata}*.log; do
        [ -f "$f" ] && grep -qF -- "$val" "$f" && leaked="$leaked $v:$(basename "$f")"
    done
done
[ -z "$leaked" ] && ok "no webhook secret or API key of the run appears in the services' logs" ||
    not_ok "secrets in the logs" "$leaked"
if [ -n "${MUE_VALGRIND:-}" ]; then
    # --quiet: a clean process leaves an empty report.
    reports=$(find "$T/log" -name 'vg.*.log' -size +0 | sort)
    [ -z "$reports" ] && ok "valgrind: no memory error and no definite leak in any service ($(ls "$T"/log/vg.*.log | wc -l) processes)" ||
        not_ok "valgrind reports" "$(for f in $reports; do echo "$f:"; head -20 "$f"; done)"
fi

echo "integration: $passed passed, $failed failed"
[ "$failed" = 0 ]
