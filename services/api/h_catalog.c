/* h_catalog.c - the catalog of mue-api: use cases, sites and devices with their health (last
 * seen, battery, radio link, ok/late/silent), each within the caller's scope.
 *
 * Scope: a directorate sees only its use cases (the others are absent from lists and 404 as
 * objects), a partner only its devices (and the sites that hold them); inactive devices are
 * never shown. Installation parameters (device.params) are not secret and are shown to all.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "query.h"

/* ---- parameters ---- */

/* ?use_case= into buf: 0 and *out (NULL when absent), or the status of the 400 sent. */
static int query_use_case(struct api_req *r, char *buf, size_t cap, const char **out)
{
    int n = api_query(r, "use_case", buf, cap);

    *out = NULL;
    if (n == 0)
        return 0;
    if (n < 0 || !query_use_case_is_valid(buf))
        return api_error(r, 400, "bad_parameter",
                         "use_case must be a use case id ([a-z][a-z0-9_]{0,31})");
    *out = buf;
    return 0;
}

/* ?site= into buf: 0 and *out (NULL when absent), or the status of the 400 sent. */
static int query_site(struct api_req *r, char *buf, size_t cap, const char **out)
{
    int n = api_query(r, "site", buf, cap);
    char *end;
    long long v;

    *out = NULL;
    if (n == 0)
        return 0;
    errno = 0;
    v = n > 0 ? strtoll(buf, &end, 10) : 0;
    if (n < 0 || buf[0] < '0' || buf[0] > '9' || *end != '\0' || errno != 0 || v < 1)
        return api_error(r, 400, "bad_parameter", "site must be a site id (a whole number >= 1)");
    *out = buf;
    return 0;
}

/* ---- use cases ---- */

int h_usecases(struct api_req *r)
{
    /* A directorate's list holds its use cases only; counts are of what the caller may see. */
    static const char sql[] =
        "SELECT u.id, u.name, u.description,"
        " (SELECT count(*) FROM device d WHERE d.use_case = u.id AND " API_SQL_DEVICE_SCOPE "),"
        " (SELECT count(*) FROM site s WHERE s.use_case = u.id AND ($2::text[] IS NULL OR EXISTS"
        "   (SELECT 1 FROM device d WHERE d.site_id = s.id AND " API_SQL_DEVICE_SCOPE "))),"
        " " API_SQL_TS(
            "SELECT max(l.time) FROM latest_value l JOIN device d ON d.id = l.device_id"
            " WHERE d.use_case = u.id AND " API_SQL_DEVICE_SCOPE) " "
                                                                  "FROM use_case u WHERE "
                                                                  "($1::text[] IS "
                                                                  "NULL OR u.id = ANY($1::text[])) "
                                                                  "ORDER BY u.id";
    const char *params[2] = { api_scope_use_cases(r), api_scope_devices(r) };
    PGresult *res = api_sql(r, "usecases", sql, 2, params);
    json_t *items;
    int n;

    if (res == NULL)
        return 500;
    n = PQntuples(res);
    items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            items, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "id", api_col_str(res, i, 0), "name",
                             api_col_str(res, i, 1), "description", api_col_str(res, i, 2),
                             "devices", api_col_int(res, i, 3), "sites", api_col_int(res, i, 4),
                             "latest", api_col_str(res, i, 5)));
    PQclear(res);
    return api_json(r, 200, json_pack("{s:o, s:i}", "items", items, "total", n));
}

/* ---- sites ---- */

/* $1, $2 the scope, $3 the use case or NULL. A partner sees the sites holding its devices. */
#define SITE_WHERE                                                                                 \
    "($1::text[] IS NULL OR s.use_case = ANY($1::text[]))"                                         \
    " AND ($3::text IS NULL OR s.use_case = $3)"                                                   \
    " AND ($2::text[] IS NULL OR EXISTS"                                                           \
    "  (SELECT 1 FROM device d WHERE d.site_id = s.id AND " API_SQL_DEVICE_SCOPE "))"

