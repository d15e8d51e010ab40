# api_indicators.sh - the use cases' indicators against the back-filled day of the simulated fleet
# (sourced by api.sh: uses $API, the $KEY_* keys, $PARTNER_EUIS, api_get, sql, ok, not_ok, and
# $day_end from sim.sh). Each figure of an answer is checked in PostgreSQL against the same figure
# computed there another way (raw rows rather than rollups, covariances rather than regr_slope):
# waste classes and fill rates, water vigilance, noise levels and profile, counts, heat nights;
# bad parameters are 400s naming them, and the directorate (waste, water) sees only its own.

# i_sql QUERY: runs QUERY with the last answer's body (api_get's $T/api_body) as the jsonb
# column j of a relation api, and the answer's items as the jsonb x of a relation items.
i_sql() {
    {
        printf '%s' 'WITH api AS (SELECT $b$'
        cat "$T/api_body"
        printf '%s\n' "\$b\$::jsonb AS j), items AS (SELECT x FROM api, jsonb_array_elements(api.j->'items') AS x) $1;"
    } | psql -X -A -t -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d mue 2>&1
}
# i_ne A B [TOLERANCE]: SQL that is true when the doubles A and B differ (one null, or beyond
# TOLERANCE relative, 1e-9 unless told).
i_ne() { printf '(%s IS NULL) <> (%s IS NULL) OR abs(%s - %s) > %s * greatest(1, abs(%s))' "$1" "$2" "$1" "$2" "${3:-1e-9}" "$2"; }
ijq() { printf '%s' "$1" | jq -r "$2" 2>/dev/null; }
i_day=$(date -u -d "$day_end - 1 day" +%Y-%m-%d)

