/* test_requests.c - mue-lighting's bus requests on a fresh database: each verb's answer and each
 * kind of refusal, the audit rows with their actor, a lamp's plan and a group's energy against
 * hand computations (and the sun of an independent ephemeris), overrides seen in the plan.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../c/server_test.h"
#include "mue_localtime.h"
#include "mue_log.h"
#include "mue_time.h"
#include "requests.h"
#include "../../unit/mue_test.h"

/* The lamps: two 60 W lamps at the Vieux-Port (the place of tests/data/sun/refs_2026.tsv), a
 * cabinet of ten 100 W lamps without a position (so the same place, Marseille's default), an
 * inactive lamp and a noise sensor. */
#define LAMP_A   "70b3d5e75e000101"
#define LAMP_B   "70b3d5e75e000102"
#define LAMP_D   "70b3d5e75e000103"
#define CABINET  "70b3d5e75e000201"
#define NOISE    "70b3d5e75e000301"
#define NOT_LAMP "70b3d5e75e0009ff"

static struct test_db tdb;
static struct mue_db *db;
static int changed;
static json_t *last; /* the last answer, kept until the next request */

/* ---- JSON with ' for ", for legibility ---- */

static const char *q(const char *s)
{
    static char buf[8192];
    size_t i = 0;

    for (; s[i] != '\0' && i + 1 < sizeof(buf); i++)
        buf[i] = s[i] == '\'' ? '"' : s[i];
    buf[i] = '\0';
    return buf;
}

/* Asks 'verb' with the body (' for "), as the service does; the answer is 'last'. */
static json_t *ask(const char *verb, const char *body)
{
    const char *text = q(body);
    char *answer;

    changed = 0;
    answer = lighting_request(db, verb, text, strlen(text), &changed);
    json_decref(last);
    last = json_loads(answer, 0, NULL);
    if (last == NULL)
        fprintf(stderr, "  the answer is not JSON: %s\n", answer);
    free(answer);
    MUE_ASSERT(last != NULL);
    return last;
}

/* The value at a dotted path: "override.dev_euis.1", "levels.0.time". */
static json_t *at(json_t *o, const char *path)
{
    char buf[256], *save = NULL;

    snprintf(buf, sizeof(buf), "%s", path);
    for (char *t = strtok_r(buf, ".", &save); t != NULL && o != NULL;
         t = strtok_r(NULL, ".", &save))
        o = json_is_array(o) ? json_array_get(o, strtoul(t, NULL, 10)) : json_object_get(o, t);
    return o;
}

#define S(o, p) json_string_value(at(o, p))
#define I(o, p) json_integer_value(at(o, p))
#define R(o, p) json_number_value(at(o, p))

static void assert_contains(const char *file, int line, const char *text, const char *part)
{
    if (text == NULL || strstr(text, part) == NULL) {
        char m[1024];

        snprintf(m, sizeof(m), "\"%.400s\" does not contain \"%.300s\"", text ? text : "(null)",
                 part);
        mue_test_fail(file, line, m);
    }
}

#define ASSERT_CONTAINS(text, part) assert_contains(__FILE__, __LINE__, text, part)

/* The request is refused with 'error' and a reason that contains 'reason'; nothing changed. */
#define REFUSED(verb, body, error, reason)                                                         \
    do {                                                                                           \
        json_t *ans_ = ask(verb, body);                                                            \
        MUE_ASSERT_STR_EQ(S(ans_, "error"), error);                                                \
        ASSERT_CONTAINS(S(ans_, "reason"), reason);                                                \
        MUE_ASSERT_INT_EQ(changed, 0);                                                             \
    } while (0)

/* The answer is not a refusal. */
#define ANSWERED(verb, body)                                                                       \
    do {                                                                                           \
        json_t *ans_ = ask(verb, body);                                                            \
        if (json_object_get(ans_, "error") != NULL)                                                \
            fprintf(stderr, "  refused: %s\n", S(ans_, "reason"));                                 \
        MUE_ASSERT(json_object_get(ans_, "error") == NULL);                                        \
    } while (0)

/* ---- SQL (a fixture that fails ends the test) ---- */

static PGresult *sql(const char *query)
{
    PGresult *r = NULL;

    MUE_ASSERT(mue_db_query(db, "test sql", &r, query, 0, NULL) >= 0);
    return r;
}

static void sql_do(const char *query)
{
    PQclear(sql(query));
}

static long long sql_int(const char *query)
{
    PGresult *r = sql(query);
    long long v;

    if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0)) {
        PQclear(r);
        MUE_ASSERT(!"one non-NULL value");
    }
    v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return v;
}

static long long audit_rows(const char *action, const char *target, const char *actor)
{
    char query[512];

    snprintf(query, sizeof(query),
             "SELECT count(*) FROM audit_log WHERE action = '%s' AND target = '%s'"
             " AND actor = '%s'",
             action, target, actor);
    return sql_int(query);
}

/* ---- the TALQ documents ---- */

#define STEP(t, v) "{'startTime':'" t "','command':{'state':{'name':'LevelState','value':" #v "}}}"

/* tests/unit/lighting/test_program.c's night: lit 18:00-07:00; 100 % in the evening, 50 % from
 * 23:00, 30 % from 01:00, 100 % from 05:30. Times without seconds, and an ownerCMS, which the
 * canonical JSON drops. */
#define CP_NIGHT                                                                                   \
    "{'type':'ControlProgramOne','id':'cp-night','ownerCMS':'https://cms.example/talq',"           \
    "'activePeriods':[{'name':'AbsoluteActivePeriod','startTime':'18:00','endTime':'07:00'}],"     \
    "'fixedTimeControls':[" STEP("01:00", 30) "," STEP("05:30", 100) "," STEP(                     \
        "18:00", 100) "," STEP("23:00", 50) "]}"
/* A feast: 100 % all night. */
#define CP_FETE                                                                                    \
    "{'id':'cp-fete','activePeriods':[{'name':'AbsoluteActivePeriod','startTime':'18:00:00',"      \
    "'endTime':'07:00:00'}]}"
/* Solar: 10 minutes before sunset to 10 after sunrise, 30 % from 01:00 with a minute's ramp. */
#define CP_ASTRO                                                                                   \
    "{'id':'cp-astro','activePeriods':[{'name':'AstroClockActivePeriod','sunsetOffset':-10,"       \
    "'sunriseOffset':10}],'fixedTimeControls':[{'startTime':'01:00:00','command':{'state':"        \
    "{'name':'LevelState','value':30},'rampToLevelTime':60}}," STEP("05:30:00", 100) "]}"
#define CP_SPARE                                                                                   \
    "{'id':'cp-spare','activePeriods':[{'name':'AbsoluteActivePeriod','startTime':'20:00',"        \
    "'endTime':'06:00'}]}"
/* The night program, but the feast on Christmas Eve. */
#define CAL_A                                                                                      \
    "{'id':'cal-a','rules':[{'condition':{'type':'ccDate','dates':[{'start':'--12-24'}]},"         \
    "'program':'cp-fete'}],'defaultProgram':'cp-night'}"
#define CAL_B "{'id':'cal-b','defaultProgram':'cp-astro'}"

/* ---- the tests ---- */

static long long key_id;

