# opendata.sh - mue-opendata against the suite's servers (sourced by run.sh once the simulated
# fleet has a day of history and mue-api runs with MUE_API_OPENDATA_ROOT=$T/opendata/public):
# every dataset exported in every format and checked against the database, the files served at
# stable URLs, the DCAT-AP catalogue read as a harvester reads it, a fake CKAN portal (standing
# for DataSud) fed without duplicates and through its failures, restricted data kept out of every
# public place, and a run killed in the middle that leaves the published files whole.

PY=/usr/bin/python3
ODT=tests/integration/opendata
OD=$T/opendata
mkdir -p "$OD"
# The suite's own copy of the definitions: every period counts as soon as it ends (the real file
# waits, e.g. 8 h after a noise day for its night to end), so yesterday's back-fill is complete.
"$PY" - deploy/opendata/datasets.json "$OD/datasets.json" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1]))
for d in c["datasets"]:
    d["delay_s"] = 0
json.dump(c, open(sys.argv[2], "w"), ensure_ascii=False)
PYEOF
OPEN_IDS=$("$PY" -c 'import json,sys; print(",".join(d["id"] for d in json.load(open(sys.argv[1]))["datasets"] if d.get("access") != "restricted"))' "$OD/datasets.json")
RESTRICTED_IDS=$("$PY" -c 'import json,sys; print(" ".join(d["id"] for d in json.load(open(sys.argv[1]))["datasets"] if d.get("access") == "restricted"))' "$OD/datasets.json")
N_OPEN=$(tr ',' '\n' <<< "$OPEN_IDS" | wc -l)

# opendata [VAR=VALUE...]: one run of every dataset (MUE_OPENDATA_ONCE), logged.
opendata() {
    env MUE_PG_DSN="$(svc_dsn opendata)" MUE_OPENDATA_ONCE=1 MUE_OPENDATA_DATASETS="$OD/datasets.json" \
        MUE_OPENDATA_PUBLIC_DIR="$OD/public" MUE_OPENDATA_PRIVATE_DIR="$OD/restricted" \
        MUE_OPENDATA_BASE_URL="$API" MUE_OPENDATA_CKAN_ATTEMPTS=6 "$@" \
        "${VG[@]}" "$BIN/mue-opendata" >> "$T/log/opendata.log" 2>&1
}
# files_sum DIR: one checksum of the daily datasets' files (their last complete period only moves
# at midnight, while an hour or a quarter may end between two runs).
files_sum() {
    (cd "$1" && find bruit-indicateurs-jour eclairage-energie-jour -type f -print0 | sort -z |
        xargs -0 sha256sum | sha256sum | cut -c1-16)
}

opendata && ok "mue-opendata exports every dataset once and exits 0" ||
    not_ok "mue-opendata once" "$(tail -5 "$T/log/opendata.log")"
n=$(sql "SELECT count(*) FROM opendata_run WHERE state = 'ok'")
d=$(sql "SELECT count(*) FROM opendata_dataset")
[ "$n" = "$d" ] && [ "$d" -ge 9 ] && ok "each of the $d datasets' run is recorded ok" ||
    not_ok "runs recorded" "$n ok of $d: $(sql "SELECT dataset, state, error FROM opendata_run")"
n=$(sql "SELECT count(*) FROM opendata_run WHERE finished_at >= started_at AND rows >= 0
         AND parts_done = parts_total AND pid IS NOT NULL")
[ "$n" = "$d" ] && ok "a run records its start, end, rows and monthly parts" || not_ok "run columns" "$n of $d"

# --- the files against the database (reference rows computed from the raw measurements)
range() { sql "SELECT to_char(first_period, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), to_char(done_until,
                'YYYY-MM-DD\"T\"HH24:MI:SSOF') FROM opendata_dataset WHERE id = '$1'" | tr '|' ' '; }
ref() { psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d mue -c "COPY ($1) TO STDOUT WITH CSV HEADER"; }
ISO_UTC="'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"
check() { # ID KEY VALUES REF_SQL: the CSV, GeoJSON and JSON of ID against REF_SQL's rows
    local id=$1 dir=$OD/public/$1 cols
    cols=$(head -1 "$dir/$id.csv" | tr -d '\r')
    ref "$4" > "$OD/$id.ref.csv"
    "$PY" $ODT/check_table.py --name "$id" --columns "$5" --key "$2" --values "$3" \
        --geojson "$dir/$id.geojson" --json "$dir/$id.json" "$dir/$id.csv" "$OD/$id.ref.csv" \
        > "$OD/$id.check" 2>&1
    while IFS= read -r line; do
        case "$line" in "ok - "*) ok "${line#ok - }" ;; "not ok - "*) not_ok "${line#not ok - }" ;; *) not_ok "$id check" "$line" ;; esac
    done < "$OD/$id.check"
}
DEVCOLS=period_start,period_end,device_eui,name,commune_insee,latitude,longitude,site

