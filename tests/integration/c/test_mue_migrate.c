/* test_mue_migrate.c - mue_migrate against a real PostgreSQL, on databases it creates and drops.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_migrate.h"
#include "../../unit/mue_test.h"
#include "../c/server_test.h"

static struct mue_db *server; /* MUE_TEST_PG_DSN itself: creates and drops the databases */
static struct mue_db *db;     /* the fresh database the tests migrate, in order */
static char dsn_main[512], dsn_race[512];
static char name_main[48], name_race[64], name_upgrade[64], dsn_upgrade[512];

/* The one value of a one-row, one-column query, copied into 'out'. */
static void query_value(struct mue_db *d, const char *sql, const char *param, char *out, size_t cap)
{
    const char *params[1] = { param };
    PGresult *r = NULL;
    int n = mue_db_query(d, "test value", &r, sql, param ? 1 : 0, param ? params : NULL);

    MUE_ASSERT_INT_EQ(n, 1);
    snprintf(out, cap, "%s", PQgetisnull(r, 0, 0) ? "(null)" : PQgetvalue(r, 0, 0));
    PQclear(r);
}

static int last_version(void)
{
    return mue_migrations_count ? mue_migrations[mue_migrations_count - 1].version : 0;
}

static void test_the_build_embeds_numbered_migrations_in_order(void)
{
    MUE_ASSERT(mue_migrations_count >= 2);
    for (size_t i = 0; i < mue_migrations_count; i++) {
        MUE_ASSERT(mue_migrations[i].version > 0);
        MUE_ASSERT(mue_migrations[i].sql != NULL && mue_migrations[i].sql[0] != '\0');
        if (i > 0)
            MUE_ASSERT(mue_migrations[i].version > mue_migrations[i - 1].version);
    }
    MUE_ASSERT_STR_EQ(mue_migrations[0].name, "0001_registry.sql");
}

static void test_current_of_a_fresh_database_is_0(void)
{
    MUE_ASSERT_INT_EQ(mue_migrate_current(db), 0);
}

static void test_require_fails_on_a_fresh_database(void)
{
    MUE_ASSERT_INT_EQ(mue_migrate_require(db), MUE_EDB);
    MUE_ASSERT_INT_EQ(mue_db_is_up(db), 1); /* behind, not broken */
}

static void test_apply_applies_every_migration(void)
{
    MUE_ASSERT_INT_EQ(mue_migrate_apply(db), (int)mue_migrations_count);
}

static void test_a_second_apply_applies_nothing(void)
{
    MUE_ASSERT_INT_EQ(mue_migrate_apply(db), 0);
}

static void test_require_passes_once_applied(void)
{
    MUE_ASSERT_INT_EQ(mue_migrate_require(db), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_migrate_current(db), last_version());
}

static void test_apply_releases_its_advisory_lock(void)
{
    char v[16];

    query_value(db,
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = "
                "pg_backend_pid()",
                NULL, v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "0");
}

static void test_schema_migration_records_each_version_with_its_name(void)
{
    PGresult *r = NULL;
    int n = mue_db_query(db, "test versions", &r,
                         "SELECT version, name FROM schema_migration ORDER BY version", 0, NULL);

    MUE_ASSERT_INT_EQ(n, (int)mue_migrations_count);
    for (int i = 0; i < n; i++) {
        MUE_ASSERT_INT_EQ(atoi(PQgetvalue(r, i, 0)), mue_migrations[i].version);
        MUE_ASSERT_STR_EQ(PQgetvalue(r, i, 1), mue_migrations[i].name);
    }
    PQclear(r);
}

static void test_the_tables_exist(void)
{
    static const char *const tables[] = { "use_case",    "site",         "device",
                                          "measurement", "latest_value", "schema_migration" };
    char v[64];

    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        query_value(db, "SELECT to_regclass($1)::text", tables[i], v, sizeof(v));
        MUE_ASSERT_STR_EQ(v, tables[i]);
    }
    query_value(db, "SELECT count(*) FROM use_case", NULL, v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "6");
}

static void test_the_current_month_has_a_partition(void)
{
    char want[48], v[64];
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    snprintf(want, sizeof(want), "measurement_%04d_%02d", tm.tm_year + 1900, tm.tm_mon + 1);
    query_value(db, "SELECT to_regclass($1)::text", want, v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, want);
}

