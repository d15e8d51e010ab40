/* pool.c - a fixed set of libpq connections behind a mutex and a condition variable.
 * SPDX-License-Identifier: MIT */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_signal.h"
#include "mue_time.h"

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int size, nfree;
    PGconn **all, **free_list;
    atomic_int up;
};

static void quiet_notice(void *arg, const PGresult *res)
{
    (void)arg;
    (void)res;
}

static PGconn *connect_one(const char *dsn)
{
    PGconn *c = PQconnectdb(dsn);

    if (PQstatus(c) != CONNECTION_OK) {
        mue_log_warn("db.connect_failed", "error=\"%s\"", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeReceiver(c, quiet_notice, NULL);
    /* Doubles in their shortest exact text (the default since PostgreSQL 12, unless a server
     * sets fewer digits): answers pass that text on as it is. */
    PGresult *res = PQexec(c, "SET extra_float_digits = 1");
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        mue_log_warn("db.set_failed", "error=\"%s\"", PQerrorMessage(c));
    PQclear(res);
    return c;
}

int pool_open(struct pool **out, const char *dsn, int size, long timeout_ms)
{
    struct pool *p = mue_xcalloc(1, sizeof(*p));
    int64_t deadline = mue_time_mono_ms() + timeout_ms;

    p->size = size;
    p->all = mue_xcalloc((size_t)size, sizeof(*p->all));
    p->free_list = mue_xcalloc((size_t)size, sizeof(*p->free_list));
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    for (int i = 0; i < size; i++) {
        while ((p->all[i] = connect_one(dsn)) == NULL) {
            if (mue_time_mono_ms() >= deadline || mue_signal_sleep_ms(500)) {
                pool_close(p);
                return MUE_EDB;
            }
        }
        p->free_list[p->nfree++] = p->all[i];
    }
    atomic_store(&p->up, 1);
    *out = p;
    return MUE_OK;
}

void pool_close(struct pool *p)
{
    if (p == NULL)
        return;
    for (int i = 0; i < p->size; i++)
        if (p->all[i] != NULL)
            PQfinish(p->all[i]);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->freed);
    free(p->all);
    free(p->free_list);
    free(p);
}

PGconn *pool_get(struct pool *p, long wait_ms)
{
    struct timespec until;
    PGconn *c = NULL;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&p->lock);
    while (p->nfree == 0)
        if (pthread_cond_timedwait(&p->freed, &p->lock, &until) != 0)
            break;
    if (p->nfree > 0)
        c = p->free_list[--p->nfree];
    pthread_mutex_unlock(&p->lock);
    if (c != NULL && PQstatus(c) != CONNECTION_OK) {
        PQreset(c);
        if (PQstatus(c) != CONNECTION_OK) {
            atomic_store(&p->up, 0);
            pool_put(p, c);
            return NULL;
        }
    }
    if (c != NULL)
        atomic_store(&p->up, 1);
    return c;
}

void pool_put(struct pool *p, PGconn *c)
{
    /* A connection left inside a transaction (a handler that failed half-way) is rolled back. */
    if (PQtransactionStatus(c) != PQTRANS_IDLE && PQstatus(c) == CONNECTION_OK)
        PQclear(PQexec(c, "ROLLBACK"));
    pthread_mutex_lock(&p->lock);
    p->free_list[p->nfree++] = c;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

int pool_is_up(const struct pool *p)
{
    return atomic_load(&((struct pool *)p)->up);
}
