# api_lighting.sh - the API's street-lighting routes against a running mue-lighting (sourced by
# api.sh; uses $API, $T, the keys of api.sh, dv_send and dv_jq of api_devices.sh, sql): every
# route once with success over a group of the simulated fleet's lamps, a lamp's plan read back
# against its program, an override made and cancelled, energy by hand; every refusal (400 with a
# reason before the bus, 404, 409 from mue-lighting, 401/403 by role, 404 out of a directorate's
# scope); the audit log under the key; the public indicator.

lj() { dv_jq "$@"; }
LG=it-lamps
LDAY=2026-12-15 # a Tuesday: no holiday, no clock change
# The program every lamp of the group follows: lit 18:00 to 07:00, full at 18:00, 40 % from 23:00
# (and so after midnight, the steps wrapping from day to day), 80 % from 05:00. Over a 24-hour
# day, full-power hours: 5 x 0.4 (00-05) + 2 x 0.8 (05-07) + 5 x 1 (18-23) + 1 x 0.4 = 9.0.
L_PROG='{"activePeriods": [{"name": "AbsoluteActivePeriod", "startTime": "18:00", "endTime": "07:00"}],
  "fixedTimeControls": [
    {"startTime": "05:00", "command": {"state": {"name": "LevelState", "value": 80}}},
    {"startTime": "18:00", "command": {"state": {"name": "LevelState", "value": 100}}},
    {"startTime": "23:00", "command": {"state": {"name": "LevelState", "value": 40}}}]}'
L_SPARE='{"id": "it-prog-spare", "activePeriods": [{"name": "AstroClockActivePeriod", "sunsetOffset": 0, "sunriseOffset": 0}]}'
# A rule that only ever applied in January 2020: the default program drives every date of the test.
L_CAL='{"rules": [{"startDate": "2020-01-01", "endDate": "2020-01-31", "program": "it-prog-spare"}],
  "defaultProgram": "it-prog"}'

# A directorate that has lighting in its scope (api.sh's has waste and water).
KEY_DIR_LIGHT=$(admin keys create --name test-directorate-lighting --role directorate \
    --use-case lighting 2>> "$T/log/keys.log")
OPERATOR_KEY_ID=$(sql "SELECT id FROM api_key WHERE name = 'test-operator' AND revoked_at IS NULL ORDER BY id DESC LIMIT 1")

# The group: three lamp controllers of the fleet, and their rated power; not on ChirpStack, whose
# lamps lighting.sh follows command by command later.
L_EUIS=$(sql "SELECT string_agg(dev_eui, ' ' ORDER BY dev_eui) FROM (SELECT dev_eui FROM device
              WHERE use_case = 'lighting' AND model = 'nas-ul20xx' AND active
              AND network <> 'chirpstack' ORDER BY dev_eui LIMIT 3) d")
L_EUI=${L_EUIS%% *}
sql "INSERT INTO device_group (name, title) VALUES ('$LG', 'API test lamps') ON CONFLICT DO NOTHING;
     INSERT INTO device_group_member (group_name, device_id)
     SELECT '$LG', id FROM device WHERE dev_eui IN ('${L_EUIS// /\',\'}') ON CONFLICT DO NOTHING" > /dev/null
L_POWER=$(sql "SELECT (params ->> 'lamp_power_w')::float8 FROM device WHERE dev_eui = '$L_EUI'")
L_POWER_SUM=$(sql "SELECT sum((d.params ->> 'lamp_power_w')::float8) FROM device d
                   JOIN device_group_member m ON m.device_id = d.id WHERE m.group_name = '$LG'")
[ "$(wc -w <<< "$L_EUIS")" = 3 ] && awk -v p="$L_POWER" -v s="$L_POWER_SUM" 'BEGIN { exit !(p > 0 && s >= 3 * 1) }' &&
    ok "lighting: a group of three simulated lamps ($L_EUIS; $L_POWER_SUM W)" ||
    not_ok "lighting test group" "euis=$L_EUIS power=$L_POWER sum=$L_POWER_SUM"

# near A B TOL: |A - B| <= TOL
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= t) }'; }

