# limits.sh - sourced by run.sh once mue-ingest and mue-api run (after api.sh): every limit on
# what a client sends, at each place input enters (docs/limits.md). Each is shown twice: just
# over it, refused with its status, a JSON reason and a counter; just under it, served. The slow
# clients (tests/integration/limits/slow_client.py) run side by side to keep the wait short.

lim_slow=(python3 tests/integration/limits/slow_client.py)

# lim_counted METRICS_TEXT REASON: the counter mue_http_refused_total{reason=REASON} of a
# /metrics text, 0 when absent.
lim_counted() {
    awk -v k="mue_http_refused_total{reason=\"$2\"}" '$1 == k {print $2; f=1} END {if (!f) print 0}' <<< "$1"
}

# lim_req URL N KEY [CURL ARGS...]: a request with exactly N header fields besides Host and
# Authorization (curl's own are taken out); prints "STATUS BODY".
lim_req() {
    local url=$1 n=$2 key=$3 h=() i
    shift 3
    for i in $(seq 1 "$n"); do h+=(-H "X-Filler-$i: $i"); done
    curl -sS -o "$T/lim_body" -w '%{http_code}' -H 'User-Agent:' -H 'Accept:' -H 'Expect:' \
        -H "Authorization: Bearer $key" "${h[@]}" "$@" "$url" 2> /dev/null
    printf ' %s' "$(tr -d '\n' < "$T/lim_body" 2> /dev/null)"
}

# in_range VALUE LOW HIGH: LOW <= VALUE < HIGH, for seconds with decimals ("-" is never). The
# slow client times from before it connects, so it never sees a cut sooner than the server's
# timeout: the lower bounds are the limits themselves.
in_range() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "-" && v + 0 >= lo && v + 0 < hi) }'; }

# --- the slow clients against mue-ingest, its defaults: 10 s for a head or a body, 15 s idle
"${lim_slow[@]}" "$INGEST_PORT" head /v1/tts 0.3 > "$T/lim_slow_head" 2>&1 &
lim_p1=$!
SLOW_HEADERS="Authorization: Bearer $SECRET" "${lim_slow[@]}" "$INGEST_PORT" body /v1/tts 0.5 200 8000 > "$T/lim_slow_body" 2>&1 &
lim_p2=$!
SLOW_HEADERS="Authorization: Bearer $SECRET" "${lim_slow[@]}" "$INGEST_PORT" body /v1/tts 30 100 8000 > "$T/lim_stalled_body" 2>&1 &
lim_p3=$!
"${lim_slow[@]}" "$INGEST_PORT" idle /v1/tts > "$T/lim_idle" 2>&1 &
lim_p4=$!
"${lim_slow[@]}" "$INGEST_PORT" head /v1/tts 0.25 8 > "$T/lim_slow_ok" 2>&1 &
lim_p5=$!
SLOW_HEADERS="Authorization: Bearer $SECRET" "${lim_slow[@]}" "$INGEST_PORT" body /v1/tts 0.5 500 2000 > "$T/lim_slow_body_ok" 2>&1 &
lim_p6=$!
"${lim_slow[@]}" "${ADMIN[ingest]}" head /healthz 0.3 > "$T/lim_admin_head" 2>&1 &
lim_p7=$!
sleep 0.5
r=$(curl -sS -w ' %{http_code}' "http://127.0.0.1:${ADMIN[ingest]}/healthz")
case "$r" in *'"status":"ok"'*200) ok "admin port: /healthz answers while a slow client holds one of its two threads" ;;
*) not_ok "admin port while a slow client waits" "$r" ;; esac

# --- mue-ingest: body size, header count and size, JSON depth (while the slow clients wait)
lim_metrics0=$(curl -fsS "http://127.0.0.1:${ADMIN[ingest]}/metrics")
{ tr -d '\n' < "$FIX/tts_em310.json"; head -c 65536 /dev/zero | tr '\0' ' '; } | head -c 65536 > "$T/lim_64k.json"
{ cat "$T/lim_64k.json"; printf ' '; } > "$T/lim_64k1.json"
r1=$(post "$T/lim_64k.json" /v1/tts)
r2=$(post "$T/lim_64k1.json" /v1/tts)
[ "$(wc -c < "$T/lim_64k.json")" = 65536 ] && [ "${r1%% *}" = 202 ] &&
    case "$r2" in "413 "*'"error":"too_large"'*MUE_INGEST_MAX_BODY*) true ;; *) false ;; esac &&
    ok "ingest: a body of exactly MUE_INGEST_MAX_BODY (65536 bytes) is accepted, one byte more is 413" ||
    not_ok "ingest body size limit" "$r1 / $r2"

