/* main.c - mue-api: the REST API that the directorates' dashboards, the lighting operators, the
 * public site and other systems read and act through.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "api.h"
#include "mue_admin.h"
#include "mue_bus.h"
#include "mue_config.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_migrate.h"
#include "mue_service.h"
#include "mue_signal.h"
#include "pool.h"
#include "server.h"

struct config {
    const char *pg_dsn;
    const char *listen;
    const char *admin_listen;
    long threads;
    long pool_size;
    const char *cors_origin;
    long public_rate, public_burst;
    const char *web_root;
    const char *opendata_root;
    struct server_limits limits;
    struct mue_bus_opts bus;
    const char *log_level;
};

static const struct mue_config_option options[] = {
    MUE_OPT_SECRET_REQUIRED("MUE_PG_DSN", struct config, pg_dsn, "libpq connection string"),
    MUE_OPT_STR("MUE_API_LISTEN", struct config, listen, "127.0.0.1:8080",
                "address:port of the API"),
    MUE_OPT_STR("MUE_ADMIN_LISTEN", struct config, admin_listen, "127.0.0.1:9087",
                "address:port of /healthz and /metrics"),
    MUE_OPT_INT("MUE_API_THREADS", struct config, threads, "96", 8, 1024,
                "HTTP worker threads (requests served at once; each live stream holds one, and "
                "at most 64 streams run at once)"),
    MUE_OPT_INT("MUE_API_DB_POOL", struct config, pool_size, "4", 1, 64,
                "PostgreSQL connections shared by the workers"),
    MUE_OPT_STR("MUE_API_CORS_ORIGIN", struct config, cors_origin, NULL,
                "Access-Control-Allow-Origin of every answer (\"*\", or the site's origin); "
                "unset: no CORS header"),
    MUE_OPT_INT("MUE_API_PUBLIC_RATE", struct config, public_rate, "20", 1, 1000000,
                "requests a second each address may make without a key (on average); as many "
                "with unknown keys, counted apart"),
    MUE_OPT_INT("MUE_API_PUBLIC_BURST", struct config, public_burst, "60", 1, 1000000,
                "requests an address may make at once without a key; as many with unknown keys, "
                "past which its requests with a key get 429 before any lookup"),
    MUE_OPT_INT("MUE_API_MAX_HEADER_BYTES", struct config, limits.max_header_bytes, "16384", 1024,
                1048576, "largest request line and headers accepted, in bytes (larger: 400)"),
    MUE_OPT_INT("MUE_API_MAX_HEADERS", struct config, limits.max_headers, "48", 8, 63,
                "most header fields a request may carry (more: 431)"),
    MUE_OPT_INT("MUE_API_MAX_JSON_DEPTH", struct config, limits.max_json_depth, "32", 2, 2048,
                "deepest nesting of objects and arrays in a JSON body (deeper: 400)"),
    MUE_OPT_INT("MUE_API_REQUEST_TIMEOUT_MS", struct config, limits.request_timeout_ms, "30000",
                100, 600000,
                "time a client has to send a request's head (slower: 408), and longest silence "
                "while it sends the body or reads the answer"),
    MUE_OPT_INT("MUE_API_KEEPALIVE_TIMEOUT_MS", struct config, limits.keepalive_timeout_ms, "500",
                100, 600000,
                "how long a kept connection may wait for its next request, whole head included"),
    MUE_OPT_STR("MUE_API_WEB_ROOT", struct config, web_root, NULL,
                "folder of the built public site and supervisor pages (make web), served for "
                "every path outside /v1; unset: the API alone"),
    MUE_OPT_STR("MUE_API_OPENDATA_ROOT", struct config, opendata_root, NULL,
                "mue-opendata's published folder (MUE_OPENDATA_PUBLIC_DIR), served under "
                "/opendata/ at stable URLs; unset: no /opendata/"),
    MUE_BUS_OPTIONS(struct config, bus),
    MUE_OPT_STR("MUE_LOG_LEVEL", struct config, log_level, "info", "debug, info, warn or error"),
    MUE_OPT_END,
};

static struct pool *pool;

static int health(void *arg, char *reason, size_t cap)
{
    (void)arg;
    if (pool_is_up(pool))
        return 0;
    snprintf(reason, cap, "database down");
    return MUE_EDB;
}

int main(int argc, char **argv)
{
    struct config cfg;
    struct mue_admin *admin = NULL;
    struct server *server = NULL;
    struct server_opts so;
    struct mue_bus *bus = NULL;
    int rc = mue_service_setup(argc, argv, "api",
                               "the REST API of the dashboards, the operators and the public site",
                               options, &cfg);

    if (rc >= 0)
        return rc;
    rc = 1;
    if (pool_open(&pool, cfg.pg_dsn, (int)cfg.pool_size, 30000) < 0) {
        mue_log_error("db.unreachable", "hint=\"check MUE_PG_DSN\"");
        goto out;
    }
    /* The bus carries live updates and registry-change notices; the API reads PostgreSQL without
     * it, so a bus still down after MUE_NATS_CONNECT_TIMEOUT_MS only turns those off. */
    cfg.bus.name = "mue-api";
    if (mue_bus_open(&bus, &cfg.bus) == MUE_OK)
        api_set_bus(bus);
    else
        mue_log_warn("bus.unavailable", "hint=\"live updates and registry notices are off\"");
    so = (struct server_opts){ cfg.listen,
                               cfg.threads,
                               cfg.cors_origin,
                               (double)cfg.public_rate,
                               (double)cfg.public_burst,
                               cfg.web_root,
                               cfg.opendata_root,
                               cfg.limits };
    if (server_start(&server, &so, pool) < 0)
        goto out;
    /* Healthy only once the routes have their handler: civetweb listens before it is set, and a
     * request in between would get its bare 404. */
    if (mue_admin_open(&admin, cfg.admin_listen, health, NULL) < 0)
        goto out;
    mue_log_info("service.started", "listen=%s", cfg.listen);
    while (!mue_signal_sleep_ms(1000))
        ;
    mue_log_info("service.stopping", "reason=signal");
    rc = 0;
out:
    server_stop(server); /* answers the requests in flight first */
    mue_admin_close(admin);
    api_set_bus(NULL);
    mue_bus_close(bus);
    nats_Close();
    pool_close(pool);
    mue_log_info("service.stopped", "rc=%d", rc);
    return rc;
}