read -r from until <<< "$(range dechets-remplissage-heure)"
check dechets-remplissage-heure period_start,device_eui fill_level,temperature "
    SELECT to_char(date_trunc('hour', m.time) AT TIME ZONE 'UTC', $ISO_UTC) AS period_start,
           d.dev_eui AS device_eui,
           avg(m.value) FILTER (WHERE m.quantity = 'fill_level') AS fill_level,
           avg(m.value) FILTER (WHERE m.quantity = 'temperature') AS temperature
    FROM measurement m JOIN device d ON d.id = m.device_id
    WHERE m.use_case = 'waste' AND m.quantity IN ('fill_level', 'temperature')
      AND m.time >= '$from' AND m.time < '$until' GROUP BY 1, 2" "$DEVCOLS,fill_level,temperature"

read -r from until <<< "$(range rivieres-qualite-15min)"
check rivieres-qualite-15min period_start,device_eui temperature,ph,conductivity,turbidity,dissolved_oxygen "
    SELECT to_char(date_bin('15 minutes', m.time, '2000-01-01 00:00Z') AT TIME ZONE 'UTC', $ISO_UTC)
               AS period_start, d.dev_eui AS device_eui,
           avg(m.value) FILTER (WHERE m.quantity = 'temperature') AS temperature,
           avg(m.value) FILTER (WHERE m.quantity = 'ph') AS ph,
           avg(m.value) FILTER (WHERE m.quantity = 'conductivity') AS conductivity,
           avg(m.value) FILTER (WHERE m.quantity = 'turbidity') AS turbidity,
           avg(m.value) FILTER (WHERE m.quantity = 'dissolved_oxygen') AS dissolved_oxygen
    FROM measurement m JOIN device d ON d.id = m.device_id
    WHERE m.use_case = 'water' AND m.time >= '$from' AND m.time < '$until'
      AND m.quantity IN ('temperature', 'ph', 'conductivity', 'turbidity', 'dissolved_oxygen')
    GROUP BY 1, 2" "$DEVCOLS,temperature,ph,conductivity,turbidity,dissolved_oxygen"

read -r from until <<< "$(range comptages-velos-pietons-heure)"
check comptages-velos-pietons-heure period_start,device_eui bike_count_in,bike_count_out,pedestrian_count_in,pedestrian_count_out "
    SELECT to_char(date_trunc('hour', m.time) AT TIME ZONE 'UTC', $ISO_UTC) AS period_start,
           d.dev_eui AS device_eui,
           sum(m.value) FILTER (WHERE m.quantity = 'bike_count_in') AS bike_count_in,
           sum(m.value) FILTER (WHERE m.quantity = 'bike_count_out') AS bike_count_out,
           sum(m.value) FILTER (WHERE m.quantity = 'pedestrian_count_in') AS pedestrian_count_in,
           sum(m.value) FILTER (WHERE m.quantity = 'pedestrian_count_out') AS pedestrian_count_out
    FROM measurement m JOIN device d ON d.id = m.device_id
    WHERE m.use_case = 'counting' AND m.time >= '$from' AND m.time < '$until'
      AND m.quantity IN ('bike_count_in', 'bike_count_out', 'pedestrian_count_in', 'pedestrian_count_out')
    GROUP BY 1, 2" "$DEVCOLS,bike_count_in,bike_count_out,pedestrian_count_in,pedestrian_count_out"

# The noise indicators from the raw LAeq samples: energetic means of the local day, evening and
# night (22-06, on the day it starts), and Lden over the night's real length.
read -r from until <<< "$(range bruit-indicateurs-jour)"
check bruit-indicateurs-jour period_start,site_id lday,levening,lnight,lden "
    WITH s AS (SELECT d.site_id, (m.time AT TIME ZONE 'Europe/Paris') AS lt, m.value
               FROM measurement m JOIN device d ON d.id = m.device_id
               WHERE m.use_case = 'noise' AND m.quantity = 'LAeq' AND d.site_id IS NOT NULL),
    p AS (SELECT site_id, value,
                 CASE WHEN lt::time >= '06:00' AND lt::time < '18:00' THEN 'd'
                      WHEN lt::time >= '18:00' AND lt::time < '22:00' THEN 'e' ELSE 'n' END AS per,
                 CASE WHEN lt::time < '06:00' THEN (lt - interval '1 day')::date ELSE lt::date END AS day
          FROM s),
    l AS (SELECT site_id, day,
                 10 * log(avg(power(10::numeric, value::numeric / 10)) FILTER (WHERE per = 'd')) AS ld,
                 10 * log(avg(power(10::numeric, value::numeric / 10)) FILTER (WHERE per = 'e')) AS le,
                 10 * log(avg(power(10::numeric, value::numeric / 10)) FILTER (WHERE per = 'n')) AS ln,
                 extract(epoch FROM ((day + 1) + time '06:00') AT TIME ZONE 'Europe/Paris'
                                   - (day + time '22:00') AT TIME ZONE 'Europe/Paris') / 3600 AS tn
          FROM p GROUP BY 1, 2)
    SELECT to_char((day + time '06:00') AT TIME ZONE 'Europe/Paris' AT TIME ZONE 'UTC', $ISO_UTC) AS period_start,
           site_id, ld AS lday, le AS levening, ln AS lnight,
           10 * log((12 * power(10, ld / 10) + 4 * power(10, (le + 5) / 10) + tn * power(10, (ln + 10) / 10))
                    / (16 + tn)) AS lden
    FROM l WHERE day >= ('$from'::timestamptz AT TIME ZONE 'Europe/Paris')::date
             AND day < ('$until'::timestamptz AT TIME ZONE 'Europe/Paris')::date" \
    "period_start,period_end,date,site_id,name,commune_insee,latitude,longitude,lday,levening,lnight,lden"

