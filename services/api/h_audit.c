/* h_audit.c - GET /v1/audit: what operators and keys did (key.create, device.update...), newest
 * first, a page at a time. Admins only (the route table says so).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include "handlers.h"

int h_audit(struct api_req *r)
{
    /* The page is made into JSON by the database: detail is jsonb already, and a page is at
     * most 1000 rows. */
    static const char sql[] =
        "SELECT (SELECT count(*) FROM audit_log),"
        " coalesce(json_agg(row_to_json(p) ORDER BY p.n), '[]')::text FROM"
        " (SELECT row_number() OVER (ORDER BY l.at DESC, l.id DESC) AS n, l.id,"
        " to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS at, l.key_id,"
        " l.actor, l.action, l.target, l.detail"
        " FROM audit_log l ORDER BY l.at DESC, l.id DESC LIMIT $1 OFFSET $2) p";
    char lim[24], off[24];
    const char *params[2] = { lim, off };
    long limit, offset;
    PGresult *res;
    json_t *items, *it;
    json_int_t total;
    size_t i;
    int rc = api_page(r, &limit, &offset);

    if (rc != 0)
        return rc;
    snprintf(lim, sizeof(lim), "%ld", limit);
    snprintf(off, sizeof(off), "%ld", offset);
    res = api_sql(r, "audit", sql, 2, params);
    if (res == NULL)
        return 500;
    items = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
    total = (json_int_t)strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    if (!json_is_array(items)) {
        json_decref(items);
        return api_error(r, 500, "internal", "the audit log could not be read");
    }
    /* n only ordered the page. */
    json_array_foreach(items, i, it) json_object_del(it, "n");
    return api_json(r, 200,
                    json_pack("{s:o, s:I, s:I, s:I}", "items", items, "limit", (json_int_t)limit,
                              "offset", (json_int_t)offset, "total", total));
}
