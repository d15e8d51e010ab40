/* req_lamps.c - many lamps' schedules in a few queries, and their energy day by day without
 * planning each minute of each lamp: a year of a hundred lamps is some 36,000 lamp-days.
 * SPDX-License-Identifier: MIT */
#include "req_lamps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lamp_load.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_localtime.h"
#include "mue_mem.h"
#include "talq_json.h"

/* The groups asked for: one by name, or every assigned one. Names in byte order (C collation). */
#define GROUPS_WHERE(col)                                                                          \
    "CASE WHEN $1::text IS NULL THEN " col " IN (SELECT group_name FROM lighting_assignment)"      \
    " ELSE " col " = $1 END"

static const char groups_sql[] =
    "SELECT name FROM device_group WHERE " GROUPS_WHERE("name") " ORDER BY name COLLATE \"C\"";

static const char calendars_sql[] =
    "SELECT id, doc::text FROM lighting_calendar"
    " WHERE id IN (SELECT calendar_id FROM lighting_assignment) ORDER BY id";

/* Position, power and the driving assignment as lamp_load.c reads them. */
/* clang-format off */
static const char members_sql[] =
    "SELECT m.group_name, d.dev_eui, d.id, " LAMP_SQL_LAT ", " LAMP_SQL_LON ", " LAMP_SQL_POWER
    ", a.calendar_id FROM device_group_member m JOIN device d ON d.id = m.device_id"
    " LEFT JOIN site s ON s.id = d.site_id"
    " LEFT JOIN LATERAL (SELECT a.calendar_id FROM lighting_assignment a"
    "  JOIN device_group_member m2 ON m2.group_name = a.group_name WHERE m2.device_id = d.id"
    "  " LAMP_SQL_DRIVING_ORDER ") a ON true"
    " WHERE d.active AND d.use_case = 'lighting' AND " GROUPS_WHERE("m.group_name")
    " ORDER BY m.group_name COLLATE \"C\", d.dev_eui";
/* clang-format on */

/* Each override touching the span, once per lamp it covers (its own or its group's). */
static const char overrides_sql[] =
    "SELECT x.device_id, extract(epoch FROM o.starts_at)::int8,"
    " extract(epoch FROM o.expires_at)::int8, o.level, o.priority FROM lighting_override o"
    " CROSS JOIN LATERAL (SELECT unnest(o.device_ids) UNION SELECT m.device_id"
    "  FROM device_group_member m WHERE m.group_name = o.group_name) x(device_id)"
    " WHERE o.cancelled_at IS NULL AND o.starts_at < to_timestamp($2::float8)"
    " AND o.expires_at > to_timestamp($1::float8) ORDER BY x.device_id, o.id";

static int load_programs(struct req *r, struct req_fleet *f, char *err, size_t cap)
{
    PGresult *res = NULL;
    int n = req_query(r, "lighting.fleet_programs", &res, LAMP_SQL_PROGRAMS, 0, NULL), rc;

    if (n < 0)
        return MUE_EDB;
    f->programs = mue_xcalloc(n > 0 ? (size_t)n : 1, sizeof(*f->programs));
    rc = lamp_parse_programs(res, n, f->programs, err, cap);
    f->nprograms = n;
    PQclear(res);
    return rc;
}

static int load_calendars(struct req *r, struct req_fleet *f, char *err, size_t cap)
{
    PGresult *res = NULL;
    int n = req_query(r, "lighting.fleet_calendars", &res, calendars_sql, 0, NULL), rc = 0;

    if (n < 0)
        return MUE_EDB;
    f->calendars = mue_xcalloc(n > 0 ? (size_t)n : 1, sizeof(*f->calendars));
    for (int i = 0; i < n && rc == 0; i++) {
        const char *doc = PQgetvalue(res, i, 1);
        char why[160];

        rc = talq_calendar_parse(doc, strlen(doc), &f->calendars[i], why, sizeof(why));
        if (rc != 0)
            snprintf(err, cap, "calendar %s: %s", PQgetvalue(res, i, 0), why);
    }
    f->ncalendars = n;
    PQclear(res);
    return rc;
}

static int load_groups(struct req *r, const char *group, struct req_fleet *f)
{
    const char *p[1] = { group };
    PGresult *res = NULL;
    int n = req_query(r, "lighting.fleet_groups", &res, groups_sql, 1, p);

    if (n < 0)
        return MUE_EDB;
    f->groups = mue_xcalloc(n > 0 ? (size_t)n : 1, sizeof(*f->groups));
    for (int i = 0; i < n; i++)
        snprintf(f->groups[i], sizeof(f->groups[i]), "%s", PQgetvalue(res, i, 0));
    f->ngroups = n;
    PQclear(res);
    return 0;
}

