/* test_out_counting.c - the counting schema's three files from hand-made rows: exact headers,
 * one site and two channels per counter, measures per non-null count, references that hold.
 * SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <string.h>

#include "mue_err.h"
#include "out_counting.h"
#include "pg_rows.h"
#include "../mue_test.h"

static const char *const device_cols[] = {
    "device_eui", "name", "commune_insee", "latitude",  "longitude", "use_case",
    "model",      "site", "installed_at",  "last_seen", "counts",    "ltr",
};
#define NDEV_COLS 12

/* A bike counter mounted the other way round, a pedestrian counter, a counter without position,
 * and a device that counts nothing. */
static const char *const devices[] = {
    "a1b2c3d4e5f60001",
    "Vélo, quai",
    "13001",
    "43.2951",
    "5.3745",
    "counting",
    "parametric-pcr2",
    "Quai",
    "2026-01-15T08:30:00Z",
    "2026-11-28 14:05:00+01",
    "bike",
    "out",
    "a1b2c3d4e5f60002",
    "Piétons",
    "2A004",
    "41.9192",
    "8.7386",
    "counting",
    "other-model",
    NULL,
    NULL,
    NULL,
    "pedestrian",
    NULL,
    "a1b2c3d4e5f60003",
    "Sans position",
    "13001",
    NULL,
    NULL,
    "counting",
    "parametric-pcr2",
    NULL,
    NULL,
    NULL,
    "bike",
    "in",
    "a1b2c3d4e5f60004",
    "Lampadaire",
    "13001",
    "43.3",
    "5.4",
    "lighting",
    "nas-ul2030",
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
};

static void test_sites_have_the_schema_columns_and_one_line_per_counter(void)
{
    PGresult *res = pg_rows(device_cols, NDEV_COLS, devices, 4);
    struct pg_mem m;

    pg_mem_open(&m);
    MUE_ASSERT_INT_EQ(out_counting_sites(m.f, res), 2);
    MUE_ASSERT_STR_EQ(pg_mem_text(&m),
                      "site_id,parent_site_id,fr_insee_code,xlong,ylat,external_ids,"
                      "infrastructure_type\r\n"
                      "a1b2c3d4e5f60001,,13001,5.374500,43.295100,,\r\n"
                      "a1b2c3d4e5f60002,,2A004,8.738600,41.919200,,\r\n");
    pg_mem_free(&m);
    PQclear(res);
}

static void test_channels_are_one_per_counter_and_direction(void)
{
    static const char channels[] =
        "channel_id,channel_provider_id,site_provider_id,site_id,mobility_type,comment,"
        "counter_transmission_type,publication_transmission_type,counter_type,direction,"
        "provider_direction_code,provider_direction_name,data_provider_name,temporality,"
        "started_at,ended_at,last_updated_at,time_step,provider_portal_url\r\n"
        /* ltr out: the sensor's left-to-right is the outbound channel */
        "a1b2c3d4e5f60001-bike-in,,,a1b2c3d4e5f60001,BIKE,,REMOTE TRANSMISSION,API,RADAR SENSOR,,"
        "IN,droite-gauche du capteur,\"Métropole, AMP\",PERMANENT,2026-01-15T08:30:00Z,,"
        "2026-11-28T13:05:00Z,3600,\r\n"
        "a1b2c3d4e5f60001-bike-out,,,a1b2c3d4e5f60001,BIKE,,REMOTE TRANSMISSION,API,"
        "RADAR SENSOR,,OUT,gauche-droite du capteur,\"Métropole, AMP\",PERMANENT,"
        "2026-01-15T08:30:00Z,,2026-11-28T13:05:00Z,3600,\r\n"
        "a1b2c3d4e5f60002-pedestrian-in,,,a1b2c3d4e5f60002,PEDESTRIAN,,REMOTE TRANSMISSION,API,,,"
        "IN,gauche-droite du capteur,\"Métropole, AMP\",PERMANENT,,,,3600,\r\n"
        "a1b2c3d4e5f60002-pedestrian-out,,,a1b2c3d4e5f60002,PEDESTRIAN,,REMOTE TRANSMISSION,API,,"
        ",OUT,droite-gauche du capteur,\"Métropole, AMP\",PERMANENT,,,,3600,\r\n";
    PGresult *res = pg_rows(device_cols, NDEV_COLS, devices, 4);
    struct pg_mem m;

    pg_mem_open(&m);
    MUE_ASSERT_INT_EQ(out_counting_channels(m.f, res, "Métropole, AMP", 3600), 4);
    MUE_ASSERT_STR_EQ(pg_mem_text(&m), channels);
    pg_mem_free(&m);
    PQclear(res);
}