# Host, Authorization, Content-Type, Content-Length and N fillers.
r1=$(lim_req "$URL/v1/tts" 44 "$SECRET" -H 'Content-Type: application/json' --data-binary "@$FIX/tts_em310.json")
r2=$(lim_req "$URL/v1/tts" 45 "$SECRET" -H 'Content-Type: application/json' --data-binary "@$FIX/tts_em310.json")
[ "${r1%% *}" = 202 ] && case "$r2" in "431 "*'"error":"too_many_headers"'*"more than 48 header fields"*) true ;; *) false ;; esac &&
    ok "ingest: 48 header fields are served, 49 are 431 with a reason (MUE_INGEST_MAX_HEADERS)" ||
    not_ok "ingest header count" "$r1 / $r2"
# civetweb keeps 64 headers and drops the rest: the secret sent 70th must not go unseen as a 401.
fill=()
for i in $(seq 1 70); do fill+=(-H "X-Filler-$i: $i"); done
r=$(curl -sS -w ' %{http_code}' -X POST "${fill[@]}" -H "Authorization: Bearer $SECRET" \
    -H 'Content-Type: application/json' --data-binary "@$FIX/tts_em310.json" "$URL/v1/tts")
case "$r" in *too_many_headers*431) ok "ingest: a request with more headers than civetweb keeps is 431, never read without its last ones" ;;
*) not_ok "ingest: headers past civetweb's 64" "$r" ;; esac

r1=$(curl -sS -w ' %{http_code}' -X POST -H "X-Big: $(head -c 15000 /dev/zero | tr '\0' a)" \
    -H "Authorization: Bearer $SECRET" --data-binary "@$FIX/tts_em310.json" "$URL/v1/tts")
r2=$(curl -sS -w ' %{http_code}' -X POST -H "X-Big: $(head -c 17000 /dev/zero | tr '\0' a)" \
    -H "Authorization: Bearer $SECRET" --data-binary "@$FIX/tts_em310.json" "$URL/v1/tts")
case "$r1" in *202) true ;; *) false ;; esac &&
    case "$r2" in *'"reason":"the request head is larger than 16384 bytes'*400) true ;; *) false ;; esac &&
    ok "ingest: a 15 KB head is served, a 17 KB one is 400 naming the 16384-byte limit (MUE_INGEST_MAX_HEADER_BYTES)" ||
    not_ok "ingest head size" "${r1: -40} / ${r2: -160}"

# A TTS uplink with one more member nested N levels below the root object.
lim_deep() {
    local i
    tr -d '\n' < "$FIX/tts_em310.json" | sed 's/}[[:space:]]*$//'
    printf ',"x":'
    for i in $(seq 1 "$1"); do printf '['; done
    for i in $(seq 1 "$1"); do printf ']'; done
    printf '}'
}
lim_deep 31 > "$T/lim_deep32.json"
lim_deep 32 > "$T/lim_deep33.json"
r1=$(post "$T/lim_deep32.json" /v1/tts)
r2=$(post "$T/lim_deep33.json" /v1/tts)
[ "${r1%% *}" = 202 ] && case "$r2" in "400 "*'JSON nested deeper than 32 levels'*) true ;; *) false ;; esac &&
    ok "ingest: a body nested 32 levels deep is accepted, 33 is 400 before decoding (MUE_INGEST_MAX_JSON_DEPTH)" ||
    not_ok "ingest JSON depth" "$r1 / $r2"

# A client that is refused before its body is read does not keep the worker while it sends it.
r=$(printf 'POST /v1/tts HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n{"a":' |
    timeout 8 curl -sS --max-time 6 -w '\n%{time_total}' telnet://127.0.0.1:"$INGEST_PORT" 2> /dev/null)
case "$r" in *"401 Unauthorized"*"Connection: close"*unauthorized*) in_range "${r##*$'\n'}" 0 3 ;; *) false ;; esac &&
    ok "ingest: a refused request announcing a gigabyte is answered 401 and its connection closed at once" ||
    not_ok "ingest: refused body left unread" "$(tr '\r\n' '  ' <<< "$r")"

# --- the slow clients' fate
wait "$lim_p1" "$lim_p2" "$lim_p3" "$lim_p4" "$lim_p5" "$lim_p6" "$lim_p7"
read -r a c s b < "$T/lim_slow_head"
in_range "$a" 9.95 15 && [ "$s" = 408 ] && case "$b" in *'"error":"request_timeout"'*"within 10000 ms"*) true ;; *) false ;; esac &&
    ok "ingest: a head sent a byte every 0.3 s is cut after 10 s with 408 and a reason (MUE_INGEST_REQUEST_TIMEOUT_MS; answered at $a s)" ||
    not_ok "ingest slow head (slowloris)" "$(cat "$T/lim_slow_head")"
