/* test_noise.c - the noise views: Lday, Levening, Lnight, Lden, L10/L50/L90 on hand-computed days.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mue_db.h"
#include "mue_err.h"
#include "mue_migrate.h"
#include "mue_time.h"
#include "store.h"
#include "../../unit/mue_test.h"
#include "../c/server_test.h"

#define US_PER_S   INT64_C(1000000)
#define US_PER_MIN (60 * US_PER_S)
#define US_PER_H   (3600 * US_PER_S)
#define US_PER_DAY (24 * US_PER_H)
#define TOL_DB     1e-9

static struct test_db tdb; /* the suite's own database */
static struct mue_db *db;  /* tdb.db */
static struct store *store;

/* ------------------------------------------------------------------ time, without the C library's
 * time zone: civil dates in UTC, and Europe/Paris by the EU rule (UTC+2 from the last Sunday of
 * March 01:00 UTC to the last Sunday of October 01:00 UTC, UTC+1 otherwise). */

static int64_t days_from_civil(int y, int m, int d)
{
    int64_t yy = y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t utc_us(int y, int mo, int d, int h, int mi)
{
    return (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60) * US_PER_S;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t last_sunday(int y, int m)
{
    int64_t last = days_from_civil(y, m, 31);
    return last - ((last + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday; Sunday is 0 */
}

/* Paris's offset at 't_us', in hours; the rows of these tests are all in 2026. */
static int paris_offset_h(int64_t t_us)
{
    int64_t from = (last_sunday(2026, 3) * 86400 + 3600) * US_PER_S;
    int64_t to = (last_sunday(2026, 10) * 86400 + 3600) * US_PER_S;
    return t_us >= from && t_us < to ? 2 : 1;
}

/* The instant of the Paris wall-clock time y-mo-d h:mi, its first one when the clocks go back;
 * -1 when the clocks skip it. */
static int64_t paris(int y, int mo, int d, int h, int mi)
{
    int64_t wall = utc_us(y, mo, d, h, mi);
    for (int off = 2; off >= 1; off--)
        if (paris_offset_h(wall - off * US_PER_H) == off)
            return wall - off * US_PER_H;
    return -1;
}

/* The Paris wall-clock hour of 't_us'. */
static int paris_hour(int64_t t_us)
{
    int64_t wall = t_us + paris_offset_h(t_us) * US_PER_H;
    return (int)(floor_div(wall, US_PER_H) - floor_div(wall, US_PER_DAY) * 24);
}

enum { DAY, EVENING, NIGHT };

static int period_of(int64_t t_us)
{
    int h = paris_hour(t_us);
    return h >= 6 && h < 18 ? DAY : h >= 18 && h < 22 ? EVENING : NIGHT;
}

/* ------------------------------------------------------------------ sound levels by hand */

static double energy_of(double level)
{
    return pow(10.0, level / 10.0);
}

/* Lden with the directive's penalties and the periods' lengths of that day. */
static double lden(double lday, double levening, double lnight, double night_hours)
{
    return 10.0 * log10((12.0 * energy_of(lday) + 4.0 * energy_of(levening + 5.0) +
                         night_hours * energy_of(lnight + 10.0)) /
                        (16.0 + night_hours));
}

/* The energies and counts of samples per period, to take energetic means from. */
struct periods {
    double energy[3];
    long count[3];
};

static double level_of(const struct periods *p, int period)
{
    return 10.0 * log10(p->energy[period] / (double)p->count[period]);
}

/* A day's levels: one per period, and optionally a loud stretch [loud_from, loud_to). */
struct levels {
    double day, evening, night;
    int64_t loud_from, loud_to;
    double loud;
};

static double level_at(const struct levels *l, int64_t t_us)
{
    if (t_us >= l->loud_from && t_us < l->loud_to)
        return l->loud;
    switch (period_of(t_us)) {
    case DAY:
        return l->day;
    case EVENING:
        return l->evening;
    default:
        return l->night;
    }
}

/* Writes one LAeq sample every 'step_us' in [from, to) at the levels of 'l', for 'device', adds
 * them to 'acc' (when not NULL) and returns the number store_write inserted (or MUE_EDB). */
static int write_samples(int64_t device, int64_t from, int64_t to, int64_t step_us,
                         const struct levels *l, struct periods *acc)
{
    size_t n = (size_t)((to - from + step_us - 1) / step_us), i = 0;
    struct store_row *rows = calloc(n, sizeof(*rows));
    int rc;

    for (int64_t t = from; t < to; t += step_us, i++) {
        rows[i] = (struct store_row){ device, "LAeq", t, level_at(l, t), "noise" };
        if (acc != NULL) {
            acc->energy[period_of(t)] += energy_of(rows[i].value);
            acc->count[period_of(t)]++;
        }
    }
    rc = store_write(store, rows, n);
    free(rows);
    return rc;
}

/* ------------------------------------------------------------------ SQL helpers */

static int64_t add_site(const char *name)
{
    const char *params[1] = { name };
    PGresult *r = NULL;
    int64_t id;
    int n = mue_db_query(db, "test site", &r,
                         "INSERT INTO site (name, use_case) VALUES ($1, 'noise') RETURNING id", 1,
                         params);

    if (n != 1)
        PQclear(r);
    MUE_ASSERT_INT_EQ(n, 1);
    id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return id;
}

static int64_t add_device(const char *name, int64_t site)
{
    static unsigned serial;
    char eui[20], site_text[24];
    const char *params[3] = { eui, name, site_text };
    PGresult *r = NULL;
    int64_t id;
    int n;

    snprintf(eui, sizeof(eui), "70b3d5e75e01%04x", ++serial);
    snprintf(site_text, sizeof(site_text), "%lld", (long long)site);
    n = mue_db_query(db, "test device", &r,
                     "INSERT INTO device (dev_eui, name, model, use_case, site_id)"
                     " VALUES ($1, $2, 'cesva-ta120', 'noise', $3) RETURNING id",
                     3, params);
    if (n != 1)
        PQclear(r);
    MUE_ASSERT_INT_EQ(n, 1);
    id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return id;
}

/* A row of a view: up to 6 columns, NAN for NULL. */
struct row {
    int found;
    double v[6];
};

static struct row query_row(const char *sql, const char *p1, const char *p2)
{
    const char *params[2] = { p1, p2 };
    PGresult *r = NULL;
    struct row out = { 0, { NAN, NAN, NAN, NAN, NAN, NAN } };
    int n = mue_db_query(db, "test row", &r, sql, 2, params);

    if (n < 0)
        MUE_ASSERT_INT_EQ(n, 1);
    if (n > 1)
        PQclear(r);
    MUE_ASSERT(n <= 1);
    if (n == 1) {
        out.found = 1;
        for (int c = 0; c < PQnfields(r) && c < 6; c++)
            out.v[c] = PQgetisnull(r, 0, c) ? NAN : strtod(PQgetvalue(r, 0, c), NULL);
    }
    PQclear(r);
    return out;
}

/* noise_day of 'device' on 'day' (YYYY-MM-DD): lday, levening, lnight, lden, night_hours,
 * site_id. */
static struct row noise_day(int64_t device, const char *day)
{
    char dev[24];
    snprintf(dev, sizeof(dev), "%lld", (long long)device);
    return query_row("SELECT lday, levening, lnight, lden, night_hours, site_id FROM noise_day"
                     " WHERE device_id = $1 AND day = $2::date",
                     dev, day);
}

/* noise_site_day of 'site' on 'day': lday, levening, lnight, lden. */
static struct row noise_site_day(int64_t site, const char *day)
{
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)site);
    return query_row("SELECT lday, levening, lnight, lden FROM noise_site_day"
                     " WHERE site_id = $1 AND day = $2::date",
                     id, day);
}

/* noise_period's samples for the night of 'day', of 'device'. */
static long night_samples(int64_t device, const char *day)
{
    char dev[24];
    snprintf(dev, sizeof(dev), "%lld", (long long)device);
    struct row r = query_row("SELECT samples FROM noise_period"
                             " WHERE device_id = $1 AND day = $2::date AND period = 'night'",
                             dev, day);
    return r.found ? (long)r.v[0] : -1;
}

/* ------------------------------------------------------------------ tests */

static void test_paris_instants_use_the_offset_of_their_season(void)
{
    MUE_ASSERT_INT_EQ(paris(2026, 1, 15, 6, 0), utc_us(2026, 1, 15, 5, 0));
    MUE_ASSERT_INT_EQ(paris(2026, 6, 15, 6, 0), utc_us(2026, 6, 15, 4, 0));
    MUE_ASSERT_INT_EQ(paris(2026, 3, 29, 1, 59), utc_us(2026, 3, 29, 0, 59));
    MUE_ASSERT_INT_EQ(paris(2026, 3, 29, 2, 30), -1); /* skipped when the clocks go forward */
    MUE_ASSERT_INT_EQ(paris(2026, 3, 29, 3, 0), utc_us(2026, 3, 29, 1, 0));
    MUE_ASSERT_INT_EQ(paris(2026, 10, 25, 2, 30), utc_us(2026, 10, 25, 0, 30)); /* first 02:30 */
    MUE_ASSERT_INT_EQ(paris(2026, 10, 25, 3, 0), utc_us(2026, 10, 25, 2, 0));
    MUE_ASSERT_INT_EQ(paris_hour(utc_us(2026, 10, 25, 1, 30)), 2); /* the second 02:30 */
}

static void test_a_constant_60_db_day_gives_60_in_every_period_and_the_directive_lden(void)
{
    int64_t site = add_site("constant 60"), dev = add_device("n-constant", site);
    struct levels l = { 60, 60, 60, 0, 0, 0 };
    double want = 10.0 * log10((12.0 * pow(10, 6) + 4.0 * pow(10, 6.5) + 8.0 * pow(10, 7)) / 24.0);
    struct row r;

    MUE_ASSERT_INT_EQ(write_samples(dev, paris(2026, 6, 10, 6, 0), paris(2026, 6, 11, 6, 0),
                                    10 * US_PER_MIN, &l, NULL),
                      144);
    r = noise_day(dev, "2026-06-10");
    MUE_ASSERT_INT_EQ(r.found, 1);
    MUE_ASSERT_DBL_NEAR(r.v[0], 60.0, TOL_DB);
    MUE_ASSERT_DBL_NEAR(r.v[1], 60.0, TOL_DB);
    MUE_ASSERT_DBL_NEAR(r.v[2], 60.0, TOL_DB);
    MUE_ASSERT_DBL_NEAR(r.v[3], want, TOL_DB);
    MUE_ASSERT_DBL_NEAR(r.v[3], 66.3952430013186, 1e-9); /* the same, written out */
    MUE_ASSERT_INT_EQ((long long)r.v[4], 8);
    MUE_ASSERT_INT_EQ((long long)r.v[5], site);
    MUE_ASSERT_INT_EQ(night_samples(dev, "2026-06-10"), 48);
}

static void test_a_loud_hour_after_midnight_counts_in_the_night_of_the_day_before(void)
{
    int64_t site = add_site("loud night"), dev = add_device("n-loud-night", site);
    /* 02:00-03:00 local on 17 June (00:00-01:00 UTC): 90 dB in a 50 dB day. */
    struct levels l = { 50, 50, 50, paris(2026, 6, 17, 2, 0), paris(2026, 6, 17, 3, 0), 90 };
    double lnight = 10.0 * log10((42.0 * pow(10, 5) + 6.0 * pow(10, 9)) / 48.0);
    double want =
        10.0 *
        log10((12.0 * pow(10, 5) + 4.0 * pow(10, 5.5) + 8.0 * pow(10, lnight / 10.0 + 1.0)) / 24.0);
    struct row r;

    MUE_ASSERT_INT_EQ(l.loud_from, utc_us(2026, 6, 17, 0, 0));
    MUE_ASSERT_INT_EQ(write_samples(dev, paris(2026, 6, 16, 6, 0), paris(2026, 6, 17, 6, 0),
                                    10 * US_PER_MIN, &l, NULL),
                      144);
    r = noise_day(dev, "2026-06-16");
    MUE_ASSERT_INT_EQ(r.found, 1);
    MUE_ASSERT_DBL_NEAR(r.v[0], 50.0, TOL_DB);
    MUE_ASSERT_DBL_NEAR(r.v[1], 50.0, TOL_DB);
    MUE_ASSERT_DBL_NEAR(r.v[2], lnight, TOL_DB);
    MUE_ASSERT_DBL_NEAR(r.v[2], 80.97213912792868, 1e-9);
    MUE_ASSERT_DBL_NEAR(r.v[3], want, TOL_DB);
    MUE_ASSERT_INT_EQ((long long)r.v[4], 8);
    /* 17 June has no day of its own: nothing leaks into it. */
    MUE_ASSERT_INT_EQ(noise_day(dev, "2026-06-17").found, 0);
}

/* A day from 06:00 local to 06:00 local the next day across a clock change, at 60/55/52 dB. */
static void check_clock_change_night(const char *name, int y, int mo, int d, const char *day,
                                     long want_hours)
{
    int64_t site = add_site(name), dev = add_device(name, site);
    struct levels l = { 60, 55, 52, 0, 0, 0 };
    int64_t from = paris(y, mo, d, 6, 0), to = paris(y, mo, d + 1, 6, 0);
    struct periods acc = { { 0 }, { 0 } };
    struct row r, s;
    double want = lden(60, 55, 52, (double)want_hours);

    MUE_ASSERT_INT_EQ(to - from, (16 + want_hours) * US_PER_H);
    MUE_ASSERT_INT_EQ(write_samples(dev, from, to, 10 * US_PER_MIN, &l, &acc),
                      (16 + want_hours) * 6);
    MUE_ASSERT_INT_EQ(acc.count[NIGHT], want_hours * 6);
    MUE_ASSERT_INT_EQ(night_samples(dev, day), want_hours * 6);
    r = noise_day(dev, day);
    MUE_ASSERT_INT_EQ(r.found, 1);
    MUE_ASSERT_DBL_NEAR(r.v[0], 60.0, TOL_DB);
    MUE_ASSERT_DBL_NEAR(r.v[1], 55.0, TOL_DB);
    MUE_ASSERT_DBL_NEAR(r.v[2], 52.0, TOL_DB);
    MUE_ASSERT_INT_EQ((long long)r.v[4], want_hours);
    MUE_ASSERT_DBL_NEAR(r.v[3], want, TOL_DB);
    /* The weights matter: with 8 night hours it would be another value. */
    MUE_ASSERT(fabs(want - lden(60, 55, 52, 8.0)) > 0.05);
    /* The site of that one device says the same. */
    s = noise_site_day(site, day);
    MUE_ASSERT_INT_EQ(s.found, 1);
    MUE_ASSERT_DBL_NEAR(s.v[2], 52.0, TOL_DB);
    MUE_ASSERT_DBL_NEAR(s.v[3], want, TOL_DB);
}

static void test_the_spring_night_28_to_29_march_has_7_hours_and_weighs_7(void)
{
    check_clock_change_night("spring night", 2026, 3, 28, "2026-03-28", 7);
}

static void test_the_autumn_night_24_to_25_october_has_9_hours_and_weighs_9(void)
{
    check_clock_change_night("autumn night", 2026, 10, 24, "2026-10-24", 9);
}

static void test_a_site_pools_its_devices_samples_energetically(void)
{
    int64_t site = add_site("two devices");
    int64_t a = add_device("n-site-a", site), b = add_device("n-site-b", site);
    struct levels la = { 60, 60, 60, 0, 0, 0 }, lb = { 70, 65, 55, 0, 0, 0 };
    struct periods acc = { { 0 }, { 0 } };
    int64_t from = paris(2026, 9, 15, 6, 0), to = paris(2026, 9, 16, 6, 0);
    double want_day, want_evening, want_night;
    struct row s, ra, rb;

    /* b samples twice as often as a: pooling weighs its samples, not the devices. */
    MUE_ASSERT_INT_EQ(write_samples(a, from, to, 10 * US_PER_MIN, &la, &acc), 144);
    MUE_ASSERT_INT_EQ(write_samples(b, from, to, 5 * US_PER_MIN, &lb, &acc), 288);
    want_day = level_of(&acc, DAY);
    want_evening = level_of(&acc, EVENING);
    want_night = level_of(&acc, NIGHT);
    MUE_ASSERT_DBL_NEAR(want_day, 10.0 * log10((72.0 * 1e6 + 144.0 * 1e7) / 216.0), 1e-9);
    s = noise_site_day(site, "2026-09-15");
    MUE_ASSERT_INT_EQ(s.found, 1);
    MUE_ASSERT_DBL_NEAR(s.v[0], want_day, TOL_DB);
    MUE_ASSERT_DBL_NEAR(s.v[1], want_evening, TOL_DB);
    MUE_ASSERT_DBL_NEAR(s.v[2], want_night, TOL_DB);
    MUE_ASSERT_DBL_NEAR(s.v[3], lden(want_day, want_evening, want_night, 8.0), TOL_DB);
    /* Each device keeps its own levels. */
    ra = noise_day(a, "2026-09-15");
    rb = noise_day(b, "2026-09-15");
    MUE_ASSERT_DBL_NEAR(ra.v[0], 60.0, TOL_DB);
    MUE_ASSERT_DBL_NEAR(rb.v[0], 70.0, TOL_DB);
    MUE_ASSERT_DBL_NEAR(rb.v[2], 55.0, TOL_DB);
    MUE_ASSERT_INT_EQ((long long)ra.v[5], site);
    MUE_ASSERT_INT_EQ((long long)rb.v[5], site);
}

/* percentile_cont: the value at position p·(n−1) of the sorted values, linearly interpolated. */
static double percentile_cont(const double *sorted, size_t n, double p)
{
    double pos = p * (double)(n - 1);
    size_t lo = (size_t)floor(pos), hi = (size_t)ceil(pos);
    return sorted[lo] + (pos - (double)lo) * (sorted[hi] - sorted[lo]);
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

static void test_noise_hour_gives_the_percentiles_of_the_hours_samples(void)
{
    int64_t dev = add_device("n-percentiles", add_site("percentiles"));
    int64_t hour = utc_us(2026, 7, 1, 10, 0);
    struct store_row rows[64];
    double values[60];
    char id[24], h[40];
    size_t n = 0;
    struct row r;

    for (int k = 0; k < 60; k++) {
        /* 60 distinct levels in no particular order, with decimals */
        values[k] = 40.0 + (double)((k * 37) % 60) * 0.5 + 0.013 * k;
        rows[n++] =
            (struct store_row){ dev, "LAeq", hour + k * US_PER_MIN + 250000, values[k], "noise" };
    }
    /* Just outside the hour, and another quantity inside it: none of them may count. */
    rows[n++] = (struct store_row){ dev, "LAeq", hour - 1, 120.0, "noise" };
    rows[n++] = (struct store_row){ dev, "LAeq", hour + US_PER_H, 0.0, "noise" };
    rows[n++] = (struct store_row){ dev, "LCeq", hour + 30 * US_PER_MIN, 130.0, "noise" };
    MUE_ASSERT_INT_EQ(store_write(store, rows, n), 63);
    qsort(values, 60, sizeof(values[0]), cmp_double);
    MUE_ASSERT(values[0] < values[1]);

    snprintf(id, sizeof(id), "%lld", (long long)dev);
    mue_time_format(hour, h, sizeof(h));
    r = query_row("SELECT samples, l10, l50, l90 FROM noise_hour WHERE device_id = $1"
                  " AND hour = $2::timestamptz",
                  id, h);
    MUE_ASSERT_INT_EQ(r.found, 1);
    MUE_ASSERT_INT_EQ((long long)r.v[0], 60);
    MUE_ASSERT_DBL_NEAR(r.v[1], percentile_cont(values, 60, 0.9), 1e-9);
    MUE_ASSERT_DBL_NEAR(r.v[2], percentile_cont(values, 60, 0.5), 1e-9);
    MUE_ASSERT_DBL_NEAR(r.v[3], percentile_cont(values, 60, 0.1), 1e-9);
    /* L10 is the loud end, L90 the background. */
    MUE_ASSERT(r.v[1] > r.v[2] && r.v[2] > r.v[3]);
    /* Position 53.1 of 0..59: between the 54th and 55th smallest. */
    MUE_ASSERT_DBL_NEAR(r.v[1], values[53] + 0.1 * (values[54] - values[53]), 1e-9);
}

/* ------------------------------------------------------------------ setup */

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_paris_instants_use_the_offset_of_their_season),
        MUE_TEST(test_a_constant_60_db_day_gives_60_in_every_period_and_the_directive_lden),
        MUE_TEST(test_a_loud_hour_after_midnight_counts_in_the_night_of_the_day_before),
        MUE_TEST(test_the_spring_night_28_to_29_march_has_7_hours_and_weighs_7),
        MUE_TEST(test_the_autumn_night_24_to_25_october_has_9_hours_and_weighs_9),
        MUE_TEST(test_a_site_pools_its_devices_samples_energetically),
        MUE_TEST(test_noise_hour_gives_the_percentiles_of_the_hours_samples),
    };
    int rc = 1;

    if (test_db_open(&tdb, "noise") < 0)
        goto out;
    db = tdb.db;
    store = store_new(db);
    rc = mue_test_run("noise", tests);
out:
    store_free(store);
    test_db_close(&tdb);
    return rc;
}
