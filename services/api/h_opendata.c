/* h_opendata.c - GET /v1/opendata/datasets and /v1/opendata/runs: what mue-opendata publishes,
 * how far each dataset's files go, and its export runs (a running one shows its progress). An
 * open dataset is everyone's; a restricted one is seen by admins and by the directorates of its
 * use case only.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

/* $1: the caller is an admin; $2: a directorate's use cases (text[]), or NULL. */
#define VISIBLE "(NOT ds.restricted OR $1::boolean OR ds.use_case = ANY($2::text[]))"

static void scope_params(const struct api_req *r, const char **p)
{
    p[0] = r->who.role == API_ADMIN ? "t" : "f";
    p[1] = r->who.role == API_DIRECTORATE ? r->who.use_cases : NULL;
}

int h_opendata_datasets(struct api_req *r)
{
    /* The answer is made by the database: a handful of datasets, each with its last run and its
     * pushes. */
    static const char
        sql[] = "SELECT coalesce(json_agg(json_build_object("
                " 'id', ds.id, 'title', ds.title, 'use_case', ds.use_case,"
                " 'access', CASE WHEN ds.restricted THEN 'restricted' ELSE 'open' END,"
                " 'frequency', ds.frequency,"
                " 'description', ds.definition->>'description',"
                " 'formats', ds.definition->'formats',"
                " 'licence', coalesce(ds.definition->>'licence', 'lov2'),"
                " 'url', CASE WHEN ds.restricted THEN NULL ELSE '/opendata/' || ds.id || '/' END,"
                " 'first_period', " API_SQL_TS(
                    "ds.first_period") ","
                                       " 'done_until', " API_SQL_TS(
                                           "ds.done_until") ","
                                                            " 'exported_at', " API_SQL_TS(
                                                                "ds.exported_at") ","
                                                                                  " 'last_run', "
                                                                                  "(SELECT "
                                                                                  "json_build_"
                                                                                  "object('id', "
                                                                                  "u.id, 'state', "
                                                                                  "u.state,"
                                                                                  "   "
                                                                                  "'started_at',"
                                                                                  " " API_SQL_TS(
                                                                                      "u.started_"
                                                                                      "at") ","
                                                                                            "   "
                                                                                            "'finis"
                                                                                            "hed_"
                                                                                            "at',"
                                                                                            " " API_SQL_TS(
                                                                                                "u."
                                                                                                "fi"
                                                                                                "ni"
                                                                                                "sh"
                                                                                                "ed"
                                                                                                "_a"
                                                                                                "t") ","
                                                                                                     "   'rows', u.rows, 'parts_done', u.parts_done, 'parts_total', u.parts_total,"
                                                                                                     "   'files', u.files, 'error', u.error)"
                                                                                                     "   FROM opendata_run u WHERE u.dataset = ds.id ORDER BY u.id DESC LIMIT 1),"
                                                                                                     " 'pushes', (SELECT coalesce(json_agg(json_build_object('portal', p.portal,"
                                                                                                     "   'state', p.state, 'package_id', p.package_id,"
                                                                                                     "   'pushed_at', " API_SQL_TS(
                                                                                                         "p.pushed_at") ", 'error', p.error)"
                                                                                                                        "   ORDER BY p.portal), '[]') FROM opendata_push p WHERE p.dataset = ds.id))"
                                                                                                                        " ORDER BY ds.id), '[]')::text"
                                                                                                                        " FROM opendata_dataset ds WHERE " VISIBLE;
    const char *p[2];
    PGresult *res;
    json_t *items;

    scope_params(r, p);
    res = api_sql(r, "opendata.datasets", sql, 2, p);
    if (res == NULL)
        return 500;
    items = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    if (!json_is_array(items)) {
        json_decref(items);
        return api_error(r, 500, "internal", "the datasets could not be read");
    }
    return api_json(r, 200,
                    json_pack("{s:o, s:s, s:s}", "items", items, "catalog_jsonld",
                              "/opendata/catalog.jsonld", "catalog_ttl", "/opendata/catalog.ttl"));
}

