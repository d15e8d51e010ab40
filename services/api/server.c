/* server.c - mue-api's HTTP server: every request is matched against the route table, its caller
 * identified, its role checked against the route's, then handed to the handler with a database
 * connection from the pool; counted per route and class of status.
 * SPDX-License-Identifier: MIT */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

#include "auth.h"
#include "http.h"
#include "mue_admin.h"
#include "mue_err.h"
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

static int serve(struct server *s, struct api_req *r, const struct api_route *route)
{
    const struct mg_request_info *ri = mg_get_request_info(r->conn);
    int rc;

    /* The public is served within its budget, before it costs a database connection. */
    if (mg_get_header(r->conn, "Authorization") == NULL &&
        !ratelimit_allow(s->public_rate, ri->remote_addr, mue_time_mono_ms()))
        return api_error(r, 429, "rate_limited",
                         "too many requests from this address without a key; retry shortly");
    r->db = pool_get(s->pool, POOL_WAIT_MS);
    if (r->db == NULL)
        return api_error(r, 503, "database_unavailable", "no database connection is free or up");
    rc = auth_caller(r, mg_get_header(r->conn, "Authorization"));
    if (rc == MUE_EDB)
        rc = api_error(r, 503, "database_unavailable", "the API keys could not be read");
    else if (rc == MUE_EAUTH)
        rc = api_error(r, 401, "invalid_key", "the API key is unknown or revoked");
    else if ((route->roles & r->who.role) == 0 && r->who.role == API_PUBLIC)
        rc = api_error(r, 401, "key_required", "%s %s needs an API key", route->method,
                       route->pattern);
    else if ((route->roles & r->who.role) == 0)
        rc = api_error(r, 403, "forbidden", "the %s role may not call %s %s",
                       auth_role_name(r->who.role), route->method, route->pattern);
    else
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
    if (strcmp(r.method, "OPTIONS") == 0) {
        status = preflight(&r);
    } else if (is_opendata_request(s, &r)) {
        opendata = true;
        status = serve_opendata(s, conn, r.path);
    } else if ((route = routes_match(r.method, r.path, &r, &known)) == NULL && !known &&
               is_site_request(s, &r)) {
        site = true;
        status = site_serve(conn, s->web_root, r.path, "", NULL);
    } else if (route == NULL) {
        status =
            known ? api_error(&r, 405, "method_not_allowed", "%s is not allowed on %s", r.method,
                              r.path)
                  : api_error(&r, 404, "not_found", "no route %s (GET /v1/openapi.json)", r.path);
    } else {
        status = serve(s, &r, route);
    }
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
    char threads[16];
    /* tcp_nodelay: a streamed answer's last chunk must not wait for Nagle on a kept connection. */
    const char *options[] = { "listening_ports", o->listen, "num_threads", threads,
                              "request_timeout_ms", "30000", "enable_keep_alive", "yes",
                              "tcp_nodelay", "1",
                              /* the site's pages and assets: revalidated after 5 minutes */
                              "static_file_max_age", "300", NULL };
    struct mg_callbacks cb;
    struct server *s = mue_xcalloc(1, sizeof(*s));

    snprintf(threads, sizeof(threads), "%ld", o->threads);
    http_set_cors(o->cors_origin);
    s->pool = pool;
    s->web_root = o->web_root != NULL && o->web_root[0] != '\0' ? o->web_root : NULL;
    s->opendata_root =
        o->opendata_root != NULL && o->opendata_root[0] != '\0' ? o->opendata_root : NULL;
    current_pool = pool;
    s->public_rate = ratelimit_new(o->public_rate, o->public_burst);
    register_metrics(s);
    memset(&cb, 0, sizeof(cb));
    cb.log_message = civetweb_log;
    mg_init_library(0);
    s->ctx = mg_start(&cb, s, options);
    if (s->ctx == NULL) {
        mue_log_error("api.listen_failed", "listen=%s", o->listen);
        ratelimit_free(s->public_rate);
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
    free(s->count);
    free(s);
}
