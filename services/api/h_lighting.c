/* h_lighting.c - the street-lighting routes (/v1/lighting/...): each is one request to
 * mue-lighting on the bus (docs/lighting.md, "Requests on the bus"), which owns the lighting
 * tables, audits changes under the caller's key and recompiles the lamps at once. The API checks
 * what it can first (ids, dates, DevEUIs, bodies), then passes the answer on, its error mapped to
 * a status.
 *
 * Who reads: operators, admins, and the directorates whose scope holds the lighting use case (to
 * the others, lighting does not exist: 404). Who changes: operators and admins (the route table).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>

#include "h_ind.h"
#include "lighting_req.h"
#include "mue_err.h"
#include "query.h"

/* Asks mue-lighting 'verb' with 'fields' (stolen) and answers with what it says: ok_status on
 * success (201 for a creation), else its error as a status. */
static int forward(struct api_req *r, const char *verb, json_t *fields, int ok_status)
{
    const char *error, *reason;
    json_t *answer = NULL;
    int rc = ind_use_case_scope(r, "lighting");

    if (rc != 0) {
        json_decref(fields);
        return rc;
    }
    json_t *req = lighting_req_new(fields, r->who.name, r->who.key_id);
    /* mue-lighting answers once its change is committed; the connection is not needed meanwhile. */
    api_release_db(r);
    rc = lighting_req_ask(verb, req, LIGHTING_REQ_TIMEOUT_MS, &answer);
    json_decref(req);
    if (rc == MUE_ETIMEDOUT)
        return api_error(r, 503, "unavailable", "mue-lighting did not answer; try again");
    if (rc < 0)
        return api_error(r, 503, "unavailable", "the bus is unavailable; try again");
    int status = lighting_req_status(answer, ok_status, &error, &reason);
    if (status < 300)
        return api_json(r, status, answer);
    if (status == 502)
        rc = api_error(r, 502, "bad_gateway", "mue-lighting's answer is not a JSON object");
    else
        rc = api_error(r, status, status == 503 ? "unavailable" : error, "%s",
                       reason != NULL  ? reason
                       : error != NULL ? error
                                       : "refused");
    json_decref(answer);
    return rc;
}

/* A program's or calendar's id in the path. Returns 0, or the 400 it sent. */
static int path_id(struct api_req *r, const char *what)
{
    if (lighting_req_id_is_valid(r->param[0]))
        return 0;
    return api_error(r, 400, "bad_parameter", "a %s's id is 1 to 63 of A-Z a-z 0-9 _ . : -", what);
}

/* A group's name in the path. Returns 0, or the 400 it sent. */
static int path_group(struct api_req *r)
{
    if (lighting_req_group_is_valid(r->param[0]))
        return 0;
    return api_error(r, 400, "bad_parameter",
                     "a group's name is a-z or 0-9, then up to 63 of a-z 0-9 _ . -");
}

/* A change without a body may still be sent one (clients send {}): it must then be a JSON object,
 * which is ignored. Returns 0, or the status of the 400/413/415 sent. */
static int no_body(struct api_req *r)
{
    json_t *body = NULL;
    int rc;

    if (mg_get_request_info(r->conn)->content_length <= 0)
        return 0;
    rc = api_body_json(r, 4096, &body);
    json_decref(body);
    return rc;
}

/* ---- programs and calendars: TALQ documents ---- */

int h_lighting_programs(struct api_req *r)
{
    return forward(r, "programs.list", json_object(), 200);
}

int h_lighting_calendars(struct api_req *r)
{
    return forward(r, "calendars.list", json_object(), 200);
}

/* PUT of a program or a calendar: the TALQ document is the body, its id the path's. */
static int put_doc(struct api_req *r, const char *verb, const char *what)
{
    json_t *body = NULL;
    char why[160];
    int rc = path_id(r, what);

    if (rc != 0 || (rc = api_body_json(r, LIGHTING_REQ_BODY_MAX, &body)) != 0)
        return rc;
    if (lighting_req_doc_id(body, r->param[0], what, why, sizeof(why)) < 0) {
        json_decref(body);
        return api_error(r, 400, "bad_body", "%s", why);
    }
    return forward(r, verb, json_pack("{s:o}", what, body), 200);
}

