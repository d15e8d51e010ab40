# downlinks.sh - sourced by run.sh: downlinks from mue-admin through mue-ingest's forwarder to a
# stand-in for ChirpStack's and The Things Stack's APIs, whose events come back to the webhooks
# and are traced to the request (ChirpStack by queue item id, TTS by correlation id).

FAKE_PORT=$(free_port)
FAKE_TOKEN=$(random_secret)
"$BIN/mue-fake-netserver" --listen "127.0.0.1:$FAKE_PORT" --token "$FAKE_TOKEN" --ingest "$URL" \
    --secret "$SECRET" --delay-ms 300 > "$T/log/fake-netserver.log" 2>&1 &
PID[fake]=$!

# The ingest again, now with both network servers' APIs configured.
kill -TERM "${PID[ingest]}" && wait "${PID[ingest]}"
MUE_CHIRPSTACK_API_URL=http://127.0.0.1:$FAKE_PORT MUE_CHIRPSTACK_API_TOKEN=$FAKE_TOKEN \
    MUE_TTS_API_URL=http://127.0.0.1:$FAKE_PORT MUE_TTS_API_KEY=$FAKE_TOKEN \
    MUE_TTS_APPLICATION_ID=pav-amp start_svc ingest
healthy ingest || not_ok "mue-ingest restarts with the network APIs configured" "$(tail -3 "$T/log/ingest.log")"

# states ID -> the states of the downlink's history, in order, space-separated
states() {
    admin downlink list --id "$1" | sed -n 's/.*"state":"\([a-z_]*\)".*/\1/p' | tr '\n' ' '
}

# wait_states ID EXPECTED: polls until the history reads EXPECTED (order of arrival).
wait_states() {
    local i got
    for i in $(seq 1 100); do
        got=$(states "$1")
        [ "$got" = "$2" ] && return 0
        sleep 0.1
    done
    echo "    states of $1: '$got' (expected '$2')" >&2
    return 1
}

id=$(admin downlink send 24E124710000A001 --port 85 --hex ff10 --confirmed --ttl-s 600)
wait_states "$id" "queued sent acknowledged " &&
    grep -q "\"api\":\"chirpstack\".*\"data\":\"/xA=\".*\"fPort\":85" "$T/log/fake-netserver.log" &&
    ok "a ChirpStack downlink is queued through its REST API, then sent and acknowledged, all traced to its id" ||
    not_ok "ChirpStack downlink end to end" "$(admin downlink list --id "$id" | tail -3)"
admin downlink list --id "$id" | grep '"state":"queued"' | grep -q '"network_ref":"[0-9a-f-]\{36\}"' &&
    admin downlink list --id "$id" | grep '"state":"sent"' | grep -q '"source":"chirpstack:txack"' &&
    ok "the statuses name their source and ChirpStack's queue item id" || not_ok "status sources and references"

admin device add --dev-eui 70B3D57ED0000C01 --model nas-ul20xx --use-case lighting --name lamp-tts-1 \
    --network tts > /dev/null || not_ok "TTS lamp registered"
id=$(admin downlink send 70b3d57ed0000c01 --port 50 --hex 0102 --confirmed)
wait_states "$id" "queued queued sent acknowledged " &&
    grep -q '"api":"tts","application_id":"pav-amp","device_id":"eui-70b3d57ed0000c01"' "$T/log/fake-netserver.log" &&
    ok "a TTS downlink is pushed to its application's webhook, then queued, sent and acknowledged by TTS's events" ||
    not_ok "TTS downlink end to end" "$(admin downlink list --id "$id" | tail -4)"
kill -TERM "${PID[fake]}" && wait "${PID[fake]}"
unset "PID[fake]"
