# roles.sh - least privilege in PostgreSQL (deploy/sql/0012_roles.sql), sourced by run.sh at the
# end, while every service still runs under its own role: each was connected as that role and
# never refused by PostgreSQL in the whole suite (so its grants are enough), each role is refused
# what it must not do, every table and view is granted to some role and nothing to PUBLIC, the
# passwords mue-admin migrate sets work and appear in no log, and no log holds a secret.

ROLES="normalizer writer alerts lighting opendata api"
# Relations read by people only (psql as the owner; README, docs/architecture.md): no service
# role needs them. A new table or view goes here only for that reason, otherwise it is granted.
PEOPLE_ONLY="noise_period noise_hour rollup_hour_stats rollup_day_stats"

# as_role SERVICE SQL: runs SQL as mue_SERVICE in a transaction that is rolled back; prints what
# psql prints, errors included, and fails on the first error.
as_role() {
    psql -X -A -t -q -h 127.0.0.1 -p "$PG_PORT" -U "mue_$1" -d mue -v ON_ERROR_STOP=1 \
        -c "BEGIN" -c "$2" -c "ROLLBACK" 2>&1
}
# refused SERVICE WHAT SQL: the role may not run SQL (PostgreSQL says permission denied, or that
# only the owner may).
refused() {
    local out
    out=$(as_role "$1" "$3")
    case "$out" in
    *"permission denied"* | *"must be owner"*) ok "mue_$1 is refused $2" ;;
    *) not_ok "mue_$1 is refused $2" "${out:-allowed}" ;;
    esac
}
# allowed SERVICE WHAT SQL EXPECTED: the role runs SQL and it prints EXPECTED.
allowed() {
    local out
    out=$(as_role "$1" "$3")
    [ "$out" = "$4" ] && ok "mue_$1 may $2" || not_ok "mue_$1 may $2" "got: $out (expected $4)"
}

