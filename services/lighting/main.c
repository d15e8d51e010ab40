/* main.c - mue-lighting: street-lighting schedules compiled into the controllers' own
 * configuration downlinks, followed until each device has taken them; requests for programs,
 * calendars, assignments, overrides and plans on the bus; the gap between what lamps report and
 * what they should do, for the alert engine.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lighting_deviation.h"
#include "lighting_send.h"
#include "lighting_sync.h"
#include "lighting_track.h"
#include "mue_admin.h"
#include "mue_bus.h"
#include "mue_config.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_metrics.h"
#include "mue_migrate.h"
#include "mue_service.h"
#include "mue_signal.h"
#include "mue_subjects.h"
#include "mue_time.h"
#include "requests.h"

#define SEND_BATCH 200

struct config {
    struct mue_bus_opts bus;
    const char *pg_dsn;
    const char *admin_listen;
    const char *log_level;
    long tick_s;
    long ack_wait_s;
    long retry_s;
};

static const struct mue_config_option options[] = {
    MUE_BUS_OPTIONS(struct config, bus),
    MUE_OPT_SECRET_REQUIRED("MUE_PG_DSN", struct config, pg_dsn, "libpq connection string"),
    MUE_OPT_STR("MUE_ADMIN_LISTEN", struct config, admin_listen, "127.0.0.1:9085",
                "address:port of /healthz and /metrics"),
    MUE_OPT_INT("MUE_LIGHTING_TICK_S", struct config, tick_s, "60", 1, 86400,
                "every controller's settings are compiled again this often (and at once after "
                "a change through a request)"),
    MUE_OPT_INT("MUE_LIGHTING_ACK_WAIT_S", struct config, ack_wait_s, "900", 5, 86400,
                "wait for a device's acknowledgement of a command before sending it again"),
    MUE_OPT_INT("MUE_LIGHTING_RETRY_S", struct config, retry_s, "60", 1, 86400,
                "first wait before a failed or unacknowledged downlink is tried again (doubles "
                "with each attempt)"),
    MUE_OPT_STR("MUE_LOG_LEVEL", struct config, log_level, "info", "debug, info, warn or error"),
    MUE_OPT_END,
};

static struct mue_metric *m_requests, *m_compiled, *m_compile_errors, *m_queued, *m_sent, *m_acked,
    *m_failed, *m_expired, *m_retried, *m_deviations;

static atomic_int recompile;

static void metrics_init(void)
{
    m_requests = mue_metrics_counter("mue_lighting_requests_total", NULL,
                                     "requests answered on mue.lighting.req.>");
    m_compiled = mue_metrics_counter("mue_lighting_compilations_total", NULL,
                                     "controllers whose settings were compiled");
    m_compile_errors = mue_metrics_counter("mue_lighting_compile_errors_total", NULL,
                                           "controllers whose schedule did not compile");
    m_queued = mue_metrics_counter("mue_lighting_commands_queued_total", NULL,
                                   "configuration commands queued for changed settings");
    m_sent = mue_metrics_counter("mue_lighting_commands_sent_total", NULL,
                                 "attempts published on DOWNLINKS");
    m_acked = mue_metrics_counter("mue_lighting_commands_acknowledged_total", NULL,
                                  "commands the devices took (echo or acknowledgement)");
    m_failed = mue_metrics_counter("mue_lighting_commands_failed_total", NULL,
                                   "commands failed after their last attempt");
    m_expired = mue_metrics_counter("mue_lighting_commands_expired_total", NULL,
                                    "commands whose time ran out");
    m_retried = mue_metrics_counter("mue_lighting_commands_retried_total", NULL,
                                    "failed or unacknowledged attempts to be tried again");
    m_deviations = mue_metrics_counter("mue_lighting_deviations_published_total", NULL,
                                       "schedule_deviation measurements published");
}

/* ---- requests: their own connection, so that a slow compile does not hold them ---- */

struct requests_ctx {
    struct mue_bus *bus;
    const char *pg_dsn;
    long timeout_ms;
};