static int find_group(const struct req_fleet *f, const char *name)
{
    int lo = 0, hi = f->ngroups - 1;

    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(f->groups[mid], name);

        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static const struct light_calendar *find_calendar(const struct req_fleet *f, const char *id)
{
    for (int i = 0; i < f->ncalendars; i++)
        if (strcmp(f->calendars[i].id, id) == 0)
            return &f->calendars[i];
    return NULL;
}

struct row_ref {
    long long device_id;
    int row;
};

static int by_device(const void *a, const void *b)
{
    const struct row_ref *x = a, *y = b;

    if (x->device_id != y->device_id)
        return x->device_id < y->device_id ? -1 : 1;
    return x->row - y->row;
}

/* One lamp per device, sorted by device id; members[row] names its group and lamp. */
static int load_members(struct req *r, const char *group, struct req_fleet *f)
{
    const char *p[1] = { group };
    PGresult *res = NULL;
    int n = req_query(r, "lighting.fleet_members", &res, members_sql, 1, p);
    struct row_ref *refs;

    if (n < 0)
        return MUE_EDB;
    refs = mue_xcalloc(n > 0 ? (size_t)n : 1, sizeof(*refs));
    f->members = mue_xcalloc(n > 0 ? (size_t)n : 1, sizeof(*f->members));
    f->lamps = mue_xcalloc(n > 0 ? (size_t)n : 1, sizeof(*f->lamps));
    for (int i = 0; i < n; i++)
        refs[i] = (struct row_ref){ strtoll(PQgetvalue(res, i, 2), NULL, 10), i };
    qsort(refs, (size_t)n, sizeof(*refs), by_device);
    for (int k = 0; k < n; k++) {
        int i = refs[k].row;

        if (k == 0 || refs[k].device_id != refs[k - 1].device_id) {
            struct req_lamp *l = &f->lamps[f->nlamps++];

            snprintf(l->dev_eui, sizeof(l->dev_eui), "%s", PQgetvalue(res, i, 1));
            l->device_id = refs[k].device_id;
            l->lamp.lat =
                PQgetisnull(res, i, 3) ? LAMP_DEFAULT_LAT : strtod(PQgetvalue(res, i, 3), NULL);
            l->lamp.lon =
                PQgetisnull(res, i, 4) ? LAMP_DEFAULT_LON : strtod(PQgetvalue(res, i, 4), NULL);
            l->power_w = strtod(PQgetvalue(res, i, 5), NULL);
            l->lamp.calendar =
                PQgetisnull(res, i, 6) ? NULL : find_calendar(f, PQgetvalue(res, i, 6));
            l->lamp.programs = f->programs;
            l->lamp.nprograms = f->nprograms;
        }
        f->members[i].group = find_group(f, PQgetvalue(res, i, 0));
        f->members[i].lamp = f->nlamps - 1;
    }
    /* A group that is not among those asked for cannot come out of one snapshot; kept out all
     * the same, so that an index is never -1. */
    for (int i = 0; i < n; i++)
        if (f->members[i].group >= 0)
            f->members[f->nmembers++] = f->members[i];
    free(refs);
    PQclear(res);
    return 0;
}

static int load_overrides(struct req *r, int64_t from_s, int64_t to_s, struct req_fleet *f)
{
    char from[24], to[24];
    const char *p[2] = { from, to };
    PGresult *res = NULL;
    int n, k = 0;

    snprintf(from, sizeof(from), "%lld", (long long)from_s);
    snprintf(to, sizeof(to), "%lld", (long long)to_s);
    n = req_query(r, "lighting.fleet_overrides", &res, overrides_sql, 2, p);
    if (n < 0)
        return MUE_EDB;
    f->overrides = mue_xcalloc(n > 0 ? (size_t)n : 1, sizeof(*f->overrides));
    /* Rows and lamps both run by device id: one merge gives each lamp its slice. */
    for (int i = 0; i < f->nlamps; i++) {
        struct req_lamp *l = &f->lamps[i];

        while (k < n && strtoll(PQgetvalue(res, k, 0), NULL, 10) < l->device_id)
            k++;
        l->lamp.overrides = &f->overrides[f->noverrides];
        for (; k < n && strtoll(PQgetvalue(res, k, 0), NULL, 10) == l->device_id; k++) {
            struct light_override *o = &f->overrides[f->noverrides++];

            o->start_s = strtoll(PQgetvalue(res, k, 1), NULL, 10);
            o->end_s = strtoll(PQgetvalue(res, k, 2), NULL, 10);
            o->level = atoi(PQgetvalue(res, k, 3));
            o->priority = atoi(PQgetvalue(res, k, 4));
            l->lamp.noverrides++;
        }
    }
    PQclear(res);
    return 0;
}

int req_fleet_load(struct req *r, const char *group, int64_t from_s, int64_t to_s,
                   struct req_fleet *out, char *err, size_t cap)
{
    int rc;

    memset(out, 0, sizeof(*out));
    snprintf(err, cap, "%s", "");
    /* One snapshot: an assignment changed between two of the queries cannot mix them. */
    if (mue_db_exec(r->db, "lighting.fleet_begin",
                    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") < 0)
        return MUE_EDB;
    rc = load_groups(r, group, out);
    if (rc == 0)
        rc = load_programs(r, out, err, cap);
    if (rc == 0)
        rc = load_calendars(r, out, err, cap);
    if (rc == 0)
        rc = load_members(r, group, out);
    if (rc == 0)
        rc = load_overrides(r, from_s, to_s, out);
    if (mue_db_exec(r->db, "lighting.fleet_end", rc == 0 ? "COMMIT" : "ROLLBACK") < 0 && rc == 0)
        rc = MUE_EDB;
    if (rc != 0)
        req_fleet_free(out);
    return rc;
}

void req_fleet_free(struct req_fleet *f)
{
    free(f->programs);
    free(f->calendars);
    free(f->groups);
    free(f->lamps);
    free(f->members);
    free(f->overrides);
    memset(f, 0, sizeof(*f));
}

/* ---- a day ---- */

void req_day_init(struct req_day *d, const struct req_fleet *f, int64_t date)
{
    int64_t to_s;

    memset(d, 0, sizeof(*d));
    d->fleet = f;
    d->date = date;
    req_day_bounds(date, &d->from_s, &to_s);
    d->n = (int)((to_s - d->from_s) / 60);
    if (d->n == LIGHT_DAY_MIN) {
        memset(d->weight, 1, sizeof(d->weight));
    } else {
        /* The clock-change days: count the real minutes at each clock minute, as light_plan
         * reads them. */
        for (int i = 0; i < d->n; i++) {
            struct mue_localtime lt;

            mue_localtime_from_utc(d->from_s + (int64_t)i * 60, &lt);
            d->weight[lt.hour * 60 + lt.minute]++;
        }
    }
    d->picked = mue_xcalloc(f->ncalendars > 0 ? (size_t)f->ncalendars : 1, sizeof(*d->picked));
    d->program = mue_xcalloc(f->ncalendars > 0 ? (size_t)f->ncalendars : 1, sizeof(*d->program));
    for (int i = 0; i < f->ncalendars; i++) {
        d->picked[i] = light_calendar_program(&f->calendars[i], date);
        d->program[i] = light_find_program(f->programs, f->nprograms, d->picked[i]);
    }
}

void req_day_fini(struct req_day *d)
{
    free(d->picked);
    free(d->program);
    d->picked = NULL;
    d->program = NULL;
}

/* Whether one of the lamp's overrides is in force at some minute of the day. */
static bool overridden(const struct req_day *d, const struct light_lamp *lamp)
{
    int64_t to_s = d->from_s + (int64_t)d->n * 60;

    for (int i = 0; i < lamp->noverrides; i++)
        if (lamp->overrides[i].start_s < to_s && lamp->overrides[i].end_s > d->from_s)
            return true;
    return false;
}

/* The day's cache entry of a program under a sun: its level-minutes and night-minutes, summed
 * as light_energy() sums them minute by minute. */
static int day_entry(struct req_day *d, const struct light_program *p, const struct light_sun *sun)
{
    uint8_t levels[LIGHT_DAY_MIN];
    long level_min = 0, night_min = 0;
    int lit = 0, e;

    for (e = 0; e < d->ncached; e++)
        if (d->cache[e].p == p && d->cache[e].rise == sun->rise_min &&
            d->cache[e].set == sun->set_min)
            return e;
    if (p != NULL)
        light_program_levels(p, sun, levels);
    else
        memset(levels, 0, sizeof(levels));
    for (int m = 0; m < LIGHT_DAY_MIN; m++) {
        level_min += (long)d->weight[m] * levels[m];
        lit += levels[m] > 0 ? d->weight[m] : 0;
        night_min +=
            sun->rise_min >= 0 && (m < sun->rise_min || m >= sun->set_min) ? d->weight[m] : 0;
    }
    /* A full cache is reused from its last entry: correct, only slower. */
    e = d->ncached < REQ_DAY_CACHE ? d->ncached++ : REQ_DAY_CACHE - 1;
    d->cache[e].p = p;
    d->cache[e].rise = sun->rise_min;
    d->cache[e].set = sun->set_min;
    d->cache[e].level_min = level_min;
    d->cache[e].night_min = night_min;
    d->cache[e].lit = lit;
    return e;
}

void req_day_energy(struct req_day *d, const struct req_lamp *l, struct light_energy *out,
                    const char **program)
{
    const struct light_calendar *cal = l->lamp.calendar;
    const struct light_program *p = NULL;
    struct light_sun sun;
    int e;

    *program = NULL;
    if (cal != NULL) {
        int c = (int)(cal - d->fleet->calendars);

        *program = d->picked[c][0] != '\0' ? d->picked[c] : NULL;
        p = d->program[c];
    }
    if (overridden(d, &l->lamp)) {
        light_energy(&l->lamp, l->power_w, d->from_s, d->n, out);
        return;
    }
    light_sun_of(l->lamp.lat, l->lamp.lon, d->date, &sun);
    e = day_entry(d, p, &sun);
    /* The same expressions as light_energy(), so that the results are equal to the bit. */
    out->planned_wh = l->power_w * (double)d->cache[e].level_min / 100.0 / 60.0;
    out->full_wh = l->power_w * (double)d->cache[e].night_min / 60.0;
    out->saving_wh = out->full_wh - out->planned_wh;
    out->lit_minutes = d->cache[e].lit;
}
