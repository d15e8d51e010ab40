# alerts.sh - mue-alerts against real servers: two engines on one consumer, synthetic series with
# known answers, a restart in the middle of a pending duration, no-data, acknowledge and resolve
# through the bus, webhooks and e-mail to fake receivers, the default rules over the simulated
# fleet. Sourced by run.sh after the simulator's back-fill is in MEASURES.

ADMIN[alerts]=$(free_port)
ADMIN[alerts2]=$(free_port)
HOOK_PORT=$(free_port)
SMTP_PORT=$(free_port)
HOOK_SECRET=$(random_secret)
export MUE_ALERTS_TICK_MS=500 MUE_ALERTS_NOTIFY_BACKOFF_MS=300
export MUE_SMTP_SERVER=127.0.0.1:$SMTP_PORT MUE_SMTP_FROM=alertes@mue.test

start_alerts() { # NAME: mue-alerts under that name (two copies share the consumer)
    MUE_PG_DSN=$(svc_dsn alerts) MUE_ADMIN_LISTEN=127.0.0.1:${ADMIN[$1]} "${VG[@]}" "$BIN/mue-alerts" \
        >> "$T/log/$1.log" 2>&1 &
    PID[$1]=$!
}

# alerts_drained [SECONDS]: the engines' consumer has nothing pending or unacknowledged.
alerts_drained() {
    local i j
    for i in $(seq 1 $((${1:-60} * 5))); do
        j=$(curl -fsS "http://127.0.0.1:$NATS_MPORT/jsz?consumers=true" 2>/dev/null |
            jq -r '[.account_details[].stream_detail[] | select(.name == "MEASURES")
                    | .consumer_detail[] | select(.name == "alerts")
                    | .num_pending + .num_ack_pending] | add // -1' 2>/dev/null)
        [ "$j" = 0 ] && return 0
        sleep 0.2
    done
    echo "    alerts consumer still has $j messages" >&2
    return 1
}

# measure DEV_EUI PREFIX START < "+S quantity value" lines
measure() {
    local id
    id=$(sql "SELECT id FROM device WHERE dev_eui = '$1'")
    MUE_LOG_LEVEL=warn "$BIN/mue-measure" --device-id "$id" --dev-eui "$1" --use-case waste --id-prefix "$2" \
        --start "$3" > /dev/null
}

alert_row() { # RULE COLUMNS: the columns of the rule's alerts, one line each, oldest first
    sql "SELECT $2 FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE r.name = '$1' ORDER BY a.id"
}

# --- test devices and rules (a quantity no default rule reads)
for n in 1 2 3 4 5 6; do
    admin device add --dev-eui a1e700000000000$n --model test --use-case waste --name "it-alert-$n" > /dev/null
