/* test_mue_db.c - mue_db against a real PostgreSQL: connect, exec, query, failures, reconnect.
 * SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "../../unit/mue_test.h"
#include "server_test.h"

static const char *dsn;
static struct mue_db *db; /* opened once in main */

/* The one value of a one-row, one-column query, copied into 'out'. */
static void query_value(struct mue_db *d, const char *sql, char *out, size_t cap)
{
    PGresult *r = NULL;
    int n = mue_db_query(d, "test value", &r, sql, 0, NULL);

    MUE_ASSERT_INT_EQ(n, 1);
    snprintf(out, cap, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
}

static void test_open_connects_and_is_up(void)
{
    MUE_ASSERT(db != NULL);
    MUE_ASSERT(mue_db_conn(db) != NULL);
    MUE_ASSERT_INT_EQ(PQstatus(mue_db_conn(db)), CONNECTION_OK);
    MUE_ASSERT_INT_EQ(mue_db_is_up(db), 1);
    MUE_ASSERT_INT_EQ(mue_db_is_up(NULL), 0);
}

static void test_session_is_utc_and_quiet(void)
{
    char v[64];

    query_value(db, "SHOW TimeZone", v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "UTC");
    query_value(db, "SHOW client_min_messages", v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "warning");
}

static void test_ensure_returns_0_when_the_connection_is_up(void)
{
    MUE_ASSERT_INT_EQ(mue_db_ensure(db), 0);
    MUE_ASSERT_INT_EQ(mue_db_is_up(db), 1);
}

static void test_exec_runs_commands(void)
{
    char v[16];

    MUE_ASSERT_INT_EQ(
        mue_db_exec(db, "test create", "CREATE TEMP TABLE t_exec (id int PRIMARY KEY, name text)"),
        MUE_OK);
    MUE_ASSERT_INT_EQ(mue_db_exec(db, "test insert",
                                  "INSERT INTO t_exec VALUES (1, 'a'), (2, 'b'); "
                                  "INSERT INTO t_exec VALUES (3, 'c')"),
                      MUE_OK);
    MUE_ASSERT_INT_EQ(mue_db_exec(db, "test select", "SELECT 1"), MUE_OK);
    query_value(db, "SELECT count(*) FROM t_exec", v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "3");
    MUE_ASSERT_INT_EQ(mue_db_exec(db, "test drop", "DROP TABLE t_exec"), MUE_OK);
}

static void test_query_with_params_returns_the_rows(void)
{
    const char *ins[2];
    const char *sel[1] = { "5" };
    PGresult *r = NULL;
    int n;

    MUE_ASSERT_INT_EQ(
        mue_db_exec(db, "test create", "CREATE TEMP TABLE t_q (id int PRIMARY KEY, name text)"),
        MUE_OK);
    for (int i = 1; i <= 9; i++) {
        char id[8], name[16];
        snprintf(id, sizeof(id), "%d", i);
        snprintf(name, sizeof(name), "it's %d", i); /* a quote: parameters are not spliced */
        ins[0] = id;
        ins[1] = name;
        n = mue_db_query(db, "test insert", &r,
                         "INSERT INTO t_q VALUES ($1, $2) RETURNING id, name", 2, ins);
        MUE_ASSERT_INT_EQ(n, 1);
        MUE_ASSERT_STR_EQ(PQgetvalue(r, 0, 1), name);
        PQclear(r);
    }
    n = mue_db_query(db, "test select", &r, "SELECT id, name FROM t_q WHERE id > $1 ORDER BY id", 1,
                     sel);
    MUE_ASSERT_INT_EQ(n, 4);
    MUE_ASSERT_STR_EQ(PQgetvalue(r, 0, 0), "6");
    MUE_ASSERT_STR_EQ(PQgetvalue(r, 3, 1), "it's 9");
    PQclear(r);
    MUE_ASSERT_INT_EQ(mue_db_exec(db, "test drop", "DROP TABLE t_q"), MUE_OK);
}

static void test_query_with_no_rows_returns_0_and_a_result(void)
{
    PGresult *r = NULL;
    int n = mue_db_query(db, "test empty", &r, "SELECT 1 WHERE false", 0, NULL);

    MUE_ASSERT_INT_EQ(n, 0);
    MUE_ASSERT(r != NULL);
    PQclear(r);
}

static void test_query_with_a_null_parameter_passes_sql_null(void)
{
    const char *params[1] = { NULL };
    PGresult *r = NULL;
    int n = mue_db_query(db, "test null", &r, "SELECT $1::text IS NULL", 1, params);

    MUE_ASSERT_INT_EQ(n, 1);
    MUE_ASSERT_STR_EQ(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
}

static void test_a_failing_query_returns_edb_and_the_connection_still_works(void)
{
    PGresult *r = (PGresult *)&r;
    const char *params[1] = { "x" };
    char v[16];

    MUE_ASSERT_INT_EQ(mue_db_query(db, "test bad", &r, "SELECT * FROM no_such_table_here", 0, NULL),
                      MUE_EDB);
    MUE_ASSERT(r == NULL);
    r = (PGresult *)&r;
    MUE_ASSERT_INT_EQ(mue_db_query(db, "test bad cast", &r, "SELECT $1::int", 1, params), MUE_EDB);
    MUE_ASSERT(r == NULL);
    MUE_ASSERT_INT_EQ(mue_db_exec(db, "test bad exec", "THIS IS NOT SQL"), MUE_EDB);
    MUE_ASSERT_INT_EQ(mue_db_exec(db, "test division", "SELECT 1/0"), MUE_EDB);
    /* Still usable, and still up: the statement failed, not the connection. */
    MUE_ASSERT_INT_EQ(mue_db_is_up(db), 1);
    MUE_ASSERT_INT_EQ(mue_db_ensure(db), 0);
    query_value(db, "SELECT 40 + 2", v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "42");
}

static void test_fail_returns_edb(void)
{
    MUE_ASSERT_INT_EQ(mue_db_fail(db, "test fail", NULL), MUE_EDB);
    MUE_ASSERT_INT_EQ(mue_db_is_up(db), 1);
}

/* The server ends our session (as on a restart): the next query fails, ensure() reconnects. */
static void test_ensure_reconnects_after_the_server_dropped_the_session(void)
{
    struct mue_db *other = NULL;
    PGresult *r = NULL;
    const char *params[1];
    char pid[16], v[64];
    int n;

    query_value(db, "SELECT pg_backend_pid()", pid, sizeof(pid));
    MUE_ASSERT_INT_EQ(mue_db_open(&other, dsn, 5000), MUE_OK);
    params[0] = pid;
    n = mue_db_query(other, "test terminate", &r, "SELECT pg_terminate_backend($1::int)", 1,
                     params);
    PQclear(r);
    mue_db_close(other);
    MUE_ASSERT_INT_EQ(n, 1);

    MUE_ASSERT_INT_EQ(mue_db_exec(db, "test after kill", "SELECT 1"), MUE_EDB);
    MUE_ASSERT_INT_EQ(mue_db_is_up(db), 0);
    MUE_ASSERT_INT_EQ(mue_db_ensure(db), 1);
    MUE_ASSERT_INT_EQ(mue_db_is_up(db), 1);
    query_value(db, "SELECT 1", v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "1");
    query_value(db, "SHOW TimeZone", v, sizeof(v)); /* the session was set up again */
    MUE_ASSERT_STR_EQ(v, "UTC");
    MUE_ASSERT_INT_EQ(mue_db_ensure(db), 0);
}

static void test_close_accepts_null(void)
{
    mue_db_close(NULL);
}

static void test_open_to_a_wrong_port_fails_with_edb_within_the_timeout(void)
{
    struct mue_db *d = (struct mue_db *)&d;
    char bad[128];
    int fd, port = loopback_port(0, &fd), rc;
    long long t0, took;

    MUE_ASSERT(port > 0);
    snprintf(bad, sizeof(bad), "host=127.0.0.1 port=%d user=postgres dbname=postgres", port);
    t0 = mono_ms();
    rc = mue_db_open(&d, bad, 1000);
    took = mono_ms() - t0;
    MUE_ASSERT_INT_EQ(rc, MUE_EDB);
    MUE_ASSERT(d == (struct mue_db *)&d); /* out untouched */
    MUE_ASSERT(took >= 900);              /* it kept trying for the whole timeout */
    MUE_ASSERT(took < 2500);
}

struct opener {
    const char *dsn;
    long timeout_ms;
    int rc;
    int done;
};

static void *open_in_thread(void *p)
{
    struct opener *o = p;
    struct mue_db *d = NULL;

    o->rc = mue_db_open(&d, o->dsn, o->timeout_ms);
    mue_db_close(d);
    __atomic_store_n(&o->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* Opens a DSN (key=value or URI) of a server that accepts and never answers with a 1 s budget, in a
 * thread: returns how long mue_db_open took, or -1 when it still hung after 'limit_ms' (the
 * listener is then closed, which resets the connection and unblocks it). */
static long long open_silent(int as_uri, long long limit_ms, int *rc)
{
    struct opener o = { NULL, 1000, 0, 0 };
    char bad[160];
    pthread_t th;
    int fd, port = loopback_port(1, &fd);
    long long t0 = mono_ms(), took = -1;

    MUE_ASSERT(port > 0);
    if (as_uri)
        snprintf(bad, sizeof(bad), "postgresql://postgres@127.0.0.1:%d/postgres", port);
    else
        snprintf(bad, sizeof(bad), "host=127.0.0.1 port=%d user=postgres dbname=postgres", port);
    o.dsn = bad;
    MUE_ASSERT_INT_EQ(pthread_create(&th, NULL, open_in_thread, &o), 0);
    while (mono_ms() - t0 < limit_ms && !__atomic_load_n(&o.done, __ATOMIC_ACQUIRE)) {
        struct timespec ts = { 0, 20 * 1000000L };
        nanosleep(&ts, NULL);
    }
    if (__atomic_load_n(&o.done, __ATOMIC_ACQUIRE))
        took = mono_ms() - t0;
    close(fd);
    pthread_join(th, NULL);
    *rc = o.rc;
    return took;
}

/* libpq's smallest connect_timeout is 2 s: one attempt of that long may be in flight when the
 * budget runs out, no more. */
static void test_open_to_a_silent_server_fails_within_the_timeout(void)
{
    int rc = 0;
    long long took = open_silent(0, 12000, &rc);

    if (took < 0 || took > 1000 + 2000 + 500) {
        char m[128];
        snprintf(m, sizeof(m), "timeout_ms=1000 but mue_db_open took %lld ms%s",
                 took < 0 ? 12000 : took, took < 0 ? " and still had not returned" : "");
        mue_test_fail(__FILE__, __LINE__, m);
    }
    MUE_ASSERT_INT_EQ(rc, MUE_EDB);
}

static void test_open_of_a_uri_to_a_silent_server_fails_within_the_timeout(void)
{
    int rc = 0;
    long long took = open_silent(1, 6000, &rc);

    if (took < 0 || took > 1000 + 2000 + 500) {
        char m[128];
        snprintf(m, sizeof(m), "timeout_ms=1000 but mue_db_open took %lld ms%s",
                 took < 0 ? 6000 : took, took < 0 ? " and still had not returned" : "");
        mue_test_fail(__FILE__, __LINE__, m);
    }
    MUE_ASSERT_INT_EQ(rc, MUE_EDB);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_open_connects_and_is_up),
        MUE_TEST(test_session_is_utc_and_quiet),
        MUE_TEST(test_ensure_returns_0_when_the_connection_is_up),
        MUE_TEST(test_exec_runs_commands),
        MUE_TEST(test_query_with_params_returns_the_rows),
        MUE_TEST(test_query_with_no_rows_returns_0_and_a_result),
        MUE_TEST(test_query_with_a_null_parameter_passes_sql_null),
        MUE_TEST(test_a_failing_query_returns_edb_and_the_connection_still_works),
        MUE_TEST(test_fail_returns_edb),
        MUE_TEST(test_ensure_reconnects_after_the_server_dropped_the_session),
        MUE_TEST(test_close_accepts_null),
        MUE_TEST(test_open_to_a_wrong_port_fails_with_edb_within_the_timeout),
        MUE_TEST(test_open_to_a_silent_server_fails_within_the_timeout),
        MUE_TEST(test_open_of_a_uri_to_a_silent_server_fails_within_the_timeout),
    };
    int rc;

    dsn = getenv("MUE_TEST_PG_DSN");
    if (dsn == NULL || dsn[0] == '\0') {
        fprintf(stderr, "MUE_TEST_PG_DSN is not set: these tests need a PostgreSQL server (e.g. "
                        "\"host=127.0.0.1 port=5432 user=postgres dbname=postgres\")\n");
        printf("mue_db: 0 passed, 1 failed\n");
        return 1;
    }
    if (mue_db_open(&db, dsn, 5000) != MUE_OK) {
        fprintf(stderr, "cannot connect to MUE_TEST_PG_DSN\n");
        printf("mue_db: 0 passed, 1 failed\n");
        return 1;
    }
    rc = mue_test_run("mue_db", tests);
    mue_db_close(db);
    return rc;
}
