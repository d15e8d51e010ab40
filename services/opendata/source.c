/* source.c - the queries a dataset's rows come from. A definition names one and lists the value
 * columns it wants; the query's shape is here, so no SQL ever comes from a file. Column names
 * enter the SQL only as identifiers the loader checked ([a-z][a-z0-9_]*) and libpq quoted; every
 * value (use case, quantities, time range) is a parameter.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_buf.h"
#include "mue_db.h"
#include "mue_err.h"
#include "source.h"

/* ISO 8601 UTC text of a timestamptz expression. */
#define ISO(e) "to_char((" e ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* A local day's start and end, as timestamptz. */
#define DAY_START(d) "((" d ")::timestamp AT TIME ZONE 'Europe/Paris')"
#define DAY_END(d)   "(((" d ") + 1)::timestamp AT TIME ZONE 'Europe/Paris')"
/* The local day of a timestamptz parameter. */
#define LOCAL_DATE(p) "((" p "::timestamptz) AT TIME ZONE 'Europe/Paris')::date"

/* The subject columns of a device row: key, name, commune, position (the site's when the device
 * has none). */
#define DEVICE_SUBJECT                                                                             \
    "d.dev_eui AS device_eui, d.name, s.insee AS commune_insee,"                                   \
    " coalesce(d.latitude, s.latitude) AS latitude, coalesce(d.longitude, s.longitude) AS"         \
    " longitude"

enum source_id { SRC_MEASURE, SRC_NOISE_SITE_DAY, SRC_LIGHTING_GROUP_DAY, SRC_DEVICES };

static const struct {
    const char *name;
    const char *key;
    bool periodic;
} sources[] = {
    [SRC_MEASURE] = { "measure", "device_eui", true },
    [SRC_NOISE_SITE_DAY] = { "noise_site_day", "site_id", true },
    [SRC_LIGHTING_GROUP_DAY] = { "lighting_group_day", "group_name", true },
    [SRC_DEVICES] = { "devices", "device_eui", false },
};
#define NSOURCES ((int)(sizeof(sources) / sizeof(*sources)))

static int source_find(const char *name)
{
    for (int i = 0; name && i < NSOURCES; i++)
        if (strcmp(sources[i].name, name) == 0)
            return i;
    return -1;
}

bool source_exists(const char *name, bool *periodic)
{
    int i = source_find(name);
    if (i < 0)
        return false;
    *periodic = sources[i].periodic;
    return true;
}

bool source_allows_column(const char *name, const char *column)
{
    static const char *const noise[] = { "lday", "levening", "lnight", "lden", NULL };
    static const char *const lighting[] = { "energy_kwh", "meters", NULL };
    static const char *const taken[] = { "period_start",  "period_end", "date",      "name",
                                         "commune_insee", "latitude",   "longitude", "site",
                                         "site_id",       "use_case",   "model",     "installed_at",
                                         "last_seen",     "counts",     "ltr",       "groups",
                                         "device_eui",    "group_name", NULL };
    const char *const *only = NULL;

    for (int i = 0; taken[i]; i++)
        if (strcmp(taken[i], column) == 0)
            return false;
    switch (source_find(name)) {
    case SRC_NOISE_SITE_DAY:
        only = noise;
        break;
    case SRC_LIGHTING_GROUP_DAY:
        only = lighting;
        break;
    default:
        return true;
    }
    for (int i = 0; only[i]; i++)
        if (strcmp(only[i], column) == 0)
            return true;
    return false;
}

const char *source_key(const char *name)
{
    int i = source_find(name);
    return i < 0 ? "" : sources[i].key;
}

/* Appends ", <expr> AS "<column>"" for each value column, expr made by 'agg' from its index.
 * sql-params: the column's name goes in as an identifier quoted by PQescapeIdentifier. */
static int add_columns(PGconn *conn, struct mue_buf *sql, const struct dataset *d,
                       void (*agg)(struct mue_buf *, const struct dataset *, int))
{
    for (int i = 0; i < d->ncolumns; i++) {
        char *id = PQescapeIdentifier(conn, d->columns[i].name, strlen(d->columns[i].name));
        if (id == NULL)
            return MUE_EINVAL;
        mue_buf_append_str(sql, ", ");
        agg(sql, d, i);
        mue_buf_printf(sql, " AS %s", id);
        PQfreemem(id);
    }
    return 0;
}

/* A rollup row's value under the dataset's aggregation; the quantity is parameter $2[i + 1].
 * sql-params: the expression is one of the fixed ones below and %d the column's index. */
