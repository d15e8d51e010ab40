/* test_register.c - the real fleet registered into a real PostgreSQL: sites, devices, params and
 * positions as the fleet files say, nothing written by a second run, all or nothing on a refusal.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fleet.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_migrate.h"
#include "register.h"
#include "../../unit/mue_test.h"
#include "../c/server_test.h"

#define FLEET    "deploy/fleet"
#define COMMUNES "deploy/data/geo/amp-communes.geojson"

static struct test_db tdb; /* the suite's own database */
static struct mue_db *db;  /* tdb.db */
static struct sim_fleet fleet;
static char err[512];

/* The first cell of a query's first row, copied into a static buffer ("" for NULL, "(error)" when
 * the query failed, "(no row)"). */
static const char *sql1(const char *sql, int nparams, const char *const *params)
{
    static char cell[8192];
    PGresult *res = NULL;
    int n = mue_db_query(db, "test", &res, sql, nparams, params);

    if (n < 0)
        snprintf(cell, sizeof(cell), "(error)");
    else if (n == 0)
        snprintf(cell, sizeof(cell), "(no row)");
    else
        snprintf(cell, sizeof(cell), "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return cell;
}

static long sql_long(const char *sql)
{
    return strtol(sql1(sql, 0, NULL), NULL, 10);
}

/* Every row's id, xmin (changes with any write to the row) and updated_at, in id order. */
static char *snapshot(void)
{
    char *s = malloc(65536);

    snprintf(s, 65536, "%s",
             sql1("SELECT string_agg(id || ':' || xmin || ':' || updated_at, ',' ORDER BY id)"
                  " FROM device",
                  0, NULL));
    strncat(s, "|", 65536 - strlen(s) - 1);
    strncat(s, sql1("SELECT string_agg(id || ':' || xmin, ',' ORDER BY id) FROM site", 0, NULL),
            65536 - strlen(s) - 1);
    return s;
}

static size_t fleet_count(const char *use_case)
{
    size_t n = 0;

    for (size_t i = 0; i < fleet.n; i++)
        n += strcmp(fleet.dev[i].use_case, use_case) == 0;
    return n;
}

/* A site that existed before the first registration (made by hand, its position wrong) is taken
 * over, not duplicated. */
static long stale_site_id;

static void test_the_first_registration_stores_every_device(void)
{
    static const char *const use_cases[] = { "waste",    "noise",    "water",
                                             "counting", "lighting", "heat" };
    char q[256];

    MUE_ASSERT_INT_EQ(sim_fleet_register(&fleet, db, err, sizeof(err)), MUE_OK);
    MUE_ASSERT_INT_EQ(sql_long("SELECT count(*) FROM device"), (long)fleet.n);
    for (size_t i = 0; i < sizeof(use_cases) / sizeof(use_cases[0]); i++) {
        snprintf(q, sizeof(q), "SELECT count(*) FROM device WHERE use_case = '%s' AND active",
                 use_cases[i]);
        MUE_ASSERT(fleet_count(use_cases[i]) > 0);
        MUE_ASSERT_INT_EQ(sql_long(q), (long)fleet_count(use_cases[i]));
    }
}

static void test_each_device_row_holds_what_the_fleet_says(void)
{
    static const char sql[] =
        "SELECT count(*) FROM device d LEFT JOIN site s ON s.id = d.site_id"
        " WHERE d.dev_eui = $1 AND d.name = $2 AND d.model = $3 AND d.use_case = $4"
        " AND d.network = $5 AND coalesce(s.name, '') = $6 AND d.latitude = $7::float8"
        " AND d.longitude = $8::float8 AND d.params = $9::jsonb AND d.expected_period_s = $10::int"
        " AND d.active AND (s.id IS NULL OR (s.use_case = d.use_case AND s.insee = $11))";

    for (size_t i = 0; i < fleet.n; i++) {
        const struct sim_device *d = &fleet.dev[i];
        char lat[32], lon[32], period[16];
        char *params = json_dumps(d->params, JSON_COMPACT | JSON_REAL_PRECISION(15));
        const char *p[11] = { d->dev_eui, d->name, d->model, d->use_case, d->network, d->site,
                              lat,        lon,     params,   period,      d->insee };
        const char *n;

        snprintf(lat, sizeof(lat), "%.17g", d->lat);
        snprintf(lon, sizeof(lon), "%.17g", d->lon);
        snprintf(period, sizeof(period), "%d", d->period_s);
        n = sql1(sql, 11, p);
        free(params);
        if (strcmp(n, "1") != 0) {
            fprintf(stderr, "  %s (%s): %s matching row(s)\n", d->dev_eui, d->name, n);
            mue_test_fail(__FILE__, __LINE__, "the device row matches the fleet");
        }
    }
}

static void test_sites_are_the_fleets_with_commune_and_first_device_position(void)
{
    /* noise: one site per sound level meter; water: five stations; lighting: six cabinets;
     * counting: one per counter; heat: one per named place (the two schoolyards of one group
     * have none). */
    MUE_ASSERT_INT_EQ(sql_long("SELECT count(*) FROM site"), 11 + 5 + 6 + 6 + 10);
    MUE_ASSERT_INT_EQ(sql_long("SELECT count(DISTINCT (use_case, name)) FROM site"), 38);
    MUE_ASSERT_INT_EQ(sql_long("SELECT count(*) FROM site WHERE use_case = 'water'"), 5);
    MUE_ASSERT_INT_EQ(sql_long("SELECT count(*) FROM device WHERE use_case = 'waste'"
                               " AND site_id IS NOT NULL"),
                      0);
    MUE_ASSERT_INT_EQ(sql_long("SELECT count(*) FROM device WHERE use_case IN ('counting', 'heat')"
                               " AND site_id IS NULL"),
                      2);
    MUE_ASSERT_STR_EQ(sql1("SELECT commune || ' ' || insee || ' ' || latitude || ' ' || longitude"
                           " FROM site WHERE name = 'Vieux-Port - Quai des Belges'",
                           0, NULL),
                      "Marseille 13055 43.2951 5.374");
    /* A station's level and quality sensors on one site, placed at the level sensor. */
    MUE_ASSERT_STR_EQ(sql1("SELECT string_agg(d.name, ',' ORDER BY d.name) FROM device d"
                           " JOIN site s ON s.id = d.site_id"
                           " WHERE s.name = 'Touloubre à Saint-Chamas'",
                           0, NULL),
                      "Touloubre à Saint-Chamas - niveau,Touloubre à Saint-Chamas - qualité");
    MUE_ASSERT_STR_EQ(sql1("SELECT (s.latitude = d.latitude AND s.longitude = d.longitude"
                           " AND s.commune = 'Saint-Chamas' AND s.insee = '13092')::text"
                           " FROM site s JOIN device d ON d.site_id = s.id"
                           " WHERE d.name = 'Touloubre à Saint-Chamas - niveau'",
                           0, NULL),
                      "true");
    /* A cabinet and its ten lamps. */
    MUE_ASSERT_INT_EQ(sql_long("SELECT count(*) FROM device d JOIN site s ON s.id = d.site_id"
                               " WHERE s.name = 'Armoire EP Pertuis Centre'"
                               " AND d.params->>'cabinet' = s.name"),
                      10);
    MUE_ASSERT_INT_EQ(sql_long("SELECT count(*) FROM device d JOIN site s ON s.id = d.site_id"
                               " WHERE s.name = 'Armoire EP Pertuis Centre'"),
                      11);
}

static void test_the_site_made_by_hand_was_taken_over(void)
{
    MUE_ASSERT_INT_EQ(sql_long("SELECT count(*) FROM site WHERE name = 'Cours Julien'"), 1);
    MUE_ASSERT_INT_EQ(sql_long("SELECT id FROM site WHERE name = 'Cours Julien'"), stale_site_id);
    MUE_ASSERT_STR_EQ(sql1("SELECT commune || ' ' || insee || ' ' || latitude || ' ' || longitude"
                           " FROM site WHERE name = 'Cours Julien'",
                           0, NULL),
                      "Marseille 13055 43.2935 5.3835");
    MUE_ASSERT_INT_EQ(sql_long("SELECT count(*) FROM device WHERE site_id = (SELECT id FROM site"
                               " WHERE name = 'Cours Julien')"),
                      1);
}

static void test_params_are_stored_as_written_in_the_files(void)
{
    MUE_ASSERT_STR_EQ(sql1("SELECT params::text FROM device WHERE name = 'PAV verre Aix-en-Provence"
                           " 01'",
                           0, NULL),
                      "{\"waste\": \"glass\", \"full_distance_m\": 0.35, \"empty_distance_m\": "
                      "2.4}");
    MUE_ASSERT_STR_EQ(sql1("SELECT params->>'river' || ' ' || (params->>'flood_lag_h') FROM device"
                           " WHERE name = 'Cadière à Marignane - qualité'",
                           0, NULL),
                      "Cadière 1.5");
    MUE_ASSERT_STR_EQ(sql1("SELECT params->>'display' FROM device WHERE name = 'Compteur vélos"
                           " Prado'",
                           0, NULL),
                      "true");
    MUE_ASSERT_STR_EQ(
        sql1("SELECT network FROM device WHERE name = 'PAV verre Martigues 01'", 0, NULL), "tts");
}

static void test_a_second_registration_writes_nothing(void)
{
    char *before = snapshot(), *after;

    MUE_ASSERT_INT_EQ(sim_fleet_register(&fleet, db, err, sizeof(err)), MUE_OK);
    after = snapshot();
    int same = strcmp(before, after) == 0;
    if (!same)
        fprintf(stderr, "  before: %.300s\n  after:  %.300s\n", before, after);
    free(before);
    free(after);
    MUE_ASSERT(same);
}

static void test_a_changed_or_deactivated_device_is_brought_back_in_line(void)
{
    struct sim_device *d = &fleet.dev[0];
    char name[sizeof(d->name)];
    char *before, *after;
    const char *p[1] = { d->dev_eui };

    sql1("UPDATE device SET active = false, name = 'renamed by hand' WHERE dev_eui = $1 RETURNING"
         " id",
         1, p);
    sql1("UPDATE site SET latitude = 0 WHERE name = 'La Rotonde' RETURNING id", 0, NULL);
    before = snapshot();
    MUE_ASSERT_INT_EQ(sim_fleet_register(&fleet, db, err, sizeof(err)), MUE_OK);
    after = snapshot();
    MUE_ASSERT(strcmp(before, after) != 0);
    free(before);
    free(after);
    MUE_ASSERT_STR_EQ(sql1("SELECT name || ' ' || active FROM device WHERE dev_eui = $1", 1, p),
                      strcat(strcpy(name, d->name), " true"));
    MUE_ASSERT_STR_EQ(sql1("SELECT latitude FROM site WHERE name = 'La Rotonde'", 0, NULL),
                      "43.5262");
    /* Only that device was written: its updated_at is the only recent one. */
    MUE_ASSERT_INT_EQ(sql_long("SELECT count(*) FROM device WHERE updated_at > created_at"), 1);
    test_a_second_registration_writes_nothing();
}

static void test_a_refused_device_rolls_everything_back(void)
{
    struct sim_device two[2];
    struct sim_fleet f = { 2, two };
    char *before = snapshot(), *after;

    two[0] = fleet.dev[0];
    two[1] = fleet.dev[1];
    snprintf(two[0].dev_eui, sizeof(two[0].dev_eui), "ffffffff00000001");
    snprintf(two[0].name, sizeof(two[0].name), "first of a refused fleet");
    snprintf(two[1].dev_eui, sizeof(two[1].dev_eui), "ffffffff00000002");
    snprintf(two[1].use_case, sizeof(two[1].use_case), "bogus"); /* not in table use_case */
    MUE_ASSERT_INT_EQ(sim_fleet_register(&f, db, err, sizeof(err)), MUE_EDB);
    MUE_ASSERT(strstr(err, "ffffffff00000002") != NULL);
    MUE_ASSERT_INT_EQ(sql_long("SELECT count(*) FROM device WHERE dev_eui LIKE 'ffffffff%'"), 0);
    after = snapshot();
    MUE_ASSERT_STR_EQ(after, before);
    free(before);
    free(after);
    /* The session is usable again. */
    MUE_ASSERT_INT_EQ(sql_long("SELECT 41 + 1"), 42);
}

static int setup(void)
{
    if (sim_fleet_load(FLEET, COMMUNES, &fleet, err, sizeof(err)) < 0) {
        fprintf(stderr, "cannot load the fleet: %s\n", err);
        return -1;
    }
    /* A site entered by hand before the simulator ran, with a wrong position. */
    stale_site_id = strtol(sql1("INSERT INTO site (name, use_case, commune) VALUES"
                                " ('Cours Julien', 'noise', 'Marseille') RETURNING id",
                                0, NULL),
                           NULL, 10);
    return stale_site_id > 0 ? 0 : -1;
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_the_first_registration_stores_every_device),
        MUE_TEST(test_each_device_row_holds_what_the_fleet_says),
        MUE_TEST(test_sites_are_the_fleets_with_commune_and_first_device_position),
        MUE_TEST(test_the_site_made_by_hand_was_taken_over),
        MUE_TEST(test_params_are_stored_as_written_in_the_files),
        MUE_TEST(test_a_second_registration_writes_nothing),
        MUE_TEST(test_a_changed_or_deactivated_device_is_brought_back_in_line),
        MUE_TEST(test_a_refused_device_rolls_everything_back),
    };
    int rc = 1;

    if (test_db_open(&tdb, "register") < 0)
        goto out;
    db = tdb.db;
    if (setup() < 0) {
        fprintf(stderr, "the fleet cannot be loaded (deploy/fleet)\n");
        printf("register: 0 passed, 1 failed\n");
        goto out;
    }
    rc = mue_test_run("register", tests);
out:
    sim_fleet_free(&fleet);
    test_db_close(&tdb);
    return rc;
}
