/* server.c - mue-api's HTTP server: every request is matched against the route table, its caller
 * identified, its role checked against the route's, then handed to the handler with a database
 * connection from the pool; counted per route and class of status.
 * SPDX-License-Identifier: MIT */
#include "server.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

#include "auth.h"
#include "http.h"
#include "mue_admin.h"
#include "mue_err.h"
#include "mue_http_guard.h"
#include "mue_json_depth.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_metrics.h"
#include "mue_time.h"
#include "pool.h"
#include "ratelimit.h"
#include "routes.h"
#include "site_files.h"

#define POOL_WAIT_MS 2000

struct server {
    struct mg_context *ctx;
    struct pool *pool;
    struct ratelimit *public_rate;
    struct ratelimit *bad_keys; /* made-up keys, per address */
    struct server_limits limits;
    struct mue_metric **count; /* [route][class]: 2xx, 3xx, 4xx, 5xx */
    struct mue_metric *unrouted[4];
    struct mue_metric *site[4]; /* the web pages and their assets */
    const char *web_root;       /* NULL: no site */
    const char *opendata_root;  /* NULL: no /opendata/ */
    struct mue_metric *opendata[4];
    struct mue_metric *seconds;
};

static int civetweb_log(const struct mg_connection *conn, const char *message)
{
    return mue_admin_civetweb_log(conn, message);
}

static size_t status_class(int status)
{
    return status >= 500 ? 3 : status >= 400 ? 2 : status >= 300 ? 1 : 0;
}

/* Counts an answer under its route, or under 'other' (the site's, the open data's, no route's
 * counters by status class). */
static void count(struct server *s, const struct api_route *route, struct mue_metric **other,
                  int status, int64_t t0)
{
    size_t c = status_class(status);

    if (route != NULL)
        mue_metric_inc(s->count[(size_t)(route - api_routes) * 4 + c]);
    else
        mue_metric_inc(other[c]);
    mue_metric_observe(s->seconds, (double)(mue_time_mono_ms() - t0) / 1000.0);
}

/* A CORS preflight: the methods and headers a browser may use. */
static int preflight(struct api_req *r)
{
    mg_response_header_start(r->conn, 204);
    http_common_headers(r->conn);
    mg_response_header_add(r->conn, "Access-Control-Allow-Methods",
                           "GET, HEAD, POST, PUT, DELETE, OPTIONS", -1);
    mg_response_header_add(r->conn, "Access-Control-Allow-Headers", "Authorization, Content-Type",
                           -1);
    mg_response_header_add(r->conn, "Access-Control-Max-Age", "600", -1);
    mg_response_header_send(r->conn);
    return 204;
}

/* The pool of the running server, for api_release_db (one server per process). */
static struct pool *current_pool;

void api_release_db(struct api_req *r)
{
    if (r->db != NULL && current_pool != NULL)
        pool_put(current_pool, r->db);
    r->db = NULL;
}

/* Answers an error before the handler has read the request's body: the connection closes after
 * it rather than civetweb reading the unread body at the client's pace. */