static void test_setup(void)
{
    sql_do("INSERT INTO device (dev_eui, name, model, use_case, latitude, longitude, params,"
           " active) VALUES"
           " ('" LAMP_A "', 'lamp A', 'nas-ul2030', 'lighting', 43.2965, 5.3698,"
           "  '{\"lamp_power_w\": 60}', true),"
           " ('" LAMP_B "', 'lamp B', 'nas-ul2030', 'lighting', 43.2965, 5.3698,"
           "  '{\"lamp_power_w\": 60}', true),"
           " ('" LAMP_D "', 'lamp D', 'nas-ul2030', 'lighting', 43.2965, 5.3698,"
           "  '{\"lamp_power_w\": 60}', false),"
           " ('" CABINET "', 'cabinet', 'milesight-ws558', 'lighting', NULL, NULL,"
           "  '{\"lamp_power_w\": 100, \"lamps\": 10}', true),"
           " ('" NOISE "', 'sonometer', 'nke-noise', 'noise', 43.2965, 5.3698, '{}', true)");
    sql_do("INSERT INTO device_group (name) VALUES ('rue-a'), ('rue-b'), ('quartier'), ('vide')");
    sql_do("INSERT INTO device_group_member (group_name, device_id) SELECT 'rue-a', id FROM device"
           " WHERE dev_eui IN ('" LAMP_A "', '" LAMP_D "', '" CABINET "', '" NOISE "')");
    sql_do("INSERT INTO device_group_member (group_name, device_id) SELECT 'rue-b', id FROM device"
           " WHERE dev_eui = '" LAMP_B "'");
    sql_do("INSERT INTO device_group_member (group_name, device_id) SELECT 'quartier', id FROM"
           " device WHERE dev_eui IN ('" LAMP_A "', '" LAMP_B "')");
    key_id = sql_int("INSERT INTO api_key (name, role, key_hash) VALUES ('ops', 'operator',"
                     " repeat('ab', 32)) RETURNING id");
}

static void test_a_request_is_a_json_object_of_known_members(void)
{
    REFUSED("programs.list", "{'actor':", "bad_request", "the body is not JSON");
    REFUSED("programs.list", "[1, 2]", "bad_request", "not a JSON object");
    REFUSED("programs.list", "{'colour':'red'}", "bad_request", "unknown member \"colour\"");
    REFUSED("programs.list", "{'actor':'a','actor':'b'}", "bad_request", "not JSON");
    REFUSED("program.rename", "{}", "bad_request", "no request \"program.rename\"");
    REFUSED("programs.list", "{'actor':12}", "bad_request", "actor: must be a text");
    REFUSED("programs.list", "{'actor':''}", "bad_request", "actor: must be a text");
    REFUSED("programs.list", "{'key_id':'7'}", "bad_request", "key_id: must be a whole number");
    /* An empty body is {}, and actor, key_id (null here) are every request's. */
    ANSWERED("programs.list", "");
    ANSWERED("programs.list", "{'actor':'cli:alice','key_id':null}");
    MUE_ASSERT_INT_EQ(json_array_size(at(last, "programs")), 0);
    MUE_ASSERT_INT_EQ(changed, 0);
}

static void test_without_a_database_a_request_is_unavailable(void)
{
    int ch = 0;
    char *text = lighting_request(NULL, "programs.list", "{}", 2, &ch);
    json_t *a = json_loads(text, 0, NULL);

    free(text);
    MUE_ASSERT(a != NULL);
    MUE_ASSERT_STR_EQ(S(a, "error"), "unavailable");
    MUE_ASSERT_STR_EQ(S(a, "reason"), "the database is unavailable");
    MUE_ASSERT_INT_EQ(ch, 0);
    json_decref(a);
}

static void test_a_program_is_stored_as_canonical_talq_json(void)
{
    json_t *a = ask("program.put", "{'actor':'cli:alice','program':" CP_NIGHT "}");

    MUE_ASSERT(json_object_get(a, "error") == NULL);
    MUE_ASSERT(json_is_true(at(a, "created")));
    MUE_ASSERT_INT_EQ(changed, 1);
    MUE_ASSERT_STR_EQ(S(a, "program.id"), "cp-night");
    MUE_ASSERT_STR_EQ(S(a, "program.type"), "ControlProgramOne");
    MUE_ASSERT(at(a, "program.ownerCMS") == NULL); /* not kept */
    MUE_ASSERT_STR_EQ(S(a, "program.activePeriods.0.startTime"), "18:00:00");
    MUE_ASSERT_STR_EQ(S(a, "program.activePeriods.0.endTime"), "07:00:00");
    MUE_ASSERT_STR_EQ(S(a, "program.fixedTimeControls.3.startTime"), "23:00:00");
    MUE_ASSERT_INT_EQ(I(a, "program.fixedTimeControls.3.command.state.value"), 50);
    MUE_ASSERT_STR_EQ(S(a, "program.updated_by"), "cli:alice");
    MUE_ASSERT_INT_EQ(strlen(S(a, "program.updated_at")), 27); /* 2026-11-29T01:02:03.456789Z */
    MUE_ASSERT_INT_EQ(
        sql_int("SELECT count(*) FROM lighting_program WHERE id = 'cp-night'"
                " AND doc->>'ownerCMS' IS NULL AND doc->>'type' = 'ControlProgramOne'"),
        1);

    /* Again, from the API's key: an update, audited under the key. */
    char body[4096];
    snprintf(body, sizeof(body), "{'actor':'key:ops','key_id':%lld,'program':%s}", key_id,
             CP_NIGHT);
    a = ask("program.put", body);
    MUE_ASSERT(json_is_false(at(a, "created")));
    MUE_ASSERT_STR_EQ(S(a, "program.updated_by"), "key:ops");
    MUE_ASSERT_INT_EQ(changed, 1);
    MUE_ASSERT_INT_EQ(audit_rows("lighting.program.put", "cp-night", "cli:alice"), 1);
    MUE_ASSERT_INT_EQ(audit_rows("lighting.program.put", "cp-night", "key:ops"), 1);
    char query[256];
    snprintf(query, sizeof(query),
             "SELECT count(*) FROM audit_log WHERE actor = 'key:ops' AND key_id = %lld"
             " AND detail->>'created' = 'false' AND detail->'doc'->>'id' = 'cp-night'",
             key_id);
    MUE_ASSERT_INT_EQ(sql_int(query), 1);
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM audit_log WHERE actor = 'cli:alice'"
                              " AND key_id IS NULL AND detail->>'created' = 'true'"),
                      1);

    ANSWERED("program.put", "{'program':" CP_FETE "}");
    MUE_ASSERT_INT_EQ(audit_rows("lighting.program.put", "cp-fete", "unknown"), 1);
    /* A key gone since the API checked it: the change stands, audited under the name alone. */
    ANSWERED("program.put", "{'actor':'key:gone','key_id':999999,'program':" CP_ASTRO "}");
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM audit_log WHERE actor = 'key:gone'"
                              " AND key_id IS NULL AND target = 'cp-astro'"),
                      1);
    ANSWERED("program.put", "{'actor':'cli:alice','program':" CP_SPARE "}");
}

static void test_a_program_is_refused_naming_the_member(void)
{
    long long audits = sql_int("SELECT count(*) FROM audit_log");

    REFUSED("program.put", "{}", "bad_request", "program: missing");
    REFUSED("program.put", "{'program':'cp-x'}", "bad_request", "program: must be a TALQ object");
    REFUSED("program.put", "{'program':{'id':'cp-x','colour':1}}", "bad_request",
            "program: unknown member \"colour\"");
    REFUSED(
        "program.put",
        "{'program':{'id':'cp-x','activePeriods':[{'name':'AbsoluteActivePeriod',"
        "'startTime':'18:00','endTime':'07:00'}],'fixedTimeControls':[" STEP("01:00", 130) "]}}",
        "bad_request", "program.fixedTimeControls[0].command.state.value");
    REFUSED("program.put", "{'program':" CP_SPARE ",'comment':'x'}", "bad_request",
            "unknown member \"comment\"");
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM audit_log"), audits);
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM lighting_program WHERE id = 'cp-x'"), 0);
}

