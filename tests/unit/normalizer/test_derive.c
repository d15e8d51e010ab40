/* test_derive.c - unit tests of derive_apply: fill level, water level, directed counts, lamp power.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "codec.h"
#include "derive.h"
#include "../mue_test.h"
#include "mue_err.h"

/* Builds a result holding one distance reading (and a battery, as a real frame would). */
static void with_distance(struct codec_result *res, double distance_m)
{
    memset(res, 0, sizeof(*res));
    MUE_ASSERT_INT_EQ(codec_add(res, "battery", 90.0), MUE_OK);
    MUE_ASSERT_INT_EQ(codec_add(res, "distance", distance_m), MUE_OK);
}

/* Runs derive_apply with params given as JSON text; returns its code. */
static int derive_json(const char *use_case, const char *params_text, struct codec_result *res)
{
    json_error_t err;
    json_t *params = json_loads(params_text, 0, &err);
    int rc;

    MUE_ASSERT(params != NULL);
    rc = derive_apply(use_case, params, res);
    json_decref(params);
    return rc;
}

static void test_waste_fill_level_between_empty_and_full(void)
{
    struct codec_result res;

    with_distance(&res, 0.6);
    MUE_ASSERT_INT_EQ(
        derive_json("waste", "{\"empty_distance_m\": 1.2, \"full_distance_m\": 0.2}", &res),
        MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 3);
    MUE_ASSERT_STR_EQ(res.r[2].quantity, "fill_level");
    MUE_ASSERT_DBL_NEAR(res.r[2].value, 60.0, 1e-9);
}