check capteurs device_eui fill_level "
    SELECT d.dev_eui AS device_eui, l.value AS fill_level FROM device d
    LEFT JOIN latest_value l ON l.device_id = d.id AND l.quantity = 'fill_level' WHERE d.active" \
    "device_eui,name,commune_insee,latitude,longitude,use_case,model,site,site_id,installed_at,last_seen,counts,ltr,groups,fill_level,temperature,lamp_failure"

# NGSI-LD: each model's required attributes, ids unique, values in the model's enums.
ngsi=$(ls "$OD"/public/*/*.jsonld | grep -v '/20[0-9][0-9]-' | grep -v context.jsonld)
if "$PY" $ODT/check_ngsild.py $ngsi > "$OD/ngsild.check" 2>&1; then
    ok "NGSI-LD entities carry their Smart Data Model's required attributes ($(wc -w <<< "$ngsi") files, $(grep -c '^ok' "$OD/ngsild.check") checks)"
else
    not_ok "NGSI-LD entities" "$(grep '^not ok' "$OD/ngsild.check" | head -3)"
fi
n=$(grep -h -o '"type":"[A-Za-z]*","' $ngsi | sort -u | tr -d '\n')
case "$n" in *CrowdFlowObserved*NoiseLevelObserved*Streetlight*StreetlightControlCabinet*TrafficFlowObserved*WasteContainer*WaterObserved*WaterQualityObserved*)
    ok "the NGSI-LD files hold the eight models of the use cases" ;; *) not_ok "NGSI-LD models" "$n" ;; esac

# The national counting schema, and its counts against the database.
c=$OD/public/comptages-velos-pietons-heure/comptages-velos-pietons-heure
if "$PY" $ODT/check_counting.py "$c-sites.csv" "$c-channels.csv" "$c-measures.csv" > "$OD/counting.check" 2>&1; then
    ok "the counting files follow schema-comptage-mobilites ($(grep -c '^ok' "$OD/counting.check") checks)"
else
    not_ok "counting schema" "$(grep '^not ok' "$OD/counting.check" | head -3)"
fi
read -r from until <<< "$(range comptages-velos-pietons-heure)"
a=$(awk -F, 'NR > 1 { s += $5 } END { print s + 0 }' "$c-measures.csv")
b=$(sql "SELECT sum(m.value)::bigint FROM measurement m WHERE m.use_case = 'counting' AND m.time >= '$from'
         AND m.time < '$until' AND m.quantity IN ('bike_count_in', 'bike_count_out', 'pedestrian_count_in', 'pedestrian_count_out')")
[ "$a" = "$b" ] && [ "$a" -gt 0 ] && ok "the schema's measures add up to the database's passages ($a)" ||
    not_ok "counting measures total" "$a vs $b"

# --- stable URLs through mue-api
h=$(curl -sS -D - -o "$OD/got.csv" "$API/opendata/bruit-indicateurs-jour/bruit-indicateurs-jour.csv")
case "$h" in *" 200"*"text/csv"*) cmp -s "$OD/got.csv" "$OD/public/bruit-indicateurs-jour/bruit-indicateurs-jour.csv" &&
    ok "mue-api serves the files at /opendata/<dataset>/<file> as text/csv" || not_ok "served file differs" ;;
    *) not_ok "GET /opendata/.../x.csv" "$h" ;; esac
case "$h" in *"Access-Control-Allow-Origin: *"*) ok "any site may fetch the open data (CORS *)" ;; *) not_ok "CORS on /opendata" "$h" ;; esac
s=""
for f in catalog.jsonld catalog.ttl context.jsonld vocabulaire bruit-indicateurs-jour/ \
    rivieres-hauteur-15min/rivieres-hauteur-15min.geojson capteurs/capteurs.jsonld ""; do
    s="$s $(curl -sS -o /dev/null -w '%{http_code}:%{content_type}' "$API/opendata/$f")"
done
case "$s" in *" 200:application/ld+json 200:text/turtle"*" 200:application/ld+json 200:text/html"*" 200:text/html"*" 200:application/geo+json 200:application/ld+json 200:text/html"*)
    ok "catalogue, @context, vocabulary, landing pages and files have their types" ;; *) not_ok "/opendata types" "$s" ;; esac
r=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "$API/opendata/capteurs")
[ "$r" = "301 $API/opendata/capteurs/" ] && ok "/opendata/<dataset> leads to its landing page" || not_ok "folder redirect" "$r"
r=$(curl -sS -o /dev/null -w '%{http_code}' "$API/opendata/../../etc/passwd" --path-as-is)
r2=$(touch "$OD/public/capteurs/.hidden" && curl -sS -o /dev/null -w '%{http_code}' "$API/opendata/capteurs/.hidden")
[ "$r" = 404 ] && [ "$r2" = 404 ] && ok "no path leaves the published folder or reaches a hidden file" || not_ok "/opendata path escape" "$r $r2"
rm -f "$OD/public/capteurs/.hidden"

# --- the DCAT-AP catalogue, read with rdflib as data.gouv.fr's harvester would
if "$PY" $ODT/check_dcat.py --expect-ids "$OPEN_IDS" "$API/opendata/catalog.jsonld" > "$OD/dcat.check" 2>&1 &&
    "$PY" $ODT/check_dcat.py --same "$OD/public/catalog.jsonld" "$OD/public/catalog.ttl" >> "$OD/dcat.check" 2>&1; then
    ok "the DCAT-AP catalogue parses as JSON-LD and Turtle, alike, with the harvested fields of the $N_OPEN open datasets"
else
    not_ok "DCAT catalogue" "$(grep '^not ok' "$OD/dcat.check" | head -3)"
fi
opendata MUE_OPENDATA_CATALOG_PAGE=3 MUE_OPENDATA_ONLY=capteurs
if [ -f "$OD/public/catalog-3.jsonld" ] && "$PY" $ODT/check_dcat.py --expect-ids "$OPEN_IDS" \
    "$API/opendata/catalog.jsonld" > "$OD/dcat-paged.check" 2>&1; then
    ok "paged by 3, the catalogue's Hydra pages still hold all $N_OPEN datasets"
else
    not_ok "paged DCAT" "$(grep '^not ok' "$OD/dcat-paged.check" | head -3)"
fi
opendata MUE_OPENDATA_ONLY=capteurs # back to one page

# --- restricted data never reaches a public place
leaks=""
for id in $RESTRICTED_IDS; do
    [ -f "$OD/restricted/$id/$id.csv" ] || leaks="$leaks not-exported:$id"
    [ -e "$OD/public/$id" ] && leaks="$leaks public-folder:$id"
    grep -rl "$id" "$OD/public" > /dev/null && leaks="$leaks catalogued:$id"
    [ "$(curl -sS -o /dev/null -w '%{http_code}' "$API/opendata/$id/$id.csv")" = 404 ] || leaks="$leaks served:$id"
done
[ -n "$RESTRICTED_IDS" ] && [ -z "$leaks" ] &&
    ok "restricted datasets ($RESTRICTED_IDS) go to the private folder only: not served, not catalogued" ||
    not_ok "restricted datasets" "$leaks"
r=$(api_get /v1/opendata/datasets)
a=$(api_get /v1/opendata/datasets "$KEY_ADMIN")
case "$r|$a" in 200*|200*) ;; *) not_ok "GET /v1/opendata/datasets" "$r" ;; esac
n=$(grep -o '"access":"[a-z]*"' <<< "$r" | sort | uniq -c | tr '\n' ' ' | tr -s ' ')
m=$(grep -o '"access":"[a-z]*"' <<< "$a" | sort | uniq -c | tr '\n' ' ' | tr -s ' ')
[ "$n" = " $N_OPEN \"access\":\"open\" " ] && [ "$m" = " $N_OPEN \"access\":\"open\" 1 \"access\":\"restricted\" " ] &&
    ok "GET /v1/opendata/datasets shows the public the open datasets only, an admin all" ||
    not_ok "datasets by role" "public: $n; admin: $m"
r=$(api_get "/v1/opendata/datasets" "$KEY_DIRECTORATE")
case "$r" in 200*restricted*) not_ok "a directorate of other use cases sees a restricted dataset" "$r" ;; 200*) ok "a directorate does not see another scope's restricted dataset" ;; *) not_ok "datasets as directorate" "$r" ;; esac
case "$r" in *'"id":"capteurs"'*'"last_run":{'*'"state":"ok"'*) ok "a dataset shows its last run" ;; *) not_ok "last run in datasets" "${r:0:300}" ;; esac
r=$(api_get "/v1/opendata/runs?dataset=capteurs&limit=2")
case "$r" in 200*'"dataset":"capteurs"'*'"rows":'*'"total":'[3-9]*) ok "GET /v1/opendata/runs lists a dataset's runs, newest first" ;; *) not_ok "runs" "${r:0:300}" ;; esac
r=$(api_get "/v1/opendata/runs?state=finished")
case "$r" in 400*bad_state*) ok "an unknown run state is a 400 with a reason" ;; *) not_ok "bad state" "$r" ;; esac
r=$(api_get "/v1/opendata/runs?dataset=equipements-etat")
case "$r" in 200*'"total":0'*) ok "the public sees no run of a restricted dataset" ;; *) not_ok "restricted runs public" "$r" ;; esac

# --- run again: the same files, nothing twice
before=$(files_sum "$OD/public")
after=""
opendata && after=$(files_sum "$OD/public")
[ -n "$before" ] && [ "$before" = "$after" ] && ok "a second run writes the very same files (idempotent)" ||
    not_ok "second run" "$before vs $after"
n=$(ls "$OD"/public/*/.*tmp* 2>/dev/null | wc -l)
[ "$n" = 0 ] && ok "no temporary file is left in the published folder" || not_ok "temporaries left" "$n"

