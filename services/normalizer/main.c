/* main.c - mue-normalizer: uplinks in, decoded measurement batches (or dead letters) out.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device_status.h"
#include "mue/v1/uplink.pb-c.h"
#include "mue_admin.h"
#include "mue_bus.h"
#include "mue_config.h"
#include "mue_db.h"
#include "mue_deadletter.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_metrics.h"
#include "mue_migrate.h"
#include "mue_service.h"
#include "mue_signal.h"
#include "mue_subjects.h"
#include "mue_time.h"
#include "normalize.h"
#include "registry.h"

#define STAGE "normalizer"

struct config {
    struct mue_bus_opts bus;
    const char *pg_dsn;
    const char *admin_listen;
    const char *log_level;
    long batch;
    long cache_ttl_s;
    long unknown_ttl_s;
};

static const struct mue_config_option options[] = {
    MUE_BUS_OPTIONS(struct config, bus),
    MUE_OPT_SECRET_REQUIRED("MUE_PG_DSN", struct config, pg_dsn, "libpq connection string"),
    MUE_OPT_STR("MUE_ADMIN_LISTEN", struct config, admin_listen, "127.0.0.1:9082",
                "address:port of /healthz and /metrics"),
    MUE_OPT_INT("MUE_NORMALIZER_BATCH", struct config, batch, "256", 1, 4096,
                "uplinks fetched and acknowledged together"),
    MUE_OPT_INT("MUE_NORMALIZER_CACHE_TTL_S", struct config, cache_ttl_s, "60", 0, 86400,
                "seconds a registry entry is trusted before it is read again"),
    MUE_OPT_INT("MUE_NORMALIZER_UNKNOWN_TTL_S", struct config, unknown_ttl_s, "5", 0, 3600,
                "seconds an unknown DevEUI stays unknown before the registry is asked again"),
    MUE_OPT_STR("MUE_LOG_LEVEL", struct config, log_level, "info", "debug, info, warn or error"),
    MUE_OPT_END,
};

static struct mue_metric *m_uplinks, *m_batches, *m_measurements, *m_retries;

/* What became of one uplink of the batch. */
enum fate { PENDING, DONE, RETRY };

/* Handles one uplink: publishes its batch or its dead letter (asynchronously). Returns DONE, or
 * RETRY when the registry could not be read. */
static enum fate handle(struct mue_service_deps *st, struct registry *reg, natsMsg *msg)
{
    Mue__V1__Uplink *up;
    const struct registry_device *dev = NULL;
    struct normalize_out out;
    char reason[200];
    int rc;

    up = mue__v1__uplink__unpack(NULL, mue_bus_msg_len(msg), mue_bus_msg_data(msg));
    if (up == NULL) {
        mue_deadletter_publish(st->bus, STAGE, "bad_uplink", "not a mue.v1.Uplink message", msg);
        return DONE;
    }
    rc = registry_lookup(reg, up->dev_eui, &dev);
    if (rc < 0) {
        mue__v1__uplink__free_unpacked(up, NULL);
        return RETRY;
    }
    if (rc == 0) {
        snprintf(reason, sizeof(reason), "unknown device %s (not registered or inactive)",
                 up->dev_eui);
        mue_deadletter_publish(st->bus, STAGE, "unknown_device", reason, msg);
        mue__v1__uplink__free_unpacked(up, NULL);
        return DONE;
    }
    if (normalize_uplink(up, dev, &out) < 0) {
        mue_deadletter_publish(st->bus, STAGE, out.code, out.reason, msg);
    } else {
        mue_bus_publish_async(st->bus, out.subject, out.batch, out.batch_len, up->id, NULL);
        mue_metric_inc(m_batches);
        mue_metric_add(m_measurements, out.n_measurements);
        mue_log_debug("uplink.normalized", "id=%s device_id=%lld measurements=%zu", up->id,
                      (long long)dev->id, out.n_measurements);
        free(out.batch);
    }
    mue__v1__uplink__free_unpacked(up, NULL);
    return DONE;
}

