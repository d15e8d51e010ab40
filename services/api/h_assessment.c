/* h_assessment.c - the pilot's monthly assessment of a use case (GET
 * /v1/usecases/{use_case}/assessment?month=YYYY-MM[&format=csv]), the "bilan" that decides the
 * scale-up: how complete each device's data was, how available it was, the alerts raised and how
 * fast they were acknowledged, and the use case's key figures of the month.
 *
 * The month is a local month (Europe/Paris), by default the current one; the period runs from its
 * first local midnight to the next month's, or to now for the current month. Every figure is read
 * from the rollups, which outlive the raw rows, in one read-only snapshot.
 *
 * Per device (active, in the caller's scope):
 * - uplinks_received: the largest number of readings of any one of its quantities in the period
 *   (every quantity of an uplink shares its time, so that is the number of uplinks);
 * - its span: from the later of the period's start and the time the device began (its creation,
 *   or its first uplink of the period when history was loaded before it was registered) to the
 *   period's end; a device that began after the period is not listed;
 * - uplinks_expected: the span's seconds / expected_period_s (null without a period), and
 *   completeness = min(1, received / expected), null until one period has gone by;
 * - availability: the hours with at least one uplink / the hours of the span: the UTC hours from
 *   the one the span starts in, the hour still running counting only once the device was heard in
 *   it (so that a device is not "unavailable" for an hour that has not ended);
 * - alerts: the alerts of the use case opened (opened_at) in the period.
 * The summary's completeness and availability are the means over the devices that have one.
 *
 * Alerts: raised in the period (opened_at), by severity; acknowledged and resolved as of now (an
 * alert of a past month acknowledged later counts); unresolved_at_end: not resolved at the
 * period's end; the time to acknowledge is acknowledged_at - created_at (wall times), its median
 * and 90th percentile over the acknowledged ones.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "mue_buf.h"
#include "query.h"

#define WASTE_FULL_PCT  "95" /* a container at or above this is full (rule waste.full) */
#define NOISE_LNIGHT_DB "55" /* the night level the noise directorate counts nights above */
#define CSV_HEADER                                                                                 \
    "dev_eui,name,site,expected_period_s,uplinks_expected,uplinks_received,completeness,"          \
    "availability,first_seen,last_seen,alerts\r\n"

/* ---- the use cases' key figures: one query each, $1 $2 the scope, $3 from, $4 to ---- */

/* A Paris day (a date column) within the period: from its first day, started before its end. */
#define DAY_IN(col)                                                                                \
    "(" col " >= ($3::timestamptz AT TIME ZONE 'Europe/Paris')::date"                              \
    " AND (" col "::timestamp AT TIME ZONE 'Europe/Paris') < $4::timestamptz)"

/* A vigilance threshold of a station's level device, as h_ind_water.c reads it. */
#define THRESHOLD(key)                                                                             \
    "CASE WHEN jsonb_typeof(d.params -> '" key "') = 'number'"                                     \
    " THEN (d.params ->> '" key "')::float8 END"

/* clang-format off */
/* Container-days (a container's Paris day with readings) and those whose highest fill reached
 * the full threshold; the mean of the daily highest fill. */
static const char waste_sql[] =
    "SELECT json_build_object('full_threshold_pct', " WASTE_FULL_PCT ","
    " 'containers', count(DISTINCT r.device_id), 'container_days', count(*),"
    " 'container_days_full', count(*) FILTER (WHERE r.max >= " WASTE_FULL_PCT "),"
    " 'mean_daily_max_fill_pct', avg(r.max))"
    " FROM device d JOIN rollup_day r ON r.device_id = d.id AND r.quantity = 'fill_level'"
    " AND " DAY_IN("r.day")
    " WHERE d.use_case = 'waste' AND " API_SQL_DEVICE_SCOPE;

/* Per station, its level device (the one with a water_level and no conductivity, lowest DevEUI
 * first): the highest level, and the days whose highest level reached each threshold (a red day
 * also counts as orange and yellow; null for a threshold the station lacks). */
