# api_series.sh - GET /v1/devices/{dev_eui}/series on the back-filled day (sourced by api.sh:
# uses $API, the $KEY_* keys, $PARTNER_EUIS, $day_end and the helpers of run.sh): rollup
# buckets equal the same aggregates computed from the raw rows, raw is exactly the raw rows,
# CSV is JSON's points, auto picks its bucket by the range, bad parameters are 400s with a
# reason, and devices out of scope or inactive are 404s.

s_day_from=$(date -u -d "@$(($(date -u -d "$day_end" +%s) - 86400))" +%Y-%m-%dT%H:%M:%SZ)
s_ago() { date -u -d "@$(($(date -u -d "$day_end" +%s) - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }

# s_get PATH_AND_QUERY [KEY]: GET /v1/devices/PATH_AND_QUERY into $T/series.out (headers in
# $T/series.hdr); prints the status.
s_get() {
    curl -sS -D "$T/series.hdr" -o "$T/series.out" -w '%{http_code}' \
        -H "Authorization: Bearer ${2:-$KEY_ADMIN}" "$API/v1/devices/$1" 2>/dev/null
}

# s_diff KEY TOLERANCE REF_SQL: joins the points of the JSON answer in $T/series.out (n, t, v)
# with REF_SQL's rows (n, t, v) on KEY (n: in order, t: by bucket time) and prints
# "differences/points/reference rows". The answer goes through stdin: no argument limit.
s_diff() {
    {
        printf '%s' "WITH api AS (SELECT x.n, (x.p->>0)::timestamptz AS t, (x.p->>1)::float8 AS v
            FROM json_array_elements(\$body\$"
        cat "$T/series.out"
        printf '%s\n' "\$body\$::json->'points') WITH ORDINALITY AS x(p, n)), ref AS ($3)
        SELECT count(*) FILTER (WHERE api.$1 IS NULL OR ref.$1 IS NULL OR api.t IS DISTINCT FROM ref.t
                                OR api.v IS NULL OR ref.v IS NULL
                                OR abs(api.v - ref.v) > $2 * greatest(1, abs(ref.v)))
               || '/' || count(api.$1) || '/' || count(ref.$1)
        FROM api FULL JOIN ref USING ($1);"
    } | psql -X -A -t -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d mue 2>&1
}

# s_same R: R is "0/N/N" with N > 0 (no difference, as many points as reference rows).
s_same() { case "$1" in 0/[1-9]*) [ "${1#*/}" = "${1##*/}/${1##*/}" ] ;; *) false ;; esac; }

# A waste device and a noise device with rows of the back-filled day (not the load test's clones).
s_pick() {
    sql "SELECT d.id || ' ' || d.dev_eui FROM device d WHERE d.use_case = '$1' AND d.active
         AND d.dev_eui NOT LIKE 'fe%' AND EXISTS (SELECT 1 FROM measurement m WHERE m.device_id = d.id
         AND m.quantity = '$2' AND m.time >= '$s_day_from' AND m.time < '$day_end')
         ORDER BY d.dev_eui LIMIT 1"
}
set -- $(s_pick waste fill_level)
s_waste_id=${1:-0} s_waste=${2:-none}
set -- $(s_pick noise LAeq)
s_noise_id=${1:-0} s_noise=${2:-none}

