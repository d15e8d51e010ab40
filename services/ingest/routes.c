/* routes.c - webhook requests: authenticate, bound, parse, publish, answer.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <civetweb.h>

#include "auth.h"
#include "event_pack.h"
#include "mue_admin.h"
#include "mue_bus.h"
#include "mue_err.h"
#include "mue_http_guard.h"
#include "mue_json_depth.h"
#include "mue_kv.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_metrics.h"
#include "mue_subjects.h"
#include "mue_time.h"
#include "reply.h"
#include "routes.h"
#include "webhook.h"
#include "webhook_json.h"

/* What became of a request, one counter per source and outcome. */
enum outcome {
    OUT_ACCEPTED,
    OUT_DUPLICATE,
    OUT_BAD_REQUEST,
    OUT_UNSUPPORTED,
    OUT_UNAUTHORIZED,
    OUT_TOO_LARGE,
    OUT_BAD_METHOD,
    OUT_BUS_DOWN,
    OUT_TIMEOUT,
    OUT_TOO_MANY_HEADERS,
    OUT_COUNT
};

static const char *const outcome_names[OUT_COUNT] = {
    "accepted",  "duplicate",          "bad_request",     "unsupported_event", "unauthorized",
    "too_large", "method_not_allowed", "bus_unavailable", "timeout",           "too_many_headers",
};

struct routes;

/* One request once authenticated and read. */
struct request {
    struct mg_connection *conn;
    const char *body;
    size_t len;
    char dev_eui[17]; /* SenML: the device its token names */
};

typedef int (*parse_fn)(const struct request *req, struct webhook_event *ev, char *reason,
                        size_t cap);

struct source {
    const char *name; /* metrics label and log field */
    const char *path;
    parse_fn parse;
    bool device_tokens; /* authenticated by each device's token rather than a shared secret */
    const char *secret;
    struct mue_metric *counter[OUT_COUNT];
};

enum { SRC_CHIRPSTACK, SRC_TTS, SRC_THINGPARK, SRC_LIVEOBJECTS, SRC_SENML, SRC_COUNT };

struct routes {
    struct mg_context *ctx;
    const struct routes_config *cfg;
    struct mue_bus *bus;
    struct mue_kv *tokens;        /* device tokens (SenML) */
    struct mue_kv *downlink_refs; /* ChirpStack queue item id -> downlink id */
    struct source src[SRC_COUNT];
    struct mue_metric *not_found, *seconds, *untraced;
};

/* A ChirpStack body is JSON unless the integration's marshaler is Protobuf, which ChirpStack
 * announces with its Content-Type. */
static bool is_protobuf(struct mg_connection *conn)
{
    const char *ct = mg_get_header(conn, "Content-Type");
    return ct != NULL && (strncasecmp(ct, "application/octet-stream", 24) == 0 ||
                          strncasecmp(ct, "application/x-protobuf", 22) == 0 ||
                          strncasecmp(ct, "application/protobuf", 20) == 0);
}

static int parse_chirpstack(const struct request *req, struct webhook_event *ev, char *reason,
                            size_t cap)
{
    const struct mg_request_info *ri = mg_get_request_info(req->conn);
    char event[32] = "";

    if (ri->query_string == NULL || mg_get_var(ri->query_string, strlen(ri->query_string), "event",
                                               event, sizeof(event)) <= 0) {
        snprintf(reason, cap, "missing ?event= (ChirpStack sets it)");
        return MUE_EDECODE;
    }
    return webhook_chirpstack_parse(event, req->body, req->len, is_protobuf(req->conn), ev, reason,
                                    cap);
}

static int parse_tts(const struct request *req, struct webhook_event *ev, char *reason, size_t cap)
{
    return webhook_tts_parse(req->body, req->len, ev, reason, cap);
}

static int parse_thingpark(const struct request *req, struct webhook_event *ev, char *reason,
                           size_t cap)
{
    return webhook_thingpark_parse(req->body, req->len, ev, reason, cap);
}

