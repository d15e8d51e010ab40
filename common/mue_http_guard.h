/* mue_http_guard.h - the limits every civetweb server of mue holds a client to before and
 * around its handlers: civetweb's own refusals (a head too large, too slow or malformed)
 * answered as JSON, the number of headers, and one counter per refusal.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_HTTP_GUARD_H
#define MUE_HTTP_GUARD_H

#include <stdbool.h>

struct mg_callbacks;
struct mg_connection;

/* Why a request was refused: the label of mue_http_refused_total{reason=...}. */
enum mue_http_refusal {
    /* A head civetweb would not read: 400. civetweb 1.15 says "Malformed message" alike to a
     * head over max_request_size and to one with control bytes (a TLS hello on a plain port),
     * so one answer names both. */
    MUE_HTTP_BAD_HEAD,
    MUE_HTTP_TOO_MANY_HEADERS, /* 431 */
    MUE_HTTP_HEAD_TIMEOUT,     /* the head not complete within request_timeout_ms: 408 */
    MUE_HTTP_BODY_TOO_LARGE,   /* 413 */
    MUE_HTTP_BODY_TIMEOUT,     /* the body not complete within its deadline: 408 */
    MUE_HTTP_JSON_TOO_DEEP,    /* 400 */
    MUE_HTTP_RATE_LIMITED,     /* the public's budget spent: 429 */
    MUE_HTTP_BAD_KEYS,         /* too many unknown keys from one address: 429 */
    MUE_HTTP_REFUSAL_COUNT
};

/* Sets the callbacks of a civetweb server that the guard needs and leaves the others alone:
 * http_error answers civetweb's own errors as {"error","reason"} JSON, closes the connection and
 * counts its refusals of a head; init_connection and end_request time each request's head, so that
 * a head cut by request_timeout_ms (or keep_alive_timeout_ms on a reused connection) is answered
 * 408 rather than civetweb's 400. Registers the counters on first use. */
void mue_http_guard_callbacks(struct mg_callbacks *cb);

/* civetweb keeps the first 64 headers of a request (MG_MAX_HEADERS, fixed when Debian built it)
 * and drops the rest without a word, so a Content-Length or an Authorization past them would go
 * unseen. Answers 431 (JSON reason, connection closed, counted) to a request with more than
 * 'max' headers or with as many as civetweb holds; 'max' above 63 is taken as 63.
 * Returns 0 when the request may go on, else 431. */
int mue_http_guard_headers(struct mg_connection *conn, long max);

/* Answers 'status' with {"error": error, "reason": reason} JSON and a Content-Length, and closes
 * the connection after it (what the client sent next is not read). Returns 'status'. */
int mue_http_guard_refuse(struct mg_connection *conn, int status, const char *error,
                          const char *reason);

/* To be called before answering a request whose body will stay unread (a refusal before or
 * while reading it). civetweb would otherwise read the rest of the body, at the client's pace and
 * whatever its announced length, to reach the connection's next request: a refused client could
 * hold a worker as long as it liked. When a body was announced, the answer says
 * "Connection: close" and the connection ends after it. */
void mue_http_guard_body_unread(struct mg_connection *conn);

/* Counts a refusal a handler answered itself. Thread-safe. */
void mue_http_guard_count(enum mue_http_refusal why);

/* The count so far, for tests. */
long long mue_http_guard_counted(enum mue_http_refusal why);

#endif