static void *requests_thread(void *arg)
{
    struct requests_ctx *c = arg;
    struct mue_bus_sub *sub = NULL;
    struct mue_db *db = NULL;
    long backoff = 500;

    while (!mue_signal_stopping() &&
           (mue_db_open(&db, c->pg_dsn, c->timeout_ms) < 0 ||
            mue_bus_subscribe_queue(&sub, c->bus, MUE_SUBJ_LIGHTING_REQ_ALL, MUE_QUEUE_LIGHTING) <
                0)) {
        mue_db_close(db);
        db = NULL;
        if (mue_signal_sleep_ms(backoff))
            break;
        backoff = backoff < 8000 ? backoff * 2 : backoff;
    }
    while (!mue_signal_stopping() && sub != NULL) {
        natsMsg *msg;
        int changed = 0;

        if (mue_bus_sub_next(sub, 500, &msg) != 1)
            continue;
        const char *subject = natsMsg_GetSubject(msg);
        const char *verb = subject + strlen(MUE_SUBJ_LIGHTING_REQ_PREFIX);
        char *answer = lighting_request(db, verb, natsMsg_GetData(msg),
                                        (size_t)natsMsg_GetDataLength(msg), &changed);

        mue_bus_respond(c->bus, msg, answer, strlen(answer));
        free(answer);
        natsMsg_Destroy(msg);
        mue_metric_inc(m_requests);
        if (changed)
            atomic_store(&recompile, 1);
    }
    mue_bus_sub_close(sub);
    mue_db_close(db);
    return NULL;
}

/* ---- the loop ---- */

struct service {
    struct config cfg;
    struct mue_service_deps st;
    struct mue_bus_consumer *statuses, *uplinks, *measures;
    struct deviation_cache *cache;
    char **watched;
};

static void sync_all(struct service *s)
{
    struct sync_stats st = { 0 };

    /* Schedules may have changed in the database behind the requests' back. */
    deviation_cache_clear(s->cache);
    if (lighting_sync_all(s->st.db, mue_time_now_us() / 1000000, &st) < 0) {
        mue_log_warn("lighting.sync_failed", "reason=\"database unavailable\"");
        return;
    }
    mue_metric_add(m_compiled, (uint64_t)st.lamps);
    mue_metric_add(m_compile_errors, (uint64_t)st.errors);
    mue_metric_add(m_queued, (uint64_t)st.queued);
    if (st.queued > 0 || st.superseded > 0)
        mue_log_info("lighting.compiled", "lamps=%d queued=%d superseded=%d errors=%d", st.lamps,
                     st.queued, st.superseded, st.errors);
}

static void send_due(struct service *s)
{
    struct send_stats st = { 0 };
    char **w = NULL;

    if (lighting_send_due(s->st.db, s->st.bus, mue_time_now_us() / 1000000, s->cfg.ack_wait_s,
                          SEND_BATCH, &st) < 0)
        mue_log_warn("lighting.send_failed", "sent=%d", st.sent);
    mue_metric_add(m_sent, (uint64_t)st.sent);
    mue_metric_add(m_failed, (uint64_t)st.failed);
    mue_metric_add(m_expired, (uint64_t)st.expired);
    if (lighting_track_watched(s->st.db, &w) == 0) {
        free(s->watched);
        s->watched = w;
    }
}

static void count(const struct track_stats *t)
{
    mue_metric_add(m_acked, (uint64_t)t->acknowledged);
    mue_metric_add(m_failed, (uint64_t)t->failed);
    mue_metric_add(m_expired, (uint64_t)t->expired);
    mue_metric_add(m_retried, (uint64_t)t->retried);
}

/* One fetch of a consumer, each message through 'take'; a message the database could not take
 * is left for redelivery. */
static void drain(struct service *s, struct mue_bus_consumer *c,
                  int (*take)(struct service *, natsMsg *))
{
    struct mue_bus_batch b;
    int n = mue_bus_fetch(c, &b, 256, 100);

    for (int i = 0; i < n; i++) {
        natsMsg *m = b.list.Msgs[i];

        if (take(s, m) == MUE_EDB)
            mue_bus_nak(m, 2000);
        else
            mue_bus_ack(m);
    }
    mue_bus_batch_fini(&b);
}

static int take_status(struct service *s, natsMsg *m)
{
    struct track_stats t = { 0 };
    int rc = lighting_track_status(s->st.db, natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m),
                                   s->cfg.retry_s, &t);

    count(&t);
    return rc;
}

static int take_uplink(struct service *s, natsMsg *m)
{
    struct track_stats t = { 0 };
    int rc = lighting_track_uplink(s->st.db, natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m),
                                   (const char *const *)s->watched, &t);

    count(&t);
    return rc;
}