static int delete_doc(struct api_req *r, const char *verb, const char *what)
{
    int rc = path_id(r, what);

    if (rc != 0 || (rc = no_body(r)) != 0)
        return rc;
    return forward(r, verb, json_pack("{s:s}", "id", r->param[0]), 200);
}

int h_lighting_program_put(struct api_req *r)
{
    return put_doc(r, "program.put", "program");
}

int h_lighting_program_delete(struct api_req *r)
{
    return delete_doc(r, "program.delete", "program");
}

int h_lighting_calendar_put(struct api_req *r)
{
    return put_doc(r, "calendar.put", "calendar");
}

int h_lighting_calendar_delete(struct api_req *r)
{
    return delete_doc(r, "calendar.delete", "calendar");
}

/* ---- assignments: a calendar drives a group ---- */

int h_lighting_assignments(struct api_req *r)
{
    return forward(r, "assignments.list", json_object(), 200);
}

int h_lighting_assignment_put(struct api_req *r)
{
    json_t *body = NULL, *fields = NULL;
    char why[160];
    int rc = path_group(r);

    if (rc != 0 || (rc = api_body_json(r, LIGHTING_REQ_BODY_MAX, &body)) != 0)
        return rc;
    rc = lighting_req_assignment(body, r->param[0], &fields, why, sizeof(why));
    json_decref(body);
    if (rc < 0)
        return api_error(r, 400, "bad_body", "%s", why);
    return forward(r, "assignment.put", fields, 200);
}

int h_lighting_assignment_delete(struct api_req *r)
{
    int rc = path_group(r);

    if (rc != 0 || (rc = no_body(r)) != 0)
        return rc;
    return forward(r, "assignment.delete", json_pack("{s:s}", "group", r->param[0]), 200);
}

/* ---- overrides ---- */

int h_lighting_overrides(struct api_req *r)
{
    char active[8];
    int got = api_query(r, "active", active, sizeof(active));
    json_t *fields = json_object();

    if (got == 1 && (strcmp(active, "true") == 0 || strcmp(active, "false") == 0))
        json_object_set_new(fields, "active", json_boolean(strcmp(active, "true") == 0));
    else if (got != 0) {
        json_decref(fields);
        return api_error(r, 400, "bad_parameter", "active is true or false");
    }
    return forward(r, "overrides.list", fields, 200);
}

int h_lighting_override_create(struct api_req *r)
{
    json_t *body = NULL, *fields = NULL;
    char why[200];
    int rc = api_body_json(r, LIGHTING_REQ_BODY_MAX, &body);

    if (rc != 0)
        return rc;
    rc = lighting_req_override(body, &fields, why, sizeof(why));
    json_decref(body);
    if (rc < 0)
        return api_error(r, 400, "bad_body", "%s", why);
    return forward(r, "override.create", fields, 201);
}

int h_lighting_override_cancel(struct api_req *r)
{
    char *end;
    long long id = strtoll(r->param[0], &end, 10);
    int rc;

    if (r->param[0][0] == '\0' || *end != '\0' || id <= 0)
        return api_error(r, 400, "bad_parameter", "an override's id is a positive integer");
    if ((rc = no_body(r)) != 0)
        return rc;
    return forward(r, "override.cancel", json_pack("{s:I}", "id", (json_int_t)id), 200);
}

/* ---- reading the schedule: a lamp's or a group's plan, commands, energy ---- */

/* Reads the optional query parameter 'name' into buf: 1 present, 0 absent, or the 400 it sent. */
static int optional(struct api_req *r, const char *name, char *buf, size_t cap)
{
    int got = api_query(r, name, buf, cap);
    if (got < 0)
        return api_error(r, 400, "bad_parameter", "%s is too long", name);
    return got;
}

/* Reads the date parameter 'name' (YYYY-MM-DD) into out; absent, the local date 'fallback' days
 * from today. Returns 0, or the status of the 400 sent. */
static int date_param(struct api_req *r, const char *name, int fallback, char out[11],
                      int64_t *days)
{
    char buf[16];
    int got = optional(r, name, buf, sizeof(buf));

    if (got > 1)
        return got;
    if (got == 0) {
        *days = lighting_req_local_day((int64_t)time(NULL)) + fallback;
    } else if (lighting_req_date_parse(buf, days) < 0) {
        return api_error(r, 400, "bad_parameter", "%s must be a date YYYY-MM-DD", name);
    }
    lighting_req_date_format(*days, out);
    return 0;
}

