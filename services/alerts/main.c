/* main.c - mue-alerts: measurements in, alerts out. Rules from PostgreSQL, states persisted, one
 * unresolved alert per (rule, device) whatever the number of engines, events on the bus,
 * notifications to webhooks and e-mail.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "commands.h"
#include "engine.h"
#include "events.h"
#include "mue/v1/measurement.pb-c.h"
#include "mue_admin.h"
#include "mue_bus.h"
#include "mue_config.h"
#include "mue_db.h"
#include "mue_deadletter.h"
#include "mue_err.h"
#include "mue_http_client.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_metrics.h"
#include "mue_migrate.h"
#include "mue_service.h"
#include "mue_signal.h"
#include "mue_subjects.h"
#include "mue_time.h"
#include "notify.h"
#include "rule.h"

#define STAGE "alerts"

struct config {
    struct mue_bus_opts bus;
    const char *pg_dsn;
    const char *admin_listen;
    const char *log_level;
    long batch;
    long wait_ms;
    long tick_ms;
    long reload_s;
    const char *smtp_server;
    const char *smtp_from;
    const char *smtp_helo;
    long notify_attempts;
    long notify_timeout_ms;
    long notify_backoff_ms;
    const char *partition;
};

static const struct mue_config_option options[] = {
    MUE_BUS_OPTIONS(struct config, bus),
    MUE_OPT_SECRET_REQUIRED("MUE_PG_DSN", struct config, pg_dsn, "libpq connection string"),
    MUE_OPT_STR("MUE_ADMIN_LISTEN", struct config, admin_listen, "127.0.0.1:9084",
                "address:port of /healthz and /metrics"),
    MUE_OPT_INT("MUE_ALERTS_BATCH", struct config, batch, "1000", 1, 4096,
                "measurement batches (messages) evaluated in one transaction"),
    MUE_OPT_INT("MUE_ALERTS_WAIT_MS", struct config, wait_ms, "200", 1, 10000,
                "longest wait for a batch to fill"),
    MUE_OPT_INT("MUE_ALERTS_TICK_MS", struct config, tick_ms, "10000", 100, 600000,
                "period of the clock: no-data rules, escalation, daily indicators"),
    MUE_OPT_INT("MUE_ALERTS_RELOAD_S", struct config, reload_s, "60", 1, 86400,
                "rules and devices are reloaded this often (and at once on a change notice)"),
    MUE_OPT_STR("MUE_SMTP_SERVER", struct config, smtp_server, "",
                "host:port of the SMTP relay for e-mail channels (empty: e-mails fail)"),
    MUE_OPT_STR("MUE_SMTP_FROM", struct config, smtp_from, "mue-alertes@localhost",
                "sender address of alert e-mails"),
    MUE_OPT_STR("MUE_SMTP_HELO", struct config, smtp_helo, "mue-alerts",
                "name given in the SMTP greeting"),
    MUE_OPT_INT("MUE_ALERTS_NOTIFY_ATTEMPTS", struct config, notify_attempts, "8", 1, 100,
                "attempts of one notification before it is marked failed"),
    MUE_OPT_INT("MUE_ALERTS_NOTIFY_TIMEOUT_MS", struct config, notify_timeout_ms, "10000", 100,
                120000, "time allowed to a webhook or the SMTP server to answer"),
    MUE_OPT_INT("MUE_ALERTS_NOTIFY_BACKOFF_MS", struct config, notify_backoff_ms, "30000", 100,
                3600000, "first wait before a failed notification is tried again (doubles)"),
    MUE_OPT_STR("MUE_ALERTS_PARTITION", struct config, partition, "",
                "I/N: this engine evaluates the devices whose id modulo N is I, in order, on its "
                "own consumer; empty: engines share one consumer"),
    MUE_OPT_STR("MUE_LOG_LEVEL", struct config, log_level, "info", "debug, info, warn or error"),
    MUE_OPT_END,
};

static struct mue_metric *m_messages, *m_pairs, *m_opened, *m_resolved, *m_late, *m_retries, *m_lag,
    *m_events, *m_escalated;

struct engine {
    struct config cfg;
    struct mue_service_deps st;
    struct rule_set *rules;
    struct rule_set *retired; /* replaced during a batch whose samples still point into it */
    bool in_batch;
    int64_t newest_heard_us;      /* the bus's storage time of the newest message evaluated */
    long part, nparts;            /* MUE_ALERTS_PARTITION, 0/1 when unset */
    struct mue_bus_sub *notices;  /* rule changes */
    struct mue_bus_sub *registry; /* device registry changes */
    int64_t next_reload_ms;
};

