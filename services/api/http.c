/* http.c - the answers of mue-api: JSON with a length, errors with a reason, chunked streams;
 * query parameters; the SQL helper that turns a database failure into a 500.
 * SPDX-License-Identifier: MIT */
#include "http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <civetweb.h>

#include "body.h"
#include "mue_err.h"
#include "mue_log.h"
#include "query.h"

static const char *cors_origin; /* set once at start, read by every thread */

void http_set_cors(const char *origin)
{
    cors_origin = origin != NULL && origin[0] != '\0' ? origin : NULL;
}

void http_common_headers(struct mg_connection *conn)
{
    if (cors_origin != NULL) {
        mg_response_header_add(conn, "Access-Control-Allow-Origin", cors_origin, -1);
        mg_response_header_add(conn, "Vary", "Origin", -1);
    }
}

int api_query(const struct api_req *r, const char *name, char *buf, size_t cap)
{
    return query_get(r->query, name, buf, cap);
}

int api_page(struct api_req *r, long *limit, long *offset)
{
    char why[96];

    if (query_page(r->query, limit, offset, why, sizeof(why)) < 0)
        return api_error(r, 400, "bad_parameter", "%s", why);
    return 0;
}

int api_dev_eui(struct api_req *r, const char *in, char out[17])
{
    if (query_dev_eui(in, out) < 0)
        return api_error(r, 400, "bad_parameter", "a DevEUI is 16 hexadecimal digits");
    return 0;
}

const char *api_scope_use_cases(const struct api_req *r)
{
    return r->who.use_cases;
}

const char *api_scope_devices(const struct api_req *r)
{
    return r->who.devices;
}

static int send_body(struct api_req *r, int status, const char *type, const char *body, size_t len)
{
    char clen[24];

    snprintf(clen, sizeof(clen), "%zu", len);
    mg_response_header_start(r->conn, status);
    mg_response_header_add(r->conn, "Content-Type", type, -1);
    mg_response_header_add(r->conn, "Content-Length", clen, -1);
    http_common_headers(r->conn);
    /* What the public may read is the same for everyone: caches may keep it a little. */
    if (status == 200 && r->who.role == API_PUBLIC && strcmp(r->method, "GET") == 0)
        mg_response_header_add(r->conn, "Cache-Control", "public, max-age=30", -1);
    else
        mg_response_header_add(r->conn, "Cache-Control", "no-store", -1);
    if (status == 401)
        mg_response_header_add(r->conn, "WWW-Authenticate", "Bearer realm=\"mue-api\"", -1);
    if (status == 503 || status == 429)
        mg_response_header_add(r->conn, "Retry-After", "1", -1);
    mg_response_header_send(r->conn);
    if (strcmp(r->method, "HEAD") != 0)
        mg_write(r->conn, body, len);
    return status;
}

int api_json_as(struct api_req *r, int status, const char *content_type, json_t *body)
{
    /* 15 significant digits: 43.5297 stays 43.5297, and no sensor is finer than that. */
    char *text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15));
    int rc;

    json_decref(body);
    if (text == NULL)
        return api_error(r, 500, "internal", "the answer could not be encoded");
    rc = send_body(r, status, content_type, text, strlen(text));
    free(text);
    return rc;
}

int api_json(struct api_req *r, int status, json_t *body)
{
    return api_json_as(r, status, "application/json", body);
}

int api_error(struct api_req *r, int status, const char *error, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    json_t *body;
    char *text;
    int rc;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    if (r->streaming) {
        /* Headers are gone: all that can be said is that the stream stops short. */
        mue_log_warn("api.stream_aborted", "path=%s reason=\"%s\"", r->path, reason);
        return status;
    }
    body = json_pack("{s:s, s:s}", "error", error, "reason", reason);
    text = body ? json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(body);
    rc = send_body(r, status, "application/json", text ? text : "{\"error\":\"internal\"}",
                   strlen(text ? text : "{\"error\":\"internal\"}"));
    free(text);
    return rc;
}

