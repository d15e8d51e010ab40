# ledger_checks.sh - what a test that ran mue-sim's load mode through the whole pipeline checks at
# the end, whatever it did to the platform meanwhile (tests/cluster/, tests/faults/): the ledger
# against PostgreSQL and the streams, the rollups against the raw rows, and no alert doubled.
# Sourced by bash; the caller defines ok, not_ok, sql QUERY, sim ARGS... and stream_msgs STREAM
# (the messages a stream holds).

# check_ledger LEDGER: every uplink taken stored once in UPLINKS, its measurements once in MEASURES
# and its rows once in measurement; prints "sent N, stored N, duplicates N, lost N".
# Sets LEDGER_TAKEN, LEDGER_LOST, LEDGER_DUPLICATES and LEDGER_LINE (that line).
check_ledger() {
    local r rc stored unexpected uplinks measures dup_uplinks dup_measures
    r=$(sim reconcile --ledger "$1" --wait 0 2>&1)
    rc=$?
    LEDGER_TAKEN=$(sed -n 's/.*: \([0-9]*\) uplinks taken.*/\1/p' <<< "$r")
    stored=$(sed -n 's/.*; stored \([0-9]*\) .*/\1/p' <<< "$r")
    LEDGER_LOST=$(sed -n 's/.*; lost \([0-9]*\);.*/\1/p' <<< "$r")
    unexpected=$(sed -n 's/.*; unexpected \([0-9]*\)$/\1/p' <<< "$r")
    uplinks=$(stream_msgs UPLINKS)
    measures=$(stream_msgs MEASURES)
    dup_uplinks=$((${uplinks:-0} - ${LEDGER_TAKEN:-0}))
    dup_measures=$((${measures:-0} - ${LEDGER_TAKEN:-0}))
    LEDGER_DUPLICATES=$((dup_uplinks + dup_measures + ${unexpected:-0}))
    LEDGER_LINE="sent ${LEDGER_TAKEN:-?}, stored ${stored:-?}, duplicates $LEDGER_DUPLICATES, lost ${LEDGER_LOST:-?}"
    echo "$LEDGER_LINE"
    [ "$rc" = 0 ] && [ "${LEDGER_TAKEN:-0}" -gt 0 ] && [ "$stored" = "$LEDGER_TAKEN" ] &&
        [ "$LEDGER_LOST" = 0 ] && [ "$unexpected" = 0 ] &&
        ok "every uplink's measurements are in PostgreSQL, nothing else: $r" ||
        not_ok "the ledger reconciles" "rc=$rc $r"
    [ "$dup_uplinks" = 0 ] && [ "$dup_measures" = 0 ] &&
        ok "UPLINKS holds each uplink once ($uplinks) and MEASURES each batch once ($measures)" ||
        not_ok "no duplicate on the streams" "UPLINKS $uplinks, MEASURES $measures, uplinks taken $LEDGER_TAKEN"
}

# check_rollups: the hourly and daily rollups equal a recomputation from the raw rows (count and
# exact sum; the writer folds each row in once, in the row's own transaction).
check_rollups() {
    local hour day
    hour=$(sql "SELECT count(*) FROM (
                  (SELECT device_id, quantity, date_trunc('hour', time, 'UTC') h, count(*) c,
                          sum(value::text::numeric) s FROM measurement GROUP BY 1, 2, 3
                   EXCEPT SELECT device_id, quantity, hour, count, sum FROM rollup_hour)
                  UNION ALL
                  (SELECT device_id, quantity, hour, count, sum FROM rollup_hour
                   EXCEPT SELECT device_id, quantity, date_trunc('hour', time, 'UTC'), count(*),
                          sum(value::text::numeric) FROM measurement GROUP BY 1, 2, 3)) x")
    day=$(sql "SELECT count(*) FROM (
                 (SELECT device_id, quantity, (time AT TIME ZONE 'Europe/Paris')::date d, count(*) c,
                         sum(value::text::numeric) s FROM measurement GROUP BY 1, 2, 3
                  EXCEPT SELECT device_id, quantity, day, count, sum FROM rollup_day)
                 UNION ALL
                 (SELECT device_id, quantity, day, count, sum FROM rollup_day
                  EXCEPT SELECT device_id, quantity, (time AT TIME ZONE 'Europe/Paris')::date, count(*),
                         sum(value::text::numeric) FROM measurement GROUP BY 1, 2, 3)) x")
    [ "$hour" = 0 ] && [ "$day" = 0 ] &&
        ok "hourly and daily rollups equal a recomputation from the raw rows" ||
        not_ok "rollups equal a recomputation" "$hour hourly and $day daily rollups differ"
}

# check_alerts_once DEV_EUI_LIKE: the load opened alerts; never two open at once for one rule and
# device; each opened once and resolved at most once; ALERTS holds each event once.
check_alerts_once() {
    local n_alerts overlap twice unopened events published
    n_alerts=$(sql "SELECT count(*) FROM alert a JOIN device d ON d.id = a.device_id WHERE d.dev_eui LIKE '$1'")
    [ "${n_alerts:-0}" -gt 0 ] &&
        ok "the load opened alerts: $n_alerts, $(sql "SELECT count(*) FROM alert WHERE state = 'resolved'") resolved since" ||
        not_ok "the load opened alerts" "$n_alerts"
    # Alert and event ids come from sequences, taken while the engine holds the (rule, device)
    # state row: they order one pair's alerts and events even across engines (times would not:
    # now() is when a transaction began, perhaps before it waited for that row).
    overlap=$(sql "WITH span AS (
                     SELECT a.id, a.rule_id, a.device_id,
                            (SELECT min(e.id) FROM alert_event e WHERE e.alert_id = a.id AND e.kind = 'opened') AS opened,
                            coalesce((SELECT min(e.id) FROM alert_event e WHERE e.alert_id = a.id AND e.kind = 'resolved'),
                                     9223372036854775807) AS resolved
                     FROM alert a)
                   SELECT count(*) FROM span x JOIN span y ON x.rule_id = y.rule_id
                   AND x.device_id = y.device_id AND x.id < y.id
                   AND x.opened < y.resolved AND y.opened < x.resolved")
    [ "$overlap" = 0 ] && ok "no two alerts of one rule and device were open at the same time" ||
        not_ok "no double alert" "$overlap overlapping pairs"
    twice=$(sql "SELECT count(*) FROM (SELECT alert_id, kind FROM alert_event WHERE kind IN ('opened', 'resolved')
                 GROUP BY 1, 2 HAVING count(*) > 1) x")
    unopened=$(sql "SELECT count(*) FROM alert a WHERE NOT EXISTS
                    (SELECT 1 FROM alert_event e WHERE e.alert_id = a.id AND e.kind = 'opened')")
    [ "$twice" = 0 ] && [ "$unopened" = 0 ] && ok "every alert was opened once, and resolved at most once" ||
        not_ok "alert events once" "$twice (alert, kind) pairs twice, $unopened alerts without an opened event"
    events=$(sql "SELECT count(*) FROM alert_event")
    published=$(stream_msgs ALERTS)
    [ "${events:-0}" -gt 0 ] && [ "$published" = "$events" ] &&
        ok "ALERTS holds each of the $events alert events once" ||
        not_ok "alert events published once" "$events events, ALERTS holds $published"
}