# --- waste
r=$(api_get /v1/indicators/waste)
n=$(sql "SELECT count(*) FROM device WHERE active AND use_case = 'waste'")
[ "${r%% *}" = 200 ] && [ "$n" -gt 0 ] &&
    [ "$(ijq "${r#* }" '"\([.summary.classes[]] | add) \(.total) \(.items | length)"')" = "$n $n $n" ] &&
    ok "waste: the classes of the summary sum to the $n active waste devices" || not_ok "waste classes" "want $n; ${r:0:300}"
got=$(i_sql "SELECT count(*) FILTER (WHERE i.x IS NULL OR ref.dev_eui IS NULL
                OR $(i_ne "(i.x->>'fill_level')::float8" ref.value)
                OR (i.x->>'fill_class') IS DISTINCT FROM ref.class) || '/' || count(ref.value)
        FROM items i FULL JOIN (SELECT d.dev_eui, l.value,
                 CASE WHEN l.value >= 90 THEN 'full' WHEN l.value >= 75 THEN 'high' WHEN l.value >= 50 THEN 'medium'
                      WHEN l.value >= 25 THEN 'low' WHEN l.value >= 0 THEN 'empty' END AS class
             FROM device d LEFT JOIN latest_value l ON l.device_id = d.id AND l.quantity = 'fill_level'
             WHERE d.active AND d.use_case = 'waste') AS ref ON ref.dev_eui = i.x->>'dev_eui'")
case "$got" in 0/[1-9]*) ok "waste: every fill_level equals latest_value and its class its range ($got)" ;; *) not_ok "waste fill levels" "$got" ;; esac
# The rate since the last emptying, as cov(t, v) / var(t) over the readings after the last drop.
got=$(i_sql "SELECT count(*) FILTER (WHERE $(i_ne "(i.x->>'fill_rate_pct_per_day')::float8" ref.rate 1e-6))
                    || '/' || count(ref.rate)
        FROM items i LEFT JOIN (
            SELECT d.dev_eui, CASE WHEN count(*) >= 2 THEN covar_pop(m.value, extract(epoch FROM m.time) / 86400)
                                   / var_pop(extract(epoch FROM m.time) / 86400) END AS rate
            FROM device d JOIN measurement m ON m.device_id = d.id AND m.quantity = 'fill_level'
            WHERE d.active AND d.use_case = 'waste' AND m.time > now() - interval '14 days'
            AND NOT EXISTS (SELECT 1 FROM measurement a JOIN measurement b ON b.device_id = a.device_id
                AND b.quantity = a.quantity AND b.time = (SELECT max(p.time) FROM measurement p
                    WHERE p.device_id = a.device_id AND p.quantity = a.quantity AND p.time < a.time
                    AND p.time > now() - interval '14 days')
                WHERE a.device_id = d.id AND a.quantity = 'fill_level' AND a.time > m.time
                AND a.time > now() - interval '14 days' AND b.value - a.value > 30)
            GROUP BY d.dev_eui) AS ref ON ref.dev_eui = i.x->>'dev_eui'")
case "$got" in 0/[1-9]*) ok "waste: the fill rates since the last emptying equal an independent slope ($got)" ;; *) not_ok "waste fill rates" "$got" ;; esac
got=$(i_sql "SELECT count(*) FILTER (WHERE CASE WHEN (i.x->>'fill_rate_pct_per_day')::float8 > 0
                 THEN abs(extract(epoch FROM (i.x->>'predicted_full')::timestamptz - ((i.x->>'time')::timestamptz
                      + (100 - (i.x->>'fill_level')::float8) / (i.x->>'fill_rate_pct_per_day')::float8 * interval '1 day'))) > 1
                 ELSE i.x->>'predicted_full' IS NOT NULL END
             OR (i.x->>'collect_today')::boolean IS DISTINCT FROM (coalesce((i.x->>'fill_level')::float8 >= 90, false)
                 OR coalesce((i.x->>'predicted_full')::timestamptz < (((now() AT TIME ZONE 'Europe/Paris')::date + 1)
                     + time '06:00') AT TIME ZONE 'Europe/Paris', false)))
             || ' ' || (SELECT count(*) FROM items WHERE (x->>'collect_today')::boolean)
             || ' ' || (SELECT jsonb_array_length(j->'summary'->'collect_today') FROM api)
             || ' ' || (SELECT count(*) FROM items, api WHERE (x->>'collect_today')::boolean
                        AND NOT j->'summary'->'collect_today' ? (x->>'dev_eui'))
        FROM items i")
set -- $got
[ "$#" = 4 ] && [ "$1" = 0 ] && [ "$2" = "$3" ] && [ "$4" = 0 ] &&
    ok "waste: predicted_full extends the rate to 100 %, collect_today lists the full and the soon full ($2)" ||
    not_ok "waste predictions" "$got"
n=$(sql "SELECT count(*) FROM device d JOIN site s ON s.id = d.site_id WHERE d.active AND d.use_case = 'waste' AND s.insee = '13001'")
r=$(api_get /v1/indicators/waste?commune=13001)
[ "${r%% *}" = 200 ] && [ "$(ijq "${r#* }" '"\(.total) \([.items[] | select(.site.insee != "13001")] | length)"')" = "$n 0" ] &&
    ok "waste?commune=13001: the devices whose site is in that commune ($n)" || not_ok "waste by commune" "want $n; ${r:0:300}"
bad=0
for v in abc 1300 130011 13C01 "13001%27%20OR%20%271%27%3D%271" "%27%3B%20DROP%20TABLE%20device%3B%20--"; do
    r=$(api_get "/v1/indicators/waste?commune=$v")
    case "$r" in 400*commune*) ;; *) bad=$((bad + 1)); echo "# commune=$v: ${r:0:200}" ;; esac
done
[ "$bad" = 0 ] && ok "waste: malformed communes and injections are 400s naming commune" || not_ok "waste bad communes" "$bad"

