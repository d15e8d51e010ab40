# api_alerts.sh - the API's alert routes over what mue-alerts raised (sourced by alerts.sh while the
# engine runs; uses $API, the keys of api.sh, api_get, dv_send, dv_jq, sql): each role sees its own
# alerts, acknowledge and resolve through the engine with the caller's key in the audit log, 404
# out of scope, 409 twice; rules read and edited by a directorate for its use cases only.

aj() { printf '%s' "${1#* }" | jq -r "$2" 2>/dev/null; }

r=$(api_get "/v1/alerts?state=unresolved&limit=1000" "$KEY_ADMIN")
total=$(aj "$r" .total)
[ "${r%% *}" = 200 ] && [ "${total:-0}" -gt 0 ] && [ "$(aj "$r" '.items | all(.state != "resolved")')" = true ] &&
    [ "$(aj "$r" '[.items[].use_case] | unique | length')" -ge 2 ] &&
    ok "GET /v1/alerts?state=unresolved: the admin sees the unresolved alerts of every use case ($total)" ||
    not_ok "GET /v1/alerts as admin" "${r:0:300}"
r=$(api_get "/v1/alerts?limit=1000" "$KEY_DIRECTORATE")
ucs=$(aj "$r" '[.items[].use_case] | unique | join(",")')
case "$ucs" in waste | water | waste,water) ok "a directorate (waste, water) sees only its use cases' alerts" ;; *) not_ok "directorate alert scope" "$ucs ${r:0:200}" ;; esac
r=$(api_get "/v1/alerts?limit=1000" "$KEY_OPERATOR")
ucs=$(aj "$r" '[.items[].use_case] | unique | join(",")')
case "$ucs" in "" | lighting) ok "a lighting operator sees only lighting alerts" ;; *) not_ok "operator alert scope" "$ucs" ;; esac
r=$(api_get "/v1/alerts?state=sleeping" "$KEY_ADMIN")
[ "${r%% *}" = 400 ] && ok "an unknown state filter is a 400 with a reason" || not_ok "bad state filter" "$r"

# A default rule's alert of the directorate's use cases, still open.
aid=$(sql "SELECT a.id FROM alert a JOIN alert_rule r ON r.id = a.rule_id JOIN device d ON d.id = a.device_id
           WHERE a.state = 'open' AND a.use_case IN ('waste', 'water') AND r.name NOT LIKE 'it.%' AND d.active
           ORDER BY a.id LIMIT 1")
r=$(api_get "/v1/alerts/$aid" "$KEY_DIRECTORATE")
[ "${r%% *}" = 200 ] && [ "$(aj "$r" '.events[0].kind')" = opened ] &&
    ok "GET /v1/alerts/{id}: a default rule's alert with its events" || not_ok "GET one alert" "${r:0:300}"
# The directorate follows its use case live; the public follows it too, without alerts.
auc=$(sql "SELECT use_case FROM alert WHERE id = $aid")
: > "$T/live_alerts.txt"
: > "$T/live_public.txt"
curl -sS -N -m 20 -H "Authorization: Bearer $KEY_DIRECTORATE" "$API/v1/live?use_case=$auc" > "$T/live_alerts.txt" 2>/dev/null &
live_alerts_pid=$!
curl -sS -N -m 20 "$API/v1/live?use_case=$auc" > "$T/live_public.txt" 2>/dev/null &
live_public_pid=$!
# A supervisor's inbox follows every use case of its scope with one stream of alerts alone.
: > "$T/live_only_dir.txt"
: > "$T/live_only_op.txt"
curl -sS -N -m 20 -H "Authorization: Bearer $KEY_DIRECTORATE" "$API/v1/live?alerts=only" > "$T/live_only_dir.txt" 2>/dev/null &
live_only_dir_pid=$!
curl -sS -N -m 20 -H "Authorization: Bearer $KEY_OPERATOR" "$API/v1/live?alerts=only" > "$T/live_only_op.txt" 2>/dev/null &
live_only_op_pid=$!
wait_file "$T/live_alerts.txt" ":" 30
wait_file "$T/live_public.txt" ":" 30
wait_file "$T/live_only_dir.txt" ":" 30
wait_file "$T/live_only_op.txt" ":" 30
r=$(dv_send POST "/v1/alerts/$aid/ack" "$KEY_DIRECTORATE" '{"comment": "tournée avancée"}')
[ "${r%% *}" = 200 ] && [ "$(aj "$r" .state)" = acknowledged ] && [ "$(aj "$r" .acknowledged_by)" = test-directorate ] &&
    ok "POST /v1/alerts/{id}/ack: acknowledged by the alert engine, under the key's name" ||
    not_ok "API ack" "${r:0:300}"
got=$(sql "SELECT count(*) FROM audit_log l JOIN api_key k ON k.id = l.key_id WHERE l.target = 'alert:$aid' AND l.action = 'alert.acknowledge' AND k.name = 'test-directorate'")
[ "$got" = 1 ] && ok "the acknowledgement is audited with the caller's key" || not_ok "API ack audit" "$got"
if wait_file "$T/live_alerts.txt" "\"alert_id\":$aid,\"event\":\"acknowledged\"" 50; then
    ok "GET /v1/live streams the alert's acknowledgement to the directorate (event: alert)"
else
    not_ok "live alert event" "$(head -c 300 "$T/live_alerts.txt")"
fi
wait_file "$T/live_only_dir.txt" "\"alert_id\":$aid,\"event\":\"acknowledged\"" 50 &&
    ! grep -q 'event: measurement' "$T/live_only_dir.txt" &&
    ok "GET /v1/live?alerts=only streams the directorate's alert events and no measurement" ||
    not_ok "live alerts only" "$(head -c 300 "$T/live_only_dir.txt")"
kill "$live_alerts_pid" "$live_public_pid" "$live_only_dir_pid" "$live_only_op_pid" 2> /dev/null
wait "$live_alerts_pid" "$live_public_pid" "$live_only_dir_pid" "$live_only_op_pid" 2> /dev/null
grep -q "\"alert_id\":$aid," "$T/live_only_op.txt" && not_ok "alerts=only keeps to the key's scope" "$(head -c 300 "$T/live_only_op.txt")" ||
    ok "alerts=only keeps to the key's scope: the lighting operator does not get a $auc alert"
r=$(live_get "/v1/live?alerts=only")
case "$r" in 401*key_required*) ok "alerts=only needs a key (401)" ;; *) not_ok "alerts=only without a key" "$r" ;; esac
r=$(live_get "/v1/live?alerts=only&use_case=$auc" "$KEY_DIRECTORATE")
r2=$(live_get "/v1/live?alerts=yes" "$KEY_DIRECTORATE")
case "$r $r2" in 400*bad_parameter*400*bad_parameter*) ok "alerts=only alone, and no other value (400)" ;; *) not_ok "alerts parameter checks" "$r $r2" ;; esac
grep -q 'event: alert' "$T/live_public.txt" && not_ok "the public's live stream carries no alert" ||
    ok "the public's live stream carries no alert"