static const char water_sql[] =
    "WITH lv AS ("
    " SELECT DISTINCT ON (d.site_id) d.site_id, d.id, d.dev_eui,"
    "  " THRESHOLD("vigilance_yellow_m") " AS yellow,"
    "  " THRESHOLD("vigilance_orange_m") " AS orange,"
    "  " THRESHOLD("vigilance_red_m") " AS red"
    " FROM device d JOIN site s ON s.id = d.site_id AND s.use_case = 'water'"
    " WHERE d.use_case = 'water' AND " API_SQL_DEVICE_SCOPE
    " AND EXISTS (SELECT 1 FROM rollup_day r WHERE r.device_id = d.id"
    "  AND r.quantity = 'water_level' AND " DAY_IN("r.day") ")"
    " ORDER BY d.site_id, EXISTS (SELECT 1 FROM rollup_day c WHERE c.device_id = d.id"
    "  AND c.quantity = 'conductivity' AND " DAY_IN("c.day") "), d.dev_eui"
    "), st AS ("
    " SELECT lv.site_id, s.name, lv.dev_eui, lv.yellow, lv.orange, lv.red, count(*) AS days,"
    "  max(r.max) AS top, count(*) FILTER (WHERE r.max >= lv.yellow) AS n_yellow,"
    "  count(*) FILTER (WHERE r.max >= lv.orange) AS n_orange,"
    "  count(*) FILTER (WHERE r.max >= lv.red) AS n_red"
    " FROM lv JOIN site s ON s.id = lv.site_id"
    " JOIN rollup_day r ON r.device_id = lv.id AND r.quantity = 'water_level' AND " DAY_IN("r.day")
    " GROUP BY lv.site_id, s.name, lv.dev_eui, lv.yellow, lv.orange, lv.red"
    ")"
    " SELECT json_build_object('stations', coalesce(json_agg(json_build_object("
    "  'site_id', site_id, 'station', name, 'level_dev_eui', dev_eui, 'days', days,"
    "  'max_water_level_m', top,"
    "  'thresholds', json_build_object('yellow', yellow, 'orange', orange, 'red', red),"
    "  'days_reached', json_build_object("
    "   'yellow', CASE WHEN yellow IS NOT NULL THEN n_yellow END,"
    "   'orange', CASE WHEN orange IS NOT NULL THEN n_orange END,"
    "   'red', CASE WHEN red IS NOT NULL THEN n_red END)) ORDER BY name, site_id), '[]'))"
    " FROM st";

/* Per site, the energetic means over the month's days of noise_site_day's Lden and Lnight, and
 * the nights whose Lnight reached the threshold. */
static const char noise_sql[] =
    "SELECT json_build_object('lnight_threshold_db', " NOISE_LNIGHT_DB ","
    " 'sites', coalesce(json_agg(json_build_object('site_id', x.id, 'site', x.name,"
    "  'days', x.days, 'lden', x.lden, 'lnight', x.lnight, 'loud_nights', x.loud)"
    "  ORDER BY x.name, x.id), '[]'))"
    " FROM (SELECT s.id, s.name, count(n.day) AS days,"
    "  (10 * log(avg(power(10, n.lden / 10))))::float8 AS lden,"
    "  (10 * log(avg(power(10, n.lnight / 10))))::float8 AS lnight,"
    "  count(*) FILTER (WHERE n.lnight >= " NOISE_LNIGHT_DB ") AS loud"
    "  FROM site s LEFT JOIN noise_site_day n ON n.site_id = s.id AND " DAY_IN("n.day")
    "  WHERE s.use_case = 'noise'"
    "  AND EXISTS (SELECT 1 FROM device d WHERE d.site_id = s.id AND " API_SQL_DEVICE_SCOPE ")"
    "  GROUP BY s.id, s.name) x";

/* Per counter, the month's passages in each direction (the Paris days of rollup_day). */
static const char counting_sql[] =
    "SELECT json_build_object('counters', coalesce(json_agg(json_build_object("
    "  'dev_eui', x.dev_eui, 'name', x.name, 'site', x.site, 'counts', x.counts,"
    "  'in', x.n_in, 'out', x.n_out, 'total', x.n_in + x.n_out) ORDER BY x.name, x.dev_eui), '[]'),"
    " 'total', coalesce(sum(x.n_in + x.n_out), 0))"
    " FROM (SELECT d.dev_eui, d.name, s.name AS site, d.params ->> 'counts' AS counts,"
    "  coalesce(round(sum(r.sum) FILTER (WHERE right(r.quantity, 3) = '_in')), 0) AS n_in,"
    "  coalesce(round(sum(r.sum) FILTER (WHERE right(r.quantity, 4) = '_out')), 0) AS n_out"
    "  FROM device d LEFT JOIN site s ON s.id = d.site_id"
    "  LEFT JOIN rollup_day r ON r.device_id = d.id AND r.quantity IN ('bike_count_in',"
    "   'bike_count_out', 'pedestrian_count_in', 'pedestrian_count_out') AND " DAY_IN("r.day")
    "  WHERE d.use_case = 'counting' AND " API_SQL_DEVICE_SCOPE
    "  GROUP BY d.id, d.dev_eui, d.name, s.name, d.params) x";