# --- water: each station's level against its level device's thresholds
r=$(api_get /v1/indicators/water)
got=$(i_sql "SELECT count(*) FILTER (WHERE i.x IS NULL OR ref.site_id IS NULL
                 OR (i.x->>'vigilance') IS DISTINCT FROM ref.vigilance
                 OR $(i_ne "(i.x->>'water_level')::float8" ref.value)
                 OR $(i_ne "(i.x->'thresholds'->>'red')::float8" ref.red))
             || '/' || count(ref.vigilance) || '/' || count(DISTINCT ref.vigilance)
        FROM items i FULL JOIN (
            SELECT DISTINCT ON (d.site_id) d.site_id, l.value, (d.params->>'vigilance_red_m')::float8 AS red,
                   CASE WHEN l.value >= (d.params->>'vigilance_red_m')::float8 THEN 'red'
                        WHEN l.value >= (d.params->>'vigilance_orange_m')::float8 THEN 'orange'
                        WHEN l.value >= (d.params->>'vigilance_yellow_m')::float8 THEN 'yellow' ELSE 'green' END AS vigilance
            FROM device d JOIN site s ON s.id = d.site_id AND s.use_case = 'water'
            JOIN latest_value l ON l.device_id = d.id AND l.quantity = 'water_level'
            WHERE d.active AND NOT EXISTS (SELECT 1 FROM latest_value c WHERE c.device_id = d.id AND c.quantity = 'conductivity')
            ORDER BY d.site_id, d.dev_eui) AS ref ON ref.site_id = (i.x->>'site_id')::bigint")
stations=$(sql "SELECT count(DISTINCT site_id) FROM device WHERE active AND use_case = 'water' AND site_id IS NOT NULL")
case "${r%% *} $got" in "200 0/$stations/"*) ok "water: each of the $stations stations' vigilance matches its thresholds ($got: differences/stations/levels)" ;;
*) not_ok "water vigilance" "$stations stations; $got; ${r:0:300}" ;; esac
# Thresholds moved under one station's level: orange, then red; one that is not a number is absent.
w_eui=$(ijq "${r#* }" '[.items[] | select(.water_level != null and .water_level > 0.01)][0].level_dev_eui')
w_params=$(sql "SELECT params FROM device WHERE dev_eui = '$w_eui'")
w_vig() {
    sql "UPDATE device SET params = params || '$1'::jsonb WHERE dev_eui = '$w_eui'" > /dev/null
    api_get /v1/indicators/water > /dev/null
    ijq "$(cat "$T/api_body")" "[.items[] | select(.level_dev_eui == \"$w_eui\") | .vigilance // \"null\"] | join(\",\")"
}
got="$(w_vig '{"vigilance_yellow_m": 0, "vigilance_orange_m": 0.01}') $(w_vig '{"vigilance_red_m": 0.01}')"
got="$got $(w_vig '{"vigilance_red_m": "high"}') $(w_vig '{"vigilance_yellow_m": null, "vigilance_orange_m": [1]}')"
sql "UPDATE device SET params = '$w_params'::jsonb WHERE dev_eui = '$w_eui'" > /dev/null
r=$(api_get /v1/indicators/water)
[ "$got" = "orange red orange null" ] &&
    ok "water: a level above moved thresholds is orange, then red; thresholds that are not numbers are ignored" ||
    not_ok "water vigilance levels" "$w_eui: $got"