static void rollup_agg(struct mue_buf *sql, const struct dataset *d, int i)
{
    const char *a = d->aggregation, *e;

    if (strcmp(a, "sum") == 0)
        e = "r.sum::float8";
    else if (strcmp(a, "min") == 0)
        e = "r.min";
    else if (strcmp(a, "max") == 0)
        e = "r.max";
    else if (strcmp(a, "energetic_mean") == 0)
        e = "(10 * log(r.energy / r.count))::float8";
    else if (strcmp(a, "last") == 0)
        e = "r.last_value";
    else
        e = "(r.sum / r.count)::float8";
    mue_buf_printf(sql, "max(%s) FILTER (WHERE r.quantity = ($2::text[])[%d])", e, i + 1);
}

/* Raw measurements of one period under the dataset's aggregation.
 * sql-params: the filter's %d is the column's index, and the aggregates are fixed text. */
static void raw_agg(struct mue_buf *sql, const struct dataset *d, int i)
{
    const char *a = d->aggregation;
    char f[64];

    snprintf(f, sizeof(f), "FILTER (WHERE m.quantity = ($2::text[])[%d])", i + 1);
    if (strcmp(a, "sum") == 0)
        mue_buf_printf(sql, "sum(m.value) %s", f);
    else if (strcmp(a, "min") == 0)
        mue_buf_printf(sql, "min(m.value) %s", f);
    else if (strcmp(a, "max") == 0)
        mue_buf_printf(sql, "max(m.value) %s", f);
    else if (strcmp(a, "energetic_mean") == 0)
        mue_buf_printf(sql, "10 * log(avg(power(10::float8, m.value / 10)) %s)", f);
    else if (strcmp(a, "last") == 0)
        mue_buf_printf(sql, "(array_agg(m.value ORDER BY m.time DESC) %s)[1]", f);
    else
        mue_buf_printf(sql, "avg(m.value) %s", f);
}

static void measure_sql(PGconn *conn, struct mue_buf *sql, const struct dataset *d)
{
    if (d->period == DS_HOUR) {
        mue_buf_append_str(sql, "SELECT " ISO("r.hour") " AS period_start, " ISO(
                                    "r.hour + interval '1 hour'") " AS period_end, ");
    } else if (d->period == DS_DAY) {
        mue_buf_append_str(sql, "SELECT " ISO(DAY_START("r.day")) " AS period_start, " ISO(
                                    DAY_END("r.day")) " AS period_end, r.day::text AS date, ");
    } else {
        mue_buf_append_str(sql, "SELECT " ISO("b.t") " AS period_start, " ISO(
                                    "b.t + interval '15 minutes'") " AS period_end, ");
    }
    mue_buf_append_str(sql, DEVICE_SUBJECT ", s.name AS site");
    if (d->period == DS_15MIN) {
        add_columns(conn, sql, d, raw_agg);
        mue_buf_append_str(
            sql, " FROM measurement m"
                 " CROSS JOIN LATERAL (SELECT date_bin('15 minutes', m.time,"
                 " timestamptz '2000-01-01 00:00Z') AS t) b"
                 " JOIN device d ON d.id = m.device_id LEFT JOIN site s ON s.id = d.site_id"
                 " WHERE m.use_case = $1 AND m.quantity = ANY ($2::text[])"
                 " AND m.time >= $3::timestamptz AND m.time < $4::timestamptz"
                 " GROUP BY b.t, d.id, s.id ORDER BY b.t, d.dev_eui");
        return;
    }
    add_columns(conn, sql, d, rollup_agg);
    if (d->period == DS_HOUR)
        mue_buf_append_str(sql, " FROM rollup_hour r"
                                " JOIN device d ON d.id = r.device_id"
                                " LEFT JOIN site s ON s.id = d.site_id"
                                " WHERE d.use_case = $1 AND r.quantity = ANY ($2::text[])"
                                " AND r.hour >= $3::timestamptz AND r.hour < $4::timestamptz"
                                " GROUP BY r.hour, d.id, s.id ORDER BY r.hour, d.dev_eui");
    else
        mue_buf_append_str(sql, " FROM rollup_day r"
                                " JOIN device d ON d.id = r.device_id"
                                " LEFT JOIN site s ON s.id = d.site_id"
                                " WHERE d.use_case = $1 AND r.quantity = ANY ($2::text[])"
                                " AND r.day >= " LOCAL_DATE("$3") " AND r.day < " LOCAL_DATE(
                                    "$4") " GROUP BY r.day, d.id, s.id ORDER BY r.day, d.dev_eui");
}

