/* test_lighting_req.c - what mue-api checks and builds before asking mue-lighting, and the status
 * each answer becomes: ids and group names against the tables' CHECKs, dates, the actor the
 * caller cannot forge, the bodies of a PUT, an assignment and an override, the energy of the
 * public indicator. Dates and day numbers were worked out by hand and with date(1).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../mue_test.h"
#include "lighting_req.h"
#include "mue_err.h"

static json_t *parse(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    MUE_ASSERT(j != NULL);
    return j;
}

static void test_ids_follow_the_program_tables_check(void)
{
    char id[80];

    MUE_ASSERT(lighting_req_id_is_valid("cp-weekday"));
    MUE_ASSERT(lighting_req_id_is_valid("cp.summer:1"));
    MUE_ASSERT(lighting_req_id_is_valid("CP_Fete-14"));
    MUE_ASSERT(!lighting_req_id_is_valid(""));
    MUE_ASSERT(!lighting_req_id_is_valid("a b"));
    MUE_ASSERT(!lighting_req_id_is_valid("a/b"));
    MUE_ASSERT(!lighting_req_id_is_valid("f\xc3\xaate"));
    memset(id, 'x', 63);
    id[63] = '\0';
    MUE_ASSERT(lighting_req_id_is_valid(id));
    id[63] = 'x';
    id[64] = '\0';
    MUE_ASSERT(!lighting_req_id_is_valid(id));
}

static void test_group_names_follow_device_groups_check(void)
{
    char name[80];

    MUE_ASSERT(lighting_req_group_is_valid("it-lamps"));
    MUE_ASSERT(lighting_req_group_is_valid("0rue.de_la-paix"));
    MUE_ASSERT(lighting_req_group_is_valid("a"));
    MUE_ASSERT(!lighting_req_group_is_valid(""));
    MUE_ASSERT(!lighting_req_group_is_valid("Pertuis"));
    MUE_ASSERT(!lighting_req_group_is_valid("-x"));
    MUE_ASSERT(!lighting_req_group_is_valid("_x"));
    MUE_ASSERT(!lighting_req_group_is_valid("a:b"));
    MUE_ASSERT(!lighting_req_group_is_valid("999999999/x"));
    memset(name, 'g', 64);
    name[64] = '\0';
    MUE_ASSERT(lighting_req_group_is_valid(name)); /* one, then 63 */
    name[64] = 'g';
    name[65] = '\0';
    MUE_ASSERT(!lighting_req_group_is_valid(name));
}

static void test_dates_are_real_calendar_dates(void)
{
    int64_t d = -7;

    MUE_ASSERT_INT_EQ(lighting_req_date_parse("2026-12-15", &d), 0);
    MUE_ASSERT_INT_EQ(d, 20802); /* 2026-01-01 is day 20454, then 334 days to December 1st */
    MUE_ASSERT_INT_EQ(lighting_req_date_parse("1970-01-01", &d), 0);
    MUE_ASSERT_INT_EQ(d, 0);
    MUE_ASSERT_INT_EQ(lighting_req_date_parse("2024-02-29", &d), 0);
    MUE_ASSERT_INT_EQ(d, 19782); /* 2024-01-01 is 19723, + 31 + 28 */
    MUE_ASSERT_INT_EQ(lighting_req_date_parse("2000-02-29", &d), 0);
    d = -7;
    MUE_ASSERT_INT_EQ(lighting_req_date_parse("2026-02-29", &d), -1);
    MUE_ASSERT_INT_EQ(lighting_req_date_parse("2100-02-29", &d), -1);
    MUE_ASSERT_INT_EQ(lighting_req_date_parse("2026-04-31", &d), -1);
    MUE_ASSERT_INT_EQ(lighting_req_date_parse("2026-13-01", &d), -1);
    MUE_ASSERT_INT_EQ(lighting_req_date_parse("2026-00-10", &d), -1);
    MUE_ASSERT_INT_EQ(lighting_req_date_parse("2026-01-00", &d), -1);
    MUE_ASSERT_INT_EQ(lighting_req_date_parse("0000-01-01", &d), -1);
    MUE_ASSERT_INT_EQ(lighting_req_date_parse("2026-1-05", &d), -1);
    MUE_ASSERT_INT_EQ(lighting_req_date_parse(" 2026-01-05", &d), -1);
    MUE_ASSERT_INT_EQ(lighting_req_date_parse("2026-01-05T00:00:00Z", &d), -1);
    MUE_ASSERT_INT_EQ(lighting_req_date_parse("x", &d), -1);
    MUE_ASSERT_INT_EQ(d, -7); /* untouched on error */
}

