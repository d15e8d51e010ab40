/* main.c - mue-writer: measurement batches in, PostgreSQL rows out, acknowledged after commit.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue/v1/measurement.pb-c.h"
#include "mue_admin.h"
#include "mue_bus.h"
#include "mue_config.h"
#include "mue_db.h"
#include "mue_deadletter.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_metrics.h"
#include "mue_migrate.h"
#include "mue_service.h"
#include "mue_signal.h"
#include "mue_subjects.h"
#include "mue_time.h"
#include "store.h"

#define STAGE "writer"

struct config {
    struct mue_bus_opts bus;
    const char *pg_dsn;
    const char *admin_listen;
    const char *log_level;
    long batch;
    long wait_ms;
    long maintain_s;
};

static const struct mue_config_option options[] = {
    MUE_BUS_OPTIONS(struct config, bus),
    MUE_OPT_SECRET_REQUIRED("MUE_PG_DSN", struct config, pg_dsn, "libpq connection string"),
    MUE_OPT_STR("MUE_ADMIN_LISTEN", struct config, admin_listen, "127.0.0.1:9083",
                "address:port of /healthz and /metrics"),
    MUE_OPT_INT("MUE_WRITER_BATCH", struct config, batch, "2000", 1, 4096,
                "measurement batches (messages) written in one transaction"),
    MUE_OPT_INT("MUE_WRITER_WAIT_MS", struct config, wait_ms, "200", 1, 10000,
                "longest wait for a batch to fill"),
    MUE_OPT_INT("MUE_WRITER_MAINTAIN_S", struct config, maintain_s, "3600", 10, 86400,
                "seconds between housekeeping runs (partitions ahead, retention)"),
    MUE_OPT_STR("MUE_LOG_LEVEL", struct config, log_level, "info", "debug, info, warn or error"),
    MUE_OPT_END,
};

static struct mue_metric *m_messages, *m_rows, *m_inserted, *m_duplicates, *m_commits, *m_retries,
    *m_batch_rows, *m_commit_seconds, *m_lag, *m_dropped;

/* The rows of one fetch, pointing into the unpacked batches they came from. */
struct rows {
    struct store_row *row;
    size_t n, cap;
    Mue__V1__MeasurementBatch **batches;
    int nbatches;
};

static void rows_fini(struct rows *r)
{
    for (int i = 0; i < r->nbatches; i++)
        mue__v1__measurement_batch__free_unpacked(r->batches[i], NULL);
    free(r->batches);
    free(r->row);
    memset(r, 0, sizeof(*r));
}

/* Unpacks one message into rows, or dead-letters it. Returns 1 when dead-lettered. */
static int collect(struct mue_service_deps *st, struct rows *r, natsMsg *msg)
{
    Mue__V1__MeasurementBatch *b;
    char reason[160];

    b = mue__v1__measurement_batch__unpack(NULL, mue_bus_msg_len(msg), mue_bus_msg_data(msg));
    if (b == NULL) {
        mue_deadletter_publish(st->bus, STAGE, "bad_batch", "not a mue.v1.MeasurementBatch", msg);
        return 1;
    }
    for (size_t i = 0; i < b->n_measurements; i++) {
        struct store_row row = { b->device_id, b->measurements[i]->quantity,
                                 b->measurements[i]->time_us, b->measurements[i]->value,
                                 b->use_case };
        if (!store_row_is_valid(&row)) {
            snprintf(reason, sizeof(reason), "invalid measurement %zu of uplink %s", i,
                     b->uplink_id);
            mue_deadletter_publish(st->bus, STAGE, "bad_value", reason, msg);
            mue__v1__measurement_batch__free_unpacked(b, NULL);
            return 1;
        }
    }
    if (r->n + b->n_measurements > r->cap) {
        r->cap = (r->n + b->n_measurements) * 2;
        r->row = mue_xrealloc(r->row, r->cap * sizeof(*r->row));
    }
    for (size_t i = 0; i < b->n_measurements; i++) {
        struct store_row row = { b->device_id, b->measurements[i]->quantity,
                                 b->measurements[i]->time_us, b->measurements[i]->value,
                                 b->use_case };
        r->row[r->n++] = row;
    }
    r->batches[r->nbatches++] = b;
    return 0;
}

/* Writes one fetch. Every message is acknowledged only once its rows are committed (or its dead
 * letter stored); on a database failure the same rows are tried again until they commit or the
 * service is asked to stop, in which case nothing is acknowledged and JetStream redelivers. */
static void process(struct mue_service_deps *st, struct store *store, struct mue_bus_batch *b)
{
    struct rows r = { 0 };
    int n = b->list.Count, inserted;
    char dead[4096];
    long backoff = 250;

    r.batches = mue_xcalloc((size_t)n, sizeof(*r.batches));
    for (int i = 0; i < n; i++)
        dead[i] = (char)collect(st, &r, b->list.Msgs[i]);
    for (;;) {
        int64_t t0 = mue_time_mono_ms();
        inserted = store_write(store, r.row, r.n);
        if (inserted >= 0) {
            mue_metric_observe(m_commit_seconds, (double)(mue_time_mono_ms() - t0) / 1000.0);
            break;
        }
        mue_metric_inc(m_retries);
        mue_log_warn("batch.retrying", "rows=%zu backoff_ms=%ld", r.n, backoff);
        if (mue_signal_sleep_ms(backoff)) {
            rows_fini(&r);
            mue_log_info("batch.abandoned", "messages=%d reason=\"stopping; JetStream redelivers\"",
                         n);
            return;
        }
        backoff = backoff < 5000 ? backoff * 2 : 5000;
    }
    int dead_stored = mue_bus_publish_async_wait(st->bus, 10000) == MUE_OK;
    for (int i = 0; i < n; i++) {
        if (dead[i] && !dead_stored)
            mue_bus_nak(b->list.Msgs[i], 1000);
        else
            mue_bus_ack(b->list.Msgs[i]);
    }
    mue_metric_add(m_messages, (uint64_t)n);
    mue_metric_add(m_rows, r.n);
    mue_metric_add(m_inserted, (uint64_t)inserted);
    mue_metric_add(m_duplicates, r.n - (size_t)inserted);
    mue_metric_observe(m_batch_rows, (double)r.n);
    mue_metric_inc(m_commits);
    mue_log_debug("batch.committed", "messages=%d rows=%zu inserted=%d", n, r.n, inserted);
    rows_fini(&r);
}

