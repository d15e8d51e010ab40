/* lamp_load.c - reads a lamp's schedule from the database (tables of 0010_lighting.sql).
 * SPDX-License-Identifier: MIT */
#include "lamp_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "mue_db.h"
#include "mue_err.h"
#include "mue_mem.h"
#include "talq_json.h"

static const char device_sql[] =
    "SELECT d.id, d.name, d.model, " LAMP_SQL_LAT ", " LAMP_SQL_LON ", " LAMP_SQL_POWER
    " FROM device d LEFT JOIN site s ON s.id = d.site_id WHERE d.dev_eui = $1 AND d.active";

static const char calendar_sql[] =
    "SELECT a.group_name, c.id, c.doc::text FROM lighting_assignment a "
    "JOIN device_group_member m ON m.group_name = a.group_name "
    "JOIN lighting_calendar c ON c.id = a.calendar_id "
    "WHERE m.device_id = $1::int8 " LAMP_SQL_DRIVING_ORDER;

static const char overrides_sql[] =
    "SELECT extract(epoch FROM o.starts_at)::int8, extract(epoch FROM o.expires_at)::int8, "
    "o.level, o.priority FROM lighting_override o "
    "WHERE o.cancelled_at IS NULL AND o.starts_at < to_timestamp($3::float8) "
    "AND o.expires_at > to_timestamp($2::float8) "
    "AND ($1::int8 = ANY (o.device_ids) OR o.group_name IN "
    "(SELECT group_name FROM device_group_member WHERE device_id = $1::int8)) "
    "ORDER BY o.id";

static int load_device(struct mue_db *db, const char *dev_eui, struct lamp_schedule *out)
{
    const char *p[1] = { dev_eui };
    PGresult *res;
    int n = mue_db_query(db, "lighting.lamp", &res, device_sql, 1, p);

    if (n < 0)
        return MUE_EDB;
    if (n == 0) {
        PQclear(res);
        return MUE_EUNKNOWN;
    }
    snprintf(out->dev_eui, sizeof(out->dev_eui), "%s", dev_eui);
    out->device_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    snprintf(out->name, sizeof(out->name), "%s", PQgetvalue(res, 0, 1));
    snprintf(out->model, sizeof(out->model), "%s", PQgetvalue(res, 0, 2));
    out->lamp.lat = PQgetisnull(res, 0, 3) ? LAMP_DEFAULT_LAT : strtod(PQgetvalue(res, 0, 3), NULL);
    out->lamp.lon = PQgetisnull(res, 0, 4) ? LAMP_DEFAULT_LON : strtod(PQgetvalue(res, 0, 4), NULL);
    out->power_w = strtod(PQgetvalue(res, 0, 5), NULL);
    PQclear(res);
    return 0;
}

static int load_calendar(struct mue_db *db, struct lamp_schedule *out, char *err, size_t cap)
{
    char id[24];
    const char *p[1] = { id };
    PGresult *res;
    int n, rc = 0;

    snprintf(id, sizeof(id), "%lld", out->device_id);
    n = mue_db_query(db, "lighting.calendar", &res, calendar_sql, 1, p);
    if (n < 0)
        return MUE_EDB;
    if (n == 1) {
        char why[160];
        const char *doc = PQgetvalue(res, 0, 2);

        snprintf(out->group, sizeof(out->group), "%s", PQgetvalue(res, 0, 0));
        snprintf(out->calendar_id, sizeof(out->calendar_id), "%s", PQgetvalue(res, 0, 1));
        if (talq_calendar_parse(doc, strlen(doc), &out->calendar, why, sizeof(why)) != 0) {
            snprintf(err, cap, "calendar %s: %s", out->calendar_id, why);
            rc = MUE_EINVAL;
        } else {
            out->lamp.calendar = &out->calendar;
        }
    }
    PQclear(res);
    return rc;
}

int lamp_parse_programs(struct pg_result *res, int n, struct light_program *out, char *err,
                        size_t cap)
{
    for (int i = 0; i < n; i++) {
        char why[160];
        const char *doc = PQgetvalue(res, i, 1);

        if (talq_program_parse(doc, strlen(doc), &out[i], why, sizeof(why)) != 0) {
            snprintf(err, cap, "program %s: %s", PQgetvalue(res, i, 0), why);
            return MUE_EINVAL;
        }
    }
    return 0;
}

static int load_programs(struct mue_db *db, struct lamp_schedule *out, char *err, size_t cap)
{
    PGresult *res;
    int n = mue_db_query(db, "lighting.programs", &res, LAMP_SQL_PROGRAMS, 0, NULL), rc;

    if (n < 0)
        return MUE_EDB;
    out->programs = mue_xcalloc(n > 0 ? (size_t)n : 1, sizeof(*out->programs));
    rc = lamp_parse_programs(res, n, out->programs, err, cap);
    PQclear(res);
    if (rc != 0)
        return rc;
    out->lamp.programs = out->programs;
    out->lamp.nprograms = n;
    return 0;
}

static int load_overrides(struct mue_db *db, int64_t from_s, int64_t to_s,
                          struct lamp_schedule *out)
{
    char id[24], from[24], to[24];
    const char *p[3] = { id, from, to };
    PGresult *res;
    int n;

    snprintf(id, sizeof(id), "%lld", out->device_id);
    snprintf(from, sizeof(from), "%lld", (long long)from_s);
    snprintf(to, sizeof(to), "%lld", (long long)to_s);
    n = mue_db_query(db, "lighting.overrides", &res, overrides_sql, 3, p);
    if (n < 0)
        return MUE_EDB;
    out->overrides = mue_xcalloc(n > 0 ? (size_t)n : 1, sizeof(*out->overrides));
    for (int i = 0; i < n; i++) {
        struct light_override *o = &out->overrides[i];

        o->start_s = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        o->end_s = strtoll(PQgetvalue(res, i, 1), NULL, 10);
        o->level = atoi(PQgetvalue(res, i, 2));
        o->priority = atoi(PQgetvalue(res, i, 3));
    }
    out->lamp.overrides = out->overrides;
    out->lamp.noverrides = n;
    PQclear(res);
    return 0;
}

int lamp_load(struct mue_db *db, const char *dev_eui, int64_t from_s, int64_t to_s,
              struct lamp_schedule *out, char *err, size_t cap)
{
    int rc;

    memset(out, 0, sizeof(*out));
    snprintf(err, cap, "%s", "");
    rc = load_device(db, dev_eui, out);
    if (rc == 0)
        rc = load_programs(db, out, err, cap);
    if (rc == 0)
        rc = load_calendar(db, out, err, cap);
    if (rc == 0)
        rc = load_overrides(db, from_s, to_s, out);
    if (rc != 0)
        lamp_schedule_free(out);
    return rc;
}

void lamp_schedule_free(struct lamp_schedule *s)
{
    free(s->programs);
    free(s->overrides);
    s->programs = NULL;
    s->overrides = NULL;
    s->lamp.programs = NULL;
    s->lamp.overrides = NULL;
    s->lamp.nprograms = s->lamp.noverrides = 0;
}