static void test_programs_are_listed_with_who_changed_them(void)
{
    json_t *a = ask("programs.list", "{}");

    MUE_ASSERT_INT_EQ(json_array_size(at(a, "programs")), 4);
    MUE_ASSERT_STR_EQ(S(a, "programs.0.id"), "cp-astro");
    MUE_ASSERT_STR_EQ(S(a, "programs.1.id"), "cp-fete");
    MUE_ASSERT_STR_EQ(S(a, "programs.1.updated_by"), "unknown");
    MUE_ASSERT_STR_EQ(S(a, "programs.2.id"), "cp-night");
    MUE_ASSERT_STR_EQ(S(a, "programs.2.updated_by"), "key:ops");
    MUE_ASSERT(S(a, "programs.2.updated_at") != NULL);
    MUE_ASSERT_INT_EQ(I(a, "programs.2.fixedTimeControls.0.command.state.value"), 30);
    MUE_ASSERT_INT_EQ(changed, 0);
}

static void test_a_calendar_names_only_programs_that_exist(void)
{
    json_t *a;

    REFUSED("calendar.put",
            "{'calendar':{'id':'cal-x','rules':[{'program':'cp-fete'},{'condition':{'type':"
            "'ccHoliday'},'program':'cp-x'}],'defaultProgram':'cp-night'}}",
            "bad_request", "calendar.rules[1].program: no program \"cp-x\"");
    REFUSED("calendar.put", "{'calendar':{'id':'cal-x','defaultProgram':'cp-y'}}", "bad_request",
            "calendar.defaultProgram: no program \"cp-y\"");
    REFUSED("calendar.put", "{'calendar':{'id':'cal x'}}", "bad_request", "calendar.id");
    REFUSED("calendar.put", "{'calendar':{'id':'cal-x','rules':{}}}", "bad_request",
            "calendar.rules");
    REFUSED("calendar.put", "{'calendar':{'id':'cal-x'},'program':{}}", "bad_request",
            "unknown member \"program\"");
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM lighting_calendar"), 0);
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM audit_log WHERE action LIKE '%calendar%'"), 0);

    a = ask("calendar.put", "{'actor':'cli:bob','calendar':" CAL_A "}");
    MUE_ASSERT(json_is_true(at(a, "created")));
    MUE_ASSERT_STR_EQ(S(a, "calendar.id"), "cal-a");
    MUE_ASSERT_STR_EQ(S(a, "calendar.defaultProgram"), "cp-night");
    MUE_ASSERT_STR_EQ(S(a, "calendar.rules.0.program"), "cp-fete");
    MUE_ASSERT_STR_EQ(S(a, "calendar.rules.0.condition.dates.0.start"), "--12-24");
    MUE_ASSERT_STR_EQ(S(a, "calendar.updated_by"), "cli:bob");
    MUE_ASSERT_INT_EQ(changed, 1);
    ANSWERED("calendar.put", "{'actor':'cli:bob','calendar':" CAL_B "}");
    ANSWERED("calendar.put", "{'actor':'cli:bob','calendar':" CAL_B "}");
    MUE_ASSERT(json_is_false(at(last, "created")));
    MUE_ASSERT_INT_EQ(audit_rows("lighting.calendar.put", "cal-b", "cli:bob"), 2);

    a = ask("calendars.list", "{}");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "calendars")), 2);
    MUE_ASSERT_STR_EQ(S(a, "calendars.0.id"), "cal-a");
    MUE_ASSERT_STR_EQ(S(a, "calendars.1.defaultProgram"), "cp-astro");
    MUE_ASSERT_STR_EQ(S(a, "calendars.1.updated_by"), "cli:bob");
}

static void test_a_program_a_calendar_names_is_not_deleted(void)
{
    json_t *a;

    REFUSED("program.delete", "{'id':'cp-night'}", "conflict", "calendar(s) cal-a");
    REFUSED("program.delete", "{'id':'cp-fete'}", "conflict", "calendar(s) cal-a");
    REFUSED("program.delete", "{'id':'cp-astro'}", "conflict", "calendar(s) cal-b");
    REFUSED("program.delete", "{'id':'cp-gone'}", "not_found", "no program \"cp-gone\"");
    REFUSED("program.delete", "{'id':'a b'}", "bad_request", "id: \"a b\" is not an id");
    REFUSED("program.delete", "{}", "bad_request", "id: missing");
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM lighting_program"), 4);

    a = ask("program.delete", "{'actor':'cli:alice','id':'cp-spare'}");
    MUE_ASSERT_STR_EQ(S(a, "deleted"), "cp-spare");
    MUE_ASSERT_INT_EQ(changed, 0); /* no calendar named it: no lamp moves */
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM audit_log WHERE action ="
                              " 'lighting.program.delete' AND target = 'cp-spare' AND actor ="
                              " 'cli:alice' AND detail->'doc'->>'id' = 'cp-spare'"),
                      1);
    REFUSED("program.delete", "{'id':'cp-spare'}", "not_found", "no program");
}

static void test_a_group_is_assigned_a_calendar(void)
{
    json_t *a;

    REFUSED("assignment.put", "{'group':'rue-z','calendar':'cal-a'}", "not_found",
            "no group \"rue-z\"");
    REFUSED("assignment.put", "{'group':'Rue A','calendar':'cal-a'}", "bad_request",
            "group: \"Rue A\" is not a group name");
    REFUSED("assignment.put", "{'group':'rue-a','calendar':'cal-z'}", "bad_request",
            "calendar: no calendar \"cal-z\"");
    REFUSED("assignment.put", "{'group':'rue-a'}", "bad_request", "calendar: missing");
    REFUSED("assignment.put", "{'group':'rue-a','calendar':'cal-a','priority':500}", "bad_request",
            "priority: must be a whole number from -100 to 100");
    REFUSED("assignment.put", "{'group':'rue-a','calendar':'cal-a','priority':1.5}", "bad_request",
            "priority:");
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM lighting_assignment"), 0);

    a = ask("assignment.put", "{'actor':'cli:carol','group':'rue-a','calendar':'cal-b'}");
    MUE_ASSERT_STR_EQ(S(a, "assignment.calendar"), "cal-b");
    MUE_ASSERT_INT_EQ(changed, 1);
    a = ask("assignment.put",
            "{'actor':'cli:carol','group':'rue-a','calendar':'cal-a','priority':5}");
    MUE_ASSERT_STR_EQ(S(a, "assignment.group"), "rue-a");
    MUE_ASSERT_STR_EQ(S(a, "assignment.calendar"), "cal-a");
    MUE_ASSERT_INT_EQ(I(a, "assignment.priority"), 5);
    /* Lamp A and the cabinet: the inactive lamp and the sonometer are no lamps. */
    MUE_ASSERT_INT_EQ(I(a, "assignment.lamps"), 2);
    MUE_ASSERT_STR_EQ(S(a, "assignment.assigned_by"), "cli:carol");
    MUE_ASSERT(S(a, "assignment.assigned_at") != NULL);
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM audit_log WHERE action ="
                              " 'lighting.assignment.put' AND target = 'rue-a' AND actor ="
                              " 'cli:carol' AND detail->>'calendar' = 'cal-a' AND"
                              " detail->'previous'->>'calendar' = 'cal-b'"),
                      1);
    ANSWERED("assignment.put", "{'group':'rue-b','calendar':'cal-b'}");
    ANSWERED("assignment.put", "{'group':'vide','calendar':'cal-b','priority':-3}");

    a = ask("assignments.list", "{}");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "assignments")), 3);
    MUE_ASSERT_STR_EQ(S(a, "assignments.0.group"), "rue-a");
    MUE_ASSERT_INT_EQ(I(a, "assignments.0.lamps"), 2);
    MUE_ASSERT_STR_EQ(S(a, "assignments.1.group"), "rue-b");
    MUE_ASSERT_INT_EQ(I(a, "assignments.1.lamps"), 1);
    MUE_ASSERT_STR_EQ(S(a, "assignments.2.group"), "vide");
    MUE_ASSERT_INT_EQ(I(a, "assignments.2.priority"), -3);
    MUE_ASSERT_INT_EQ(I(a, "assignments.2.lamps"), 0);

    REFUSED("calendar.delete", "{'id':'cal-b'}", "conflict",
            "calendar \"cal-b\" is assigned to group(s) rue-b, vide");
    REFUSED("calendar.delete", "{'id':'cal-z'}", "not_found", "no calendar \"cal-z\"");

    a = ask("assignment.delete", "{'actor':'cli:carol','group':'vide'}");
    MUE_ASSERT_STR_EQ(S(a, "deleted"), "vide");
    MUE_ASSERT_INT_EQ(changed, 1);
    MUE_ASSERT_INT_EQ(audit_rows("lighting.assignment.delete", "vide", "cli:carol"), 1);
    REFUSED("assignment.delete", "{'group':'vide'}", "not_found", "group \"vide\" has no");
}