# The same aggregates computed from the raw rows.
declare -A s_ref=(
    [mean]="avg(value)" [min]="min(value)" [max]="max(value)" [sum]="sum(value)"
    [count]="count(*)::float8" [first]="(array_agg(value ORDER BY time))[1]"
    [last]="(array_agg(value ORDER BY time DESC))[1]"
    [energetic_mean]="10 * log(avg(power(10, value / 10)))"
)
# s_check_buckets ID EUI QUANTITY AGG...: hour buckets over the back-filled day, and Paris-day
# buckets over the days whose local midnight falls in [day - 1, day + 2).
s_check_buckets() {
    local id=$1 eui=$2 q=$3 agg r bad=""
    local dfrom dto
    dfrom=$(s_ago 2) dto=$(s_ago -1)
    shift 3
    for agg in "$@"; do
        r=$(s_get "$eui/series?quantity=$q&from=$s_day_from&to=$day_end&bucket=hour&agg=$agg")
        case "$(head -c 200 "$T/series.out")" in
        "{\"dev_eui\":\"$eui\",\"quantity\":\"$q\",\"bucket\":\"hour\",\"agg\":\"$agg\",\"from\":\"$s_day_from\",\"to\":\"$day_end\",\"points\":[[\""*) ;;
        *) bad="$bad hour/$agg: $r $(head -c 200 "$T/series.out");" ; continue ;;
        esac
        r=$(s_diff t 1e-9 "SELECT 0 AS n, date_trunc('hour', time, 'UTC') AS t, ${s_ref[$agg]} AS v
            FROM measurement WHERE device_id = $id AND quantity = '$q'
            AND time >= '$s_day_from' AND time < '$day_end' GROUP BY 2")
        s_same "$r" || bad="$bad hour/$agg: $r;"

        r=$(s_get "$eui/series?quantity=$q&from=$dfrom&to=$dto&bucket=day&agg=$agg")
        grep -q '"bucket":"day","agg":"'"$agg"'","bucket_tz":"Europe/Paris"' "$T/series.out" ||
            { bad="$bad day/$agg: $r $(head -c 200 "$T/series.out");" ; continue; }
        r=$(s_diff t 1e-9 "SELECT 0 AS n, t, v FROM (
                SELECT ((time AT TIME ZONE 'Europe/Paris')::date::timestamp AT TIME ZONE 'Europe/Paris') AS t,
                       ${s_ref[$agg]} AS v
                FROM measurement WHERE device_id = $id AND quantity = '$q' GROUP BY 1) x
            WHERE t >= '$dfrom' AND t < '$dto'")
        s_same "$r" || bad="$bad day/$agg: $r;"
    done
    [ -z "$bad" ] && ok "series of $q from the rollups (hour and Paris day; $*) equal the same aggregates of the raw rows" ||
        not_ok "series of $q from the rollups equal the raw rows" "$bad"
}
s_check_buckets "$s_waste_id" "$s_waste" fill_level mean min max count first last sum
s_check_buckets "$s_noise_id" "$s_noise" LAeq mean min max count first last energetic_mean

# Raw: exactly the rows of [from, to), in time order (a from inside the day cuts it).
s_mid=$(date -u -d "@$(($(date -u -d "$day_end" +%s) - 43210))" +%Y-%m-%dT%H:%M:%SZ)
r=$(s_get "$s_noise/series?quantity=LAeq&from=$s_mid&to=$day_end&bucket=raw")
grep -q '"bucket":"raw","agg":null,' "$T/series.out" && grep -qi '^Transfer-Encoding: chunked' "$T/series.hdr" &&
    r=$(s_diff n 0 "SELECT row_number() OVER (ORDER BY time) AS n, time AS t, value AS v FROM measurement
        WHERE device_id = $s_noise_id AND quantity = 'LAeq' AND time >= '$s_mid' AND time < '$day_end'")
s_same "$r" && ok "raw series are exactly the stored rows of [from, to) in time order, streamed ($r)" ||
    not_ok "raw series equal the stored rows" "$r $(head -c 300 "$T/series.out")"

# CSV: the same points as JSON.
s_get "$s_waste/series?quantity=fill_level&from=$s_day_from&to=$day_end&bucket=raw" > /dev/null
s_json=$({
    printf '%s' "SELECT string_agg((x.p->>0) || ',' || (x.p->>1), E'\n' ORDER BY x.n) FROM json_array_elements(\$body\$"
    cat "$T/series.out"
    printf '%s\n' "\$body\$::json->'points') WITH ORDINALITY AS x(p, n);"
} | psql -X -A -t -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d mue 2>&1)
r=$(s_get "$s_waste/series?quantity=fill_level&from=$s_day_from&to=$day_end&bucket=raw&format=csv")
[ "$r" = 200 ] && [ "$(head -1 "$T/series.out")" = "time,value" ] &&
    grep -qi "^Content-Disposition: attachment; filename=\"${s_waste}_fill_level.csv\"" "$T/series.hdr" &&
    grep -qi '^Content-Type: text/csv' "$T/series.hdr" && [ -n "$s_json" ] &&
    [ "$(tail -n +2 "$T/series.out")" = "$s_json" ] &&
    ok "CSV series have the same points as JSON ($(($(wc -l < "$T/series.out") - 1)) lines), as an attachment" ||
    not_ok "CSV equals JSON" "$r $(head -3 "$T/series.out")"

# auto: raw up to 2 days, hour up to 90 days, else day.
bad=""
for pair in 1:raw 10:hour 365:day; do
    s_get "$s_waste/series?quantity=fill_level&from=$(s_ago "${pair%%:*}")&to=$day_end" > /dev/null
    grep -q "\"bucket\":\"${pair#*:}\"" "$T/series.out" || bad="$bad ${pair}: $(head -c 150 "$T/series.out")"
done
[ -z "$bad" ] && ok "bucket auto picks raw for 1 day, hour for 10 days, day for a year" ||
    not_ok "bucket auto" "$bad"

# 400s, each with a reason that names the parameter (the DevEUI's says DevEUI).
s_rows=$(sql "SELECT (SELECT count(*) FROM measurement) || '/' || (SELECT count(*) FROM device)")
s_q="$s_waste/series?quantity=fill_level&from=$s_day_from&to=$day_end"
bad=""
while IFS='|' read -r name query; do
    [ -n "$name" ] || continue
    r=$(s_get "$query")
    body=$(cat "$T/series.out")
    case "$r $body" in "400 {\"error\":\"bad_parameter\",\"reason\":\""*"$name"*) ;; *) bad="$bad [$query] $r $body;" ;; esac