# --- programs
r1=$(dv_send PUT /v1/lighting/programs/it-prog "$KEY_OPERATOR" "$L_PROG")
r2=$(dv_send PUT /v1/lighting/programs/it-prog "$KEY_ADMIN" "$L_PROG")
r3=$(dv_send PUT /v1/lighting/programs/it-prog-spare "$KEY_OPERATOR" "$L_SPARE")
[ "${r1%% *}" = 201 ] && [ "$(lj "$r1" .program.id)" = it-prog ] && [ "$(lj "$r1" .created)" = true ] &&
    [ "${r2%% *}" = 200 ] && [ "$(lj "$r2" .created)" = false ] && [ "${r3%% *}" = 201 ] &&
    ok "PUT /v1/lighting/programs/{id}: 201 when created (the id taken from the path), 200 when replaced" ||
    not_ok "program put" "${r1:0:200} | ${r2:0:200} | ${r3:0:200}"
r=$(api_get /v1/lighting/programs "$KEY_DIR_LIGHT")
[ "${r%% *}" = 200 ] &&
    [ "$(lj "$r" '[.programs[] | select(.id == "it-prog")][0] | [.updated_by, (.fixedTimeControls | length)] | join(" ")')" = "key:test-admin 3" ] &&
    ok "GET /v1/lighting/programs: a lighting directorate reads them, with who changed them last" ||
    not_ok "programs list" "${r:0:300}"

# --- calendars
r1=$(dv_send PUT /v1/lighting/calendars/it-cal "$KEY_OPERATOR" "$L_CAL")
r2=$(dv_send PUT /v1/lighting/calendars/it-cal-bad "$KEY_OPERATOR" '{"rules": [], "defaultProgram": "it-no-such-program"}')
r=$(api_get /v1/lighting/calendars "$KEY_OPERATOR")
[ "${r1%% *}" = 201 ] && [ "$(lj "$r1" .calendar.defaultProgram)" = it-prog ] && [ "${r2%% *}" = 400 ] &&
    [ "$(lj "$r2" .error)" = bad_request ] && [ -n "$(lj "$r2" .reason)" ] &&
    [ "${r%% *}" = 200 ] && [ "$(lj "$r" '[.calendars[].id] | (index("it-cal") != null) and (index("it-cal-bad") == null)')" = true ] &&
    ok "PUT /v1/lighting/calendars/{id}: 201; one naming an unknown program is a 400 with mue-lighting's reason; GET lists them" ||
    not_ok "calendars" "${r1:0:200} | ${r2:0:200} | ${r:0:200}"

