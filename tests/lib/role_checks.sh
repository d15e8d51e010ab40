# role_checks.sh - that the services ran under their own PostgreSQL roles (deploy/sql/0012_roles.sql)
# and that those roles' grants were enough for all they did: used at the end of the integration
# suite, the cluster test and the faults test. Sourced by bash; the caller defines ok, not_ok and
# sql QUERY (psql as the owner, on the database mue).

# check_service_roles all|only "ROLE..." LOG...
#   all:  the roles connected to mue are exactly ROLE... (sorted, e.g. "mue_alerts mue_writer");
#   only: every connection to mue is one of ROLE..., or psql's (a service that lost its connection
#         in a fault and has not needed the database since may be missing).
# Then: no log holds a refusal of PostgreSQL (SQLSTATE 42501, "permission denied"). Services log
# a failed statement with its sqlstate, so a missing grant shows there even where the test's other
# checks would not notice it.
check_service_roles() {
    local mode=$1 want=$2 connected others refused
    shift 2
    connected=$(sql "SELECT coalesce(string_agg(DISTINCT usename, ' ' ORDER BY usename), '')
                     FROM pg_stat_activity WHERE datname = 'mue' AND usename LIKE 'mue\_%'")
    others=$(sql "SELECT coalesce(string_agg(DISTINCT usename || '/' || application_name, ' '), '')
                  FROM pg_stat_activity WHERE datname = 'mue' AND pid <> pg_backend_pid()
                  AND application_name <> 'psql'
                  AND usename <> ALL (string_to_array('$want', ' '))")
    if [ "$mode" = all ]; then
        [ "$connected" = "$want" ]
    else
        [ -n "$connected" ] && [ -z "$others" ]
    fi && ok "the services are connected to PostgreSQL as their own roles ($connected)" ||
        not_ok "the services are connected as their own roles" "connected: $connected; expected: $want; others: $others"
    refused=$(grep -l -E 'sqlstate=42501|permission denied' "$@" 2>/dev/null | xargs -r -n1 basename)
    [ -z "$refused" ] && [ "$#" -gt 0 ] &&
        ok "no service was refused anything by PostgreSQL ($# logs): the grants are enough" ||
        not_ok "services refused by PostgreSQL" "in: $refused; $(grep -h -m1 -E 'sqlstate=42501|permission denied' "$@" | head -3)"
}
