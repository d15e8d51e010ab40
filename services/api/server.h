/* server.h - mue-api's HTTP server over the route table.
 * SPDX-License-Identifier: MIT */
#ifndef SERVER_H
#define SERVER_H

struct pool;
struct server;

struct server_opts {
    const char *listen;      /* "127.0.0.1:8080" */
    long threads;            /* civetweb workers: requests served at once */
    const char *cors_origin; /* Access-Control-Allow-Origin, or NULL */
    double public_rate;      /* requests a second per address without a key */
    double public_burst;     /* and at once */
    const char *web_root;    /* folder of the built site served outside /v1, or NULL */
    const char *opendata_root; /* mue-opendata's published folder, served as /opendata/, or NULL */
};

/* Starts serving with connections from 'pool' (kept by reference). Returns 0, or MUE_EINVAL when
 * the address cannot be bound (logged). */
int server_start(struct server **out, const struct server_opts *o, struct pool *pool);

/* Finishes the requests in flight and stops. Accepts NULL. */
void server_stop(struct server *s);

#endif