static void reload(struct engine *e, const char *why)
{
    struct rule_set *rs;
    if (rule_set_load(e->st.db, &rs) < 0) {
        mue_log_warn("rules.reload_failed", "reason=\"database unavailable; old rules kept\"");
        e->next_reload_ms = mue_time_mono_ms() + 5000;
        return;
    }
    if (e->nparts > 1)
        rule_set_keep_partition(rs, e->part, e->nparts);
    if (e->in_batch && e->retired == NULL)
        e->retired = e->rules;
    else
        rule_set_free(e->rules);
    e->rules = rs;
    e->next_reload_ms = mue_time_mono_ms() + e->cfg.reload_s * 1000;
    mue_log_debug("rules.loaded", "rules=%d devices=%d why=%s", rs->nrules, rs->ndevices, why);
}

/* Takes every change notice that arrived; reloads once if any did. */
static void take_notices(struct engine *e)
{
    natsMsg *msg;
    int any = 0;
    while (mue_bus_sub_next(e->notices, 0, &msg) == 1) {
        natsMsg_Destroy(msg);
        any = 1;
    }
    while (mue_bus_sub_next(e->registry, 0, &msg) == 1) {
        natsMsg_Destroy(msg);
        any = 1;
    }
    if (any || mue_time_mono_ms() >= e->next_reload_ms)
        reload(e, any ? "notice" : "period");
}

/* The heard time of each device of a batch, the latest per device. */
struct heard {
    int64_t *ids, *us;
    int n;
};

static void heard_add(struct heard *h, int64_t id, int64_t us)
{
    for (int i = 0; i < h->n; i++) {
        if (h->ids[i] == id) {
            if (us > h->us[i])
                h->us[i] = us;
            return;
        }
    }
    h->ids[h->n] = id;
    h->us[h->n++] = us;
}

/* Turns one message into samples of the rules that apply. Returns 1 when it was dead-lettered. */
static int collect(struct engine *e, natsMsg *msg, struct engine_sample **v, int *n, int *cap,
                   struct heard *heard, int *reloaded)
{
    Mue__V1__MeasurementBatch *b =
        mue__v1__measurement_batch__unpack(NULL, mue_bus_msg_len(msg), mue_bus_msg_data(msg));
    if (b == NULL) {
        mue_deadletter_publish(e->st.bus, STAGE, "bad_batch", "not a mue.v1.MeasurementBatch", msg);
        return 1;
    }
    if (b->device_id % e->nparts != e->part) {
        /* Another engine's device. */
        mue__v1__measurement_batch__free_unpacked(b, NULL);
        return 0;
    }
    const struct rule_device *d = rule_set_device(e->rules, b->device_id);
    if (d == NULL && !*reloaded) {
        /* A device registered since the last load. */
        reload(e, "unknown_device");
        *reloaded = 1;
        d = rule_set_device(e->rules, b->device_id);
    }
    if (d != NULL) {
        int64_t stored = mue_bus_msg_stored_us(msg);
        heard_add(heard, d->id, stored > 0 ? stored : mue_time_now_us());
        for (int k = 0; k < e->rules->nrules; k++) {
            const struct rule *r = &e->rules->rules[k];
            double thr;
            if (r->kind == RULE_NO_DATA || r->kind == RULE_DAILY || !rule_applies(r, d))
                continue;
            /* A per-device threshold the device lacks (a quality probe without vigilance
             * levels): the rule does not apply to it. */
            if (!(r->kind == RULE_HEALTH && strcmp(r->quantity, "f_cnt") == 0) &&
                !rule_threshold(r, d, &thr))
                continue;
            for (size_t i = 0; i < b->n_measurements; i++) {
                const Mue__V1__Measurement *m = b->measurements[i];
                if (rule_matches_quantity(r, m->quantity))
                    engine_add(v, n, cap, r, d, m->quantity, m->time_us, m->value);
            }
        }
    }
    mue__v1__measurement_batch__free_unpacked(b, NULL);
    return 0;
}

