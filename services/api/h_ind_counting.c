/* h_ind_counting.c - the counters' indicators (GET /v1/indicators/counting) and what a counter's
 * public display shows (GET /v1/counters/{dev_eui}/display).
 *
 * A counter's passages are the quantities the normalizer derives from its two directions
 * (bike_count_in / _out, or pedestrian_count_in / _out: counts per reporting interval), summed
 * from the daily rollups, whose days are Paris days: today, yesterday and this year (January 1st
 * to today). "updated" is the time of the counter's latest count.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "h_ind.h"

#define COUNT_QUANTITIES                                                                           \
    "('bike_count_in', 'bike_count_out', 'pedestrian_count_in', 'pedestrian_count_out')"

/* $1, $2 the scope, $3 one DevEUI or NULL for all. Columns: dev_eui, name, site, counts,
 * latitude, longitude, in today, yesterday, year, out today, yesterday, year, updated. */
/* clang-format off */
static const char counting_sql[] =
    "WITH c AS ("
    " SELECT d.id, d.dev_eui, d.name, s.name AS site, d.params ->> 'counts' AS counts,"
    "  coalesce(d.latitude, s.latitude) AS lat, coalesce(d.longitude, s.longitude) AS lon"
    " FROM device d LEFT JOIN site s ON s.id = d.site_id"
    " WHERE d.use_case = 'counting' AND " API_SQL_DEVICE_SCOPE
    " AND ($3::text IS NULL OR d.dev_eui = $3)"
    "), r AS ("
    " SELECT r.device_id, right(r.quantity, 3) = '_in' AS inbound,"
    "  round(sum(r.sum) FILTER (WHERE r.day = " IND_TODAY ")) AS today,"
    "  round(sum(r.sum) FILTER (WHERE r.day = " IND_TODAY " - 1)) AS yesterday,"
    "  round(sum(r.sum) FILTER (WHERE r.day >= date_trunc('year', " IND_TODAY ")::date)) AS year"
    " FROM rollup_day r JOIN c ON c.id = r.device_id"
    " WHERE r.quantity IN " COUNT_QUANTITIES " AND r.day <= " IND_TODAY
    " AND r.day >= least(date_trunc('year', " IND_TODAY ")::date, " IND_TODAY " - 1)"
    " GROUP BY 1, 2"
    ")"
    " SELECT c.dev_eui, c.name, c.site, c.counts, c.lat, c.lon,"
    " coalesce(i.today, 0), coalesce(i.yesterday, 0), coalesce(i.year, 0),"
    " coalesce(o.today, 0), coalesce(o.yesterday, 0), coalesce(o.year, 0),"
    " " API_SQL_TS("SELECT max(l.time) FROM latest_value l WHERE l.device_id = c.id"
               " AND l.quantity IN " COUNT_QUANTITIES)
    " FROM c LEFT JOIN r i ON i.device_id = c.id AND i.inbound"
    " LEFT JOIN r o ON o.device_id = c.id AND NOT o.inbound"
    " ORDER BY c.name, c.dev_eui";
/* clang-format on */

static json_int_t col_count(const PGresult *res, int row, int col)
{
    return (json_int_t)strtoll(PQgetvalue(res, row, col), NULL, 10);
}

int h_ind_counting(struct api_req *r)
{
    const char *params[3] = { api_scope_use_cases(r), api_scope_devices(r), NULL };
    PGresult *res;
    json_t *items;
    int rc, n;

    if ((rc = ind_use_case_scope(r, "counting")) != 0)
        return rc;
    if ((res = api_sql(r, "counting indicators", counting_sql, 3, params)) == NULL)
        return 500;
    n = PQntuples(res);
    items = json_array();
    for (int i = 0; i < n; i++) {
        json_int_t c[6];

        for (int k = 0; k < 6; k++)
            c[k] = col_count(res, i, 6 + k);
        json_array_append_new(
            items,
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I},"
                      " s:{s:I, s:I, s:I}, s:o}",
                      "dev_eui", api_col_str(res, i, 0), "name", api_col_str(res, i, 1), "site",
                      api_col_str(res, i, 2), "counts", api_col_str(res, i, 3), "latitude",
                      api_col_real(res, i, 4), "longitude", api_col_real(res, i, 5), "in", "today",
                      c[0], "yesterday", c[1], "year", c[2], "out", "today", c[3], "yesterday",
                      c[4], "year", c[5], "total", "today", c[0] + c[3], "yesterday", c[1] + c[4],
                      "year", c[2] + c[5], "updated", api_col_str(res, i, 12)));
    }
    PQclear(res);
    return api_json(r, 200, json_pack("{s:o, s:i}", "items", items, "total", n));
}

int h_counter_display(struct api_req *r)
{
    char eui[17];
    const char *params[3] = { api_scope_use_cases(r), api_scope_devices(r), eui };
    PGresult *res;
    json_t *body;
    int rc;

    if ((rc = api_dev_eui(r, r->param[0], eui)) != 0)
        return rc;
    if ((res = api_sql(r, "counter display", counting_sql, 3, params)) == NULL)
        return 500;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return api_error(r, 404, "not_found", "no counter %s", eui);
    }
    body =
        json_pack("{s:s, s:o, s:I, s:I, s:o}", "dev_eui", eui, "name", api_col_str(res, 0, 1),
                  "today", col_count(res, 0, 6) + col_count(res, 0, 9), "year",
                  col_count(res, 0, 8) + col_count(res, 0, 11), "updated", api_col_str(res, 0, 12));
    PQclear(res);
    return api_json(r, 200, body);
}
