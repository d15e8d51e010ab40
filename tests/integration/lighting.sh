# lighting.sh - mue-lighting against real servers (sourced by run.sh after downlinks.sh; the
# service was started by run.sh after sim.sh, with fast clocks): a program and a calendar assigned to a
# group of the simulated fleet's lamps and a cabinet become configuration downlinks that go
# through mue-ingest to a stand-in network server, which echoes them as the devices would (one
# lamp it refuses); commands are followed to acknowledged, retried and failed; a changed step
# sends only the profile that changed; an override and its cancelling; the gap between a reported
# and a planned level is published for the alert engine.

L_FAKE_PORT=$(free_port)
L_FAKE_TOKEN=$(random_secret)

# Three NAS lamps and a WS558 cabinet of the fleet; the third lamp is refused by the network.
read -r -a l_lamps <<< "$(sql "SELECT string_agg(dev_eui, ' ' ORDER BY id) FROM (SELECT id, dev_eui
    FROM device WHERE active AND use_case = 'lighting' AND model = 'nas-ul20xx'
    AND network = 'chirpstack' ORDER BY id LIMIT 3) x")"
l_cab=$(sql "SELECT dev_eui FROM device WHERE active AND use_case = 'lighting'
    AND model = 'milesight-ws558' AND network = 'chirpstack' ORDER BY id LIMIT 1")
l_ids=$(sql "SELECT string_agg(id::text, ',' ORDER BY id) FROM device
    WHERE dev_eui IN ('${l_lamps[0]}', '${l_lamps[1]}', '${l_lamps[2]}')")
[ "${#l_lamps[@]}" = 3 ] && [ -n "$l_cab" ] && ok "the fleet has NAS lamps and a WS558 cabinet on ChirpStack" ||
    not_ok "lighting devices in the fleet" "lamps: ${l_lamps[*]} cabinet: $l_cab"

"$BIN/mue-fake-netserver" --listen "127.0.0.1:$L_FAKE_PORT" --token "$L_FAKE_TOKEN" --ingest "$URL" \
    --secret "$SECRET" --delay-ms 100 --echo --fail-dev "${l_lamps[2]}" \
    > "$T/log/fake-netserver-lighting.log" 2>&1 &
PID[fake_lighting]=$!
kill -TERM "${PID[ingest]}" && wait "${PID[ingest]}"
MUE_CHIRPSTACK_API_URL=http://127.0.0.1:$L_FAKE_PORT MUE_CHIRPSTACK_API_TOKEN=$L_FAKE_TOKEN start_svc ingest
healthy ingest || not_ok "mue-ingest restarts towards the lighting network stand-in" "$(tail -3 "$T/log/ingest.log")"

# The program of tests/unit/lighting/test_program.c: lit 18:00-07:00, 100 %, 50 % from 23:00,
# 30 % from 01:00, 100 % from 05:30; a calendar with only that default.
l_step() { printf '{"startTime": "%s", "command": {"state": {"name": "LevelState", "value": %s}}}' "$1" "$2"; }
l_program() { # LEVEL_AT_23
    printf '{"id": "cp-it-night", "activePeriods": [{"name": "AbsoluteActivePeriod", "startTime": "18:00:00", "endTime": "07:00:00"}], "fixedTimeControls": [%s, %s, %s, %s]}' \
        "$(l_step 01:00:00 30)" "$(l_step 05:30:00 100)" "$(l_step 18:00:00 100)" "$(l_step 23:00:00 "$1")"
}
sql "INSERT INTO device_group (name, title) VALUES ('it-pilot', 'Pilote éclairage (test)');
     INSERT INTO device_group_member (group_name, device_id)
     SELECT 'it-pilot', id FROM device WHERE dev_eui IN ('${l_lamps[0]}', '${l_lamps[1]}', '${l_lamps[2]}', '$l_cab');
     INSERT INTO lighting_program (id, doc) VALUES ('cp-it-night', \$j\$$(l_program 50)\$j\$);
     INSERT INTO lighting_calendar (id, doc) VALUES ('cal-it', '{\"id\": \"cal-it\", \"rules\": [], \"defaultProgram\": \"cp-it-night\"}');
     INSERT INTO lighting_assignment (group_name, calendar_id) VALUES ('it-pilot', 'cal-it')" > /dev/null

# Each NAS lamp gets its week (calendar, holidays, 8 profiles), the cabinet its next switching;
# the two lamps the network takes echo everything back, and so does the cabinet.
l_acked() { # DEV_EUI -> "<acknowledged> <all>" of its commands
    sql "SELECT count(*) FILTER (WHERE c.state = 'acknowledged') || ' ' || count(*)
         FROM lighting_command c JOIN device d ON d.id = c.device_id WHERE d.dev_eui = '$1'"
}
wait_sql "SELECT count(*) FROM lighting_command c JOIN device d ON d.id = c.device_id
    WHERE d.dev_eui IN ('${l_lamps[0]}', '${l_lamps[1]}') AND c.state = 'acknowledged'" 20 30 &&
    [ "$(l_acked "${l_lamps[0]}")" = "10 10" ] &&
    [ "$(sql "SELECT count(*) FROM lighting_device_setting s JOIN device d ON d.id = s.device_id
              WHERE d.dev_eui = '${l_lamps[1]}'")" = 10 ] &&
    ok "two NAS lamps take their week: 10 settings each, echoed and acknowledged, recorded as applied" ||
    not_ok "NAS lamps acknowledged" "lamp0: $(l_acked "${l_lamps[0]}"), lamp1: $(l_acked "${l_lamps[1]}"); $(tail -3 "$T/log/lighting.log")"

# What went out decodes back with the codec to the program: profile 1 every day, its four steps.
l_profile=$(sql "SELECT encode(c.payload, 'hex') FROM lighting_command c JOIN device d ON d.id = c.device_id
    WHERE d.dev_eui = '${l_lamps[0]}' AND c.key = 'nas.profile.1' AND c.state = 'acknowledged'")
r=$("$BIN/mue-decode" --model nas-ul20xx --fport 50 --hex "$l_profile" 2>&1)
case "$r" in *'"profile_id": "1"'*'"01:00 30%'*'05:30 100%'*'18:00 100%'*'23:00 50%'*) ok "the profile sent decodes with mue-decode to the program's steps" ;;
*) not_ok "profile decodes back" "$l_profile -> $r" ;; esac
grep -q "\"echo\":true" "$T/log/fake-netserver-lighting.log" &&
    ok "the network stand-in echoed the configurations as the devices do" || not_ok "echoes in the stand-in's log"

# The cabinet: one delay task (0xFF 0x32, task 1, every circuit) for its next switching.
wait_sql "SELECT count(*) FROM lighting_command c JOIN device d ON d.id = c.device_id
    WHERE d.dev_eui = '$l_cab' AND c.key LIKE 'ws558.at.%' AND c.state = 'acknowledged'
    AND substr(encode(c.payload, 'hex'), 1, 6) = 'ff3201' AND substr(encode(c.payload, 'hex'), 11, 2) = 'ff'" 1 30 &&
    ok "the WS558 cabinet takes its next switching as a delay task, echoed and acknowledged" ||
    not_ok "WS558 switching" "$(sql "SELECT key, state, encode(payload, 'hex') FROM lighting_command c JOIN device d ON d.id = c.device_id WHERE d.dev_eui = '$l_cab'")"

# The lamp the network refuses: every attempt fails, each retried after a doubling wait, then
# the command fails for good with the network's reason.
wait_sql "SELECT count(*) FILTER (WHERE c.state = 'failed' AND c.attempts = c.max_attempts)
    FROM lighting_command c JOIN device d ON d.id = c.device_id WHERE d.dev_eui = '${l_lamps[2]}'" 10 90 &&
    [ "$(sql "SELECT count(*) FROM lighting_command c JOIN device d ON d.id = c.device_id
              WHERE d.dev_eui = '${l_lamps[2]}' AND c.reason <> ''")" = 10 ] &&
    ok "the refused lamp's 10 commands are tried 5 times each, then failed with the reason" ||
    not_ok "refused lamp's commands" "$(sql "SELECT state || ':' || attempts || ':' || reason FROM lighting_command c JOIN device d ON d.id = c.device_id WHERE d.dev_eui = '${l_lamps[2]}' LIMIT 3")"

# Only what changed: 23:00 at 40 % instead of 50 % changes profile 1, nothing else.
l_before=$(sql "SELECT count(*) FROM lighting_command c JOIN device d ON d.id = c.device_id WHERE d.dev_eui = '${l_lamps[0]}'")
sql "UPDATE lighting_program SET doc = \$j\$$(l_program 40)\$j\$ WHERE id = 'cp-it-night'" > /dev/null
wait_sql "SELECT count(*) FROM lighting_command c JOIN device d ON d.id = c.device_id
    WHERE d.dev_eui = '${l_lamps[0]}' AND c.state = 'acknowledged' AND c.key = 'nas.profile.1'
    AND encode(c.payload, 'hex') LIKE '%8a28'" 1 30 &&
    [ "$(sql "SELECT count(*) FROM lighting_command c JOIN device d ON d.id = c.device_id WHERE d.dev_eui = '${l_lamps[0]}'")" = $((l_before + 1)) ] &&
    ok "a changed step sends only the changed profile (one command), acknowledged" ||
    not_ok "only the changed setting" "before $l_before, now $(sql "SELECT string_agg(key || ':' || state, ' ') FROM lighting_command c JOIN device d ON d.id = c.device_id WHERE d.dev_eui = '${l_lamps[0]}' AND c.created_at > now() - interval '1 min'")"

# An override of 10 % for 30 minutes on the first lamp: a timed dimming (0x09, broadcast, 10 %,
# 30 min); cancelled, the lamp is told to resume its schedule (0x01, broadcast, 0xFF).
l_id0=${l_ids%%,*}
sql "INSERT INTO lighting_override (device_ids, level, starts_at, expires_at, reason, created_by)
     VALUES (ARRAY[$l_id0]::bigint[], 10, now(), now() + interval '30 min', 'maintenance', 'test')" > /dev/null
wait_sql "SELECT count(*) FROM lighting_command WHERE device_id = $l_id0 AND key LIKE 'nas.ovr.%'
    AND key NOT LIKE '%.end' AND state = 'acknowledged' AND f_port = 60 AND encode(payload, 'hex') = '09fe0a1e'" 1 30 &&
    ok "an override becomes a timed dimming command (fPort 60), acknowledged" ||
    not_ok "override command" "$(sql "SELECT key || ' ' || state || ' ' || encode(payload, 'hex') FROM lighting_command WHERE device_id = $l_id0 AND f_port = 60")"
sql "UPDATE lighting_override SET cancelled_at = now(), cancelled_by = 'test' WHERE device_ids = ARRAY[$l_id0]::bigint[]" > /dev/null
wait_sql "SELECT count(*) FROM lighting_command WHERE device_id = $l_id0 AND key LIKE 'nas.ovr.%.end'
    AND state = 'acknowledged' AND encode(payload, 'hex') = '01feff'" 1 30 &&
    ok "a cancelled override sends the lamp back to its schedule (resume), acknowledged" ||
    not_ok "override end" "$(sql "SELECT key || ' ' || state || ' ' || encode(payload, 'hex') FROM lighting_command WHERE device_id = $l_id0 AND f_port = 60")"

# Schedule not applied: the lamp reports 80 % at 23:31 yesterday (Paris) where its program says
# 40 %: mue-lighting publishes schedule_deviation 40 at that time; 40 % reported: 0.
l_t=$(TZ=Europe/Paris date -d "yesterday 23:31:17" +%Y-%m-%dT%H:%M:%S%:z)
l_t2=$(TZ=Europe/Paris date -d "yesterday 23:41:13" +%Y-%m-%dT%H:%M:%S%:z)
printf '%s dim_level 80\n%s dim_level 40\n' "$l_t" "$l_t2" |
    "$BIN/mue-measure" --device-id "$l_id0" --dev-eui "${l_lamps[0]}" --use-case lighting \
        --model nas-ul20xx --id-prefix it-lighting > /dev/null 2>&1
wait_sql "SELECT string_agg(value::text, ' ' ORDER BY time) FROM measurement WHERE device_id = $l_id0
    AND quantity = 'schedule_deviation' AND time IN ('$l_t', '$l_t2')" "40 0" 30 &&
    ok "a lamp reporting 80 % where its program plans 40 % gets schedule_deviation 40 (and 0 when it matches)" ||
    not_ok "schedule_deviation" "$(sql "SELECT string_agg(to_char(time, 'HH24:MI') || '=' || value, ' ') FROM measurement WHERE device_id = $l_id0 AND quantity = 'schedule_deviation' AND time > now() - interval '3 days'")"

m=$(curl -fsS "http://127.0.0.1:${ADMIN[lighting]}/metrics")
case "$m" in *"mue_lighting_commands_acknowledged_total "[1-9]*) ok "mue-lighting counts its acknowledged commands in /metrics" ;;
*) not_ok "lighting metrics" "$(printf '%s' "$m" | grep mue_lighting | head -5)" ;; esac

kill -TERM "${PID[fake_lighting]}" && wait "${PID[fake_lighting]}" 2> /dev/null
unset "PID[fake_lighting]"