static int parse_liveobjects(const struct request *req, struct webhook_event *ev, char *reason,
                             size_t cap)
{
    return webhook_liveobjects_parse(req->body, req->len, ev, reason, cap);
}

/* A device may name each pack with an Idempotency-Key header: its retries are then recognised
 * even when the pack's times are relative to the moment of reception. */
static int parse_senml(const struct request *req, struct webhook_event *ev, char *reason,
                       size_t cap)
{
    const char *key = mg_get_header(req->conn, "Idempotency-Key");
    int rc;

    if (key != NULL && !webhook_json_is_token(key, 64)) {
        snprintf(reason, cap, "Idempotency-Key: not 1 to 64 printable characters without spaces");
        return MUE_EDECODE;
    }
    rc = webhook_senml_parse(req->body, req->len, req->dev_eui, mue_time_now_us(), ev, reason, cap);
    if (rc == 0 && key != NULL)
        snprintf(ev->up.id, sizeof(ev->up.id), "senml:%s:key:%s", req->dev_eui, key);
    return rc;
}

static void count(struct source *s, enum outcome o)
{
    mue_metric_inc(s->counter[o]);
}

/* Checks the caller before the body is read. Returns 0, or the status already answered. */
static int authenticate(struct routes *r, struct source *s, struct request *req)
{
    const char *token = auth_bearer(req->conn);
    int rc;

    if (!s->device_tokens) {
        if (token != NULL && auth_secret_matches(token, s->secret))
            return 0;
        count(s, OUT_UNAUTHORIZED);
        mue_http_guard_body_unread(req->conn);
        return reply_error(req->conn, 401, "unauthorized",
                           "missing or wrong Authorization: Bearer secret");
    }
    rc = auth_device_token(r->tokens, token, req->dev_eui);
    if (rc == 0)
        return 0;
    mue_http_guard_body_unread(req->conn);
    if (rc == MUE_EBUS) {
        count(s, OUT_BUS_DOWN);
        return reply_error(req->conn, 503, "bus_unavailable",
                           "device tokens cannot be read now; retry");
    }
    count(s, OUT_UNAUTHORIZED);
    return reply_error(req->conn, 401, "unauthorized",
                       "missing or unknown device token in Authorization: Bearer");
}

/* A body is read in pieces this large, the deadline looked at between them: civetweb's own
 * timeout only bounds each silence, so a client trickling a byte at a time would otherwise hold
 * a worker for as long as it liked. A fast body costs a few more calls, no more. */
#define BODY_PIECE 1024

static int body_too_large(struct source *s, struct mg_connection *conn)
{
    count(s, OUT_TOO_LARGE);
    mue_http_guard_body_unread(conn);
    mue_http_guard_count(MUE_HTTP_BODY_TOO_LARGE);
    return reply_error(conn, 413, "too_large", "body larger than MUE_INGEST_MAX_BODY");
}

static int body_too_slow(struct source *s, struct mg_connection *conn, long timeout_ms)
{
    char reason[120];

    count(s, OUT_TIMEOUT);
    mue_http_guard_count(MUE_HTTP_BODY_TIMEOUT);
    mue_http_guard_body_unread(conn);
    snprintf(reason, sizeof(reason),
             "the body did not arrive within %ld ms (MUE_INGEST_REQUEST_TIMEOUT_MS)", timeout_ms);
    return reply_error(conn, 408, "request_timeout", reason);
}

/* Reads the whole body into a buffer of at most max bytes within the request timeout. Returns it
 * (caller frees) with *len, or NULL after answering 413 or 408 itself, that status in *status. */
