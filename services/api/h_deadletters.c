/* h_deadletters.c - GET /v1/deadletters: the uplinks a stage refused (unknown device, payload that
 * does not decode...), newest first, read from the DEADLETTER stream within a bound, for the
 * supervisors' device health page.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "mue_deadletter_read.h"
#include "mue_err.h"
#include "mue_mem.h"
#include "mue_time.h"
#include "query.h"

/* Each entry read is one request to the server (about 0.1 ms on a LAN): 5000 keeps the worst
 * request near a second, and a week of refusals of a healthy fleet well inside it. */
#define MAX_SCAN      5000
#define DEFAULT_LIMIT 50
#define MAX_LIMIT     500

/* The DevEUIs the caller may see; 'all' for an admin, who also sees unknown devices and entries
 * that name no device. */
struct scope {
    bool all;
    char (*euis)[17]; /* sorted, for bsearch */
    size_t n;
};

static int eui_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static bool in_scope(const struct scope *s, const char *eui)
{
    if (s->all)
        return true;
    return eui[0] != '\0' && s->n > 0 && bsearch(eui, s->euis, s->n, sizeof(s->euis[0]), eui_cmp);
}

/* Reads the active devices of the caller's scope (only 'eui' when not NULL) from the registry: a
 * lighting operator's are the lighting devices, a directorate's those of its use cases. Returns 0,
 * or the 500 it sent. */
static int scope_load(struct api_req *r, const char *eui, struct scope *s)
{
    static const char sql[] = "SELECT d.dev_eui FROM device d WHERE " API_SQL_DEVICE_SCOPE
                              " AND ($3::text IS NULL OR d.dev_eui = $3)";
    const char *p[3] = { r->who.role == API_OPERATOR ? "{lighting}" : api_scope_use_cases(r),
                         api_scope_devices(r), eui };
    PGresult *res;

    memset(s, 0, sizeof(*s));
    if (r->who.role == API_ADMIN) {
        s->all = true;
        return 0;
    }
    res = api_sql(r, "deadletters scope", sql, 3, p);
    if (res == NULL)
        return 500;
    s->n = (size_t)PQntuples(res);
    s->euis = mue_xcalloc(s->n ? s->n : 1, sizeof(s->euis[0]));
    for (size_t i = 0; i < s->n; i++)
        snprintf(s->euis[i], sizeof(s->euis[i]), "%s", PQgetvalue(res, (int)i, 0));
    PQclear(res);
    qsort(s->euis, s->n, sizeof(s->euis[0]), eui_cmp);
    return 0;
}

/* A JSON string of 's'; bytes that are not UTF-8 (a stage's reason may quote what it refused)
 * become '?' rather than losing the entry. */
static json_t *text(const char *s)
{
    json_t *j = json_string(s);
    char *copy;

    if (j != NULL)
        return j;
    copy = mue_xstrdup(s);
    for (char *c = copy; *c != '\0'; c++)
        if ((unsigned char)*c >= 0x80)
            *c = '?';
    j = json_string(copy);
    free(copy);
    return j;
}

struct collect {
    const struct scope *scope;
    json_t *items;
    size_t limit;
};

static int collect_entry(const struct mue_deadletter_entry *e, void *arg)
{
    struct collect *c = arg;
    char ts[40];
    json_t *item;

    if (!in_scope(c->scope, e->dev_eui))
        return 0;
    mue_time_format(e->time_us, ts, sizeof(ts));
    item = json_object();
    json_object_set_new(item, "seq", json_integer((json_int_t)e->seq));
    json_object_set_new(item, "time", json_string(ts));
    json_object_set_new(item, "stage", text(e->stage));
    json_object_set_new(item, "code", text(e->code));
    json_object_set_new(item, "reason", text(e->reason));
    json_object_set_new(item, "subject", text(e->subject));
    json_object_set_new(item, "dev_eui", e->dev_eui[0] ? json_string(e->dev_eui) : json_null());
    json_object_set_new(item, "original_bytes", json_integer((json_int_t)e->original_len));
    json_array_append_new(c->items, item);
    return json_array_size(c->items) >= c->limit ? MUE_DEADLETTER_STOP : 0;
}