int h_opendata_runs(struct api_req *r)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM opendata_run u JOIN opendata_dataset ds ON ds.id = u.dataset"
        "   WHERE " VISIBLE " AND ($3::text IS NULL OR u.dataset = $3)"
        "   AND ($4::text IS NULL OR u.state = $4)),"
        " coalesce(json_agg(json_build_object('id', q.id, 'dataset', q.dataset, 'state', q.state,"
        " 'started_at', " API_SQL_TS(
            "q.started_at") ","
                            " 'finished_at', " API_SQL_TS(
                                "q.finished_at") ","
                                                 " 'period_from', " API_SQL_TS(
                                                     "q.period_from") ","
                                                                      " 'period_to', " API_SQL_TS(
                                                                          "q.period_to") ","
                                                                                         " 'rows', "
                                                                                         "q.rows, "
                                                                                         "'parts_"
                                                                                         "done', "
                                                                                         "q.parts_"
                                                                                         "done, "
                                                                                         "'parts_"
                                                                                         "total', "
                                                                                         "q.parts_"
                                                                                         "total,"
                                                                                         " 'files',"
                                                                                         " q.files,"
                                                                                         " 'error',"
                                                                                         " q.error)"
                                                                                         " ORDER "
                                                                                         "BY q.id "
                                                                                         "DESC), "
                                                                                         "'[]')::"
                                                                                         "text"
                                                                                         " FROM "
                                                                                         "(SELECT "
                                                                                         "u.* FROM "
                                                                                         "opendata_"
                                                                                         "run u "
                                                                                         "JOIN "
                                                                                         "opendata_"
                                                                                         "dataset "
                                                                                         "ds ON "
                                                                                         "ds.id = "
                                                                                         "u.dataset"
                                                                                         "   "
                                                                                         "WHERE"
                                                                                         " " VISIBLE
                                                                                         " AND "
                                                                                         "($3::"
                                                                                         "text IS "
                                                                                         "NULL OR "
                                                                                         "u."
                                                                                         "dataset "
                                                                                         "= $3)"
                                                                                         "   AND "
                                                                                         "($4::"
                                                                                         "text IS "
                                                                                         "NULL OR "
                                                                                         "u.state "
                                                                                         "= $4)"
                                                                                         "   ORDER "
                                                                                         "BY u.id "
                                                                                         "DESC "
                                                                                         "LIMIT $5 "
                                                                                         "OFFSET "
                                                                                         "$6) q";
    static const char *const states[] = { "running", "ok", "failed", "interrupted" };
    char dataset[96], state[16], lim[24], off[24];
    const char *p[6];
    long limit, offset;
    PGresult *res;
    json_t *items;
    json_int_t total;
    int rc = api_page(r, &limit, &offset), has_ds, has_state, known = 0;

    if (rc != 0)
        return rc;
    has_ds = api_query(r, "dataset", dataset, sizeof(dataset));
    has_state = api_query(r, "state", state, sizeof(state));
    if (has_ds < 0)
        return api_error(r, 400, "bad_dataset", "dataset: at most 80 characters");
    for (size_t i = 0; has_state > 0 && i < sizeof(states) / sizeof(*states); i++)
        known |= strcmp(state, states[i]) == 0;
    if (has_state < 0 || (has_state > 0 && !known))
        return api_error(r, 400, "bad_state", "state: running, ok, failed or interrupted");
    scope_params(r, p);
    snprintf(lim, sizeof(lim), "%ld", limit);
    snprintf(off, sizeof(off), "%ld", offset);
    p[2] = has_ds > 0 ? dataset : NULL;
    p[3] = has_state > 0 ? state : NULL;
    p[4] = lim;
    p[5] = off;
    res = api_sql(r, "opendata.runs", sql, 6, p);
    if (res == NULL)
        return 500;
    total = (json_int_t)strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    items = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
    PQclear(res);
    if (!json_is_array(items)) {
        json_decref(items);
        return api_error(r, 500, "internal", "the runs could not be read");
    }
    return api_json(r, 200,
                    json_pack("{s:o, s:I, s:I, s:I}", "items", items, "limit", (json_int_t)limit,
                              "offset", (json_int_t)offset, "total", total));
}