/* The noise indicators of a site and day (0004_noise.sql), under the columns' names.
 * sql-params: the column is one of the four names of 'known', never the definition's text. */
static void noise_agg(struct mue_buf *sql, const struct dataset *d, int i)
{
    static const char *const known[] = { "lday", "levening", "lnight", "lden" };
    for (int k = 0; k < 4; k++)
        if (strcmp(d->columns[i].name, known[k]) == 0)
            mue_buf_printf(sql, "n.%s", known[k]);
}

static void lighting_agg(struct mue_buf *sql, const struct dataset *d, int i)
{
    /* Energy counters are cumulative kWh: a meter's day is its last reading less its last of the
     * day before (what burnt across midnight belongs to the day it is read in), or less its
     * first of the day when it did not report the day before. */
    if (strcmp(d->columns[i].name, "energy_kwh") == 0)
        mue_buf_append_str(sql, "sum(r.last_value - coalesce((SELECT p.last_value FROM rollup_day p"
                                " WHERE p.device_id = r.device_id AND p.quantity = 'energy'"
                                " AND p.day = r.day - 1), r.first_value))");
    else
        mue_buf_append_str(sql, "count(DISTINCT r.device_id)::float8");
}

/* The latest value of a column's quantity for a device.
 * sql-params: %d is the column's index into the parameter $2. */
static void latest_agg(struct mue_buf *sql, const struct dataset *d, int i)
{
    (void)d;
    mue_buf_printf(sql,
                   "(SELECT l.value FROM latest_value l WHERE l.device_id = d.id"
                   " AND l.quantity = ($2::text[])[%d])",
                   i + 1);
}

static int build_sql(PGconn *conn, struct mue_buf *sql, const struct dataset *d)
{
    switch (source_find(d->source)) {
    case SRC_MEASURE:
        measure_sql(conn, sql, d);
        return 0;
    case SRC_NOISE_SITE_DAY:
        /* A noise day runs from 06:00 to 06:00: its night ends the next morning. */
        mue_buf_append_str(
            sql,
            "SELECT " ISO("(n.day + time '06:00') AT TIME ZONE 'Europe/Paris'") " AS "
                                                                                "period_start,"
                                                                                " " ISO(
                                                                                    "(n.day + 1 + "
                                                                                    "time '06:00') "
                                                                                    "AT TIME ZONE "
                                                                                    "'Europe/"
                                                                                    "Paris'") " AS "
                                                                                              "peri"
                                                                                              "od_"
                                                                                              "end,"
                                                                                              " n."
                                                                                              "day:"
                                                                                              ":tex"
                                                                                              "t "
                                                                                              "AS "
                                                                                              "date"
                                                                                              ","
                                                                                              " s."
                                                                                              "id::"
                                                                                              "text"
                                                                                              " AS "
                                                                                              "site"
                                                                                              "_id,"
                                                                                              " s."
                                                                                              "name"
                                                                                              ", "
                                                                                              "s."
                                                                                              "inse"
                                                                                              "e "
                                                                                              "AS "
                                                                                              "comm"
                                                                                              "une_"
                                                                                              "inse"
                                                                                              "e,"
                                                                                              " s."
                                                                                              "lati"
                                                                                              "tude"
                                                                                              ", "
                                                                                              "s."
                                                                                              "long"
                                                                                              "itud"
                                                                                              "e");
        add_columns(conn, sql, d, noise_agg);
        mue_buf_append_str(sql, " FROM noise_site_day n JOIN site s ON s.id = n.site_id"
                                " WHERE s.use_case = $1 AND cardinality($2::text[]) >= 0"
                                " AND n.day >= " LOCAL_DATE("$3") " AND n.day < " LOCAL_DATE(
                                    "$4") " ORDER BY n.day, s.id");
        return 0;
    case SRC_LIGHTING_GROUP_DAY:
        mue_buf_append_str(
            sql, "SELECT " ISO(DAY_START("r.day")) " AS period_start, " ISO(DAY_END(
                     "r.day")) " AS period_end, r.day::text AS date,"
                               " g.name AS group_name, coalesce(nullif(g.title, ''), g.name) AS"
                               " name, CASE WHEN count(DISTINCT s.insee) = 1 THEN min(s.insee)"
                               " END AS commune_insee,"
                               " avg(coalesce(d.latitude, s.latitude)) AS latitude,"
                               " avg(coalesce(d.longitude, s.longitude)) AS longitude");
        add_columns(conn, sql, d, lighting_agg);
        mue_buf_append_str(sql, " FROM rollup_day r JOIN device d ON d.id = r.device_id"
                                " LEFT JOIN site s ON s.id = d.site_id"
                                " JOIN device_group_member m ON m.device_id = d.id"
                                " JOIN device_group g ON g.name = m.group_name"
                                " WHERE d.use_case = $1 AND r.quantity = 'energy'"
                                " AND cardinality($2::text[]) >= 0"
                                " AND r.day >= " LOCAL_DATE("$3") " AND r.day < " LOCAL_DATE(
                                    "$4") " GROUP BY r.day, g.name ORDER BY r.day, g.name");
        return 0;
    case SRC_DEVICES:
        mue_buf_append_str(
            sql,
            "SELECT " DEVICE_SUBJECT
            ", d.use_case, d.model, s.name AS site, s.id::text AS site_id, " ISO(
                "d.created_at") " AS installed_at,"
                                " (SELECT " ISO(
                                    "max(l.time)") " FROM latest_value l WHERE l.device_id = d.id)"
                                                   " AS last_seen, d.params->>'counts' AS counts, "
                                                   "d.params->>'ltr' AS ltr,"
                                                   " (SELECT string_agg(m.group_name, ',' ORDER BY "
                                                   "m.group_name)"
                                                   " FROM device_group_member m WHERE m.device_id "
                                                   "= d.id) AS groups");
        add_columns(conn, sql, d, latest_agg);
        mue_buf_append_str(sql, " FROM device d LEFT JOIN site s ON s.id = d.site_id"
                                " WHERE d.active AND ($1::text IS NULL OR d.use_case = $1)"
                                " AND cardinality($2::text[]) >= 0"
                                " AND ($3::text, $4::text) IS NULL IS NOT NULL"
                                " ORDER BY d.dev_eui");
        return 0;
    default:
        return MUE_EINVAL;
    }
}