# --- assignments
r1=$(dv_send PUT /v1/lighting/assignments/$LG "$KEY_OPERATOR" '{"calendar": "it-cal", "priority": 10}')
r=$(api_get /v1/lighting/assignments "$KEY_OPERATOR")
[ "${r1%% *}" = 200 ] &&
    [ "$(lj "$r" "[.assignments[] | select(.group == \"$LG\")][0] | [.calendar, .priority, .lamps, .assigned_by] | join(\" \")")" = "it-cal 10 3 key:test-operator" ] &&
    ok "PUT /v1/lighting/assignments/{group}: the calendar drives the group's 3 lamps; GET shows it" ||
    not_ok "assignment" "${r1:0:200} | ${r:0:300}"

# --- a lamp's plan, checked against the program by hand
r=$(api_get "/v1/lighting/plan?dev_eui=${L_EUI^^}&date=$LDAY" "$KEY_DIR_LIGHT")
echo "${r#* }" > "$T/lighting_plan.json"
# level_at HH:MM: the level in force at that minute (levels are the minutes where it changes)
level_at() { jq -r --arg m "$1" '[.levels[] | select(.time <= $m)] | last | .level' "$T/lighting_plan.json" 2> /dev/null; }
levels="$(level_at 00:00) $(level_at 02:00) $(level_at 06:00) $(level_at 06:59) $(level_at 12:00) $(level_at 18:00) $(level_at 20:00) $(level_at 23:30)"
[ "${r%% *}" = 200 ] && [ "$(lj "$r" '[.dev_eui, .date, .calendar, .group, .program] | join(" ")')" = "$L_EUI $LDAY it-cal $LG it-prog" ] &&
    [ "$levels" = "40 40 80 80 0 100 100 40" ] && near "$(lj "$r" .energy.planned_wh)" "$(awk -v p="$L_POWER" 'BEGIN { print p * 9 }')" 0.1 &&
    ok "GET /v1/lighting/plan of a lamp: the calendar's program, its levels at 00:00 02:00 06:00 06:59 12:00 18:00 20:00 23:30 as worked by hand ($levels), 9 full-power hours" ||
    not_ok "lamp plan" "levels=$levels power=$L_POWER ${r:0:400}"
r=$(api_get "/v1/lighting/plan?group=$LG&date=$LDAY" "$KEY_OPERATOR")
[ "${r%% *}" = 200 ] && [ "$(lj "$r" '.lamps | length')" = 3 ] &&
    near "$(lj "$r" .energy.planned_wh)" "$(awk -v p="$L_POWER_SUM" 'BEGIN { print p * 9 }')" 0.3 &&
    ok "GET /v1/lighting/plan of a group: its 3 lamps and their energy" || not_ok "group plan" "${r:0:400}"

# --- energy of a day
r=$(api_get "/v1/lighting/energy?group=$LG&from=$LDAY&to=$LDAY" "$KEY_OPERATOR")
[ "${r%% *}" = 200 ] && [ "$(lj "$r" '.days | length')" = 1 ] &&
    [ "$(lj "$r" '.days[0] | [.date, .group, .lamps] | join(" ")')" = "$LDAY $LG 3" ] &&
    near "$(lj "$r" .days[0].planned_wh)" "$(awk -v p="$L_POWER_SUM" 'BEGIN { print p * 9 }')" 0.3 &&
    near "$(lj "$r" '.days[0].full_wh - .days[0].planned_wh')" "$(lj "$r" .days[0].saving_wh)" 0.05 &&
    ok "GET /v1/lighting/energy: the group's day, planned = rated power x 9 h, saving = full - planned" ||
    not_ok "energy" "${r:0:400}"

# --- overrides: made, listed, cancelled, not twice
r=$(dv_send POST /v1/lighting/overrides "$KEY_OPERATOR" \
    "{\"group\": \"$LG\", \"level\": 70, \"duration_s\": 600, \"reason\": \"event\", \"comment\": \"essai API\"}")
oid=$(lj "$r" .override.id)
[ "${r%% *}" = 201 ] && [ "$(lj "$r" '.override | [.group, .level, .reason, .created_by] | join(" ")')" = "$LG 70 event key:test-operator" ] &&
    ok "POST /v1/lighting/overrides: 201 with the override, made under the key" || not_ok "override create" "${r:0:300}"
r=$(api_get "/v1/lighting/overrides?active=true" "$KEY_DIR_LIGHT")
[ "${r%% *}" = 200 ] && [ "$(lj "$r" "[.overrides[].id] | index($oid) != null")" = true ] &&
    ok "GET /v1/lighting/overrides?active=true lists it" || not_ok "overrides list" "${r:0:300}"
r1=$(dv_send POST "/v1/lighting/overrides/$oid/cancel" "$KEY_OPERATOR")
r2=$(dv_send POST "/v1/lighting/overrides/$oid/cancel" "$KEY_ADMIN" '{}')
r=$(api_get "/v1/lighting/overrides?active=true" "$KEY_OPERATOR")
[ "${r1%% *}" = 200 ] && [ "$(lj "$r1" .override.cancelled_by)" = key:test-operator ] &&
    [ "$(lj "$r1" .override.cancelled_at)" != null ] && [ "${r2%% *}" = 409 ] && [ -n "$(lj "$r2" .reason)" ] &&
    [ "$(lj "$r" "[.overrides[].id] | index($oid) == null")" = true ] &&
    ok "POST /v1/lighting/overrides/{id}/cancel: cancelled under the key, a second time 409, no longer active" ||
    not_ok "override cancel" "${r1:0:200} | ${r2:0:200} | ${r:0:200}"

# --- commands: what the API shows is what the table holds
r=$(api_get "/v1/lighting/commands?dev_eui=$L_EUI&limit=1000" "$KEY_OPERATOR")
echo "${r#* }" > "$T/lighting_commands.json"
ids=$(jq -r '[.commands[].id] | map(tostring) | join(",")' "$T/lighting_commands.json" 2> /dev/null)
known=$(sql "SELECT count(*) FROM lighting_command c JOIN device d ON d.id = c.device_id
             WHERE d.dev_eui = '$L_EUI' AND c.id IN (${ids:-0})")
r1=$(api_get "/v1/lighting/commands?limit=1&state=pending" "$KEY_OPERATOR")
[ "${r%% *}" = 200 ] && jq -e --arg e "$L_EUI" '.commands | all(.dev_eui == $e) and
        ([.[].id] == ([.[].id] | sort | reverse))' "$T/lighting_commands.json" > /dev/null 2>&1 &&
    [ "$known" = "$(jq '.commands | length' "$T/lighting_commands.json")" ] &&
    [ "${r1%% *}" = 200 ] && [ "$(lj "$r1" '(.commands | length) <= 1 and all(.commands[]; .state == "pending")')" = true ] &&
    ok "GET /v1/lighting/commands: a lamp's commands newest first, each in lighting_command ($known); limit and state filter" ||
    not_ok "commands" "known=$known ${r:0:300} | ${r1:0:200}"

# --- the public indicator. Faults for it to count: a lamp of the group with an unresolved
# lamp_failure alert, another with a resolved one (not in fault), a cabinet without power; removed
# afterwards (mue-alerts, started later, must not find them).
L_CAB=$(sql "SELECT dev_eui FROM device WHERE active AND use_case = 'lighting' AND model = 'milesight-ws558'
             ORDER BY dev_eui LIMIT 1")
L_EUI2=$(cut -d' ' -f2 <<< "$L_EUIS")
l_alert() { # RULE DEV_EUI STATE
    sql "INSERT INTO alert (rule_id, device_id, use_case, severity, state, message, since, opened_at, resolved_at)
         SELECT r.id, d.id, 'lighting', r.severity, '$3', 'api_lighting.sh', now(), now(),
                CASE WHEN '$3' = 'resolved' THEN now() END
         FROM alert_rule r, device d WHERE r.name = '$1' AND d.dev_eui = '$2' RETURNING id"
}
l_alert_ids="$(l_alert lighting.lamp_failure "$L_EUI" open),$(l_alert lighting.lamp_failure "$L_EUI2" resolved)"
l_alert_ids="$l_alert_ids,$(l_alert lighting.cabinet_power_loss "$L_CAB" acknowledged)"
faulty=$(sql "SELECT count(DISTINCT a.device_id) FROM alert a JOIN alert_rule r ON r.id = a.rule_id
              JOIN device d ON d.id = a.device_id WHERE d.active AND a.state <> 'resolved'
              AND r.name IN ('lighting.lamp_failure', 'lighting.lamp_error_alert')")
dark=$(sql "SELECT count(DISTINCT a.device_id) FROM alert a JOIN alert_rule r ON r.id = a.rule_id
            JOIN device d ON d.id = a.device_id WHERE d.active AND a.state <> 'resolved'
            AND r.name = 'lighting.cabinet_power_loss'")
# Commands move on while the test reads: asked until the answer and the table agree.
for i in 1 2 3 4 5; do
    y0=$(TZ=Europe/Paris date -d yesterday +%F)
    r=$(api_get /v1/indicators/lighting)
    pending=$(sql "SELECT count(*) FROM lighting_command c JOIN device d ON d.id = c.device_id
                   WHERE d.active AND d.use_case = 'lighting' AND c.state IN ('pending', 'queued', 'sent')")
    y1=$(TZ=Europe/Paris date -d yesterday +%F)
    [ "$(lj "$r" .commands_pending)" = "$pending" ] && break
done
sql "DELETE FROM alert WHERE id IN ($l_alert_ids)" > /dev/null
echo "${r#* }" > "$T/lighting_indicator.json"
iday=$(lj "$r" .day)
# Yesterday's full-power hours: 9, and 0.4 more or less on the day the clocks go back or forward
# (the night's hour at 40 % happens twice, or not at all).
next=$(date -u -d "$iday + 1 day" +%F 2> /dev/null)
hours=$((($(TZ=Europe/Paris date -d "$next" +%s 2> /dev/null) - $(TZ=Europe/Paris date -d "$iday" +%s 2> /dev/null)) / 3600))
want=$(awk -v p="$L_POWER_SUM" -v h="$hours" 'BEGIN { print p * (9 + 0.4 * (h - 24)) }')
[ "${r%% *}" = 200 ] && { [ "$iday" = "$y0" ] || [ "$iday" = "$y1" ]; } && [ "$faulty" -ge 1 ] && [ "$dark" -ge 1 ] &&
    [ "$(lj "$r" '[.commands_pending, .lamps_in_fault, .cabinets_without_power] | join(" ")')" = "$pending $faulty $dark" ] &&
    [ "$(lj "$r" "[.groups[] | select(.group == \"$LG\")][0] | [.lamps, .calendar, .lamps_in_fault] | join(\" \")")" = "3 it-cal 1" ] &&
    near "$(lj "$r" "[.groups[] | select(.group == \"$LG\")][0].energy.planned_wh")" "$want" 0.3 &&
    [ "$(lj "$r" '(.energy.planned_wh - ([.groups[].energy.planned_wh // 0] | add)) as $d | $d < 0.01 and $d > -0.01')" = true ] &&
    ok "GET /v1/indicators/lighting (public): yesterday's energy per group ($want Wh for $LG), $faulty lamps in fault (unresolved alerts only), $dark cabinet without power, $pending commands pending" ||
    not_ok "lighting indicator" "want=$want hours=$hours pending=$pending faulty=$faulty dark=$dark ${r:0:500}"
r=$(api_get /v1/indicators/lighting "$KEY_DIRECTORATE")
[ "${r%% *}" = 404 ] && ok "the lighting indicator is a 404 to a directorate without lighting" ||
    not_ok "lighting indicator out of scope" "${r:0:200}"

# --- refusals the API makes before asking (400 naming what is wrong)
bad=''
expect() { # expect STATUS WORD "STATUS BODY": the status and a word of the reason
    [ "${3%% *}" = "$1" ] && case "$3" in *"$2"*) true ;; *) false ;; esac || bad="$bad | want $1 $2: ${3:0:160}"
}
expect 400 date "$(api_get "/v1/lighting/plan?dev_eui=$L_EUI&date=2026-02-30" "$KEY_OPERATOR")"
expect 400 date "$(api_get "/v1/lighting/plan?dev_eui=$L_EUI&date=15/12/2026" "$KEY_OPERATOR")"
expect 400 'dev_eui or of a group' "$(api_get "/v1/lighting/plan?date=$LDAY" "$KEY_OPERATOR")"
expect 400 'dev_eui or of a group' "$(api_get "/v1/lighting/plan?dev_eui=$L_EUI&group=$LG" "$KEY_OPERATOR")"
expect 400 DevEUI "$(api_get "/v1/lighting/plan?dev_eui=70b3d5e75e00&date=$LDAY" "$KEY_OPERATOR")"
expect 400 group "$(api_get "/v1/lighting/energy?group=Not%20A%20Group" "$KEY_OPERATOR")"
expect 400 'from first' "$(api_get "/v1/lighting/energy?from=2026-12-15&to=2026-12-14" "$KEY_OPERATOR")"
expect 400 '366 days' "$(api_get "/v1/lighting/energy?from=2025-01-01&to=2026-01-02" "$KEY_OPERATOR")"
expect 400 state "$(api_get "/v1/lighting/commands?state=lost" "$KEY_OPERATOR")"
expect 400 limit "$(api_get "/v1/lighting/commands?limit=0" "$KEY_OPERATOR")"
expect 400 limit "$(api_get "/v1/lighting/commands?limit=1001" "$KEY_OPERATOR")"
expect 400 active "$(api_get "/v1/lighting/overrides?active=maybe" "$KEY_OPERATOR")"
expect 400 "not JSON" "$(dv_send PUT /v1/lighting/programs/it-prog "$KEY_OPERATOR" 'not json')"
expect 400 "JSON object" "$(dv_send PUT /v1/lighting/programs/it-prog "$KEY_OPERATOR" '[1]')"
expect 400 "not the path's" "$(dv_send PUT /v1/lighting/programs/it-prog "$KEY_OPERATOR" '{"id": "it-other"}')"
expect 400 "id is 1 to 63" "$(dv_send PUT '/v1/lighting/programs/a%20b' "$KEY_OPERATOR" "$L_PROG")"
expect 400 "name is" "$(dv_send PUT /v1/lighting/assignments/Bad "$KEY_OPERATOR" '{"calendar": "it-cal"}')"
expect 400 calendar "$(dv_send PUT /v1/lighting/assignments/$LG "$KEY_OPERATOR" '{"calendar": "it cal"}')"
expect 400 "not a member" "$(dv_send PUT /v1/lighting/assignments/$LG "$KEY_OPERATOR" '{"calendar": "it-cal", "prio": 1}')"
expect 400 "not a member" "$(dv_send POST /v1/lighting/overrides "$KEY_OPERATOR" "{\"group\": \"$LG\", \"lvl\": 1}")"
expect 400 "one of the two" "$(dv_send POST /v1/lighting/overrides "$KEY_OPERATOR" '{"level": 1}')"
expect 400 "positive integer" "$(dv_send POST /v1/lighting/overrides/x1/cancel "$KEY_OPERATOR")"
head -c 70000 /dev/zero | tr '\0' a | sed 's/^/{"x": "/; s/$/"}/' > "$T/lighting_big.json"
expect 413 larger "$(dv_send PUT /v1/lighting/programs/it-prog "$KEY_OPERATOR" "@$T/lighting_big.json")"
[ -z "$bad" ] && ok "lighting routes refuse bad dates, DevEUIs, groups, spans, states, limits and bodies (400, 413) with a reason" ||
    not_ok "lighting 400s" "$bad"

# --- what mue-lighting refuses: a TALQ mistake, unknown things, things in use
bad=''
expect 400 startTime "$(dv_send PUT /v1/lighting/programs/it-prog-bad "$KEY_OPERATOR" \
    '{"activePeriods": [{"name": "AbsoluteActivePeriod", "startTime": "25:00", "endTime": "07:00"}]}')"
expect 404 '' "$(dv_send DELETE /v1/lighting/programs/it-no-such-program "$KEY_OPERATOR")"
expect 404 '' "$(dv_send DELETE /v1/lighting/calendars/it-no-such-calendar "$KEY_OPERATOR")"
expect 404 '' "$(dv_send POST /v1/lighting/overrides/999999999/cancel "$KEY_OPERATOR")"
expect 404 '' "$(api_get "/v1/lighting/plan?dev_eui=ffffffffffffff00&date=$LDAY" "$KEY_OPERATOR")"
expect 409 '' "$(dv_send DELETE /v1/lighting/programs/it-prog "$KEY_OPERATOR")"
expect 409 '' "$(dv_send DELETE /v1/lighting/calendars/it-cal "$KEY_OPERATOR")"
[ -z "$bad" ] && [ "$(sql "SELECT count(*) FROM lighting_program WHERE id = 'it-prog-bad'")" = 0 ] &&
    ok "mue-lighting's refusals pass through: a bad TALQ time 400, unknown ids 404, a program or calendar in use 409" ||
    not_ok "lighting refusals" "$bad"

# --- roles and scope
r="$(dv_send PUT /v1/lighting/programs/it-prog "" "$L_PROG")"
r="${r%% *} $(dv_send PUT /v1/lighting/programs/it-prog "$KEY_DIR_LIGHT" "$L_PROG" | cut -d' ' -f1)"
r="$r $(dv_send POST /v1/lighting/overrides "$KEY_DIR_LIGHT" "{\"group\": \"$LG\", \"level\": 1, \"duration_s\": 60, \"reason\": \"other\"}" | cut -d' ' -f1)"
r="$r $(dv_send DELETE /v1/lighting/assignments/$LG "$KEY_PARTNER" | cut -d' ' -f1)"
r="$r $(api_get /v1/lighting/programs | cut -d' ' -f1) $(api_get /v1/lighting/programs "$KEY_PARTNER" | cut -d' ' -f1)"
r="$r $(api_get /v1/lighting/programs "$KEY_DIRECTORATE" | cut -d' ' -f1)"
r="$r $(api_get "/v1/lighting/plan?group=$LG&date=$LDAY" "$KEY_DIRECTORATE" | cut -d' ' -f1)"
[ "$r" = "401 403 403 403 401 403 404 404" ] &&
    [ "$(sql "SELECT count(*) FROM audit_log l JOIN api_key k ON k.id = l.key_id WHERE k.name IN ('test-directorate-lighting', 'test-partner') AND l.action LIKE 'lighting.%'")" = 0 ] &&
    ok "lighting writes: 401 without a key, 403 to a directorate and a partner; reads: a directorate without lighting gets 404" ||
    not_ok "lighting roles" "$r"

# --- the audit log: each change under the operator's key, refusals not written
acts=$(sql "SELECT string_agg(DISTINCT regexp_replace(action, '^lighting\.([a-z]+)\..*$', '\1'), ',' ORDER BY regexp_replace(action, '^lighting\.([a-z]+)\..*$', '\1'))
            FROM audit_log WHERE key_id = '$OPERATOR_KEY_ID' AND actor = 'key:test-operator' AND action LIKE 'lighting.%'")
n_prog=$(sql "SELECT count(*) FROM audit_log WHERE key_id = '$OPERATOR_KEY_ID' AND action LIKE 'lighting.program.%' AND target LIKE '%it-prog%'")
n_admin=$(sql "SELECT count(*) FROM audit_log l JOIN api_key k ON k.id = l.key_id WHERE k.name = 'test-admin' AND l.actor = 'key:test-admin' AND l.action LIKE 'lighting.program.%'")
n_refused=$(sql "SELECT count(*) FROM audit_log WHERE action LIKE 'lighting.%' AND (target LIKE '%it-cal-bad%' OR target LIKE '%it-prog-bad%' OR target LIKE '%it-no-such%')")
[ "$acts" = "assignment,calendar,override,program" ] && [ "$n_prog" -ge 2 ] && [ "$n_admin" = 1 ] && [ "$n_refused" = 0 ] &&
    ok "audit_log: programs, calendar, assignment, override changes under the key (actor key:<name>, key_id), nothing for refusals" ||
    not_ok "lighting audit" "acts=$acts programs=$n_prog admin=$n_admin refused=$n_refused"

# --- undo: the assignment, then the calendar and programs it held (no longer in use: 200)
r1=$(dv_send DELETE /v1/lighting/assignments/$LG "$KEY_OPERATOR")
r2=$(dv_send DELETE /v1/lighting/calendars/it-cal "$KEY_OPERATOR")
r3=$(dv_send DELETE /v1/lighting/programs/it-prog "$KEY_ADMIN")
r4=$(dv_send DELETE /v1/lighting/programs/it-prog-spare "$KEY_OPERATOR")
r5=$(dv_send DELETE /v1/lighting/assignments/$LG "$KEY_OPERATOR")
[ "${r1%% *} ${r2%% *} ${r3%% *} ${r4%% *} ${r5%% *}" = "200 200 200 200 404" ] &&
    [ "$(lj "$r1" .deleted) $(lj "$r2" .deleted) $(lj "$r3" .deleted)" = "$LG it-cal it-prog" ] &&
    [ "$(sql "SELECT count(*) FROM lighting_assignment WHERE group_name = '$LG'") $(sql "SELECT count(*) FROM lighting_program WHERE id LIKE 'it-prog%'")" = "0 0" ] &&
    ok "DELETE assignments, calendars, programs: 200 once nothing uses them, the assignment twice 404" ||
    not_ok "lighting deletes" "${r1:0:150} | ${r2:0:150} | ${r3:0:150} | ${r4:0:150} | ${r5:0:150}"
