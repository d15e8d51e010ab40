/* req_docs.c - what programs and calendars share: both are stored as the canonical TALQ JSON of
 * what the parsers read, upserted with their audit row, and refused with the parser's reason.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "req_common.h"

char *req_doc_text(const struct req *r, const char *name, json_t **err)
{
    json_t *v = json_object_get(r->body, name);
    char *text;

    *err = NULL;
    if (v == NULL || json_is_null(v)) {
        *err = req_fail("bad_request", "%s: missing", name);
        return NULL;
    }
    if (!json_is_object(v)) {
        *err = req_fail("bad_request", "%s: must be a TALQ object", name);
        return NULL;
    }
    text = json_dumps(v, JSON_COMPACT);
    if (text == NULL)
        abort();
    return text;
}

json_t *req_doc_refusal(const char *name, const char *why)
{
    /* A path is the text before the first ": ", with no space in it. */
    const char *colon = strstr(why, ": ");
    bool has_path = colon != NULL && colon > why && memchr(why, ' ', (size_t)(colon - why)) == NULL;

    if (has_path)
        return req_fail("bad_request", "%s.%s", name, why);
    return req_fail("bad_request", "%s: %s", name, why);
}

json_t *req_doc_put(struct req *r, const struct req_doc_kind *k, const char *id, const char *doc,
                    req_doc_check_fn check, const void *parsed)
{
    const char *p[3] = { id, doc, r->actor };
    char action[48];
    PGresult *res = NULL;
    json_t *answer, *detail, *err = req_begin(r);
    bool created;

    if (err != NULL)
        return err;
    if (check != NULL && (err = check(r, parsed)) != NULL)
        return req_rollback(r, err);
    if (req_query(r, k->put_what, &res, k->put_sql, 3, p) != 1) {
        PQclear(res);
        return req_rollback(r, req_unavailable());
    }
    created = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    answer =
        json_pack("{s:o, s:b}", k->name, req_json_text(PQgetvalue(res, 0, 1)), "created", created);
    PQclear(res);
    snprintf(action, sizeof(action), "lighting.%s.put", k->name);
    detail = json_pack("{s:b, s:o}", "created", created, "doc", req_json_text(doc));
    err =
        req_audit(r, action, id, detail) == 0 ? req_commit(r) : req_rollback(r, req_unavailable());
    json_decref(detail);
    if (err != NULL) {
        json_decref(answer);
        return err;
    }
    r->changed = true;
    return answer;
}
