#!/usr/bin/env bash
# run.sh - the static checks of the sources that make test runs: the SQL checker (sql_params.sh)
# passes on the tree, and catches string-built SQL planted in scratch files while it lets
# parameterised SQL and explained exceptions pass. Prints "ok - ..." / "not ok - ..." per check
# and "lint: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1${2:+: $2}"; failed=$((failed + 1)); }
W=$(mktemp -d /tmp/mue-lint.XXXXXX)
trap 'rm -rf "$W"' EXIT

out=$(bash tests/lint/sql_params.sh 2>&1)
[ $? = 0 ] && ok "no SQL of common/, services/ or the tools is built from run-time values" ||
    not_ok "SQL built from run-time values in the tree" "$out"

# expect_found NAME LINES C-TEXT: the checker refuses the file and reports exactly those lines.
expect_found() {
    local name=$1 want=$2 got
    printf '%s\n' "$3" > "$W/$name.c"
    got=$(perl tests/lint/sql_params.pl "$W/$name.c" | sed -n 's/^[^:]*:\([0-9]*\):.*/\1/p' | tr '\n' ' ')
    if perl tests/lint/sql_params.pl "$W/$name.c" > /dev/null; then
        not_ok "planted $name is refused" "the checker passed it"
    elif [ "${got% }" = "$want" ]; then
        ok "planted $name is refused (line $want)"
    else
        not_ok "planted $name is refused at line $want" "reported at: $got"
    fi
}
# expect_clean NAME C-TEXT: the checker lets the file pass.
expect_clean() {
    printf '%s\n' "$2" > "$W/$1.c"
    local got
    got=$(perl tests/lint/sql_params.pl "$W/$1.c" 2>&1) && ok "$1 passes" || not_ok "$1 passes" "$got"
}

expect_found snprintf_value "3" '#include <stdio.h>
void f(const char *eui, char *sql, size_t n) {
    snprintf(sql, n, "SELECT id FROM device WHERE dev_eui = '"'"'%s'"'"'", eui);
}'
expect_found buf_printf_number "3" 'void f(struct mue_buf *b, long long id) {
    mue_buf_append_str(b, "BEGIN; ");
    mue_buf_printf(b, "DELETE FROM alert WHERE id = %lld", id);
}'
expect_found pri_macro "2" 'void f(char *buf, int64_t v) {
    sprintf(buf, "INSERT INTO t (v) VALUES (%" PRId64 ")", v);
}'
expect_found strcat_into_sql "4" 'void f(const char *name) {
    char q[256] = "";
    strcat(q, "UPDATE device SET name = '"'"'");
    strcat(q, name);
    strcat(q, "'"'"'");
}'
expect_found append_to_named_buffer "2" 'void f(struct mue_buf *sql, const char *column) {
    mue_buf_append_str(sql, column);
}'
expect_found format_from_a_variable "2" 'void f(char *sql, size_t n, const char *fmt, int x) {
    snprintf(sql, n, fmt, x);
}'
expect_found spread_over_lines "4" 'void f(char *sql, size_t n, const char *uc)
{
    static const char tail[] = "";
    snprintf(sql, n,
             "SELECT count(*) FROM device "
             "WHERE use_case = %s%s", uc, tail);
}'
expect_found marker_without_reason "2 3" 'void f(char *sql, size_t n, const char *uc) {
    /* sql-params: */
    snprintf(sql, n, "SELECT 1 FROM use_case WHERE id = %s", uc);
}'
expect_found marker_elsewhere "5" '/* sql-params: this marker is for g only, far from f below */
void g(void) {
}
void f(char *sql, size_t n, const char *uc) {
    snprintf(sql, n, "SELECT 1 FROM use_case WHERE id = %s", uc);
}'

expect_clean "parameterised SQL" 'static const char sql[] = "SELECT id FROM device WHERE dev_eui = $1";
int f(struct mue_db *db, const char *eui) {
    const char *p[1] = { eui };
    char msg[64];
    snprintf(msg, sizeof(msg), "device %s not found", eui);
    mue_log_warn("x", "SELECT failed for %s", eui);
    return mue_db_query(db, "device", NULL, sql, 1, p);
}'
expect_clean "SQL of literals and macros" '#define ISO(e) "to_char(" e ")"
void f(struct mue_buf *sql, int hour) {
    mue_buf_append_str(sql, "SELECT " ISO("r.hour") " FROM rollup_hour r");
    if (hour)
        mue_buf_append_str(sql, " ORDER BY " "r.hour");
    mue_buf_printf(sql, " LIMIT 100");
}'
expect_clean "an exception with its reason" 'void f(PGconn *c, struct mue_buf *sql, const char *name) {
    char *id = PQescapeIdentifier(c, name, strlen(name));
    /* sql-params: the name is an identifier quoted by PQescapeIdentifier */
    mue_buf_printf(sql, " AS %s", id);
    mue_buf_append_str(sql, id); /* sql-params: the same identifier, quoted by libpq above */
}'
expect_clean "a function excepted with its reason" '/* Its columns.
 * sql-params: every %d is the index of a column, never a value */
static void cols(struct mue_buf *sql, int n)
{
    for (int i = 0; i < n; i++)
        mue_buf_printf(sql, ", ($2::text[])[%d] AS c%d", i + 1, i);
}'

echo "lint: $passed passed, $failed failed"
[ "$failed" = 0 ]