static char *read_body_or_reply(struct source *s, struct mg_connection *conn,
                                const struct routes_config *cfg, size_t *len, int *status)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    int64_t deadline = mue_time_mono_ms() + cfg->request_timeout_ms;
    size_t cap, used = 0;
    char *body;

    if (ri->content_length > cfg->max_body) {
        *status = body_too_large(s, conn);
        return NULL;
    }
    cap = ri->content_length >= 0 ? (size_t)ri->content_length : (size_t)cfg->max_body;
    body = mue_xmalloc(cap + 1);
    for (;;) {
        size_t want = cap - used < BODY_PIECE ? cap - used : BODY_PIECE;
        int n;
        if (used == cap) {
            char probe;
            /* Unknown length filled the buffer: one more byte means it is too large. */
            if (ri->content_length < 0 && mg_read(conn, &probe, 1) > 0) {
                free(body);
                *status = body_too_large(s, conn);
                return NULL;
            }
            break;
        }
        if (mue_time_mono_ms() > deadline)
            break;
        n = mg_read(conn, body + used, want);
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    /* Short of its length: the client went silent past civetweb's timeout, or trickled past the
     * deadline, or hung up (then nobody reads the answer). */
    if ((ri->content_length >= 0 && used != (size_t)ri->content_length) ||
        (ri->content_length < 0 && used < cap && mue_time_mono_ms() > deadline)) {
        free(body);
        *status = body_too_slow(s, conn, cfg->request_timeout_ms);
        return NULL;
    }
    body[used] = '\0';
    *len = used;
    return body;
}

/* A downlink event that names only the network server's queue item (ChirpStack) gets the id of
 * the request mue-ingest forwarded, which the forwarder recorded when the item was queued. */
static void trace_downlink(struct routes *r, struct webhook_event *ev)
{
    char key[128];
    int rc;

    if (ev->kind != WEBHOOK_DOWNLINK_STATUS || ev->dl.downlink_id[0] != '\0' ||
        ev->dl.network_ref[0] == '\0')
        return;
    snprintf(key, sizeof(key), "%s.%s", ev->up.network, ev->dl.network_ref);
    rc = mue_kv_get(r->downlink_refs, key, ev->dl.downlink_id, sizeof(ev->dl.downlink_id));
    if (rc < 0) {
        ev->dl.downlink_id[0] = '\0';
        mue_metric_inc(r->untraced);
        mue_log_warn("downlink.untraced", "network=%s dev_eui=%s network_ref=%s rc=%d",
                     ev->up.network, ev->up.dev_eui, ev->dl.network_ref, rc);
    }
}

/* Stores one event. Returns 0, or MUE_EBUS; *duplicate says JetStream had it already. */
static int publish(struct routes *r, const struct webhook_event *ev, int *duplicate)
{
    struct event_message m;
    int rc = event_pack(ev, mue_time_now_us(), &m);

    if (rc < 0)
        return rc;
    rc = mue_bus_publish(r->bus, m.subject, m.data, m.len, m.msg_id, NULL,
                         r->cfg->publish_timeout_ms, duplicate);
    free(m.data);
    return rc;
}

/* The further downlinks one event reports on, each as its own status "<event id>:<n>". */
static int publish_more(struct routes *r, struct webhook_event *ev)
{
    struct webhook_event *one;
    int rc = 0, duplicate = 0;

    if (ev->kind != WEBHOOK_DOWNLINK_STATUS || ev->dl.n_more_ids == 0)
        return 0;
    one = mue_xmalloc(sizeof(*one));
    for (size_t i = 0; rc == 0 && i < ev->dl.n_more_ids; i++) {
        *one = *ev;
        one->dl.n_more_ids = 0;
        memcpy(one->dl.downlink_id, ev->dl.more_ids[i], sizeof(one->dl.downlink_id));
        /* Event ids are bounded well below the buffer: the suffix always fits. */
        if (snprintf(one->up.id, sizeof(one->up.id), "%.140s:%u", ev->up.id, (unsigned)(i + 1)) < 0)
            break;
        rc = publish(r, one, &duplicate);
    }
    free(one);
    return rc;
}

static int publish_or_reply(struct routes *r, struct source *s, struct mg_connection *conn,
                            struct webhook_event *ev)
{
    int duplicate = 0, rc;

