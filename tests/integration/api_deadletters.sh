# api_deadletters.sh - GET /v1/deadletters over the suite's dead letters (sourced at the end of
# api.sh; uses $API, the keys of api.sh, api_get, admin, sql, free_port): newest first, the same
# entries as `mue-admin deadletter list`, the filters and limit, each role's scope, 401, 400 naming
# the parameter, and 503 from an API whose bus is down.

dlj() { printf '%s' "${1#* }" | jq -r "$2" 2>/dev/null; }

# --- the admin sees every entry, newest first: mue-admin's list (oldest first) reversed
r=$(api_get "/v1/deadletters?limit=500" "$KEY_ADMIN")
printf '%s' "${r#* }" > "$T/dl_api.json"
admin deadletter list > "$T/dl_admin.jsonl" 2>> "$T/log/deadletters.log"
newest=$(jq '[.items[].seq] | max // 0' "$T/dl_api.json" 2>/dev/null)
want=$(jq -s -c --argjson newest "${newest:-0}" '[.[] | select(.seq <= $newest) | .seq] | reverse | .[:500]' "$T/dl_admin.jsonl")
got=$(jq -c '[.items[].seq]' "$T/dl_api.json" 2>/dev/null)
[ "${r%% *}" = 200 ] && [ "$(jq '.items | length' "$T/dl_api.json")" -ge 2 ] && [ "$got" = "$want" ] &&
    jq -e '.limit == 500 and .truncated == false and .scanned >= (.items | length) and
        ([.items[].seq] | . == (sort | reverse))' "$T/dl_api.json" > /dev/null &&
    ok "GET /v1/deadletters: the admin sees every entry newest first, as mue-admin lists them ($(jq '.items | length' "$T/dl_api.json"))" ||
    not_ok "GET /v1/deadletters as admin" "got $got want $want ${r:0:300}"
