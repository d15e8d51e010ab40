/* mue_db.h - PostgreSQL for mue: connect with retry, reconnect, one error code.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_DB_H
#define MUE_DB_H

#include <libpq-fe.h>

struct mue_db;

/* Connects to 'dsn', retrying until 'timeout_ms' or a stop signal. Server notices below warning
 * are silenced. Returns 0, or MUE_EDB. */
int mue_db_open(struct mue_db **out, const char *dsn, long timeout_ms);

/* Disconnects. Accepts NULL. */
void mue_db_close(struct mue_db *db);

/* The live connection, for COPY and queries. Borrowed: valid until the next mue_db_ensure(). */
PGconn *mue_db_conn(struct mue_db *db);

/* Makes sure the connection is up, resetting it when the server went away. Returns 1 when it was
 * (re)established by this call (session state such as temp tables is gone), 0 when it was already
 * up, MUE_EDB when the server is still unreachable. */
int mue_db_ensure(struct mue_db *db);

/* True when the last known state of the connection was good. Thread-safe (reads a flag). */
int mue_db_is_up(const struct mue_db *db);

/* Runs a command that returns no rows. Returns 0, or MUE_EDB after logging the server's reason
 * with 'what' as context. */
int mue_db_exec(struct mue_db *db, const char *what, const char *sql);

/* Runs a parameterised query (text parameters). Returns the number of rows with *out set (the
 * caller PQclear()s it), or MUE_EDB after logging, *out NULL. */
int mue_db_query(struct mue_db *db, const char *what, PGresult **out, const char *sql, int nparams,
                 const char *const *params);

/* Logs a failed result of 'what' and tells whether the connection itself broke. Returns MUE_EDB. */
int mue_db_fail(struct mue_db *db, const char *what, const PGresult *res);

#endif