static void test_a_calendar_no_group_uses_is_deleted(void)
{
    json_t *a;

    ANSWERED("program.put", "{'program':" CP_SPARE "}");
    ANSWERED("calendar.put", "{'calendar':{'id':'cal-spare','defaultProgram':'cp-spare'}}");
    a = ask("calendar.delete", "{'actor':'cli:bob','id':'cal-spare'}");
    MUE_ASSERT_STR_EQ(S(a, "deleted"), "cal-spare");
    MUE_ASSERT_INT_EQ(audit_rows("lighting.calendar.delete", "cal-spare", "cli:bob"), 1);
    /* Now nothing names it. */
    ANSWERED("program.delete", "{'id':'cp-spare'}");
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM lighting_calendar"), 2);
}

/* 2026-12-22 in Marseille: sunrise 08:07:58, sunset 17:06:12 (PyEphem, refs_2026.tsv), 08:08 and
 * 17:06 to the minute. The night program, and 80 % from 20:00 to 21:00 by an override of the
 * street: 00:00-01:00 at 50 (the 23:00 step of the day wraps), 01:00-05:30 at 30, 05:30-07:00 at
 * 100, off until 18:00, 100, 80 from 20:00, 100 from 21:00, 50 from 23:00:
 * 3000 + 8100 + 9000 + 12000 + 4800 + 12000 + 3000 = 51900 level-minutes; at 60 W,
 * 60 * 51900 / 100 / 60 = 519 Wh. Full power from sunset to sunrise: 488 + (1440 - 1026) = 902
 * minutes, 902 Wh. */
static void test_the_plan_of_a_lamp_on_a_winter_day(void)
{
    static const struct {
        const char *time;
        int level;
    } want[] = { { "00:00", 50 },  { "01:00", 30 }, { "05:30", 100 }, { "07:00", 0 },
                 { "18:00", 100 }, { "20:00", 80 }, { "21:00", 100 }, { "23:00", 50 } };
    json_t *a;

    sql_do("INSERT INTO lighting_override (group_name, level, starts_at, expires_at, reason)"
           " VALUES ('rue-a', 80, '2026-12-22 19:00Z', '2026-12-22 20:00Z', 'event')");
    a = ask("plan", "{'dev_eui':'" LAMP_A "','date':'2026-12-22'}");
    MUE_ASSERT(json_object_get(a, "error") == NULL);
    MUE_ASSERT_STR_EQ(S(a, "dev_eui"), LAMP_A);
    MUE_ASSERT_STR_EQ(S(a, "date"), "2026-12-22");
    MUE_ASSERT_STR_EQ(S(a, "calendar"), "cal-a");
    MUE_ASSERT_STR_EQ(S(a, "group"), "rue-a");
    MUE_ASSERT_STR_EQ(S(a, "program"), "cp-night");
    MUE_ASSERT_STR_EQ(S(a, "sunrise"), "08:08");
    MUE_ASSERT_STR_EQ(S(a, "sunset"), "17:06");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "levels")), 8);
    for (size_t i = 0; i < 8; i++) {
        char path[32];

        snprintf(path, sizeof(path), "levels.%zu.time", i);
        MUE_ASSERT_STR_EQ(S(a, path), want[i].time);
        snprintf(path, sizeof(path), "levels.%zu.level", i);
        MUE_ASSERT_INT_EQ(I(a, path), want[i].level);
    }
    MUE_ASSERT_DBL_NEAR(R(a, "energy.planned_wh"), 519.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(R(a, "energy.full_wh"), 902.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(R(a, "energy.saving_wh"), 383.0, 1e-9);
    MUE_ASSERT_INT_EQ(changed, 0);

    /* Christmas Eve takes the feast for its 24 hours: 100 % to 07:00 and from 18:00,
     * (420 + 360) * 100 level-minutes = 780 Wh. */
    a = ask("plan", "{'dev_eui':'" LAMP_A "','date':'2026-12-24'}");
    MUE_ASSERT_STR_EQ(S(a, "program"), "cp-fete");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "levels")), 3);
    MUE_ASSERT_STR_EQ(S(a, "levels.1.time"), "07:00");
    MUE_ASSERT_INT_EQ(I(a, "levels.1.level"), 0);
    MUE_ASSERT_DBL_NEAR(R(a, "energy.planned_wh"), 780.0, 1e-9);
}

/* The clocks go back on 2026-10-25: 02:00-02:59 comes twice, at 30 %: 53100 + 60 * 30 = 54900
 * level-minutes, 549 Wh at 60 W; they go forward on 2026-03-29: 53100 - 1800 = 51300, 513 Wh. */
static void test_the_plan_counts_real_minutes_on_clock_change_days(void)
{
    json_t *a = ask("plan", "{'dev_eui':'" LAMP_A "','date':'2026-10-25'}");

    MUE_ASSERT_DBL_NEAR(R(a, "energy.planned_wh"), 549.0, 1e-9);
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "levels")), 6);
    a = ask("plan", "{'dev_eui':'" LAMP_A "','date':'2026-03-29'}");
    MUE_ASSERT_DBL_NEAR(R(a, "energy.planned_wh"), 513.0, 1e-9);
    MUE_ASSERT_STR_EQ(S(a, "levels.1.time"), "01:00");
    MUE_ASSERT_STR_EQ(S(a, "levels.2.time"), "05:30");
    /* The energy request counts them alike; the cabinet (1000 W) adds 9150 and 8550 Wh. */
    a = ask("energy", "{'group':'rue-a','from':'2026-10-25','to':'2026-10-25'}");
    MUE_ASSERT_DBL_NEAR(R(a, "days.0.planned_wh"), 549.0 + 9150.0, 1e-9);
    a = ask("energy", "{'group':'rue-a','from':'2026-03-29','to':'2026-03-29'}");
    MUE_ASSERT_DBL_NEAR(R(a, "days.0.planned_wh"), 513.0 + 8550.0, 1e-9);
}