jq -e '
    any(.items[]; .dev_eui == "ffffffffffff0001" and .code == "unknown_device" and .stage == "normalizer"
        and (.reason | length > 0) and (.subject | endswith(".ffffffffffff0001")) and .original_bytes > 0) and
    any(.items[]; .dev_eui == "24e124710000a001" and .code == "decode_failed" and (.reason | test("unknown channel"))) and
    all(.items[]; has("seq") and has("stage") and has("code") and has("reason") and has("subject") and
        has("original_bytes") and (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$"))) and
    all(.items[]; .dev_eui == (.subject | split(".") | last | if test("^[0-9a-fA-F]{16}$") then ascii_downcase else null end))' \
    "$T/dl_api.json" > /dev/null 2>&1 &&
    ok "each dead letter has its time (RFC 3339), stage, code, reason, subject and the DevEUI its subject names (else null)" ||
    not_ok "dead letter fields" "$(head -c 600 "$T/dl_api.json")"

# --- filters and limit
r=$(api_get "/v1/deadletters?dev_eui=FFFFFFFFFFFF0001" "$KEY_ADMIN")
n_admin=$(admin deadletter list --dev-eui ffffffffffff0001 2>> "$T/log/deadletters.log" | wc -l)
[ "${r%% *}" = 200 ] && [ "$(dlj "$r" '.items | length')" = "$n_admin" ] && [ "$n_admin" -ge 1 ] &&
    [ "$(dlj "$r" 'all(.items[]; .dev_eui == "ffffffffffff0001")')" = true ] &&
    ok "?dev_eui= (any case) gives that device's dead letters only ($n_admin)" ||
    not_ok "dev_eui filter" "admin lists $n_admin; ${r:0:300}"
r=$(api_get "/v1/deadletters?stage=normalizer&code=decode_failed&limit=500" "$KEY_ADMIN")
n_admin=$(admin deadletter list --stage normalizer --code decode_failed 2>> "$T/log/deadletters.log" | wc -l)
[ "${r%% *}" = 200 ] && [ "$(dlj "$r" '.items | length')" = "$n_admin" ] &&
    [ "$(dlj "$r" 'all(.items[]; .stage == "normalizer" and .code == "decode_failed") and any(.items[]; .dev_eui == "24e124710000a001")')" = true ] &&
    ok "?stage= and ?code= give those dead letters only ($n_admin)" || not_ok "stage and code filters" "admin lists $n_admin; ${r:0:300}"
r=$(api_get "/v1/deadletters?limit=1" "$KEY_ADMIN")
d=$(api_get "/v1/deadletters" "$KEY_ADMIN")
[ "${r%% *}" = 200 ] && [ "$(dlj "$r" '"\(.limit) \(.items | length) \(.items[0].seq)"')" = "1 1 $(jq '.items[0].seq' "$T/dl_api.json")" ] &&
    [ "$(dlj "$d" '.limit == 50 and (.items | length) <= 50')" = true ] &&
    ok "?limit=1 gives the newest entry alone; the default limit is 50" || not_ok "limit" "${r:0:300} | ${d:0:200}"

# --- scope: a directorate (waste, water) sees its active devices' entries, never an unknown device
r=$(api_get "/v1/deadletters?limit=500" "$KEY_DIRECTORATE")
euis=$(dlj "$r" '[.items[].dev_eui | tostring] | unique | map("'"'"'" + . + "'"'"'") | join(",")')
outside=0
[ -z "$euis" ] || outside=$(sql "SELECT count(*) FROM unnest(ARRAY[$euis]::text[]) e
    WHERE NOT EXISTS (SELECT 1 FROM device d WHERE d.dev_eui = e AND d.active AND d.use_case IN ('waste', 'water'))")
[ "${r%% *}" = 200 ] && [ "$outside" = 0 ] &&
    [ "$(dlj "$r" 'any(.items[]; .dev_eui == "24e124710000a001" and .code == "decode_failed") and
                   all(.items[]; .dev_eui != null and .dev_eui != "ffffffffffff0001")')" = true ] &&
    ok "a directorate sees its use cases' devices' dead letters, not the unknown device's" ||
    not_ok "directorate dead letter scope" "outside=$outside ${r:0:300}"
r=$(api_get "/v1/deadletters?dev_eui=ffffffffffff0001" "$KEY_DIRECTORATE")
[ "${r%% *}" = 200 ] && [ "$(dlj "$r" '(.items | length) == 0')" = true ] &&
    ok "an unknown device's dead letters do not exist for a directorate" || not_ok "directorate, unknown device" "${r:0:300}"
r=$(api_get "/v1/deadletters?limit=500" "$KEY_OPERATOR")
euis=$(dlj "$r" '[.items[].dev_eui | tostring] | unique | map("'"'"'" + . + "'"'"'") | join(",")')
outside=0
[ -z "$euis" ] || outside=$(sql "SELECT count(*) FROM unnest(ARRAY[$euis]::text[]) e
    WHERE NOT EXISTS (SELECT 1 FROM device d WHERE d.dev_eui = e AND d.active AND d.use_case = 'lighting')")
[ "${r%% *}" = 200 ] && [ "$outside" = 0 ] &&
    [ "$(dlj "$r" 'all(.items[]; .dev_eui != "24e124710000a001" and .dev_eui != "ffffffffffff0001")')" = true ] &&
    ok "a lighting operator sees lighting devices' dead letters only" || not_ok "operator dead letter scope" "outside=$outside ${r:0:300}"

# --- who may not, and bad parameters
r="$(api_get /v1/deadletters | cut -c1-3) $(api_get /v1/deadletters "$KEY_PARTNER" | cut -c1-3)"
[ "$r" = "401 403" ] && ok "the public gets 401 and a partner 403 on /v1/deadletters" || not_ok "dead letters refused" "$r"
bad=''
for q in limit=0:limit limit=501:limit limit=ten:limit limit=:limit dev_eui=xyz:dev_eui \
    dev_eui=ffffffffffff00011:dev_eui stage=a.b:stage "code=$(printf 'x%.0s' $(seq 1 70)):code"; do
    r=$(api_get "/v1/deadletters?${q%:*}" "$KEY_ADMIN")
    case "$r" in "400 "*'"error":"bad_parameter"'*"${q##*:}"*) ;; *) bad="$bad ${q%:*}=>${r:0:120}" ;; esac
done
[ -z "$bad" ] && ok "a bad limit, dev_eui, stage or code is a 400 naming the parameter" || not_ok "dead letter parameters" "$bad"

# --- the bus down: a second API that could not reach NATS answers 503
NOBUS_PORT=$(free_port)
MUE_PG_DSN=$(svc_dsn api) MUE_API_LISTEN=127.0.0.1:$NOBUS_PORT MUE_ADMIN_LISTEN=127.0.0.1:$(free_port) \
    MUE_NATS_URL=nats://127.0.0.1:$(free_port) MUE_NATS_CONNECT_TIMEOUT_MS=0 \
    "${VG[@]}" "$BIN/mue-api" >> "$T/log/api-nobus.log" 2>&1 &
nobus=$!
for i in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$NOBUS_PORT/v1/me" 2>/dev/null && break; sleep 0.1; done
r=$(curl -sS -w ' %{http_code}' -H "Authorization: Bearer $KEY_ADMIN" "http://127.0.0.1:$NOBUS_PORT/v1/deadletters" 2>/dev/null)
kill -TERM "$nobus"
wait "$nobus"
case "$r" in *'"error":"bus_unavailable"'*' 503') ok "without the bus, /v1/deadletters is a 503 bus_unavailable" ;;
*) not_ok "dead letters without the bus" "$r $(tail -3 "$T/log/api-nobus.log")" ;; esac