int h_sites(struct api_req *r)
{
    static const char sql[] =
        "SELECT s.id, s.name, s.use_case, s.commune, s.insee, s.latitude, s.longitude,"
        " (SELECT count(*) FROM device d WHERE d.site_id = s.id AND " API_SQL_DEVICE_SCOPE ") "
        "FROM site s WHERE " SITE_WHERE " ORDER BY s.use_case, s.name, s.id"
        " LIMIT $4::bigint OFFSET $5::bigint";
    static const char count_sql[] = "SELECT count(*) FROM site s WHERE " SITE_WHERE;
    char uc[64], lim[24], off[24];
    const char *params[5] = { api_scope_use_cases(r), api_scope_devices(r), NULL, lim, off };
    long limit, offset;
    PGresult *res;
    json_t *items;
    long long total;
    int rc;

    if ((rc = query_use_case(r, uc, sizeof(uc), &params[2])) != 0 ||
        (rc = api_page(r, &limit, &offset)) != 0)
        return rc;
    snprintf(lim, sizeof(lim), "%ld", limit);
    snprintf(off, sizeof(off), "%ld", offset);
    if ((res = api_sql(r, "sites count", count_sql, 3, params)) == NULL)
        return 500;
    total = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    if ((res = api_sql(r, "sites", sql, 5, params)) == NULL)
        return 500;
    items = json_array();
    for (int i = 0; i < PQntuples(res); i++)
        json_array_append_new(
            items,
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", api_col_int(res, i, 0),
                      "name", api_col_str(res, i, 1), "use_case", api_col_str(res, i, 2), "commune",
                      api_col_str(res, i, 3), "insee", api_col_str(res, i, 4), "latitude",
                      api_col_real(res, i, 5), "longitude", api_col_real(res, i, 6), "devices",
                      api_col_int(res, i, 7)));
    PQclear(res);
    return api_json(r, 200,
                    json_pack("{s:o, s:i, s:i, s:I}", "items", items, "limit", (int)limit, "offset",
                              (int)offset, "total", (json_int_t)total));
}

/* ---- devices ---- */

/* One device per row with its health: the newest time of any quantity, the newest of battery
 * (%) and battery_voltage (V), the latest rssi and snr; late means no uplink for more than twice
 * the expected period. Columns as device_json reads them. */
#define DEVICE_SELECT                                                                              \
    "SELECT d.dev_eui, d.name, d.model, d.use_case, d.network, d.site_id, d.latitude,"             \
    " d.longitude, d.expected_period_s, d.params::text, " API_SQL_TS(                              \
        "h.last_seen") ","                                                                         \
                       " b.quantity, b.value, " API_SQL_TS(                                        \
                           "b.time") ", rs.value, sn.value,"                                       \
                                     " CASE WHEN h.last_seen IS NULL THEN 'silent'"                \
                                     "      WHEN d.expected_period_s IS NOT NULL"                  \
                                     "       AND h.last_seen < now() - 2 * d.expected_period_s * " \
                                     "interval '1 second' THEN 'late'"                             \
                                     "      ELSE 'ok' END "                                        \
                                     "FROM device d"                                               \
                                     " LEFT JOIN LATERAL (SELECT max(l.time) AS last_seen FROM "   \
                                     "latest_value l"                                              \
                                     "   WHERE l.device_id = d.id) h ON true"                      \
                                     " LEFT JOIN LATERAL (SELECT l.quantity, l.value, l.time "     \
                                     "FROM latest_value l"                                         \
                                     "   WHERE l.device_id = d.id AND l.quantity IN ('battery', "  \
                                     "'battery_voltage')"                                          \
                                     "   ORDER BY l.time DESC, l.quantity LIMIT 1) b ON true"      \
                                     " LEFT JOIN latest_value rs ON rs.device_id = d.id AND "      \
                                     "rs.quantity = 'rssi'"                                        \
                                     " LEFT JOIN latest_value sn ON sn.device_id = d.id AND "      \
                                     "sn.quantity = 'snr'"