got=$(i_sql "SELECT count(*) FILTER (WHERE $(i_ne "(i.x->'quality'->>'conductivity')::float8" ref.value)
                 OR $(i_ne "(i.x->'quality'->>'temperature')::float8" ref.temperature)
                 OR (i.x->'quality'->>'dev_eui') IS DISTINCT FROM ref.dev_eui
                 OR $(i_ne "(i.x->>'rise_rate_cm_per_h')::float8" rise.cm_h))
             || '/' || count(ref.value) || '/' || count(rise.cm_h)
        FROM items i
        LEFT JOIN (SELECT DISTINCT ON (d.site_id) d.site_id, d.dev_eui, l.value, t.value AS temperature FROM device d
                   JOIN latest_value l ON l.device_id = d.id AND l.quantity = 'conductivity'
                   LEFT JOIN latest_value t ON t.device_id = d.id AND t.quantity = 'temperature'
                   WHERE d.active ORDER BY d.site_id, d.dev_eui) AS ref ON ref.site_id = (i.x->>'site_id')::bigint
        LEFT JOIN LATERAL (SELECT (last.value - first.value) * 100 / (extract(epoch FROM last.time - first.time) / 3600) AS cm_h
                   FROM device d JOIN measurement last ON last.device_id = d.id AND last.quantity = 'water_level'
                   JOIN measurement first ON first.device_id = d.id AND first.quantity = 'water_level'
                   WHERE d.dev_eui = i.x->>'level_dev_eui'
                   AND last.time = (SELECT max(time) FROM measurement WHERE device_id = d.id AND quantity = 'water_level')
                   AND first.time < last.time AND first.time >= last.time - interval '1 hour'
                   ORDER BY first.time LIMIT 1) AS rise ON true")
case "$got" in 0/[1-9]*/[1-9]*) ok "water: quality conductivity and rise rates in cm/h agree with PostgreSQL ($got)" ;; *) not_ok "water quality and rise" "$got" ;; esac

# --- noise: the back-filled day's levels, and the hourly profile from the raw rows
r=$(api_get "/v1/indicators/noise?day=$i_day")
got=$(i_sql "SELECT count(*) FILTER (WHERE i.x IS NULL OR n.site_id IS NULL OR $(i_ne "(i.x->>'lden')::float8" n.lden)
                 OR $(i_ne "(i.x->>'lnight')::float8" n.lnight) OR $(i_ne "(i.x->>'lday')::float8" n.lday)
                 OR jsonb_array_length(i.x->'hourly_laeq') <> 24)
             || '/' || count(n.lden)
        FROM items i FULL JOIN (SELECT * FROM noise_site_day WHERE day = '$i_day' AND site_id IN
             (SELECT site_id FROM device WHERE active AND use_case = 'noise')) AS n ON n.site_id = (i.x->>'site_id')::bigint")
sites=$(sql "SELECT count(DISTINCT site_id) FROM device WHERE active AND use_case = 'noise' AND site_id IS NOT NULL")
case "${r%% *} $got" in "200 0/$sites") ok "noise of $i_day: Lday, Lnight and Lden of the $sites sites equal noise_site_day; 24 hourly values each" ;;
*) not_ok "noise levels" "$sites sites; $got; ${r:0:300}" ;; esac
got=$(i_sql "SELECT count(*) FILTER (WHERE $(i_ne "(h.v #>> '{}')::float8" ref.level)) || '/' || count(ref.level)
        FROM items i CROSS JOIN LATERAL jsonb_array_elements(i.x->'hourly_laeq') WITH ORDINALITY AS h(v, n)
        LEFT JOIN (SELECT d.site_id, extract(hour FROM m.time AT TIME ZONE 'Europe/Paris') AS hour,
                          10 * log(avg(power(10::numeric, m.value::numeric / 10)))::float8 AS level
                   FROM measurement m JOIN device d ON d.id = m.device_id
                   WHERE m.quantity = 'LAeq' AND (m.time AT TIME ZONE 'Europe/Paris')::date = '$i_day'
                   GROUP BY 1, 2) AS ref ON ref.site_id = (i.x->>'site_id')::bigint AND ref.hour = h.n - 1")
case "$got" in 0/[1-9]*) ok "noise: the hourly profile is the energetic mean of the raw LAeq of each Paris hour ($got)" ;; *) not_ok "noise profile" "$got" ;; esac
r=$(api_get /v1/indicators/noise)
[ "${r%% *}" = 200 ] && [ "$(ijq "${r#* }" .day)" = "$(sql "SELECT to_char((now() AT TIME ZONE 'Europe/Paris')::date - 1, 'YYYY-MM-DD')")" ] &&
    ok "noise: the day defaults to yesterday in Paris" || not_ok "noise default day" "${r:0:200}"
bad=0
for q in day=2026-02-30 day=2025-13-01 day=26-01-01 day=abc day=2026-1-01 "day=2026-01-01%27%3B%20DROP%20TABLE%20device%3B%20--"; do
    r=$(api_get "/v1/indicators/noise?$q")
    case "$r" in 400*day*) ;; *) bad=$((bad + 1)); echo "# $q: ${r:0:200}" ;; esac
    r=$(api_get "/v1/indicators/heat?${q/day/night}")
    case "$r" in 400*night*) ;; *) bad=$((bad + 1)); echo "# heat ${q/day/night}: ${r:0:200}" ;; esac
