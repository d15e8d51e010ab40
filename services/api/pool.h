/* pool.h - a small pool of PostgreSQL connections shared by the API's worker threads.
 * SPDX-License-Identifier: MIT */
#ifndef POOL_H
#define POOL_H

#include <libpq-fe.h>

struct pool;

/* Opens 'size' connections to 'dsn' (retrying up to 'timeout_ms' for the first). Returns 0, or
 * MUE_EDB. */
int pool_open(struct pool **out, const char *dsn, int size, long timeout_ms);
void pool_close(struct pool *p);

/* Takes a connection, waiting up to 'wait_ms' for one to be free; a connection found broken is
 * reset first. Returns it, or NULL (busy, or the server is unreachable). Give it back with
 * pool_put(). */
PGconn *pool_get(struct pool *p, long wait_ms);
void pool_put(struct pool *p, PGconn *c);

/* True when the last connection handed back was healthy (for /healthz). */
int pool_is_up(const struct pool *p);

#endif