static json_t *device_json(const PGresult *res, int i)
{
    json_t *params = NULL, *battery = json_null();

    if (!PQgetisnull(res, i, 9))
        params = json_loads(PQgetvalue(res, i, 9), JSON_DECODE_ANY, NULL);
    if (params == NULL)
        params = json_object();
    if (!PQgetisnull(res, i, 11))
        battery = json_pack("{s:o, s:s, s:o}", "value", api_col_real(res, i, 12), "unit",
                            strcmp(PQgetvalue(res, i, 11), "battery") == 0 ? "%" : "V", "time",
                            api_col_str(res, i, 13));
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o, s:o, s:o, "
                     "s:s}}",
                     "dev_eui", api_col_str(res, i, 0), "name", api_col_str(res, i, 1), "model",
                     api_col_str(res, i, 2), "use_case", api_col_str(res, i, 3), "network",
                     api_col_str(res, i, 4), "site_id", api_col_int(res, i, 5), "latitude",
                     api_col_real(res, i, 6), "longitude", api_col_real(res, i, 7),
                     "expected_period_s", api_col_int(res, i, 8), "params", params, "health",
                     "last_seen", api_col_str(res, i, 10), "battery", battery, "rssi",
                     api_col_real(res, i, 14), "snr", api_col_real(res, i, 15), "status",
                     PQgetvalue(res, i, 16));
}

/* $1, $2 the scope, $3 the use case or NULL, $4 the site or NULL. */
#define DEVICES_WHERE                                                                              \
    " WHERE " API_SQL_DEVICE_SCOPE " AND ($3::text IS NULL OR d.use_case = $3)"                    \
    " AND ($4::bigint IS NULL OR d.site_id = $4::bigint)"

int h_devices(struct api_req *r)
{
    static const char sql[] = DEVICE_SELECT DEVICES_WHERE
        " ORDER BY d.use_case, d.name, d.dev_eui LIMIT $5::bigint OFFSET $6::bigint";
    static const char count_sql[] = "SELECT count(*) FROM device d" DEVICES_WHERE;
    char uc[64], site[32], lim[24], off[24];
    const char *params[6] = { api_scope_use_cases(r), api_scope_devices(r), NULL, NULL, lim, off };
    long limit, offset;
    PGresult *res;
    json_t *items;
    long long total;
    int rc;

    if ((rc = query_use_case(r, uc, sizeof(uc), &params[2])) != 0 ||
        (rc = query_site(r, site, sizeof(site), &params[3])) != 0 ||
        (rc = api_page(r, &limit, &offset)) != 0)
        return rc;
    snprintf(lim, sizeof(lim), "%ld", limit);
    snprintf(off, sizeof(off), "%ld", offset);
    if ((res = api_sql(r, "devices count", count_sql, 4, params)) == NULL)
        return 500;
    total = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    if ((res = api_sql(r, "devices", sql, 6, params)) == NULL)
        return 500;
    items = json_array();
    for (int i = 0; i < PQntuples(res); i++)
        json_array_append_new(items, device_json(res, i));
    PQclear(res);
    return api_json(r, 200,
                    json_pack("{s:o, s:i, s:i, s:I}", "items", items, "limit", (int)limit, "offset",
                              (int)offset, "total", (json_int_t)total));
}

int h_device(struct api_req *r)
{
    static const char sql[] = DEVICE_SELECT " WHERE " API_SQL_DEVICE_SCOPE " AND d.dev_eui = $3";
    char eui[17];
    const char *params[3] = { api_scope_use_cases(r), api_scope_devices(r), eui };
    PGresult *res;
    json_t *o;
    int rc;

    if ((rc = api_dev_eui(r, r->param[0], eui)) != 0)
        return rc;
    if ((res = api_sql(r, "device", sql, 3, params)) == NULL)
        return 500;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return api_error(r, 404, "not_found", "no device %s", eui);
    }
    o = device_json(res, 0);
    PQclear(res);
    return api_json(r, 200, o);
}

int catalog_device_answer(struct api_req *r, int status, const char *eui)
{
    static const char sql[] = DEVICE_SELECT " WHERE d.dev_eui = $1";
    const char *params[1] = { eui };
    PGresult *res = api_sql(r, "device", sql, 1, params);
    json_t *o;

    if (res == NULL)
        return 500;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return api_error(r, 404, "not_found", "no device %s", eui);
    }
    o = device_json(res, 0);
    PQclear(res);
    return api_json(r, status, o);
}
