# api_devices.sh - admins register, change and retire devices through mue-api (sourced by api.sh:
# uses $API, $KEY_ADMIN, $KEY_DIRECTORATE, api_get, post, sql, ok, not_ok, expect_values,
# deadletter_has): 201 and the device as GET shows it, 409, a 400 per bad field, 413, 415, PUT,
# the registry-change notice seen by the normalizer, DELETE (idempotent), the audit rows, 403.
# Every device made here is retired at the end, so the checks that follow do not see it.

# dv_send METHOD PATH KEY [BODY [CONTENT_TYPE]]: prints "STATUS BODY" (the body on one line).
# BODY is JSON text, or @FILE.
dv_send() {
    local args=(-X "$1" -H "Authorization: Bearer $3")
    [ -n "${4:-}" ] && args+=(-H "Content-Type: ${5:-application/json}" --data-binary "$4")
    curl -sS -o "$T/api_body" -w '%{http_code}' "${args[@]}" "$API$2" 2>/dev/null
    printf ' %s' "$(tr -d '\n' < "$T/api_body" 2>/dev/null)"
}
# dv_jq "STATUS BODY" FILTER: jq on the body, nothing when it is not JSON.
dv_jq() { printf '%s' "${1#* }" | jq -r "$2" 2>/dev/null; }

dv_eui=a1b2c3d4e5f6d001   # made, changed and retired through the API
dv_late=a1b2c3d4e5f6d002  # its uplink arrives before it is registered
# The device goes to the first site, of whatever use case; a site of another one is refused.
dv_site=$(sql "SELECT id FROM site ORDER BY id LIMIT 1")
dv_uc=$(sql "SELECT coalesce((SELECT use_case FROM site ORDER BY id LIMIT 1), 'waste')")
dv_other_site=$(sql "SELECT id FROM site WHERE use_case <> '$dv_uc' ORDER BY id LIMIT 1")
dv_body='{"dev_eui": "A1B2C3D4E5F6D001", "name": "pav-api-1", "model": "milesight-em310-udl",
          "use_case": "'$dv_uc'", "network": "tts", "latitude": 43.5297, "longitude": 5.4474,
          "params": {"empty_distance_m": 2.5, "full_distance_m": 0.3}, "expected_period_s": 3600'
[ -n "$dv_site" ] && dv_body="$dv_body, \"site_id\": $dv_site"
dv_body="$dv_body}"
[ "$(sql "SELECT count(*) FROM device WHERE dev_eui IN ('$dv_eui', '$dv_late')")" = 0 ] ||
    not_ok "api_devices: the test DevEUIs are already registered"

# --- only admins
r1=$(dv_send POST /v1/devices "$KEY_DIRECTORATE" "$dv_body")
r2=$(dv_send PUT /v1/devices/24e124710000a001 "$KEY_DIRECTORATE" '{"name": "x"}')
r3=$(dv_send DELETE /v1/devices/24e124710000a001 "$KEY_DIRECTORATE")
r4=$(dv_send POST /v1/devices "" "$dv_body")
[ "${r1%% *} ${r2%% *} ${r3%% *} ${r4%% *}" = "403 403 403 401" ] &&
    [ "$(sql "SELECT count(*) FROM device WHERE dev_eui = '$dv_eui'")" = 0 ] &&
    [ "$(sql "SELECT name || ' ' || active FROM device WHERE dev_eui = '24e124710000a001'")" = "pav-aix-001 true" ] &&
    ok "a directorate gets 403 on POST, PUT and DELETE /v1/devices (no key: 401) and nothing changes" ||
    not_ok "device edits by a directorate" "$r1 | $r2 | $r3 | $r4"

# --- create, read back, conflict
r=$(dv_send POST /v1/devices "$KEY_ADMIN" "$dv_body")
g=$(api_get "/v1/devices/$dv_eui" "$KEY_ADMIN")
got=$(dv_jq "$r" '[.dev_eui, .name, .model, .use_case, .network, .latitude, .longitude,
                   .params.empty_distance_m, .expected_period_s, .health.status, .site_id] | join(" ")')