read -r a c s b < "$T/lim_slow_ok"
in_range "$a" 1.5 8 && [ "$s" = 405 ] && ok "ingest: a head slow but complete within the limit is served ($s at $a s)" ||
    not_ok "ingest slow head within the limit" "$(cat "$T/lim_slow_ok")"
read -r a c s b < "$T/lim_slow_body"
in_range "$a" 9.95 17 && [ "$s" = 408 ] && case "$b" in *"the body did not arrive within 10000 ms"*) true ;; *) false ;; esac &&
    ok "ingest: a body trickled without pause, 400 bytes a second, is cut at its 10 s deadline with 408 (at $a s)" ||
    not_ok "ingest trickled body" "$(cat "$T/lim_slow_body")"
read -r a c s b < "$T/lim_stalled_body"
in_range "$a" 9.95 15 && [ "$s" = 408 ] && in_range "$c" 0 "$(awk -v a="$a" 'BEGIN { print a + 3 }')" &&
    ok "ingest: a body that stops coming is 408 after 10 s of silence, and the connection closed ($a s, $c s)" ||
    not_ok "ingest stalled body" "$(cat "$T/lim_stalled_body")"
read -r a c s b < "$T/lim_slow_body_ok"
in_range "$a" 1.5 8 && [ "$s" = 400 ] && case "$b" in *"invalid JSON"*) true ;; *) false ;; esac &&
    ok "ingest: a body slow but whole within the deadline is read and judged on its content ($s at $a s)" ||
    not_ok "ingest slow body within the limit" "$(cat "$T/lim_slow_body_ok")"
read -r a c s b < "$T/lim_idle"
[ "$s" = 405 ] && in_range "$c" 14.95 21 &&
    ok "ingest: an idle kept connection is closed after 15 s (MUE_INGEST_KEEPALIVE_TIMEOUT_MS; at $c s)" ||
    not_ok "ingest keep-alive idle timeout" "$(cat "$T/lim_idle")"
read -r a c s b < "$T/lim_admin_head"
in_range "$a" 4.95 10 && [ "$s" = 408 ] &&
    ok "admin port: a slow head is cut after 5 s with 408 (at $a s)" || not_ok "admin port slow head" "$(cat "$T/lim_admin_head")"

lim_metrics=$(curl -fsS "http://127.0.0.1:${ADMIN[ingest]}/metrics")
bad=""
for want in too_many_headers:2 bad_head:1 json_too_deep:1 body_too_large:1 head_timeout:1 body_timeout:2; do
    k=${want%%:*} n=${want#*:}
    [ "$(($(lim_counted "$lim_metrics" "$k") - $(lim_counted "$lim_metrics0" "$k")))" -ge "$n" ] || bad="$bad $k"
done
[ -z "$bad" ] && grep -q '^mue_ingest_requests_total{source="tts",outcome="timeout"} [1-9]' <<< "$lim_metrics" &&
    ok "ingest: each refusal is counted in mue_http_refused_total by reason, and per source" ||
    not_ok "ingest refusals counted" "short:$bad"
healthy ingest 2 && r=$(post "$FIX/tts_em310.json" /v1/tts) && [ "${r%% *}" = 202 ] &&
    ok "ingest: after all the limits it is healthy and takes uplinks" || not_ok "ingest alive after the limits" "$r"

r=$(curl -sS -w ' %{http_code}' -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' a)" "http://127.0.0.1:${ADMIN[ingest]}/healthz")
case "$r" in *"larger than 8192 bytes"*400) ok "admin port: a head over 8192 bytes is 400 with a JSON reason" ;; *) not_ok "admin port head size" "${r: -120}" ;; esac

# --- mue-api: a second one with small limits, so that each shows quickly
LIM_PORT=$(free_port)
LIM_ADMIN=$(free_port)
LIM_API=http://127.0.0.1:$LIM_PORT
MUE_API_LISTEN=127.0.0.1:$LIM_PORT MUE_ADMIN_LISTEN=127.0.0.1:$LIM_ADMIN \
    MUE_API_REQUEST_TIMEOUT_MS=2000 MUE_API_KEEPALIVE_TIMEOUT_MS=1000 MUE_API_MAX_HEADER_BYTES=4096 \
    MUE_API_MAX_HEADERS=20 MUE_API_MAX_JSON_DEPTH=8 MUE_API_PUBLIC_RATE=1 MUE_API_PUBLIC_BURST=3 \
    "${VG[@]}" "$BIN/mue-api" >> "$T/log/api-limits.log" 2>&1 &
