/* mue_db.c - the one adapter to libpq: PGresult statuses become MUE_EDB here, logged once.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_signal.h"
#include "mue_time.h"

struct mue_db {
    PGconn *conn;
    char *dsn;
    int up; /* read by other threads for /healthz */
};

static void set_up(struct mue_db *db, int up)
{
    __atomic_store_n(&db->up, up, __ATOMIC_RELAXED);
}

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static const char *conn_error(PGconn *c)
{
    const char *e = c ? PQerrorMessage(c) : "out of memory";
    return e && e[0] ? e : "unknown";
}

static int prepare_session(struct mue_db *db)
{
    PGresult *r;
    PQsetNoticeProcessor(db->conn, quiet_notices, NULL);
    r = PQexec(db->conn, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        mue_db_fail(db, "session setup", r);
        PQclear(r);
        return MUE_EDB;
    }
    PQclear(r);
    return MUE_OK;
}

/* One attempt, bounded: libpq waits forever on a server that accepts and stays silent unless
 * given connect_timeout, which it takes in whole seconds, 2 at the least. The DSN (key=value or
 * URI) is expanded first so the timeout set here overrides nothing the operator wrote but that. */
static PGconn *connect_once(const char *dsn, int64_t remaining_ms)
{
    char secs[24];
    const char *keys[] = { "dbname", "connect_timeout", NULL };
    const char *values[] = { dsn, secs, NULL };
    int64_t s = (remaining_ms + 999) / 1000;

    snprintf(secs, sizeof(secs), "%lld", (long long)(s < 2 ? 2 : s > 10 ? 10 : s));
    return PQconnectdbParams(keys, values, 1);
}

int mue_db_open(struct mue_db **out, const char *dsn, long timeout_ms)
{
    struct mue_db *db = mue_xcalloc(1, sizeof(*db));
    int64_t t0 = mue_time_mono_ms(), waited = 0;
    char quoted[256];

    db->dsn = mue_xstrdup(dsn);
    for (;;) {
        db->conn = connect_once(dsn, timeout_ms - waited);
        if (PQstatus(db->conn) == CONNECTION_OK && prepare_session(db) == MUE_OK)
            break;
        waited = mue_time_mono_ms() - t0; /* the attempt counts, not only the pauses */
        if (waited >= timeout_ms || mue_signal_stopping()) {
            mue_log_error("db.connect_failed", "err=\"%s\"",
                          mue_log_quote(quoted, sizeof(quoted), conn_error(db->conn)));
            mue_db_close(db);
            return MUE_EDB;
        }
        mue_log_warn("db.connect_retrying", "waited_ms=%lld err=\"%s\"", (long long)waited,
                     mue_log_quote(quoted, sizeof(quoted), conn_error(db->conn)));
        PQfinish(db->conn);
        db->conn = NULL;
        mue_signal_sleep_ms(500);
        waited = mue_time_mono_ms() - t0;
    }
    set_up(db, 1);
    mue_log_info("db.connected", "server_version=%d", PQserverVersion(db->conn));
    *out = db;
    return MUE_OK;
}

void mue_db_close(struct mue_db *db)
{
    if (db == NULL)
        return;
    PQfinish(db->conn);
    free(db->dsn);
    free(db);
}

PGconn *mue_db_conn(struct mue_db *db)
{
    return db->conn;
}

int mue_db_is_up(const struct mue_db *db)
{
    return db != NULL && __atomic_load_n(&db->up, __ATOMIC_RELAXED);
}

int mue_db_ensure(struct mue_db *db)
{
    char quoted[256];

    if (PQstatus(db->conn) == CONNECTION_OK && PQtransactionStatus(db->conn) != PQTRANS_UNKNOWN) {
        set_up(db, 1);
        return 0;
    }
    set_up(db, 0);
    PQreset(db->conn);
    if (PQstatus(db->conn) != CONNECTION_OK || prepare_session(db) < 0) {
        mue_log_warn("db.reconnect_failed", "err=\"%s\"",
                     mue_log_quote(quoted, sizeof(quoted), conn_error(db->conn)));
        return MUE_EDB;
    }
    set_up(db, 1);
    mue_log_info("db.reconnected", "server_version=%d", PQserverVersion(db->conn));
    return 1;
}

int mue_db_fail(struct mue_db *db, const char *what, const PGresult *res)
{
    char quoted[512];
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    if (msg == NULL || msg[0] == '\0')
        msg = conn_error(db->conn);
    if (PQstatus(db->conn) != CONNECTION_OK)
        set_up(db, 0);
    mue_log_error("db.query_failed", "what=\"%s\" sqlstate=%s err=\"%s\"", what,
                  state ? state : "none", mue_log_quote(quoted, sizeof(quoted), msg));
    return MUE_EDB;
}

int mue_db_exec(struct mue_db *db, const char *what, const char *sql)
{
    PGresult *r = PQexec(db->conn, sql);
    int rc = MUE_OK;

    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = mue_db_fail(db, what, r);
    PQclear(r);
    return rc;
}

int mue_db_query(struct mue_db *db, const char *what, PGresult **out, const char *sql, int nparams,
                 const char *const *params)
{
    PGresult *r = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);

    *out = NULL;
    if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
        mue_db_fail(db, what, r);
        PQclear(r);
        return MUE_EDB;
    }
    *out = r;
    return PQntuples(r);
}
