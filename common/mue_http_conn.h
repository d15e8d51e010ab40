/* mue_http_conn.h - one kept-alive HTTP/1.1 connection for sending many requests to one server
 * fast (the simulator's webhooks, load tools); plain TCP, no TLS. Not thread-safe: one per thread.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_HTTP_CONN_H
#define MUE_HTTP_CONN_H

#include <stdbool.h>
#include <stddef.h>

struct mue_http_conn;

/* A connection to the server of 'base_url' ("http://host:port[/prefix]"), dialled on first use.
 * Returns 0, or MUE_EINVAL for a URL that is not plain http. */
int mue_http_conn_new(struct mue_http_conn **out, const char *base_url);
void mue_http_conn_free(struct mue_http_conn *c);

struct mue_http_conn_resp {
    int status;          /* HTTP status */
    char *body;          /* the caller's buffer, NUL-terminated, the rest of a longer body dropped */
    size_t cap;
    size_t len;
    long retry_after_s;  /* Retry-After in seconds, or -1 */
};

/* Sends 'method' 'path' (appended to the base URL's prefix) with the extra header lines
 * 'headers' ("Name: value", NULL-ended, or NULL) and the body, and reads the answer. Dials again
 * when the kept connection was closed by the server. Returns 0 when an answer came, whatever its
 * status; -ECONNREFUSED, -ECONNRESET (the connection broke: the server may have acted on the
 * request), MUE_ETIMEDOUT (no answer within 'timeout_ms'), MUE_EINVAL (a header with CR or LF),
 * or -EPROTO (not HTTP). After an error the connection is closed; the next call dials again.
 * A kept connection that turns out closed (no byte of an answer) is dialled again and the request
 * sent once more: only for requests the server treats as idempotent (webhooks with ids). */
int mue_http_conn_request(struct mue_http_conn *c, const char *method, const char *path,
                          const char *const *headers, const char *content_type, const void *body,
                          size_t len, long timeout_ms, struct mue_http_conn_resp *resp);

#endif