static void test_the_plan_of_a_group_lists_its_lamps(void)
{
    json_t *a = ask("plan", "{'group':'rue-a','date':'2026-12-22'}");

    MUE_ASSERT(json_object_get(a, "error") == NULL);
    MUE_ASSERT_STR_EQ(S(a, "group"), "rue-a");
    MUE_ASSERT_STR_EQ(S(a, "date"), "2026-12-22");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "lamps")), 2);
    MUE_ASSERT_STR_EQ(S(a, "lamps.0.dev_eui"), LAMP_A);
    MUE_ASSERT_STR_EQ(S(a, "lamps.0.program"), "cp-night");
    MUE_ASSERT_DBL_NEAR(R(a, "lamps.0.energy.planned_wh"), 519.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(R(a, "lamps.0.energy.full_wh"), 902.0, 1e-9);
    /* The cabinet: ten 100 W lamps, 1000 W. */
    MUE_ASSERT_STR_EQ(S(a, "lamps.1.dev_eui"), CABINET);
    MUE_ASSERT_DBL_NEAR(R(a, "lamps.1.energy.planned_wh"), 8650.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(R(a, "lamps.1.energy.full_wh"), 15033.33, 1e-9);
    MUE_ASSERT_DBL_NEAR(R(a, "energy.planned_wh"), 9169.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(R(a, "energy.full_wh"), 15935.33, 1e-9);

    REFUSED("plan", "{'group':'rue-z','date':'2026-12-22'}", "not_found", "no group \"rue-z\"");
    REFUSED("plan", "{'dev_eui':'" NOT_LAMP "','date':'2026-12-22'}", "not_found",
            "no active lighting device");
    REFUSED("plan", "{'dev_eui':'" LAMP_D "','date':'2026-12-22'}", "not_found",
            "no active lighting device");
    REFUSED("plan", "{'dev_eui':'" NOISE "','date':'2026-12-22'}", "not_found",
            "no active lighting device");
    REFUSED("plan", "{'dev_eui':'xyz','date':'2026-12-22'}", "bad_request", "dev_eui:");
    REFUSED("plan", "{'dev_eui':'" LAMP_A "','date':'2026-02-30'}", "bad_request",
            "date: 2026-02-30 is not a day");
    REFUSED("plan", "{'dev_eui':'" LAMP_A "','date':'22/12/2026'}", "bad_request",
            "date: \"22/12/2026\" is not a date");
    REFUSED("plan", "{'dev_eui':'" LAMP_A "'}", "bad_request", "date: missing");
    REFUSED("plan", "{'date':'2026-12-22'}", "bad_request", "dev_eui or group: missing");
    REFUSED("plan", "{'dev_eui':'" LAMP_A "','group':'rue-a','date':'2026-12-22'}", "bad_request",
            "not both");
}

/* The local date of now + 'days' days, and the instant of its 'hour':00. */
static void local_day(int days, char date[11], int hour, char *when, size_t cap)
{
    int64_t now = mue_time_now_us() / 1000000;
    int64_t day = mue_localtime_day(now) + days;
    int y, m, d;

    mue_localtime_civil_from_days(day, &y, &m, &d);
    char text[40];

    snprintf(text, sizeof(text), "%04d-%02d-%02d", y, m, d);
    snprintf(date, 11, "%.10s", text);
    mue_time_format(mue_localtime_to_utc(y, m, d, hour, 0, 0) * 1000000, when, cap);
}

static void test_an_override_is_created_seen_in_the_plan_and_cancelled(void)
{
    char date[11], noon[40], body[1024], plan[128];
    json_t *a;
    double planned;
    long long id;

    local_day(1, date, 12, noon, sizeof(noon));
    snprintf(plan, sizeof(plan), "{'dev_eui':'" LAMP_A "','date':'%s'}", date);
    snprintf(body, sizeof(body),
             "{'actor':'cli:dave','dev_euis':['" LAMP_A "','70B3D5E75E000201'],'level':70,"
             "'starts_at':'%s','duration_s':3600,'priority':10,'reason':'maintenance',"
             "'comment':'relamping'}",
             noon);
    a = ask("override.create", body);
    MUE_ASSERT(json_object_get(a, "error") == NULL);
    MUE_ASSERT_INT_EQ(changed, 1);
    id = I(a, "override.id");
    MUE_ASSERT(id > 0);
    MUE_ASSERT(json_is_null(at(a, "override.group")));
    MUE_ASSERT_STR_EQ(S(a, "override.dev_euis.0"), LAMP_A);
    MUE_ASSERT_STR_EQ(S(a, "override.dev_euis.1"), CABINET);
    MUE_ASSERT_INT_EQ(I(a, "override.level"), 70);
    MUE_ASSERT_INT_EQ(I(a, "override.priority"), 10);
    MUE_ASSERT_STR_EQ(S(a, "override.reason"), "maintenance");
    MUE_ASSERT_STR_EQ(S(a, "override.comment"), "relamping");
    MUE_ASSERT_STR_EQ(S(a, "override.created_by"), "cli:dave");
    MUE_ASSERT(json_is_null(at(a, "override.cancelled_at")));
    MUE_ASSERT(json_is_null(at(a, "override.cancelled_by")));
    int64_t s_us, e_us;
    MUE_ASSERT_INT_EQ(mue_time_parse(S(a, "override.starts_at"), &s_us), 0);
    MUE_ASSERT_INT_EQ(mue_time_parse(S(a, "override.expires_at"), &e_us), 0);
    MUE_ASSERT_INT_EQ(e_us - s_us, 3600LL * 1000000);
    char target[24];
    snprintf(target, sizeof(target), "%lld", id);
    MUE_ASSERT_INT_EQ(audit_rows("lighting.override.create", target, "cli:dave"), 1);

    /* Off at noon by its program; 70 % for the hour. */
    a = ask("plan", plan);
    planned = R(a, "energy.planned_wh");
    bool seen = false;
    for (size_t i = 0; i < json_array_size(at(a, "levels")); i++) {
        json_t *l = json_array_get(at(a, "levels"), i);
        if (strcmp(S(l, "time"), "12:00") == 0) {
            MUE_ASSERT_INT_EQ(I(l, "level"), 70);
            MUE_ASSERT_STR_EQ(S(json_array_get(at(a, "levels"), i + 1), "time"), "13:00");
            MUE_ASSERT_INT_EQ(I(json_array_get(at(a, "levels"), i + 1), "level"), 0);
            seen = true;
        }
    }
    MUE_ASSERT(seen);

    /* The street's override of 2026-12-22 is to come until then. */
    int dec22 = mue_time_now_us() < mue_localtime_to_utc(2026, 12, 22, 21, 0, 0) * 1000000;
    a = ask("overrides.list", "{'active':true}");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "overrides")), 1 + dec22);
    MUE_ASSERT_INT_EQ(I(a, "overrides.0.id"), id);

    snprintf(body, sizeof(body), "{'actor':'cli:erin','id':%lld}", id);
    a = ask("override.cancel", body);
    MUE_ASSERT(json_object_get(a, "error") == NULL);
    MUE_ASSERT_INT_EQ(changed, 1);
    MUE_ASSERT_STR_EQ(S(a, "override.cancelled_by"), "cli:erin");
    MUE_ASSERT(S(a, "override.cancelled_at") != NULL);
    MUE_ASSERT_INT_EQ(audit_rows("lighting.override.cancel", target, "cli:erin"), 1);
    /* The plan without it: an hour at 70 % on a 60 W lamp is 60 * 70 * 60 / 6000 = 42 Wh. */
    a = ask("plan", plan);
    MUE_ASSERT_DBL_NEAR(planned - R(a, "energy.planned_wh"), 42.0, 1e-9);
    REFUSED("override.cancel", body, "conflict", "was already cancelled at");
    REFUSED("override.cancel", "{'id':987654}", "not_found", "no override 987654");
    REFUSED("override.cancel", "{'id':'1'}", "bad_request", "id: must be a whole number");

    long long old = sql_int("INSERT INTO lighting_override (group_name, level, starts_at,"
                            " expires_at, reason) VALUES ('rue-b', 0, '2026-01-01 10:00Z',"
                            " '2026-01-01 11:00Z', 'other') RETURNING id");
    snprintf(body, sizeof(body), "{'id':%lld}", old);
    REFUSED("override.cancel", body, "conflict", "expired at 2026-01-01T11:00:00.000000Z");

    /* Newest first; active: in force or to come and not cancelled. */
    a = ask("overrides.list", "{}");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "overrides")), 3);
    MUE_ASSERT_INT_EQ(I(a, "overrides.0.id"), old);
    MUE_ASSERT_INT_EQ(I(a, "overrides.1.id"), id);
    MUE_ASSERT_STR_EQ(S(a, "overrides.2.group"), "rue-a");
    MUE_ASSERT(json_is_null(at(a, "overrides.2.dev_euis")));
    a = ask("overrides.list", "{'active':false}");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "overrides")), 3 - dec22);
    MUE_ASSERT_INT_EQ(I(a, "overrides.0.id"), old);
    a = ask("overrides.list", "{'active':true}");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "overrides")), dec22);
    a = ask("overrides.list", "{'limit':1}");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "overrides")), 1);
    REFUSED("overrides.list", "{'active':'yes'}", "bad_request", "active: must be true or false");
}