/* Partitions ahead and retention; a failure only waits for the next run (the write path creates
 * the partitions it needs by itself). */
static void maintain(struct store *store)
{
    int dropped = store_maintain(store);
    if (dropped < 0) {
        mue_log_warn("store.maintain_failed", "reason=\"database unavailable; next run later\"");
        return;
    }
    mue_metric_add(m_dropped, (uint64_t)dropped);
    mue_log_info("store.maintained", "partitions_dropped=%d", dropped);
}

int main(int argc, char **argv)
{
    static const double batch_bounds[] = { 1, 10, 50, 100, 250, 500, 1000, 2500, 5000 };
    static const double time_bounds[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };
    struct config cfg;
    struct mue_service_deps st = { NULL, NULL };
    struct mue_admin *admin = NULL;
    struct mue_bus_consumer *cons = NULL;
    struct store *store = NULL;
    int rc = mue_service_setup(argc, argv, "writer",
                               "measurement batches in, PostgreSQL rows out, exactly once", options,
                               &cfg);

    if (rc >= 0)
        return rc;
    rc = 1;
    cfg.bus.name = "mue-writer";
    m_messages =
        mue_metrics_counter("mue_writer_messages_total", NULL, "Measurement batches acknowledged");
    m_rows = mue_metrics_counter("mue_writer_rows_total", NULL, "Rows received");
    m_inserted = mue_metrics_counter("mue_writer_rows_inserted_total", NULL,
                                     "Rows inserted (replays excluded)");
    m_commits = mue_metrics_counter("mue_writer_commits_total", NULL, "Transactions committed");
    m_retries = mue_metrics_counter("mue_writer_retries_total", NULL,
                                    "Transactions retried after a database failure");
    m_duplicates = mue_metrics_counter("mue_writer_rows_duplicate_total", NULL,
                                       "Rows skipped because they were already stored (replays)");
    m_batch_rows = mue_metrics_histogram("mue_writer_batch_rows", NULL, "Rows per transaction",
                                         batch_bounds, sizeof(batch_bounds) / sizeof(double));
    m_commit_seconds = mue_metrics_histogram("mue_writer_commit_seconds", NULL,
                                             "Time to write and commit one batch", time_bounds,
                                             sizeof(time_bounds) / sizeof(double));
    m_lag = mue_metrics_gauge("mue_writer_consumer_lag", NULL,
                              "Messages of MEASURES not yet written (pending and unacknowledged)");
    m_dropped = mue_metrics_counter("mue_writer_partitions_dropped_total", NULL,
                                    "Raw partitions dropped by retention");

    if (mue_db_open(&st.db, cfg.pg_dsn, cfg.bus.connect_timeout_ms) < 0 ||
        mue_migrate_require(st.db) < 0)
        goto out;
    if (mue_bus_open(&st.bus, &cfg.bus) < 0 || mue_bus_ensure_streams(st.bus) < 0)
        goto out;
    struct mue_bus_consumer_opts co = { MUE_STREAM_MEASURES, "writer", MUE_SUBJ_MEASURE_ALL, 60000,
                                        cfg.batch * 4 };
    if (mue_bus_consumer_open(&cons, st.bus, &co) < 0)
        goto out;
    if (mue_admin_open(&admin, cfg.admin_listen, mue_service_health, &st) < 0)
        goto out;
    store = store_new(st.db);
    mue_log_info("service.started", "batch=%ld", cfg.batch);
    int64_t next_maintain = 0, next_lag = 0;
    while (!mue_signal_stopping()) {
        struct mue_bus_batch b;
        int64_t now = mue_time_mono_ms();
        if (now >= next_maintain) {
            maintain(store);
            next_maintain = now + cfg.maintain_s * 1000;
        }
        if (now >= next_lag) {
            uint64_t lag;
            if (mue_bus_consumer_pending(cons, &lag) == MUE_OK)
                mue_metric_set(m_lag, (int64_t)lag);
            next_lag = now + 5000;
        }
        if (mue_bus_fetch(cons, &b, (int)cfg.batch, cfg.wait_ms) > 0)
            process(&st, store, &b);
        mue_bus_batch_fini(&b);
    }
    mue_log_info("service.stopping", "reason=signal");
    rc = 0;
out:
    store_free(store);
    mue_admin_close(admin);
    mue_bus_consumer_close(cons);
    mue_bus_close(st.bus);
    mue_db_close(st.db);
    nats_Close();
    mue_log_info("service.stopped", "rc=%d", rc);
    return rc;
}
