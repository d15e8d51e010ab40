/* server_test.h - helpers the C tests against real servers share: clocks, free loopback ports, and
 * the durable consumers a run made (deleted at its end), databases named in a DSN, a throw-away
 * migrated database per suite.
 * SPDX-License-Identifier: MIT */
#ifndef SERVER_TEST_H
#define SERVER_TEST_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <nats/nats.h>

#include <stdlib.h>

#include "mue_db.h"
#include "mue_err.h"
#include "mue_migrate.h"
#include "../../unit/loopback.h"

static inline long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The durable consumers this run made, deleted at the end so that a long-lived server does not
 * keep them (mue_bus leaves durables on the server by design). */
static struct {
    char stream[32];
    char name[96];
} made_consumers[64];
static size_t nmade_consumers;

static inline void remember_consumer(const char *stream, const char *name)
{
    for (size_t i = 0; i < nmade_consumers; i++)
        if (strcmp(made_consumers[i].stream, stream) == 0 &&
            strcmp(made_consumers[i].name, name) == 0)
            return;
    if (nmade_consumers < sizeof(made_consumers) / sizeof(made_consumers[0])) {
        snprintf(made_consumers[nmade_consumers].stream, sizeof(made_consumers[0].stream), "%s",
                 stream);
        snprintf(made_consumers[nmade_consumers].name, sizeof(made_consumers[0].name), "%s", name);
        nmade_consumers++;
    }
}

static inline void delete_consumers(const char *url)
{
    natsConnection *nc = NULL;
    jsCtx *js = NULL;

    if (nmade_consumers == 0 || natsConnection_ConnectTo(&nc, url) != NATS_OK ||
        natsConnection_JetStream(&js, nc, NULL) != NATS_OK) {
        natsConnection_Destroy(nc);
        return;
    }
    for (size_t i = 0; i < nmade_consumers; i++)
        js_DeleteConsumer(js, made_consumers[i].stream, made_consumers[i].name, NULL, NULL);
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
}

/* Copies 'dsn' into 'out' with its database replaced by 'dbname': key=value strings get their
 * dbname= replaced (or added), URIs their path. Returns 0, or -1 when it does not fit. */
static inline int dsn_with_db(const char *dsn, const char *dbname, char *out, size_t cap)
{
    const char *p, *end;
    int n;

    if (strncmp(dsn, "postgres://", 11) == 0 || strncmp(dsn, "postgresql://", 13) == 0) {
        const char *rest = strstr(dsn, "://") + 3;
        p = strchr(rest, '/');
        if (p == NULL)
            p = rest + strcspn(rest, "?");
        end = p + strcspn(p, "?");
        n = snprintf(out, cap, "%.*s/%s%s", (int)(p - dsn), dsn, dbname, end);
    } else {
        p = strstr(dsn, "dbname=");
        while (p != NULL && p != dsn && p[-1] != ' ')
            p = strstr(p + 1, "dbname=");
        if (p == NULL) {
            n = snprintf(out, cap, "%s dbname=%s", dsn, dbname);
        } else {
            end = p + strcspn(p, " ");
            n = snprintf(out, cap, "%.*sdbname=%s%s", (int)(p - dsn), dsn, dbname, end);
        }
    }
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Creates (or drops, when 'create' is 0) the database 'name' through the session 'server'.
 * Returns 0, or MUE_EDB. */
static inline int server_database(struct mue_db *server, const char *name, int create)
{
    char sql[160];

    if (create)
        snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
    else
        snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    return mue_db_exec(server, create ? "test createdb" : "test dropdb", sql);
}

/* MUE_TEST_PG_DSN, or NULL after saying why and printing the suite's "<suite>: 0 passed, 1
 * failed" line, so that the runner counts a suite that could not run as a failure. */
static inline const char *test_pg_dsn(const char *suite)
{
    const char *dsn = getenv("MUE_TEST_PG_DSN");

    if (dsn != NULL && dsn[0] != '\0')
        return dsn;
    fprintf(stderr, "MUE_TEST_PG_DSN is not set: these tests need a PostgreSQL server where they "
                    "may create databases (e.g. \"host=127.0.0.1 port=5432 user=postgres "
                    "dbname=postgres\")\n");
    printf("%s: 0 passed, 1 failed\n", suite);
    return NULL;
}

/* A suite's own database on the server of MUE_TEST_PG_DSN, dropped at the end. */
struct test_db {
    struct mue_db *server; /* MUE_TEST_PG_DSN itself: creates and drops the database */
    struct mue_db *db;     /* the fresh database, migrated */
    char name[64];
};

/* Creates "mue_<suite>_<pid>_<time>", connects to it and applies the migrations. Returns 0, or -1
 * after printing why and the suite's failed line; test_db_close() is due either way. */
static inline int test_db_open(struct test_db *t, const char *suite)
{
    const char *dsn = test_pg_dsn(suite);
    char dsn_test[512];

    memset(t, 0, sizeof(*t));
    if (dsn == NULL)
        return -1;
    snprintf(t->name, sizeof(t->name), "mue_%s_%ld_%ld", suite, (long)getpid(), (long)time(NULL));
    if (dsn_with_db(dsn, t->name, dsn_test, sizeof(dsn_test)) < 0 ||
        mue_db_open(&t->server, dsn, 5000) != MUE_OK ||
        server_database(t->server, t->name, 1) != MUE_OK ||
        mue_db_open(&t->db, dsn_test, 5000) != MUE_OK || mue_migrate_apply(t->db) < 0) {
        fprintf(stderr, "cannot connect to MUE_TEST_PG_DSN, create or migrate the test database\n");
        printf("%s: 0 passed, 1 failed\n", suite);
        return -1;
    }
    return 0;
}

static inline void test_db_close(struct test_db *t)
{
    mue_db_close(t->db);
    if (t->server != NULL)
        server_database(t->server, t->name, 0);
    mue_db_close(t->server);
    memset(t, 0, sizeof(*t));
}

#endif