static int refuse(struct api_req *r, int status, const char *error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int refuse(struct api_req *r, int status, const char *error, const char *fmt, ...)
{
    char reason[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    mue_http_guard_body_unread(r->conn);
    return api_error(r, status, error, "%s", reason);
}

/* The checks before a route's handler: the public's budget, the budget of made-up keys, a
 * database connection, the caller's key and role. Returns 0 when the handler may run, else the
 * status answered. */
static int admit(struct server *s, struct api_req *r, const struct api_route *route)
{
    const struct mg_request_info *ri = mg_get_request_info(r->conn);
    const char *authorization = mg_get_header(r->conn, "Authorization");
    int64_t now = mue_time_mono_ms();
    int rc;

    /* The public is served within its budget, before it costs a database connection; so is a
     * caller whose made-up keys have spent theirs, lest a key of any kind skip the budget. */
    if (authorization == NULL && !ratelimit_allow(s->public_rate, ri->remote_addr, now)) {
        mue_http_guard_count(MUE_HTTP_RATE_LIMITED);
        return refuse(r, 429, "rate_limited",
                      "too many requests from this address without a key; retry shortly");
    }
    if (authorization != NULL && ratelimit_exhausted(s->bad_keys, ri->remote_addr, now)) {
        mue_http_guard_count(MUE_HTTP_BAD_KEYS);
        return refuse(r, 429, "rate_limited",
                      "too many unknown API keys from this address; retry later");
    }
    r->db = pool_get(s->pool, POOL_WAIT_MS);
    if (r->db == NULL)
        return refuse(r, 503, "database_unavailable", "no database connection is free or up");
    rc = auth_caller(r, authorization);
    if (rc == MUE_EAUTH)
        ratelimit_spend(s->bad_keys, ri->remote_addr, mue_time_mono_ms());
    if (rc == MUE_EDB)
        return refuse(r, 503, "database_unavailable", "the API keys could not be read");
    if (rc == MUE_EAUTH)
        return refuse(r, 401, "invalid_key", "the API key is unknown or revoked");
    if ((route->roles & r->who.role) == 0 && r->who.role == API_PUBLIC)
        return refuse(r, 401, "key_required", "%s %s needs an API key", route->method,
                      route->pattern);
    if ((route->roles & r->who.role) == 0)
        return refuse(r, 403, "forbidden", "the %s role may not call %s %s",
                      auth_role_name(r->who.role), route->method, route->pattern);
    return 0;
}

static int serve(struct server *s, struct api_req *r, const struct api_route *route)
{
    int rc;

    rc = admit(s, r, route);
    if (rc == 0)
        rc = route->handler(r);
    if (r->db != NULL)
        pool_put(s->pool, r->db);
    r->db = NULL;
    auth_caller_free(&r->who);
    return rc;
}

/* Everything outside /v1 that a browser reads is the site's, when there is one. */
static bool is_site_request(const struct server *s, const struct api_req *r)
{
    return s->web_root != NULL &&
           (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) &&
           strncmp(r->path, "/v1/", 4) != 0 && strcmp(r->path, "/v1") != 0;
}

/* The open data files: /opendata/... is a file of mue-opendata's published folder. */
static bool is_opendata_request(const struct server *s, const struct api_req *r)
{
    return s->opendata_root != NULL &&
           (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) &&
           (strcmp(r->path, "/opendata") == 0 || strncmp(r->path, "/opendata/", 10) == 0);
}

/* Any site may fetch the open data (a portal's preview, a citizen's notebook). */
static int serve_opendata(struct server *s, struct mg_connection *conn, const char *path)
{
    const char *sub = path + strlen("/opendata");

    if (*sub == '\0') {
        mg_response_header_start(conn, 301);
        mg_response_header_add(conn, "Location", "/opendata/", -1);
        mg_response_header_add(conn, "Content-Length", "0", -1);
        mg_response_header_send(conn);
        return 301;
    }
    return site_serve(conn, s->opendata_root, sub, "/opendata",
                      "Access-Control-Allow-Origin: *\r\n");
}

static int handle(struct mg_connection *conn, void *arg)
{
    struct server *s = arg;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    struct api_req r;
    const struct api_route *route = NULL;
    int64_t t0 = mue_time_mono_ms();
    bool known, site = false, opendata = false;
    int status;

    memset(&r, 0, sizeof(r));
    r.conn = conn;
    r.method = ri->request_method;
    r.path = ri->local_uri;
    r.query = ri->query_string;
    r.who.role = API_PUBLIC;
    if (mue_http_guard_headers(conn, s->limits.max_headers) != 0) {
        status = 431;
    } else if (strcmp(r.method, "OPTIONS") == 0) {
        mue_http_guard_body_unread(conn);
        status = preflight(&r);
    } else if (is_opendata_request(s, &r)) {
        opendata = true;
        mue_http_guard_body_unread(conn);
        status = serve_opendata(s, conn, r.path);
    } else if ((route = routes_match(r.method, r.path, &r, &known)) == NULL && !known &&
               is_site_request(s, &r)) {
        site = true;
        mue_http_guard_body_unread(conn);
        status = site_serve(conn, s->web_root, r.path, "", NULL);
    } else if (route == NULL) {
        mue_http_guard_body_unread(conn);
        status =
            known ? api_error(&r, 405, "method_not_allowed", "%s is not allowed on %s", r.method,
                              r.path)
                  : api_error(&r, 404, "not_found", "no route %s (GET /v1/openapi.json)", r.path);
    } else {
        status = serve(s, &r, route);
        /* A handler that refused may have left the body unread; its answer is out, but the
         * connection can still end instead of civetweb reading the rest. */
        if (status >= 400)
            mue_http_guard_body_unread(conn);
    }
    if (status == 413) /* a handler's body over its route's size (api_body_json) */
        mue_http_guard_count(MUE_HTTP_BODY_TOO_LARGE);
    count(s, route, opendata ? s->opendata : site ? s->site : s->unrouted, status, t0);
    mue_log_debug("api.request", "method=%s path=%s status=%d ms=%lld", r.method, r.path, status,
                  (long long)(mue_time_mono_ms() - t0));
    return status;
}

static void register_metrics(struct server *s)
{
    static const char *const classes[] = { "2xx", "3xx", "4xx", "5xx" };
    static const double bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1, 5 };
    char labels[256];

    s->count = mue_xcalloc(api_nroutes * 4, sizeof(*s->count));
    for (size_t i = 0; i < api_nroutes; i++) {
        for (size_t c = 0; c < 4; c++) {
            snprintf(labels, sizeof(labels), "method=\"%s\",route=\"%s\",class=\"%s\"",
                     api_routes[i].method, api_routes[i].pattern, classes[c]);
            s->count[i * 4 + c] =
                mue_metrics_counter("mue_api_requests_total", labels, "Requests answered");
        }
    }
    for (size_t c = 0; c < 4; c++) {
        snprintf(labels, sizeof(labels), "method=\"\",route=\"none\",class=\"%s\"", classes[c]);
        s->unrouted[c] = mue_metrics_counter("mue_api_requests_total", labels, "Requests answered");
        snprintf(labels, sizeof(labels), "method=\"GET\",route=\"site\",class=\"%s\"", classes[c]);
        s->site[c] = mue_metrics_counter("mue_api_requests_total", labels, "Requests answered");
        snprintf(labels, sizeof(labels), "method=\"GET\",route=\"opendata\",class=\"%s\"",
                 classes[c]);
        s->opendata[c] = mue_metrics_counter("mue_api_requests_total", labels, "Requests answered");
    }
    s->seconds =
        mue_metrics_histogram("mue_api_request_seconds", NULL, "Time from request to answer",
                              bounds, sizeof(bounds) / sizeof(bounds[0]));
}

int server_start(struct server **out, const struct server_opts *o, struct pool *pool)
{
    char threads[16], head_bytes[24], request_ms[24], keepalive_ms[24];
    /* tcp_nodelay: a streamed answer's last chunk must not wait for Nagle on a kept connection. */
    const char *options[] = { "listening_ports", o->listen, "num_threads", threads,
                              "request_timeout_ms", request_ms, "enable_keep_alive", "yes",
                              "keep_alive_timeout_ms", keepalive_ms, "max_request_size", head_bytes,
                              "tcp_nodelay", "1",
                              /* the site's pages and assets: revalidated after 5 minutes */
                              "static_file_max_age", "300", NULL };
    struct mg_callbacks cb;
    struct server *s = mue_xcalloc(1, sizeof(*s));

    snprintf(threads, sizeof(threads), "%ld", o->threads);
    snprintf(head_bytes, sizeof(head_bytes), "%ld", o->limits.max_header_bytes);
    snprintf(request_ms, sizeof(request_ms), "%ld", o->limits.request_timeout_ms);
    snprintf(keepalive_ms, sizeof(keepalive_ms), "%ld", o->limits.keepalive_timeout_ms);
    mue_json_depth_set_limit((int)o->limits.max_json_depth);
    http_set_cors(o->cors_origin);
    s->pool = pool;
    s->web_root = o->web_root != NULL && o->web_root[0] != '\0' ? o->web_root : NULL;
    s->opendata_root =
        o->opendata_root != NULL && o->opendata_root[0] != '\0' ? o->opendata_root : NULL;
    current_pool = pool;
    s->public_rate = ratelimit_new(o->public_rate, o->public_burst);
    /* An unknown key gets no more than no key would: the public's budget, in its own bucket so
     * that a crowd behind one address spending theirs does not lock out its keyed callers. */
    s->bad_keys = ratelimit_new(o->public_rate, o->public_burst);
    s->limits = o->limits;
    register_metrics(s);
    memset(&cb, 0, sizeof(cb));
    cb.log_message = civetweb_log;
    mue_http_guard_callbacks(&cb);
    mg_init_library(0);
    s->ctx = mg_start(&cb, s, options);
    if (s->ctx == NULL) {
        mue_log_error("api.listen_failed", "listen=%s", o->listen);
        ratelimit_free(s->public_rate);
        ratelimit_free(s->bad_keys);
        free(s->count);
        free(s);
        return MUE_EINVAL;
    }
    mg_set_request_handler(s->ctx, "/", handle, s);
    *out = s;
    return MUE_OK;
}

void server_stop(struct server *s)
{
    if (s == NULL)
        return;
    mg_stop(s->ctx);
    ratelimit_free(s->public_rate);
    ratelimit_free(s->bad_keys);
    free(s->count);
    free(s);
}