    trace_downlink(r, ev);
    rc = publish(r, ev, &duplicate);
    if (rc == 0)
        rc = publish_more(r, ev);
    if (rc == MUE_E2BIG) {
        count(s, OUT_BAD_REQUEST);
        return reply_error(conn, 400, "bad_request", "subject too long");
    }
    if (rc < 0) {
        count(s, OUT_BUS_DOWN);
        return reply_error(conn, 503, "bus_unavailable", "the event could not be stored; retry");
    }
    count(s, duplicate ? OUT_DUPLICATE : OUT_ACCEPTED);
    mue_log_debug("event.accepted", "source=%s kind=%s id=%s dev_eui=%s duplicate=%d", s->name,
                  event_kind_name(ev->kind), ev->up.id, ev->up.dev_eui, duplicate);
    return reply_accepted(conn, event_kind_name(ev->kind), ev->up.id, duplicate != 0);
}

static int handle(struct routes *r, struct source *s, struct mg_connection *conn)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    struct request req = { conn, NULL, 0, "" };
    struct webhook_event *ev;
    char reason[200] = "", quoted[240];
    char *body;
    int rc, status;

    if (mue_http_guard_headers(conn, r->cfg->max_headers) != 0) {
        count(s, OUT_TOO_MANY_HEADERS);
        return 431;
    }
    if (strcmp(ri->request_method, "POST") != 0) {
        count(s, OUT_BAD_METHOD);
        mue_http_guard_body_unread(conn);
        return reply_error(conn, 405, "method_not_allowed", "use POST");
    }
    status = authenticate(r, s, &req);
    if (status != 0)
        return status;
    body = read_body_or_reply(s, conn, r->cfg, &req.len, &status);
    if (body == NULL)
        return status;
    req.body = body;
    ev = mue_xcalloc(1, sizeof(*ev));
    rc = s->parse(&req, ev, reason, sizeof(reason));
    if (rc < 0) {
        bool unsupported = rc == MUE_ENOTSUP;
        count(s, unsupported ? OUT_UNSUPPORTED : OUT_BAD_REQUEST);
        mue_log_warn("webhook.rejected", "source=%s len=%zu reason=\"%s\"", s->name, req.len,
                     mue_log_quote(quoted, sizeof(quoted), reason));
        status = reply_error(conn, 400, unsupported ? "unsupported_event" : "bad_request",
                             reason[0] != '\0' ? reason : "unreadable body");
    } else {
        status = publish_or_reply(r, s, conn, ev);
    }
    free(ev);
    free(body);
    return status;
}

static int dispatch(struct mg_connection *conn, void *cbdata)
{
    struct source *s = cbdata;
    struct routes *r = mg_get_user_data(mg_get_context(conn));
    int64_t t0 = mue_time_mono_ms();
    int status = handle(r, s, conn);

    mue_metric_observe(r->seconds, (double)(mue_time_mono_ms() - t0) / 1000.0);
    return status;
}

static int handle_other(struct mg_connection *conn, void *cbdata)
{
    struct routes *r = cbdata;

    if (mue_http_guard_headers(conn, r->cfg->max_headers) != 0)
        return 431;
    mue_metric_inc(r->not_found);
    mue_http_guard_body_unread(conn);
    return reply_error(conn, 404, "not_found",
                       "routes: POST /v1/chirpstack?event=<type>, /v1/tts, /v1/thingpark, "
                       "/v1/liveobjects, /v1/senml");
}

static int civetweb_log(const struct mg_connection *conn, const char *message)
{
    return mue_admin_civetweb_log(conn, message);
}

static const char *or_default(const char *secret, const char *fallback)
{
    return secret != NULL && secret[0] != '\0' ? secret : fallback;
}