/* Per sensor, the nights of heat_night dated in the month: measured, tropical, heatwave. */
static const char heat_sql[] =
    "SELECT json_build_object('sensors', coalesce(json_agg(json_build_object("
    "  'dev_eui', x.dev_eui, 'name', x.name, 'site', x.site, 'setting', x.setting,"
    "  'nights', x.nights, 'tropical_nights', x.tropical, 'heatwave_nights', x.heatwave,"
    "  'lowest_tmin', x.low, 'highest_tmin', x.high) ORDER BY x.name, x.dev_eui), '[]'))"
    " FROM (SELECT d.dev_eui, d.name, s.name AS site, d.params ->> 'setting' AS setting,"
    "  count(h.night) AS nights, count(*) FILTER (WHERE h.tropical) AS tropical,"
    "  count(*) FILTER (WHERE h.heatwave_night) AS heatwave, min(h.tmin) AS low,"
    "  max(h.tmin) AS high"
    "  FROM device d LEFT JOIN site s ON s.id = d.site_id"
    "  LEFT JOIN heat_night h ON h.device_id = d.id AND " DAY_IN("h.night")
    "  WHERE d.use_case = 'heat' AND " API_SQL_DEVICE_SCOPE
    "  GROUP BY d.id, d.dev_eui, d.name, s.name, d.params) x";

/* Per cabinet (a lighting device metering 'energy' that names no cabinet of its own), the
 * energy counter's last reading of the month minus its first (null when the counter went back:
 * a reset), and the same summed over the lamps whose params name that cabinet. */
static const char lighting_sql[] =
    "WITH e AS ("
    " SELECT d.dev_eui, d.name, s.name AS site, d.params ->> 'cabinet' AS cabinet,"
    "  (SELECT r.first_value FROM rollup_hour r WHERE r.device_id = d.id AND r.quantity = 'energy'"
    "   AND r.hour >= $3::timestamptz AND r.hour < $4::timestamptz ORDER BY r.hour LIMIT 1) AS v0,"
    "  (SELECT r.last_value FROM rollup_hour r WHERE r.device_id = d.id AND r.quantity = 'energy'"
    "   AND r.hour >= $3::timestamptz AND r.hour < $4::timestamptz ORDER BY r.hour DESC LIMIT 1)"
    "   AS v1"
    " FROM device d LEFT JOIN site s ON s.id = d.site_id"
    " WHERE d.use_case = 'lighting' AND " API_SQL_DEVICE_SCOPE
    "), k AS (SELECT e.*, CASE WHEN v1 >= v0 THEN v1 - v0 END AS kwh FROM e WHERE v0 IS NOT NULL)"
    " SELECT json_build_object('cabinets', coalesce((SELECT json_agg(json_build_object("
    "  'dev_eui', c.dev_eui, 'name', c.name, 'site', c.site, 'energy_kwh', c.kwh,"
    "  'lamps_metered', (SELECT count(*) FROM k l WHERE l.cabinet = c.name),"
    "  'lamps_energy_kwh', (SELECT sum(l.kwh) FROM k l WHERE l.cabinet = c.name))"
    "  ORDER BY c.name, c.dev_eui) FROM k c WHERE c.cabinet IS NULL), '[]'),"
    " 'energy_kwh', (SELECT sum(kwh) FROM k WHERE cabinet IS NULL))";
/* clang-format on */

static const struct indicators {
    const char *use_case;
    const char *sql;
} indicators[] = {
    { "waste", waste_sql },       { "water", water_sql }, { "noise", noise_sql },
    { "counting", counting_sql }, { "heat", heat_sql },   { "lighting", lighting_sql },
};

/* ---- the period, the devices, the alerts: $1 $2 the scope, then the use case, from, to ---- */

/* clang-format off */
/* Whether the use case exists for the caller; the month; its start and end (or now). */
static const char period_sql[] =
    "SELECT EXISTS (SELECT 1 FROM use_case WHERE id = $2"
    "  AND ($1::text[] IS NULL OR id = ANY($1::text[]))),"
    " p.m, " API_SQL_TS("p.f") ", " API_SQL_TS("least(p.e, now())") ", p.f > now()"
    " FROM (SELECT m, (m || '-01')::date::timestamp AT TIME ZONE 'Europe/Paris' AS f,"
    "  ((m || '-01')::date + interval '1 month') AT TIME ZONE 'Europe/Paris' AS e"
    "  FROM (SELECT coalesce($3::text, to_char(now() AT TIME ZONE 'Europe/Paris', 'YYYY-MM'))"
    "   AS m) AS x) p";