# --- CKAN: a fake portal stands for DataSud
ck() { # NAME ARGS...: starts a fake portal, sets CK_URL and CK_PID[NAME]
    local port
    port=$(free_port)
    "$BIN/mue-fake-ckan" --listen "127.0.0.1:$port" --key ckan-secret --log "$OD/ckan-$1.log" "${@:2}" \
        >> "$T/log/fake-ckan.log" 2>&1 &
    PID[ckan_$1]=$!
    CK_URL=http://127.0.0.1:$port
    wait_http "$CK_URL/_state" 10
}
wait_http() { local i; for i in $(seq 1 $((${2:-10} * 10))); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }
ck_state() { curl -sS "$1/_state" | "$PY" -c '
import json, sys
s = json.load(sys.stdin)
pk = s["packages"]
names = sorted(p["name"] for p in pk)
print(len(pk), sum(len(p.get("resources", [])) for p in pk), len(set(names)), ",".join(names))'; }
ck_expected_resources=$(for id in ${OPEN_IDS//,/ }; do ls "$OD/public/$id/$id"* 2>/dev/null; done | wc -l)

ck plain
CK1=$CK_URL
opendata MUE_OPENDATA_CKAN_URL="$CK1" MUE_OPENDATA_CKAN_KEY=ckan-secret MUE_OPENDATA_CKAN_ORG=amp &&
    ok "the open datasets are pushed to the CKAN portal" || not_ok "push to CKAN" "$(grep push "$T/log/opendata.log" | tail -3)"
read -r n res uniq names <<< "$(ck_state "$CK1")"
[ "$n" = "$N_OPEN" ] && [ "$uniq" = "$n" ] && [ "$res" = "$ck_expected_resources" ] &&
    ok "the portal holds one package per open dataset ($n) with one resource per file ($res)" ||
    not_ok "CKAN packages" "$n packages ($uniq names), $res resources of $ck_expected_resources: $names"
case ",$names," in *,amp-equipements-etat,*) not_ok "a restricted dataset was pushed" ;; *) ok "no restricted dataset is pushed" ;; esac
opendata MUE_OPENDATA_CKAN_URL="$CK1" MUE_OPENDATA_CKAN_KEY=ckan-secret MUE_OPENDATA_CKAN_ORG=amp
read -r n2 res2 uniq2 names2 <<< "$(ck_state "$CK1")"
creates=$(grep -c '"action":"package_create"' "$OD/ckan-plain.log")
patches=$(grep -c '"action":"package_patch"' "$OD/ckan-plain.log")
[ "$n2" = "$n" ] && [ "$res2" = "$res" ] && [ "$creates" = "$N_OPEN" ] && [ "$patches" = "$N_OPEN" ] &&
    ok "pushed twice: packages patched, resources updated, nothing duplicated" ||
    not_ok "second push" "$n2 packages, $res2 resources, $creates creates, $patches patches"
ck flaky --fail-every 3
CK2=$CK_URL
opendata MUE_OPENDATA_CKAN_URL="$CK2" MUE_OPENDATA_CKAN_KEY=ckan-secret MUE_OPENDATA_CKAN_ORG=amp
read -r n res uniq names <<< "$(ck_state "$CK2")"
retries=$(sql "SELECT sum(retries) FROM opendata_push WHERE portal = '$CK2' AND state = 'ok'")
fails=$(grep -c '"status":500' "$OD/ckan-flaky.log")
[ "$n" = "$N_OPEN" ] && [ "$uniq" = "$n" ] && [ "$res" = "$ck_expected_resources" ] && [ "${retries:-0}" -gt 0 ] &&
    ok "a portal failing one call in three still gets every package once ($fails failures, $retries retries)" ||
    not_ok "flaky portal" "$n packages, $res resources, retries $retries: $(grep push.failed "$T/log/opendata.log" | tail -2)"
opendata MUE_OPENDATA_CKAN_URL="$CK1" MUE_OPENDATA_CKAN_KEY=wrong-key MUE_OPENDATA_ONLY=capteurs
r=$(sql "SELECT state || ' ' || coalesce(error, '') FROM opendata_push WHERE portal = '$CK1' AND dataset = 'capteurs'")
case "$r" in failed*) ok "a refused key is recorded as a failed push with its reason" ;; *) not_ok "wrong CKAN key" "$r" ;; esac
for p in plain flaky; do kill -TERM "${PID[ckan_$p]}" 2>/dev/null; wait "${PID[ckan_$p]}" 2>/dev/null; unset "PID[ckan_$p]"; done