/* Handles one device event (mue.device.>): a status report becomes health readings. */
static enum fate handle_device_event(struct mue_service_deps *st, struct registry *reg,
                                     natsMsg *msg)
{
    Mue__V1__DeviceEvent *ev;
    const struct registry_device *dev = NULL;
    struct normalize_out out;
    char reason[200];
    int rc;

    ev = mue__v1__device_event__unpack(NULL, mue_bus_msg_len(msg), mue_bus_msg_data(msg));
    if (ev == NULL) {
        mue_deadletter_publish(st->bus, STAGE, "bad_device_event",
                               "not a mue.v1.DeviceEvent message", msg);
        return DONE;
    }
    if (ev->kind != MUE__V1__DEVICE_EVENT_KIND__DEVICE_EVENT_KIND_STATUS) {
        mue__v1__device_event__free_unpacked(ev, NULL);
        return DONE; /* joins, logs and locations carry no reading */
    }
    rc = registry_lookup(reg, ev->dev_eui, &dev);
    if (rc < 0) {
        mue__v1__device_event__free_unpacked(ev, NULL);
        return RETRY;
    }
    if (rc == 0) {
        snprintf(reason, sizeof(reason), "unknown device %s (not registered or inactive)",
                 ev->dev_eui);
        mue_deadletter_publish(st->bus, STAGE, "unknown_device", reason, msg);
    } else {
        rc = normalize_device_event(ev, dev, &out);
        if (rc < 0) {
            mue_deadletter_publish(st->bus, STAGE, out.code, out.reason, msg);
        } else if (rc > 0) {
            mue_bus_publish_async(st->bus, out.subject, out.batch, out.batch_len, ev->id, NULL);
            mue_metric_inc(m_batches);
            mue_metric_add(m_measurements, out.n_measurements);
            free(out.batch);
        }
    }
    mue__v1__device_event__free_unpacked(ev, NULL);
    return DONE;
}

/* Applies the registry-change notices that arrived since the last fetch. */
static void apply_registry_changes(struct mue_bus_sub *changes, struct registry *reg)
{
    natsMsg *m = NULL;

    while (mue_bus_sub_next(changes, 0, &m) == 1) {
        char eui[17] = "";
        size_t len = mue_bus_msg_len(m);
        if (len == 16)
            memcpy(eui, mue_bus_msg_data(m), 16);
        registry_forget(reg, eui); /* anything else than one DevEUI: forget all */
        mue_log_info("registry.changed", "dev_eui=%s", eui[0] ? eui : "*");
        natsMsg_Destroy(m);
    }
}

/* One fetch: every uplink is acknowledged only after what it produced was stored by JetStream;
 * otherwise it is handed back for redelivery (the ids make the retry harmless). */
static void process(struct mue_service_deps *st, struct registry *reg, struct mue_bus_batch *b)
{
    enum fate fates[4096];
    int n = b->list.Count, all_stored;

    for (int i = 0; i < n; i++)
        fates[i] = PENDING;
    for (int i = 0; i < n; i++) {
        natsMsg *m = b->list.Msgs[i];
        fates[i] = strncmp(mue_bus_msg_subject(m), "mue.device.", 11) == 0
                       ? handle_device_event(st, reg, m)
                       : handle(st, reg, m);
        if (fates[i] == RETRY) {
            mue_db_ensure(st->db);
            break; /* the rest waits for the registry too */
        }
    }
    all_stored = mue_bus_publish_async_wait(st->bus, 10000) == MUE_OK;
    for (int i = 0; i < n; i++) {
        if (fates[i] == DONE && all_stored) {
            mue_bus_ack(b->list.Msgs[i]);
            mue_metric_inc(m_uplinks);
        } else {
            mue_bus_nak(b->list.Msgs[i], 1000);
            mue_metric_inc(m_retries);
        }
    }
    if (!all_stored)
        mue_log_warn("batch.retried", "uplinks=%d reason=\"bus did not store every output\"", n);
}

