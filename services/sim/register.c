/* register.c - the fleet into the registry: find-or-insert its sites, upsert its devices.
 * SPDX-License-Identifier: MIT */
#include "register.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_db.h"
#include "mue_err.h"

static const char site_find_sql[] =
    "SELECT id FROM site WHERE use_case = $1 AND name = $2 ORDER BY id LIMIT 1";

static const char site_insert_sql[] =
    "INSERT INTO site (use_case, name, commune, insee, latitude, longitude)"
    " VALUES ($1, $2, $3, $4, $5::float8, $6::float8) RETURNING id";

/* Writes nothing when the row already holds these values. */
static const char site_update_sql[] =
    "UPDATE site SET commune = $2, insee = $3, latitude = $4::float8, longitude = $5::float8"
    " WHERE id = $1::bigint"
    " AND (commune, insee, latitude, longitude) IS DISTINCT FROM ($2, $3, $4::float8, $5::float8)";

static const char device_upsert_sql[] =
    "INSERT INTO device (dev_eui, name, model, use_case, network, site_id, latitude, longitude,"
    " params, expected_period_s, active)"
    " VALUES ($1, $2, $3, $4, $5, $6::bigint, $7::float8, $8::float8, $9::jsonb, $10::int, true)"
    " ON CONFLICT (dev_eui) DO UPDATE SET name = EXCLUDED.name, model = EXCLUDED.model,"
    " use_case = EXCLUDED.use_case, network = EXCLUDED.network, site_id = EXCLUDED.site_id,"
    " latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, params = EXCLUDED.params,"
    " expected_period_s = EXCLUDED.expected_period_s, active = true, updated_at = now()"
    " WHERE (device.name, device.model, device.use_case, device.network, device.site_id,"
    " device.latitude, device.longitude, device.params, device.expected_period_s, device.active)"
    " IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.model, EXCLUDED.use_case, EXCLUDED.network,"
    " EXCLUDED.site_id, EXCLUDED.latitude, EXCLUDED.longitude, EXCLUDED.params,"
    " EXCLUDED.expected_period_s, true)";

/* Writes "<what>: <the first line of the server's last error>" into err. Returns MUE_EDB. */
static int db_fail(struct mue_db *db, const char *what, char *err, size_t cap)
{
    const char *m = PQerrorMessage(mue_db_conn(db));
    int len = (int)strcspn(m, "\n");

    if (len == 0) {
        m = "refused (see the log)";
        len = (int)strlen(m);
    }
    snprintf(err, cap, "%s: %.*s", what, len, m);
    return MUE_EDB;
}

/* The index of the first device of f with the same site as device i (i itself when it is the
 * first). */
static size_t first_of_site(const struct sim_fleet *f, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (strcmp(f->dev[k].site, f->dev[i].site) == 0 &&
            strcmp(f->dev[k].use_case, f->dev[i].use_case) == 0)
            return k;
    return i;
}

/* Finds or inserts the site of device d (its first device), then brings its fields up to date.
 * Sets *id. */
static int put_site(struct mue_db *db, const struct sim_device *d, int64_t *id, char *err,
                    size_t cap)
{
    char lat[32], lon[32], idtext[24], what[192];
    const char *p[6];
    PGresult *res = NULL;
    int n;

    snprintf(lat, sizeof(lat), "%.17g", d->lat);
    snprintf(lon, sizeof(lon), "%.17g", d->lon);
    p[0] = d->use_case;
    p[1] = d->site;
    n = mue_db_query(db, "sim site find", &res, site_find_sql, 2, p);
    if (n == 0) {
        PQclear(res);
        p[2] = d->commune;
        p[3] = d->insee;
        p[4] = lat;
        p[5] = lon;
        n = mue_db_query(db, "sim site insert", &res, site_insert_sql, 6, p);
    }
    if (n <= 0) {
        PQclear(res);
        snprintf(what, sizeof(what), "site \"%s\" (%s, of device %s)", d->site, d->use_case,
                 d->dev_eui);
        return db_fail(db, what, err, cap);
    }
    *id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    snprintf(idtext, sizeof(idtext), "%" PRId64, *id);
    p[0] = idtext;
    p[1] = d->commune;
    p[2] = d->insee;
    p[3] = lat;
    p[4] = lon;
    n = mue_db_query(db, "sim site update", &res, site_update_sql, 5, p);
    PQclear(res);
    if (n < 0) {
        snprintf(what, sizeof(what), "site \"%s\" (%s, of device %s)", d->site, d->use_case,
                 d->dev_eui);
        return db_fail(db, what, err, cap);
    }
    return MUE_OK;
}

static int put_device(struct mue_db *db, const struct sim_device *d, int64_t site_id, char *err,
                      size_t cap)
{
    char lat[32], lon[32], site[24], period[16], what[160];
    char *params = json_dumps(d->params, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
    const char *p[10];
    PGresult *res = NULL;
    int n;

    if (params == NULL) {
        snprintf(err, cap, "device %s: params cannot be written as JSON", d->dev_eui);
        return MUE_ENOMEM;
    }
    snprintf(lat, sizeof(lat), "%.17g", d->lat);
    snprintf(lon, sizeof(lon), "%.17g", d->lon);
    snprintf(site, sizeof(site), "%" PRId64, site_id);
    snprintf(period, sizeof(period), "%d", d->period_s);
    p[0] = d->dev_eui;
    p[1] = d->name;
    p[2] = d->model;
    p[3] = d->use_case;
    p[4] = d->network;
    p[5] = site_id > 0 ? site : NULL;
    p[6] = lat;
    p[7] = lon;
    p[8] = params;
    p[9] = period;
    n = mue_db_query(db, "sim device upsert", &res, device_upsert_sql, 10, p);
    PQclear(res);
    free(params);
    if (n < 0) {
        snprintf(what, sizeof(what), "device %s (%s)", d->dev_eui, d->name);
        return db_fail(db, what, err, cap);
    }
    return MUE_OK;
}

int sim_fleet_register(const struct sim_fleet *f, struct mue_db *db, char *err, size_t cap)
{
    /* The site id of each device (0: none), filled at its site's first device. */
    int64_t *site_id = calloc(f->n ? f->n : 1, sizeof(*site_id));
    int rc = MUE_OK;

    if (site_id == NULL) {
        snprintf(err, cap, "out of memory");
        return MUE_ENOMEM;
    }
    if (mue_db_exec(db, "sim register begin", "BEGIN") < 0) {
        free(site_id);
        return db_fail(db, "BEGIN", err, cap);
    }
    /* Two registrations at once must not both insert the same site: find-then-insert needs the
     * table to itself (readers are not blocked). */
    if (mue_db_exec(db, "sim register lock", "LOCK TABLE site IN SHARE ROW EXCLUSIVE MODE") < 0) {
        rc = db_fail(db, "locking table site", err, cap);
    }
    for (size_t i = 0; rc == MUE_OK && i < f->n; i++) {
        if (f->dev[i].site[0] == '\0')
            continue;
        size_t first = first_of_site(f, i);
        if (first == i)
            rc = put_site(db, &f->dev[i], &site_id[i], err, cap);
        else
            site_id[i] = site_id[first];
    }
    for (size_t i = 0; rc == MUE_OK && i < f->n; i++)
        rc = put_device(db, &f->dev[i], site_id[i], err, cap);
    free(site_id);
    if (rc < 0) {
        mue_db_exec(db, "sim register rollback", "ROLLBACK");
        return rc;
    }
    if (mue_db_exec(db, "sim register commit", "COMMIT") < 0)
        return db_fail(db, "COMMIT", err, cap);
    return MUE_OK;
}
