/* requests.c - mue-lighting's requests: the verb table, the request's actor, refusals, queries,
 * transactions and the audit row every change writes with it.
 * SPDX-License-Identifier: MIT */
#include "requests.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_db.h"
#include "mue_err.h"
#include "mue_localtime.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "req_common.h"

/* The verbs, and whether each writes (a change is logged with its actor). */
static const struct {
    const char *verb;
    req_handler_fn fn;
    bool writes;
} verbs[] = {
    { "programs.list", req_programs_list, false },
    { "program.put", req_program_put, true },
    { "program.delete", req_program_delete, true },
    { "calendars.list", req_calendars_list, false },
    { "calendar.put", req_calendar_put, true },
    { "calendar.delete", req_calendar_delete, true },
    { "assignments.list", req_assignments_list, false },
    { "assignment.put", req_assignment_put, true },
    { "assignment.delete", req_assignment_delete, true },
    { "overrides.list", req_overrides_list, false },
    { "override.create", req_override_create, true },
    { "override.cancel", req_override_cancel, true },
    { "plan", req_plan, false },
    { "commands", req_commands, false },
    { "energy", req_energy, false },
};

#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

json_t *req_fail(const char *error, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    json_t *o;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    /* json_pack refuses text that is not UTF-8; a reason quotes the request, so fall back. */
    o = json_pack("{s:s, s:s}", "error", error, "reason", reason);
    if (o == NULL)
        o = json_pack("{s:s, s:s}", "error", error, "reason", "the request is not valid text");
    if (o == NULL)
        abort(); /* out of memory: the house aborts */
    return o;
}

json_t *req_unavailable(void)
{
    return req_fail("unavailable", "the database is unavailable");
}

bool req_is_refusal(const json_t *answer)
{
    return json_object_get(answer, "error") != NULL;
}

/* The actor and key of the request: who is written in the audit log. */
static json_t *read_caller(struct req *r)
{
    const char *actor = "unknown";
    long long key = 0;
    json_t *err = req_string(r, "actor", false, false, REQ_ACTOR_MAX, &actor);

    if (err == NULL)
        err = req_int(r, "key_id", false, 1, INT64_MAX, &key);
    if (err != NULL)
        return err;
    snprintf(r->actor, sizeof(r->actor), "%s", actor);
    if (key > 0)
        snprintf(r->key_id, sizeof(r->key_id), "%lld", key);
    return NULL;
}

static json_t *parse_body(const char *body, size_t len, json_t **out)
{
    json_error_t e;

    *out = len == 0 ? json_object() : json_loadb(body, len, JSON_REJECT_DUPLICATES, &e);
    if (*out == NULL)
        return req_fail("bad_request", "the body is not JSON: %s (line %d, column %d)", e.text,
                        e.line, e.column);
    if (!json_is_object(*out))
        return req_fail("bad_request", "the body is not a JSON object");
    return NULL;
}

static json_t *unknown_verb(const char *verb)
{
    char known[512];
    size_t len = 0;

    known[0] = '\0';
    for (size_t i = 0; i < NVERBS && len < sizeof(known); i++)
        len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s", i > 0 ? ", " : "",
                                verbs[i].verb);
    return req_fail("bad_request", "no request \"%.64s\" (the verbs: %s)", verb, known);
}

static char *dump(json_t *answer)
{
    char *text = json_dumps(answer, JSON_COMPACT | JSON_REAL_PRECISION(15));

    if (text == NULL)
        abort();
    return text;
}

