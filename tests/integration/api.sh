# api.sh - mue-api against the suite's servers (sourced by run.sh after sim.sh, so the simulated
# fleet is registered with a day of history): starts the API, makes one key per role, then runs
# the API's checks: catalog and latest values, series, roles × routes and the OpenAPI document.

API_PORT=$(free_port)
ADMIN[api]=$(free_port)
API=http://127.0.0.1:$API_PORT
# The suite calls fast and without keys: the public's budget is lifted here (tested below).
MUE_API_LISTEN=127.0.0.1:$API_PORT MUE_API_CORS_ORIGIN='https://data.example.org' \
    MUE_API_WEB_ROOT="$PWD/build/web" MUE_API_OPENDATA_ROOT="$T/opendata/public" MUE_API_PUBLIC_RATE=1000000 MUE_API_PUBLIC_BURST=1000000 start_svc api
healthy api && ok "mue-api starts and reports healthy" || not_ok "mue-api starts" "$(tail -5 "$T/log/api.log")"

# key ROLE [ARGS...]: makes a key and prints it.
key() {
    local role=$1
    shift
    admin keys create --name "test-$role" --role "$role" "$@" 2>> "$T/log/keys.log"
}
PARTNER_EUIS=$(sql "SELECT string_agg(dev_eui, ' ' ORDER BY dev_eui) FROM (SELECT dev_eui FROM device
                    WHERE use_case = 'heat' AND active ORDER BY dev_eui LIMIT 2) d")
KEY_ADMIN=$(key admin)
KEY_DIRECTORATE=$(key directorate --use-case waste,water)
KEY_OPERATOR=$(key operator)
KEY_PARTNER=$(key partner --device "${PARTNER_EUIS// /,}")
[ ${#KEY_ADMIN} -ge 43 ] && [ ${#KEY_DIRECTORATE} -ge 43 ] && [ ${#KEY_OPERATOR} -ge 43 ] &&
    [ ${#KEY_PARTNER} -ge 43 ] && ok "mue-admin keys create makes a key per role" ||
    not_ok "keys per role" "$(tail -3 "$T/log/keys.log")"

# api_get PATH [KEY]: prints "STATUS BODY" (the body on one line).
api_get() {
    local auth=()
    [ -n "${2:-}" ] && auth=(-H "Authorization: Bearer $2")
    curl -sS -o "$T/api_body" -w '%{http_code}' "${auth[@]}" "$API$1" 2>/dev/null
    printf ' %s' "$(tr -d '\n' < "$T/api_body" 2>/dev/null)"
}

r=$(api_get /v1/me "$KEY_DIRECTORATE")
case "$r" in 200*'"role":"directorate"'*waste*water*) ok "a directorate key is known as such, with its use cases" ;; *) not_ok "/v1/me of a directorate" "$r" ;; esac
r=$(curl -sS -D - -o /dev/null "$API/v1/usecases")
case "$r" in *"Access-Control-Allow-Origin: https://data.example.org"*"Cache-Control: public"*) ok "public answers carry the CORS origin and caching headers" ;; *) not_ok "CORS and caching headers" "$r" ;; esac

# The public's budget: a second API with 5 requests at once and 1 a second, asked 12 times.
LIMITED_PORT=$(free_port)
MUE_PG_DSN=$(svc_dsn api) MUE_API_LISTEN=127.0.0.1:$LIMITED_PORT MUE_ADMIN_LISTEN=127.0.0.1:$(free_port) \
    MUE_API_PUBLIC_RATE=1 MUE_API_PUBLIC_BURST=5 "${VG[@]}" "$BIN/mue-api" >> "$T/log/api-limited.log" 2>&1 &
limited=$!
for i in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$LIMITED_PORT/v1/me" -H "Authorization: Bearer $KEY_ADMIN" 2>/dev/null && break; sleep 0.1; done
t0=$(date +%s.%N)
codes=$(for i in $(seq 1 12); do curl -sS -o /dev/null -w '%{http_code} ' "http://127.0.0.1:$LIMITED_PORT/v1/usecases"; done)
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
# The refused answer's headers: a slow machine may have earned a token meanwhile, so ask again
# until the budget is spent (it is after one more request at most).
for i in 1 2 3; do
    r=$(curl -sS -D - "http://127.0.0.1:$LIMITED_PORT/v1/usecases")
    case "$r" in "HTTP/1.1 429"*) break ;; esac
done
keyed=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY_DIRECTORATE" "http://127.0.0.1:$LIMITED_PORT/v1/usecases")
# The burst of 5 goes through, then about one a second: a slow machine may earn one or two more.
n200=$(grep -o 200 <<< "$codes" | wc -l)
max200=$(awk -v s="$secs" 'BEGIN { printf "%d", 5 + s + 1 }')
[ "${codes:0:20}" = "200 200 200 200 200 " ] && [ "$n200" -le "$max200" ] && [ "$n200" -lt 12 ] &&
    case "$r" in *"429"*"Retry-After"*rate_limited*) true ;; *) false ;; esac && [ "$keyed" = 200 ] &&
    ok "the public gets 429 with a reason past its budget ($codes in $secs s); a key is not limited" ||
    not_ok "public rate limit" "codes: $codes in $secs s; keyed: $keyed"
kill -TERM "$limited"
wait "$limited"

for f in tests/integration/api_catalog.sh tests/integration/api_series.sh \
    tests/integration/api_devices.sh tests/integration/api_lighting.sh tests/integration/api_indicators.sh \
    tests/integration/api_assessment.sh tests/integration/api_live.sh tests/integration/api_roles.sh; do
    [ -f "$f" ] && . "$f"
done
. tests/integration/api_deadletters.sh