# --- a run killed in the middle leaves the published files whole
# A use case of its own with 30 river gauges over four months at 15 minutes (~340,000 rows), so
# that a run takes seconds; the second run, after every value changed, is killed once it wrote
# its first month.
VOL=$OD/volume
"$PY" - deploy/opendata/datasets.json "$VOL.json" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1]))
water = next(d for d in c["datasets"] if d["id"] == "rivieres-hauteur-15min")
water.update(id="essai-volume", use_case="odtest", delay_s=0, history_days=120, revise_s=120 * 86400,
             formats=["csv", "geojson"])
c["datasets"] = [water]
json.dump(c, open(sys.argv[2], "w"), ensure_ascii=False)
PYEOF
sql "INSERT INTO use_case (id, name) VALUES ('odtest', 'Essai de volume');
     SELECT mue_ensure_measurement_partition('odtest', now() - m * interval '1 month') FROM generate_series(0, 4) m;
     INSERT INTO device (dev_eui, name, model, use_case, latitude, longitude)
     SELECT 'fd0000000000' || lpad(to_hex(i), 4, '0'), 'Station essai ' || i, 'decentlab-dl-mbx', 'odtest',
            43.5 + i / 1000.0, 5.4 + i / 1000.0 FROM generate_series(1, 30) i;
     INSERT INTO measurement (device_id, quantity, time, value, use_case)
     SELECT d.id, 'water_level', t, 0.5 + (extract(epoch FROM t)::bigint % 997) / 1000.0, 'odtest'
     FROM device d, generate_series(date_trunc('hour', now()) - interval '119 days', date_trunc('hour', now()) - interval '1 hour', interval '15 minutes') t
     WHERE d.use_case = 'odtest'" > "$OD/volume.sql.log"
