/* test_alerts.c - the argument parsers and the request/answer JSON of mue-admin's alert commands.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../mue_test.h"
#include "alerts.h"
#include "mue_err.h"

static void test_quiet_hours_are_two_local_times_and_may_cross_midnight(void)
{
    char from[6] = "", to[6] = "";

    MUE_ASSERT_INT_EQ(alerts_parse_quiet("22:00-07:30", from, to), MUE_OK);
    MUE_ASSERT_STR_EQ(from, "22:00");
    MUE_ASSERT_STR_EQ(to, "07:30");
    MUE_ASSERT_INT_EQ(alerts_parse_quiet("00:00-23:59", from, to), MUE_OK);
    MUE_ASSERT_STR_EQ(from, "00:00");
    MUE_ASSERT_STR_EQ(to, "23:59");
}

static void test_bad_quiet_hours_are_refused_and_leave_the_output_alone(void)
{
    static const char *const bad[] = { "22:00",        "22:00-7:00",  "24:00-06:00", "22:60-06:00",
                                       "22:00-06:00 ", "22:00_06:00", "aa:00-06:00", "",
                                       "08:15-08:15",  "-1:00-06:00" };
    char from[6] = "x", to[6] = "y";

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (alerts_parse_quiet(bad[i], from, to) != MUE_EINVAL) {
            fprintf(stderr, "  accepted: \"%s\"\n", bad[i]);
            MUE_ASSERT(0);
        }
    }
    MUE_ASSERT_STR_EQ(from, "x");
    MUE_ASSERT_STR_EQ(to, "y");
}

static void test_numbers_must_be_whole_and_finite(void)
{
    double v = 0.0;

    MUE_ASSERT_INT_EQ(alerts_parse_double("2.5", &v), MUE_OK);
    MUE_ASSERT_DBL_NEAR(v, 2.5, 1e-12);
    MUE_ASSERT_INT_EQ(alerts_parse_double("-120", &v), MUE_OK);
    MUE_ASSERT_DBL_NEAR(v, -120.0, 1e-12);
    MUE_ASSERT_INT_EQ(alerts_parse_double("1e3", &v), MUE_OK);
    MUE_ASSERT_DBL_NEAR(v, 1000.0, 1e-12);
    MUE_ASSERT_INT_EQ(alerts_parse_double("2,5", &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(alerts_parse_double("80%", &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(alerts_parse_double("", &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(alerts_parse_double(" 3", &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(alerts_parse_double("nan", &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(alerts_parse_double("inf", &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(alerts_parse_double("1e999", &v), MUE_EINVAL);
    MUE_ASSERT_DBL_NEAR(v, 1000.0, 1e-12); /* untouched by the refusals */
}