done
sql "UPDATE device SET expected_period_s = 2 WHERE dev_eui = 'a1e7000000000003'" > /dev/null
dev() { echo "(SELECT id FROM device WHERE dev_eui = 'a1e700000000000$1')"; }
r=$(sql "INSERT INTO alert_rule (name, title, use_case, device_id, kind, quantity, op, threshold, hysteresis, duration_s, window_s, silence_factor, severity) VALUES
  ('it.threshold', 'Test seuil', 'waste', $(dev 1), 'threshold', 'test_level', 'above', 80, 5, 300, NULL, NULL, 'warning'),
  ('it.rate', 'Test montée', 'waste', $(dev 2), 'rate', 'test_level', 'above', 0.3, 0.1, 0, 3600, NULL, 'warning'),
  ('it.nodata', 'Test silence', 'waste', $(dev 3), 'no_data', '', 'above', NULL, 0, 0, NULL, 2, 'warning'),
  ('it.concurrent', 'Test concurrence', 'waste', $(dev 4), 'threshold', 'test_level', 'above', 50, 0, 0, NULL, NULL, 'critical'),
  ('it.flap', 'Test bagotement', 'waste', $(dev 5), 'threshold', 'test_level', 'above', 50, 0, 0, NULL, NULL, 'warning'),
  ('it.restart', 'Test reprise', 'waste', $(dev 6), 'threshold', 'test_level', 'above', 80, 0, 600, NULL, NULL, 'info')
  RETURNING id" | wc -l)
[ "$r" = 6 ] && ok "alert rules are data: six test rules inserted" || not_ok "test rules inserted" "$r"

"$BIN/mue-fake-hook" --listen 127.0.0.1:$HOOK_PORT --secret "$HOOK_SECRET" --out "$T/hook.jsonl" \
    --fail-first 1 >> "$T/log/fake-hook.log" 2>&1 &
PID[fake-hook]=$!
"$BIN/mue-fake-smtp" --listen 127.0.0.1:$SMTP_PORT --out "$T/smtp.jsonl" >> "$T/log/fake-smtp.log" 2>&1 &
PID[fake-smtp]=$!
admin alerts channel add --name it-hook --kind webhook --target "http://127.0.0.1:$HOOK_PORT/hook" \
    --secret "$HOOK_SECRET" --use-case waste --min-severity info --group-s 3600 > /dev/null 2>&1 &&
    admin alerts channel add --name it-mail --kind email --target "dechets@mue.test" \
        --use-case waste --min-severity critical --group-s 3600 > /dev/null 2>&1 &&
    ok "notification channels are added with mue-admin" || not_ok "notification channels are added"

# ALERTS holds the bus tests' own messages already: count from here.
alerts_on_bus() {
    curl -fsS "http://127.0.0.1:$NATS_MPORT/jsz?streams=true" |
        jq -r '.account_details[].stream_detail[] | select(.name == "ALERTS") | .state.messages'
}
alerts_before=$(alerts_on_bus)

# --- two engines, one consumer: the backlog of the simulated day is shared between them
start_alerts alerts
start_alerts alerts2
healthy alerts && healthy alerts2 && ok "two mue-alerts start and report healthy" ||
    not_ok "two mue-alerts start" "$(tail -5 "$T/log/alerts.log")"

# 1,000 measurements over the threshold for one device, while both engines run.
seq 1 1000 | awk '{printf "+%d test_level %d\n", $1, 60 + $1 % 10}' |
    measure a1e7000000000004 it-concurrent 2026-11-20T10:00:00Z
if alerts_drained 180; then ok "both engines drain MEASURES (the simulated day and the test series)"; else not_ok "engines drain MEASURES"; fi
# Two engines sharing one consumer see one device's messages in any order: only the count is
# certain, and that is the point (partitions by device keep the order: MUE_ALERTS_PARTITION).
got=$(alert_row it.concurrent "a.state")
[ "$got" = "open" ] &&
    ok "1,000 measurements over the threshold, evaluated by two engines: exactly one open alert" ||
    not_ok "exactly one alert for 1,000 measurements" "$got"
m1=$(curl -fsS "http://127.0.0.1:${ADMIN[alerts]}/metrics" | awk '/^mue_alerts_messages_total /{print $2}')
m2=$(curl -fsS "http://127.0.0.1:${ADMIN[alerts2]}/metrics" | awk '/^mue_alerts_messages_total /{print $2}')
[ "${m1:-0}" -gt 0 ] && [ "${m2:-0}" -gt 0 ] &&
    ok "both engines evaluated measurements ($m1 and $m2 batches)" || not_ok "both engines worked" "$m1 / $m2"

# The known answers below need one device's samples in order: one engine from here on.
kill -TERM "${PID[alerts2]}"
wait "${PID[alerts2]}"
rc=$?
unset "PID[alerts2]"
[ "$rc" = 0 ] && ok "the second mue-alerts stops on SIGTERM with status 0" || not_ok "alerts2 SIGTERM" "status $rc"

# --- duration and hysteresis: 80 held 5 minutes opens; only below 80 - 5 resolves
printf '%s\n' "+0 test_level 70" "+60 test_level 85" "+120 test_level 90" "+180 test_level 88" \
    "+240 test_level 82" "+300 test_level 81" "+360 test_level 84" "+420 test_level 79" \
    "+480 test_level 76" "+540 test_level 74" "+600 test_level 78" |
    measure a1e7000000000001 it-threshold 2026-11-21T08:00:00Z
alerts_drained 30
got=$(alert_row it.threshold "a.since || ' ' || a.opened_at || ' ' || a.value || ' ' || a.resolved_at || ' ' || a.resolved_by || ' ' || a.peak_value")
want="2026-11-21 08:01:00+00 2026-11-21 08:06:00+00 84 2026-11-21 08:09:00+00 auto 84"
[ "$got" = "$want" ] && ok "threshold with duration and hysteresis: opened at 08:06 (true since 08:01), resolved at 08:09 below 75, once" ||
    not_ok "threshold with duration and hysteresis" "got '$got', want '$want'"

# --- rate: a river-like rise of 0.31 within an hour opens, levelling off resolves
printf '%s\n' "+0 test_level 1.00" "+600 test_level 1.02" "+1200 test_level 1.05" "+1800 test_level 1.10" \
    "+2400 test_level 1.20" "+3000 test_level 1.31" "+3600 test_level 1.40" "+4200 test_level 1.42" \
    "+4800 test_level 1.43" "+5400 test_level 1.43" "+6000 test_level 1.43" "+6600 test_level 1.43" |
    measure a1e7000000000002 it-rate 2026-11-21T08:00:00Z
alerts_drained 30
got=$(alert_row it.rate "a.opened_at || ' ' || round(a.value::numeric, 6) || ' ' || a.resolved_at")
want="2026-11-21 08:50:00+00 0.310000 2026-11-21 09:50:00+00"
[ "$got" = "$want" ] && ok "rate of change: +0.31 in an hour opens at 08:50, resolved at 09:50 when the hour's rise is 0.12" ||
    not_ok "rate of change" "got '$got', want '$want'"

# --- restart in the middle of a pending duration (600 s): kill -9 the engine, start it again
printf '%s\n' "+0 test_level 85" "+120 test_level 86" "+240 test_level 87" |
    measure a1e7000000000006 it-restart-a 2026-11-22T12:00:00Z
alerts_drained 30
got=$(sql "SELECT s.pending_since FROM alert_state s JOIN alert_rule r ON r.id = s.rule_id WHERE r.name = 'it.restart'")
[ "$got" = "2026-11-22 12:00:00+00" ] && ok "a pending duration is persisted (pending since 12:00)" || not_ok "pending persisted" "$got"
kill -KILL "${PID[alerts]}"
wait "${PID[alerts]}" 2> /dev/null
printf '%s\n' "+360 test_level 88" "+480 test_level 89" "+540 test_level 90" "+600 test_level 91" "+720 test_level 92" |
    measure a1e7000000000006 it-restart-b 2026-11-22T12:00:00Z
start_alerts alerts
healthy alerts && alerts_drained 60
got=$(alert_row it.restart "a.since || ' ' || a.opened_at || ' ' || a.value")
[ "$got" = "2026-11-22 12:00:00+00 2026-11-22 12:10:00+00 91" ] &&
    ok "after kill -9 in a pending duration the alert opens at the right time (12:10), once" ||
    not_ok "restart in a pending duration" "$got"
# The same series again (a replay): nothing new.
printf '%s\n' "+0 test_level 85" "+120 test_level 86" | measure a1e7000000000006 it-restart-replay 2026-11-22T12:00:00Z
alerts_drained 30
got=$(sql "SELECT count(*) FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE r.name = 'it.restart'")
[ "$got" = 1 ] && ok "a replayed older series does not re-fire an open alert" || not_ok "replay re-fires" "$got"

# --- no data: expected every 2 s, silent after 2 x 2 s; heard again resolves
echo "+0 test_level 1" | measure a1e7000000000003 it-nodata-1 "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
wait_sql "SELECT count(*) FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE r.name = 'it.nodata' AND a.state = 'open'" 1 20 &&
    ok "a device silent for twice its period gets a no-data alert" || not_ok "no-data alert opens"
echo "+0 test_level 1" | measure a1e7000000000003 it-nodata-2 "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
wait_sql "SELECT count(*) FILTER (WHERE a.state = 'resolved' AND a.resolved_by = 'auto') || '/' || count(*) FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE r.name = 'it.nodata' AND a.id = (SELECT min(id) FROM alert WHERE rule_id = r.id)" 1/1 10 &&
    ok "the no-data alert is resolved when data returns" || not_ok "no-data alert resolves"

# --- acknowledge and resolve through the bus, audited
id=$(alert_row it.concurrent "a.id")
r=$(admin alerts ack "$id" --comment "équipe prévenue" 2>&1)
got=$(sql "SELECT state || ' ' || acknowledged_by || ' ' || ack_comment FROM alert WHERE id = $id")
case "$got" in "acknowledged cli:"*" équipe prévenue") ok "mue-admin alerts ack: acknowledged by whom, with the comment" ;;
    *) not_ok "alerts ack" "$got / $r" ;; esac
