/* routes.c - webhook requests: authenticate, bound, parse, publish, answer.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <civetweb.h>

#include "mue_admin.h"
#include "mue_bus.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_metrics.h"
#include "mue_time.h"
#include "routes.h"
#include "uplink.h"
#include "webhook.h"

struct routes {
    struct mg_context *ctx;
    const struct routes_config *cfg;
    struct mue_bus *bus;
};

typedef int (*parse_fn)(const char *body, size_t len, struct webhook_uplink *out, char *reason,
                        size_t cap);

static struct mue_metric *m_accepted, *m_duplicate, *m_bad_request, *m_unauthorized, *m_too_large,
    *m_bad_method, *m_not_found, *m_bus_down, *m_seconds;

static void metrics_register(void)
{
    static const double bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                     0.1,   0.25,   0.5,   1,    2.5,   5 };
    static const char *const name = "mue_ingest_requests_total";
    static const char *const help = "Webhook requests by outcome";
    m_accepted = mue_metrics_counter(name, "outcome=\"accepted\"", help);
    m_duplicate = mue_metrics_counter(name, "outcome=\"duplicate\"", help);
    m_bad_request = mue_metrics_counter(name, "outcome=\"bad_request\"", help);
    m_unauthorized = mue_metrics_counter(name, "outcome=\"unauthorized\"", help);
    m_too_large = mue_metrics_counter(name, "outcome=\"too_large\"", help);
    m_bad_method = mue_metrics_counter(name, "outcome=\"method_not_allowed\"", help);
    m_not_found = mue_metrics_counter(name, "outcome=\"not_found\"", help);
    m_bus_down = mue_metrics_counter(name, "outcome=\"bus_unavailable\"", help);
    m_seconds =
        mue_metrics_histogram("mue_ingest_request_seconds", NULL, "Time from request to answer",
                              bounds, sizeof(bounds) / sizeof(bounds[0]));
}

/* Sends a JSON answer. 'extra' is more JSON members (already escaped), may be NULL. */
static int reply(struct mg_connection *conn, int status, const char *error, const char *reason,
                 const char *extra)
{
    char body[640], quoted[400], clen[24];
    int n;

    if (error != NULL)
        n = snprintf(body, sizeof(body), "{\"error\":\"%s\",\"reason\":\"%s\"}\n", error,
                     mue_log_quote(quoted, sizeof(quoted), reason));
    else
        n = snprintf(body, sizeof(body), "{\"status\":\"accepted\"%s%s}\n", extra ? "," : "",
                     extra ? extra : "");
    if (n < 0 || (size_t)n >= sizeof(body))
        n = (int)strlen(body);
    snprintf(clen, sizeof(clen), "%d", n);
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Content-Type", "application/json", -1);
    mg_response_header_add(conn, "Content-Length", clen, -1);
    if (status == 503)
        mg_response_header_add(conn, "Retry-After", "5", -1);
    if (status == 413)
        mg_response_header_add(conn, "Connection", "close", -1); /* the body stays unread */
    if (status == 401)
        mg_response_header_add(conn, "WWW-Authenticate", "Bearer realm=\"mue-ingest\"", -1);
    mg_response_header_send(conn);
    mg_write(conn, body, (size_t)n);
    return status;
}

/* Compares without an early exit, so the time taken says nothing about the secret. */
static int secret_matches(const char *given, const char *expected)
{
    size_t lg = strlen(given), le = strlen(expected);
    unsigned char diff = (unsigned char)(lg != le);
    for (size_t i = 0; i < le; i++)
        diff |= (unsigned char)(expected[i] ^ (i < lg ? given[i] : 0));
    return diff == 0;
}

static int authorized(struct mg_connection *conn, const char *secret)
{
    const char *h = mg_get_header(conn, "Authorization");
    if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
        return 0;
    h += 7;
    while (*h == ' ')
        h++;
    return secret_matches(h, secret);
}

/* Reads the whole body into a buffer of at most max bytes. Returns it (caller frees) with *len,
 * or NULL after answering 413 or 400 itself. */
static char *read_body_or_reply(struct mg_connection *conn, long max, size_t *len)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    size_t cap, used = 0;
    char *body;

    if (ri->content_length > max) {
        mue_metric_inc(m_too_large);
        reply(conn, 413, "too_large", "body larger than MUE_INGEST_MAX_BODY", NULL);
        return NULL;
    }
    cap = ri->content_length >= 0 ? (size_t)ri->content_length : (size_t)max;
    body = mue_xmalloc(cap + 1);
    for (;;) {
        int n;
        if (used == cap) {
            char probe;
            /* Unknown length filled the buffer: one more byte means it is too large. */
            if (ri->content_length < 0 && mg_read(conn, &probe, 1) > 0) {
                free(body);
                mue_metric_inc(m_too_large);
                reply(conn, 413, "too_large", "body larger than MUE_INGEST_MAX_BODY", NULL);
                return NULL;
            }
            break;
        }
        n = mg_read(conn, body + used, cap - used);
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    if (ri->content_length >= 0 && used != (size_t)ri->content_length) {
        free(body);
        mue_metric_inc(m_bad_request);
        reply(conn, 400, "bad_request", "body shorter than Content-Length", NULL);
        return NULL;
    }
    body[used] = '\0';
    *len = used;
    return body;
}