done << EOF
quantity|$s_waste/series?from=$s_day_from
quantity|$s_waste/series?quantity=&from=$s_day_from
quantity|$s_waste/series?quantity=fill_level_with_a_name_too_long_to_be&from=$s_day_from
from|$s_waste/series?quantity=fill_level
from|$s_waste/series?quantity=fill_level&from=$day_end&to=$s_day_from
from|$s_waste/series?quantity=fill_level&from=$day_end&to=$day_end
from|$s_waste/series?quantity=fill_level&from=yesterday
to|$s_waste/series?quantity=fill_level&from=$s_day_from&to=2026-13-01T00:00:00Z
from|$s_waste/series?quantity=fill_level&from=1990-01-01T00:00:00Z&to=2020-01-01T00:00:00Z
bucket|$s_q&bucket=week
agg|$s_q&bucket=hour&agg=median
agg|$s_q&bucket=hour&agg=energetic_mean
format|$s_q&format=xml
quantity|$s_waste/series?quantity=fill_level'%20OR%20'1'%3D'1&from=$s_day_from
quantity|$s_waste/series?quantity=fill_level%3B%20DROP%20TABLE%20measurement%3B--&from=$s_day_from
from|$s_waste/series?quantity=fill_level&from=2026-01-01T00:00:00Z'%3B%20DROP%20TABLE%20measurement%3B--
to|$s_waste/series?quantity=fill_level&from=$s_day_from&to=2026-01-01T00:00:00Z'%20OR%20'1'%3D'1
bucket|$s_q&bucket=hour'%20OR%201%3D1--
agg|$s_q&bucket=hour&agg=mean)%3B%20DELETE%20FROM%20device%3B--
format|$s_q&format=json'%3B--
DevEUI|0011223344556677'%20OR%20'1'%3D'1/series?quantity=fill_level&from=$s_day_from
DevEUI|${s_waste:0:15}%27/series?quantity=fill_level&from=$s_day_from
EOF
[ -z "$bad" ] && [ "$(sql "SELECT (SELECT count(*) FROM measurement) || '/' || (SELECT count(*) FROM device)")" = "$s_rows" ] &&
    ok "bad series parameters and injection strings in each are 400s with a reason naming the parameter" ||
    not_ok "series 400s" "$bad"

# 404: unknown, inactive, out of the caller's scope; in scope: 200.
bad=""
s_none=0000000000000001
[ "$(sql "SELECT count(*) FROM device WHERE dev_eui = '$s_none'")" = 0 ] || bad="$s_none exists;"
s_p=$(echo "$PARTNER_EUIS" | cut -d' ' -f1)
while read -r want key eui q; do
    r=$(s_get "$eui/series?quantity=$q&from=$s_day_from&to=$day_end&bucket=hour" "${!key}")
    case "$want $r $(head -c 100 "$T/series.out")" in
    "404 404 {\"error\":\"not_found\""* | "200 200 {\"dev_eui\":\"$eui\""*) ;;
    *) bad="$bad $key $eui: $r $(head -c 100 "$T/series.out");" ;;
    esac
done << EOF
404 KEY_ADMIN $s_none fill_level
404 KEY_DIRECTORATE $s_noise LAeq
200 KEY_DIRECTORATE $s_waste fill_level
200 KEY_OPERATOR $s_noise LAeq
404 KEY_PARTNER $s_waste fill_level
200 KEY_PARTNER $s_p temperature
EOF
sql "UPDATE device SET active = false WHERE id = $s_waste_id" > /dev/null
r=$(s_get "$s_waste/series?quantity=fill_level&from=$s_day_from&to=$day_end")
sql "UPDATE device SET active = true WHERE id = $s_waste_id" > /dev/null
[ "$r" = 404 ] || bad="$bad inactive: $r;"
[ -z "$bad" ] && ok "series of unknown, inactive or out-of-scope devices are 404s; in scope, 200s" ||
    not_ok "series 404s" "$bad"