row=$(sql "SELECT network || ' ' || active || ' ' || (params->>'full_distance_m') || ' ' || coalesce(site_id, 0)
           FROM device WHERE dev_eui = '$dv_eui'")
[ "${r%% *}" = 201 ] && [ "${g%% *}" = 200 ] &&
    [ "$got" = "$dv_eui pav-api-1 milesight-em310-udl $dv_uc tts 43.5297 5.4474 2.5 3600 silent $dv_site" ] &&
    [ "$(printf '%s' "${r#* }" | jq -S -c .)" = "$(printf '%s' "${g#* }" | jq -S -c .)" ] &&
    [ "$row" = "tts true 0.3 ${dv_site:-0}" ] &&
    ok "POST /v1/devices: 201 with the device (DevEUI lower-cased) exactly as GET shows it" ||
    not_ok "device create" "$got; $row; $r | $g"
r=$(dv_send POST /v1/devices "$KEY_ADMIN" "${dv_body/pav-api-1/pav-api-other}")
[ "${r%% *}" = 409 ] && [ "$(dv_jq "$r" .error)" = conflict ] &&
    [ "$(sql "SELECT name FROM device WHERE dev_eui = '$dv_eui'")" = pav-api-1 ] &&
    ok "a second POST of the same DevEUI: 409 conflict, the device unchanged" || not_ok "create conflict" "$r"

# --- a 400 naming the field for each bad one; nothing registered
dv_new='"dev_eui": "a1b2c3d4e5f6d0ff", "name": "bad", "model": "milesight-em310-udl", "use_case": "waste"'
dv_long=$(head -c 201 /dev/zero | tr '\0' x)
bad=0
while IFS='|' read -r field json; do
    r=$(dv_send POST /v1/devices "$KEY_ADMIN" "{$json}")
    case "$r" in 400*'"reason":"'*"$field"*) ;; *) bad=$((bad + 1)); echo "    $field: $json -> $r" >&2 ;; esac
done << EOF
dev_eui|"dev_eui": "a1b2c3d4e5f6d0f", "name": "bad", "model": "m", "use_case": "waste"
dev_eui|"dev_eui": "a1b2c3d4e5f6d0fg", "name": "bad", "model": "m", "use_case": "waste"
dev_eui|"dev_eui": 12, "name": "bad", "model": "m", "use_case": "waste"
dev_eui|"name": "bad", "model": "m", "use_case": "waste"
name|$dv_new, "name": ""
name|"dev_eui": "a1b2c3d4e5f6d0ff", "name": "$dv_long", "model": "m", "use_case": "waste"
name|"dev_eui": "a1b2c3d4e5f6d0ff", "model": "m", "use_case": "waste"
name|"dev_eui": "a1b2c3d4e5f6d0ff", "name": 7, "model": "m", "use_case": "waste"
model|"dev_eui": "a1b2c3d4e5f6d0ff", "name": "bad", "model": "Milesight_EM310", "use_case": "waste"
model|"dev_eui": "a1b2c3d4e5f6d0ff", "name": "bad", "model": "", "use_case": "waste"
use_case|"dev_eui": "a1b2c3d4e5f6d0ff", "name": "bad", "model": "m", "use_case": "parking"
use_case|"dev_eui": "a1b2c3d4e5f6d0ff", "name": "bad", "model": "m", "use_case": "Waste; --"
use_case|"dev_eui": "a1b2c3d4e5f6d0ff", "name": "bad", "model": "m"
network|$dv_new, "network": "lorawan"
latitude|$dv_new, "latitude": 90.5
latitude|$dv_new, "latitude": "43.5"
longitude|$dv_new, "longitude": -180.01
site_id|$dv_new, "site_id": 999999999
site_id|$dv_new, "site_id": 0
site_id|$dv_new, "site_id": "1"
expected_period_s|$dv_new, "expected_period_s": 0
expected_period_s|$dv_new, "expected_period_s": 1.5
params|$dv_new, "params": [1, 2]
params|$dv_new, "params": "a=1"
colour|$dv_new, "colour": "green"
active|$dv_new, "active": false
EOF
if [ -n "$dv_other_site" ]; then
    r=$(dv_send POST /v1/devices "$KEY_ADMIN" "{\"dev_eui\": \"a1b2c3d4e5f6d0ff\", \"name\": \"bad\",
        \"model\": \"m\", \"use_case\": \"$dv_uc\", \"site_id\": $dv_other_site}")
    case "$r" in 400*'"reason":"'*site_id*) ;; *) bad=$((bad + 1)); echo "    site of another use case -> $r" >&2 ;; esac
fi
[ "$bad" = 0 ] && [ "$(sql "SELECT count(*) FROM device WHERE dev_eui = 'a1b2c3d4e5f6d0ff'")" = 0 ] &&
    ok "POST with a bad, missing or unknown field: 400 with a reason naming it, nothing registered" ||
    not_ok "device create field checks" "$bad bad answers"