static void test_an_override_is_refused_naming_what_is_wrong(void)
{
    char later[40], date[11], b[1024];
    long long audits = sql_int("SELECT count(*) FROM audit_log");

    local_day(1, date, 12, later, sizeof(later));
#define OVR(rest) "{'level':50,'reason':'event','duration_s':600," rest "}"
    REFUSED("override.create", OVR("'group':'rue-z'"), "bad_request", "group: no group \"rue-z\"");
    REFUSED("override.create", OVR("'group':'rue-a','dev_euis':['" LAMP_A "']"), "bad_request",
            "give group or dev_euis, not both");
    REFUSED("override.create", OVR("'priority':1"), "bad_request", "group or dev_euis: missing");
    REFUSED("override.create", OVR("'dev_euis':[]"), "bad_request",
            "dev_euis: must be an array of 1 to 1000");
    REFUSED("override.create", OVR("'dev_euis':['" LAMP_A "','zz']"), "bad_request",
            "dev_euis[1]: not a DevEUI");
    REFUSED("override.create", OVR("'dev_euis':['" LAMP_A "','70B3D5E75E000101']"), "bad_request",
            "dev_euis[1]: " LAMP_A " is listed twice");
    REFUSED("override.create", OVR("'dev_euis':['" LAMP_A "','" NOT_LAMP "']"), "bad_request",
            "dev_euis[1]: no active lighting device " NOT_LAMP);
    REFUSED("override.create", OVR("'dev_euis':['" LAMP_D "']"), "bad_request",
            "dev_euis[0]: no active lighting device " LAMP_D);
    REFUSED("override.create", OVR("'dev_euis':['" NOISE "']"), "bad_request",
            "dev_euis[0]: no active lighting device " NOISE);
    REFUSED("override.create", OVR("'group':'rue-a','colour':'red'"), "bad_request",
            "unknown member \"colour\"");
    REFUSED("override.create", "{'group':'rue-a','level':101,'reason':'event','duration_s':600}",
            "bad_request", "level: must be a whole number from 0 to 100");
    REFUSED("override.create", "{'group':'rue-a','reason':'event','duration_s':600}", "bad_request",
            "level: missing");
    REFUSED("override.create", "{'group':'rue-a','level':5,'reason':'party','duration_s':600}",
            "bad_request", "reason: event, maintenance, emergency or other, not \"party\"");
    REFUSED("override.create", "{'group':'rue-a','level':5,'duration_s':600}", "bad_request",
            "reason: missing");
    REFUSED("override.create", "{'group':'rue-a','level':5,'reason':'other','duration_s':59}",
            "bad_request", "duration_s: must be a whole number from 60 to 2678400");
    REFUSED("override.create", "{'group':'rue-a','level':5,'reason':'other'}", "bad_request",
            "expires_at or duration_s: missing");
    REFUSED("override.create", OVR("'group':'rue-a','priority':101"), "bad_request",
            "priority: must be a whole number from -100 to 100");
    REFUSED("override.create", OVR("'group':'rue-a','starts_at':'tomorrow'"), "bad_request",
            "starts_at: \"tomorrow\" is not an RFC 3339 time");
    snprintf(b, sizeof(b),
             "{'group':'rue-a','level':5,'reason':'other','duration_s':600,'expires_at':'%s'}",
             later);
    REFUSED("override.create", b, "bad_request", "give expires_at or duration_s, not both");
    snprintf(b, sizeof(b),
             "{'group':'rue-a','level':5,'reason':'other','starts_at':'%s','expires_at':'%s'}",
             later, later);
    REFUSED("override.create", b, "bad_request", "expires_at: must come after starts_at");
    REFUSED("override.create",
            "{'group':'rue-a','level':5,'reason':'other','starts_at':'2019-12-31T23:00:00Z',"
            "'expires_at':'2020-01-01T00:00:00Z'}",
            "bad_request", "expires_at: already past");
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM audit_log"), audits);
#undef OVR

    /* From now, by default, to expires_at; for a group. */
    snprintf(b, sizeof(b), "{'group':'rue-b','level':0,'reason':'emergency','expires_at':'%s'}",
             later);
    ANSWERED("override.create", b);
    MUE_ASSERT_STR_EQ(S(last, "override.group"), "rue-b");
    MUE_ASSERT_STR_EQ(S(last, "override.created_by"), "unknown");
    MUE_ASSERT_STR_EQ(S(last, "override.comment"), "");
    MUE_ASSERT_INT_EQ(I(last, "override.priority"), 0);
    /* starts_at is now, to the second. */
    int64_t s_us;
    MUE_ASSERT_INT_EQ(mue_time_parse(S(last, "override.starts_at"), &s_us), 0);
    MUE_ASSERT_INT_EQ(s_us % 1000000, 0);
    MUE_ASSERT(s_us <= mue_time_now_us() && s_us > mue_time_now_us() - 60LL * 1000000);
    snprintf(b, sizeof(b), "{'id':%lld}", (long long)I(last, "override.id"));
    ANSWERED("override.cancel", b);
}

