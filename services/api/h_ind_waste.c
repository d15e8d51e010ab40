/* h_ind_waste.c - the waste containers' indicators (GET /v1/indicators/waste): each container's
 * fill level and class, how fast it fills since it was last emptied, when it will be full, and
 * whether the round should take it today; with the counts per class and the list to collect.
 *
 * The fill rate is the least-squares slope, in points per day, of the fill_level readings of the
 * last 14 days taken since the last emptying (a drop of more than 30 points between consecutive
 * readings; the first reading after the drop counts). The date full extends that rate from the
 * latest reading; it is null when the rate is not positive or when it is ten years away or more.
 *
 * The commune filter (?commune=INSEE) goes through the device's site: a container without a site
 * has no known commune and is left out when the filter is given.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "h_ind.h"
#include "query.h"

#define EMPTIED_DROP "30"   /* points lost between two readings that mean an emptying */
#define RATE_DAYS    "14"   /* days of readings the rate is taken over */
#define HORIZON_DAYS "3650" /* beyond this, no date full is given */

/* The fill classes, by lower bound; a container that never reported is "unknown". */
static const char *const classes[] = { "empty", "low", "medium", "high", "full", "unknown" };

int h_ind_waste(struct api_req *r)
{
    /* clang-format off */
    static const char sql[] =
        "WITH dev AS ("
        " SELECT d.id, d.dev_eui, d.name, d.site_id, s.name AS site, s.insee,"
        "  coalesce(d.latitude, s.latitude) AS lat, coalesce(d.longitude, s.longitude) AS lon"
        " FROM device d LEFT JOIN site s ON s.id = d.site_id"
        " WHERE d.use_case = 'waste' AND " API_SQL_DEVICE_SCOPE
        " AND ($3::text IS NULL OR s.insee = $3)"
        "), m AS ("
        " SELECT m.device_id, m.time, m.value,"
        "  lag(m.value) OVER (PARTITION BY m.device_id ORDER BY m.time) AS prev"
        " FROM measurement m JOIN dev ON dev.id = m.device_id"
        " WHERE m.use_case = 'waste' AND m.quantity = 'fill_level'"
        " AND m.time > now() - interval '" RATE_DAYS " days'"
        "), e AS ("
        " SELECT device_id, max(time) FILTER (WHERE prev - value > " EMPTIED_DROP ") AS emptied"
        " FROM m GROUP BY device_id"
        "), t AS ("
        " SELECT m.device_id, CASE WHEN count(*) >= 2"
        "  THEN regr_slope(m.value, extract(epoch FROM m.time) / 86400) END AS rate"
        " FROM m JOIN e USING (device_id) WHERE e.emptied IS NULL OR m.time >= e.emptied"
        " GROUP BY m.device_id"
        "), v AS ("
        " SELECT dev.*, l.value AS fill, l.time, t.rate,"
        "  CASE WHEN t.rate > 0 AND (100 - least(l.value, 100)) / t.rate < " HORIZON_DAYS
        "  THEN l.time + (100 - least(l.value, 100)) / t.rate * interval '1 day' END AS full_at"
        " FROM dev LEFT JOIN latest_value l ON l.device_id = dev.id AND l.quantity = 'fill_level'"
        " LEFT JOIN t ON t.device_id = dev.id"
        ")"
        " SELECT dev_eui, name, site_id, site, insee, lat, lon, fill, " API_SQL_TS("time") ","
        " CASE WHEN fill IS NULL THEN 5 WHEN fill < 25 THEN 0 WHEN fill < 50 THEN 1"
        "  WHEN fill < 75 THEN 2 WHEN fill < 90 THEN 3 ELSE 4 END,"
        " rate, " API_SQL_TS("full_at") ","
        " coalesce(fill >= 90"
        "  OR full_at < ((" IND_TODAY " + 1) + time '06:00') AT TIME ZONE 'Europe/Paris', false)"
        " FROM v ORDER BY name, dev_eui";
    /* clang-format on */
    char commune[16];
    const char *params[3] = { api_scope_use_cases(r), api_scope_devices(r), NULL };
    json_int_t counts[6] = { 0 };
    json_t *items, *collect, *by_class;
    PGresult *res;
    int rc, n;

    n = api_query(r, "commune", commune, sizeof(commune));
    if (n < 0 || (n == 1 && !query_insee_is_valid(commune)))
        return api_error(r, 400, "bad_parameter",
                         "commune must be an INSEE commune code (5 characters, e.g. 13001)");
    if (n == 1)
        params[2] = commune;
    if ((rc = ind_use_case_scope(r, "waste")) != 0)
        return rc;
    if ((res = api_sql(r, "waste indicators", sql, 3, params)) == NULL)
        return 500;
    n = PQntuples(res);
    items = json_array();
    collect = json_array();
    for (int i = 0; i < n; i++) {
        int cls = PQgetvalue(res, i, 9)[0] - '0';
        bool today = PQgetvalue(res, i, 12)[0] == 't';
        json_t *site = PQgetisnull(res, i, 2)
                           ? json_null()
                           : json_pack("{s:o, s:o, s:o}", "id", api_col_int(res, i, 2), "name",
                                       api_col_str(res, i, 3), "insee", api_col_str(res, i, 4));

        counts[cls]++;
        if (today)
            json_array_append_new(collect, json_string(PQgetvalue(res, i, 0)));
        json_array_append_new(
            items,
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "dev_eui",
                      api_col_str(res, i, 0), "name", api_col_str(res, i, 1), "site", site,
                      "latitude", api_col_real(res, i, 5), "longitude", api_col_real(res, i, 6),
                      "fill_level", api_col_real(res, i, 7), "time", api_col_str(res, i, 8),
                      "fill_class", cls < 5 ? json_string(classes[cls]) : json_null(),
                      "fill_rate_pct_per_day", api_col_real(res, i, 10), "predicted_full",
                      api_col_str(res, i, 11), "collect_today", today));
    }
    PQclear(res);
    by_class = json_object();
    for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++)
        json_object_set_new(by_class, classes[c], json_integer(counts[c]));
    return api_json(r, 200,
                    json_pack("{s:o, s:i, s:{s:o, s:o}}", "items", items, "total", n, "summary",
                              "classes", by_class, "collect_today", collect));
}