volume() { env MUE_PG_DSN="$(svc_dsn opendata)" MUE_OPENDATA_ONCE=1 MUE_OPENDATA_DATASETS="$VOL.json" MUE_OPENDATA_PUBLIC_DIR="$VOL" \
    MUE_OPENDATA_PRIVATE_DIR="$VOL-restricted" MUE_OPENDATA_BASE_URL="$API" "${VG[@]}" "$BIN/mue-opendata" >> "$T/log/opendata-volume.log" 2>&1; }
# The same in the background, $vpid being mue-opendata's own (env execs it).
volume_bg() { env MUE_PG_DSN="$(svc_dsn opendata)" MUE_OPENDATA_ONCE=1 MUE_OPENDATA_DATASETS="$VOL.json" MUE_OPENDATA_PUBLIC_DIR="$VOL" \
    MUE_OPENDATA_PRIVATE_DIR="$VOL-restricted" MUE_OPENDATA_BASE_URL="$API" "${VG[@]}" "$BIN/mue-opendata" >> "$T/log/opendata-volume.log" 2>&1 &
    vpid=$!; }
v1=""
volume && v1=$(sha256sum "$VOL"/essai-volume/essai-volume.* | sha256sum | cut -c1-16)
rows1=$(($(wc -l < "$VOL/essai-volume/essai-volume.csv") - 1))
[ "$rows1" -gt 300000 ] && ok "a four-month 15-minute dataset is exported ($rows1 rows)" || not_ok "volume export" "$rows1 rows; $(tail -3 "$T/log/opendata-volume.log")"
sql "UPDATE measurement SET value = value + 1 WHERE use_case = 'odtest'" > /dev/null
volume_bg
progress=""
for i in $(seq 1 600); do
    progress=$(sql "SELECT parts_done || '/' || parts_total || ' ' || rows FROM opendata_run
                    WHERE dataset = 'essai-volume' AND state = 'running' AND parts_done >= 1")
    [ -n "$progress" ] && break
    kill -0 $vpid 2>/dev/null || break
    sleep 0.05
done
r=$(api_get "/v1/opendata/runs?dataset=essai-volume&state=running")
kill -KILL $vpid 2>/dev/null
wait $vpid 2>/dev/null
[ -n "$progress" ] && ok "a long export reports its progress while it runs ($progress rows)" || not_ok "progress of a long run" "never seen running with a part done"
case "$r" in 200*'"state":"running"'*'"parts_done":'[1-9]*) ok "the API shows the running export's parts done of the total" ;; *) not_ok "running run in the API" "${r:0:300}" ;; esac
v2=$(sha256sum "$VOL"/essai-volume/essai-volume.* | sha256sum | cut -c1-16)
[ -n "$v1" ] && [ "$v1" = "$v2" ] && "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$VOL/essai-volume/essai-volume.geojson" &&
    ok "killed in the middle, the run left the published files as they were, whole" || not_ok "killed run" "$v1 vs $v2"
