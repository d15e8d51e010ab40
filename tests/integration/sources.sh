# sources.sh - sourced by run.sh while the services run: every network server's shape end to end,
# device tokens for SenML, the network servers' non-uplink events, and hostile input.

# post_as SECRET FILE PATH [CONTENT_TYPE] -> prints "STATUS BODY"
post_as() {
    curl -sS -o "$T/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $1" \
        -H "Content-Type: ${4:-application/json}" --data-binary "@$2" "$URL$3" 2>/dev/null
    printf ' %s' "$(cat "$T/body" 2>/dev/null)"
}

metric() {
    curl -fsS "http://127.0.0.1:${ADMIN[$1]}/metrics" | awk -v k="$2" '$1 == k {print $2}'
}

# --- ThingPark and Live Objects: a registered device's frames become rows
admin device add --dev-eui 24E1247100000A02 --model milesight-em310-udl --use-case waste \
    --name pav-thingpark --network thingpark --params '{"empty_distance_m": 2.5, "full_distance_m": 0.3}' > /dev/null &&
    admin device add --dev-eui 24E1247100000A04 --model milesight-em310-udl --use-case waste \
        --name pav-liveobjects --network liveobjects --params '{"empty_distance_m": 2.5, "full_distance_m": 0.3}' > /dev/null ||
    not_ok "ThingPark and Live Objects devices registered"
r=$(post $FIX/thingpark_em310_strings.json /v1/thingpark)
[ "${r%% *}" = 202 ] && expect_values 24e1247100000a02 '2024-03-05T09:12:01.123Z' \
    "battery=92 distance=2.116 tilt=1 fill_level=(2.5-2.116)/2.2*100 rssi=-98 snr=7.25 f_cnt=7" &&
    ok "ThingPark DevEUI_uplink with string-typed numbers becomes rows (time from its +01:00 offset)" ||
    not_ok "ThingPark uplink, strings" "$r"
r=$(post $FIX/thingpark_em310_numbers.json /v1/thingpark)
[ "${r%% *}" = 202 ] && expect_values 24e1247100000a02 '2024-03-05T09:22:01.123Z' \
    "battery=92 distance=2.116 tilt=1 fill_level=(2.5-2.116)/2.2*100 rssi=-99 snr=6.75 f_cnt=8" &&
    ok "ThingPark DevEUI_uplink with numeric fields becomes rows" || not_ok "ThingPark uplink, numbers" "$r"
r=$(post $FIX/thingpark_em310_numbers.json /v1/thingpark)
case "$r" in 202*'"duplicate":true'*) ok "a ThingPark uplink posted again is a duplicate (DevEUI + FCntUp + Time)" ;; *) not_ok "ThingPark duplicate" "$r" ;; esac
r=$(post $FIX/liveobjects_em310.json /v1/liveobjects)
case "$r" in 401*unauthorized*) ok "Live Objects has its own secret: the shared one is refused (401)" ;; *) not_ok "Live Objects own secret" "$r" ;; esac
r=$(post_as "$LO_SECRET" $FIX/liveobjects_em310.json /v1/liveobjects)
[ "${r%% *}" = 202 ] && expect_values 24e1247100000a04 '2024-03-05T09:20:00Z' \
    "battery=92 distance=2.116 tilt=1 fill_level=(2.5-2.116)/2.2*100 rssi=-101 snr=6.5 f_cnt=21" &&
    ok "Orange Live Objects LoRa message becomes rows" || not_ok "Live Objects uplink" "$r"

# --- ChirpStack's Protobuf marshaler: the same uplinks in binary become the same rows
sql "INSERT INTO device (dev_eui, name, model, use_case, params)
     SELECT '24e12473' || lpad(to_hex(i), 8, '0'), 'pav-pb-' || i, 'milesight-em310-udl', 'waste',
            '{\"empty_distance_m\": 2.5}' FROM generate_series(0, 1) AS i" > /dev/null
r=$("$BIN/mue-post" --url "$URL" --secret "$SECRET" --count 20 --devices 2 --threads 1 --protobuf \
    --eui-prefix 24e12473 --run-id pb --start 2026-05-01T00:00:00Z 2>&1)
case "$r" in *"accepted 20 "*) true ;; *) false ;; esac &&
    wait_sql "SELECT count(*) || ' ' || count(DISTINCT (m.device_id, m.time)) FROM measurement m
              JOIN device d ON d.id = m.device_id WHERE d.name LIKE 'pav-pb-%'" "140 20" &&
    ok "20 uplinks in ChirpStack's Protobuf marshaling become 20 uplinks' rows" || not_ok "Protobuf uplinks" "$r"