# --- the services ran under their roles, and their grants were enough for the whole suite
. tests/lib/role_checks.sh
SVC_LOGS=()
for f in "$T"/log/*.log; do
    case "$(basename "$f" .log)" in
    writer | normalizer | ingest | alerts* | lighting | opendata* | api*) SVC_LOGS+=("$f") ;;
    esac
done
check_service_roles all "mue_alerts mue_api mue_lighting mue_normalizer mue_opendata mue_writer" "${SVC_LOGS[@]}"

# --- what each role must not do
refused normalizer "writing the registry" "UPDATE device SET active = false"
refused normalizer "reading measurements" "SELECT count(*) FROM measurement"
refused writer "reading API keys" "SELECT key_hash FROM api_key"
refused writer "reading the alert channels' secrets" "SELECT secret FROM alert_channel"
refused writer "changing the registry" "UPDATE device SET use_case = 'water'"
refused writer "deleting measurements" "DELETE FROM measurement"
refused writer "dropping a partition itself" \
    "DROP TABLE $(sql "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                       WHERE c.relkind = 'r' AND c.relname LIKE 'measurement\_%' LIMIT 1")"
refused api "writing measurements" "INSERT INTO measurement (device_id, quantity, time, value, use_case)
                                    SELECT id, 'probe', now(), 1, use_case FROM device LIMIT 1"
refused api "changing the rollups" "UPDATE rollup_hour SET count = count + 1"
refused api "deleting latest values" "DELETE FROM latest_value"
refused api "changing alerts (mue-alerts does, when asked)" "UPDATE alert SET state = 'resolved', resolved_at = now()"
refused api "changing lighting commands (mue-lighting does, when asked)" "UPDATE lighting_command SET state = 'failed'"
refused api "reading the alert channels' secrets" "SELECT secret FROM alert_channel"
refused api "making or reviving API keys" "UPDATE api_key SET revoked_at = NULL"
refused api "dropping expired partitions" "SELECT mue_drop_expired_measurements()"
refused api "making partitions" "SELECT mue_ensure_measurement_partition('waste', now())"
refused alerts "writing measurements" "INSERT INTO measurement (device_id, quantity, time, value, use_case)
                                       SELECT id, 'probe', now(), 1, use_case FROM device LIMIT 1"
refused alerts "editing alert rules (people do)" "UPDATE alert_rule SET enabled = false"
refused alerts "reading API keys" "SELECT key_hash FROM api_key"
refused lighting "reading API keys' hashes" "SELECT key_hash FROM api_key"
allowed lighting "read the ids of API keys (its audit rows name the caller's)" \
    "SELECT count(*) > 0 FROM api_key WHERE id > 0" t
refused lighting "changing the registry" "UPDATE device SET active = false"
refused lighting "making device groups" "INSERT INTO device_group (name) VALUES ('probe')"
refused opendata "writing measurements" "DELETE FROM measurement"
refused opendata "reading API keys" "SELECT key_hash FROM api_key"
refused opendata "changing the registry" "UPDATE device SET active = false"
for r in $ROLES; do
    refused "$r" "rewriting the audit log" "DELETE FROM audit_log"
    refused "$r" "creating tables" "CREATE TABLE probe (x integer)"
done

# --- and what the owner's functions do for them
allowed writer "fill a partition it creates for a month never seen" \
    "SELECT mue_ensure_measurement_partition('waste', '2041-05-10T00:00:00Z') IS NOT NULL;
     INSERT INTO measurement (device_id, quantity, time, value, use_case)
     SELECT id, 'probe', '2041-05-10T00:00:00Z', 1, 'waste' FROM device LIMIT 1 RETURNING quantity" "t
probe"
eui=$(sql "SELECT d.dev_eui FROM device d WHERE d.use_case = 'waste'
           AND EXISTS (SELECT 1 FROM measurement m WHERE m.device_id = d.id AND m.use_case = 'waste') LIMIT 1")
n=$(sql "SELECT count(*) FROM measurement m JOIN device d ON d.id = m.device_id WHERE d.dev_eui = '$eui'")
allowed api "move a device to another use case, its rows following (the trigger runs as the owner)" \
    "UPDATE device SET use_case = 'heat' WHERE dev_eui = '$eui';
     SELECT count(*) FROM measurement m JOIN device d ON d.id = m.device_id
     WHERE d.dev_eui = '$eui' AND m.use_case = 'heat'" "$n"
[ "$(sql "SELECT count(*) FROM measurement m JOIN device d ON d.id = m.device_id WHERE d.dev_eui = '$eui' AND m.use_case = 'waste'")" = "$n" ] &&
    [ "$(sql "SELECT to_regclass('measurement_2041_05') IS NULL")" = t ] &&
    ok "both rolled back: the rows stay under waste, no partition for 2041" || not_ok "the role checks left nothing behind"

# --- the grants as a whole
ungranted_sql="SELECT coalesce(string_agg(c.relname, ' ' ORDER BY c.relname), '')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND NOT c.relispartition AND c.relname <> ALL (string_to_array('$PEOPLE_ONLY', ' '))
      AND NOT EXISTS (SELECT 1 FROM unnest(string_to_array('$ROLES', ' ')) r
                      WHERE has_table_privilege('mue_' || r, c.oid, 'SELECT, INSERT, UPDATE, DELETE')
                         OR has_any_column_privilege('mue_' || r, c.oid, 'SELECT, INSERT, UPDATE'))"
r=$(sql "$ungranted_sql")
[ -z "$r" ] && ok "every table and view is granted to a service role (or read by people only: $PEOPLE_ONLY)" ||
    not_ok "tables or views no service role may use (grant them in their migration)" "$r"
r=$(sql "BEGIN; CREATE TABLE probe_forgotten (x integer); $ungranted_sql; ROLLBACK" | grep -v -E '^(BEGIN|CREATE TABLE|ROLLBACK)$')
[ "$r" = probe_forgotten ] && ok "a table a migration forgot to grant is caught by that check" ||
    not_ok "the grant check catches a forgotten table" "got: $r"
r=$(sql "SELECT coalesce(string_agg(c.relname, ' '), '') FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
         WHERE n.nspname = current_schema() AND a.grantee = 0")
[ -z "$r" ] && ok "no table, view or sequence is granted to PUBLIC" || not_ok "granted to PUBLIC" "$r"
r=$(sql "SELECT coalesce(string_agg(p.proname, ' '), '') FROM pg_proc p
         JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = current_schema() AND EXISTS (SELECT 1
             FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
             WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')")
[ -z "$r" ] && ok "no function of the schema may be called by PUBLIC" || not_ok "functions PUBLIC may call" "$r"
r=$(sql "SELECT coalesce(string_agg(p.proname, ' '), '') FROM pg_proc p
         JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = current_schema() AND p.prosecdef
           AND NOT coalesce(p.proconfig::text LIKE '%search_path=%pg_temp%', false)")
[ -z "$r" ] && ok "every SECURITY DEFINER function sets its search_path, pg_temp last" ||
    not_ok "SECURITY DEFINER functions without a safe search_path" "$r"
r=$(sql "SELECT string_agg(rolname, ' ' ORDER BY rolname) FROM pg_roles
         WHERE rolname LIKE 'mue\_%' AND rolcanlogin AND NOT (rolsuper OR rolcreaterole OR rolcreatedb
               OR rolreplication OR rolbypassrls)
           AND NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE c.relowner = pg_roles.oid AND n.nspname = current_schema())
           AND NOT EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = pg_roles.oid)")
[ "$r" = "mue_alerts mue_api mue_lighting mue_normalizer mue_opendata mue_writer" ] &&
    ok "the six roles log in, own nothing, belong to no role and hold no special attribute" ||
    not_ok "roles' attributes" "plain: $r"

# --- passwords: set by mue-admin migrate from MUE_PG_PASSWORD_<SERVICE>, never shown. The suite's
# cluster trusts loopback: one rule asks mue_api for its password on the database postgres while
# this runs (the running API is on mue, and unaffected).
hba=$(readlink -f "$T/pg/home")/data/pg_hba.conf
cp "$hba" "$T/pg_hba.conf.saved"
{ echo "host postgres mue_api 127.0.0.1/32 scram-sha-256"; cat "$T/pg_hba.conf.saved"; } > "$hba"
pg_setting() { psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d mue -c "$1" -c "SELECT pg_reload_conf()" > /dev/null; }
pg_setting "ALTER SYSTEM SET log_statement = 'all'"
sleep 0.5
PW_API=$(random_secret)
r=$(MUE_LOG_LEVEL=debug MUE_PG_PASSWORD_API=$PW_API "$BIN/mue-admin" migrate 2>&1)
echo "$r" >> "$T/log/migrate-passwords.log"
pg_setting "ALTER SYSTEM RESET log_statement"
case "$r" in *"password of mue_api set"*) ok "mue-admin migrate sets mue_api's password from MUE_PG_PASSWORD_API" ;;
*) not_ok "mue-admin migrate sets a role's password" "$r" ;; esac
r=$(psql -X -A -t -q "host=127.0.0.1 port=$PG_PORT dbname=postgres user=mue_api password=$PW_API" \
    -c "SELECT current_user" 2>&1)
w=$(psql -X -A -t -q "host=127.0.0.1 port=$PG_PORT dbname=postgres user=mue_api password=x$PW_API" \
    -c "SELECT current_user" 2>&1)
[ "$r" = mue_api ] && case "$w" in *"password authentication failed"*) true ;; *) false ;; esac &&
    ok "mue_api logs in with that password, and not with another" || not_ok "role password works" "right: $r; wrong: $w"
cp "$T/pg_hba.conf.saved" "$hba"
sql "SELECT pg_reload_conf()" > /dev/null
server_log=$(readlink -f "$T/pg/home")/data/server.log
grep -q "ALTER ROLE mue_api PASSWORD 'SCRAM-SHA-256" "$server_log" && ! grep -q -F -- "$PW_API" "$server_log" &&
    ok "only the password's SCRAM verifier reaches the server (its statement log holds no password)" ||
    not_ok "the password stays out of the server's log" "$(grep -c -F -- "$PW_API" "$server_log") lines hold it"

# --- secrets are never logged: the webhook secrets, the API keys, the role password
leaks=""
for s in "$SECRET" "$LO_SECRET" "$HOOK_SECRET" "$KEY_ADMIN" "$KEY_DIRECTORATE" "$KEY_OPERATOR" "$KEY_PARTNER" "$PW_API"; do
    [ -n "$s" ] || continue
    f=$(grep -l -F -- "$s" "${SVC_LOGS[@]}" "$T"/log/migrate*.log "$T/log/keys.log" 2>/dev/null | xargs -r -n1 basename)
    [ -z "$f" ] || leaks="$leaks ${s:0:4}...:$f"
done
[ -z "$leaks" ] && ok "no service log and no mue-admin output holds a secret, an API key or a password" ||
    not_ok "secrets in logs" "$leaks"