/* Columns: dev_eui, name, site, expected_period_s, uplinks_expected, uplinks_received,
 * completeness, availability, first_seen, last_seen, alerts. */
static const char devices_sql[] =
    "WITH dev AS ("
    " SELECT d.id, d.dev_eui, d.name, s.name AS site, d.expected_period_s, d.created_at"
    " FROM device d LEFT JOIN site s ON s.id = d.site_id"
    " WHERE d.use_case = $3 AND " API_SQL_DEVICE_SCOPE
    "), r AS ("
    " SELECT r.* FROM rollup_hour r JOIN dev ON dev.id = r.device_id"
    " WHERE r.hour >= $4::timestamptz AND r.hour < $5::timestamptz"
    "), q AS ("
    " SELECT device_id, sum(count) AS n, min(first_time) AS first_seen, max(last_time) AS last_seen"
    " FROM r GROUP BY device_id, quantity"
    "), u AS ("
    " SELECT device_id, max(n) AS received, min(first_seen) AS first_seen,"
    "  max(last_seen) AS last_seen FROM q GROUP BY device_id"
    "), h AS ("
    " SELECT device_id, count(DISTINCT hour) AS heard, count(DISTINCT hour)"
    "  FILTER (WHERE hour + interval '1 hour' > $5::timestamptz) AS heard_running"
    " FROM r GROUP BY device_id"
    "), a AS ("
    " SELECT a.device_id, count(*) AS alerts FROM alert a JOIN dev ON dev.id = a.device_id"
    " WHERE a.use_case = $3 AND a.opened_at >= $4::timestamptz AND a.opened_at < $5::timestamptz"
    " GROUP BY a.device_id"
    "), s AS ("
    " SELECT dev.*, coalesce(u.received, 0) AS received, u.first_seen, u.last_seen,"
    "  coalesce(h.heard, 0) AS heard, coalesce(h.heard_running, 0) AS heard_running,"
    "  coalesce(a.alerts, 0) AS alerts,"
    "  greatest($4::timestamptz, least(dev.created_at, u.first_seen)) AS start"
    " FROM dev LEFT JOIN u ON u.device_id = dev.id LEFT JOIN h ON h.device_id = dev.id"
    " LEFT JOIN a ON a.device_id = dev.id"
    "), e AS ("
    " SELECT s.*, extract(epoch FROM $5::timestamptz - start) AS span_s,"
    "  floor(extract(epoch FROM $5::timestamptz - date_trunc('hour', start, 'UTC')) / 3600)"
    "   + heard_running AS hours"
    " FROM s WHERE start < $5::timestamptz"
    ")"
    " SELECT dev_eui, name, site, expected_period_s, (span_s / expected_period_s)::float8, received,"
    " CASE WHEN span_s >= expected_period_s"
    "  THEN least(1, received * expected_period_s / span_s)::float8 END,"
    " CASE WHEN hours > 0 THEN (heard / hours)::float8 END,"
    " " API_SQL_TS("first_seen") ", " API_SQL_TS("last_seen") ", alerts"
    " FROM e ORDER BY name, dev_eui";

/* Columns: raised, info, warning, critical, acknowledged, resolved, unresolved at the end, median
 * and 90th percentile of the seconds to acknowledge. */
static const char alerts_sql[] =
    "WITH a AS ("
    " SELECT a.severity, a.created_at, a.acknowledged_at, a.resolved_at"
    " FROM alert a JOIN device d ON d.id = a.device_id"
    " WHERE a.use_case = $3 AND d.use_case = $3 AND " API_SQL_DEVICE_SCOPE
    " AND a.opened_at >= $4::timestamptz AND a.opened_at < $5::timestamptz"
    "), t AS ("
    " SELECT extract(epoch FROM acknowledged_at - created_at)::float8 AS s FROM a"
    " WHERE acknowledged_at IS NOT NULL"
    ")"
    " SELECT count(*), count(*) FILTER (WHERE severity = 'info'),"
    " count(*) FILTER (WHERE severity = 'warning'), count(*) FILTER (WHERE severity = 'critical'),"
    " count(acknowledged_at), count(resolved_at),"
    " count(*) FILTER (WHERE resolved_at IS NULL OR resolved_at > $5::timestamptz),"
    " (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s) FROM t),"
    " (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY s) FROM t)"
    " FROM a";