r=$(dv_send POST "/v1/alerts/$aid/ack" "$KEY_DIRECTORATE")
[ "${r%% *}" = 409 ] && ok "acknowledging it again is a 409 with the engine's reason" || not_ok "second API ack" "$r"
nid=$(sql "SELECT a.id FROM alert a WHERE a.use_case NOT IN ('waste', 'water') ORDER BY a.id LIMIT 1")
if [ -n "$nid" ]; then
    r=$(dv_send POST "/v1/alerts/$nid/ack" "$KEY_DIRECTORATE")
    [ "${r%% *}" = 404 ] && ok "an alert outside the directorate's use cases is a 404 to it" || not_ok "out-of-scope ack" "$r"
fi
r=$(dv_send POST "/v1/alerts/$aid/resolve" "$KEY_ADMIN" '{"comment": "vidé"}')
[ "${r%% *}" = 200 ] && [ "$(aj "$r" .state)" = resolved ] && [ "$(aj "$r" .resolved_by)" = test-admin ] &&
    ok "POST /v1/alerts/{id}/resolve resolves it by hand" || not_ok "API resolve" "${r:0:300}"

# --- rules
r=$(api_get /v1/alert-rules "$KEY_DIRECTORATE")
ucs=$(aj "$r" '[.items[].use_case] | unique | join(",")')
[ "${r%% *}" = 200 ] && [ "$ucs" = waste,water ] && ok "GET /v1/alert-rules: a directorate reads its use cases' rules" ||
    not_ok "rules scope" "$ucs ${r:0:200}"
r=$(dv_send PUT /v1/alert-rules/waste.full "$KEY_DIRECTORATE" '{"threshold": 97, "duration_s": 7200}')
[ "${r%% *}" = 200 ] && [ "$(aj "$r" .threshold)" = 97 ] && [ "$(aj "$r" .duration_s)" = 7200 ] &&
    [ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'rule.update' AND target = 'waste.full'")" = 1 ] &&
    ok "PUT /v1/alert-rules/{name}: a directorate changes its rule, audited" || not_ok "rule edit" "${r:0:300}"
dv_send PUT /v1/alert-rules/waste.full "$KEY_ADMIN" '{"threshold": 95, "duration_s": 3600}' > /dev/null
r=$(dv_send PUT /v1/alert-rules/noise.lnight "$KEY_DIRECTORATE" '{"enabled": false}')
[ "${r%% *}" = 404 ] && ok "a rule of another use case is a 404 to the directorate" || not_ok "rule out of scope" "$r"
r1=$(dv_send PUT /v1/alert-rules/waste.full "$KEY_ADMIN" '{"threshold": "high"}')
r2=$(dv_send PUT /v1/alert-rules/waste.full "$KEY_ADMIN" '{"kind": "rate"}')
r3=$(dv_send PUT /v1/alert-rules/waste.full "$KEY_ADMIN" '{"active_from": "22:00"}')
[ "${r1%% *}" = 400 ] && [ "${r2%% *}" = 400 ] && [ "${r3%% *}" = 400 ] &&
    ok "a bad value, a field that cannot change, a window with one end: 400 with a reason" ||
    not_ok "rule edit refusals" "$r1 / $r2 / $r3"