volume
r=$(sql "SELECT string_agg(state, ',' ORDER BY id) FROM opendata_run WHERE dataset = 'essai-volume'")
v3=$(sha256sum "$VOL"/essai-volume/essai-volume.* | sha256sum | cut -c1-16)
a=$(sed -n 2p "$VOL/essai-volume/essai-volume.csv" | awk -F, '{print $NF}' | tr -d '\r')
b=$(sql "SELECT avg(value) FROM measurement m JOIN device d ON d.id = m.device_id WHERE d.dev_eui = '$(sed -n 2p "$VOL/essai-volume/essai-volume.csv" | cut -d, -f3)'
         AND m.time >= '$(sed -n 2p "$VOL/essai-volume/essai-volume.csv" | cut -d, -f1)' AND m.time < '$(sed -n 2p "$VOL/essai-volume/essai-volume.csv" | cut -d, -f2)'")
[ "$r" = "ok,interrupted,ok" ] && [ "$v3" != "$v1" ] && "$PY" -c "import sys; sys.exit(abs($a - $b) > 1e-9)" &&
    [ -z "$(ls -A "$VOL"/essai-volume/.*tmp* 2>/dev/null)" ] &&
    ok "the next run marks it interrupted, removes its temporaries and publishes the new values" ||
    not_ok "run after the kill" "runs $r; $v1 $v3; $a vs $b"

# --- a lighting group's daily energy: what the meters read across midnight counts
# Three days of daily rollups of two meters (the writer's output, written here by hand): A reads
# 100..110, 111..120, 121..125; B starts on the second day, 50..55, then 57..60. A day is its last
# reading less the day before's last (less its own first when there is none): 10, 10 + 5, 5 + 5.
"$PY" - deploy/opendata/datasets.json "$OD/energie.json" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1]))
e = next(d for d in c["datasets"] if d["id"] == "eclairage-energie-jour")
e.update(id="essai-energie", use_case="odtest", delay_s=0, history_days=10)
c["datasets"] = [e]
json.dump(c, open(sys.argv[2], "w"), ensure_ascii=False)
PYEOF
sql "INSERT INTO use_case (id, name) VALUES ('odtest', 'Essai') ON CONFLICT DO NOTHING;
     INSERT INTO device (dev_eui, name, model, use_case, latitude, longitude) VALUES
         ('fe00000000000a01', 'Compteur A', 'milesight-ws558', 'odtest', 43.50, 5.40),
         ('fe00000000000a02', 'Compteur B', 'milesight-ws558', 'odtest', 43.52, 5.42);
     INSERT INTO device_group (name, title) VALUES ('od-essai', 'Groupe d''essai');
     INSERT INTO device_group_member (group_name, device_id)
         SELECT 'od-essai', id FROM device WHERE dev_eui IN ('fe00000000000a01', 'fe00000000000a02');
     INSERT INTO rollup_day (device_id, quantity, day, count, sum, min, max, first_time, first_value, last_time, last_value)
     SELECT d.id, 'energy', current_date - v.ago, 2, v.f + v.l, v.f, v.l, now(), v.f, now(), v.l
     FROM (VALUES ('fe00000000000a01', 5, 100, 110), ('fe00000000000a01', 4, 111, 120), ('fe00000000000a01', 3, 121, 125),
                  ('fe00000000000a02', 4, 50, 55), ('fe00000000000a02', 3, 57, 60)) v(eui, ago, f, l)
     JOIN device d ON d.dev_eui = v.eui" > "$OD/energie.sql.log"