r=$(admin alerts ack "$id" 2>&1)
rc=$?
[ "$rc" != 0 ] && case "$r" in *conflict*) true ;; *) false ;; esac &&
    ok "acknowledging twice is refused (conflict)" || not_ok "second ack refused" "rc=$rc $r"
r=$(admin alerts ack 999999999 2>&1)
case "$r" in *not_found*) ok "acknowledging an unknown alert answers not_found" ;; *) not_ok "unknown alert ack" "$r" ;; esac
admin alerts resolve "$id" --comment "conteneur vidé" > /dev/null 2>&1
got=$(sql "SELECT state || ' ' || (resolved_by LIKE 'cli:%')::int FROM alert WHERE id = $id")
[ "$got" = "resolved 1" ] && ok "mue-admin alerts resolve resolves it by hand" || not_ok "alerts resolve" "$got"
# Still over the threshold after the hand resolve: the same problem is not raised again; once it
# clears, a new one is.
printf '%s\n' "+2000 test_level 70" | measure a1e7000000000004 it-concurrent-after-a 2026-11-20T10:00:00Z
alerts_drained 30
got=$(sql "SELECT count(*) FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE r.name = 'it.concurrent'")
printf '%s\n' "+2100 test_level 40" "+2200 test_level 70" | measure a1e7000000000004 it-concurrent-after-b 2026-11-20T10:00:00Z
alerts_drained 30
got="$got $(alert_row it.concurrent "a.state" | tr '\n' ' ')"
[ "$got" = "1 resolved open " ] &&
    ok "resolved by hand while still over: no new alert until the level clears, then a new one" ||
    not_ok "hand resolve disarms until a clear" "$got"
