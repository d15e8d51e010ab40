/* h_ind_water.c - the river stations' indicators (GET /v1/indicators/water): per station (a site
 * of the water use case), its devices, the current level against the station's vigilance
 * thresholds, how fast it rises, and the water's quality where the station measures it.
 *
 * The level device of a station is its device with a water_level that reports no conductivity
 * (a quality probe also reads a depth), the lowest DevEUI first; its params hold the thresholds
 * vigilance_yellow_m, vigilance_orange_m and vigilance_red_m (a threshold that is not a number is
 * taken as absent; with none, the vigilance is null). The rise rate, in cm per hour, is the change
 * from the oldest reading of the hour before the latest one to the latest, null without one. The
 * quality device is the station's device with a conductivity (lowest DevEUI first).
 * SPDX-License-Identifier: MIT */
#include "h_ind.h"

/* A threshold of the level device's params as a number, or NULL. */
#define THRESHOLD(key)                                                                             \
    "CASE WHEN jsonb_typeof(d.params -> '" key "') = 'number'"                                     \
    " THEN (d.params ->> '" key "')::float8 END"

int h_ind_water(struct api_req *r)
{
    /* clang-format off */
    static const char sql[] =
        "WITH st AS ("
        " SELECT s.id, s.name, s.commune, s.insee, s.latitude, s.longitude FROM site s"
        " WHERE s.use_case = 'water'"
        " AND EXISTS (SELECT 1 FROM device d WHERE d.site_id = s.id AND " API_SQL_DEVICE_SCOPE ")"
        "), lv AS ("
        " SELECT DISTINCT ON (d.site_id) d.site_id, d.id, d.dev_eui, l.value, l.time,"
        "  " THRESHOLD("vigilance_yellow_m") " AS yellow,"
        "  " THRESHOLD("vigilance_orange_m") " AS orange,"
        "  " THRESHOLD("vigilance_red_m") " AS red"
        " FROM device d JOIN latest_value l ON l.device_id = d.id AND l.quantity = 'water_level'"
        " WHERE d.site_id IN (SELECT id FROM st) AND " API_SQL_DEVICE_SCOPE
        " ORDER BY d.site_id, EXISTS (SELECT 1 FROM latest_value c WHERE c.device_id = d.id"
        "  AND c.quantity = 'conductivity'), d.dev_eui"
        "), q AS ("
        " SELECT DISTINCT ON (d.site_id) d.site_id, d.dev_eui, c.value AS conductivity,"
        "  t.value AS temperature, c.time"
        " FROM device d JOIN latest_value c ON c.device_id = d.id AND c.quantity = 'conductivity'"
        " LEFT JOIN latest_value t ON t.device_id = d.id AND t.quantity = 'temperature'"
        " WHERE d.site_id IN (SELECT id FROM st) AND " API_SQL_DEVICE_SCOPE
        " ORDER BY d.site_id, d.dev_eui"
        ")"
        " SELECT st.id, st.name, st.commune, st.insee, st.latitude, st.longitude,"
        " (SELECT json_agg(json_build_object('dev_eui', d.dev_eui, 'name', d.name, 'model',"
        "   d.model) ORDER BY d.dev_eui) FROM device d"
        "  WHERE d.site_id = st.id AND " API_SQL_DEVICE_SCOPE "),"
        " lv.dev_eui, lv.value, " API_SQL_TS("lv.time") ", lv.yellow, lv.orange, lv.red,"
        " CASE WHEN lv.value IS NULL OR coalesce(lv.yellow, lv.orange, lv.red) IS NULL THEN NULL"
        "  WHEN lv.value >= lv.red THEN 'red' WHEN lv.value >= lv.orange THEN 'orange'"
        "  WHEN lv.value >= lv.yellow THEN 'yellow' ELSE 'green' END,"
        " (SELECT (lv.value - m.value) / extract(epoch FROM lv.time - m.time) * 360000"
        "  FROM measurement m WHERE m.device_id = lv.id AND m.quantity = 'water_level'"
        "  AND m.use_case = 'water' AND m.time >= lv.time - interval '1 hour'"
        "  AND m.time < lv.time ORDER BY m.time LIMIT 1),"
        " q.dev_eui, q.conductivity, q.temperature, " API_SQL_TS("q.time")
        " FROM st LEFT JOIN lv ON lv.site_id = st.id LEFT JOIN q ON q.site_id = st.id"
        " ORDER BY st.name, st.id";
    /* clang-format on */
    const char *params[2] = { api_scope_use_cases(r), api_scope_devices(r) };
    PGresult *res;
    json_t *items;
    int rc, n;

    if ((rc = ind_use_case_scope(r, "water")) != 0)
        return rc;
    if ((res = api_sql(r, "water indicators", sql, 2, params)) == NULL)
        return 500;
    n = PQntuples(res);
    items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *quality =
            PQgetisnull(res, i, 15)
                ? json_null()
                : json_pack("{s:o, s:o, s:o, s:o}", "dev_eui", api_col_str(res, i, 15),
                            "conductivity", api_col_real(res, i, 16), "temperature",
                            api_col_real(res, i, 17), "time", api_col_str(res, i, 18));

        json_array_append_new(
            items,
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o, s:o}, s:o, "
                      "s:o, s:o}",
                      "site_id", api_col_int(res, i, 0), "name", api_col_str(res, i, 1), "commune",
                      api_col_str(res, i, 2), "insee", api_col_str(res, i, 3), "latitude",
                      api_col_real(res, i, 4), "longitude", api_col_real(res, i, 5), "devices",
                      api_col_json(res, i, 6), "level_dev_eui", api_col_str(res, i, 7),
                      "water_level", api_col_real(res, i, 8), "water_level_time",
                      api_col_str(res, i, 9), "thresholds", "yellow", api_col_real(res, i, 10),
                      "orange", api_col_real(res, i, 11), "red", api_col_real(res, i, 12),
                      "vigilance", api_col_str(res, i, 13), "rise_rate_cm_per_h",
                      api_col_real(res, i, 14), "quality", quality));
    }
    PQclear(res);
    return api_json(r, 200, json_pack("{s:o, s:i}", "items", items, "total", n));
}