static void count(const struct engine_counts *c)
{
    mue_metric_add(m_pairs, (uint64_t)c->pairs);
    mue_metric_add(m_opened, (uint64_t)c->opened);
    mue_metric_add(m_resolved, (uint64_t)c->resolved);
    mue_metric_add(m_late, (uint64_t)c->late);
}

/* Evaluates one fetch. Messages are acknowledged only after the transaction committed; while the
 * database fails, the same samples are tried again, and a stop leaves them unacknowledged. */
/* The samples and heard times of a batch; dead[i] set for messages dead-lettered. */
static void collect_all(struct engine *e, struct mue_bus_batch *b, struct engine_sample **v,
                        int *ns, int *cap, struct heard *heard, char *dead)
{
    int reloaded = 0;
    *ns = 0;
    heard->n = 0;
    for (int i = 0; i < b->list.Count; i++)
        if (!dead[i])
            dead[i] = (char)collect(e, b->list.Msgs[i], v, ns, cap, heard, &reloaded);
}

/* Failures of one batch with the database up before its rules are read again, and before its
 * messages are dead-lettered (the same rows failing again and again are not an outage). */
#define FAILURES_RELOAD     3
#define FAILURES_DEADLETTER 6

/* Evaluates one fetch. Messages are acknowledged only after the transaction committed; while the
 * database is down, the same samples are tried again, and a stop leaves them unacknowledged. */
static void process(struct engine *e, struct mue_bus_batch *b)
{
    int n = b->list.Count, ns = 0, cap = 0, failures = 0;
    struct engine_sample *v = NULL;
    struct heard heard = { mue_xcalloc((size_t)n, sizeof(int64_t)),
                           mue_xcalloc((size_t)n, sizeof(int64_t)), 0 };
    char *dead = mue_xcalloc((size_t)n, 1);
    long backoff = 250;

    e->in_batch = true;
    collect_all(e, b, &v, &ns, &cap, &heard, dead);
    for (;;) {
        struct engine_counts c;
        if (engine_run(e->st.db, v, ns, heard.ids, heard.us, heard.n, &c) == MUE_OK) {
            count(&c);
            break;
        }
        mue_metric_inc(m_retries);
        if (mue_db_is_up(e->st.db))
            failures++;
        if (failures >= FAILURES_DEADLETTER) {
            for (int i = 0; i < n; i++)
                if (!dead[i])
                    mue_deadletter_publish(e->st.bus, STAGE, "evaluation_failed",
                                           "the batch failed again and again with the database "
                                           "up: replay once the cause is fixed",
                                           b->list.Msgs[i]);
            memset(dead, 1, (size_t)n);
            break;
        }
        if (failures == FAILURES_RELOAD) {
            /* A rule or a device deleted since the last load: read them again, then the batch. */
            rule_set_free(e->retired);
            e->retired = NULL;
            reload(e, "failing_batch");
            collect_all(e, b, &v, &ns, &cap, &heard, dead);
        }
        mue_log_warn("batch.retrying", "samples=%d failures=%d backoff_ms=%ld", ns, failures,
                     backoff);
        if (mue_signal_sleep_ms(backoff)) {
            mue_log_info("batch.abandoned", "messages=%d reason=\"stopping; JetStream redelivers\"",
                         n);
            goto out;
        }
        backoff = backoff < 5000 ? backoff * 2 : 5000;
    }
    int dead_stored = mue_bus_publish_async_wait(e->st.bus, 10000) == MUE_OK;
    for (int i = 0; i < n; i++) {
        if (dead[i] && !dead_stored)
            mue_bus_nak(b->list.Msgs[i], 1000);
        else
            mue_bus_ack(b->list.Msgs[i]);
    }
    mue_metric_add(m_messages, (uint64_t)n);
    for (int i = 0; i < heard.n; i++)
        if (heard.us[i] > e->newest_heard_us)
            e->newest_heard_us = heard.us[i];
out:
    e->in_batch = false;
    rule_set_free(e->retired);
    e->retired = NULL;
    free(v);
    free(heard.ids);
    free(heard.us);
    free(dead);
}