r1=$(dv_send POST /v1/devices "$KEY_ADMIN" '{"dev_eui": "a1b2c3d4e5f6d0ff", "name": ')
r2=$(dv_send POST /v1/devices "$KEY_ADMIN" '[1, 2]')
r3=$(dv_send POST /v1/devices "$KEY_ADMIN" "{$dv_new}" text/plain)
r4=$(dv_send POST /v1/devices "$KEY_ADMIN" "{$dv_new}" " ")
printf '{%s, "params": {"pad": "%s"}}' "$dv_new" "$(head -c 70000 /dev/zero | tr '\0' x)" > "$T/dv_big.json"
r5=$(dv_send POST /v1/devices "$KEY_ADMIN" "@$T/dv_big.json")
case "$r1 | $r2" in 400*'"error":"bad_json"'*' | 400'*'"error":"bad_json"'*) r12=1 ;; *) r12=0 ;; esac
[ "$r12" = 1 ] && [ "${r3%% *}" = 415 ] && [ "${r4%% *}" = 415 ] && [ "${r5%% *}" = 413 ] &&
    [ "$(sql "SELECT count(*) FROM device WHERE dev_eui = 'a1b2c3d4e5f6d0ff'")" = 0 ] &&
    ok "a body that is not JSON or not an object: 400; not application/json: 415; over 64 KiB: 413" ||
    not_ok "device create body checks" "$r1 | $r2 | $r3 | $r4 | ${r5:0:200}"

# --- PUT: a partial change
r=$(dv_send PUT "/v1/devices/${dv_eui^^}" "$KEY_ADMIN" '{"name": "pav-api-1 renamed", "params": {"empty_distance_m": 2.25}}')
g=$(api_get "/v1/devices/$dv_eui" "$KEY_ADMIN")
[ "${r%% *}" = 200 ] && [ "$(printf '%s' "${r#* }" | jq -S -c .)" = "$(printf '%s' "${g#* }" | jq -S -c .)" ] &&
    [ "$(dv_jq "$g" '[.name, .model, .network, .expected_period_s, (.params | tojson)] | join(" ")')" = \
        'pav-api-1 renamed milesight-em310-udl tts 3600 {"empty_distance_m":2.25}' ] &&
    ok "PUT /v1/devices/{dev_eui} changes the name and replaces params, the rest kept; 200 with the device" ||
    not_ok "device update" "$r | $g"
r1=$(dv_send PUT "/v1/devices/$dv_eui" "$KEY_ADMIN" '{"latitude": -91}')
r2=$(dv_send PUT "/v1/devices/$dv_eui" "$KEY_ADMIN" '{"use_case": "parking"}')
r3=$(dv_send PUT "/v1/devices/$dv_eui" "$KEY_ADMIN" '{"active": "no"}')
r4=$(dv_send PUT "/v1/devices/$dv_eui" "$KEY_ADMIN" '{"dev_eui": "a1b2c3d4e5f6d009"}')
r5=$(dv_send PUT /v1/devices/a1b2c3d4e5f6d0fe "$KEY_ADMIN" '{"name": "x"}')
r6=$(dv_send PUT /v1/devices/not-a-deveui "$KEY_ADMIN" '{"name": "x"}')
r7=400
# Moving the device to another use case while it stays at a site of the first is refused.
[ -n "$dv_site" ] && [ "$dv_uc" != waste ] &&
    r7=$(dv_send PUT "/v1/devices/$dv_eui" "$KEY_ADMIN" '{"use_case": "waste"}') &&
    case "$r7" in 400*site_id*) r7=400 ;; esac
case "$r1|$r2|$r3|$r4" in 400*latitude*'|400'*use_case*'|400'*active*'|400'*dev_eui*) r14=1 ;; *) r14=0 ;; esac
[ "$r14" = 1 ] && [ "$r7" = 400 ] && [ "${r5%% *}" = 404 ] && [ "${r6%% *}" = 400 ] &&
    [ "$(sql "SELECT use_case || ' ' || latitude || ' ' || active FROM device WHERE dev_eui = '$dv_eui'")" = "$dv_uc 43.5297 true" ] &&
    ok "PUT with a bad field: 400 naming it, nothing changed; an unknown device: 404" ||
    not_ok "device update checks" "$r1 | $r2 | $r3 | $r4 | $r5 | $r6 | $r7"

# --- the registry-change notice: an uplink refused as unknown, then the device made through the
# API; its next uplink is stored at once although the normalizer caches unknowns for an hour.
sed -e "s/24e1247100c0f0f0/$dv_late/" -e 's/0000-4000-8000-00000000c0f0/0000-4000-8000-0000000ad002/' \
    "$FIX/cs_late_registered.json" > "$T/dv_late_1.json"