static void sources_init(struct routes *r)
{
    static const double bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                     0.1,   0.25,   0.5,   1,    2.5,   5 };
    const struct routes_config *c = r->cfg;
    const struct source table[SRC_COUNT] = {
        { "chirpstack",
          "/v1/chirpstack$",
          parse_chirpstack,
          false,
          or_default(c->secret_chirpstack, c->secret),
          { NULL } },
        { "tts", "/v1/tts$", parse_tts, false, or_default(c->secret_tts, c->secret), { NULL } },
        { "thingpark",
          "/v1/thingpark$",
          parse_thingpark,
          false,
          or_default(c->secret_thingpark, c->secret),
          { NULL } },
        { "liveobjects",
          "/v1/liveobjects$",
          parse_liveobjects,
          false,
          or_default(c->secret_liveobjects, c->secret),
          { NULL } },
        { "senml", "/v1/senml$", parse_senml, true, NULL, { NULL } },
    };

    for (int i = 0; i < SRC_COUNT; i++) {
        r->src[i] = table[i];
        for (int o = 0; o < OUT_COUNT; o++) {
            char labels[96];
            snprintf(labels, sizeof(labels), "source=\"%s\",outcome=\"%s\"", table[i].name,
                     outcome_names[o]);
            r->src[i].counter[o] = mue_metrics_counter("mue_ingest_requests_total", labels,
                                                       "Webhook requests by source and outcome");
        }
    }
    r->not_found =
        mue_metrics_counter("mue_ingest_requests_total", "source=\"none\",outcome=\"not_found\"",
                            "Webhook requests by source and outcome");
    r->untraced = mue_metrics_counter(
        "mue_ingest_downlink_events_untraced_total", NULL,
        "Network-server downlink events whose queue item no forwarded downlink matches");
    r->seconds =
        mue_metrics_histogram("mue_ingest_request_seconds", NULL, "Time from request to answer",
                              bounds, sizeof(bounds) / sizeof(bounds[0]));
}

int routes_open(struct routes **out, const char *listen, long threads,
                const struct routes_config *cfg, struct mue_bus *bus)
{
    char nthreads[16], head_bytes[24], request_ms[24], keepalive_ms[24];
    const char *options[] = { "listening_ports", listen, "num_threads", nthreads,
                              "request_timeout_ms", request_ms, "enable_keep_alive", "yes",
                              "keep_alive_timeout_ms", keepalive_ms, "max_request_size", head_bytes,
                              /* answers are small: Nagle would hold them for the peer's ACK */
                              "tcp_nodelay", "1", NULL };
    struct mg_callbacks cb;
    struct routes *r = mue_xcalloc(1, sizeof(*r));

    r->cfg = cfg;
    r->bus = bus;
    if (mue_kv_open(&r->tokens, bus, MUE_KV_DEVICE_TOKENS, 0) < 0 ||
        mue_kv_open(&r->downlink_refs, bus, MUE_KV_DOWNLINK_REFS, MUE_KV_DOWNLINK_REFS_TTL_S) < 0) {
        mue_kv_close(r->tokens);
        free(r);
        return MUE_EBUS;
    }
    sources_init(r);
    snprintf(nthreads, sizeof(nthreads), "%ld", threads);
    snprintf(head_bytes, sizeof(head_bytes), "%ld", cfg->max_header_bytes);
    snprintf(request_ms, sizeof(request_ms), "%ld", cfg->request_timeout_ms);
    snprintf(keepalive_ms, sizeof(keepalive_ms), "%ld", cfg->keepalive_timeout_ms);
    mue_json_depth_set_limit((int)cfg->max_json_depth);
    memset(&cb, 0, sizeof(cb));
    cb.log_message = civetweb_log;
    mue_http_guard_callbacks(&cb);
    mg_init_library(0);
    r->ctx = mg_start(&cb, r, options);
    if (r->ctx == NULL) {
        mue_log_error("http.listen_failed", "listen=%s reason=\"port in use or bad address\"",
                      listen);
        mg_exit_library();
        mue_kv_close(r->tokens);
        mue_kv_close(r->downlink_refs);
        free(r);
        return MUE_EINVAL;
    }
    for (int i = 0; i < SRC_COUNT; i++)
        mg_set_request_handler(r->ctx, r->src[i].path, dispatch, &r->src[i]);
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
    mue_kv_close(r->tokens);
    mue_kv_close(r->downlink_refs);
    free(r);
}