static void test_commands_are_listed_newest_first(void)
{
    json_t *a;

    sql_do("INSERT INTO lighting_command (device_id, key, f_port, payload, state, attempts,"
           " acknowledged_at) SELECT id, 'nas.profile.1', 50, '\\x01ff0A'::bytea, 'acknowledged',"
           " 1, '2026-11-01 10:00Z' FROM device WHERE dev_eui = '" LAMP_A "'");
    sql_do("INSERT INTO lighting_command (device_id, key, f_port, payload) SELECT id, 'nas.dim',"
           " 50, '\\x02'::bytea FROM device WHERE dev_eui = '" LAMP_A "'");
    sql_do("INSERT INTO lighting_command (device_id, key, f_port, payload, reason, state) SELECT"
           " id, 'ws558.task.7', 85, '\\xaabb'::bytea, 'no answer', 'failed' FROM device"
           " WHERE dev_eui = '" CABINET "'");

    a = ask("commands", "{}");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "commands")), 3);
    MUE_ASSERT_STR_EQ(S(a, "commands.0.key"), "ws558.task.7");
    MUE_ASSERT_STR_EQ(S(a, "commands.0.dev_eui"), CABINET);
    MUE_ASSERT_STR_EQ(S(a, "commands.0.payload"), "aabb");
    MUE_ASSERT_STR_EQ(S(a, "commands.0.state"), "failed");
    MUE_ASSERT_STR_EQ(S(a, "commands.0.reason"), "no answer");
    MUE_ASSERT_INT_EQ(I(a, "commands.0.f_port"), 85);
    MUE_ASSERT(json_is_null(at(a, "commands.0.acknowledged_at")));
    MUE_ASSERT_STR_EQ(S(a, "commands.2.payload"), "01ff0a");
    MUE_ASSERT_STR_EQ(S(a, "commands.2.acknowledged_at"), "2026-11-01T10:00:00.000000Z");
    MUE_ASSERT_INT_EQ(I(a, "commands.2.attempts"), 1);
    MUE_ASSERT(S(a, "commands.2.created_at") != NULL && S(a, "commands.2.updated_at") != NULL);
    MUE_ASSERT(I(a, "commands.0.id") > I(a, "commands.1.id"));

    a = ask("commands", "{'dev_eui':'70B3D5E75E000101'}");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "commands")), 2);
    MUE_ASSERT_STR_EQ(S(a, "commands.0.key"), "nas.dim");
    a = ask("commands", "{'dev_eui':'" LAMP_A "','state':'acknowledged'}");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "commands")), 1);
    a = ask("commands", "{'limit':1}");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "commands")), 1);
    MUE_ASSERT_STR_EQ(S(a, "commands.0.key"), "ws558.task.7");
    a = ask("commands", "{'dev_eui':'" NOT_LAMP "'}");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "commands")), 0);

    REFUSED("commands", "{'state':'lost'}", "bad_request", "state: pending, queued");
    REFUSED("commands", "{'limit':0}", "bad_request",
            "limit: must be a whole number from 1 to 1000");
    REFUSED("commands", "{'limit':1001}", "bad_request", "limit:");
    REFUSED("commands", "{'dev_eui':'0102'}", "bad_request", "dev_eui:");
}

/* rue-a over 2026-12-05 to 07, three days whose sunrise and sunset (refs_2026.tsv: 07:54:57 and
 * 17:03:01, 07:55:57 and 17:02:53, 07:56:55 and 17:02:47) are 07:55/17:03, 07:56/17:03 and
 * 07:57/17:03 to the minute: nights of 475 + 417 = 892, 893 and 894 minutes. Lamp A (60 W) and
 * the cabinet (1000 W) on the night program: 53100 level-minutes a day, 531 + 8850 = 9381 Wh;
 * on the 6th an override at 80 % from 20:00 to 21:00 takes 1200 level-minutes off:
 * 51900 -> 519 + 8650 = 9169 Wh. Full: 1060 W times the night. */
static void test_energy_of_a_group_over_three_days(void)
{
    static const struct {
        const char *date;
        double planned, full, measured; /* measured < 0: null */
    } want[] = {
        { "2026-12-05", 9381.0, 1060.0 * 892 / 60, 9000.0 },
        { "2026-12-06", 9169.0, 1060.0 * 893 / 60, 520.0 },
        { "2026-12-07", 9381.0, 1060.0 * 894 / 60, -1 },
    };
    json_t *a;

    sql_do("INSERT INTO lighting_override (group_name, level, starts_at, expires_at, reason)"
           " VALUES ('rue-a', 80, '2026-12-06 19:00Z', '2026-12-06 20:00Z', 'event')");
    /* Counters in kWh: lamp A 10.0 -> 10.5 and the cabinet 100 -> 108.5 on the 5th; lamp A
     * alone on the 6th; on the 7th only another quantity, a lamp of another street and the
     * inactive lamp. */
#define ROLLUP(eui, q, day, first, last)                                                           \
    "INSERT INTO rollup_day (device_id, quantity, day, count, sum, min, max, first_time,"          \
    " first_value, last_time, last_value) SELECT id, '" q "', '" day "', 2, " #first " + " #last   \
    ", " #first ", " #last ", '" day " 00:10Z', " #first ", '" day " 22:00Z', " #last              \
    " FROM device WHERE dev_eui = '" eui "'"
    sql_do(ROLLUP(LAMP_A, "energy", "2026-12-05", 10.0, 10.5));
    sql_do(ROLLUP(CABINET, "energy", "2026-12-05", 100.0, 108.5));
    sql_do(ROLLUP(LAMP_A, "energy", "2026-12-06", 10.5, 11.02));
    sql_do(ROLLUP(LAMP_A, "power", "2026-12-07", 10.0, 90.0));
    sql_do(ROLLUP(LAMP_B, "energy", "2026-12-07", 1.0, 2.0));
    sql_do(ROLLUP(LAMP_D, "energy", "2026-12-07", 1.0, 2.0));
#undef ROLLUP

    a = ask("energy", "{'group':'rue-a','from':'2026-12-05','to':'2026-12-07'}");
    MUE_ASSERT(json_object_get(a, "error") == NULL);
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "days")), 3);
    for (size_t i = 0; i < 3; i++) {
        json_t *d = json_array_get(at(a, "days"), i);

        MUE_ASSERT_STR_EQ(S(d, "date"), want[i].date);
        MUE_ASSERT_STR_EQ(S(d, "group"), "rue-a");
        MUE_ASSERT_INT_EQ(I(d, "lamps"), 2);
        MUE_ASSERT_DBL_NEAR(R(d, "planned_wh"), want[i].planned, 1e-9);
        MUE_ASSERT_DBL_NEAR(R(d, "full_wh"), want[i].full, 0.005 + 1e-9);
        MUE_ASSERT_DBL_NEAR(R(d, "saving_wh"), want[i].full - want[i].planned, 0.005 + 1e-9);
        if (want[i].measured < 0)
            MUE_ASSERT(json_is_null(at(d, "measured_wh")));
        else
            MUE_ASSERT_DBL_NEAR(R(d, "measured_wh"), want[i].measured, 1e-9);
    }

    /* Every assigned group, day by day. */
    a = ask("energy", "{'from':'2026-12-07','to':'2026-12-07'}");
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "days")), 2);
    MUE_ASSERT_STR_EQ(S(a, "days.0.group"), "rue-a");
    MUE_ASSERT_STR_EQ(S(a, "days.1.group"), "rue-b");
    MUE_ASSERT_INT_EQ(I(a, "days.1.lamps"), 1);
    MUE_ASSERT_DBL_NEAR(R(a, "days.1.measured_wh"), 1000.0, 1e-9);
    /* A group that drives nothing still answers when named. */
    a = ask("energy", "{'group':'vide','from':'2026-12-07','to':'2026-12-07'}");
    MUE_ASSERT_INT_EQ(I(a, "days.0.lamps"), 0);
    MUE_ASSERT_DBL_NEAR(R(a, "days.0.planned_wh"), 0.0, 1e-9);
    MUE_ASSERT(json_is_null(at(a, "days.0.measured_wh")));

    REFUSED("energy", "{'group':'rue-z','from':'2026-12-05','to':'2026-12-07'}", "not_found",
            "no group \"rue-z\"");
    REFUSED("energy", "{'from':'2026-12-07','to':'2026-12-05'}", "bad_request",
            "to: comes before from");
    REFUSED("energy", "{'from':'2026-01-01','to':'2027-01-02'}", "bad_request",
            "367 days, at most 366");
    REFUSED("energy", "{'from':'2026-12-07'}", "bad_request", "to: missing");
    REFUSED("energy", "{'from':'2026-13-01','to':'2026-12-07'}", "bad_request", "from:");
}