/* clang-format on */

struct period {
    char month[8];
    char from[40];
    char to[40];
};

/* Runs a statement without rows (BEGIN, COMMIT). Returns 0, or 500 after answering. */
static int exec_or_reply(struct api_req *r, const char *sql)
{
    PGresult *res = api_sql(r, sql, sql, 0, NULL);

    if (res == NULL)
        return 500;
    PQclear(res);
    return 0;
}

/* Reads the month and checks the use case. Returns 0, or the status of the 400/404/500 sent. */
static int period_or_reply(struct api_req *r, const char *uc, const char *month, struct period *p)
{
    const char *params[3] = { api_scope_use_cases(r), uc, month };
    PGresult *res = api_sql(r, "assessment period", period_sql, 3, params);
    int rc = 0;

    if (res == NULL)
        return 500;
    if (PQgetvalue(res, 0, 0)[0] != 't') {
        /* Out of a directorate's scope, a use case does not exist. */
        rc = api_error(r, 404, "not_found", "no use case %s", uc);
    } else if (PQgetvalue(res, 0, 4)[0] == 't') {
        rc = api_error(r, 400, "bad_parameter", "month %s has not begun", PQgetvalue(res, 0, 1));
    } else {
        snprintf(p->month, sizeof(p->month), "%s", PQgetvalue(res, 0, 1));
        snprintf(p->from, sizeof(p->from), "%s", PQgetvalue(res, 0, 2));
        snprintf(p->to, sizeof(p->to), "%s", PQgetvalue(res, 0, 3));
    }
    PQclear(res);
    return rc;
}

/* Appends one CSV field (RFC 4180): quoted, inner quotes doubled, when it holds a comma, a quote
 * or a line break; SQL NULL is an empty field. */
static void csv_field(struct mue_buf *b, const PGresult *res, int row, int col)
{
    const char *s = PQgetvalue(res, row, col);

    if (col > 0)
        mue_buf_append(b, ",", 1);
    if (PQgetisnull(res, row, col))
        return;
    if (strpbrk(s, ",\"\r\n") == NULL) {
        mue_buf_append_str(b, s);
        return;
    }
    mue_buf_append(b, "\"", 1);
    for (const char *q = strchr(s, '"'); q != NULL; s = q + 1, q = strchr(s, '"')) {
        mue_buf_append(b, s, (size_t)(q - s));
        mue_buf_append(b, "\"\"", 2);
    }
    mue_buf_append_str(b, s);
    mue_buf_append(b, "\"", 1);
}

/* The device rows as CSV, one line each after the header (CRLF, UTF-8 as stored). */
static int answer_csv(struct api_req *r, const char *uc, const struct period *p,
                      const PGresult *res)
{
    char filename[sizeof(r->param[0]) + 32];
    struct mue_buf b;
    int rc;

    mue_buf_init(&b, 0);
    mue_buf_append_str(&b, CSV_HEADER);
    for (int i = 0; i < PQntuples(res); i++) {
        for (int c = 0; c < PQnfields(res); c++)
            csv_field(&b, res, i, c);
        mue_buf_append(&b, "\r\n", 2);
    }
    snprintf(filename, sizeof(filename), "assessment-%s-%s.csv", uc, p->month);
    api_stream_begin(r, "text/csv; charset=utf-8", filename);
    (void)api_stream_write(r, b.data, b.len); /* a client gone is nothing to report */
    rc = api_stream_end(r);
    mue_buf_fini(&b);
    return rc;
}

/* The devices as JSON, with the summary's means. */
static json_t *devices_json(const PGresult *res, json_t **completeness, json_t **availability)
{
    json_t *items = json_array();
    double sum[2] = { 0, 0 };
    int n[2] = { 0, 0 };

    for (int i = 0; i < PQntuples(res); i++) {
        for (int k = 0; k < 2; k++)
            if (!PQgetisnull(res, i, 6 + k)) {
                sum[k] += strtod(PQgetvalue(res, i, 6 + k), NULL);
                n[k]++;
            }
        json_array_append_new(
            items,
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "dev_eui",
                      api_col_str(res, i, 0), "name", api_col_str(res, i, 1), "site",
                      api_col_str(res, i, 2), "expected_period_s", api_col_int(res, i, 3),
                      "uplinks_expected", api_col_real(res, i, 4), "uplinks_received",
                      api_col_int(res, i, 5), "completeness", api_col_real(res, i, 6),
                      "availability", api_col_real(res, i, 7), "first_seen", api_col_str(res, i, 8),
                      "last_seen", api_col_str(res, i, 9), "alerts", api_col_int(res, i, 10)));
    }
    *completeness = n[0] > 0 ? json_real(sum[0] / n[0]) : json_null();
    *availability = n[1] > 0 ? json_real(sum[1] / n[1]) : json_null();
    return items;
}