static void publish_events(struct engine *e)
{
    int n;
    while ((n = events_publish(e->st.db, e->st.bus, 500)) > 0) {
        mue_metric_add(m_events, (uint64_t)n);
        if (n < 500)
            break;
    }
}

/* The clock's work: silences (only when caught up with the bus), escalation, daily rules. */
static void tick(struct engine *e, struct mue_bus_consumer *cons, int64_t *next_daily)
{
    struct engine_counts c;
    uint64_t lag = 0;
    int64_t now = mue_time_now_us();

    /* Silences are judged against now when the engine has read everything, else against the
     * newest message it read: an engine catching up does not find the whole fleet silent. */
    bool caught_up = false;
    if (mue_bus_consumer_pending(cons, &lag) == MUE_OK) {
        mue_metric_set(m_lag, (int64_t)lag);
        caught_up = lag == 0;
    }
    int64_t ref = caught_up ? now : e->newest_heard_us;
    if (ref > 0 && clock_no_data(e->st.db, e->rules, now, ref, &c) == 0)
        count(&c);
    int escalated = clock_escalate(e->st.db);
    if (escalated > 0)
        mue_metric_add(m_escalated, (uint64_t)escalated);
    if (caught_up && mue_time_mono_ms() >= *next_daily &&
        clock_daily(e->st.db, e->rules, now, &c) == 0) {
        count(&c);
        *next_daily = mue_time_mono_ms() + 60000;
    }
}

struct notifier_ctx {
    const struct config *cfg;
};

/* Sends due notifications every second, with its own connection. */
static void *notifier_thread(void *arg)
{
    const struct config *cfg = ((struct notifier_ctx *)arg)->cfg;
    struct notify_cfg ncfg = {
        cfg->smtp_server,          cfg->smtp_from,        cfg->smtp_helo, cfg->notify_timeout_ms,
        (int)cfg->notify_attempts, cfg->notify_backoff_ms
    };
    struct mue_db *db = NULL;

    while (mue_db_open(&db, cfg->pg_dsn, cfg->bus.connect_timeout_ms) < 0) {
        mue_log_error("notify.unavailable", "reason=\"no database; again in 5 s\"");
        if (mue_signal_sleep_ms(5000))
            return NULL;
    }
    while (!mue_signal_stopping()) {
        if (mue_db_ensure(db) >= 0)
            (void)notify_run(db, &ncfg);
        mue_signal_sleep_ms(1000);
    }
    mue_db_close(db);
    return NULL;
}

static void metrics_init(void)
{
    m_messages = mue_metrics_counter("mue_alerts_messages_total", NULL,
                                     "Measurement batches evaluated and acknowledged");
    m_pairs = mue_metrics_counter("mue_alerts_evaluations_total", NULL,
                                  "(rule, device) states evaluated, per transaction");
    m_opened = mue_metrics_counter("mue_alerts_opened_total", NULL, "Alerts opened");
    m_resolved =
        mue_metrics_counter("mue_alerts_resolved_total", NULL, "Alerts resolved automatically");
    m_escalated = mue_metrics_counter("mue_alerts_escalated_total", NULL, "Alerts escalated");
    m_late = mue_metrics_counter("mue_alerts_late_samples_total", NULL,
                                 "Samples older than their rule's state, ignored");
    m_retries = mue_metrics_counter("mue_alerts_retries_total", NULL,
                                    "Transactions retried after a database failure");
    m_events = mue_metrics_counter("mue_alerts_events_published_total", NULL,
                                   "Alert events published on mue.alert.>");
    m_lag = mue_metrics_gauge("mue_alerts_consumer_lag", NULL,
                              "Messages of MEASURES not yet evaluated");
}