env MUE_PG_DSN="$(svc_dsn opendata)" MUE_OPENDATA_ONCE=1 MUE_OPENDATA_DATASETS="$OD/energie.json" MUE_OPENDATA_PUBLIC_DIR="$OD/energie" \
    MUE_OPENDATA_PRIVATE_DIR="$OD/energie-restricted" MUE_OPENDATA_BASE_URL="$API" "${VG[@]}" "$BIN/mue-opendata" >> "$T/log/opendata.log" 2>&1
r=$(tr -d '\r' < "$OD/energie/essai-energie/essai-energie.csv" | awk -F, 'NR > 1 { printf "%s:%s:%s ", $3, $(NF-1), $NF }')
e=$(sql "SELECT string_agg(to_char(current_date - ago, 'YYYY-MM-DD') || ':' || kwh || ':' || m, ' ' ORDER BY ago DESC)
         FROM (VALUES (5, 10, 1), (4, 15, 2), (3, 10, 2)) v(ago, kwh, m)")
[ "$r" = "$e " ] && ok "a group's daily energy counts what its meters read across midnight ($r)" || not_ok "daily energy" "got $r, expected $e"

# --- a dataset turned restricted leaves the public folder; a changed definition rewrites the months
"$PY" - "$OD/datasets.json" "$OD/datasets-changed.json" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1]))
for d in c["datasets"]:
    if d["id"] == "chaleur-temperature-heure":
        d["access"] = "restricted"
    if d["id"] == "dechets-remplissage-heure":
        d["columns"].append({"name": "battery", "unit": "%", "label": "Batterie"})
json.dump(c, open(sys.argv[2], "w"), ensure_ascii=False)
PYEOF
opendata MUE_OPENDATA_DATASETS="$OD/datasets-changed.json" MUE_OPENDATA_ONLY=dechets-remplissage-heure
w=$OD/public/dechets-remplissage-heure
h=$(for f in "$w"/20*.csv "$w/dechets-remplissage-heure.csv"; do head -1 "$f" | tr -d '\r'; done | sort -u)
[ ! -e "$OD/public/chaleur-temperature-heure" ] && [ "$(curl -sS -o /dev/null -w '%{http_code}' "$API/opendata/chaleur-temperature-heure/chaleur-temperature-heure.csv")" = 404 ] &&
    ok "a dataset made restricted is taken out of the public folder at once" || not_ok "restricted later" "$(ls "$OD/public")"
[ "$h" = "$DEVCOLS,fill_level,temperature,battery" ] &&
    ok "a column added to a dataset is in every month's file and in the whole history" || not_ok "changed definition" "$h"
opendata # back to the suite's definitions

# --- the service itself: every dataset at start, then each on its own schedule
"$PY" - "$OD/datasets.json" "$OD/datasets-schedule.json" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1]))
for d in c["datasets"]:
    if d["id"] == "capteurs":
        d["every_s"] = 10
json.dump(c, open(sys.argv[2], "w"), ensure_ascii=False)
PYEOF
before=$(sql "SELECT count(*) FROM opendata_run WHERE dataset = 'capteurs'")
others=$(sql "SELECT count(*) FROM opendata_run WHERE dataset = 'bruit-indicateurs-jour'")
ADMIN[opendata]=$(free_port)
MUE_OPENDATA_DATASETS="$OD/datasets-schedule.json" MUE_OPENDATA_PUBLIC_DIR="$OD/public" \
    MUE_OPENDATA_PRIVATE_DIR="$OD/restricted" MUE_OPENDATA_BASE_URL="$API" MUE_OPENDATA_TICK_S=1 \
    start_svc opendata
healthy opendata && ok "mue-opendata starts as a service and reports healthy" || not_ok "mue-opendata service" "$(tail -3 "$T/log/opendata.log")"
wait_sql "SELECT count(*) >= $before + 2 FROM opendata_run WHERE dataset = 'capteurs' AND state = 'ok'" t 40 &&
    n=$(sql "SELECT count(*) - $others FROM opendata_run WHERE dataset = 'bruit-indicateurs-jour'") &&
    [ "$n" = 1 ] && ok "the service runs each dataset at start, then on its schedule (every 10 s: capteurs; daily: once)" ||
    not_ok "scheduled runs" "capteurs $(sql "SELECT count(*) FROM opendata_run WHERE dataset = 'capteurs'") from $before; bruit +$n"
m=$(curl -sS "http://127.0.0.1:${ADMIN[opendata]}/metrics")
grep -q '^mue_opendata_runs_total{outcome="ok"} [1-9]' <<< "$m" && grep -q '^mue_opendata_files_total [1-9]' <<< "$m" &&
    ok "mue-opendata counts its runs and files in /metrics" || not_ok "opendata metrics" "$(grep mue_opendata <<< "$m" | head -5)"