/* The energy request's day-at-a-time arithmetic against the plan's minute by minute (lamp_load
 * and light_energy), on a solar program with a ramp, across both clock changes, with and without
 * overrides, for a lamp in two assigned groups. */
static void test_energy_equals_the_plan_day_by_day(void)
{
    static const char *const spans[][2] = { { "2026-03-27", "2026-03-30" },
                                            { "2026-10-24", "2026-10-27" },
                                            { "2026-12-05", "2026-12-07" } };
    char body[256];
    json_t *e;

    /* Lamp A in quartier too, of higher priority: it follows cal-b (solar) from now on. */
    ANSWERED("assignment.put", "{'group':'quartier','calendar':'cal-b','priority':10}");
    sql_do("INSERT INTO lighting_override (device_ids, level, starts_at, expires_at, reason)"
           " SELECT ARRAY[id], 10, '2026-10-25 00:30Z', '2026-10-25 01:30Z', 'other' FROM device"
           " WHERE dev_eui = '" LAMP_A "'");
    for (size_t s = 0; s < sizeof(spans) / sizeof(spans[0]); s++) {
        snprintf(body, sizeof(body), "{'group':'quartier','from':'%s','to':'%s'}", spans[s][0],
                 spans[s][1]);
        e = json_incref(ask("energy", body));
        for (size_t i = 0; i < json_array_size(at(e, "days")); i++) {
            json_t *d = json_array_get(at(e, "days"), i);
            double planned = 0, full = 0;
            const char *lamps[] = { LAMP_A, LAMP_B };

            for (int k = 0; k < 2; k++) {
                snprintf(body, sizeof(body), "{'dev_eui':'%s','date':'%s'}", lamps[k],
                         S(d, "date"));
                json_t *p = ask("plan", body);
                MUE_ASSERT_STR_EQ(S(p, "calendar"), "cal-b");
                MUE_ASSERT_STR_EQ(S(p, "group"), "quartier");
                MUE_ASSERT_STR_EQ(S(p, "program"), "cp-astro");
                planned += R(p, "energy.planned_wh");
                full += R(p, "energy.full_wh");
            }
            MUE_ASSERT_INT_EQ(I(d, "lamps"), 2);
            /* Equal to the bit before each answer rounds to the hundredth. */
            MUE_ASSERT_DBL_NEAR(R(d, "planned_wh"), planned, 0.016);
            MUE_ASSERT_DBL_NEAR(R(d, "full_wh"), full, 0.016);
        }
        json_decref(e);
    }
    /* And the group's plan equals its lamps' plans. */
    snprintf(body, sizeof(body), "{'dev_eui':'%s','date':'2026-10-25'}", LAMP_A);
    double a_planned = R(ask("plan", body), "energy.planned_wh");
    e = ask("plan", "{'group':'quartier','date':'2026-10-25'}");
    MUE_ASSERT_STR_EQ(S(e, "lamps.0.program"), "cp-astro");
    MUE_ASSERT_DBL_NEAR(R(e, "lamps.0.energy.planned_wh"), a_planned, 1e-9);
    ANSWERED("assignment.delete", "{'group':'quartier'}");
}

/* A year of a street of a hundred lamps, each at its own place (so each its own sun). */
static void test_a_year_of_a_hundred_lamps_answers_within_a_second(void)
{
    long long t0, ms;
    json_t *a;

    sql_do("INSERT INTO device (dev_eui, name, model, use_case, latitude, longitude, params)"
           " SELECT '70b3d5e75e10' || lpad(to_hex(i), 4, '0'), 'lamp ' || i, 'nas-ul2030',"
           " 'lighting', 43.2 + i * 0.002, 5.3 + i * 0.003, '{\"lamp_power_w\": 40}'"
           " FROM generate_series(1, 100) i");
    sql_do("INSERT INTO device_group (name) VALUES ('avenue')");
    sql_do("INSERT INTO device_group_member (group_name, device_id) SELECT 'avenue', id FROM"
           " device WHERE dev_eui LIKE '70b3d5e75e10%'");
    ANSWERED("assignment.put", "{'group':'avenue','calendar':'cal-b'}");
    t0 = mono_ms();
    a = ask("energy", "{'group':'avenue','from':'2026-01-01','to':'2026-12-31'}");
    ms = mono_ms() - t0;
    fprintf(stderr, "  energy of 100 lamps over 2026: %lld ms\n", ms);
    MUE_ASSERT_INT_EQ(json_array_size(at(a, "days")), 365);
    MUE_ASSERT_INT_EQ(I(a, "days.0.lamps"), 100);
    MUE_ASSERT(R(a, "days.0.planned_wh") > 0 && R(a, "days.0.full_wh") > R(a, "days.0.planned_wh"));
#if defined(__SANITIZE_ADDRESS__)
    MUE_ASSERT(ms < 5000); /* sanitizers slow everything down several times */
#else
    MUE_ASSERT(ms < 1000);
#endif
}

/* A year of every assigned group would not fit in a bus message: asked for by group instead. */
static void test_an_energy_answer_too_big_for_the_bus_is_refused(void)
{
    sql_do("INSERT INTO device_group (name) SELECT 'g' || i FROM generate_series(1, 12) i");
    sql_do("INSERT INTO lighting_assignment (group_name, calendar_id) SELECT 'g' || i, 'cal-b'"
           " FROM generate_series(1, 12) i");
    REFUSED("energy", "{'from':'2026-01-01','to':'2026-12-31'}", "bad_request",
            "15 groups over 365 days: at most 5000 rows");
    ANSWERED("energy", "{'from':'2026-01-01','to':'2026-03-31'}");
    MUE_ASSERT_INT_EQ(json_array_size(at(last, "days")), 15 * 90);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_setup),
        MUE_TEST(test_a_request_is_a_json_object_of_known_members),
        MUE_TEST(test_without_a_database_a_request_is_unavailable),
        MUE_TEST(test_a_program_is_stored_as_canonical_talq_json),
        MUE_TEST(test_a_program_is_refused_naming_the_member),
        MUE_TEST(test_programs_are_listed_with_who_changed_them),
        MUE_TEST(test_a_calendar_names_only_programs_that_exist),
        MUE_TEST(test_a_program_a_calendar_names_is_not_deleted),
        MUE_TEST(test_a_group_is_assigned_a_calendar),
        MUE_TEST(test_a_calendar_no_group_uses_is_deleted),
        MUE_TEST(test_the_plan_of_a_lamp_on_a_winter_day),
        MUE_TEST(test_the_plan_counts_real_minutes_on_clock_change_days),
        MUE_TEST(test_the_plan_of_a_group_lists_its_lamps),
        MUE_TEST(test_an_override_is_created_seen_in_the_plan_and_cancelled),
        MUE_TEST(test_an_override_is_refused_naming_what_is_wrong),
        MUE_TEST(test_commands_are_listed_newest_first),
        MUE_TEST(test_energy_of_a_group_over_three_days),
        MUE_TEST(test_energy_equals_the_plan_day_by_day),
        MUE_TEST(test_a_year_of_a_hundred_lamps_answers_within_a_second),
        MUE_TEST(test_an_energy_answer_too_big_for_the_bus_is_refused),
    };
    int rc;

    mue_log_init("test_requests", MUE_LOG_ERROR);
    if (test_db_open(&tdb, "lighting_requests") != 0) {
        test_db_close(&tdb);
        return 1;
    }
    db = tdb.db;
    rc = mue_test_run("lighting_requests", tests);
    json_decref(last);
    test_db_close(&tdb);
    return rc;
}