lim_api=$!
LIM_KEY=$(admin keys create --name test-limits --role admin 2>> "$T/log/keys.log")
if wait_healthy "http://127.0.0.1:$LIM_ADMIN/healthz" 30; then
    ok "a mue-api with small limits starts"
else
    not_ok "a mue-api with small limits starts" "$(tail -3 "$T/log/api-limits.log")"
fi
"${lim_slow[@]}" "$LIM_PORT" head /v1/usecases 0.2 > "$T/lim_api_head" 2>&1 &
lim_p1=$!
"${lim_slow[@]}" "$LIM_PORT" idle /v1/openapi.json > "$T/lim_api_idle" 2>&1 &
lim_p2=$!
lim_api_metrics0=$(curl -fsS "http://127.0.0.1:$LIM_ADMIN/metrics")

r1=$(lim_req "$LIM_API/v1/me" 18 "$LIM_KEY")
r2=$(lim_req "$LIM_API/v1/me" 19 "$LIM_KEY")
[ "${r1%% *}" = 200 ] && case "$r2" in "431 "*"more than 20 header fields"*) true ;; *) false ;; esac &&
    ok "api: 20 header fields are served, 21 are 431 with a reason (MUE_API_MAX_HEADERS)" || not_ok "api header count" "$r1 / $r2"
r1=$(lim_req "$LIM_API/v1/me" 1 "$LIM_KEY" -H "X-Big: $(head -c 3500 /dev/zero | tr '\0' a)")
r2=$(lim_req "$LIM_API/v1/me" 1 "$LIM_KEY" -H "X-Big: $(head -c 4500 /dev/zero | tr '\0' a)")
[ "${r1%% *}" = 200 ] && case "$r2" in "400 "*"larger than 4096 bytes"*) true ;; *) false ;; esac &&
    ok "api: a 3.5 KB head is served, a 4.5 KB one is 400 naming the limit (MUE_API_MAX_HEADER_BYTES=4096)" ||
    not_ok "api head size" "${r1:0:80} / $r2"

# POST /v1/devices takes JSON bodies up to 64 KiB: a body with one more member nested N deep.
lim_api_deep() {
    local i
    printf '{"x":'
    for i in $(seq 1 "$1"); do printf '['; done
    for i in $(seq 1 "$1"); do printf ']'; done
    printf '}'
}
lim_api_deep 7 > "$T/lim_api_deep8.json"
lim_api_deep 8 > "$T/lim_api_deep9.json"
r1=$(lim_req "$LIM_API/v1/devices" 0 "$LIM_KEY" -H 'Content-Type: application/json' --data-binary "@$T/lim_api_deep8.json")
r2=$(lim_req "$LIM_API/v1/devices" 0 "$LIM_KEY" -H 'Content-Type: application/json' --data-binary "@$T/lim_api_deep9.json")
case "$r1" in "400 "*deeper*) false ;; "4"*) true ;; *) false ;; esac &&
    case "$r2" in "400 "*'"error":"bad_json"'*"deeper than 8 levels"*) true ;; *) false ;; esac &&
    ok "api: a body nested 8 levels is read (and judged on its fields), 9 is 400 before decoding (MUE_API_MAX_JSON_DEPTH=8)" ||
    not_ok "api JSON depth" "$r1 / $r2"
{ printf '{"x":1}'; head -c 65529 /dev/zero | tr '\0' ' '; } > "$T/lim_api_64k.json"
{ cat "$T/lim_api_64k.json"; printf ' '; } > "$T/lim_api_64k1.json"
r1=$(lim_req "$LIM_API/v1/devices" 0 "$LIM_KEY" -H 'Content-Type: application/json' --data-binary "@$T/lim_api_64k.json")
r2=$(lim_req "$LIM_API/v1/devices" 0 "$LIM_KEY" -H 'Content-Type: application/json' --data-binary "@$T/lim_api_64k1.json")
[ "$(wc -c < "$T/lim_api_64k.json")" = 65536 ] && case "$r1" in "413 "*) false ;; "400 "*) true ;; *) false ;; esac &&
    case "$r2" in "413 "*'"error":"too_large"'*) true ;; *) false ;; esac &&
    ok "api: a body of exactly its route's 65536 bytes is read, one byte more is 413" || not_ok "api body size" "$r1 / $r2"