sed -e "s/24e1247100c0f0f0/$dv_late/" -e 's/0000-4000-8000-00000000c0f1/0000-4000-8000-0000000ad003/' \
    "$FIX/cs_late_registered_next.json" > "$T/dv_late_2.json"
r=$(post "$T/dv_late_1.json")
if deadletter_has "$dv_late" '"code":"unknown_device"'; then
    r=$(dv_send POST /v1/devices "$KEY_ADMIN" "{\"dev_eui\": \"$dv_late\", \"name\": \"pav-api-late\",
        \"model\": \"milesight-em310-udl\", \"use_case\": \"waste\",
        \"params\": {\"container_depth_m\": 2.0, \"sensor_offset_m\": 0.3}}")
    p=$(post "$T/dv_late_2.json")
    [ "${r%% *}" = 201 ] && expect_values "$dv_late" '2026-06-01T08:15:00Z' \
        "battery=92 distance=2.116 tilt=1 fill_level=(2.3-2.116)/2.0*100 rssi=-36 snr=10.5 f_cnt=6" &&
        ok "a device made through the API has its next uplink stored at once (registry-change notice)" ||
        not_ok "registry notice from the API" "$r | $p"
else
    not_ok "registry notice from the API: the first uplink was not refused as unknown" "$r"
fi

# --- DELETE retires: 404 to GET, the row and its measurements kept; twice is fine
r=$(dv_send DELETE "/v1/devices/$dv_eui" "$KEY_ADMIN")
g=$(api_get "/v1/devices/$dv_eui" "$KEY_ADMIN")
r2=$(dv_send DELETE "/v1/devices/$dv_eui" "$KEY_ADMIN")
r3=$(dv_send DELETE /v1/devices/a1b2c3d4e5f6d0fe "$KEY_ADMIN")
[ "${r%% *}" = 200 ] && [ "$(dv_jq "$r" '"\(.dev_eui) \(.active)"')" = "$dv_eui false" ] &&
    [ "${g%% *}" = 404 ] && [ "${r2%% *}" = 200 ] && [ "$(dv_jq "$r2" .active)" = false ] &&
    [ "${r3%% *}" = 404 ] &&
    [ "$(sql "SELECT active FROM device WHERE dev_eui = '$dv_eui'")" = f ] &&
    ok "DELETE deactivates (GET 404, the row kept with active false); again: 200; unknown: 404" ||
    not_ok "device delete" "$r | $g | $r2 | $r3"
r=$(dv_send DELETE "/v1/devices/$dv_late" "$KEY_ADMIN")
n=$(sql "SELECT count(*) FROM measurement m JOIN device d ON d.id = m.device_id WHERE d.dev_eui = '$dv_late'")
[ "${r%% *}" = 200 ] && [ "$n" -ge 7 ] && ok "a retired device keeps its measurements ($n rows)" ||
    not_ok "retired device measurements" "$r; $n rows"
r=$(dv_send PUT "/v1/devices/$dv_eui" "$KEY_ADMIN" '{"active": true}')
r2=$(dv_send DELETE "/v1/devices/$dv_eui" "$KEY_ADMIN")
[ "${r%% *}" = 200 ] && [ "$(dv_jq "$r" .dev_eui)" = "$dv_eui" ] && [ "${r2%% *}" = 200 ] &&
    [ "$(sql "SELECT active FROM device WHERE dev_eui = '$dv_eui'")" = f ] &&
    ok "PUT {\"active\": true} brings a retired device back" || not_ok "reactivate" "$r | $r2"

# --- one audit row per change, with the changed fields
r=$(api_get '/v1/audit?limit=1000' "$KEY_ADMIN")
got=$(dv_jq "$r" "[.items[] | select(.target == \"$dv_eui\") | .action] | reverse | join(\" \")")
upd=$(dv_jq "$r" "[.items[] | select(.target == \"$dv_eui\" and .action == \"device.update\")] | reverse | .[0].detail | keys | join(\" \")")
cre=$(dv_jq "$r" "[.items[] | select(.target == \"$dv_eui\" and .action == \"device.create\")][0] | \"\(.detail.name) \(.actor)\"")
[ "$got" = "device.create device.update device.retire device.update device.retire" ] &&
    [ "$upd" = "name params" ] && [ "$cre" = "pav-api-1 test-admin" ] &&
    [ "$(dv_jq "$r" "[.items[] | select(.target == \"$dv_late\") | .action] | join(\" \")")" = "device.retire device.create" ] &&
    ok "every change has its audit row (create, update, retire; a repeated DELETE none) naming the fields" ||
    not_ok "device audit rows" "got: $got; update fields: $upd; create: $cre"
