/* h_latest.c - latest values (latest_value): of one device, and of every device of a use case as
 * JSON or as a GeoJSON FeatureCollection for maps; within the caller's scope.
 *
 * Units come from a copy of the vocabulary's units below (docs/quantities.md), so that mue-api
 * need not link the normalizer; a quantity not in it has "unit": null.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "query.h"

/* ---- units ---- */

/* Each unit with the quantities in it, space separated (docs/quantities.md; keep in step). */
static const struct {
    const char *unit;
    const char *names;
} units[] = {
    { "%", "battery humidity fill_level dim_level" },
    { "V", "battery_voltage voltage" },
    { "dBm", "rssi" },
    { "dB", "snr link_margin" },
    { "°C", "device_temperature temperature" },
    { "°", "tilt_angle latitude longitude" },
    { "dB(A)", "LAF LAS LAI LAeq LAFmax LASmax LAImax LAmax LA10 LA50 LA90" },
    { "dB(C)", "LCF LCS LCI LCeq LCFmax LCSmax LCImax" },
    { "dB(Z)", "LZF LZS LZI LZeq LZFmax LZSmax LZImax" },
    { "lx", "illuminance" },
    { "ppm", "co2" },
    { "bar", "pressure" },
    { "m", "distance water_level water_depth" },
    { "µS/cm", "conductivity" },
    { "pH", "ph" },
    { "NTU", "turbidity" },
    { "mg/L", "dissolved_oxygen" },
    { "W", "solar_power power load_side_power" },
    { "A", "current" },
    { "kWh", "energy load_side_energy" },
    { "h", "lamp_on_time driver_operating_time" },
    { "1", "battery_low f_cnt tilt motion full_alarm fire_alarm freezing valid_samples count_ltr "
           "count_rtl count_ltr_total count_rtl_total bike_count_in bike_count_out "
           "pedestrian_count_in pedestrian_count_out power_factor lamp_on lamp_failure switch "
           "relay_closed light_sensor lamp_error_alert over_current_alert under_voltage_alert "
           "over_voltage_alert low_power_factor_alert" },
};

/* The quantities that take an index: dim_level_12 has the unit of dim_level. */
static const char indexed[] = "dim_level lamp_on lamp_failure lamp_on_time driver_operating_time "
                              "switch";

/* Whether the space-separated 'list' holds the word name[0..len). */
static bool has_word(const char *list, const char *name, size_t len)
{
    for (const char *p = list; *p != '\0';) {
        size_t w = strcspn(p, " ");

        if (w == len && memcmp(p, name, len) == 0)
            return true;
        p += w;
        p += strspn(p, " ");
    }
    return false;
}

static const char *unit_of(const char *q)
{
    size_t len = strlen(q), base = len;

    /* An index is "_<digits>" at the end of an indexed quantity. */
    while (base > 0 && q[base - 1] >= '0' && q[base - 1] <= '9')
        base--;
    if (base < len && base > 1 && q[base - 1] == '_' && has_word(indexed, q, base - 1))
        len = base - 1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (has_word(units[i].names, q, len))
            return units[i].unit;
    return NULL;
}

/* {quantity, value, unit, time} from columns q, q+1 (value), q+2 (time). */
static json_t *value_json(const PGresult *res, int i, int q)
{
    const char *unit = unit_of(PQgetvalue(res, i, q));

    return json_pack("{s:o, s:o, s:o, s:o}", "quantity", api_col_str(res, i, q), "value",
                     api_col_real(res, i, q + 1), "unit", unit ? json_string(unit) : json_null(),
                     "time", api_col_str(res, i, q + 2));
}

/* ---- one device ---- */

int h_device_latest(struct api_req *r)
{
    static const char sql[] = "SELECT l.quantity, l.value, " API_SQL_TS(
        "l.time") " FROM device d"
                  " LEFT JOIN latest_value l ON l.device_id = d.id"
                  " WHERE " API_SQL_DEVICE_SCOPE " AND d.dev_eui = $3 ORDER BY l.quantity";
    char eui[17];
    const char *params[3] = { api_scope_use_cases(r), api_scope_devices(r), eui };
    PGresult *res;
    json_t *values;
    int rc;

    if ((rc = api_dev_eui(r, r->param[0], eui)) != 0)
        return rc;
    if ((res = api_sql(r, "device latest", sql, 3, params)) == NULL)
        return 500;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return api_error(r, 404, "not_found", "no device %s", eui);
    }
    values = json_array();
    /* A device that never reported is one row of NULLs (the left join). */
    for (int i = 0; i < PQntuples(res); i++)
        if (!PQgetisnull(res, i, 0))
            json_array_append_new(values, value_json(res, i, 0));
    PQclear(res);
    return api_json(r, 200, json_pack("{s:s, s:o}", "dev_eui", eui, "values", values));
}

/* ---- a use case ---- */