r=$(printf 'POST /v1/devices HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{"a":' |
    timeout 8 curl -sS --max-time 6 -w '\n%{time_total}' telnet://127.0.0.1:"$LIM_PORT" 2> /dev/null)
case "$r" in *"401 Unauthorized"*"Connection: close"*key_required*) in_range "${r##*$'\n'}" 0 3 ;; *) false ;; esac &&
    ok "api: a refused request announcing a gigabyte is answered 401 and its connection closed at once" ||
    not_ok "api: refused body left unread" "$(tr '\r\n' '  ' <<< "$r")"

sleep 3.1 # the requests above spent some of the public's budget: a full one again
t0=$(date +%s.%N)
codes=$(for i in $(seq 1 8); do curl -sS -o /dev/null -w '%{http_code} ' "$LIM_API/v1/usecases"; done)
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
n200=$(grep -o 200 <<< "$codes" | wc -l)
case "$codes" in "200 200 200 "*429*) [ "$n200" -le "$(awk -v s="$secs" 'BEGIN { printf "%d", 3 + s + 1 }')" ] ;; *) false ;; esac &&
    ok "api: the public's budget (burst 3, 1 a second) runs out into 429 (${codes% } in $secs s)" ||
    not_ok "api public budget" "$codes in $secs s"

# Made-up keys get the public's budget, in a bucket of their own (the public's is spent just above):
# 3 at once are looked up and refused, then the address is refused before any lookup (even with a
# good key) until it refills, a key a second; a slow machine may earn one or two more meanwhile.
t0=$(date +%s.%N)
codes=$(for i in $(seq 1 8); do curl -sS -o /dev/null -w '%{http_code} ' -H "Authorization: Bearer made-up-$i" "$LIM_API/v1/usecases"; done)
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
n401=$(grep -o 401 <<< "$codes" | wc -l)
for i in 1 2 3; do
    r=$(curl -sS -w ' %{http_code}' -H "Authorization: Bearer made-up-again-$i" "$LIM_API/v1/usecases")
    case "$r" in *429) break ;; esac
done
sleep 1.2
good=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $LIM_KEY" "$LIM_API/v1/usecases")
[ "${codes:0:12}" = "401 401 401 " ] && case "$codes" in *429*) true ;; *) false ;; esac &&
    [ "$n401" -le "$(awk -v s="$secs" 'BEGIN { printf "%d", 3 + s + 1 }')" ] &&
    case "$r" in *"too many unknown API keys"*429) true ;; *) false ;; esac && [ "$good" = 200 ] &&
    ok "api: made-up keys cannot dodge the budget: 3 refused with 401, then 429 before any lookup (${codes% } in $secs s); a good key passes once it refills" ||
    not_ok "api made-up keys" "codes: $codes in $secs s; then: $r; good key after 1.2 s: $good"

wait "$lim_p1" "$lim_p2"
read -r a c s b < "$T/lim_api_head"
in_range "$a" 1.95 6 && [ "$s" = 408 ] && case "$b" in *"within 2000 ms"*) true ;; *) false ;; esac &&
    ok "api: a head sent a byte every 0.2 s is cut after 2 s with 408 (MUE_API_REQUEST_TIMEOUT_MS=2000; at $a s)" ||
    not_ok "api slow head (slowloris)" "$(cat "$T/lim_api_head")"
read -r a c s b < "$T/lim_api_idle"
[ "$s" = 200 ] && in_range "$c" 0.95 4 &&
    ok "api: an idle kept connection is closed after 1 s (MUE_API_KEEPALIVE_TIMEOUT_MS=1000; at $c s)" ||
    not_ok "api keep-alive idle timeout" "$(cat "$T/lim_api_idle")"

lim_metrics=$(curl -fsS "http://127.0.0.1:$LIM_ADMIN/metrics")
bad=""
for want in too_many_headers:1 bad_head:1 json_too_deep:1 body_too_large:1 head_timeout:1 rate_limited:1 bad_keys:1; do
    k=${want%%:*} n=${want#*:}
    [ "$(($(lim_counted "$lim_metrics" "$k") - $(lim_counted "$lim_api_metrics0" "$k")))" -ge "$n" ] || bad="$bad $k"
done
[ -z "$bad" ] && ok "api: each refusal is counted in mue_http_refused_total by reason" || not_ok "api refusals counted" "short:$bad"
kill -TERM "$lim_api"
wait "$lim_api"
rc=$?
[ "$rc" = 0 ] && ok "the mue-api with small limits stops on SIGTERM with status 0" || not_ok "limits mue-api stops" "status $rc"
