/* mue_admin.c - /healthz and /metrics on a small civetweb server.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

#include "mue_admin.h"
#include "mue_err.h"
#include "mue_http_guard.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_metrics.h"

struct mue_admin {
    struct mg_context *ctx;
    mue_admin_health_fn health;
    void *arg;
};

int mue_admin_civetweb_log(const void *conn, const char *message)
{
    char quoted[512];
    (void)conn;
    mue_log_warn("http.server_error", "reason=\"%s\"",
                 mue_log_quote(quoted, sizeof(quoted), message));
    return 1;
}

static int civetweb_log(const struct mg_connection *conn, const char *message)
{
    return mue_admin_civetweb_log(conn, message);
}

static int send_text(struct mg_connection *conn, int status, const char *type, const char *body)
{
    size_t len = strlen(body);
    char clen[24];
    snprintf(clen, sizeof(clen), "%zu", len);
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Content-Type", type, -1);
    mg_response_header_add(conn, "Content-Length", clen, -1);
    mg_response_header_add(conn, "Cache-Control", "no-store", -1);
    mg_response_header_send(conn);
    mg_write(conn, body, len);
    return status;
}

static int handle_healthz(struct mg_connection *conn, void *cbdata)
{
    struct mue_admin *a = cbdata;
    char reason[160] = "", quoted[200], body[300];

    if (a->health != NULL && a->health(a->arg, reason, sizeof(reason)) < 0) {
        snprintf(body, sizeof(body), "{\"status\":\"unavailable\",\"reason\":\"%s\"}\n",
                 mue_log_quote(quoted, sizeof(quoted), reason));
        return send_text(conn, 503, "application/json", body);
    }
    return send_text(conn, 200, "application/json", "{\"status\":\"ok\"}\n");
}

/* The metrics, and what /healthz would answer as mue_healthy 1 or 0: a scraper sees a service
 * that runs but has lost its bus or its database (deploy/prometheus/rules.yml). */
static int handle_metrics(struct mg_connection *conn, void *cbdata)
{
    struct mue_admin *a = cbdata;
    char reason[160];
    char *text = mue_metrics_format();
    int healthy = a->health == NULL || a->health(a->arg, reason, sizeof(reason)) >= 0;
    size_t len = strlen(text);
    char *all = mue_xmalloc(len + 128);

    snprintf(all, len + 128,
             "%s# HELP mue_healthy 1 when /healthz answers 200, 0 when 503\n"
             "# TYPE mue_healthy gauge\nmue_healthy %d\n",
             text, healthy);
    send_text(conn, 200, "text/plain; version=0.0.4; charset=utf-8", all);
    free(all);
    free(text);
    return 200;
}

int mue_admin_open(struct mue_admin **out, const char *listen, mue_admin_health_fn health,
                   void *arg)
{
    /* Scrapers and probes send short heads and no body; a connection serves one request, so a
     * client that never finishes its head holds one of the two threads for 5 s at most. */
    const char *options[] = {
        "listening_ports",  listen, "num_threads", "2", "request_timeout_ms", "5000",
        "max_request_size", "8192", NULL
    };
    struct mg_callbacks cb;
    struct mue_admin *a = mue_xcalloc(1, sizeof(*a));

    memset(&cb, 0, sizeof(cb));
    cb.log_message = civetweb_log;
    mue_http_guard_callbacks(&cb);
    a->health = health;
    a->arg = arg;
    mg_init_library(0);
    a->ctx = mg_start(&cb, a, options);
    if (a->ctx == NULL) {
        mue_log_error("admin.listen_failed", "listen=%s reason=\"port in use or bad address\"",
                      listen);
        mg_exit_library();
        free(a);
        return MUE_EINVAL;
    }
    mg_set_request_handler(a->ctx, "/healthz$", handle_healthz, a);
    mg_set_request_handler(a->ctx, "/metrics$", handle_metrics, a);
    mue_log_info("admin.listening", "listen=%s", listen);
    *out = a;
    return MUE_OK;
}

void mue_admin_close(struct mue_admin *a)
{
    if (a == NULL)
        return;
    mg_stop(a->ctx);
    mg_exit_library();
    free(a);
}