int main(int argc, char **argv)
{
    struct engine e = { 0 };
    struct mue_admin *admin = NULL;
    struct mue_bus_consumer *cons = NULL;
    pthread_t commands, notifier;
    int have_commands = 0, have_notifier = 0;
    int rc = mue_service_setup(argc, argv, "alerts",
                               "rules over measurements: one alert per problem, notified", options,
                               &e.cfg);

    if (rc >= 0)
        return rc;
    rc = 1;
    e.cfg.bus.name = "mue-alerts";
    e.part = 0;
    e.nparts = 1;
    char durable[64] = "alerts";
    if (e.cfg.partition[0] != '\0') {
        int used = 0;
        if (sscanf(e.cfg.partition, "%ld/%ld%n", &e.part, &e.nparts, &used) != 2 ||
            e.cfg.partition[used] != '\0' || e.nparts < 1 || e.nparts > 64 || e.part < 0 ||
            e.part >= e.nparts) {
            mue_log_error("config.invalid",
                          "name=MUE_ALERTS_PARTITION value=\"%s\" reason=\"I/N "
                          "with 0 <= I < N <= 64\"",
                          e.cfg.partition);
            return 2;
        }
        snprintf(durable, sizeof(durable), "alerts-%ld-of-%ld", e.part, e.nparts);
    }
    metrics_init();
    mue_http_client_init();

    if (mue_db_open(&e.st.db, e.cfg.pg_dsn, e.cfg.bus.connect_timeout_ms) < 0 ||
        mue_migrate_require(e.st.db) < 0)
        goto out;
    if (mue_bus_open(&e.st.bus, &e.cfg.bus) < 0 || mue_bus_ensure_streams(e.st.bus) < 0)
        goto out;
    struct mue_bus_consumer_opts co = { MUE_STREAM_MEASURES, durable, MUE_SUBJ_MEASURE_ALL, 60000,
                                        e.cfg.batch * 4 };
    if (mue_bus_consumer_open(&cons, e.st.bus, &co) < 0)
        goto out;
    /* Both notices only trigger a reload. */
    if (mue_bus_subscribe(&e.notices, e.st.bus, MUE_SUBJ_ALERTRULES_CHANGED) < 0 ||
        mue_bus_subscribe(&e.registry, e.st.bus, MUE_SUBJ_REGISTRY_CHANGED) < 0)
        goto out;
    reload(&e, "start");
    if (e.rules == NULL)
        goto out;
    if (mue_admin_open(&admin, e.cfg.admin_listen, mue_service_health, &e.st) < 0)
        goto out;

    struct commands_ctx cctx = { e.st.bus, e.cfg.pg_dsn, e.cfg.bus.connect_timeout_ms };
    struct notifier_ctx nctx = { &e.cfg };
    have_commands = pthread_create(&commands, NULL, commands_thread, &cctx) == 0;
    have_notifier = pthread_create(&notifier, NULL, notifier_thread, &nctx) == 0;
    mue_log_info("service.started", "rules=%d devices=%d", e.rules->nrules, e.rules->ndevices);

    int64_t next_tick = 0, next_daily = 0;
    while (!mue_signal_stopping()) {
        struct mue_bus_batch b;
        take_notices(&e);
        if (mue_bus_fetch(cons, &b, (int)e.cfg.batch, e.cfg.wait_ms) > 0)
            process(&e, &b);
        mue_bus_batch_fini(&b);
        publish_events(&e);
        if (mue_time_mono_ms() >= next_tick) {
            tick(&e, cons, &next_daily);
            publish_events(&e);
            next_tick = mue_time_mono_ms() + e.cfg.tick_ms;
        }
    }
    mue_log_info("service.stopping", "reason=signal");
    rc = 0;
    if (have_commands)
        pthread_join(commands, NULL);
    if (have_notifier)
        pthread_join(notifier, NULL);
out:
    mue_admin_close(admin);
    mue_bus_sub_close(e.notices);
    mue_bus_sub_close(e.registry);
    mue_bus_consumer_close(cons);
    mue_bus_close(e.st.bus);
    rule_set_free(e.rules);
    mue_db_close(e.st.db);
    nats_Close();
    mue_log_info("service.stopped", "rc=%d", rc);
    return rc;
}