static void test_waste_full_distance_defaults_to_zero(void)
{
    struct codec_result res;

    with_distance(&res, 0.5);
    MUE_ASSERT_INT_EQ(derive_json("waste", "{\"empty_distance_m\": 2}", &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 3);
    MUE_ASSERT_DBL_NEAR(res.r[2].value, 75.0, 1e-9); /* an integer JSON value is a number too */
}

static void test_waste_clamps_above_full_to_100(void)
{
    struct codec_result res;

    with_distance(&res, 0.1);
    MUE_ASSERT_INT_EQ(
        derive_json("waste", "{\"empty_distance_m\": 1.2, \"full_distance_m\": 0.2}", &res),
        MUE_OK);
    MUE_ASSERT_DBL_NEAR(res.r[2].value, 100.0, 1e-9);
}

static void test_waste_clamps_beyond_empty_to_0(void)
{
    struct codec_result res;

    with_distance(&res, 1.5);
    MUE_ASSERT_INT_EQ(
        derive_json("waste", "{\"empty_distance_m\": 1.2, \"full_distance_m\": 0.2}", &res),
        MUE_OK);
    MUE_ASSERT_DBL_NEAR(res.r[2].value, 0.0, 1e-9);
}

/* The EM310-UDL vendor example, end to end: 2.116 m in a 2.5 m bin full at 0.3 m. */
static void test_waste_from_em310_frame(void)
{
    static const uint8_t buf[] = { 0x01, 0x75, 0x5c, 0x03, 0x82, 0x44, 0x08, 0x04, 0x00, 0x01 };
    struct codec_result res;

    memset(&res, 0, sizeof(res));
    MUE_ASSERT_INT_EQ(codec_decode(codec_find("milesight-em310-udl"), buf, sizeof(buf), 85, &res),
                      MUE_OK);
    MUE_ASSERT_INT_EQ(
        derive_json("waste", "{\"empty_distance_m\": 2.5, \"full_distance_m\": 0.3}", &res),
        MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 4);
    MUE_ASSERT_STR_EQ(res.r[3].quantity, "fill_level");
    MUE_ASSERT_DBL_NEAR(res.r[3].value, (2.5 - 2.116) / 2.2 * 100.0, 1e-9);
}

static void test_water_level_is_height_minus_distance(void)
{
    struct codec_result res;

    with_distance(&res, 1.234);
    MUE_ASSERT_INT_EQ(derive_json("water", "{\"sensor_height_m\": 3.5}", &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 3);
    MUE_ASSERT_STR_EQ(res.r[2].quantity, "water_level");
    MUE_ASSERT_DBL_NEAR(res.r[2].value, 2.266, 1e-9);
}

static void test_water_level_below_gauge_zero_is_kept(void)
{
    struct codec_result res;

    with_distance(&res, 4.0);
    MUE_ASSERT_INT_EQ(derive_json("water", "{\"sensor_height_m\": 3.5}", &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(res.r[2].value, -0.5, 1e-9);
}

static void test_missing_parameters_add_nothing(void)
{
    struct codec_result res;

    with_distance(&res, 0.6);
    MUE_ASSERT_INT_EQ(derive_apply("waste", NULL, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(derive_apply("water", NULL, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(derive_json("waste", "{}", &res), MUE_OK);
    MUE_ASSERT_INT_EQ(derive_json("waste", "{\"full_distance_m\": 0.2}", &res), MUE_OK);
    MUE_ASSERT_INT_EQ(derive_json("water", "{\"empty_distance_m\": 1.2}", &res), MUE_OK);
    MUE_ASSERT_INT_EQ(derive_json("water", "{\"sensor_height_m\": null}", &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 2);
    MUE_ASSERT_STR_EQ(res.reason, "");
}

static void test_no_distance_reading_adds_nothing(void)
{
    struct codec_result res;

    memset(&res, 0, sizeof(res));
    MUE_ASSERT_INT_EQ(codec_add(&res, "battery", 90.0), MUE_OK);
    MUE_ASSERT_INT_EQ(derive_json("water", "{\"sensor_height_m\": 3.5}", &res), MUE_OK);
    /* Bad parameters do not refuse a frame they cannot apply to. */
    MUE_ASSERT_INT_EQ(derive_json("waste", "{\"empty_distance_m\": \"x\"}", &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 1);
}

static void test_other_use_case_adds_nothing(void)
{
    struct codec_result res;

    with_distance(&res, 0.6);
    MUE_ASSERT_INT_EQ(derive_json("noise", "{\"empty_distance_m\": 1.2}", &res), MUE_OK);
    MUE_ASSERT_INT_EQ(derive_json("", "{\"sensor_height_m\": 3}", &res), MUE_OK);
    MUE_ASSERT_INT_EQ(derive_apply(NULL, NULL, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 2);
}

static void test_empty_distance_not_a_number_is_einval(void)
{
    struct codec_result res;

    with_distance(&res, 0.6);
    MUE_ASSERT_INT_EQ(derive_json("waste", "{\"empty_distance_m\": \"1.2\"}", &res), MUE_EINVAL);
    MUE_ASSERT_STR_EQ(res.reason, "parameter empty_distance_m is not a number");
    MUE_ASSERT_UINT_EQ(res.n, 2);
}

static void test_full_distance_not_a_number_is_einval(void)
{
    struct codec_result res;

    with_distance(&res, 0.6);
    MUE_ASSERT_INT_EQ(
        derive_json("waste", "{\"empty_distance_m\": 1.2, \"full_distance_m\": true}", &res),
        MUE_EINVAL);
    MUE_ASSERT_STR_EQ(res.reason, "parameter full_distance_m is not a number");
}

static void test_empty_not_beyond_full_is_einval(void)
{
    struct codec_result res;

    with_distance(&res, 0.6);
    MUE_ASSERT_INT_EQ(
        derive_json("waste", "{\"empty_distance_m\": 0.2, \"full_distance_m\": 0.2}", &res),
        MUE_EINVAL);
    MUE_ASSERT_STR_EQ(res.reason,
                      "empty_distance_m (0.2) must be greater than full_distance_m (0.2)");
    MUE_ASSERT_INT_EQ(
        derive_json("waste", "{\"empty_distance_m\": 0.1, \"full_distance_m\": 0.5}", &res),
        MUE_EINVAL);
    MUE_ASSERT_UINT_EQ(res.n, 2);
}

static void test_sensor_height_not_a_number_is_einval(void)
{
    struct codec_result res;

    with_distance(&res, 1.0);
    MUE_ASSERT_INT_EQ(derive_json("water", "{\"sensor_height_m\": [3.5]}", &res), MUE_EINVAL);
    MUE_ASSERT_STR_EQ(res.reason, "parameter sensor_height_m is not a number");
    MUE_ASSERT_UINT_EQ(res.n, 2);
}

static void test_full_result_is_e2big(void)
{
    struct codec_result res;
    int i;

    with_distance(&res, 1.0);
    for (i = 2; i < CODEC_MAX_READINGS; i++)
        MUE_ASSERT_INT_EQ(codec_add(&res, "battery", 1.0), MUE_OK);
    MUE_ASSERT_INT_EQ(derive_json("water", "{\"sensor_height_m\": 3.5}", &res), MUE_E2BIG);
    MUE_ASSERT_UINT_EQ(res.n, CODEC_MAX_READINGS);
}

static void test_waste_from_container_depth_and_sensor_offset(void)
{
    struct codec_result res;

    with_distance(&res, 0.8); /* 0.3 m above the full line, 1.5 m deep: 0.5 m of 1.5 m empty */
    MUE_ASSERT_INT_EQ(
        derive_json("waste", "{\"container_depth_m\": 1.5, \"sensor_offset_m\": 0.3}", &res),
        MUE_OK);
    MUE_ASSERT_STR_EQ(res.r[2].quantity, "fill_level");
    MUE_ASSERT_DBL_NEAR(res.r[2].value, 100.0 * (1.5 - 0.5) / 1.5, 1e-9);
}

static void test_waste_container_depth_must_be_positive(void)
{
    struct codec_result res;

    with_distance(&res, 0.8);
    MUE_ASSERT_INT_EQ(derive_json("waste", "{\"container_depth_m\": 0}", &res), MUE_EINVAL);
    MUE_ASSERT(strstr(res.reason, "container_depth_m") != NULL);
}

static void test_water_level_from_a_submerged_depth_sensor(void)
{
    struct codec_result res;

    memset(&res, 0, sizeof(res));
    codec_add(&res, "water_depth", 0.42);
    MUE_ASSERT_INT_EQ(derive_json("water", "{\"sensor_elevation_m\": -0.25}", &res), MUE_OK);
    MUE_ASSERT_STR_EQ(res.r[1].quantity, "water_level");
    MUE_ASSERT_DBL_NEAR(res.r[1].value, 0.17, 1e-12);
}

static void test_water_level_from_pressure_uses_the_fresh_water_column(void)
{
    struct codec_result res;

    memset(&res, 0, sizeof(res));
    codec_add(&res, "pressure", 0.1); /* 0.1 bar = 10000 Pa = 1.0197 m of water */
    MUE_ASSERT_INT_EQ(derive_json("water", "{\"sensor_elevation_m\": 0.5}", &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(res.r[1].value, 0.5 + 10000.0 / (1000.0 * 9.80665), 1e-9);
}

static void test_counts_become_inbound_and_outbound_bikes(void)
{
    struct codec_result res;

    memset(&res, 0, sizeof(res));
    codec_add(&res, "count_ltr", 12);
    codec_add(&res, "count_rtl", 7);
    MUE_ASSERT_INT_EQ(derive_json("counting", "{\"counts\": \"bike\", \"ltr\": \"out\"}", &res),
                      MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 4);
    MUE_ASSERT_STR_EQ(res.r[2].quantity, "bike_count_out");
    MUE_ASSERT_DBL_NEAR(res.r[2].value, 12, 0);
    MUE_ASSERT_STR_EQ(res.r[3].quantity, "bike_count_in");
    MUE_ASSERT_DBL_NEAR(res.r[3].value, 7, 0);
}

static void test_counts_default_left_to_right_is_inbound(void)
{
    struct codec_result res;

    memset(&res, 0, sizeof(res));
    codec_add(&res, "count_ltr", 3);
    MUE_ASSERT_INT_EQ(derive_json("counting", "{\"counts\": \"pedestrian\"}", &res), MUE_OK);
    MUE_ASSERT_STR_EQ(res.r[1].quantity, "pedestrian_count_in");
}

static void test_counts_of_an_unknown_kind_are_refused(void)
{
    struct codec_result res;

    memset(&res, 0, sizeof(res));
    codec_add(&res, "count_ltr", 3);
    MUE_ASSERT_INT_EQ(derive_json("counting", "{\"counts\": \"cars\"}", &res), MUE_EINVAL);
    MUE_ASSERT_STR_EQ(res.reason, "parameter counts must be one of bike, pedestrian");
}

static void test_lamp_power_is_estimated_only_when_not_metered(void)
{
    struct codec_result res;

    memset(&res, 0, sizeof(res));
    codec_add(&res, "dim_level", 40);
    MUE_ASSERT_INT_EQ(derive_json("lighting", "{\"lamp_power_w\": 55}", &res), MUE_OK);
    MUE_ASSERT_STR_EQ(res.r[1].quantity, "power");
    MUE_ASSERT_DBL_NEAR(res.r[1].value, 22, 1e-12);
    memset(&res, 0, sizeof(res));
    codec_add(&res, "dim_level", 40);
    codec_add(&res, "power", 30);
    MUE_ASSERT_INT_EQ(derive_json("lighting", "{\"lamp_power_w\": 55}", &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 2);
}

static void test_readings_with_their_own_time_are_not_derived(void)
{
    struct codec_result res;

    memset(&res, 0, sizeof(res));
    codec_add_at(&res, "distance", 1.0, 1700000000000000LL); /* a history record */
    MUE_ASSERT_INT_EQ(derive_json("water", "{\"sensor_height_m\": 3.5}", &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 1);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_waste_fill_level_between_empty_and_full),
        MUE_TEST(test_waste_full_distance_defaults_to_zero),
        MUE_TEST(test_waste_clamps_above_full_to_100),
        MUE_TEST(test_waste_clamps_beyond_empty_to_0),
        MUE_TEST(test_waste_from_em310_frame),
        MUE_TEST(test_water_level_is_height_minus_distance),
        MUE_TEST(test_water_level_below_gauge_zero_is_kept),
        MUE_TEST(test_missing_parameters_add_nothing),
        MUE_TEST(test_no_distance_reading_adds_nothing),
        MUE_TEST(test_other_use_case_adds_nothing),
        MUE_TEST(test_empty_distance_not_a_number_is_einval),
        MUE_TEST(test_full_distance_not_a_number_is_einval),
        MUE_TEST(test_empty_not_beyond_full_is_einval),
        MUE_TEST(test_sensor_height_not_a_number_is_einval),
        MUE_TEST(test_full_result_is_e2big),
        MUE_TEST(test_waste_from_container_depth_and_sensor_offset),
        MUE_TEST(test_waste_container_depth_must_be_positive),
        MUE_TEST(test_water_level_from_a_submerged_depth_sensor),
        MUE_TEST(test_water_level_from_pressure_uses_the_fresh_water_column),
        MUE_TEST(test_counts_become_inbound_and_outbound_bikes),
        MUE_TEST(test_counts_default_left_to_right_is_inbound),
        MUE_TEST(test_counts_of_an_unknown_kind_are_refused),
        MUE_TEST(test_lamp_power_is_estimated_only_when_not_metered),
        MUE_TEST(test_readings_with_their_own_time_are_not_derived),
    };
    return mue_test_run("derive", tests);
}
