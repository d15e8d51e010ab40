# api_catalog.sh - mue-api's catalog and latest values against the simulated fleet (sourced by
# api.sh: uses $API, the $KEY_* of each role, $PARTNER_EUIS, api_get, sql, ok, not_ok, and
# $day_end, $fleet_euis from sim.sh): use cases and their counts, a device's health, paging,
# DevEUI errors, the directorate's and the partner's scope, GeoJSON, and injection attempts.

# jqr JSON FILTER: runs jq on a body, printing nothing (not an error) when it is not JSON.
jqr() { printf '%s' "$1" | jq -r "$2" 2>/dev/null; }

# --- use cases: the six, each with the registry's count of active devices
r=$(api_get /v1/usecases)
got=$(jqr "${r#* }" '[.items[] | "\(.id)=\(.devices)"] | join(" ")')
want=$(sql "SELECT string_agg(u.id || '=' || (SELECT count(*) FROM device d WHERE d.use_case = u.id AND d.active), ' ' ORDER BY u.id) FROM use_case u")
[ "${r%% *}" = 200 ] && [ "$got" = "$want" ] && [ "$(jqr "${r#* }" '.items | length')" = 6 ] &&
    ok "GET /v1/usecases: the six use cases with their device counts ($got)" || not_ok "/v1/usecases counts" "want $want; $r"
got=$(jqr "${r#* }" '[.items[] | select(.latest != null) | "\(.id)=\(.sites)"] | join(" ")')
want=$(sql "SELECT string_agg(u.id || '=' || (SELECT count(*) FROM site s WHERE s.use_case = u.id), ' ' ORDER BY u.id) FROM use_case u")
[ "$got" = "$want" ] && ok "each use case has its number of sites and the time of its latest measurement" ||
    not_ok "use case latest and sites" "want $want; $r"

# --- a fleet device's health: last seen within the back-filled day, battery, rssi and snr
eui=$(sql "SELECT d.dev_eui FROM device d WHERE d.active AND d.use_case = 'water' AND d.dev_eui IN ($fleet_euis)
           AND EXISTS (SELECT 1 FROM latest_value l WHERE l.device_id = d.id AND l.quantity = 'battery_voltage')
           ORDER BY d.dev_eui LIMIT 1")
r=$(api_get "/v1/devices/$eui")
body=${r#* }
seen=$(jqr "$body" '.health.last_seen')
seen_s=$(date -u -d "$seen" +%s 2>/dev/null || echo 0)
end_s=$(date -u -d "$day_end" +%s)
rssi_db=$(sql "SELECT l.value FROM latest_value l JOIN device d ON d.id = l.device_id WHERE d.dev_eui = '$eui' AND l.quantity = 'rssi'")
[ "${r%% *}" = 200 ] && [ "$seen_s" -ge $((end_s - 86400)) ] && [ "$seen_s" -lt "$end_s" ] &&
    [ "$(jqr "$body" '.health.battery.unit')" = V ] &&
    [ "$(jqr "$body" '.health.battery.value | type')" = number ] &&
    [ "$(jqr "$body" ".health.rssi == $rssi_db")" = true ] &&
    [ "$(jqr "$body" '.health.snr | type')" = number ] &&
    case "$(jqr "$body" '.health.status')" in ok | late) true ;; *) false ;; esac &&
    [ "$(jqr "$body" '.dev_eui + " " + .use_case + " " + (.params | type)')" = "$eui water object" ] &&
    ok "a fleet device has its health: last seen $seen, battery, rssi and snr" || not_ok "device health of $eui" "$r"
r=$(api_get "/v1/devices/${eui^^}/latest")
body=${r#* }
[ "${r%% *}" = 200 ] && [ "$(jqr "$body" '.dev_eui')" = "$eui" ] &&
    [ "$(jqr "$body" '[.values[] | select(.quantity == "water_level") | .unit] | join(",")')" = m ] &&
    [ "$(jqr "$body" '.values | length')" = "$(sql "SELECT count(*) FROM latest_value l JOIN device d ON d.id = l.device_id WHERE d.dev_eui = '$eui'")" ] &&
    [ "$(jqr "$body" ".values[] | select(.quantity == \"rssi\") | .value == $rssi_db and .unit == \"dBm\"")" = true ] &&
    ok "GET /v1/devices/{DEVEUI}/latest: every latest value with its unit" || not_ok "device latest" "$r"
r=$(api_get /v1/devices?use_case=waste\&limit=1000)
n=$(jqr "${r#* }" '[.items[] | select(.health.status == "silent" and .health.last_seen == null)] | length')
want=$(sql "SELECT count(*) FROM device d WHERE d.active AND d.use_case = 'waste' AND NOT EXISTS (SELECT 1 FROM latest_value l WHERE l.device_id = d.id)")
[ "${r%% *}" = 200 ] && [ "$n" = "$want" ] && ok "devices that never reported are silent ($n of waste)" || not_ok "silent devices" "want $want; got $n"

# --- paging
total=$(sql "SELECT count(*) FROM device WHERE active")
r=$(api_get '/v1/devices?limit=2' "$KEY_ADMIN")
[ "$(jqr "${r#* }" '"\(.items | length) \(.limit) \(.offset) \(.total)"')" = "2 2 0 $total" ] &&
    ok "GET /v1/devices?limit=2: two items and the total ($total)" || not_ok "devices limit=2" "$r"
r2=$(api_get '/v1/devices?limit=2&offset=1' "$KEY_ADMIN")
[ "$(jqr "${r#* }" '.items[1].dev_eui')" = "$(jqr "${r2#* }" '.items[0].dev_eui')" ] &&
    [ "$(jqr "${r#* }" '.items[0].use_case <= .items[1].use_case')" = true ] &&
    ok "offset moves through one order (use case, then name)" || not_ok "devices offset" "$r2"
r=$(api_get "/v1/devices?offset=$total" "$KEY_ADMIN")
[ "${r%% *}" = 200 ] && [ "$(jqr "${r#* }" '"\(.items | length) \(.total)"')" = "0 $total" ] &&
    ok "an offset past the end gives an empty list and the total" || not_ok "devices past the end" "$r"
stotal=$(sql "SELECT count(*) FROM site")
r=$(api_get '/v1/sites?limit=2')
[ "$(jqr "${r#* }" '"\(.items | length) \(.total) \(.items[0] | has("commune") and has("insee") and has("devices"))"')" = "2 $stotal true" ] &&
    ok "GET /v1/sites?limit=2: two sites and the total ($stotal)" || not_ok "sites limit=2" "$r"
site=$(sql "SELECT site_id FROM device WHERE active AND site_id IS NOT NULL GROUP BY site_id ORDER BY count(*) DESC, site_id LIMIT 1")
r=$(api_get "/v1/devices?site=$site")
[ "$(jqr "${r#* }" "\"\\(.total) \\([.items[] | select(.site_id != $site)] | length)\"")" = \
    "$(sql "SELECT count(*) FROM device WHERE active AND site_id = $site") 0" ] &&
    ok "GET /v1/devices?site= gives the devices of that site" || not_ok "devices of site $site" "$r"
r=$(api_get '/v1/sites?use_case=water&limit=1000')
[ "$(jqr "${r#* }" '[.items[] | select(.use_case != "water")] | length')" = 0 ] &&
    [ "$(jqr "${r#* }" '.total')" = "$(sql "SELECT count(*) FROM site WHERE use_case = 'water'")" ] &&
    ok "GET /v1/sites?use_case=water gives the water sites" || not_ok "sites of water" "$r"
r=$(api_get '/v1/devices?use_case=nosuchcase')
[ "${r%% *} $(jqr "${r#* }" '"\(.items | length) \(.total)"')" = "200 0 0" ] &&
    ok "an unknown but well-formed use case gives an empty list" || not_ok "unknown use case" "$r"
r=$(api_get '/v1/devices?limit=0')
case "$r" in 400*limit*) ok "limit=0: 400 naming limit" ;; *) not_ok "limit=0" "$r" ;; esac

# --- DevEUIs
r=$(api_get /v1/devices/24e1247100zza001)
case "$r" in 400*DevEUI*) ok "a malformed DevEUI: 400" ;; *) not_ok "malformed DevEUI" "$r" ;; esac
r=$(api_get /v1/devices/ffffffffffff0002/latest)
r2=$(api_get /v1/devices/ffffffffffff0002)
case "${r%% *} ${r2%% *}" in "404 404") ok "an unknown DevEUI: 404 (device and latest)" ;; *) not_ok "unknown DevEUI" "$r; $r2" ;; esac
off=$(sql "SELECT dev_eui FROM device WHERE active AND use_case = 'heat' ORDER BY dev_eui DESC LIMIT 1")
sql "UPDATE device SET active = false WHERE dev_eui = '$off'" > /dev/null
r=$(api_get "/v1/devices/$off" "$KEY_ADMIN")
r2=$(api_get "/v1/devices?use_case=heat&limit=1000" "$KEY_ADMIN")
sql "UPDATE device SET active = true WHERE dev_eui = '$off'" > /dev/null
[ "${r%% *}" = 404 ] && [ "$(jqr "${r2#* }" "[.items[] | select(.dev_eui == \"$off\")] | length")" = 0 ] &&
    ok "an inactive device is 404 and absent from lists" || not_ok "inactive device" "$r"

# --- the directorate (waste, water)
r=$(api_get '/v1/devices?limit=1000' "$KEY_DIRECTORATE")
[ "$(jqr "${r#* }" '[.items[].use_case] | unique | join(",")')" = waste,water ] &&
    [ "$(jqr "${r#* }" '.total')" = "$(sql "SELECT count(*) FROM device WHERE active AND use_case IN ('waste', 'water')")" ] &&
    ok "the directorate sees only waste and water devices" || not_ok "directorate devices" "$r"
noise=$(sql "SELECT dev_eui FROM device WHERE active AND use_case = 'noise' ORDER BY dev_eui LIMIT 1")
r=$(api_get "/v1/devices/$noise" "$KEY_DIRECTORATE")
r2=$(api_get "/v1/devices/$noise/latest" "$KEY_DIRECTORATE")
r3=$(api_get "/v1/devices/$noise" "$KEY_OPERATOR")
case "${r%% *} ${r2%% *} ${r3%% *}" in "404 404 200") ok "the directorate gets 404 for a noise device (the operator 200)" ;; *) not_ok "directorate and a noise device" "$r; $r2" ;; esac
r=$(api_get /v1/usecases "$KEY_DIRECTORATE")
r2=$(api_get /v1/usecases/noise/latest "$KEY_DIRECTORATE")
[ "$(jqr "${r#* }" '[.items[].id] | join(",")')" = waste,water ] && [ "${r2%% *}" = 404 ] &&
    ok "the directorate's use cases are its own; another's latest values are 404" || not_ok "directorate use cases" "$r; $r2"

# --- the partner (two heat devices)
r=$(api_get '/v1/devices' "$KEY_PARTNER")
r2=$(api_get '/v1/usecases/heat/latest' "$KEY_PARTNER")
r3=$(api_get "/v1/devices/$noise" "$KEY_PARTNER")
[ "$(jqr "${r#* }" '[.items[].dev_eui] | sort | join(" ")')" = "$PARTNER_EUIS" ] &&
    [ "$(jqr "${r2#* }" '[.items[].dev_eui] | sort | join(" ")')" = "$PARTNER_EUIS" ] && [ "${r3%% *}" = 404 ] &&
    ok "the partner sees only its devices ($PARTNER_EUIS)" || not_ok "partner devices" "$r; $r2; $r3"
peuis=$(printf "'%s'," $PARTNER_EUIS)
r=$(api_get '/v1/sites?limit=1000' "$KEY_PARTNER")
[ "$(jqr "${r#* }" '.total')" = "$(sql "SELECT count(DISTINCT site_id) FROM device WHERE dev_eui IN (${peuis%,})")" ] &&
    ok "the partner sees the sites of its devices only" || not_ok "partner sites" "$r"

# --- latest values of a use case, as JSON and GeoJSON
r=$(api_get '/v1/usecases/waste/latest?format=geojson')
body=${r#* }
want=$(sql "SELECT count(*) FROM device WHERE active AND use_case = 'waste' AND latitude IS NOT NULL AND longitude IS NOT NULL")
fill=$(sql "SELECT count(*) FROM device d JOIN latest_value l ON l.device_id = d.id AND l.quantity = 'fill_level'
            WHERE d.active AND d.use_case = 'waste' AND d.latitude IS NOT NULL AND d.longitude IS NOT NULL")
[ "${r%% *}" = 200 ] && [ "$(jqr "$body" '.type')" = FeatureCollection ] &&
    [ "$(jqr "$body" '[.features[] | select(.type == "Feature" and .geometry.type == "Point")] | length')" = "$want" ] &&
    [ "$(jqr "$body" '[.features[] | select(.properties.fill_level | type == "number")] | length')" = "$fill" ] &&
    [ "$fill" -gt 0 ] &&
    ok "GeoJSON of waste: a Point per active waste device with a position ($want), fill_level in $fill" ||
    not_ok "GeoJSON of waste" "want $want features, $fill with fill_level; ${r:0:300}"
lonlat=$(sql "SELECT longitude || ',' || latitude FROM device WHERE dev_eui = '$(jqr "$body" '.features[0].properties.dev_eui')'")
[ "$(jqr "$body" '.features[0].geometry.coordinates | map(tostring) | join(",")')" = "$lonlat" ] &&
    ok "GeoJSON coordinates are [longitude, latitude]" || not_ok "GeoJSON coordinates" "$lonlat; ${r:0:300}"
r=$(api_get '/v1/usecases/waste/latest?quantity=fill_level')
body=${r#* }
[ "$(jqr "$body" '.items | length')" = "$(sql "SELECT count(*) FROM device WHERE active AND use_case = 'waste'")" ] &&
    [ "$(jqr "$body" '[.items[].values[] | select(.quantity != "fill_level" or .unit != "%")] | length')" = 0 ] &&
    [ "$(jqr "$body" '[.items[].values[]] | length')" = "$(sql "SELECT count(*) FROM device d JOIN latest_value l ON l.device_id = d.id AND l.quantity = 'fill_level' WHERE d.active AND d.use_case = 'waste'")" ] &&
    ok "JSON latest of waste for fill_level: every device, only fill_level values" || not_ok "waste latest fill_level" "${r:0:300}"
r=$(api_get '/v1/usecases/nosuchcase/latest')
r2=$(api_get '/v1/usecases/waste/latest?format=xml')
case "${r%% *} $r2" in "404 400"*format*) ok "latest of an unknown use case: 404; format=xml: 400" ;; *) not_ok "use case latest errors" "$r; $r2" ;; esac

# --- injection attempts: 400 or nothing, and the registry intact
before=$(sql "SELECT count(*) FROM device")
bad=0
for v in "%27%3B%20DROP%20TABLE%20device%3B%20--" "waste%27%20OR%20%271%27%3D%271" "%27" "1%27)%20OR%20(%271"; do
    for path in "/v1/sites?use_case=$v" "/v1/devices?use_case=$v" "/v1/devices?site=$v" \
        "/v1/devices?limit=$v" "/v1/devices?offset=$v" "/v1/sites?limit=$v" \
        "/v1/usecases/waste/latest?format=$v" "/v1/usecases/waste/latest?quantity=$v" \
        "/v1/usecases/$v/latest" "/v1/devices/$v" "/v1/devices/$v/latest"; do
        r=$(api_get "$path" "$KEY_ADMIN")
        case "$r" in
        400*'"reason"'* | 404*) ;;
        200*) [ "$(jqr "${r#* }" '.items | length')" = 0 ] || { bad=$((bad + 1)); echo "# $path: ${r:0:200}"; } ;;
        *) bad=$((bad + 1)); echo "# $path: ${r:0:200}" ;;
        esac
    done
done
after=$(sql "SELECT count(*) FROM device")
[ "$bad" = 0 ] && [ "$before" = "$after" ] && [ "$after" -gt 0 ] &&
    ok "injection attempts in every parameter give 400 or nothing; the device table is intact ($after)" ||
    not_ok "injection attempts" "$bad answered otherwise; devices $before then $after"