static json_t *alerts_json(const PGresult *res)
{
    return json_pack("{s:o, s:{s:o, s:o, s:o}, s:o, s:o, s:o, s:o, s:o}", "raised",
                     api_col_int(res, 0, 0), "by_severity", "info", api_col_int(res, 0, 1),
                     "warning", api_col_int(res, 0, 2), "critical", api_col_int(res, 0, 3),
                     "acknowledged", api_col_int(res, 0, 4), "resolved", api_col_int(res, 0, 5),
                     "unresolved_at_end", api_col_int(res, 0, 6), "median_time_to_ack_s",
                     api_col_real(res, 0, 7), "p90_time_to_ack_s", api_col_real(res, 0, 8));
}

/* The use case's key figures, or {} for a use case without any. NULL after answering 500. */
static json_t *indicators_json(struct api_req *r, const char *uc, const struct period *p)
{
    const char *params[4] = { api_scope_use_cases(r), api_scope_devices(r), p->from, p->to };
    PGresult *res;
    json_t *j;

    for (size_t i = 0; i < sizeof(indicators) / sizeof(indicators[0]); i++) {
        if (strcmp(indicators[i].use_case, uc) != 0)
            continue;
        if ((res = api_sql(r, "assessment indicators", indicators[i].sql, 4, params)) == NULL)
            return NULL;
        j = api_col_json(res, 0, 0);
        PQclear(res);
        return j;
    }
    return json_object();
}

int h_assessment(struct api_req *r)
{
    const char *uc = r->param[0];
    char month[16], fmt[16];
    struct period p;
    const char *params[5] = { api_scope_use_cases(r), api_scope_devices(r), uc, p.from, p.to };
    PGresult *devices = NULL, *alerts = NULL;
    json_t *items, *completeness, *availability, *ind;
    bool csv = false, has_month;
    int n, rc;

    if (!query_use_case_is_valid(uc))
        return api_error(r, 400, "bad_parameter",
                         "use_case must be a use case id ([a-z][a-z0-9_]{0,31})");
    n = api_query(r, "month", month, sizeof(month));
    has_month = n == 1;
    if (n < 0 || (has_month && !query_month_is_valid(month)))
        return api_error(r, 400, "bad_parameter", "month must be a month YYYY-MM, like 2026-11");
    n = api_query(r, "format", fmt, sizeof(fmt));
    if (n != 0) {
        csv = n > 0 && strcmp(fmt, "csv") == 0;
        if (!csv && (n < 0 || strcmp(fmt, "json") != 0))
            return api_error(r, 400, "bad_parameter", "format must be json or csv");
    }

    /* One snapshot: the summary, the devices and the figures agree with each other. */
    if ((rc = exec_or_reply(r, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) != 0)
        return rc;
    memset(&p, 0, sizeof(p));
    if ((rc = period_or_reply(r, uc, has_month ? month : NULL, &p)) != 0)
        goto out;
    if ((devices = api_sql(r, "assessment devices", devices_sql, 5, params)) == NULL) {
        rc = 500;
        goto out;
    }
    if (csv) {
        rc = answer_csv(r, uc, &p, devices);
        goto out;
    }
    if ((alerts = api_sql(r, "assessment alerts", alerts_sql, 5, params)) == NULL ||
        (ind = indicators_json(r, uc, &p)) == NULL) {
        rc = 500;
        goto out;
    }
    items = devices_json(devices, &completeness, &availability);
    rc = api_json(r, 200,
                  json_pack("{s:s, s:s, s:s, s:s, s:{s:i, s:o, s:o, s:o}, s:o, s:o}", "use_case",
                            uc, "month", p.month, "from", p.from, "to", p.to, "summary", "devices",
                            PQntuples(devices), "completeness", completeness, "availability",
                            availability, "alerts", alerts_json(alerts), "devices", items,
                            "indicators", ind));
out:
    PQclear(alerts);
    PQclear(devices);
    /* Read only: whatever happened, nothing to keep; the pool would roll back anyway. */
    PQclear(PQexec(r->db, "COMMIT"));
    return rc;
}
