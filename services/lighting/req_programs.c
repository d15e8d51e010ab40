/* req_programs.c - the control programs requests: programs.list, program.put, program.delete.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "req_common.h"
#include "talq_json.h"

/* (xmax = 0): the row was inserted, not updated, by this statement. */
static const struct req_doc_kind program_kind = {
    "program",
    "SELECT coalesce(json_agg(" REQ_DOC_JSON " ORDER BY id), '[]')::text FROM lighting_program",
    "INSERT INTO lighting_program (id, doc, updated_at, updated_by) VALUES ($1, $2::jsonb, now(), "
    "$3) ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, updated_at = now(),"
    " updated_by = EXCLUDED.updated_by RETURNING xmax = 0, " REQ_DOC_JSON "::text",
    "lighting.program_put",
};

/* The calendars that name program $1, by default or in a rule. */
static const char naming_sql[] =
    "SELECT string_agg(id, ', ' ORDER BY id) FROM lighting_calendar"
    " WHERE doc @> jsonb_build_object('defaultProgram', $1::text)"
    " OR doc @> jsonb_build_object('rules', jsonb_build_array(jsonb_build_object('program',"
    " $1::text)))";

json_t *req_programs_list(struct req *r)
{
    static const char *const known[] = { NULL };
    json_t *err = req_only(r, known);

    if (err != NULL)
        return err;
    return req_list(r, "lighting.programs", "programs", program_kind.list_sql, 0, NULL);
}

json_t *req_program_put(struct req *r)
{
    static const char *const known[] = { "program", NULL };
    struct light_program p;
    char why[256], *text, *doc;
    json_t *err = req_only(r, known), *answer;

    if (err != NULL)
        return err;
    text = req_doc_text(r, "program", &err);
    if (text == NULL)
        return err;
    if (talq_program_parse(text, strlen(text), &p, why, sizeof(why)) != 0) {
        free(text);
        return req_doc_refusal("program", why);
    }
    free(text);
    doc = talq_program_json(&p);
    if (doc == NULL)
        return req_fail("bad_request", "program: TALQ cannot express this program");
    answer = req_doc_put(r, &program_kind, p.id, doc, NULL, NULL);
    free(doc);
    return answer;
}

json_t *req_program_delete(struct req *r)
{
    static const char *const known[] = { "id", NULL };
    static const char delete_sql[] =
        "DELETE FROM lighting_program WHERE id = $1 RETURNING doc::text";
    const char *id = NULL;
    PGresult *res = NULL;
    json_t *err = req_only(r, known), *detail;
    int n;

    if (err == NULL)
        err = req_id(r, "id", &id);
    if (err == NULL)
        err = req_begin(r);
    if (err != NULL)
        return err;
    /* Deleting first locks the row: a calendar.put naming it waits (FOR SHARE), then fails. */
    const char *p[1] = { id };
    n = req_query(r, "lighting.program_delete", &res, delete_sql, 1, p);
    if (n != 1) {
        PQclear(res);
        return req_rollback(r, n == 0 ? req_fail("not_found", "no program \"%s\"", id)
                                      : req_unavailable());
    }
    detail = json_pack("{s:o}", "doc", req_json_text(PQgetvalue(res, 0, 0)));
    PQclear(res);
    if (req_query(r, "lighting.program_users", &res, naming_sql, 1, p) != 1)
        err = req_unavailable();
    else if (!PQgetisnull(res, 0, 0))
        err = req_fail("conflict", "program \"%s\" is named by calendar(s) %.300s", id,
                       PQgetvalue(res, 0, 0));
    PQclear(res);
    if (err == NULL && req_audit(r, "lighting.program.delete", id, detail) != 0)
        err = req_unavailable();
    json_decref(detail);
    if (err != NULL)
        return req_rollback(r, err);
    if ((err = req_commit(r)) != NULL)
        return err;
    return json_pack("{s:s}", "deleted", id);
}