/* ?stage= and ?code= are names: 1 to 63 letters, digits, '_' or '-'. Returns 1 present, 0
 * absent, or the 400 it sent. */
static int name_param(struct api_req *r, const char *name, char *buf, size_t cap)
{
    int got = api_query(r, name, buf, cap);
    size_t len = got == 1 ? strlen(buf) : 0;

    if (got < 0 || (got == 1 && (len == 0 || strspn(buf, "abcdefghijklmnopqrstuvwxyz"
                                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                         "0123456789_-") != len)))
        return api_error(r, 400, "bad_parameter", "%s must be 1 to %zu letters, digits, '_' or '-'",
                         name, cap - 1);
    return got;
}

/* ?limit=, 1..MAX_LIMIT (default DEFAULT_LIMIT). Returns 0, or the 400 it sent. */
static int limit_param(struct api_req *r, long *limit)
{
    char buf[24];
    int got = api_query(r, "limit", buf, sizeof(buf));

    *limit = DEFAULT_LIMIT;
    if (got < 0 || (got == 1 && query_long(buf, 1, MAX_LIMIT, limit) < 0))
        return api_error(r, 400, "bad_parameter", "limit must be a whole number from 1 to %d",
                         MAX_LIMIT);
    return 0;
}

/* ?dev_eui=, 16 hex digits, into 'out' lower-cased ("" when absent). Returns 0, or the 400 it
 * sent. */
static int dev_eui_param(struct api_req *r, char out[17])
{
    char buf[40];
    int got = api_query(r, "dev_eui", buf, sizeof(buf));

    out[0] = '\0';
    if (got < 0 || (got == 1 && query_dev_eui(buf, out) < 0))
        return api_error(r, 400, "bad_parameter", "dev_eui must be 16 hexadecimal digits");
    return 0;
}

int h_deadletters(struct api_req *r)
{
    char stage[64], code[64], eui[17];
    struct mue_deadletter_filter filter = { NULL, NULL, NULL };
    struct mue_deadletter_walk_opts o = { &filter, true, MAX_SCAN };
    struct mue_deadletter_walk_stats stats = { 0, false };
    struct scope scope;
    struct collect c;
    struct mue_bus *bus = api_bus();
    long limit;
    int rc;

    if ((rc = limit_param(r, &limit)) != 0)
        return rc;
    if ((rc = dev_eui_param(r, eui)) != 0)
        return rc;
    if ((rc = name_param(r, "stage", stage, sizeof(stage))) > 1)
        return rc;
    filter.stage = rc == 1 ? stage : NULL;
    if ((rc = name_param(r, "code", code, sizeof(code))) > 1)
        return rc;
    filter.code = rc == 1 ? code : NULL;
    filter.dev_eui = eui[0] ? eui : NULL;
    if (bus == NULL)
        return api_error(r, 503, "bus_unavailable", "the message bus is down: retry shortly");
    if (scope_load(r, filter.dev_eui, &scope) != 0)
        return 500;
    /* The walk needs no database: give the connection back to the pool before it. */
    api_release_db(r);
    c.scope = &scope;
    c.items = json_array();
    c.limit = (size_t)limit;
    /* A device out of the caller's scope has no entries to it: nothing to read. */
    if (filter.dev_eui == NULL || in_scope(&scope, filter.dev_eui))
        rc = mue_deadletter_walk(bus, &o, collect_entry, &c, &stats);
    else
        rc = 0;
    free(scope.euis);
    if (rc < 0) {
        json_decref(c.items);
        return api_error(r, 503, "bus_unavailable",
                         "the dead-letter stream could not be read: retry shortly");
    }
    return api_json(r, 200,
                    json_pack("{s:o, s:I, s:I, s:b}", "items", c.items, "limit", (json_int_t)limit,
                              "scanned", (json_int_t)stats.scanned, "truncated", stats.truncated));
}
