# api.sh - mue-api against the suite's servers (sourced by run.sh after sim.sh, so the simulated
# fleet is registered with a day of history): starts the API, makes one key per role, then runs
# the API's checks: catalog and latest values, series, roles × routes and the OpenAPI document.

API_PORT=$(free_port)
ADMIN[api]=$(free_port)
API=http://127.0.0.1:$API_PORT
MUE_API_LISTEN=127.0.0.1:$API_PORT MUE_API_CORS_ORIGIN='https://data.example.org' start_svc api
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

for f in tests/integration/api_catalog.sh tests/integration/api_series.sh tests/integration/api_roles.sh; do
    [ -f "$f" ] && . "$f"
done