static void test_the_time_step_defaults_to_a_quarter_hour(void)
{
    PGresult *res = pg_rows(device_cols, NDEV_COLS, devices, 1);
    struct pg_mem m;

    pg_mem_open(&m);
    MUE_ASSERT_INT_EQ(out_counting_channels(m.f, res, NULL, 0), 2);
    MUE_ASSERT(strstr(pg_mem_text(&m), ",900,\r\n") != NULL);
    pg_mem_free(&m);
    PQclear(res);
}

static void test_devices_without_the_counts_column_are_refused(void)
{
    PGresult *res = pg_rows(device_cols, 10, NULL, 0);
    struct pg_mem m;

    pg_mem_open(&m);
    MUE_ASSERT_INT_EQ(out_counting_sites(m.f, res), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(out_counting_channels(m.f, res, NULL, 900), MUE_EINVAL);
    MUE_ASSERT_STR_EQ(pg_mem_text(&m), "");
    pg_mem_free(&m);
    PQclear(res);
}

static const char *const measure_cols[] = {
    "period_start",
    "period_end",
    "device_eui",
    "name",
    "commune_insee",
    "latitude",
    "longitude",
    "bike_count_in",
    "bike_count_out",
    "pedestrian_count_in",
    "pedestrian_count_out",
};
#define NMEASURE_COLS 11

static void test_measures_are_one_line_per_count(void)
{
    static const char measures[] =
        "channel_id,counter_id,start_datetime,end_datetime,count\r\n"
        "a1b2c3d4e5f60001-bike-in,a1b2c3d4e5f60001,2026-11-28T14:00:00Z,"
        "2026-11-28T14:15:00Z,12\r\n"
        "a1b2c3d4e5f60001-bike-out,a1b2c3d4e5f60001,2026-11-28T14:00:00Z,"
        "2026-11-28T14:15:00Z,0\r\n"
        "a1b2c3d4e5f60002-pedestrian-in,a1b2c3d4e5f60002,2026-11-28T14:00:00Z,"
        "2026-11-28T14:15:00Z,3\r\n";
    const char *const rows[] = {
        "2026-11-28T14:00:00Z",
        "2026-11-28T14:15:00Z",
        "a1b2c3d4e5f60001",
        "Vélo",
        "13001",
        "43.2951",
        "5.3745",
        "12",
        "0",
        NULL,
        NULL,
        /* a sum of counts read back as 3.0000000001 is still 3 */
        "2026-11-28T14:00:00Z",
        "2026-11-28T14:15:00Z",
        "a1b2c3d4e5f60002",
        "Piétons",
        "2A004",
        "41.9",
        "8.7",
        NULL,
        NULL,
        "3.0000000001",
        "-2",
        /* no position: no site, so no measure */
        "2026-11-28T14:00:00Z",
        "2026-11-28T14:15:00Z",
        "a1b2c3d4e5f60003",
        "X",
        NULL,
        NULL,
        NULL,
        "5",
        "5",
        NULL,
        NULL,
        /* an unreadable period */
        "2026-11-28T14:15:00Z",
        "2026-11-28T14:00:00Z",
        "a1b2c3d4e5f60001",
        "Vélo",
        "13001",
        "43.2951",
        "5.3745",
        "1",
        NULL,
        NULL,
        NULL,
    };
    PGresult *res = pg_rows(measure_cols, NMEASURE_COLS, rows, 4);
    struct pg_mem m;

    pg_mem_open(&m);
    MUE_ASSERT_INT_EQ(out_counting_measures(m.f, res, true), 3);
    MUE_ASSERT_STR_EQ(pg_mem_text(&m), measures);
    pg_mem_free(&m);
    PQclear(res);
}

static void test_measures_without_header_for_a_following_part(void)
{
    const char *const rows[] = {
        "2026-12-01T00:00:00Z",
        "2026-12-01T01:00:00Z",
        "e1",
        "V",
        NULL,
        "43.2",
        "5.3",
        "7",
        NULL,
        NULL,
        NULL,
    };
    PGresult *res = pg_rows(measure_cols, NMEASURE_COLS, rows, 1);
    struct pg_mem m;

    pg_mem_open(&m);
    MUE_ASSERT_INT_EQ(out_counting_measures(m.f, res, false), 1);
    MUE_ASSERT_STR_EQ(pg_mem_text(&m),
                      "e1-bike-in,e1,2026-12-01T00:00:00Z,2026-12-01T01:00:00Z,7\r\n");
    pg_mem_free(&m);
    PQclear(res);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_sites_have_the_schema_columns_and_one_line_per_counter),
        MUE_TEST(test_channels_are_one_per_counter_and_direction),
        MUE_TEST(test_the_time_step_defaults_to_a_quarter_hour),
        MUE_TEST(test_devices_without_the_counts_column_are_refused),
        MUE_TEST(test_measures_are_one_line_per_count),
        MUE_TEST(test_measures_without_header_for_a_following_part),
    };
    return mue_test_run("out_counting", tests);
}