static void test_ensure_partition_creates_the_month_once(void)
{
    char v[64];

    query_value(db, "SELECT to_regclass('measurement_2020_02')::text", NULL, v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "(null)");
    query_value(db, "SELECT mue_ensure_measurement_partition('water', $1)", "2020-02-15", v,
                sizeof(v));
    MUE_ASSERT_STR_EQ(v, "measurement_2020_02_water");
    query_value(db, "SELECT to_regclass('measurement_2020_02')::text", NULL, v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "measurement_2020_02");
    /* Again, and with another day of the same month: same name, no error. */
    query_value(db, "SELECT mue_ensure_measurement_partition('water', $1)", "2020-02-15", v,
                sizeof(v));
    MUE_ASSERT_STR_EQ(v, "measurement_2020_02_water");
    query_value(db, "SELECT mue_ensure_measurement_partition('water', $1)", "2020-02-29T23:59:59Z",
                v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "measurement_2020_02_water");
    /* The month holds one leaf per use case. */
    query_value(db,
                "SELECT count(*) FROM pg_inherits WHERE inhparent = "
                "'measurement_2020_02'::regclass",
                NULL, v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "1");
    query_value(db,
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'measurement'::regclass AND "
                "inhrelid = 'measurement_2020_02'::regclass",
                NULL, v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "1");
}

static void test_the_partition_holds_exactly_its_utc_month(void)
{
    char v[64];

    MUE_ASSERT_INT_EQ(mue_db_exec(db, "test insert in",
                                  "INSERT INTO measurement VALUES "
                                  "(1, 'level', '2020-02-01T00:00:00Z', 1, 'water'), "
                                  "(1, 'level', '2020-02-29T23:59:59.999Z', 2, 'water')"),
                      MUE_OK);
    query_value(db, "SELECT count(*) FROM measurement_2020_02_water", NULL, v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "2");
    /* 00:30 at UTC+1 on 1 February is still January in UTC. */
    query_value(db, "SELECT mue_ensure_measurement_partition('water', $1)",
                "2020-02-01 00:30:00+01", v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "measurement_2020_01_water");
    /* March 2020 has no partition yet: the row has nowhere to go. */
    MUE_ASSERT_INT_EQ(mue_db_exec(db, "test insert out",
                                  "INSERT INTO measurement VALUES "
                                  "(1, 'level', '2020-03-01T00:00:00Z', 3, 'water')"),
                      MUE_EDB);
}

struct racer {
    const char *dsn;
    int rc;
};

static void *apply_in_thread(void *p)
{
    struct racer *r = p;
    struct mue_db *d = NULL;

    r->rc = mue_db_open(&d, r->dsn, 5000);
    if (r->rc == MUE_OK)
        r->rc = mue_migrate_apply(d);
    mue_db_close(d);
    return NULL;
}

static void test_concurrent_applies_apply_each_migration_once(void)
{
    struct racer r[3] = { { dsn_race, -1 }, { dsn_race, -1 }, { dsn_race, -1 } };
    pthread_t th[3];
    struct mue_db *d = NULL;
    char v[16];
    int total = 0;

    for (int i = 0; i < 3; i++)
        MUE_ASSERT_INT_EQ(pthread_create(&th[i], NULL, apply_in_thread, &r[i]), 0);
    for (int i = 0; i < 3; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 3; i++) {
        MUE_ASSERT(r[i].rc >= 0);
        total += r[i].rc;
    }
    MUE_ASSERT_INT_EQ(total, (int)mue_migrations_count);
    MUE_ASSERT_INT_EQ(mue_db_open(&d, dsn_race, 5000), MUE_OK);
    query_value(d, "SELECT count(*) FROM schema_migration", NULL, v, sizeof(v));
    mue_db_close(d);
    MUE_ASSERT_INT_EQ(atoi(v), (int)mue_migrations_count);
}

static void test_require_fails_when_the_database_is_one_version_behind(void)
{
    struct mue_db *d = NULL;
    char version[16];
    const char *params[1] = { version };
    PGresult *r = NULL;
    int deleted, req, cur;

    snprintf(version, sizeof(version), "%d", last_version());
    MUE_ASSERT_INT_EQ(mue_db_open(&d, dsn_race, 5000), MUE_OK);
    deleted = mue_db_query(d, "test forget", &r,
                           "DELETE FROM schema_migration WHERE version = $1::int", 1, params);
    PQclear(r);
    req = mue_migrate_require(d);
    cur = mue_migrate_current(d);
    mue_db_close(d);
    MUE_ASSERT_INT_EQ(deleted, 0); /* a DELETE returns no rows */
    MUE_ASSERT_INT_EQ(req, MUE_EDB);
    MUE_ASSERT_INT_EQ(cur, mue_migrations[mue_migrations_count - 2].version);
}

/* A database the first layout (migrations 1 and 2) filled with rows of two use cases in the
 * current month upgrades to the last version with every row moved. */
/* What a database of the first layout held: its migrations recorded, two devices of two use
 * cases, rows in the current month. */