/* A GeoJSON Feature of the device of row i (with a position): its properties are dev_eui,
 * name, site_id, last_seen (the newest time of the values shown), and each quantity shown with
 * its value, flat, so that map tools can style on them. */
static json_t *feature(const PGresult *res, int i)
{
    return json_pack("{s:s, s:{s:s, s:[o, o]}, s:{s:o, s:o, s:o, s:n}}", "type", "Feature",
                     "geometry", "type", "Point", "coordinates", api_col_real(res, i, 3),
                     api_col_real(res, i, 2), "properties", "dev_eui", api_col_str(res, i, 0),
                     "name", api_col_str(res, i, 1), "site_id", api_col_int(res, i, 4),
                     "last_seen");
}

static json_t *device_item(const PGresult *res, int i)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:[]}", "dev_eui", api_col_str(res, i, 0), "name",
                     api_col_str(res, i, 1), "latitude", api_col_real(res, i, 2), "longitude",
                     api_col_real(res, i, 3), "site_id", api_col_int(res, i, 4), "values");
}

int h_usecase_latest(struct api_req *r)
{
    /* Out of a directorate's scope, a use case does not exist. */
    static const char uc_sql[] =
        "SELECT 1 FROM use_case WHERE id = $2 AND ($1::text[] IS NULL OR id = ANY($1::text[]))";
    static const char sql[] =
        "SELECT d.dev_eui, d.name, d.latitude, d.longitude, d.site_id,"
        " l.quantity, l.value, " API_SQL_TS(
            "l.time") " FROM device d"
                      " LEFT JOIN latest_value l ON l.device_id = d.id AND ($4::text IS NULL OR "
                      "l.quantity = $4)"
                      " WHERE " API_SQL_DEVICE_SCOPE
                      " AND d.use_case = $3 ORDER BY d.name, d.dev_eui, l.quantity";
    char fmt[16], q[72];
    const char *uc = r->param[0];
    const char *params[4] = { api_scope_use_cases(r), api_scope_devices(r), uc, NULL };
    const char *uc_params[2] = { params[0], uc };
    bool geo;
    PGresult *res;
    json_t *items, *cur = NULL, *values = NULL, *props = NULL;
    const char *prev = "";
    int n;

    if (!query_use_case_is_valid(uc))
        return api_error(r, 400, "bad_parameter",
                         "use_case must be a use case id ([a-z][a-z0-9_]{0,31})");
    n = api_query(r, "format", fmt, sizeof(fmt));
    if (n == 0)
        strcpy(fmt, "json");
    if (n < 0 || (strcmp(fmt, "json") != 0 && strcmp(fmt, "geojson") != 0))
        return api_error(r, 400, "bad_parameter", "format must be json or geojson");
    geo = strcmp(fmt, "geojson") == 0;
    n = api_query(r, "quantity", q, sizeof(q));
    if (n < 0 || (n == 1 && !query_quantity_is_valid(q)))
        return api_error(r, 400, "bad_parameter",
                         "quantity must be a quantity name (docs/quantities.md)");
    if (n == 1)
        params[3] = q;

    if ((res = api_sql(r, "use case", uc_sql, 2, uc_params)) == NULL)
        return 500;
    n = PQntuples(res);
    PQclear(res);
    if (n == 0)
        return api_error(r, 404, "not_found", "no use case %s", uc);

    if ((res = api_sql(r, "use case latest", sql, 4, params)) == NULL)
        return 500;
    items = json_array();
    /* Rows come grouped by device: one item per device, its values gathered under it. */
    for (int i = 0; i < PQntuples(res); i++) {
        const char *eui = PQgetvalue(res, i, 0);

        if (strcmp(eui, prev) != 0) {
            prev = eui;
            cur = NULL;
            if (!geo) {
                cur = device_item(res, i);
                values = json_object_get(cur, "values");
            } else if (!PQgetisnull(res, i, 2) && !PQgetisnull(res, i, 3)) {
                cur = feature(res, i);
                props = json_object_get(cur, "properties");
            }
            if (cur != NULL)
                json_array_append_new(items, cur);
        }
        if (cur == NULL || PQgetisnull(res, i, 5))
            continue;
        if (geo) {
            const char *t = PQgetvalue(res, i, 7),
                       *seen = json_string_value(json_object_get(props, "last_seen"));

            json_object_set_new(props, PQgetvalue(res, i, 5), api_col_real(res, i, 6));
            /* The times are all of one fixed-width form: text order is time order. */
            if (seen == NULL || strcmp(t, seen) > 0)
                json_object_set_new(props, "last_seen", json_string(t));
        } else
            json_array_append_new(values, value_json(res, i, 5));
    }
    PQclear(res);
    if (geo)
        return api_json_as(r, 200, "application/geo+json",
                           json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", items));
    return api_json(r, 200,
                    json_pack("{s:s, s:o, s:I}", "use_case", uc, "items", items, "total",
                              (json_int_t)json_array_size(items)));
}