got=$(sql "SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE target = 'alert:$id'")
[ "$got" = "alert.acknowledge,alert.resolve" ] && ok "acknowledge and resolve are in the audit log" || not_ok "audit log" "$got"
wait_sql "SELECT string_agg(kind, ',' ORDER BY id) || ' ' || bool_and(published)::int FROM alert_event WHERE alert_id = $id" \
    "opened,acknowledged,resolved 1" 10 && ok "the alert's events are recorded and published" || not_ok "events published"

# --- events on the bus: every recorded event once on ALERTS
wait_sql "SELECT count(*) FROM alert_event WHERE NOT published" 0 20
# Counted between two equal counts of the table: the fleet's data may open an alert meanwhile.
for _ in $(seq 1 20); do
    events=$(sql "SELECT count(*) FROM alert_event")
    onbus=$(($(alerts_on_bus) - alerts_before))
    [ "$(sql "SELECT count(*) FROM alert_event WHERE published")" = "$events" ] && break
    sleep 0.5
done
[ "$events" = "$onbus" ] && [ "$events" -gt 0 ] && ok "each of the $events alert events is on mue.alert.> once" ||
    not_ok "events on the bus" "db $events, stream $onbus"

# --- the default rules over the simulated fleet
got=$(sql "SELECT count(DISTINCT a.use_case) || ' ' || count(*) FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE r.name NOT LIKE 'it.%'")
[ "${got%% *}" -ge 2 ] && ok "the default rules opened alerts on the simulated fleet ($got: use cases, alerts)" ||
    not_ok "default rules on the simulated fleet" "$got"

# --- notifications: a flapping series gives one notification per grouping period
seq 0 19 | awk '{printf "+%d test_level %d\n", $1 * 60, ($1 % 2) ? 40 : 60}' |
    measure a1e7000000000005 it-flap 2026-11-23T09:00:00Z
alerts_drained 30
wait_sql "SELECT count(*) FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE r.name = 'it.flap'" 10 10 &&
    ok "a flapping series without hysteresis opens and resolves ten alerts" || not_ok "flapping alerts"
flap=$(sql "SELECT a.rule_id || ':' || a.device_id FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE r.name = 'it.flap' LIMIT 1")
for i in $(seq 1 60); do
    sent=$(jq -c --arg g "$flap" 'select(.body.group == $g)' "$T/hook.jsonl" 2> /dev/null | wc -l)
    [ "$sent" -ge 1 ] && break
    sleep 0.5
done
sleep 2
sent=$(jq -c --arg g "$flap" 'select(.body.group == $g)' "$T/hook.jsonl" 2> /dev/null | wc -l)
in_sent=$(jq -s --arg g "$flap" '[.[] | select(.body.group == $g) | .body.events | length] | add // 0' "$T/hook.jsonl" 2> /dev/null)
waiting=$(sql "SELECT coalesce(sum(jsonb_array_length(n.events)), 0) FROM alert_notification n JOIN alert_channel c ON c.id = n.channel_id WHERE c.name = 'it-hook' AND n.group_key = '$flap' AND n.status = 'pending'")
[ "$sent" = 1 ] && [ $((in_sent + waiting)) = 20 ] &&
    ok "20 events of a flapping sensor: one webhook in the grouping period ($in_sent events), $waiting waiting for the next" ||
    not_ok "one notification per grouping period" "sent $sent, events $in_sent + $waiting"