# --- ChirpStack's other events
r=$(post $FIX/cs_status.json "/v1/chirpstack?event=status")
case "$r" in 202*'"kind":"device_event"'*) true ;; *) not_ok "ChirpStack status event accepted" "$r" ;; esac
expect_values 24e124710000a001 '2024-03-05T09:30:00Z' "battery=87.5 link_margin=7" &&
    ok "a ChirpStack status event becomes the device's battery and link margin rows" || not_ok "status event rows" "$r"
r=$(post $FIX/cs_join.json "/v1/chirpstack?event=join")
case "$r" in 202*'"kind":"device_event"'*'"id":"cs:join:'*) ok "a ChirpStack join event is stored as a device event" ;; *) not_ok "ChirpStack join" "$r" ;; esac
untraced=$(metric ingest mue_ingest_downlink_events_untraced_total)
r=$(post $FIX/cs_txack_unknown.json "/v1/chirpstack?event=txack")
case "$r" in 202*'"kind":"downlink_status"'*) true ;; *) false ;; esac &&
    [ "$(metric ingest mue_ingest_downlink_events_untraced_total)" = "$((${untraced:-0} + 1))" ] &&
    ok "a txack for a queue item mue never sent is stored, counted as untraced" || not_ok "ChirpStack txack untraced" "$r"
r=$(post $FIX/tts_downlink_queued.json /v1/tts)
case "$r" in 202*'"kind":"downlink_status"'*) ok "a TTS downlink_queued event is stored as a downlink status" ;; *) not_ok "TTS downlink_queued" "$r" ;; esac
printf '%s' '{"end_device_ids":{"device_id":"eui-24e124710000a001","application_ids":{"application_id":"pav-amp"},"dev_eui":"24E124710000A001"},
 "received_at":"2024-03-05T09:50:00Z","downlink_queue_invalidated":{"downlinks":[
 {"f_port":10,"correlation_ids":["mue:dl:it-inv-1"]},{"f_port":10,"correlation_ids":["mue:dl:it-inv-2"]}]}}' > "$T/invalidated.json"
r=$(post "$T/invalidated.json" /v1/tts)
[ "${r%% *}" = 202 ] && [ "$(admin downlink list --id it-inv-1 | grep -c '"state":"failed"')" = 1 ] &&
    [ "$(admin downlink list --id it-inv-2 | grep -c '"state":"failed"')" = 1 ] &&
    ok "a TTS downlink_queue_invalidated fails each mue downlink it lists" || not_ok "TTS queue invalidated" "$r"

# --- SenML from a device that posts itself, with its own token
admin device add --dev-eui 0004a30b001c0001 --model senml --use-case noise --name sono-direct-1 \
    --network senml > /dev/null || not_ok "SenML device registered"
token=$(admin token issue 0004a30b001c0001 2> "$T/log/token.log")
[ "${#token}" = 43 ] && ok "mue-admin token issue prints a device token once" || not_ok "token issue" "$token $(cat "$T/log/token.log")"
cat > "$T/senml.json" << 'EOF'
[{"bn":"urn:dev:mac:0004a30b001c0001:","bt":1709630000,"bu":"dB","n":"LAeq","v":61.5},
 {"n":"LAFmax","v":74.25},
 {"n":"LAeq","t":60,"v":63}]
EOF
r=$(post_as "$token" "$T/senml.json" /v1/senml application/senml+json)
[ "${r%% *}" = 202 ] && expect_values 0004a30b001c0001 '2024-03-05T09:13:20Z' "LAeq=61.5 LAFmax=74.25" &&
    expect_values 0004a30b001c0001 '2024-03-05T09:14:20Z' "LAeq=63" &&
    ok "a SenML pack resolves base name, unit and times into rows at each record's time" || not_ok "SenML pack" "$r"
printf '[{"n":"urn:dev:mac:0004a30b001c0001:LAeq","u":"dB","v":58.5}]' > "$T/senml_now.json"
r1=$(curl -sS -X POST -H "Authorization: Bearer $token" -H 'Idempotency-Key: pack-0042' --data-binary @"$T/senml_now.json" "$URL/v1/senml")
sleep 1.1
r2=$(curl -sS -X POST -H "Authorization: Bearer $token" -H 'Idempotency-Key: pack-0042' --data-binary @"$T/senml_now.json" "$URL/v1/senml")
case "$r1 $r2" in *'"id":"senml:0004a30b001c0001:key:pack-0042","duplicate":false'*'"duplicate":true'*)
    ok "a SenML pack timed on arrival, retried with its Idempotency-Key, is stored once" ;;