static int take_measures(struct service *s, natsMsg *m)
{
    int published = 0;
    int rc = deviation_take(s->st.db, s->st.bus, s->cache, natsMsg_GetData(m),
                            (size_t)natsMsg_GetDataLength(m), &published);

    mue_metric_add(m_deviations, (uint64_t)published);
    return rc == MUE_EBUS ? MUE_EDB : rc;
}

static int open_consumers(struct service *s)
{
    struct mue_bus_consumer_opts st = { MUE_STREAM_DOWNLINKS, "lighting-status",
                                        MUE_SUBJ_DLSTATUS_ALL, 30000, 1024 };
    struct mue_bus_consumer_opts up = { MUE_STREAM_UPLINKS, "lighting-echo", MUE_SUBJ_UPLINK_ALL,
                                        30000, 2048 };
    struct mue_bus_consumer_opts me = { MUE_STREAM_MEASURES, "lighting", "mue.measure.lighting.>",
                                        30000, 1024 };

    if (mue_bus_consumer_open(&s->statuses, s->st.bus, &st) < 0 ||
        mue_bus_consumer_open(&s->uplinks, s->st.bus, &up) < 0 ||
        mue_bus_consumer_open(&s->measures, s->st.bus, &me) < 0)
        return MUE_EBUS;
    return 0;
}

int main(int argc, char **argv)
{
    struct service s;
    struct mue_admin *admin = NULL;
    pthread_t requests;
    int have_requests = 0;
    int rc;

    memset(&s, 0, sizeof(s));
    rc = mue_service_setup(argc, argv, "lighting",
                           "street-lighting schedules compiled to the controllers, and followed",
                           options, &s.cfg);
    if (rc >= 0)
        return rc;
    rc = 1;
    s.cfg.bus.name = "mue-lighting";
    metrics_init();
    s.cache = deviation_cache_new();

    if (mue_db_open(&s.st.db, s.cfg.pg_dsn, s.cfg.bus.connect_timeout_ms) < 0 ||
        mue_migrate_require(s.st.db) < 0)
        goto out;
    if (mue_bus_open(&s.st.bus, &s.cfg.bus) < 0 || mue_bus_ensure_streams(s.st.bus) < 0 ||
        open_consumers(&s) < 0)
        goto out;
    if (mue_admin_open(&admin, s.cfg.admin_listen, mue_service_health, &s.st) < 0)
        goto out;
    struct requests_ctx rctx = { s.st.bus, s.cfg.pg_dsn, s.cfg.bus.connect_timeout_ms };
    have_requests = pthread_create(&requests, NULL, requests_thread, &rctx) == 0;
    mue_log_info("service.started", "tick_s=%ld ack_wait_s=%ld", s.cfg.tick_s, s.cfg.ack_wait_s);

    int64_t next_sync = 0, next_send = 0;
    while (!mue_signal_stopping()) {
        int64_t now = mue_time_mono_ms();
        /* Back from a database restart: nothing is fetched before the connection is, and the
         * schedules are compiled again (they may have changed meanwhile). */
        int db = mue_db_ensure(s.st.db);

        if (db < 0) {
            mue_signal_sleep_ms(1000);
            continue;
        }
        if (atomic_exchange(&recompile, 0) || db == 1)
            next_sync = 0;
        if (now >= next_sync) {
            sync_all(&s);
            next_sync = now + s.cfg.tick_s * 1000;
            next_send = 0;
        }
        if (now >= next_send) {
            send_due(&s);
            next_send = now + 1000;
        }
        drain(&s, s.statuses, take_status);
        drain(&s, s.uplinks, take_uplink);
        drain(&s, s.measures, take_measures);
    }
    mue_log_info("service.stopping", "reason=signal");
    rc = 0;
    if (have_requests)
        pthread_join(requests, NULL);
out:
    mue_admin_close(admin);
    mue_bus_consumer_close(s.statuses);
    mue_bus_consumer_close(s.uplinks);
    mue_bus_consumer_close(s.measures);
    mue_bus_close(s.st.bus);
    mue_db_close(s.st.db);
    deviation_cache_free(s.cache);
    free(s.watched);
    nats_Close();
    mue_log_info("service.stopped", "rc=%d", rc);
    return rc;
}
