/* reply.c - JSON answers with a length, so keep-alive connections stay usable.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include <civetweb.h>

#include "mue_log.h"
#include "reply.h"

static int send_json(struct mg_connection *conn, int status, const char *body, int n)
{
    char clen[24];

    if (n < 0)
        n = 0;
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

/* snprintf's count, or what the buffer holds when the text was cut. */
static int written(int n, const char *buf, size_t cap)
{
    return n < 0 || (size_t)n >= cap ? (int)strlen(buf) : n;
}

int reply_error(struct mg_connection *conn, int status, const char *error, const char *reason)
{
    char body[640], quoted[400];
    int n = snprintf(body, sizeof(body), "{\"error\":\"%s\",\"reason\":\"%s\"}\n", error,
                     mue_log_quote(quoted, sizeof(quoted), reason));
    return send_json(conn, status, body, written(n, body, sizeof(body)));
}

int reply_accepted(struct mg_connection *conn, const char *kind, const char *id, bool duplicate)
{
    char body[512], quoted[256];
    int n = snprintf(body, sizeof(body),
                     "{\"status\":\"accepted\",\"kind\":\"%s\",\"id\":\"%s\",\"duplicate\":%s}\n",
                     kind, mue_log_quote(quoted, sizeof(quoted), id), duplicate ? "true" : "false");
    return send_json(conn, 202, body, written(n, body, sizeof(body)));
}