static const char as_v2[] =
    "CREATE TABLE schema_migration (version integer PRIMARY KEY, name text NOT "
    "NULL, applied_at timestamptz NOT NULL DEFAULT now());"
    "INSERT INTO schema_migration (version, name) VALUES (1, 'a'), (2, 'b');"
    "INSERT INTO device (dev_eui, name, model, use_case) VALUES "
    "('24e1247100000001', 'w', 'milesight-em310-udl', 'waste'),"
    "('70b3d57ba0000001', 'r', 'decentlab-dl-mbx', 'water');"
    "INSERT INTO measurement (device_id, quantity, time, value)"
    " SELECT d.id, 'distance', now() - i * interval '1 minute', i"
    " FROM device d, generate_series(1, 5) AS i";

static void test_upgrade_from_version_2_keeps_every_row(void)
{
    struct mue_db *d = NULL;
    char v[32];

    MUE_ASSERT(mue_migrations_count >= 3 && mue_migrations[1].version == 2);
    MUE_ASSERT_INT_EQ(mue_db_open(&d, dsn_upgrade, 5000), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_db_exec(d, "v1", mue_migrations[0].sql), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_db_exec(d, "v2", mue_migrations[1].sql), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_db_exec(d, "as v2", as_v2), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_migrate_apply(d), (int)mue_migrations_count - 2);
    query_value(d, "SELECT count(*) || ' ' || count(DISTINCT use_case) FROM measurement", NULL, v,
                sizeof(v));
    MUE_ASSERT_STR_EQ(v, "10 2");
    /* Their rollups too: the same count and sum as a recomputation from the raw rows. */
    query_value(d,
                "SELECT count(*) FROM (SELECT device_id, quantity, date_trunc('hour', time) h,"
                " count(*) c, sum(value::text::numeric) s FROM measurement GROUP BY 1, 2, 3"
                " EXCEPT SELECT device_id, quantity, hour, count, sum FROM rollup_hour) x",
                NULL, v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "0");
    query_value(d, "SELECT sum(count) FROM rollup_day", NULL, v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "10");
    mue_db_close(d);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_the_build_embeds_numbered_migrations_in_order),
        MUE_TEST(test_current_of_a_fresh_database_is_0),
        MUE_TEST(test_require_fails_on_a_fresh_database),
        MUE_TEST(test_apply_applies_every_migration),
        MUE_TEST(test_a_second_apply_applies_nothing),
        MUE_TEST(test_require_passes_once_applied),
        MUE_TEST(test_apply_releases_its_advisory_lock),
        MUE_TEST(test_schema_migration_records_each_version_with_its_name),
        MUE_TEST(test_the_tables_exist),
        MUE_TEST(test_the_current_month_has_a_partition),
        MUE_TEST(test_ensure_partition_creates_the_month_once),
        MUE_TEST(test_the_partition_holds_exactly_its_utc_month),
        MUE_TEST(test_concurrent_applies_apply_each_migration_once),
        MUE_TEST(test_require_fails_when_the_database_is_one_version_behind),
        MUE_TEST(test_upgrade_from_version_2_keeps_every_row),
    };
    const char *dsn = test_pg_dsn("mue_migrate");
    int rc = 1;

    if (dsn == NULL)
        return 1;
    snprintf(name_main, sizeof(name_main), "mue_mig_%ld_%ld", (long)getpid(), (long)time(NULL));
    snprintf(name_race, sizeof(name_race), "mue_mig_%ld_%ld_race", (long)getpid(),
             (long)time(NULL));
    snprintf(name_upgrade, sizeof(name_upgrade), "mue_mig_%ld_%ld_up", (long)getpid(),
             (long)time(NULL));
    if (dsn_with_db(dsn, name_main, dsn_main, sizeof(dsn_main)) < 0 ||
        dsn_with_db(dsn, name_race, dsn_race, sizeof(dsn_race)) < 0 ||
        dsn_with_db(dsn, name_upgrade, dsn_upgrade, sizeof(dsn_upgrade)) < 0 ||
        mue_db_open(&server, dsn, 5000) != MUE_OK ||
        server_database(server, name_main, 1) != MUE_OK ||
        server_database(server, name_race, 1) != MUE_OK ||
        server_database(server, name_upgrade, 1) != MUE_OK ||
        mue_db_open(&db, dsn_main, 5000) != MUE_OK) {
        fprintf(stderr, "cannot connect to MUE_TEST_PG_DSN or create the test databases\n");
        printf("mue_migrate: 0 passed, 1 failed\n");
        goto out;
    }
    rc = mue_test_run("mue_migrate", tests);
out:
    mue_db_close(db);
    if (server != NULL) {
        server_database(server, name_main, 0);
        server_database(server, name_race, 0);
        server_database(server, name_upgrade, 0);
    }
    mue_db_close(server);
    return rc;
}
