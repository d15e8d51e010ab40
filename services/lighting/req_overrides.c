/* req_overrides.c - levels over the calendar for a while: overrides.list, override.create,
 * override.cancel.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "mue_mem.h"
#include "mue_time.h"
#include "req_common.h"

#define DURATION_MIN_S 60
#define DURATION_MAX_S (31 * 86400)
#define MAX_DEV_EUIS   1000
#define LIST_MAX       1000

/* An override 'o' as the answers show it: its lamps by DevEUI, in the order they were given. */
/* clang-format off */
#define OVERRIDE_JSON(o)                                                                           \
    "json_build_object('id', " o ".id, 'group', " o ".group_name, 'dev_euis', (SELECT"             \
    " json_agg(d.dev_eui ORDER BY u.i) FROM unnest(" o ".device_ids) WITH ORDINALITY u(id, i)"     \
    " JOIN device d ON d.id = u.id), 'level', " o ".level,"                                        \
    " 'starts_at', " REQ_SQL_TS(o ".starts_at") ", 'expires_at', " REQ_SQL_TS(o ".expires_at") "," \
    " 'priority', " o ".priority, 'reason', " o ".reason, 'comment', " o ".comment,"               \
    " 'created_at', " REQ_SQL_TS(o ".created_at") ", 'created_by', " o ".created_by,"              \
    " 'cancelled_at', " REQ_SQL_TS(o ".cancelled_at") ", 'cancelled_by', " o ".cancelled_by)"
/* clang-format on */

static const char *const reasons[] = { "event", "maintenance", "emergency", "other" };

json_t *req_overrides_list(struct req *r)
{
    static const char *const known[] = { "active", "limit", NULL };
    /* active: in force or to come, and not cancelled; false: the others. */
    /* clang-format off */
    static const char sql[] =
        "SELECT coalesce(json_agg(" OVERRIDE_JSON("o") " ORDER BY o.id DESC), '[]')::text"
        " FROM (SELECT * FROM lighting_override WHERE $1::boolean IS NULL"
        " OR $1::boolean = (cancelled_at IS NULL AND expires_at > now())"
        " ORDER BY id DESC LIMIT $2::integer) o";
    /* clang-format on */
    bool active = false, has_active;
    long long limit = LIST_MAX;
    char lim[24];
    json_t *err = req_only(r, known);

    if (err == NULL)
        err = req_bool(r, "active", &active);
    if (err == NULL)
        err = req_int(r, "limit", false, 1, LIST_MAX, &limit);
    if (err != NULL)
        return err;
    has_active = json_is_boolean(json_object_get(r->body, "active"));
    snprintf(lim, sizeof(lim), "%lld", limit);
    const char *p[2] = { has_active ? (active ? "true" : "false") : NULL, lim };
    return req_list(r, "lighting.overrides", "overrides", sql, 2, p);
}

/* An RFC 3339 member as µs; *given says whether it was there. */
static json_t *read_time(const struct req *r, const char *name, int64_t *us, bool *given)
{
    const char *s = NULL;
    json_t *err = req_string(r, name, false, false, 64, &s);

    *given = s != NULL;
    if (err == NULL && s != NULL && mue_time_parse(s, us) != 0)
        err = req_fail("bad_request", "%s: \"%s\" is not an RFC 3339 time", name, s);
    return err;
}

/* The lamps of "dev_euis" as the array text of their DevEUIs; checked for form and repeats. */
static json_t *read_dev_euis(json_t *list, char **text)
{
    size_t n = json_array_size(list), len = 0;
    char *out;

    if (!json_is_array(list) || n == 0 || n > MAX_DEV_EUIS)
        return req_fail("bad_request", "dev_euis: must be an array of 1 to %d DevEUIs",
                        MAX_DEV_EUIS);
    out = mue_xmalloc(n * 19 + 3);
    out[len++] = '{';
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(list, i));
        char eui[17];

        if (s == NULL || !req_is_dev_eui(s, eui)) {
            free(out);
            return req_fail("bad_request", "dev_euis[%zu]: not a DevEUI (16 hex digits)", i);
        }
        for (size_t k = 0; k < i; k++) {
            char other[17];

            if (req_is_dev_eui(json_string_value(json_array_get(list, k)), other) &&
                strcmp(other, eui) == 0) {
                free(out);
                return req_fail("bad_request", "dev_euis[%zu]: %s is listed twice", i, eui);
            }
        }
        len += (size_t)snprintf(out + len, 20, "%s%s", i > 0 ? "," : "", eui);
    }
    snprintf(out + len, 2, "}");
    *text = out;
    return NULL;
}

struct override_req {
    const char *group;
    char *dev_euis; /* array text of DevEUIs, or NULL */
    long long level, priority, duration_s;
    int64_t starts_us, expires_us;
    const char *reason, *comment;
};

