/* api.h - what every handler of mue-api sees: the request, its caller and role, a database
 * connection from the pool, and the ways to answer (JSON, an error with a reason, a stream).
 * SPDX-License-Identifier: MIT */
#ifndef API_H
#define API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libpq-fe.h>

struct mg_connection;

/* Roles, one bit each, so that a route lists who may call it. */
enum api_role {
    API_PUBLIC = 1u << 0,      /* no key: public data */
    API_PARTNER = 1u << 1,     /* an experimentation site: its own devices only */
    API_OPERATOR = 1u << 2,    /* street lighting operator */
    API_DIRECTORATE = 1u << 3, /* a business directorate: its use cases */
    API_ADMIN = 1u << 4,
};
#define API_ANYONE (API_PUBLIC | API_PARTNER | API_OPERATOR | API_DIRECTORATE | API_ADMIN)
#define API_STAFF  (API_OPERATOR | API_DIRECTORATE | API_ADMIN)

#define API_MAX_PATH_PARAMS 4

/* SQL fragments every handler shares. API_SQL_TS: a timestamptz as RFC 3339 UTC with
 * microseconds, the form of mue_time_format. API_SQL_DEVICE_SCOPE: the caller's scope on a device
 * row 'd' ($1 the directorate's use cases, $2 the partner's DevEUIs: api_scope_use_cases and
 * api_scope_devices, always the first two parameters); inactive devices are never shown. */
#define API_SQL_TS(x) "to_char((" x ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
#define API_SQL_DEVICE_SCOPE                                                                       \
    "d.active AND ($1::text[] IS NULL OR d.use_case = ANY($1::text[]))"                            \
    " AND ($2::text[] IS NULL OR d.dev_eui = ANY($2::text[]))"

struct api_caller {
    unsigned role;   /* one API_* bit */
    int64_t key_id;  /* 0 for the public */
    char name[96];   /* the key's name, for the audit log; "public" */
    char *use_cases; /* directorate: a PostgreSQL text[] literal of its use cases; else NULL */
    char *devices;   /* partner: a text[] literal of its DevEUIs; else NULL */
};

struct api_req {
    struct mg_connection *conn;
    const char *method;
    const char *path;
    const char *query; /* the raw query string, or NULL */
    PGconn *db;        /* from the pool, for the whole request */
    struct api_caller who;
    size_t nparams;
    char param[API_MAX_PATH_PARAMS][128]; /* the {name} segments of the route, in order */
    bool streaming;                       /* a chunked answer was started */
};

/* A handler answers through the functions below and returns the HTTP status it sent. */
typedef int (*api_handler_fn)(struct api_req *r);

/* The query parameter 'name' URL-decoded into buf (query_get). Returns 1 when present, 0 when
 * absent, -1 when longer than cap - 1 or holding a NUL (a 400 for the caller). */
int api_query(const struct api_req *r, const char *name, char *buf, size_t cap);

/* Reads ?limit= (1..1000, default 100) and ?offset= (0.., default 0). Returns 0, or the status
 * of the 400 it sent for a value out of range or not a number. */
int api_page(struct api_req *r, long *limit, long *offset);

/* Checks a DevEUI given in a path or query (16 hex digits, any case) and writes it lower-cased.
 * Returns 0, or the status of the 400 it sent. */
int api_dev_eui(struct api_req *r, const char *in, char out[17]);

/* The caller's scope as query parameters: NULL (everything) or a text[] literal. A handler
 * passes them to SQL as "($n::text[] IS NULL OR d.use_case = ANY($n::text[]))". */
const char *api_scope_use_cases(const struct api_req *r);
const char *api_scope_devices(const struct api_req *r);

/* Sends 'body' (a reference is stolen) as JSON with 'status'; public GET answers get caching
 * headers. Returns status. */
int api_json(struct api_req *r, int status, json_t *body);

/* The same with another JSON media type ("application/geo+json"). */
int api_json_as(struct api_req *r, int status, const char *content_type, json_t *body);

/* Sends {"error": error, "reason": <printf>} with status. Returns status. */
int api_error(struct api_req *r, int status, const char *error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* 500 database_error, the server's message logged (never sent: it may name tables). */
int api_db_error(struct api_req *r, const char *what, const PGresult *res);

/* A streamed answer (chunked): begin with its content type, write pieces, end. Write returns 0,
 * or -1 when the client went away (stop producing). End returns 200. */
void api_stream_begin(struct api_req *r, const char *content_type, const char *filename);
int api_stream_write(struct api_req *r, const char *buf, size_t len);
int api_stream_end(struct api_req *r);

/* Reads the request body as a JSON object of at most 'max' bytes. Returns 0 with *out set (the
 * caller's reference), or the status of the 400/413/415 it sent. */
int api_body_json(struct api_req *r, size_t max, json_t **out);

/* Records an action of the caller in audit_log (actor: the key's name) on r->db. Returns 0, or
 * MUE_EDB (logged; the caller decides whether the action stands). 'detail' is borrowed (NULL: {}).
 */
int api_audit(struct api_req *r, const char *action, const char *target, json_t *detail);

/* The bus connection of the service (live updates, registry-change notices), or NULL when it is
 * down. Set once by main(). */
struct mue_bus;
struct mue_bus *api_bus(void);
void api_set_bus(struct mue_bus *bus);

/* Gives r->db back to the pool before a long wait (a live stream) and sets it NULL; the handler
 * may not use the database afterwards. */
void api_release_db(struct api_req *r);

/* Cell (row, col) of a text-format result as JSON (columns.c): a string, a number (real or
 * integer), a boolean ('t'), or parsed JSON text; SQL NULL, or JSON that does not parse, is null.
 */
json_t *api_col_str(const PGresult *res, int row, int col);
json_t *api_col_real(const PGresult *res, int row, int col);
json_t *api_col_int(const PGresult *res, int row, int col);
json_t *api_col_bool(const PGresult *res, int row, int col);
json_t *api_col_json(const PGresult *res, int row, int col);

/* Runs a parameterised query on r->db. Returns the result (PGRES_TUPLES_OK or COMMAND_OK), or
 * NULL after answering 500 (the caller returns 500). */
PGresult *api_sql(struct api_req *r, const char *what, const char *sql, int n,
                  const char *const *params);

#endif