static void test_dates_format_back_and_local_days_are_paris_days(void)
{
    char out[11];

    lighting_req_date_format(20802, out);
    MUE_ASSERT_STR_EQ(out, "2026-12-15");
    lighting_req_date_format(0, out);
    MUE_ASSERT_STR_EQ(out, "1970-01-01");
    lighting_req_date_format(19782, out);
    MUE_ASSERT_STR_EQ(out, "2024-02-29");
    /* 2026-03-28T23:30Z is 00:30 on the 29th in Paris (winter time, +1). */
    MUE_ASSERT_INT_EQ(lighting_req_local_day(1774740600), 20541);
    /* 2026-07-14T22:30Z is 00:30 on the 15th (summer time, +2); 21:30Z still the 14th. */
    MUE_ASSERT_INT_EQ(lighting_req_local_day(1784068200), 20649);
    MUE_ASSERT_INT_EQ(lighting_req_local_day(1784064600), 20648);
}

static void test_the_actor_is_the_key_and_cannot_be_forged(void)
{
    json_t *req = lighting_req_new(
        parse("{\"id\": \"cp-1\", \"actor\": \"cli:root\", \"key_id\": 1}"), "ops-pertuis", 42);

    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(req, "actor")), "key:ops-pertuis");
    MUE_ASSERT_INT_EQ(json_integer_value(json_object_get(req, "key_id")), 42);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(req, "id")), "cp-1");
    MUE_ASSERT_UINT_EQ(json_object_size(req), 3);
    json_decref(req);
    req = lighting_req_new(json_object(), "public", 0);
    MUE_ASSERT(json_is_null(json_object_get(req, "key_id")));
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(req, "actor")), "key:public");
    json_decref(req);
}

static void test_a_put_document_takes_the_paths_id(void)
{
    json_t *doc = parse("{\"activePeriods\": []}");
    char why[160] = "";

    MUE_ASSERT_INT_EQ(lighting_req_doc_id(doc, "cp-1", "program", why, sizeof(why)), 0);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(doc, "id")), "cp-1");
    MUE_ASSERT_INT_EQ(lighting_req_doc_id(doc, "cp-1", "program", why, sizeof(why)), 0);
    json_decref(doc);
    doc = parse("{\"id\": \"cp-2\"}");
    MUE_ASSERT_INT_EQ(lighting_req_doc_id(doc, "cp-1", "program", why, sizeof(why)), -1);
    MUE_ASSERT_STR_EQ(why, "the program's id (cp-2) is not the path's (cp-1)");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(doc, "id")), "cp-2");
    json_decref(doc);
    doc = parse("{\"id\": 7}");
    MUE_ASSERT_INT_EQ(lighting_req_doc_id(doc, "7", "calendar", why, sizeof(why)), -1);
    MUE_ASSERT_STR_EQ(why, "the calendar's id is text");
    json_decref(doc);
}