static void test_dev_eui_lists_are_checked_counted_and_lower_cased(void)
{
    char out[64];

    MUE_ASSERT_INT_EQ(alerts_parse_dev_euis("24E124756D000100,70b3d5e75e000101", out, sizeof(out)),
                      2);
    MUE_ASSERT_STR_EQ(out, "24e124756d000100,70b3d5e75e000101");
    MUE_ASSERT_INT_EQ(alerts_parse_dev_euis("24e124756d000100", out, sizeof(out)), 1);
    MUE_ASSERT_INT_EQ(alerts_parse_dev_euis("24e124756d00010", out, sizeof(out)), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(alerts_parse_dev_euis("24e124756d0001000", out, sizeof(out)), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(alerts_parse_dev_euis("24e124756d00010g", out, sizeof(out)), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(alerts_parse_dev_euis("24e124756d000100,", out, sizeof(out)), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(alerts_parse_dev_euis(",24e124756d000100", out, sizeof(out)), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(alerts_parse_dev_euis("24e124756d000100,,70b3d5e75e000101", out, sizeof(out)),
                      MUE_EINVAL);
    MUE_ASSERT_INT_EQ(alerts_parse_dev_euis("", out, sizeof(out)), MUE_EINVAL);
    /* Too long for the buffer: refused, not cut. */
    MUE_ASSERT_INT_EQ(alerts_parse_dev_euis("24e124756d000100,70b3d5e75e000101", out, 33),
                      MUE_EINVAL);
}

static void test_names_follow_the_schema(void)
{
    MUE_ASSERT(alerts_is_name("water.vigilance_red"));
    MUE_ASSERT(alerts_is_name("rue-de-la-republique.lamps"));
    MUE_ASSERT(alerts_is_name("0night"));
    MUE_ASSERT(!alerts_is_name("Water.red"));
    MUE_ASSERT(!alerts_is_name("_x"));
    MUE_ASSERT(!alerts_is_name("a b"));
    MUE_ASSERT(!alerts_is_name(""));
    MUE_ASSERT(alerts_is_name("a234567890123456789012345678901234567890123456789012345678901234"));
    MUE_ASSERT(
        !alerts_is_name("a2345678901234567890123456789012345678901234567890123456789012345"));
}

static void test_severities_are_the_three_of_the_schema(void)
{
    MUE_ASSERT(alerts_is_severity("info"));
    MUE_ASSERT(alerts_is_severity("warning"));
    MUE_ASSERT(alerts_is_severity("critical"));
    MUE_ASSERT(!alerts_is_severity("Critical"));
    MUE_ASSERT(!alerts_is_severity("error"));
}

static void test_the_actor_is_the_login_or_mue_admin(void)
{
    char a[16];

    alerts_actor("alice", a, sizeof(a));
    MUE_ASSERT_STR_EQ(a, "cli:alice");
    alerts_actor("", a, sizeof(a));
    MUE_ASSERT_STR_EQ(a, "cli:mue-admin");
    alerts_actor(NULL, a, sizeof(a));
    MUE_ASSERT_STR_EQ(a, "cli:mue-admin");
    alerts_actor("a-very-long-login-name", a, sizeof(a));
    MUE_ASSERT_STR_EQ(a, "cli:a-very-long");
}

static void test_the_request_body_is_what_mue_alerts_reads(void)
{
    char *body = alerts_cmd_body(42, "cli:alice", "équipe \"prévenue\"");
    json_t *j = json_loads(body, 0, NULL);

    MUE_ASSERT(json_is_object(j));
    MUE_ASSERT_INT_EQ(json_integer_value(json_object_get(j, "alert_id")), 42);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(j, "actor")), "cli:alice");
    MUE_ASSERT(json_is_null(json_object_get(j, "key_id")));
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(j, "comment")), "équipe \"prévenue\"");
    MUE_ASSERT_INT_EQ(json_object_size(j), 4);
    json_decref(j);
    free(body);

    body = alerts_cmd_body(7, "cli:mue-admin", NULL);
    MUE_ASSERT_STR_EQ(
        body, "{\"alert_id\":7,\"actor\":\"cli:mue-admin\",\"key_id\":null,\"comment\":\"\"}");
    free(body);
}

static void test_a_comment_that_is_not_utf8_gives_an_empty_body(void)
{
    char *body = alerts_cmd_body(7, "cli:x", "caf\xe9");

    MUE_ASSERT_STR_EQ(body, "");
    free(body);
    body = alerts_cmd_body(7, "cli:\xff", "ok");
    MUE_ASSERT_STR_EQ(body, "");
    free(body);
}

static void test_answers_are_ok_or_an_error_with_its_reason(void)
{
    static const char ok[] = "{\"ok\":true,\"alert\":{\"id\":3,\"state\":\"acknowledged\"}}";
    static const char conflict[] =
        "{\"error\":\"conflict\",\"reason\":\"the alert is already resolved\"}";
    static const char bare[] = "{\"error\":\"internal\"}";
    char reason[128];

    MUE_ASSERT_INT_EQ(alerts_cmd_answer(ok, strlen(ok), reason, sizeof(reason)), 0);
    MUE_ASSERT_INT_EQ(alerts_cmd_answer(conflict, strlen(conflict), reason, sizeof(reason)), 1);
    MUE_ASSERT_STR_EQ(reason, "conflict: the alert is already resolved");
    MUE_ASSERT_INT_EQ(alerts_cmd_answer(bare, strlen(bare), reason, sizeof(reason)), 1);
    MUE_ASSERT_STR_EQ(reason, "internal");
    MUE_ASSERT_INT_EQ(alerts_cmd_answer("[1]", 3, reason, sizeof(reason)), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(alerts_cmd_answer("{\"ok\":", 6, reason, sizeof(reason)), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(alerts_cmd_answer("", 0, reason, sizeof(reason)), MUE_EDECODE);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_quiet_hours_are_two_local_times_and_may_cross_midnight),
        MUE_TEST(test_bad_quiet_hours_are_refused_and_leave_the_output_alone),
        MUE_TEST(test_numbers_must_be_whole_and_finite),
        MUE_TEST(test_dev_eui_lists_are_checked_counted_and_lower_cased),
        MUE_TEST(test_names_follow_the_schema),
        MUE_TEST(test_severities_are_the_three_of_the_schema),
        MUE_TEST(test_the_actor_is_the_login_or_mue_admin),
        MUE_TEST(test_the_request_body_is_what_mue_alerts_reads),
        MUE_TEST(test_a_comment_that_is_not_utf8_gives_an_empty_body),
        MUE_TEST(test_answers_are_ok_or_an_error_with_its_reason),
    };
    return mue_test_run("admin_alerts", tests);
}