done
r=$(api_get "/v1/indicators/noise?day=2024-02-29")
[ "$bad" = 0 ] && [ "${r%% *}" = 200 ] && ok "noise and heat: malformed dates are 400s naming the parameter (Feb 29 of a leap year is a date)" ||
    not_ok "bad dates" "$bad; ${r:0:200}"

# --- the directorate's scope
codes=""
for u in waste water noise counting heat; do codes="$codes $(api_get "/v1/indicators/$u" "$KEY_DIRECTORATE" | cut -c1-3)"; done
r=$(api_get /v1/indicators/noise "$KEY_DIRECTORATE")
[ "$codes" = " 200 200 404 404 404" ] && case "$r" in 404*not_found*) true ;; *) false ;; esac &&
    ok "the directorate (waste, water) gets 200 on its indicators and 404 on noise, counting, heat" ||
    not_ok "directorate indicators" "$codes; $r"

# --- counting: yesterday (a Paris day) from the raw counts, per counter and direction
r=$(api_get /v1/indicators/counting)
got=$(i_sql "SELECT count(*) FILTER (WHERE coalesce(ref.n_in, 0) <> (i.x->'in'->>'yesterday')::numeric
                 OR coalesce(ref.n_out, 0) <> (i.x->'out'->>'yesterday')::numeric
                 OR (i.x->'total'->>'year')::bigint <> (i.x->'in'->>'year')::bigint + (i.x->'out'->>'year')::bigint
                 OR (i.x->'total'->>'year')::bigint < (i.x->'total'->>'today')::bigint)
             || '/' || count(*) || '/' || count(ref.n_in) || '/' || (SELECT count(*) FROM device WHERE active AND use_case = 'counting')
        FROM items i LEFT JOIN (
            SELECT d.dev_eui, sum(m.value) FILTER (WHERE m.quantity LIKE '%\_in') AS n_in,
                   sum(m.value) FILTER (WHERE m.quantity LIKE '%\_out') AS n_out
            FROM device d JOIN measurement m ON m.device_id = d.id
            WHERE d.use_case = 'counting' AND m.quantity ~ '^(bike|pedestrian)_count_(in|out)$'
            AND (m.time AT TIME ZONE 'Europe/Paris')::date = (now() AT TIME ZONE 'Europe/Paris')::date - 1
            GROUP BY d.dev_eui) AS ref ON ref.dev_eui = i.x->>'dev_eui'")
