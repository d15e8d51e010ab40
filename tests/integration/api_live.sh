# api_live.sh - GET /v1/live (sourced by api.sh): an uplink posted to the ingest reaches a
# device's and a use case's Server-Sent Events, decoded; scope, parameters, and
# a client that goes away.

# live_get PATH [KEY]: "STATUS BODY" like api_get, but never waits on a stream that opens.
live_get() {
    local auth=()
    [ -n "${2:-}" ] && auth=(-H "Authorization: Bearer $2")
    curl -sS -m 3 -o "$T/live_body" -w '%{http_code}' "${auth[@]}" "$API$1" 2>/dev/null
    printf ' %s' "$(tr -d '\n' < "$T/live_body" 2>/dev/null)"
}

# live_uplink EUI FCNT: posts the fixture's EM310 report (distance 2116 mm) for EUI, timed now.
live_uplink() {
    sed -e "s/\"devEui\": \"[0-9a-f]*\"/\"devEui\": \"$1\"/" \
        -e "s/\"fCnt\": [0-9]*/\"fCnt\": $2/" \
        -e "s/\"time\": \"[^\"]*\"/\"time\": \"$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)\"/" \
        -e "s/\"deduplicationId\": \"[^\"]*\"/\"deduplicationId\": \"$(cat /proc/sys/kernel/random/uuid)\"/" \
        "$FIX/cs_em310.json" > "$T/live_uplink.json"
    post "$T/live_uplink.json"
}

# wait_file FILE TEXT TENTHS: polls until FILE holds TEXT.
wait_file() {
    local i
    for i in $(seq 1 "$3"); do
        grep -q -F -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

live_eui=$(sql "SELECT dev_eui FROM device WHERE use_case = 'waste' AND model = 'milesight-em310-udl'
                AND network = 'chirpstack' AND active ORDER BY dev_eui LIMIT 1")
noise_eui=$(sql "SELECT dev_eui FROM device WHERE use_case = 'noise' AND active ORDER BY dev_eui LIMIT 1")
opened=$(grep -c 'api.live_open' "$T/log/api.log")

# Two streams at once: the device's (admin) and its use case's (the directorate of waste).
: > "$T/live_dev.txt"
: > "$T/live_uc.txt"
curl -sS -N -m 60 -H "Authorization: Bearer $KEY_ADMIN" -D "$T/live_headers.txt" \
    "$API/v1/live?dev_eui=$live_eui" > "$T/live_dev.txt" 2>/dev/null &
live_dev=$!
curl -sS -N -m 60 -H "Authorization: Bearer $KEY_DIRECTORATE" \
    "$API/v1/live?use_case=waste" > "$T/live_uc.txt" 2>/dev/null &
live_uc=$!
if wait_file "$T/live_dev.txt" ':' 50 && wait_file "$T/live_uc.txt" ':' 50; then
    t0=$(date +%s%N)
    r=$(live_uplink "$live_eui" 64001)
    wait_file "$T/live_dev.txt" 'event: measurement' 30
    ms=$((($(date +%s%N) - t0) / 1000000))
    wait_file "$T/live_uc.txt" "\"dev_eui\":\"$live_eui\"" 30
    data=$(grep -m1 '^data: ' "$T/live_dev.txt")
    case "$r" in 202*) ;; *) data="uplink not taken: $r" ;; esac
    case "$data" in
        "data: {\"dev_eui\":\"$live_eui\","*'"use_case":"waste"'*'"distance":2.116'*'"fill_level":'*)
            # The delay is shown, not asserted: speed is the benchmarks' business (bench/).
            ok "SSE delivers a measurement posted to the ingest (in ${ms} ms), decoded" ;;
        *) not_ok "SSE delivers a measurement posted to the ingest" "$data; $(tr '\n' ' ' < "$T/live_dev.txt")" ;;
    esac
    grep -q "\"dev_eui\":\"$live_eui\".*\"distance\":2.116" "$T/live_uc.txt" &&
        ok "the use case's stream carries it too, for a directorate of that use case" ||
        not_ok "use case stream" "$(tr '\n' ' ' < "$T/live_uc.txt")"
    h=$(tr -d '\r' < "$T/live_headers.txt")
    case "$h" in
        *"200"*"Content-Type: text/event-stream"*) case "$h" in
            *"Cache-Control: no-store"*) case "$h" in
                *"X-Accel-Buffering: no"*) ok "a live stream is text/event-stream, no-store, unbuffered" ;;
                *) not_ok "X-Accel-Buffering" "$h" ;; esac ;;
            *) not_ok "Cache-Control of a stream" "$h" ;; esac ;;
        *) not_ok "headers of a live stream" "$h" ;;
    esac
else
    not_ok "live streams open" "$(tr '\n' ' ' < "$T/live_dev.txt"; tail -3 "$T/log/api.log")"
fi

# The clients go away: the next writes fail and the streams end; the API serves on.
kill "$live_dev" "$live_uc" 2>/dev/null
wait "$live_dev" "$live_uc" 2>/dev/null
live_uplink "$live_eui" 64002 > /dev/null
sleep 0.3
live_uplink "$live_eui" 64003 > /dev/null
closed=0
for i in $(seq 1 200); do
    closed=$(grep -c 'api.live_closed' "$T/log/api.log")
    [ "$closed" -ge $((opened + 2)) ] && break
    sleep 0.1
done
r=$(live_get /v1/me "$KEY_ADMIN")
[ "$closed" -ge $((opened + 2)) ] && [ "${r%% *}" = 200 ] &&
    ok "live streams end when their clients go away; the API still answers" ||
    not_ok "streams end with their clients" "$closed closed of $((opened + 2)); $r"

r=$(live_get "/v1/live?dev_eui=$noise_eui" "$KEY_DIRECTORATE")
case "$r" in 404*not_found*) ok "a directorate cannot follow a device out of its use cases (404)" ;; *) not_ok "live out of scope" "$r" ;; esac
r=$(live_get "/v1/live?use_case=waste" "$KEY_PARTNER")
case "$r" in 404*not_found*) ok "a partner cannot follow a use case where it has no device (404)" ;; *) not_ok "live of a partner" "$r" ;; esac
r=$(curl -sS -N -m 1 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY_PARTNER" "$API/v1/live?use_case=heat" 2>/dev/null)
[ "$r" = 200 ] && ok "a partner follows a use case where it has devices (its own only)" || not_ok "live of a partner's use case" "$r"
r=$(live_get "/v1/live?use_case=nosuchcase" "$KEY_ADMIN")
r2=$(live_get "/v1/live?dev_eui=ffffffffffffff01" "$KEY_ADMIN")
case "$r $r2" in "404 "*"404 "*) ok "live: an unknown use case or device is 404" ;; *) not_ok "live of unknown things" "$r; $r2" ;; esac
r=$(live_get "/v1/live" "$KEY_ADMIN")
r2=$(live_get "/v1/live?use_case=waste&dev_eui=$live_eui" "$KEY_ADMIN")
r3=$(live_get "/v1/live?dev_eui=xyz" "$KEY_ADMIN")
case "$r" in 400*use_case*dev_eui*) case "$r2" in 400*use_case*dev_eui*) case "$r3" in 400*DevEUI*)
    ok "live: 400 with a reason for neither, both, or a bad DevEUI" ;;
    *) not_ok "live with a bad DevEUI" "$r3" ;; esac ;; *) not_ok "live with both" "$r2" ;; esac ;;
    *) not_ok "live with neither" "$r" ;;
esac