int api_db_error(struct api_req *r, const char *what, const PGresult *res)
{
    mue_log_error("api.db_failed", "what=\"%s\" sqlstate=%s err=\"%s\"", what,
                  res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : "",
                  res ? PQresultErrorMessage(res) : PQerrorMessage(r->db));
    return api_error(r, 500, "database_error", "the database could not answer (see the log)");
}

PGresult *api_sql(struct api_req *r, const char *what, const char *sql, int n,
                  const char *const *params)
{
    PGresult *res = PQexecParams(r->db, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);

    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
        return res;
    api_db_error(r, what, res);
    PQclear(res);
    return NULL;
}

void api_stream_begin(struct api_req *r, const char *content_type, const char *filename)
{
    char disp[160];

    mg_response_header_start(r->conn, 200);
    mg_response_header_add(r->conn, "Content-Type", content_type, -1);
    mg_response_header_add(r->conn, "Transfer-Encoding", "chunked", -1);
    http_common_headers(r->conn);
    mg_response_header_add(r->conn, "Cache-Control",
                           r->who.role == API_PUBLIC ? "public, max-age=30" : "no-store", -1);
    if (filename != NULL) {
        snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
        mg_response_header_add(r->conn, "Content-Disposition", disp, -1);
    }
    mg_response_header_send(r->conn);
    r->streaming = true;
}

int api_stream_write(struct api_req *r, const char *buf, size_t len)
{
    if (len == 0 || strcmp(r->method, "HEAD") == 0)
        return 0;
    return mg_send_chunk(r->conn, buf, (unsigned)len) > 0 ? 0 : -1;
}

int api_stream_end(struct api_req *r)
{
    if (strcmp(r->method, "HEAD") != 0)
        mg_send_chunk(r->conn, "", 0);
    return 200;
}

static struct mue_bus *service_bus;

struct mue_bus *api_bus(void)
{
    return service_bus;
}

void api_set_bus(struct mue_bus *bus)
{
    service_bus = bus;
}

int api_body_json(struct api_req *r, size_t max, json_t **out)
{
    const char *type = mg_get_header(r->conn, "Content-Type");
    const struct mg_request_info *ri = mg_get_request_info(r->conn);
    char *buf, why[256];
    size_t len = 0;
    int n, rc;

    *out = NULL;
    if (type == NULL || strncasecmp(type, "application/json", 16) != 0)
        return api_error(r, 415, "unsupported_media_type", "the body must be application/json");
    if (ri->content_length > (long long)max)
        return api_error(r, 413, "too_large", "the body is larger than %zu bytes", max);
    buf = malloc(max + 1);
    if (buf == NULL)
        return api_error(r, 500, "internal", "out of memory");
    while (len < max && (n = mg_read(r->conn, buf + len, max - len)) > 0)
        len += (size_t)n;
    if (len == max && mg_read(r->conn, buf, 1) > 0) {
        free(buf);
        return api_error(r, 413, "too_large", "the body is larger than %zu bytes", max);
    }
    rc = body_parse(buf, len, out, why, sizeof(why));
    free(buf);
    if (rc < 0)
        return api_error(r, 400, "bad_json", "%s", why);
    return 0;
}

int api_audit(struct api_req *r, const char *action, const char *target, json_t *detail)
{
    static const char sql[] = "INSERT INTO audit_log (key_id, actor, action, target, detail)"
                              " VALUES (NULLIF($1, '0')::bigint, $2, $3, $4, $5::jsonb)";
    char id[24], *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    const char *params[5] = { id, r->who.name, action, target ? target : "", text ? text : "{}" };
    PGresult *res;
    int rc = MUE_OK;

    snprintf(id, sizeof(id), "%lld", (long long)r->who.key_id);
    res = PQexecParams(r->db, sql, 5, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        mue_log_error("api.audit_failed", "action=%s err=\"%s\"", action,
                      PQresultErrorMessage(res));
        rc = MUE_EDB;
    }
    PQclear(res);
    free(text);
    return rc;
}