static void test_an_assignment_is_a_calendar_and_a_priority(void)
{
    json_t *body = parse("{\"calendar\": \"cal-1\"}"), *out = NULL;
    char why[160] = "";

    json_t *want = parse("{\"group\": \"it-lamps\", \"calendar\": \"cal-1\"}");
    MUE_ASSERT_INT_EQ(lighting_req_assignment(body, "it-lamps", &out, why, sizeof(why)), 0);
    MUE_ASSERT(json_equal(out, want));
    json_decref(want);
    json_decref(out);
    json_decref(body);

    body = parse("{\"calendar\": \"cal-1\", \"priority\": -5, \"group\": \"it-lamps\"}");
    MUE_ASSERT_INT_EQ(lighting_req_assignment(body, "it-lamps", &out, why, sizeof(why)), 0);
    MUE_ASSERT_INT_EQ(json_integer_value(json_object_get(out, "priority")), -5);
    json_decref(out);
    json_decref(body);

    static const char *const refused[] = {
        "{}",
        "{\"calendar\": \"a b\"}",
        "{\"calendar\": 3}",
        "{\"calendar\": \"cal-1\", \"priority\": \"5\"}",
        "{\"calendar\": \"cal-1\", \"priority\": 1.5}",
        "{\"calendar\": \"cal-1\", \"group\": \"other\"}",
        "{\"calendar\": \"cal-1\", \"prio\": 1}",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        body = parse(refused[i]);
        out = NULL;
        why[0] = '\0';
        if (lighting_req_assignment(body, "it-lamps", &out, why, sizeof(why)) != -1)
            fprintf(stderr, "  accepted: %s\n", refused[i]);
        MUE_ASSERT(out == NULL && why[0] != '\0');
        json_decref(body);
    }
    body = parse("{\"calendar\": \"cal-1\", \"prio\": 1}");
    MUE_ASSERT_INT_EQ(lighting_req_assignment(body, "g", &out, why, sizeof(why)), -1);
    MUE_ASSERT(strncmp(why, "prio is not a member", 20) == 0);
    json_decref(body);
}

static void test_an_override_is_for_a_group_or_devices(void)
{
    json_t *body = parse("{\"group\": \"it-lamps\", \"level\": 70, \"duration_s\": 600,"
                         " \"reason\": \"event\", \"comment\": \"fête\"}"),
           *out = NULL;
    char why[200] = "";

    MUE_ASSERT_INT_EQ(lighting_req_override(body, &out, why, sizeof(why)), 0);
    MUE_ASSERT(json_equal(out, body));
    MUE_ASSERT(out != body);
    json_decref(out);
    json_decref(body);

    body = parse("{\"dev_euis\": [\"70B3D5E75E000101\", \"70b3d5e75e000102\"], \"level\": 0,"
                 " \"expires_at\": \"2026-12-01T00:00:00Z\", \"reason\": \"maintenance\"}");
    MUE_ASSERT_INT_EQ(lighting_req_override(body, &out, why, sizeof(why)), 0);
    MUE_ASSERT_STR_EQ(json_string_value(json_array_get(json_object_get(out, "dev_euis"), 0)),
                      "70b3d5e75e000101");
    MUE_ASSERT_UINT_EQ(json_array_size(json_object_get(out, "dev_euis")), 2);
    /* the caller's body is borrowed, left as it was */
    MUE_ASSERT_STR_EQ(json_string_value(json_array_get(json_object_get(body, "dev_euis"), 0)),
                      "70B3D5E75E000101");
    json_decref(out);
    json_decref(body);

    static const char *const refused[][2] = {
        { "{\"level\": 50}", "an override is for a group or for dev_euis" },
        { "{\"group\": \"g\", \"dev_euis\": [\"70b3d5e75e000101\"]}",
          "an override is for a group or for dev_euis" },
        { "{\"group\": \"G\"}", "group is a group's name" },
        { "{\"group\": 4}", "group is a group's name" },
        { "{\"dev_euis\": []}", "dev_euis is a list of 1 to 1000 DevEUIs" },
        { "{\"dev_euis\": \"70b3d5e75e000101\"}", "dev_euis is a list of 1 to 1000 DevEUIs" },
        { "{\"dev_euis\": [\"70b3d5e75e000101\", \"70b3\"]}", "dev_euis[1] is not a DevEUI" },
        { "{\"group\": \"g\", \"lvl\": 3}", "lvl is not a member of an override" },
        { "{\"group\": \"g\", \"actor\": \"x\"}", "actor is not a member of an override" },
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        body = parse(refused[i][0]);
        out = NULL;
        why[0] = '\0';
        MUE_ASSERT_INT_EQ(lighting_req_override(body, &out, why, sizeof(why)), -1);
        MUE_ASSERT(out == NULL);
        if (strncmp(why, refused[i][1], strlen(refused[i][1])) != 0)
            fprintf(stderr, "  %s: %s\n", refused[i][0], why);
        MUE_ASSERT(strncmp(why, refused[i][1], strlen(refused[i][1])) == 0);
        json_decref(body);
    }
}