int source_counting_registry(struct mue_db *db, const char *use_case, PGresult **out)
{
    /* Every counter that ever counted, retired ones too: their measures stay in the files. */
    static const char sql[] =
        "SELECT " DEVICE_SUBJECT
        ", d.use_case, d.model, s.name AS site, s.id::text AS site_id, " ISO(
            "d.created_at") " AS installed_at,"
                            " (SELECT " ISO(
                                "max(l.time)") " FROM latest_value l WHERE l.device_id = d.id)"
                                               " AS last_seen, d.params->>'counts' AS counts, "
                                               "d.params->>'ltr' AS ltr"
                                               " FROM device d LEFT JOIN site s ON s.id = "
                                               "d.site_id WHERE d.use_case = $1"
                                               " ORDER BY d.dev_eui";
    const char *p[1] = { use_case };

    *out = NULL;
    if (mue_db_ensure(db) < 0)
        return MUE_EDB;
    return mue_db_query(db, "counting_registry", out, sql, 1, p);
}

/* The quantities of the value columns as a PostgreSQL text array literal. */
static void quantities_param(struct mue_buf *out, const struct dataset *d)
{
    mue_buf_append_str(out, "{");
    for (int i = 0; i < d->ncolumns; i++)
        mue_buf_printf(out, "%s\"%s\"", i ? "," : "", d->columns[i].quantity);
    mue_buf_append_str(out, "}");
}

/* Every query takes the same four parameters (use case, quantities, from, to); one a source does
 * not need is still named with its type, as PostgreSQL wants every parameter typed. */
int source_rows(struct mue_db *db, const struct dataset *d, const char *from, const char *to,
                PGresult **out)
{
    struct mue_buf sql, q;
    int n;

    *out = NULL;
    if (mue_db_ensure(db) < 0)
        return MUE_EDB;
    mue_buf_init(&sql, 0);
    mue_buf_init(&q, 0);
    if (build_sql(mue_db_conn(db), &sql, d) < 0) {
        mue_buf_fini(&sql);
        mue_buf_fini(&q);
        return MUE_EINVAL;
    }
    quantities_param(&q, d);
    const char *p[4] = { d->use_case, q.data, from, to };
    n = mue_db_query(db, d->source, out, sql.data, 4, p);
    mue_buf_fini(&sql);
    mue_buf_fini(&q);
    return n;
}