char *lighting_request(struct mue_db *db, const char *verb, const char *body, size_t len,
                       int *changed)
{
    struct req r;
    json_t *answer = NULL;
    size_t i = 0;
    char *text, quoted[2 * REQ_ACTOR_MAX + 8];

    memset(&r, 0, sizeof(r));
    r.db = db;
    while (i < NVERBS && strcmp(verbs[i].verb, verb) != 0)
        i++;
    if (i == NVERBS)
        answer = unknown_verb(verb);
    if (answer == NULL)
        answer = parse_body(body, len, &r.body);
    if (answer == NULL)
        answer = read_caller(&r);
    if (answer == NULL && (db == NULL || mue_db_ensure(db) < 0))
        answer = req_unavailable();
    if (answer == NULL)
        answer = verbs[i].fn(&r);
    /* json_pack gives NULL for a member it cannot hold: never an answer left unsaid. */
    if (answer == NULL)
        answer = req_fail("unavailable", "the answer could not be written");
    if (!req_is_refusal(answer) && r.changed)
        *changed = 1;
    if (req_is_refusal(answer))
        mue_log_debug("lighting.request_refused", "verb=%.64s error=%s", verb,
                      json_string_value(json_object_get(answer, "error")));
    else if (verbs[i].writes)
        mue_log_info("lighting.changed", "verb=%s actor=\"%s\"", verb,
                     mue_log_quote(quoted, sizeof(quoted), r.actor));
    text = dump(answer);
    json_decref(answer);
    json_decref(r.body);
    return text;
}

/* ---- the database ---- */

int req_query(struct req *r, const char *what, PGresult **res, const char *sql, int nparams,
              const char *const *params)
{
    return mue_db_query(r->db, what, res, sql, nparams, params);
}

json_t *req_json_text(const char *text)
{
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

    return v != NULL ? v : json_null();
}

json_t *req_list(struct req *r, const char *what, const char *key, const char *sql, int nparams,
                 const char *const *params)
{
    PGresult *res = NULL;
    json_t *list;

    if (req_query(r, what, &res, sql, nparams, params) != 1) {
        PQclear(res);
        return req_unavailable();
    }
    list = req_json_text(PQgetvalue(res, 0, 0));
    PQclear(res);
    return json_pack("{s:o}", key, list);
}

json_t *req_begin(struct req *r)
{
    return mue_db_exec(r->db, "lighting.begin", "BEGIN") == 0 ? NULL : req_unavailable();
}

json_t *req_commit(struct req *r)
{
    if (mue_db_exec(r->db, "lighting.commit", "COMMIT") == 0)
        return NULL;
    (void)mue_db_exec(r->db, "lighting.rollback", "ROLLBACK");
    return req_unavailable();
}

json_t *req_rollback(struct req *r, json_t *answer)
{
    (void)mue_db_exec(r->db, "lighting.rollback", "ROLLBACK");
    return answer;
}

int req_audit(struct req *r, const char *action, const char *target, const json_t *detail)
{
    /* A key deleted since the API checked it leaves the actor's name alone, not the change. */
    static const char sql[] = "INSERT INTO audit_log (key_id, actor, action, target, detail)"
                              " VALUES ((SELECT id FROM api_key WHERE id = $1::bigint), $2, $3,"
                              " $4, $5::jsonb)";
    char *d = json_dumps(detail, JSON_COMPACT | JSON_REAL_PRECISION(15));
    const char *p[5] = { r->key_id[0] ? r->key_id : NULL, r->actor, action, target, d };
    PGresult *res = NULL;
    int n;

    if (d == NULL)
        abort();
    n = req_query(r, "lighting.audit", &res, sql, 5, p);
    PQclear(res);
    free(d);
    return n < 0 ? MUE_EDB : 0;
}

/* ---- dates and numbers ---- */

void req_day_bounds(int64_t date, int64_t *from_s, int64_t *to_s)
{
    int y, m, d;

    mue_localtime_civil_from_days(date, &y, &m, &d);
    *from_s = mue_localtime_to_utc(y, m, d, 0, 0, 0);
    *to_s = mue_localtime_to_utc(y, m, d + 1, 0, 0, 0);
}

void req_date_text(int64_t date, char out[11])
{
    char buf[40];
    int y, m, d;

    mue_localtime_civil_from_days(date, &y, &m, &d);
    snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
    snprintf(out, 11, "%.10s", buf);
}

json_t *req_clock_json(int minute)
{
    char s[8];

    if (minute < 0)
        return json_null();
    snprintf(s, sizeof(s), "%02d:%02d", minute / 60 % 100, minute % 60);
    return json_string(s);
}

json_t *req_wh_json(double wh)
{
    /* JSON has no infinity: a registry's absurd power gives null rather than no answer. */
    if (!isfinite(wh))
        return json_null();
    return json_real(round(wh * 100.0) / 100.0);
}
