/* main.c - mue-ingest: network-server webhooks in, uplinks stored on JetStream out.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "mue_admin.h"
#include "mue_bus.h"
#include "mue_config.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_service.h"
#include "mue_signal.h"
#include "routes.h"

struct config {
    struct mue_bus_opts bus;
    const char *listen;
    const char *admin_listen;
    long threads;
    const char *log_level;
    struct routes_config routes;
};

static const struct mue_config_option options[] = {
    MUE_BUS_OPTIONS(struct config, bus),
    MUE_OPT_STR("MUE_INGEST_LISTEN", struct config, listen, "127.0.0.1:8081",
                "address:port of the webhook endpoints"),
    MUE_OPT_STR("MUE_ADMIN_LISTEN", struct config, admin_listen, "127.0.0.1:9081",
                "address:port of /healthz and /metrics"),
    MUE_OPT_SECRET_REQUIRED("MUE_INGEST_SECRET", struct config, routes.secret,
                            "webhook secret, expected as 'Authorization: Bearer <secret>'"),
    MUE_OPT_INT("MUE_INGEST_MAX_BODY", struct config, routes.max_body, "65536", 1024, 16777216,
                "largest webhook body accepted, in bytes (larger: 413)"),
    MUE_OPT_INT("MUE_INGEST_THREADS", struct config, threads, "16", 1, 256,
                "HTTP worker threads (requests served at once)"),
    MUE_OPT_INT("MUE_INGEST_PUBLISH_TIMEOUT_MS", struct config, routes.publish_timeout_ms, "5000",
                100, 60000, "wait for JetStream's acknowledgement before answering 503"),
    MUE_OPT_STR("MUE_LOG_LEVEL", struct config, log_level, "info", "debug, info, warn or error"),
    MUE_OPT_END,
};

int main(int argc, char **argv)
{
    struct config cfg;
    struct mue_bus *bus = NULL;
    struct mue_service_deps deps = { NULL, NULL };
    struct mue_admin *admin = NULL;
    struct routes *routes = NULL;
    int rc = mue_service_setup(argc, argv, "ingest",
                               "LoRaWAN network-server webhooks in, uplinks on JetStream out",
                               options, &cfg);

    if (rc >= 0)
        return rc;
    rc = 1;
    cfg.bus.name = "mue-ingest";
    if (mue_bus_open(&bus, &cfg.bus) < 0 || mue_bus_ensure_streams(bus) < 0)
        goto out;
    deps.bus = bus;
    if (mue_admin_open(&admin, cfg.admin_listen, mue_service_health, &deps) < 0)
        goto out;
    if (routes_open(&routes, cfg.listen, cfg.threads, &cfg.routes, bus) < 0)
        goto out;
    mue_log_info("service.started", "listen=%s", cfg.listen);
    while (!mue_signal_sleep_ms(1000))
        ;
    mue_log_info("service.stopping", "reason=signal");
    rc = 0;
out:
    routes_close(routes); /* answers the requests in flight before the bus goes */
    mue_admin_close(admin);
    mue_bus_close(bus);
    nats_Close();
    mue_log_info("service.stopped", "rc=%d", rc);
    return rc;
}
