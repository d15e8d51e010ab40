/* h_indicators.c - the indicators of the noise observatory (Lday, Levening, Lnight, Lden and the
 * hourly profile of a day) and of the heat islands (each sensor's night), and what the other
 * indicator files share (h_ind.h). Waste, water and counting are in h_ind_<use case>.c.
 *
 * Scope: a use case out of a directorate's scope answers 404, as if it did not exist; a partner
 * sees the sites and sensors of its own devices only.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h_ind.h"
#include "query.h"

/* ---- shared ---- */

int ind_use_case_scope(struct api_req *r, const char *uc)
{
    static const char sql[] = "SELECT 1 WHERE $1::text[] IS NULL OR $2 = ANY($1::text[])";
    const char *params[2] = { api_scope_use_cases(r), uc };
    PGresult *res = api_sql(r, "use case scope", sql, 2, params);
    int n;

    if (res == NULL)
        return 500;
    n = PQntuples(res);
    PQclear(res);
    return n == 1 ? 0 : api_error(r, 404, "not_found", "no use case %s", uc);
}

int ind_day(struct api_req *r, const char *name, char day[11])
{
    static const char sql[] = "SELECT to_char(" IND_TODAY " - 1, 'YYYY-MM-DD')";
    char buf[16];
    int n = api_query(r, name, buf, sizeof(buf));
    PGresult *res;

    if (n == 1 && query_date_is_valid(buf)) {
        memcpy(day, buf, 11);
        return 0;
    }
    if (n != 0)
        return api_error(r, 400, "bad_parameter", "%s must be a date YYYY-MM-DD", name);
    if ((res = api_sql(r, "yesterday", sql, 0, NULL)) == NULL)
        return 500;
    snprintf(day, 11, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

/* ---- noise ---- */

/* The sites of the noise use case holding a device the caller may see, with the day's levels of
 * noise_site_day (null when the site has no sample in a period) and the profile of the day: the
 * energetic mean of LAeq over the site's devices for each local hour 0..23 (the hour the clocks go
 * back pools its two occurrences; the hour they skip is null). Like noise_site_day, the levels
 * pool all the site's devices. */
int h_ind_noise(struct api_req *r)
{
    static const char sql[] =
        "SELECT s.id, s.name, s.commune, s.insee, s.latitude, s.longitude,"
        " n.lday, n.levening, n.lnight, n.lden,"
        " (SELECT json_agg(p.level ORDER BY g.h) FROM generate_series(0, 23) AS g(h)"
        "  LEFT JOIN (SELECT extract(hour FROM r.hour AT TIME ZONE 'Europe/Paris')::int AS h,"
        "              (10 * log(sum(r.energy) / sum(r.count)))::float8 AS level"
        "             FROM rollup_hour r JOIN device dd ON dd.id = r.device_id"
        "             WHERE dd.site_id = s.id AND r.quantity = 'LAeq' AND r.energy IS NOT NULL"
        "             AND r.hour >= ($3::date)::timestamp AT TIME ZONE 'Europe/Paris'"
        "             AND r.hour < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Paris'"
        "             GROUP BY 1) AS p ON p.h = g.h)"
        " FROM site s LEFT JOIN noise_site_day n ON n.site_id = s.id AND n.day = $3::date"
        " WHERE s.use_case = 'noise'"
        " AND EXISTS (SELECT 1 FROM device d WHERE d.site_id = s.id AND " API_SQL_DEVICE_SCOPE ")"
        " ORDER BY s.name, s.id";
    char day[11];
    const char *params[3] = { api_scope_use_cases(r), api_scope_devices(r), day };
    PGresult *res;
    json_t *items;
    int rc, n;

    if ((rc = ind_day(r, "day", day)) != 0 || (rc = ind_use_case_scope(r, "noise")) != 0)
        return rc;
    if ((res = api_sql(r, "noise indicators", sql, 3, params)) == NULL)
        return 500;
    n = PQntuples(res);
    items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            items, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "site_id",
                             api_col_int(res, i, 0), "name", api_col_str(res, i, 1), "commune",
                             api_col_str(res, i, 2), "insee", api_col_str(res, i, 3), "latitude",
                             api_col_real(res, i, 4), "longitude", api_col_real(res, i, 5), "lday",
                             api_col_real(res, i, 6), "levening", api_col_real(res, i, 7), "lnight",
                             api_col_real(res, i, 8), "lden", api_col_real(res, i, 9),
                             "hourly_laeq", api_col_json(res, i, 10)));
    PQclear(res);
    return api_json(r, 200, json_pack("{s:s, s:o, s:i}", "day", day, "items", items, "total", n));
}

/* ---- heat ---- */

/* Every heat sensor the caller may see, with its row of heat_night for the night (all null when
 * it has none: no temperature that night). */
int h_ind_heat(struct api_req *r)
{
    static const char sql[] =
        "SELECT d.dev_eui, d.name, s.name, d.params ->> 'setting',"
        " coalesce((d.params ->> 'reference') = 'true', false),"
        " coalesce(d.latitude, s.latitude), coalesce(d.longitude, s.longitude),"
        " h.tmin, h.hours, h.tropical, h.heatwave_night, h.island"
        " FROM device d LEFT JOIN site s ON s.id = d.site_id"
        " LEFT JOIN heat_night h ON h.device_id = d.id AND h.night = $3::date"
        " WHERE d.use_case = 'heat' AND " API_SQL_DEVICE_SCOPE " ORDER BY d.name, d.dev_eui";
    char night[11];
    const char *params[3] = { api_scope_use_cases(r), api_scope_devices(r), night };
    PGresult *res;
    json_t *items;
    int rc, n;

    if ((rc = ind_day(r, "night", night)) != 0 || (rc = ind_use_case_scope(r, "heat")) != 0)
        return rc;
    if ((res = api_sql(r, "heat indicators", sql, 3, params)) == NULL)
        return 500;
    n = PQntuples(res);
    items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            items,
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "dev_eui",
                      api_col_str(res, i, 0), "name", api_col_str(res, i, 1), "site",
                      api_col_str(res, i, 2), "setting", api_col_str(res, i, 3), "reference",
                      api_col_bool(res, i, 4), "latitude", api_col_real(res, i, 5), "longitude",
                      api_col_real(res, i, 6), "tmin", api_col_real(res, i, 7), "hours",
                      api_col_int(res, i, 8), "tropical", api_col_bool(res, i, 9), "heatwave_night",
                      api_col_bool(res, i, 10), "island", api_col_real(res, i, 11)));
    PQclear(res);
    return api_json(r, 200,
                    json_pack("{s:s, s:o, s:i}", "night", night, "items", items, "total", n));
}