static json_t *read_override(const struct req *r, struct override_req *o)
{
    json_t *list = json_object_get(r->body, "dev_euis"), *err;
    bool has_start, has_expiry, has_duration;

    memset(o, 0, sizeof(*o));
    o->comment = "";
    err = req_group(r, "group", false, &o->group);
    if (err == NULL && json_is_null(list))
        list = NULL;
    if (err == NULL && (o->group != NULL) == (list != NULL))
        err = req_fail("bad_request", o->group != NULL ? "give group or dev_euis, not both"
                                                       : "group or dev_euis: missing");
    if (err == NULL && list != NULL)
        err = read_dev_euis(list, &o->dev_euis);
    if (err == NULL)
        err = req_int(r, "level", true, 0, 100, &o->level);
    if (err == NULL)
        err = req_int(r, "priority", false, -REQ_PRIORITY, REQ_PRIORITY, &o->priority);
    if (err == NULL)
        err = req_string(r, "reason", true, false, 16, &o->reason);
    if (err == NULL && strcmp(o->reason, reasons[0]) != 0 && strcmp(o->reason, reasons[1]) != 0 &&
        strcmp(o->reason, reasons[2]) != 0 && strcmp(o->reason, reasons[3]) != 0)
        err = req_fail("bad_request", "reason: event, maintenance, emergency or other, not \"%s\"",
                       o->reason);
    if (err == NULL)
        err = req_string(r, "comment", false, true, REQ_COMMENT_MAX, &o->comment);
    if (err == NULL)
        err = read_time(r, "starts_at", &o->starts_us, &has_start);
    if (err == NULL)
        err = read_time(r, "expires_at", &o->expires_us, &has_expiry);
    if (err == NULL)
        err = req_int(r, "duration_s", false, DURATION_MIN_S, DURATION_MAX_S, &o->duration_s);
    if (err != NULL)
        return err;
    has_duration = o->duration_s > 0;
    /* From now, to the second: the plan counts whole minutes from whole seconds. */
    if (!has_start)
        o->starts_us = mue_time_now_us() / 1000000 * 1000000;
    if (o->starts_us < 0)
        return req_fail("bad_request", "starts_at: before 1970");
    if (has_expiry == has_duration)
        return req_fail("bad_request", has_expiry ? "give expires_at or duration_s, not both"
                                                  : "expires_at or duration_s: missing");
    if (has_duration)
        o->expires_us = o->starts_us + o->duration_s * 1000000;
    if (o->expires_us <= o->starts_us)
        return req_fail("bad_request", "expires_at: must come after starts_at");
    if (o->expires_us <= mue_time_now_us())
        return req_fail("bad_request", "expires_at: already past");
    return NULL;
}

/* The ids of the lamps of o->dev_euis in *ids ("{12,13}"), each an active lighting device. */
static json_t *resolve_lamps(struct req *r, const struct override_req *o, char **ids)
{
    static const char sql[] =
        "SELECT u.eui, d.id FROM unnest($1::text[]) WITH ORDINALITY u(eui, i)"
        " LEFT JOIN device d ON d.dev_eui = u.eui AND d.active AND d.use_case = 'lighting'"
        " ORDER BY u.i";
    const char *p[1] = { o->dev_euis };
    PGresult *res = NULL;
    int n = req_query(r, "lighting.override_lamps", &res, sql, 1, p);
    size_t len = 0;
    char *out;

    if (n < 0)
        return req_unavailable();
    out = mue_xmalloc((size_t)n * 21 + 3);
    out[len++] = '{';
    for (int i = 0; i < n; i++) {
        if (PQgetisnull(res, i, 1)) {
            json_t *err = req_fail("bad_request", "dev_euis[%d]: no active lighting device %s", i,
                                   PQgetvalue(res, i, 0));
            PQclear(res);
            free(out);
            return err;
        }
        len += (size_t)snprintf(out + len, 22, "%s%s", i > 0 ? "," : "", PQgetvalue(res, i, 1));
    }
    snprintf(out + len, 2, "}");
    PQclear(res);
    *ids = out;
    return NULL;
}

/* What the audit keeps of an override: where, what level, when, why. */
static json_t *audit_detail(const json_t *override)
{
    static const char *const keys[] = { "group",      "dev_euis", "level", "starts_at",
                                        "expires_at", "priority", "reason" };
    json_t *d = json_object();

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *v = json_object_get(override, keys[i]);

        if (v != NULL && !json_is_null(v))
            json_object_set(d, keys[i], v);
    }
    return d;
}

/* Writes the audit row of the override just stored, commits and answers {"override": ...}. */
static json_t *audit_and_answer(struct req *r, const char *action, const char *override_json)
{
    json_t *ov = req_json_text(override_json), *detail = audit_detail(ov), *err;
    char target[24];

    snprintf(target, sizeof(target), "%lld",
             (long long)json_integer_value(json_object_get(ov, "id")));
    err = req_audit(r, action, target, detail) == 0 ? req_commit(r)
                                                    : req_rollback(r, req_unavailable());
    json_decref(detail);
    if (err != NULL) {
        json_decref(ov);
        return err;
    }
    r->changed = true;
    return json_pack("{s:o}", "override", ov);
}

