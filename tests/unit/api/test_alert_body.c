/* test_alert_body.c - the bodies of the alert routes: an ack's or a resolve's comment, and a
 * rule's edit field by field, active_from and active_to strictly HH:MM (a looser reading was
 * found by tests/fuzz/fuzz_api_body.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "../mue_test.h"
#include "alert_body.h"

static json_t *parse(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    MUE_ASSERT(j != NULL);
    return j;
}

static void test_a_comment_is_optional_text(void)
{
    const char *comment = NULL;
    char why[64] = "";
    json_t *body;

    MUE_ASSERT_INT_EQ(alert_body_comment(NULL, &comment, why, sizeof(why)), 0);
    MUE_ASSERT_STR_EQ(comment, "");
    body = parse("{\"comment\": null, \"other\": 1}");
    MUE_ASSERT_INT_EQ(alert_body_comment(body, &comment, why, sizeof(why)), 0);
    MUE_ASSERT_STR_EQ(comment, "");
    json_decref(body);
    body = parse("{\"comment\": \"vid\\u00e9\"}");
    MUE_ASSERT_INT_EQ(alert_body_comment(body, &comment, why, sizeof(why)), 0);
    MUE_ASSERT_STR_EQ(comment, "vidé");
    json_decref(body);
}

static void test_a_comment_of_another_type_or_too_long_is_refused(void)
{
    char text[2100], why[64] = "";
    const char *comment;
    json_t *body = parse("{\"comment\": 42}");

    MUE_ASSERT_INT_EQ(alert_body_comment(body, &comment, why, sizeof(why)), -1);
    MUE_ASSERT_STR_EQ(why, "comment is text of at most 2000 bytes");
    json_decref(body);
    memset(text, 'x', 2001);
    text[2001] = '\0';
    body = json_pack("{s:s}", "comment", text);
    MUE_ASSERT_INT_EQ(alert_body_comment(body, &comment, why, sizeof(why)), -1);
    text[2000] = '\0';
    json_object_set_new(body, "comment", json_string(text));
    MUE_ASSERT_INT_EQ(alert_body_comment(body, &comment, why, sizeof(why)), 0);
    MUE_ASSERT_INT_EQ(strlen(comment), 2000);
    json_decref(body);
}

static void test_a_rule_edit_takes_the_fields_an_edit_may_change(void)
{
    char why[256] = "";
    json_t *body = parse("{\"title\": \"Bac plein\", \"description\": \"\", \"threshold\": 95.5,"
                         " \"hysteresis\": null, \"silence_factor\": 2, \"duration_s\": 7200,"
                         " \"window_s\": null, \"escalate_after_s\": 31622400, \"enabled\": false,"
                         " \"auto_resolve\": true, \"severity\": \"critical\","
                         " \"active_from\": \"22:00\", \"active_to\": \"24:00\"}");

    MUE_ASSERT_INT_EQ(alert_body_rule_edit(body, why, sizeof(why)), 0);
    json_decref(body);
}

static void test_a_rule_edit_names_the_field_at_fault(void)
{
    static const struct {
        const char *body, *why;
    } cases[] = {
        { "{}", "nothing to change" },
        { "{\"threshold\": \"high\"}", "threshold is a number or null" },
        { "{\"duration_s\": -1}", "duration_s is a number of seconds or null" },
        { "{\"window_s\": 31622401}", "window_s is a number of seconds or null" },
        { "{\"escalate_after_s\": 1.5}", "escalate_after_s is a number of seconds or null" },
        { "{\"title\": \"\"}", "title is text of at most 2000 bytes" },
        { "{\"enabled\": \"yes\"}", "enabled is true or false" },
        { "{\"severity\": \"urgent\"}", "severity is info, warning or critical" },
        { "{\"active_to\": \"24:30\"}", "active_to is HH:MM (local time) or null" },
        { "{\"kind\": \"rate\"}", "kind cannot be changed (only title, description, threshold, "
                                  "hysteresis, duration_s, window_s, silence_factor, active_from, "
                                  "active_to, severity, escalate_after_s, auto_resolve, enabled)" },
    };
    char why[256];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *body = parse(cases[i].body);

        why[0] = '\0';
        MUE_ASSERT_INT_EQ(alert_body_rule_edit(body, why, sizeof(why)), -1);
        MUE_ASSERT_STR_EQ(why, cases[i].why);
        json_decref(body);
    }
}

/* The fuzzer's find: sscanf("%2d:%2d") took " 21:0" (a blank, then one minute digit) for 21:00;
 * signs and blanks got through the same way. HH:MM is two digits, a colon, two digits. */
static void test_active_hours_are_strictly_hh_mm(void)
{
    static const char *const bad[] = { " 21:0", "+1:05", "21: 5", "-0:00",  "7:05",
                                       "07:5",  "07-05", "0705",  "07:05 ", "" };
    static const char *const good[] = { "00:00", "07:05", "23:59", "24:00" };
    char why[256], text[64];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), "{\"active_from\": \"%s\"}", bad[i]);
        json_t *body = parse(text);
        MUE_ASSERT_INT_EQ(alert_body_rule_edit(body, why, sizeof(why)), -1);
        MUE_ASSERT_STR_EQ(why, "active_from is HH:MM (local time) or null");
        json_decref(body);
    }
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        snprintf(text, sizeof(text), "{\"active_from\": \"%s\"}", good[i]);
        json_t *body = parse(text);
        MUE_ASSERT_INT_EQ(alert_body_rule_edit(body, why, sizeof(why)), 0);
        json_decref(body);
    }
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_a_comment_is_optional_text),
        MUE_TEST(test_a_comment_of_another_type_or_too_long_is_refused),
        MUE_TEST(test_a_rule_edit_takes_the_fields_an_edit_may_change),
        MUE_TEST(test_a_rule_edit_names_the_field_at_fault),
        MUE_TEST(test_active_hours_are_strictly_hh_mm),
    };
    return mue_test_run("alert_body", tests);
}