/* The status of the answer 'text' (NULL: no JSON) for a route whose success is ok. */
static int status_of(const char *text, int ok, const char **error, const char **reason)
{
    json_t *a = text != NULL ? parse(text) : NULL;
    int status = lighting_req_status(a, ok, error, reason);
    json_decref(a);
    return status;
}

static void test_answers_become_statuses(void)
{
    const char *e, *r;

    MUE_ASSERT_INT_EQ(status_of("{\"programs\": []}", 200, &e, &r), 200);
    MUE_ASSERT(e == NULL && r == NULL);
    MUE_ASSERT_INT_EQ(status_of("{\"program\": {}, \"created\": true}", 200, &e, &r), 201);
    MUE_ASSERT_INT_EQ(status_of("{\"program\": {}, \"created\": false}", 200, &e, &r), 200);
    MUE_ASSERT_INT_EQ(status_of("{\"override\": {}}", 201, &e, &r), 201);
    MUE_ASSERT_INT_EQ(status_of("{\"error\": \"bad_request\", \"reason\": \"no\"}", 200, &e, &r),
                      400);
    MUE_ASSERT_INT_EQ(status_of("{\"error\": \"not_found\"}", 201, &e, &r), 404);
    MUE_ASSERT(r == NULL);
    MUE_ASSERT_INT_EQ(status_of("{\"error\": \"conflict\", \"reason\": \"in use\"}", 200, &e, &r),
                      409);
    MUE_ASSERT_INT_EQ(status_of("{\"error\": \"unavailable\"}", 200, &e, &r), 503);
    MUE_ASSERT_INT_EQ(status_of("{\"error\": \"strange\"}", 200, &e, &r), 503);
    MUE_ASSERT_INT_EQ(status_of("{\"error\": 5}", 200, &e, &r), 503);
    MUE_ASSERT_INT_EQ(status_of("[1]", 200, &e, &r), 502);
    MUE_ASSERT_INT_EQ(status_of(NULL, 200, &e, &r), 502);
    /* the error and reason are the answer's own */
    json_t *a = parse("{\"error\": \"conflict\", \"reason\": \"calendar cal-1 names it\"}");
    MUE_ASSERT_INT_EQ(lighting_req_status(a, 200, &e, &r), 409);
    MUE_ASSERT_STR_EQ(e, "conflict");
    MUE_ASSERT_STR_EQ(r, "calendar cal-1 names it");
    json_decref(a);
}

static void test_without_a_bus_nothing_is_answered(void)
{
    json_t *req = json_object(), *answer = req; /* anything but NULL, to see it cleared */

    MUE_ASSERT_INT_EQ(lighting_req_ask("programs.list", req, 100, &answer), MUE_EBUS);
    MUE_ASSERT(answer == NULL);
    json_decref(req);
}

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    MUE_ASSERT(json_is_number(v));
    return json_number_value(v);
}

