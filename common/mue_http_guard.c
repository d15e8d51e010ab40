/* mue_http_guard.c - civetweb's own refusals as JSON, the header count, a counter per refusal.
 * SPDX-License-Identifier: MIT */
#include "mue_http_guard.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

#include "mue_log.h"
#include "mue_metrics.h"
#include "mue_time.h"

static const char *const refusal_names[MUE_HTTP_REFUSAL_COUNT] = {
    "bad_head",     "too_many_headers", "head_timeout", "body_too_large",
    "body_timeout", "json_too_deep",    "rate_limited", "bad_keys",
};

static struct mue_metric *refused[MUE_HTTP_REFUSAL_COUNT];
static pthread_once_t registered = PTHREAD_ONCE_INIT;

static void register_counters(void)
{
    char labels[64];

    for (int i = 0; i < MUE_HTTP_REFUSAL_COUNT; i++) {
        snprintf(labels, sizeof(labels), "reason=\"%s\"", refusal_names[i]);
        refused[i] = mue_metrics_counter("mue_http_refused_total", labels,
                                         "Requests refused by an HTTP limit, by reason");
    }
}

void mue_http_guard_count(enum mue_http_refusal why)
{
    pthread_once(&registered, register_counters);
    if ((int)why >= 0 && why < MUE_HTTP_REFUSAL_COUNT)
        mue_metric_inc(refused[why]);
}

long long mue_http_guard_counted(enum mue_http_refusal why)
{
    pthread_once(&registered, register_counters);
    return (int)why >= 0 && why < MUE_HTTP_REFUSAL_COUNT ? (long long)mue_metric_value(refused[why])
                                                         : 0;
}

int mue_http_guard_refuse(struct mg_connection *conn, int status, const char *error,
                          const char *reason)
{
    char body[640], quoted[400], clen[24];
    int n;

    mue_log_quote(quoted, sizeof(quoted), reason);
    for (char *p = quoted; *p != '\0'; p++)
        if ((unsigned char)*p >= 0x80)
            *p = '?'; /* civetweb may quote the client's bytes: keep the JSON valid UTF-8 */
    n = snprintf(body, sizeof(body), "{\"error\":\"%s\",\"reason\":\"%s\"}\n", error, quoted);
    if (n < 0 || (size_t)n >= sizeof(body))
        n = (int)strlen(body);
    snprintf(clen, sizeof(clen), "%d", n);
    /* Whatever follows on this connection is not to be trusted as the next request. */
    mg_disable_connection_keep_alive(conn);
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Content-Type", "application/json", -1);
    mg_response_header_add(conn, "Content-Length", clen, -1);
    mg_response_header_add(conn, "Cache-Control", "no-store", -1);
    mg_response_header_send(conn);
    mg_write(conn, body, (size_t)n);
    return status;
}

void mue_http_guard_body_unread(struct mg_connection *conn)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);

    if (ri->content_length > 0 || mg_get_header(conn, "Transfer-Encoding") != NULL)
        mg_disable_connection_keep_alive(conn);
}

int mue_http_guard_headers(struct mg_connection *conn, long max)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    char reason[160];

    if (max > MG_MAX_HEADERS - 1)
        max = MG_MAX_HEADERS - 1;
    /* At MG_MAX_HEADERS civetweb may have dropped some: the request cannot be read as sent. */
    if (ri->num_headers <= max && ri->num_headers < MG_MAX_HEADERS)
        return 0;
    mue_http_guard_count(MUE_HTTP_TOO_MANY_HEADERS);
    snprintf(reason, sizeof(reason), "more than %ld header fields", max);
    return mue_http_guard_refuse(conn, 431, "too_many_headers", reason);
}

/* When the head of the request now being read started to be awaited: the connection's start,
 * then the end of each request. Each worker thread serves one connection at a time. */
static _Thread_local int64_t head_awaited_since_ms;
static _Thread_local int answered_on_connection;

static int on_init_connection(const struct mg_connection *conn, void **conn_data)
{
    (void)conn;
    (void)conn_data;
    head_awaited_since_ms = mue_time_mono_ms();
    answered_on_connection = 0;
    return 0;
}

static void on_end_request(const struct mg_connection *conn, int status)
{
    (void)conn;
    (void)status;
    head_awaited_since_ms = mue_time_mono_ms();
    answered_on_connection = 1;
}

/* civetweb gives "Malformed message" both to a head it could not parse and to one its timeout
 * cut short; only the time waited tells them apart. Returns the limit that ran out, or 0. */
static long head_timeout_ran_out(const struct mg_connection *conn)
{
    /* civetweb waits keep_alive_timeout_ms, not request_timeout_ms, for a reused connection */
    const char *opt =
        mg_get_option(mg_get_context(conn),
                      answered_on_connection ? "keep_alive_timeout_ms" : "request_timeout_ms");
    long limit = opt != NULL ? strtol(opt, NULL, 10) : 0;

    /* 50 ms for the two clocks' readings; a parse error comes at once, not near the limit */
    if (limit > 0 && mue_time_mono_ms() - head_awaited_since_ms >= limit - 50)
        return limit;
    return 0;
}

static const char *error_name(int status)
{
    switch (status) {
    case 400:
        return "bad_request";
    case 404:
        return "not_found";
    case 405:
        return "method_not_allowed";
    case 408:
        return "request_timeout";
    case 411:
        return "length_required";
    case 413:
        return "too_large";
    case 505:
        return "http_version_not_supported";
    default:
        return status >= 500 ? "internal" : "error";
    }
}

/* civetweb is about to answer an error of its own. Returns 0 when answered here. */
static int on_http_error(struct mg_connection *conn, int status, const char *msg)
{
    char reason[200];
    long limit;

    if (status < 200 || status == 204 || status == 304)
        return 1; /* no body: civetweb's answer is fine */
    if (msg == NULL)
        msg = "";
    limit = status == 400 ? head_timeout_ran_out(conn) : 0;
    if (limit > 0) {
        mue_http_guard_count(MUE_HTTP_HEAD_TIMEOUT);
        snprintf(reason, sizeof(reason), "the request head did not arrive within %ld ms", limit);
        mue_http_guard_refuse(conn, 408, "request_timeout", reason);
        return 0;
    }
    if (status == 400 && strcmp(msg, "Malformed message") == 0) {
        snprintf(reason, sizeof(reason),
                 "the request head is larger than %s bytes, or holds bytes HTTP does not allow",
                 mg_get_option(mg_get_context(conn), "max_request_size"));
        msg = reason;
    }
    /* Errors civetweb finds in a head (size, syntax, version, length) come before any handler;
     * its others (404 on the admin port) are no refusal. */
    if (status == 400 || status == 411 || status == 413 || status == 505)
        mue_http_guard_count(MUE_HTTP_BAD_HEAD);
    mue_http_guard_refuse(conn, status, error_name(status), msg);
    return 0;
}

void mue_http_guard_callbacks(struct mg_callbacks *cb)
{
    pthread_once(&registered, register_counters);
    cb->http_error = on_http_error;
    cb->init_connection = on_init_connection;
    cb->end_request = on_end_request;
}