set -- ${got//\// }
[ "${r%% *}" = 200 ] && [ "$#" = 4 ] && [ "$1" = 0 ] && [ "$2" = "$4" ] && [ "$3" -gt 0 ] &&
    ok "counting: yesterday per counter and direction equals the sum of the raw counts; totals add up ($got)" ||
    not_ok "counting" "$got; ${r:0:300}"
c_eui=$(ijq "${r#* }" '[.items[] | select(.total.yesterday > 0)][0].dev_eui')
c_want=$(ijq "${r#* }" "[.items[] | select(.dev_eui == \"$c_eui\")][0] | \"\\(.name) \\(.total.today) \\(.total.year)\"")
hdr=$(curl -sS -D - -o "$T/api_body" "$API/v1/counters/${c_eui^^}/display")
body=$(cat "$T/api_body")
[ -n "$c_eui" ] && [ "$(ijq "$body" '"\(.name) \(.today) \(.year)"')" = "$c_want" ] &&
    [ "$(ijq "$body" '.dev_eui + " " + (.updated | type)')" = "$c_eui string" ] &&
    case "$hdr" in *"Cache-Control: public, max-age=30"*) true ;; *) false ;; esac &&
    ok "a counter's display shows the indicators' today and year ($c_want), cached 30 s" || not_ok "counter display" "$c_want; $body"
waste_eui=$(sql "SELECT dev_eui FROM device WHERE active AND use_case = 'waste' ORDER BY dev_eui LIMIT 1")
codes="$(api_get "/v1/counters/$waste_eui/display" | cut -c1-3) $(api_get /v1/counters/ffffffffffff0009/display | cut -c1-3)"
codes="$codes $(api_get "/v1/counters/$c_eui/display" "$KEY_DIRECTORATE" | cut -c1-3) $(api_get /v1/counters/zz/display | cut -c1-3)"
[ "$codes" = "404 404 404 400" ] && ok "display: 404 for a waste device, an unknown one, or out of scope; 400 for a bad DevEUI" ||
    not_ok "display errors" "$codes"

# --- heat: every sensor has its night of the back-filled day
r=$(api_get "/v1/indicators/heat?night=$i_day")
# (the load test's clones of the fleet are heat devices too, without history: their nights are null)
got=$(i_sql "SELECT count(*) FILTER (WHERE d.id IS NULL OR $(i_ne "(i.x->>'tmin')::float8" h.tmin)
                 OR $(i_ne "(i.x->>'island')::float8" h.island) OR (i.x->>'hours')::int IS DISTINCT FROM h.hours
                 OR (i.x->>'tropical')::boolean IS DISTINCT FROM h.tropical
                 OR (i.x->>'heatwave_night')::boolean IS DISTINCT FROM h.heatwave_night
                 OR (i.x->>'setting') IS DISTINCT FROM d.params->>'setting'
                 OR (d.dev_eui IN ($fleet_euis) AND NOT h.hours > 0))
             || '/' || count(*) || '/' || (SELECT count(*) FROM device WHERE active AND use_case = 'heat')
             || '/' || count(h.tmin) FILTER (WHERE d.dev_eui IN ($fleet_euis))
             || '/' || (SELECT count(*) FROM device WHERE active AND use_case = 'heat' AND dev_eui IN ($fleet_euis))
        FROM items i LEFT JOIN device d ON d.dev_eui = i.x->>'dev_eui'
        LEFT JOIN heat_night h ON h.device_id = d.id AND h.night = '$i_day'")
set -- ${got//\// }
[ "${r%% *}" = 200 ] && [ "$#" = 5 ] && [ "$1" = 0 ] && [ "$2" = "$3" ] && [ "$4" = "$5" ] && [ "$4" -gt 0 ] &&
    ok "heat: each of the fleet's $4 sensors has its night of $i_day as heat_night holds it ($got)" || not_ok "heat nights" "$got; ${r:0:300}"
r=$(api_get "/v1/indicators/heat?night=$i_day" "$KEY_PARTNER")
[ "$(ijq "${r#* }" '[.items[].dev_eui] | sort | join(" ")')" = "$PARTNER_EUIS" ] &&
    [ "$(ijq "$(api_get /v1/indicators/waste "$KEY_PARTNER" | cut -d' ' -f2-)" '.total')" = 0 ] &&
    ok "the partner sees its own heat sensors only, and no container" || not_ok "partner heat" "${r:0:300}"
