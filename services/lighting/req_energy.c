/* req_energy.c - the energy request: per assigned group and local day, the planned energy of its
 * lamps, what they would burn at full power from sunset to sunrise, the saving, and what their
 * energy counters measured.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "mue_mem.h"
#include "req_lamps.h"

#define MAX_DAYS 366
/* The answer stays under NATS's default payload limit (1 MB): a row is 200 bytes at most. */
#define MAX_ROWS 5000

/* The counters are cumulative kWh: a device's day is its last reading less its first. */
static const char measured_sql[] =
    "SELECT m.group_name, r.day - $2::date, sum((r.last_value - r.first_value) * 1000)"
    " FROM rollup_day r JOIN device_group_member m ON m.device_id = r.device_id"
    " JOIN device d ON d.id = r.device_id"
    " WHERE r.quantity = 'energy' AND r.day BETWEEN $2::date AND $3::date AND d.active"
    " AND d.use_case = 'lighting' AND CASE WHEN $1::text IS NULL THEN m.group_name IN"
    " (SELECT group_name FROM lighting_assignment) ELSE m.group_name = $1 END"
    " GROUP BY 1, 2";

struct group_day {
    double planned_wh, full_wh, saving_wh;
    double measured_wh; /* NAN: no counter */
};

/* measured[g * ndays + day], NAN where no member has a counter. */
static int load_measured(struct req *r, const char *group, int64_t from, int64_t to,
                         const struct req_fleet *f, int ndays, double *measured)
{
    char from_text[11], to_text[11];
    const char *p[3] = { group, from_text, to_text };
    PGresult *res = NULL;
    int n;

    for (int i = 0; i < f->ngroups * ndays; i++)
        measured[i] = NAN;
    req_date_text(from, from_text);
    req_date_text(to, to_text);
    n = req_query(r, "lighting.energy_measured", &res, measured_sql, 3, p);
    if (n < 0)
        return MUE_EDB;
    for (int i = 0; i < n; i++) {
        int day = atoi(PQgetvalue(res, i, 1)), g;

        for (g = 0; g < f->ngroups && strcmp(f->groups[g], PQgetvalue(res, i, 0)) != 0; g++)
            ;
        if (g < f->ngroups && day >= 0 && day < ndays && !PQgetisnull(res, i, 2))
            measured[g * ndays + day] = strtod(PQgetvalue(res, i, 2), NULL);
    }
    PQclear(res);
    return 0;
}

static json_t *day_row(const char *date, const char *group, int lamps, const struct group_day *s)
{
    return json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:o}", "date", date, "group", group, "lamps",
                     lamps, "planned_wh", req_wh_json(s->planned_wh), "full_wh",
                     req_wh_json(s->full_wh), "saving_wh", req_wh_json(s->saving_wh), "measured_wh",
                     isnan(s->measured_wh) ? json_null() : req_wh_json(s->measured_wh));
}

/* Every lamp's day once, however many of the groups hold it; then each group's sums. */
static json_t *days_json(const struct req_fleet *f, int64_t from, int ndays, const double *measured)
{
    struct light_energy *lamp = mue_xcalloc(f->nlamps > 0 ? (size_t)f->nlamps : 1, sizeof(*lamp));
    struct group_day *sum = mue_xcalloc(f->ngroups > 0 ? (size_t)f->ngroups : 1, sizeof(*sum));
    int *lamps = mue_xcalloc(f->ngroups > 0 ? (size_t)f->ngroups : 1, sizeof(*lamps));
    json_t *days = json_array();

    for (int i = 0; i < f->nmembers; i++)
        lamps[f->members[i].group]++;
    for (int k = 0; k < ndays; k++) {
        struct req_day d;
        char date[11];

        req_day_init(&d, f, from + k);
        for (int i = 0; i < f->nlamps; i++) {
            const char *program;

            req_day_energy(&d, &f->lamps[i], &lamp[i], &program);
        }
        req_day_fini(&d);
        memset(sum, 0, (size_t)f->ngroups * sizeof(*sum));
        for (int i = 0; i < f->nmembers; i++) {
            struct group_day *s = &sum[f->members[i].group];
            const struct light_energy *e = &lamp[f->members[i].lamp];

            s->planned_wh += e->planned_wh;
            s->full_wh += e->full_wh;
            s->saving_wh += e->saving_wh;
        }
        req_date_text(from + k, date);
        for (int g = 0; g < f->ngroups; g++) {
            sum[g].measured_wh = measured[g * ndays + k];
            json_array_append_new(days, day_row(date, f->groups[g], lamps[g], &sum[g]));
        }
    }
    free(lamp);
    free(sum);
    free(lamps);
    return days;
}

json_t *req_energy(struct req *r)
{
    static const char *const known[] = { "group", "from", "to", NULL };
    const char *group = NULL;
    int64_t from = 0, to = 0, from_s, to_s, unused;
    struct req_fleet f;
    double *measured;
    char why[200];
    json_t *err = req_only(r, known), *days;
    int ndays, rc;

    if (err == NULL)
        err = req_group(r, "group", false, &group);
    if (err == NULL)
        err = req_date(r, "from", true, &from);
    if (err == NULL)
        err = req_date(r, "to", true, &to);
    if (err == NULL && to < from)
        err = req_fail("bad_request", "to: comes before from");
    if (err == NULL && to - from + 1 > MAX_DAYS)
        err = req_fail("bad_request", "from, to: %lld days, at most %d", (long long)(to - from + 1),
                       MAX_DAYS);
    if (err != NULL)
        return err;
    ndays = (int)(to - from + 1);
    req_day_bounds(from, &from_s, &unused);
    req_day_bounds(to, &unused, &to_s);
    rc = req_fleet_load(r, group, from_s, to_s, &f, why, sizeof(why));
    if (rc != 0)
        return rc == MUE_EINVAL ? req_fail("unavailable", "a stored schedule is broken: %s", why)
                                : req_unavailable();
    if (group != NULL && f.ngroups == 0) {
        req_fleet_free(&f);
        return req_fail("not_found", "no group \"%s\"", group);
    }
    if ((long)f.ngroups * ndays > MAX_ROWS) {
        err = req_fail("bad_request",
                       "%d groups over %d days: at most %d rows, ask for fewer days"
                       " or one group",
                       f.ngroups, ndays, MAX_ROWS);
        req_fleet_free(&f);
        return err;
    }
    measured =
        mue_xcalloc((size_t)(f.ngroups > 0 ? f.ngroups : 1) * (size_t)ndays, sizeof(*measured));
    if (load_measured(r, group, from, to, &f, ndays, measured) != 0) {
        free(measured);
        req_fleet_free(&f);
        return req_unavailable();
    }
    days = days_json(&f, from, ndays, measured);
    free(measured);
    req_fleet_free(&f);
    return json_pack("{s:o}", "days", days);
}