*) not_ok "SenML Idempotency-Key" "$r1 $r2" ;; esac
r=$(post_as "$SECRET" "$T/senml.json" /v1/senml)
case "$r" in 401*unauthorized*) ok "SenML: the network servers' secret is no device token (401)" ;; *) not_ok "SenML with shared secret" "$r" ;; esac
admin token issue 0004a30b001c0001 > /dev/null 2>&1
r=$(post_as "$token" "$T/senml.json" /v1/senml)
case "$r" in 401*unauthorized*) ok "a new token replaces the device's old one (401 for the old)" ;; *) not_ok "token replaced" "$r" ;; esac

# --- hostile input: each refused with its 4xx and a JSON reason, counted, service alive
refused() { # NAME EXPECTED_STATUS EXPECTED_WORD SECRET FILE PATH
    local r
    r=$(post_as "$4" "$5" "$6")
    case "$r" in "$2 "*'"reason":"'*"$3"*) ok "$1: $2" ;; *) not_ok "$1" "$r" ;; esac
}
bad_before=$(metric ingest 'mue_ingest_requests_total{source="tts",outcome="bad_request"}')
refused "TTS with another source's secret" 401 Bearer "$LO_SECRET" $FIX/tts_em310.json /v1/tts
head -c 300 $FIX/tts_em310.json > "$T/truncated.json"
refused "truncated TTS JSON" 400 "invalid JSON" "$SECRET" "$T/truncated.json" /v1/tts
head -c 300 $FIX/thingpark_em310_strings.json > "$T/truncated.json"
refused "truncated ThingPark JSON" 400 "invalid JSON" "$SECRET" "$T/truncated.json" /v1/thingpark
head -c 10485760 /dev/zero | tr '\0' ' ' > "$T/10mb.json"
refused "a 10 MB body" 413 MUE_INGEST_MAX_BODY "$SECRET" "$T/10mb.json" /v1/tts
{ printf '{"end_device_ids":'; for i in $(seq 1 200); do printf '['; done; for i in $(seq 1 200); do printf ']'; done; printf '}'; } > "$T/deep.json"
refused "JSON nested 200 deep" 400 "nested deeper" "$SECRET" "$T/deep.json" /v1/tts
sed 's/"f_cnt": 12/"f_cnt": "twelve"/' $FIX/tts_em310.json > "$T/types.json"
refused "a wrong type (f_cnt a word)" 400 "f_cnt" "$SECRET" "$T/types.json" /v1/tts
sed 's|"frm_payload": "AXVcA4JECAQAAQ=="|"frm_payload": "A@@@"|' $FIX/tts_em310.json > "$T/b64.json"
refused "invalid base64" 400 "frm_payload" "$SECRET" "$T/b64.json" /v1/tts
refused "an unknown ChirpStack event type" 400 "integration" "$SECRET" $FIX/cs_em310.json "/v1/chirpstack?event=integration"
printf '{"end_device_ids":{"device_id":"d","dev_eui":"24E124710000A001","application_ids":{"application_id":"a"}},"received_at":"2024-03-05T09:00:00Z","service_data":{}}' > "$T/tts_other.json"
r=$(post "$T/tts_other.json" /v1/tts)
case "$r" in 400*unsupported_event*) ok "an unknown TTS message type: 400 unsupported_event" ;; *) not_ok "TTS unknown message type" "$r" ;; esac
sed 's/"payload_hex": "01755c03824408040001"/"payload_hex": "01755c0382440804000"/' $FIX/thingpark_em310_strings.json > "$T/hex.json"
refused "odd-length ThingPark payload_hex" 400 "payload_hex" "$SECRET" "$T/hex.json" /v1/thingpark
printf '[{"n":"LAeq","v":61.5,"bad_":1}]' > "$T/senml_bad.json"
token=$(admin token issue 0004a30b001c0001 2> /dev/null)
refused "a SenML field it must understand but does not" 400 "bad_" "$token" "$T/senml_bad.json" /v1/senml
bad_after=$(metric ingest 'mue_ingest_requests_total{source="tts",outcome="bad_request"}')
[ "$((${bad_after:-0} - ${bad_before:-0}))" -ge 4 ] &&
    [ "$(metric ingest 'mue_ingest_requests_total{source="tts",outcome="too_large"}')" -ge 1 ] &&
    [ "$(metric ingest 'mue_ingest_requests_total{source="tts",outcome="unauthorized"}')" -ge 1 ] &&
    [ "$(metric ingest 'mue_ingest_requests_total{source="chirpstack",outcome="unsupported_event"}')" -ge 1 ] &&
    ok "refusals are counted per source and reason in /metrics" || not_ok "refusals counted per source" "tts bad_request $bad_before -> $bad_after"
r=$(post $FIX/tts_em310.json /v1/tts)
kill -0 "${PID[ingest]}" 2>/dev/null && healthy ingest 2 && [ "${r%% *}" = 202 ] &&
    ok "after the hostile input mue-ingest is alive and still accepts uplinks" || not_ok "ingest alive after hostile input" "$r"
