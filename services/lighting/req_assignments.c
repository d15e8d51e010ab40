/* req_assignments.c - which calendar drives each group of lamps: assignments.list,
 * assignment.put, assignment.delete.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include "req_common.h"

/* An assignment 'a' as the answers show it; lamps: the group's active lighting devices. */
/* clang-format off */
#define ASSIGNMENT_JSON(a)                                                                         \
    "json_build_object('group', " a ".group_name, 'calendar', " a ".calendar_id,"                  \
    " 'priority', " a ".priority, 'lamps', (SELECT count(*) FROM device_group_member m"            \
    " JOIN device d ON d.id = m.device_id WHERE m.group_name = " a ".group_name"                   \
    " AND d.active AND d.use_case = 'lighting'),"                                                  \
    " 'assigned_at', " REQ_SQL_TS(a ".assigned_at") ", 'assigned_by', " a ".assigned_by)"
/* clang-format on */

json_t *req_assignments_list(struct req *r)
{
    static const char *const known[] = { NULL };
    /* clang-format off */
    static const char sql[] = "SELECT coalesce(json_agg(" ASSIGNMENT_JSON("a")
                              " ORDER BY a.group_name), '[]')::text FROM lighting_assignment a";
    /* clang-format on */
    json_t *err = req_only(r, known);

    if (err != NULL)
        return err;
    return req_list(r, "lighting.assignments", "assignments", sql, 0, NULL);
}

/* 1 when the query of $1 finds a row, 0 when not, MUE_EDB. */
static int exists(struct req *r, const char *what, const char *sql, const char *value)
{
    const char *p[1] = { value };
    PGresult *res = NULL;
    int n = req_query(r, what, &res, sql, 1, p);

    PQclear(res);
    return n < 0 ? n : n > 0;
}

json_t *req_assignment_put(struct req *r)
{
    static const char *const known[] = { "group", "calendar", "priority", NULL };
    /* Key shares: neither the group nor the calendar can go before the assignment is stored.
     * The group's is taken by mue_hold_device_group (0012_roles.sql): a row lock needs UPDATE on
     * device_group, which mue-lighting's role does not have. */
    static const char group_sql[] = "SELECT 1 WHERE mue_hold_device_group($1)";
    static const char calendar_sql[] =
        "SELECT 1 FROM lighting_calendar WHERE id = $1 FOR KEY SHARE";
    static const char previous_sql[] =
        "SELECT json_build_object('calendar', calendar_id, 'priority', priority)::text"
        " FROM lighting_assignment WHERE group_name = $1 FOR UPDATE";
    static const char put_sql[] =
        "INSERT INTO lighting_assignment AS a (group_name, calendar_id, priority, assigned_at,"
        " assigned_by) VALUES ($1, $2, $3::integer, now(), $4) ON CONFLICT (group_name) DO UPDATE"
        " SET calendar_id = EXCLUDED.calendar_id, priority = EXCLUDED.priority,"
        " assigned_at = now(), assigned_by = EXCLUDED.assigned_by"
        " RETURNING " ASSIGNMENT_JSON("a") "::text";
    const char *group = NULL, *calendar = NULL;
    long long priority = 0;
    char prio[24];
    PGresult *res = NULL;
    json_t *err = req_only(r, known), *previous = NULL, *answer, *detail;
    int n;

    if (err == NULL)
        err = req_group(r, "group", true, &group);
    if (err == NULL)
        err = req_id(r, "calendar", &calendar);
    if (err == NULL)
        err = req_int(r, "priority", false, -REQ_PRIORITY, REQ_PRIORITY, &priority);
    if (err == NULL)
        err = req_begin(r);
    if (err != NULL)
        return err;
    if ((n = exists(r, "lighting.group", group_sql, group)) != 1)
        return req_rollback(r, n == 0 ? req_fail("not_found", "no group \"%s\"", group)
                                      : req_unavailable());
    if ((n = exists(r, "lighting.calendar", calendar_sql, calendar)) != 1)
        return req_rollback(
            r, n == 0 ? req_fail("bad_request", "calendar: no calendar \"%s\"", calendar)
                      : req_unavailable());
    const char *p1[1] = { group };
    if ((n = req_query(r, "lighting.assignment_previous", &res, previous_sql, 1, p1)) < 0)
        return req_rollback(r, req_unavailable());
    previous = n == 1 ? req_json_text(PQgetvalue(res, 0, 0)) : json_null();
    PQclear(res);
    snprintf(prio, sizeof(prio), "%lld", priority);
    const char *p[4] = { group, calendar, prio, r->actor };
    if (req_query(r, "lighting.assignment_put", &res, put_sql, 4, p) != 1) {
        PQclear(res);
        json_decref(previous);
        return req_rollback(r, req_unavailable());
    }
    answer = json_pack("{s:o}", "assignment", req_json_text(PQgetvalue(res, 0, 0)));
    PQclear(res);
    detail = json_pack("{s:s, s:I, s:o}", "calendar", calendar, "priority", (json_int_t)priority,
                       "previous", previous);
    err = req_audit(r, "lighting.assignment.put", group, detail) == 0
              ? req_commit(r)
              : req_rollback(r, req_unavailable());
    json_decref(detail);
    if (err != NULL) {
        json_decref(answer);
        return err;
    }
    r->changed = true;
    return answer;
}

json_t *req_assignment_delete(struct req *r)
{
    static const char *const known[] = { "group", NULL };
    static const char sql[] =
        "DELETE FROM lighting_assignment WHERE group_name = $1"
        " RETURNING json_build_object('calendar', calendar_id, 'priority', priority)::text";
    const char *group = NULL;
    PGresult *res = NULL;
    json_t *err = req_only(r, known), *detail;
    int n;

    if (err == NULL)
        err = req_group(r, "group", true, &group);
    if (err == NULL)
        err = req_begin(r);
    if (err != NULL)
        return err;
    const char *p[1] = { group };
    n = req_query(r, "lighting.assignment_delete", &res, sql, 1, p);
    if (n != 1) {
        PQclear(res);
        return req_rollback(r, n == 0
                                   ? req_fail("not_found", "group \"%s\" has no assignment", group)
                                   : req_unavailable());
    }
    detail = req_json_text(PQgetvalue(res, 0, 0));
    PQclear(res);
    err = req_audit(r, "lighting.assignment.delete", group, detail) == 0
              ? req_commit(r)
              : req_rollback(r, req_unavailable());
    json_decref(detail);
    if (err != NULL)
        return err;
    r->changed = true;
    return json_pack("{s:s}", "deleted", group);
}