json_t *req_override_create(struct req *r)
{
    static const char *const known[] = { "group",      "dev_euis",   "level",    "starts_at",
                                         "expires_at", "duration_s", "priority", "reason",
                                         "comment",    NULL };
    /* The group is held (FOR KEY SHARE, by a function of 0012_roles.sql: mue-lighting may not
     * lock device_group's rows itself) until the override bound to it is stored. */
    static const char group_sql[] = "SELECT 1 WHERE mue_hold_device_group($1)";
    static const char insert_sql[] =
        "INSERT INTO lighting_override AS o (group_name, device_ids, level, starts_at, expires_at,"
        " priority, reason, comment, created_by) VALUES ($1, $2::bigint[], $3::integer,"
        " $4::timestamptz, $5::timestamptz, $6::integer, $7, $8, $9)"
        " RETURNING " OVERRIDE_JSON("o") "::text";
    struct override_req o = { 0 };
    char *ids = NULL, level[24], prio[24], starts[40], expires[40];
    PGresult *res = NULL;
    json_t *err = req_only(r, known);
    int n;

    if (err == NULL)
        err = read_override(r, &o);
    if (err == NULL)
        err = req_begin(r);
    if (err != NULL) {
        free(o.dev_euis);
        return err;
    }
    if (o.group != NULL) {
        const char *pg[1] = { o.group };
        n = req_query(r, "lighting.override_group", &res, group_sql, 1, pg);
        PQclear(res);
        if (n != 1)
            err = n == 0 ? req_fail("bad_request", "group: no group \"%s\"", o.group)
                         : req_unavailable();
    } else {
        err = resolve_lamps(r, &o, &ids);
    }
    free(o.dev_euis);
    if (err != NULL)
        return req_rollback(r, err);
    snprintf(level, sizeof(level), "%lld", o.level);
    snprintf(prio, sizeof(prio), "%lld", o.priority);
    mue_time_format(o.starts_us, starts, sizeof(starts));
    mue_time_format(o.expires_us, expires, sizeof(expires));
    const char *p[9] = {
        o.group, ids, level, starts, expires, prio, o.reason, o.comment, r->actor
    };
    n = req_query(r, "lighting.override_create", &res, insert_sql, 9, p);
    free(ids);
    if (n != 1) {
        PQclear(res);
        return req_rollback(r, req_unavailable());
    }
    err = audit_and_answer(r, "lighting.override.create", PQgetvalue(res, 0, 0));
    PQclear(res);
    return err;
}

/* Why a cancel changed nothing: no such override, or it is no longer in force. */
static json_t *explain_cancel(struct req *r, const char *id)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT " REQ_SQL_TS("cancelled_at") ", cancelled_by, " REQ_SQL_TS("expires_at")
        " FROM lighting_override WHERE id = $1::bigint";
    /* clang-format on */
    const char *p[1] = { id };
    PGresult *res = NULL;
    json_t *err;
    int n = req_query(r, "lighting.override_state", &res, sql, 1, p);

    if (n < 0)
        err = req_unavailable();
    else if (n == 0)
        err = req_fail("not_found", "no override %s", id);
    else if (!PQgetisnull(res, 0, 0))
        err = req_fail("conflict", "override %s was already cancelled at %s by %.128s", id,
                       PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
    else
        err = req_fail("conflict", "override %s expired at %s", id, PQgetvalue(res, 0, 2));
    PQclear(res);
    return err;
}

json_t *req_override_cancel(struct req *r)
{
    static const char *const known[] = { "id", NULL };
    static const char sql[] =
        "UPDATE lighting_override AS o SET cancelled_at = now(), cancelled_by = $2"
        " WHERE id = $1::bigint AND cancelled_at IS NULL AND expires_at > now()"
        " RETURNING " OVERRIDE_JSON("o") "::text";
    long long id = 0;
    char ids[24];
    PGresult *res = NULL;
    json_t *err = req_only(r, known);
    int n;

    if (err == NULL)
        err = req_int(r, "id", true, 1, INT64_MAX, &id);
    if (err == NULL)
        err = req_begin(r);
    if (err != NULL)
        return err;
    snprintf(ids, sizeof(ids), "%lld", id);
    const char *p[2] = { ids, r->actor };
    n = req_query(r, "lighting.override_cancel", &res, sql, 2, p);
    if (n != 1) {
        PQclear(res);
        return req_rollback(r, n == 0 ? explain_cancel(r, ids) : req_unavailable());
    }
    err = audit_and_answer(r, "lighting.override.cancel", PQgetvalue(res, 0, 0));
    PQclear(res);
    return err;
}