static int publish_or_reply(struct mg_connection *conn, struct routes *r,
                            const struct webhook_uplink *u)
{
    char subject[96], extra[256], quoted[200];
    size_t len = 0;
    uint8_t *buf;
    int duplicate = 0, rc;

    if (uplink_subject(u, subject, sizeof(subject)) < 0) {
        mue_metric_inc(m_bad_request);
        return reply(conn, 400, "bad_request", "subject too long", NULL);
    }
    buf = uplink_pack(u, mue_time_now_us(), &len);
    rc = mue_bus_publish(r->bus, subject, buf, len, u->id, NULL, r->cfg->publish_timeout_ms,
                         &duplicate);
    free(buf);
    if (rc < 0) {
        mue_metric_inc(m_bus_down);
        return reply(conn, 503, "bus_unavailable", "the uplink could not be stored; retry", NULL);
    }
    mue_metric_inc(duplicate ? m_duplicate : m_accepted);
    mue_log_debug("uplink.accepted", "id=%s dev_eui=%s f_cnt=%u len=%zu duplicate=%d", u->id,
                  u->dev_eui, u->f_cnt, u->payload_len, duplicate);
    snprintf(extra, sizeof(extra), "\"id\":\"%s\",\"duplicate\":%s",
             mue_log_quote(quoted, sizeof(quoted), u->id), duplicate ? "true" : "false");
    return reply(conn, 202, NULL, NULL, extra);
}

static int handle(struct mg_connection *conn, struct routes *r, parse_fn parse)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    struct webhook_uplink *u = NULL;
    char reason[160] = "";
    size_t len = 0;
    char *body = NULL;
    int status;

    if (strcmp(ri->request_method, "POST") != 0) {
        mue_metric_inc(m_bad_method);
        return reply(conn, 405, "method_not_allowed", "use POST", NULL);
    }
    if (!authorized(conn, r->cfg->secret)) {
        mue_metric_inc(m_unauthorized);
        return reply(conn, 401, "unauthorized", "missing or wrong Authorization: Bearer secret",
                     NULL);
    }
    body = read_body_or_reply(conn, r->cfg->max_body, &len);
    if (body == NULL)
        return 400;
    u = mue_xcalloc(1, sizeof(*u));
    if (parse(body, len, u, reason, sizeof(reason)) < 0) {
        char quoted[200];
        mue_metric_inc(m_bad_request);
        mue_log_warn("webhook.rejected", "uri=%s len=%zu reason=\"%s\"", ri->local_uri, len,
                     mue_log_quote(quoted, sizeof(quoted), reason));
        status = reply(conn, 400, "bad_request", reason, NULL);
        goto out;
    }
    status = publish_or_reply(conn, r, u);
out:
    free(u);
    free(body);
    return status;
}

static int timed(struct mg_connection *conn, struct routes *r, parse_fn parse)
{
    int64_t t0 = mue_time_mono_ms();
    int status = handle(conn, r, parse);
    mue_metric_observe(m_seconds, (double)(mue_time_mono_ms() - t0) / 1000.0);
    return status;
}

static int handle_chirpstack(struct mg_connection *conn, void *cbdata)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    char event[32] = "";

    if (ri->query_string == NULL || mg_get_var(ri->query_string, strlen(ri->query_string), "event",
                                               event, sizeof(event)) <= 0) {
        mue_metric_inc(m_bad_request);
        return reply(conn, 400, "bad_request", "missing ?event= (ChirpStack sets it)", NULL);
    }
    if (strcmp(event, "up") != 0) {
        char reason[96], quoted[40];
        mue_metric_inc(m_bad_request);
        snprintf(reason, sizeof(reason), "event type '%s' is not handled by this version",
                 mue_log_quote(quoted, sizeof(quoted), event));
        return reply(conn, 400, "unsupported_event", reason, NULL);
    }
    return timed(conn, cbdata, webhook_chirpstack_parse_up);
}

static int handle_tts(struct mg_connection *conn, void *cbdata)
{
    return timed(conn, cbdata, webhook_tts_parse_uplink);
}

static int handle_other(struct mg_connection *conn, void *cbdata)
{
    (void)cbdata;
    mue_metric_inc(m_not_found);
    return reply(conn, 404, "not_found", "routes: POST /v1/chirpstack?event=up, POST /v1/tts",
                 NULL);
}

static int civetweb_log(const struct mg_connection *conn, const char *message)
{
    return mue_admin_civetweb_log(conn, message);
}

int routes_open(struct routes **out, const char *listen, long threads,
                const struct routes_config *cfg, struct mue_bus *bus)
{
    char nthreads[16];
    const char *options[] = { "listening_ports", listen, "num_threads", nthreads,
                              "request_timeout_ms", "10000", "enable_keep_alive", "yes",
                              "keep_alive_timeout_ms", "15000",
                              /* answers are small: Nagle would hold them for the peer's ACK */
                              "tcp_nodelay", "1", NULL };
    struct mg_callbacks cb;
    struct routes *r = mue_xcalloc(1, sizeof(*r));

    snprintf(nthreads, sizeof(nthreads), "%ld", threads);
    memset(&cb, 0, sizeof(cb));
    cb.log_message = civetweb_log;
    r->cfg = cfg;
    r->bus = bus;
    metrics_register();
    mg_init_library(0);
    r->ctx = mg_start(&cb, r, options);
    if (r->ctx == NULL) {
        mue_log_error("http.listen_failed", "listen=%s reason=\"port in use or bad address\"",
                      listen);
        mg_exit_library();
        free(r);
        return MUE_EINVAL;
    }
    mg_set_request_handler(r->ctx, "/v1/chirpstack$", handle_chirpstack, r);
    mg_set_request_handler(r->ctx, "/v1/tts$", handle_tts, r);
    mg_set_request_handler(r->ctx, "/", handle_other, r);
    mue_log_info("http.listening", "listen=%s threads=%ld", listen, threads);
    *out = r;
    return MUE_OK;
}

void routes_close(struct routes *r)
{
    if (r == NULL)
        return;
    mg_stop(r->ctx); /* joins the workers: requests in flight get their answer first */
    mg_exit_library();
    free(r);
}