int main(int argc, char **argv)
{
    struct config cfg;
    struct mue_service_deps st = { NULL, NULL };
    struct mue_admin *admin = NULL;
    struct mue_bus_consumer *cons = NULL, *events = NULL;
    int64_t events_checked_ms = 0;
    struct registry *reg = NULL;
    struct mue_bus_sub *changes = NULL;
    int rc = mue_service_setup(argc, argv, "normalizer",
                               "uplinks in, decoded measurements out, by each device model's codec",
                               options, &cfg);

    if (rc >= 0)
        return rc;
    rc = 1;
    cfg.bus.name = "mue-normalizer";
    m_uplinks = mue_metrics_counter("mue_normalizer_uplinks_total", NULL,
                                    "Uplinks handled and acknowledged");
    m_batches =
        mue_metrics_counter("mue_normalizer_batches_total", NULL, "Measurement batches published");
    m_measurements =
        mue_metrics_counter("mue_normalizer_measurements_total", NULL, "Measurements published");
    m_retries = mue_metrics_counter("mue_normalizer_retries_total", NULL,
                                    "Uplinks handed back for redelivery");

    if (mue_db_open(&st.db, cfg.pg_dsn, cfg.bus.connect_timeout_ms) < 0 ||
        mue_migrate_require(st.db) < 0)
        goto out;
    if (mue_bus_open(&st.bus, &cfg.bus) < 0 || mue_bus_ensure_streams(st.bus) < 0)
        goto out;
    struct mue_bus_consumer_opts co = { MUE_STREAM_UPLINKS, "normalizer", MUE_SUBJ_UPLINK_ALL,
                                        30000, cfg.batch * 4 };
    struct mue_bus_consumer_opts eo = { MUE_STREAM_UPLINKS, "normalizer-device-events",
                                        MUE_SUBJ_DEVICE_ALL, 30000, 256 };
    if (mue_bus_consumer_open(&cons, st.bus, &co) < 0 ||
        mue_bus_consumer_open(&events, st.bus, &eo) < 0)
        goto out;
    if (mue_bus_subscribe(&changes, st.bus, MUE_SUBJ_REGISTRY_CHANGED) < 0)
        goto out;
    if (mue_admin_open(&admin, cfg.admin_listen, mue_service_health, &st) < 0)
        goto out;
    reg = registry_new(st.db, cfg.cache_ttl_s, cfg.unknown_ttl_s);
    mue_log_info("service.started", "batch=%ld", cfg.batch);
    while (!mue_signal_stopping()) {
        struct mue_bus_batch b;
        int n = mue_bus_fetch(cons, &b, (int)cfg.batch, 1000);
        /* Notices that came during the wait apply before the uplinks that came with them. */
        apply_registry_changes(changes, reg);
        if (n > 0)
            process(&st, reg, &b); /* a stop signal waits for this batch's acks */
        mue_bus_batch_fini(&b);
        /* Device events come a few a day per device: a short look once a second is enough
         * and costs the uplinks nothing. */
        if (mue_time_mono_ms() - events_checked_ms >= 1000) {
            events_checked_ms = mue_time_mono_ms();
            n = mue_bus_fetch(events, &b, 64, 10);
            if (n > 0)
                process(&st, reg, &b);
            mue_bus_batch_fini(&b);
        }
    }
    mue_log_info("service.stopping", "reason=signal");
    rc = 0;
out:
    registry_free(reg);
    mue_admin_close(admin);
    mue_bus_sub_close(changes);
    mue_bus_consumer_close(events);
    mue_bus_consumer_close(cons);
    mue_bus_close(st.bus);
    mue_db_close(st.db);
    nats_Close();
    mue_log_info("service.stopped", "rc=%d", rc);
    return rc;
}
