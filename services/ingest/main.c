/* main.c - mue-ingest: network-server webhooks in, uplinks stored on JetStream out.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "downlink_forward.h"
#include "mue_admin.h"
#include "mue_bus.h"
#include "mue_config.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_service.h"
#include "mue_signal.h"
#include "mue_subjects.h"
#include "routes.h"

struct config {
    struct mue_bus_opts bus;
    const char *listen;
    const char *admin_listen;
    long threads;
    const char *log_level;
    struct routes_config routes;
    struct downlink_config downlink;
};

static const struct mue_config_option options[] = {
    MUE_BUS_OPTIONS(struct config, bus),
    MUE_OPT_STR("MUE_INGEST_LISTEN", struct config, listen, "127.0.0.1:8081",
                "address:port of the webhook endpoints"),
    MUE_OPT_STR("MUE_ADMIN_LISTEN", struct config, admin_listen, "127.0.0.1:9081",
                "address:port of /healthz and /metrics"),
    MUE_OPT_SECRET_REQUIRED("MUE_INGEST_SECRET", struct config, routes.secret,
                            "webhook secret, expected as 'Authorization: Bearer <secret>'"),
    MUE_OPT_SECRET("MUE_INGEST_SECRET_CHIRPSTACK", struct config, routes.secret_chirpstack, NULL,
                   "ChirpStack's own webhook secret (unset: MUE_INGEST_SECRET)"),
    MUE_OPT_SECRET("MUE_INGEST_SECRET_TTS", struct config, routes.secret_tts, NULL,
                   "The Things Stack's own webhook secret (unset: MUE_INGEST_SECRET)"),
    MUE_OPT_SECRET("MUE_INGEST_SECRET_THINGPARK", struct config, routes.secret_thingpark, NULL,
                   "ThingPark's own webhook secret (unset: MUE_INGEST_SECRET)"),
    MUE_OPT_SECRET("MUE_INGEST_SECRET_LIVEOBJECTS", struct config, routes.secret_liveobjects, NULL,
                   "Live Objects' own webhook secret (unset: MUE_INGEST_SECRET)"),
    MUE_OPT_INT("MUE_INGEST_MAX_BODY", struct config, routes.max_body, "65536", 1024, 16777216,
                "largest webhook body accepted, in bytes (larger: 413)"),
    MUE_OPT_INT("MUE_INGEST_THREADS", struct config, threads, "16", 1, 256,
                "HTTP worker threads (requests served at once)"),
    MUE_OPT_INT("MUE_INGEST_MAX_HEADER_BYTES", struct config, routes.max_header_bytes, "16384",
                1024, 1048576, "largest request line and headers accepted, in bytes (larger: 400)"),
    MUE_OPT_INT("MUE_INGEST_MAX_HEADERS", struct config, routes.max_headers, "48", 8, 63,
                "most header fields a request may carry (more: 431)"),
    MUE_OPT_INT("MUE_INGEST_MAX_JSON_DEPTH", struct config, routes.max_json_depth, "32", 2, 2048,
                "deepest nesting of objects and arrays in a JSON body (deeper: 400)"),
    MUE_OPT_INT("MUE_INGEST_REQUEST_TIMEOUT_MS", struct config, routes.request_timeout_ms, "10000",
                100, 600000,
                "time a client has to send the head, and again the body, of a request (slower: "
                "408)"),
    MUE_OPT_INT("MUE_INGEST_KEEPALIVE_TIMEOUT_MS", struct config, routes.keepalive_timeout_ms,
                "15000", 100, 600000,
                "how long a kept connection may wait for its next request, whole head included"),
    MUE_OPT_INT("MUE_INGEST_PUBLISH_TIMEOUT_MS", struct config, routes.publish_timeout_ms, "5000",
                100, 60000, "wait for JetStream's acknowledgement before answering 503"),
    MUE_OPT_STR("MUE_CHIRPSTACK_API_URL", struct config, downlink.chirpstack_api_url, NULL,
                "ChirpStack REST API base URL for downlinks, e.g. http://chirpstack-rest-api:8090 "
                "(unset: ChirpStack downlinks fail)"),
    MUE_OPT_SECRET("MUE_CHIRPSTACK_API_TOKEN", struct config, downlink.chirpstack_api_token, NULL,
                   "ChirpStack API token (sent as 'Authorization: Bearer <token>')"),
    MUE_OPT_STR(
        "MUE_TTS_API_URL", struct config, downlink.tts_api_url, NULL,
        "The Things Stack base URL for downlinks, e.g. https://eu1.cloud.thethings.network, "
        "or an http proxy to it where civetweb cannot load libssl (unset: TTS downlinks "
        "fail)"),
    MUE_OPT_SECRET("MUE_TTS_API_KEY", struct config, downlink.tts_api_key, NULL,
                   "The Things Stack API key with traffic-write rights"),
    MUE_OPT_STR("MUE_TTS_APPLICATION_ID", struct config, downlink.tts_application_id, NULL,
                "TTS application of downlinks that name none"),
    MUE_OPT_STR("MUE_TTS_WEBHOOK_ID", struct config, downlink.tts_webhook_id, "mue",
                "TTS webhook id of mue in that application"),
    MUE_OPT_INT("MUE_DOWNLINK_TIMEOUT_MS", struct config, downlink.timeout_ms, "5000", 100, 60000,
                "wait for a network server's API to answer a downlink"),
    MUE_OPT_INT("MUE_DOWNLINK_MAX_ATTEMPTS", struct config, downlink.max_attempts, "8", 1, 100,
                "API calls per downlink (5xx, 429, timeouts) before it fails"),
    MUE_OPT_INT("MUE_DOWNLINK_BACKOFF_MS", struct config, downlink.backoff_ms, "1000", 1, 60000,
                "first pause before a retry; doubles, with jitter, up to 60 s"),
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
    struct downlink_forward *forwarder = NULL;
    int rc = mue_service_setup(
        argc, argv, "ingest",
        "network-server webhooks and device posts in, events on JetStream out, downlinks out",
        options, &cfg);

    if (rc >= 0)
        return rc;
    rc = 1;
    cfg.bus.name = "mue-ingest";
    if (mue_bus_open(&bus, &cfg.bus) < 0 || mue_bus_ensure_streams(bus) < 0)
        goto out;
    deps.bus = bus;
    if (routes_open(&routes, cfg.listen, cfg.threads, &cfg.routes, bus) < 0)
        goto out;
    cfg.downlink.stream = MUE_STREAM_DOWNLINKS;
    cfg.downlink.durable = "ingest-downlinks";
    cfg.downlink.filter = MUE_SUBJ_DOWNLINK_ALL;
    if (downlink_forward_start(&forwarder, bus, &cfg.downlink) < 0)
        goto out;
    /* Healthy only once the webhooks have their handlers: civetweb listens before they are set,
     * and a request in between would get its bare 404. */
    if (mue_admin_open(&admin, cfg.admin_listen, mue_service_health, &deps) < 0)
        goto out;
    mue_log_info("service.started", "listen=%s", cfg.listen);
    while (!mue_signal_sleep_ms(1000))
        ;
    mue_log_info("service.stopping", "reason=signal");
    rc = 0;
out:
    downlink_forward_stop(forwarder); /* the API call in flight is settled first */
    routes_close(routes);             /* answers the requests in flight before the bus goes */
    mue_admin_close(admin);
    mue_bus_close(bus);
    nats_Close();
    mue_log_info("service.stopped", "rc=%d", rc);
    return rc;
}
