/* server.h - mue-api's HTTP server over the route table.
 * SPDX-License-Identifier: MIT */
#ifndef SERVER_H
#define SERVER_H

struct pool;
struct server;

/* What a client may send and how slowly (docs/limits.md). */
struct server_limits {
    long max_header_bytes;     /* request line and headers; more: 400 */
    long max_headers;          /* header fields; more: 431 */
    long max_json_depth;       /* nesting of a JSON body; deeper: 400 */
    long request_timeout_ms;   /* each read or write; a head slower than this: 408 */
    long keepalive_timeout_ms; /* idle wait for the next request on a kept connection */
};

struct server_opts {
    const char *listen;        /* "127.0.0.1:8080" */
    long threads;              /* civetweb workers: requests served at once */
    const char *cors_origin;   /* Access-Control-Allow-Origin, or NULL */
    double public_rate;        /* requests a second per address without a key; unknown keys too */
    double public_burst;       /* and at once */
    const char *web_root;      /* folder of the built site served outside /v1, or NULL */
    const char *opendata_root; /* mue-opendata's published folder, served as /opendata/, or NULL */
    struct server_limits limits;
};

/* Starts serving with connections from 'pool' (kept by reference), within o->limits: 408, 413,
 * 429 and 431 with a JSON reason, counted in mue_http_refused_total; sets the process's JSON
 * depth limit. Returns 0, or MUE_EINVAL when the address cannot be bound (logged). */
int server_start(struct server **out, const struct server_opts *o, struct pool *pool);

/* Finishes the requests in flight and stops. Accepts NULL. */
void server_stop(struct server *s);

#endif
