/* copy_ceiling.c - the plain COPY ceiling of a PostgreSQL server for measurement-shaped rows.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "mue_buf.h"
#include "mue_time.h"

/* Rows in the shape of the writer's: 100 devices x 5 quantities, times in order, 10 min apart
 * (one uplink per device every 10 minutes), values printed as the writer prints them. */
#define DEVICES    100
#define QUANTITIES 5
#define STEP_US    (600LL * 1000000LL)
#define BASE_US    1767225600000000LL /* 2026-01-01T00:00:00Z */
#define TABLE      "bench_copy_ceiling"

static const char *const quantity[QUANTITIES] = { "distance", "fill_level", "battery", "tilt",
                                                  "temperature" };

static const char create_table[] =
    "CREATE TABLE " TABLE " (device_id bigint NOT NULL, quantity text NOT NULL,"
    " time timestamptz NOT NULL, value double precision NOT NULL,"
    " PRIMARY KEY (device_id, quantity, time))";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int exec_ok(PGconn *c, const char *sql)
{
    PGresult *res = PQexec(c, sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "copy_ceiling: %s: %s", sql, PQerrorMessage(c));
    PQclear(res);
    return ok;
}

/* Formats rows [first, first + n) as COPY text, as mue-writer's store.c does. */
static void format_rows(struct mue_buf *b, long first, long n)
{
    mue_buf_reset(b);
    for (long i = first; i < first + n; i++) {
        long step = i / (DEVICES * QUANTITIES);
        long device = (i / QUANTITIES) % DEVICES;
        long q = i % QUANTITIES;
        int64_t t = BASE_US + step * STEP_US + device * (STEP_US / DEVICES);
        double value = (double)((i * 7919) % 2200) / 1000.0 + 0.3;
        char ts[40];

        mue_time_format(t, ts, sizeof(ts));
        mue_buf_printf(b, "%ld\t%s\t%s\t%.17g\n", device + 1, quantity[q], ts, value);
    }
}

/* Ends the COPY in progress and reads its result. */
static int copy_end(PGconn *c)
{
    PGresult *res;
    int ok = PQputCopyEnd(c, NULL) == 1;

    while ((res = PQgetResult(c)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            fprintf(stderr, "copy_ceiling: COPY: %s", PQerrorMessage(c));
            ok = 0;
        }
        PQclear(res);
    }
    return ok;
}

static int copy_start(PGconn *c)
{
    PGresult *res = PQexec(c, "COPY " TABLE " (device_id, quantity, time, value) FROM STDIN");
    int ok = PQresultStatus(res) == PGRES_COPY_IN;
    if (!ok)
        fprintf(stderr, "copy_ceiling: COPY start: %s", PQerrorMessage(c));
    PQclear(res);
    return ok;
}

/* COPYs 'rows' rows into a freshly created table, one COPY statement (= one transaction) per
 * 'per_txn' rows, the client formatting 'chunk' rows at a time. Prints the figure and returns the
 * rows per second, or -1. Timing covers formatting, sending and every commit. */
static double run(PGconn *c, long rows, long chunk, long per_txn)
{
    struct mue_buf b;
    double t0, secs;
    long done = 0, txns = 0;
    int open = 0;

    if (!exec_ok(c, "DROP TABLE IF EXISTS " TABLE) || !exec_ok(c, create_table) ||
        !exec_ok(c, "CHECKPOINT"))
        return -1;
    mue_buf_init(&b, 0);
    t0 = now_s();
    while (done < rows) {
        long n = rows - done < chunk ? rows - done : chunk;
        if (!open) {
            if (!copy_start(c))
                goto fail;
            open = 1;
        }
        format_rows(&b, done, n);
        if (PQputCopyData(c, b.data, (int)b.len) != 1) {
            fprintf(stderr, "copy_ceiling: COPY data: %s", PQerrorMessage(c));
            goto fail;
        }
        done += n;
        if (done % per_txn == 0 || done == rows) {
            open = 0;
            txns++;
            if (!copy_end(c))
                goto fail;
        }
    }
    secs = now_s() - t0;
    mue_buf_fini(&b);
    printf(
        "copy_ceiling: rows=%ld rows_per_txn=%ld transactions=%ld seconds=%.3f rows_per_s=%.0f\n",
        rows, per_txn, txns, secs, (double)rows / secs);
    fflush(stdout);
    return (double)rows / secs;
fail:
    if (open)
        PQputCopyEnd(c, "aborted");
    mue_buf_fini(&b);
    return -1;
}

int main(int argc, char **argv)
{
    PGconn *c;
    long rows = 500000, chunk = 10000;
    int rc = 1;

    if (argc < 2 || argc > 4 || strcmp(argv[1], "--help") == 0) {
        fprintf(stderr,
                "usage: copy_ceiling DSN [ROWS [CHUNK]]\n"
                "  Creates table " TABLE " (shaped like measurement rows, primary key (device_id,"
                " quantity, time)) in DSN's\n  database and COPYs ROWS rows (default 500000; %d"
                " devices x %d quantities, times in order)\n  in one transaction per CHUNK rows"
                " (default 10000), then again in a single transaction.\n  Prints one"
                " 'copy_ceiling: ... rows_per_s=N' line per run; drops the table at the end.\n",
                DEVICES, QUANTITIES);
        return argc == 2 ? 0 : 2;
    }
    if (argc > 2)
        rows = strtol(argv[2], NULL, 10);
    if (argc > 3)
        chunk = strtol(argv[3], NULL, 10);
    if (rows <= 0 || chunk <= 0) {
        fprintf(stderr, "copy_ceiling: ROWS and CHUNK must be positive\n");
        return 2;
    }
    c = PQconnectdb(argv[1]);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "copy_ceiling: connect: %s", PQerrorMessage(c));
        goto out;
    }
    if (!exec_ok(c, "SET client_min_messages = warning") || run(c, rows, chunk, chunk) < 0 ||
        run(c, rows, chunk, rows) < 0)
        goto out;
    if (exec_ok(c, "DROP TABLE " TABLE))
        rc = 0;
out:
    PQfinish(c);
    return rc;
}
