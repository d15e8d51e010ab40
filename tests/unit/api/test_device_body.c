/* test_device_body.c - the body of a device's registration (POST) or change (PUT): the DevEUI,
 * the required fields, each field's rule with the reason that names it, and the normalised set.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "../mue_test.h"
#include "device_body.h"

/* NULs allowed: body_parse refuses them, but the checks must hold without it. */
static json_t *parse(const char *text)
{
    json_t *j = json_loads(text, JSON_ALLOW_NUL, NULL);
    MUE_ASSERT(j != NULL);
    return j;
}

static void test_a_registration_takes_every_field(void)
{
    json_t *body = parse("{\"dev_eui\": \"A1B2C3D4E5F6D001\", \"name\": \"pav-api-1\","
                         " \"model\": \"milesight-em310-udl\", \"use_case\": \"waste\","
                         " \"network\": \"tts\", \"latitude\": 43, \"longitude\": 5.4474,"
                         " \"params\": {\"empty_distance_m\": 2.5}, \"expected_period_s\": 3600,"
                         " \"site_id\": 1}");
    json_t *set = NULL;
    char eui[17] = "", why[512] = "";

    MUE_ASSERT_INT_EQ(device_body_check(body, true, eui, &set, why, sizeof(why)), 0);
    MUE_ASSERT_STR_EQ(eui, "a1b2c3d4e5f6d001");
    MUE_ASSERT_INT_EQ(json_object_size(set), 9); /* everything but dev_eui */
    MUE_ASSERT(json_object_get(set, "dev_eui") == NULL);
    MUE_ASSERT(json_is_real(json_object_get(set, "latitude"))); /* 43 and 43.0 alike */
    MUE_ASSERT_DBL_NEAR(json_real_value(json_object_get(set, "latitude")), 43.0, 0);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(set, "network")), "tts");
    json_decref(set);
    json_decref(body);
}

static void test_a_registration_needs_its_dev_eui_name_model_and_use_case(void)
{
    static const struct {
        const char *body, *why;
    } cases[] = {
        { "{\"name\": \"x\", \"model\": \"m\", \"use_case\": \"waste\"}",
          "dev_eui must be 16 hex digits" },
        { "{\"dev_eui\": \"a1b2c3d4e5f6d0\", \"name\": \"x\"}", "dev_eui must be 16 hex digits" },
        { "{\"dev_eui\": \"a1b2c3d4e5f6d001\", \"model\": \"m\", \"use_case\": \"waste\"}",
          "name is required" },
        { "{\"dev_eui\": \"a1b2c3d4e5f6d001\", \"name\": \"x\", \"use_case\": \"waste\"}",
          "model is required" },
        { "{\"dev_eui\": \"a1b2c3d4e5f6d001\", \"name\": \"x\", \"model\": \"m\","
          " \"active\": true}",
          "unknown field active" },
    };
    char eui[17], why[512];
    json_t *set;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *body = parse(cases[i].body);

        set = (json_t *)1;
        MUE_ASSERT_INT_EQ(device_body_check(body, true, eui, &set, why, sizeof(why)), -1);
        MUE_ASSERT(set == NULL);
        MUE_ASSERT_STR_EQ(why, cases[i].why);
        json_decref(body);
    }
}

static void test_a_change_names_the_field_at_fault(void)
{
    static const struct {
        const char *body, *why;
    } cases[] = {
        { "{}", "the body names no field to change" },
        { "{\"dev_eui\": \"a1b2c3d4e5f6d009\"}", "dev_eui cannot be changed" },
        { "{\"latitude\": -91}", "latitude must be a number in -90..90 or null" },
        { "{\"longitude\": \"5\"}", "longitude must be a number in -180..180 or null" },
        { "{\"use_case\": \"Parking\"}",
          "use_case must be the id of a use case (GET /v1/usecases)" },
        { "{\"active\": \"no\"}", "active must be true or false" },
        { "{\"model\": \"Milesight\"}",
          "model must be a codec id ([a-z0-9-]{1,63}, e.g. milesight-em310-udl)" },
        { "{\"name\": \"\"}", "name must be a string of 1 to 200 characters" },
        { "{\"name\": \"a\\u0000b\"}", "name must be a string of 1 to 200 characters" },
        { "{\"network\": \"lora\"}",
          "network must be one of chirpstack, tts, thingpark, liveobjects, senml" },
        { "{\"site_id\": 0}", "site_id must be the id of a site (a whole number >= 1) or null" },
        { "{\"params\": []}", "params must be an object (installation parameters)" },
        { "{\"expected_period_s\": 2147483648}",
          "expected_period_s must be a whole number of seconds > 0 or null" },
        { "{\"colour\": \"red\"}", "unknown field colour" },
    };
    char eui[17] = "a1b2c3d4e5f6d001", why[512];
    json_t *set;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *body = parse(cases[i].body);

        MUE_ASSERT_INT_EQ(device_body_check(body, false, eui, &set, why, sizeof(why)), -1);
        MUE_ASSERT(set == NULL);
        MUE_ASSERT_STR_EQ(why, cases[i].why);
        json_decref(body);
    }
}

static void test_a_change_may_repeat_the_dev_eui_in_any_case(void)
{
    json_t *body = parse("{\"dev_eui\": \"A1B2C3D4E5F6D001\", \"active\": true, \"site_id\": null,"
                         " \"name\": \"F\\u00e9e\"}");
    char eui[17] = "a1b2c3d4e5f6d001", why[512];
    json_t *set;

    MUE_ASSERT_INT_EQ(device_body_check(body, false, eui, &set, why, sizeof(why)), 0);
    MUE_ASSERT_STR_EQ(eui, "a1b2c3d4e5f6d001");
    MUE_ASSERT_INT_EQ(json_object_size(set), 3);
    MUE_ASSERT(json_is_true(json_object_get(set, "active")));
    MUE_ASSERT(json_is_null(json_object_get(set, "site_id")));
    json_decref(set);
    json_decref(body);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_a_registration_takes_every_field),
        MUE_TEST(test_a_registration_needs_its_dev_eui_name_model_and_use_case),
        MUE_TEST(test_a_change_names_the_field_at_fault),
        MUE_TEST(test_a_change_may_repeat_the_dev_eui_in_any_case),
    };
    return mue_test_run("device_body", tests);
}
