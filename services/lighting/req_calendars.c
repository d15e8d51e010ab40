/* req_calendars.c - the calendars requests: calendars.list, calendar.put (every program it names
 * must exist), calendar.delete (not while a group is assigned it).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_mem.h"
#include "req_common.h"
#include "talq_json.h"

static const struct req_doc_kind calendar_kind = {
    "calendar",
    "SELECT coalesce(json_agg(" REQ_DOC_JSON " ORDER BY id), '[]')::text FROM lighting_calendar",
    "INSERT INTO lighting_calendar (id, doc, updated_at, updated_by) VALUES ($1, $2::jsonb, now(),"
    " $3) ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, updated_at = now(),"
    " updated_by = EXCLUDED.updated_by RETURNING xmax = 0, " REQ_DOC_JSON "::text",
    "lighting.calendar_put",
};

json_t *req_calendars_list(struct req *r)
{
    static const char *const known[] = { NULL };
    json_t *err = req_only(r, known);

    if (err != NULL)
        return err;
    return req_list(r, "lighting.calendars", "calendars", calendar_kind.list_sql, 0, NULL);
}

/* The program a calendar names at place i: rules[0..nrules-1], then the default. */
static const char *named(const struct light_calendar *c, int i)
{
    return i < c->nrules ? c->rules[i].program : c->default_program;
}

/* Every program the calendar names exists; they are locked (FOR SHARE) until the calendar is
 * stored, so that a program.delete of one of them waits and then sees the calendar. */
static json_t *check_programs(struct req *r, const void *parsed)
{
    static const char sql[] =
        "SELECT id FROM lighting_program WHERE id = ANY($1::text[]) ORDER BY id FOR SHARE";
    const struct light_calendar *c = parsed;
    /* Ids are [A-Za-z0-9_.:-]: quoted as array items they need no escaping. */
    char ids[(LIGHT_MAX_RULES + 1) * (LIGHT_ID_MAX + 3) + 3];
    size_t len = 0;
    PGresult *res = NULL;
    json_t *err = NULL;
    int n;

    ids[len++] = '{';
    for (int i = 0; i <= c->nrules; i++) {
        if (named(c, i)[0] != '\0')
            len += (size_t)snprintf(ids + len, sizeof(ids) - len, "%s\"%s\"", len > 1 ? "," : "",
                                    named(c, i));
    }
    snprintf(ids + len, sizeof(ids) - len, "}");
    const char *p[1] = { ids };
    n = req_query(r, "lighting.calendar_programs", &res, sql, 1, p);
    if (n < 0)
        return req_unavailable();
    for (int i = 0; i <= c->nrules && err == NULL; i++) {
        const char *id = named(c, i);
        bool found = id[0] == '\0';

        for (int k = 0; k < n && !found; k++)
            found = strcmp(PQgetvalue(res, k, 0), id) == 0;
        if (!found && i < c->nrules)
            err = req_fail("bad_request", "calendar.rules[%d].program: no program \"%s\"", i, id);
        else if (!found)
            err = req_fail("bad_request", "calendar.defaultProgram: no program \"%s\"", id);
    }
    PQclear(res);
    return err;
}

json_t *req_calendar_put(struct req *r)
{
    static const char *const known[] = { "calendar", NULL };
    struct light_calendar *c;
    char why[256], *text, *doc;
    json_t *err = req_only(r, known), *answer;

    if (err != NULL)
        return err;
    text = req_doc_text(r, "calendar", &err);
    if (text == NULL)
        return err;
    c = mue_xcalloc(1, sizeof(*c)); /* some 10 kB: not on the stack */
    if (talq_calendar_parse(text, strlen(text), c, why, sizeof(why)) != 0) {
        answer = req_doc_refusal("calendar", why);
        goto out;
    }
    doc = talq_calendar_json(c);
    if (doc == NULL) {
        answer = req_fail("bad_request", "calendar: TALQ cannot express this calendar");
        goto out;
    }
    answer = req_doc_put(r, &calendar_kind, c->id, doc, check_programs, c);
    free(doc);
out:
    free(text);
    free(c);
    return answer;
}

json_t *req_calendar_delete(struct req *r)
{
    static const char *const known[] = { "id", NULL };
    static const char lock_sql[] =
        "SELECT doc::text FROM lighting_calendar WHERE id = $1 FOR UPDATE";
    static const char users_sql[] = "SELECT string_agg(group_name, ', ' ORDER BY group_name)"
                                    " FROM lighting_assignment WHERE calendar_id = $1";
    static const char delete_sql[] = "DELETE FROM lighting_calendar WHERE id = $1";
    const char *id = NULL;
    PGresult *res = NULL;
    json_t *err = req_only(r, known), *detail = NULL;
    int n;

    if (err == NULL)
        err = req_id(r, "id", &id);
    if (err == NULL)
        err = req_begin(r);
    if (err != NULL)
        return err;
    const char *p[1] = { id };
    /* Locked first: an assignment.put naming it waits (its key share), then sees it gone. */
    n = req_query(r, "lighting.calendar_lock", &res, lock_sql, 1, p);
    if (n != 1) {
        PQclear(res);
        return req_rollback(r, n == 0 ? req_fail("not_found", "no calendar \"%s\"", id)
                                      : req_unavailable());
    }
    detail = json_pack("{s:o}", "doc", req_json_text(PQgetvalue(res, 0, 0)));
    PQclear(res);
    if (req_query(r, "lighting.calendar_users", &res, users_sql, 1, p) != 1)
        err = req_unavailable();
    else if (!PQgetisnull(res, 0, 0))
        err = req_fail("conflict", "calendar \"%s\" is assigned to group(s) %.300s", id,
                       PQgetvalue(res, 0, 0));
    PQclear(res);
    res = NULL;
    if (err == NULL && req_query(r, "lighting.calendar_delete", &res, delete_sql, 1, p) < 0)
        err = req_unavailable();
    PQclear(res);
    if (err == NULL && req_audit(r, "lighting.calendar.delete", id, detail) != 0)
        err = req_unavailable();
    json_decref(detail);
    if (err != NULL)
        return req_rollback(r, err);
    if ((err = req_commit(r)) != NULL)
        return err;
    return json_pack("{s:s}", "deleted", id);
}
