/* test_heat.c - the heat islands' night indicators (deploy/sql/0005_heat.sql) on rows written by
 * the writer's own path into a fresh database: minimums of the 20:00-08:00 local night, the
 * tropical and heatwave flags, the island intensity against the reference sensors, the night the
 * clocks go back.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../c/server_test.h"
#include "mue_localtime.h"
#include "store.h"
#include "../../unit/mue_test.h"

#define US_PER_S INT64_C(1000000)
#define STEP_US  (15 * 60 * US_PER_S)

static struct test_db tdb;
static struct mue_db *db;
static struct store *store;
static int64_t park, square;

/* The instant of Paris wall-clock time y-mo-d h:mi, in µs. */
static int64_t paris_us(int y, int mo, int d, int h, int mi)
{
    return mue_localtime_to_utc(y, mo, d, h, mi, 0) * US_PER_S;
}

/* Registers a heat sensor (outside the tests: no assertion). Returns its id, or -1. */
static int64_t add_device(const char *eui, const char *name, const char *params)
{
    const char *p[3] = { eui, name, params };
    PGresult *r = NULL;
    int64_t id;
    int n = mue_db_query(db, "test device", &r,
                         "INSERT INTO device (dev_eui, name, model, use_case, params)"
                         " VALUES ($1, $2, 'elsys-ers', 'heat', $3::jsonb) RETURNING id",
                         3, p);

    id = n == 1 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : -1;
    PQclear(r);
    return id;
}

/* Temperatures every 15 minutes in [from, to): 'base', except 'low' at the instant 'low_at'. */
static void write_night(int64_t device, int64_t from, int64_t to, double base, int64_t low_at,
                        double low)
{
    size_t n = (size_t)((to - from) / STEP_US), i = 0;
    struct store_row *rows = calloc(n, sizeof(*rows));

    for (int64_t t = from; t < to; t += STEP_US, i++)
        rows[i] = (struct store_row){ device, "temperature", t, t == low_at ? low : base, "heat" };
    MUE_ASSERT_INT_EQ(store_write(store, rows, n), (int)n);
    free(rows);
}

/* heat_night of 'device' for 'night': tmin, hours, tropical, heatwave_night, island (NAN: NULL);
 * found is 0 when there is no row. */
struct night {
    int found;
    double v[5];
};

static struct night heat_night(int64_t device, const char *night)
{
    char id[24];
    const char *p[2] = { id, night };
    struct night out = { 0, { NAN, NAN, NAN, NAN, NAN } };
    PGresult *r = NULL;
    int n;

    snprintf(id, sizeof(id), "%lld", (long long)device);
    n = mue_db_query(db, "heat_night", &r,
                     "SELECT tmin, hours, tropical::int, heatwave_night::int, island"
                     " FROM heat_night WHERE device_id = $1 AND night = $2::date",
                     2, p);
    MUE_ASSERT(n >= 0 && n <= 1);
    if (n == 1) {
        out.found = 1;
        for (int c = 0; c < 5; c++)
            out.v[c] = PQgetisnull(r, 0, c) ? NAN : strtod(PQgetvalue(r, 0, c), NULL);
    }
    PQclear(r);
    return out;
}

static void test_a_summer_night_gives_minimums_flags_and_the_island(void)
{
    /* 14 to 15 July 2026: the square never drops below 24.5 °C (at 03:00), the park reaches
     * 21 °C at 05:00; the evening before 20:00 and the morning after 08:00, cooler readings of
     * the day around do not count. */
    int64_t from = paris_us(2026, 7, 14, 20, 0), to = paris_us(2026, 7, 15, 8, 0);
    struct night s, p;

    write_night(square, from, to, 27.0, paris_us(2026, 7, 15, 3, 0), 24.5);
    write_night(park, from, to, 23.0, paris_us(2026, 7, 15, 5, 0), 21.0);
    write_night(square, paris_us(2026, 7, 14, 19, 0), from, 15.0, 0, 0);
    write_night(square, to, paris_us(2026, 7, 15, 9, 0), 15.0, 0, 0);
    s = heat_night(square, "2026-07-14");
    p = heat_night(park, "2026-07-14");
    MUE_ASSERT(s.found && p.found);
    MUE_ASSERT_DBL_NEAR(s.v[0], 24.5, 1e-9);
    MUE_ASSERT_INT_EQ((long)s.v[1], 12);
    MUE_ASSERT_INT_EQ((long)s.v[2], 1);
    MUE_ASSERT_INT_EQ((long)s.v[3], 1);
    MUE_ASSERT_DBL_NEAR(s.v[4], 3.5, 1e-9);
    MUE_ASSERT_DBL_NEAR(p.v[0], 21.0, 1e-9);
    MUE_ASSERT_INT_EQ((long)p.v[2], 1);
    MUE_ASSERT_INT_EQ((long)p.v[3], 0);
    MUE_ASSERT_DBL_NEAR(p.v[4], 0.0, 1e-9);
    /* The day's cool readings after 08:00 start no night of their own. */
    MUE_ASSERT(!heat_night(square, "2026-07-15").found);
}

static void test_a_mild_night_is_neither_tropical_nor_hot(void)
{
    int64_t from = paris_us(2026, 9, 20, 20, 0), to = paris_us(2026, 9, 21, 8, 0);
    struct night s;

    write_night(square, from, to, 21.0, paris_us(2026, 9, 21, 6, 30), 19.9);
    s = heat_night(square, "2026-09-20");
    MUE_ASSERT(s.found);
    MUE_ASSERT_DBL_NEAR(s.v[0], 19.9, 1e-9);
    MUE_ASSERT_INT_EQ((long)s.v[2], 0);
    MUE_ASSERT_INT_EQ((long)s.v[3], 0);
    /* No reference sensor measured that night: no intensity. */
    MUE_ASSERT(isnan(s.v[4]));
}

static void test_the_night_the_clocks_go_back_has_13_hours(void)
{
    /* 24 to 25 October 2026: 03:00 CEST becomes 02:00 CET, the night lasts 13 hours. */
    int64_t from = paris_us(2026, 10, 24, 20, 0), to = paris_us(2026, 10, 25, 8, 0);
    struct night s;

    MUE_ASSERT_INT_EQ((to - from) / (3600 * US_PER_S), 13);
    write_night(square, from, to, 14.0, 0, 0);
    s = heat_night(square, "2026-10-24");
    MUE_ASSERT(s.found);
    MUE_ASSERT_INT_EQ((long)s.v[1], 13);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_a_summer_night_gives_minimums_flags_and_the_island),
        MUE_TEST(test_a_mild_night_is_neither_tropical_nor_hot),
        MUE_TEST(test_the_night_the_clocks_go_back_has_13_hours),
    };
    int rc = 1;

    if (test_db_open(&tdb, "heat") < 0)
        goto out;
    db = tdb.db;
    store = store_new(db);
    park = add_device("a81758fffe0e0001", "Parc", "{\"setting\": \"park\", \"reference\": true}");
    square = add_device("a81758fffe0e0002", "Place", "{\"setting\": \"mineral\"}");
    if (park < 0 || square < 0) {
        printf("heat: 0 passed, 1 failed\n");
        goto out;
    }
    rc = mue_test_run("heat", tests);
out:
    store_free(store);
    test_db_close(&tdb);
    return rc;
}