/* ?group= into fields when given. Returns 0, or the status of the 400 sent. */
static int group_param(struct api_req *r, json_t *fields)
{
    char group[80];
    int got = optional(r, "group", group, sizeof(group));

    if (got > 1)
        return got;
    if (got == 1 && !lighting_req_group_is_valid(group))
        return api_error(r, 400, "bad_parameter",
                         "group is a group's name: a-z or 0-9, then up to 63 of a-z 0-9 _ . -");
    if (got == 1)
        json_object_set_new(fields, "group", json_string(group));
    return 0;
}

/* ?dev_eui= into fields when given. Returns 0, or the status of the 400 sent. */
static int dev_eui_param(struct api_req *r, json_t *fields)
{
    char in[40], eui[17];
    int got = optional(r, "dev_eui", in, sizeof(in));

    if (got > 1)
        return got;
    if (got == 1) {
        int rc = api_dev_eui(r, in, eui);
        if (rc != 0)
            return rc;
        json_object_set_new(fields, "dev_eui", json_string(eui));
    }
    return 0;
}

int h_lighting_plan(struct api_req *r)
{
    json_t *fields = json_object();
    char date[11];
    int64_t day;
    int rc;

    if ((rc = dev_eui_param(r, fields)) != 0 || (rc = group_param(r, fields)) != 0 ||
        (rc = date_param(r, "date", 0, date, &day)) != 0) {
        json_decref(fields);
        return rc;
    }
    if (json_object_size(fields) != 1) {
        json_decref(fields);
        return api_error(r, 400, "bad_parameter", "the plan is of a dev_eui or of a group");
    }
    json_object_set_new(fields, "date", json_string(date));
    return forward(r, "plan", fields, 200);
}

int h_lighting_commands(struct api_req *r)
{
    static const char *const states[] = { "pending", "queued",  "sent",      "acknowledged",
                                          "failed",  "expired", "superseded" };
    json_t *fields = json_object();
    char state[16], lim[16];
    int rc, got;

    if ((rc = dev_eui_param(r, fields)) != 0) {
        json_decref(fields);
        return rc;
    }
    got = api_query(r, "state", state, sizeof(state));
    if (got != 0) {
        size_t i = 0;
        while (got == 1 && i < sizeof(states) / sizeof(states[0]) && strcmp(state, states[i]) != 0)
            i++;
        if (got < 0 || i == sizeof(states) / sizeof(states[0])) {
            json_decref(fields);
            return api_error(r, 400, "bad_parameter",
                             "state is pending, queued, sent, acknowledged, failed, expired or "
                             "superseded");
        }
        json_object_set_new(fields, "state", json_string(state));
    }
    got = api_query(r, "limit", lim, sizeof(lim));
    long limit = 100;
    if (got < 0 || (got == 1 && query_long(lim, 1, 1000, &limit) < 0)) {
        json_decref(fields);
        return api_error(r, 400, "bad_parameter", "limit must be a whole number from 1 to 1000");
    }
    json_object_set_new(fields, "limit", json_integer(limit));
    return forward(r, "commands", fields, 200);
}

int h_lighting_energy(struct api_req *r)
{
    json_t *fields = json_object();
    char from[11], to[11];
    int64_t d0, d1;
    int rc;

    if ((rc = group_param(r, fields)) != 0 || (rc = date_param(r, "from", -1, from, &d0)) != 0) {
        json_decref(fields);
        return rc;
    }
    /* Without "to", the one day "from". */
    if (api_query(r, "to", to, sizeof(to)) == 0) {
        d1 = d0;
        memcpy(to, from, sizeof(to));
    } else if ((rc = date_param(r, "to", 0, to, &d1)) != 0) {
        json_decref(fields);
        return rc;
    }
    if (d1 < d0 || d1 - d0 >= 366) {
        json_decref(fields);
        return api_error(r, 400, "bad_parameter",
                         "from and to are a span of 1 to 366 days, from first");
    }
    json_object_set_new(fields, "from", json_string(from));
    json_object_set_new(fields, "to", json_string(to));
    return forward(r, "energy", fields, 200);
}