static void test_the_indicator_takes_each_groups_energy(void)
{
    json_t *groups = parse("[{\"group\": \"a\"}, {\"group\": \"b\"}, {\"group\": \"d\"}]");
    json_t *days =
        parse("[{\"date\": \"2026-11-28\", \"group\": \"a\", \"lamps\": 3, \"planned_wh\": 540,"
              "  \"full_wh\": 1200, \"saving_wh\": 660, \"measured_wh\": null},"
              " {\"date\": \"2026-11-28\", \"group\": \"c\", \"planned_wh\": 1, \"full_wh\": 1,"
              "  \"saving_wh\": 0, \"measured_wh\": 9},"
              " {\"date\": \"2026-11-28\", \"group\": \"d\", \"lamps\": 1, \"planned_wh\": 20,"
              "  \"full_wh\": 30, \"saving_wh\": 10, \"measured_wh\": 21.5}]");
    json_t *total = lighting_req_energy_merge(groups, days);
    json_t *a = json_object_get(json_array_get(groups, 0), "energy");
    json_t *d = json_object_get(json_array_get(groups, 2), "energy");

    MUE_ASSERT_DBL_NEAR(num(a, "planned_wh"), 540, 1e-9);
    MUE_ASSERT_DBL_NEAR(num(a, "full_wh"), 1200, 1e-9);
    MUE_ASSERT_DBL_NEAR(num(a, "saving_wh"), 660, 1e-9);
    MUE_ASSERT_DBL_NEAR(num(a, "saving_pct"), 55.0, 1e-9);
    MUE_ASSERT(json_is_null(json_object_get(a, "measured_wh")));
    /* b has no day in the answer */
    MUE_ASSERT(json_is_null(json_object_get(json_array_get(groups, 1), "energy")));
    MUE_ASSERT_DBL_NEAR(num(d, "saving_pct"), 33.3, 1e-9); /* 10 / 30, to a tenth */
    MUE_ASSERT_DBL_NEAR(num(d, "measured_wh"), 21.5, 1e-9);
    /* totals over the groups shown (c is not one of them) */
    MUE_ASSERT_DBL_NEAR(num(total, "planned_wh"), 560, 1e-9);
    MUE_ASSERT_DBL_NEAR(num(total, "full_wh"), 1230, 1e-9);
    MUE_ASSERT_DBL_NEAR(num(total, "saving_wh"), 670, 1e-9);
    MUE_ASSERT_DBL_NEAR(num(total, "measured_wh"), 21.5, 1e-9);
    MUE_ASSERT_DBL_NEAR(num(total, "saving_pct"), 54.5, 1e-9); /* 670 / 1230 = 54.47 */
    json_decref(total);
    json_decref(groups);
    json_decref(days);
}

static void test_the_indicator_without_an_answer_has_no_energy(void)
{
    json_t *groups = parse("[{\"group\": \"a\"}]");
    json_t *total = lighting_req_energy_merge(groups, NULL);

    MUE_ASSERT(json_is_null(total));
    MUE_ASSERT(json_is_null(json_object_get(json_array_get(groups, 0), "energy")));
    MUE_ASSERT(json_object_get(json_array_get(groups, 0), "energy") != NULL);
    json_decref(total);
    json_decref(groups);
    /* two days of one group add up; a full of 0 has no percentage */
    groups = parse("[{\"group\": \"a\"}]");
    json_t *days = parse("[{\"group\": \"a\", \"planned_wh\": 1, \"full_wh\": 0, \"saving_wh\": 0},"
                         " {\"group\": \"a\", \"planned_wh\": 2.5, \"full_wh\": 0}]");
    total = lighting_req_energy_merge(groups, days);
    MUE_ASSERT_DBL_NEAR(num(json_object_get(json_array_get(groups, 0), "energy"), "planned_wh"),
                        3.5, 1e-9);
    MUE_ASSERT(json_is_null(json_object_get(total, "saving_pct")));
    json_decref(total);
    json_decref(groups);
    json_decref(days);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_ids_follow_the_program_tables_check),
        MUE_TEST(test_group_names_follow_device_groups_check),
        MUE_TEST(test_dates_are_real_calendar_dates),
        MUE_TEST(test_dates_format_back_and_local_days_are_paris_days),
        MUE_TEST(test_the_actor_is_the_key_and_cannot_be_forged),
        MUE_TEST(test_a_put_document_takes_the_paths_id),
        MUE_TEST(test_an_assignment_is_a_calendar_and_a_priority),
        MUE_TEST(test_an_override_is_for_a_group_or_devices),
        MUE_TEST(test_answers_become_statuses),
        MUE_TEST(test_without_a_bus_nothing_is_answered),
        MUE_TEST(test_the_indicator_takes_each_groups_energy),
        MUE_TEST(test_the_indicator_without_an_answer_has_no_energy),
    };
    return mue_test_run("lighting_req", tests);
}