bad=$(jq -r 'select(.signature_ok != true)' "$T/hook.jsonl" | wc -l)
[ "$bad" = 0 ] && [ -s "$T/hook.jsonl" ] && ok "every webhook carries a valid HMAC-SHA256 signature" || not_ok "webhook signatures" "$bad bad"
got=$(sql "SELECT max(attempts) FROM alert_notification n JOIN alert_channel c ON c.id = n.channel_id WHERE c.name = 'it-hook' AND n.status = 'sent'")
[ "${got:-0}" -ge 1 ] && ok "a webhook answered 500 is retried and then delivered" || not_ok "webhook retry" "$got"
for i in $(seq 1 40); do grep -q 'Test concurrence' "$T/smtp.jsonl" 2> /dev/null && break; sleep 0.5; done
jq -e 'select(.subject | contains("Test concurrence")) | select(.to | index("dechets@mue.test"))' "$T/smtp.jsonl" > /dev/null 2>&1 &&
    ok "a critical alert is e-mailed through the SMTP server to the directorate" ||
    not_ok "e-mail notification" "$(head -c 300 "$T/smtp.jsonl" 2> /dev/null)"

for svc in fake-hook fake-smtp; do
    kill -TERM "${PID[$svc]}" 2> /dev/null
    wait "${PID[$svc]}" 2> /dev/null
    unset "PID[$svc]"
done

# --- the API's alert routes, while the engine runs
. tests/integration/api_alerts.sh

# --- partitions by device: two engines, each with its own consumer and half of the devices, in
# order; a rule bound to a device group
kill -TERM "${PID[alerts]}"
wait "${PID[alerts]}"
rc=$?
unset "PID[alerts]"
[ "$rc" = 0 ] && ok "mue-alerts stops on SIGTERM with status 0" || not_ok "alerts SIGTERM" "status $rc"
for n in 7 8; do
    admin device add --dev-eui a1e700000000000$n --model test --use-case waste --name "it-alert-$n" > /dev/null
done
admin groups set it-pair --device a1e7000000000007,a1e7000000000008 --title "Paire de test" > /dev/null 2>&1 &&
    ok "mue-admin groups set makes a device group" || not_ok "groups set"
sql "INSERT INTO alert_rule (name, title, use_case, group_name, kind, quantity, op, threshold, hysteresis, duration_s, severity)
     VALUES ('it.group', 'Test groupe', 'waste', 'it-pair', 'threshold', 'test_level', 'above', 80, 5, 120, 'warning')" > /dev/null
ADMIN[alerts-p0]=$(free_port)
ADMIN[alerts-p1]=$(free_port)
MUE_ALERTS_PARTITION=0/2 start_alerts alerts-p0
MUE_ALERTS_PARTITION=1/2 start_alerts alerts-p1
healthy alerts-p0 && healthy alerts-p1 && ok "two partitioned engines (0/2, 1/2) start" ||
    not_ok "partitioned engines start" "$(tail -3 "$T/log/alerts-p0.log")"
for n in 7 8; do
    seq 0 9 | awk '{printf "+%d test_level %d\n", $1 * 60, ($1 >= 2 && $1 <= 6) ? 90 : 50}' |
        measure a1e700000000000$n "it-group-$n" 2026-11-24T07:00:00Z
done
want="2026-11-24 07:04:00+00 2026-11-24 07:07:00+00
2026-11-24 07:04:00+00 2026-11-24 07:07:00+00"
for i in $(seq 1 150); do
    got=$(alert_row it.group "a.opened_at || ' ' || a.resolved_at")
    [ "$got" = "$want" ] && break
    sleep 0.2
done
[ "$got" = "$want" ] && ok "a group's rule through two partitions: each device's alert opened at 07:04 and resolved at 07:07, once" ||
    not_ok "partitioned engines" "$got"
for svc in alerts-p0 alerts-p1; do
    m=$(curl -fsS "http://127.0.0.1:${ADMIN[$svc]}/metrics" | awk '/^mue_alerts_opened_total /{print $2}')
    kill -TERM "${PID[$svc]}"
    wait "${PID[$svc]}"
    rc=$?
    unset "PID[$svc]"
    [ "$rc" = 0 ] && [ "${m:-0}" -ge 1 ] && ok "$svc opened its device's alert ($m) and stops on SIGTERM with status 0" ||
        not_ok "$svc" "opened $m, status $rc"
done
