/* h_alerts.c - alerts for the directorates' inboxes: list and filter, one alert with its events,
 * and acknowledge or resolve, which are asked of mue-alerts on the bus (the engine is the only
 * writer of alert state, and audits the action under the caller's key).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

#include "alert_body.h"
#include "handlers.h"
#include "mue_bus.h"
#include "mue_err.h"
#include "mue_subjects.h"

/* A lighting operator's alerts are the lighting ones; others use their key's scope. */
static const char *alert_use_cases(const struct api_req *r)
{
    if (r->who.role == API_OPERATOR)
        return "{lighting}";
    return api_scope_use_cases(r);
}

/* One alert as JSON, built by the database ('a' alert, 'r' rule, 'd' device, 's' site). */
#define ALERT_JSON                                                                                 \
    "json_build_object('id', a.id, 'rule', r.name, 'title', r.title, 'use_case', a.use_case,"      \
    " 'dev_eui', d.dev_eui, 'device', d.name, 'site', s.name, 'severity', a.severity,"             \
    " 'state', a.state, 'quantity', a.quantity, 'message', a.message,"                             \
    " 'since', " API_SQL_TS("a.since") ", 'opened_at', " API_SQL_TS(                               \
        "a.opened_at") ","                                                                         \
                       " 'value', a.value, 'last_value', a.last_value, 'peak_value', "             \
                       "a.peak_value,"                                                             \
                       " 'acknowledged_at', " API_SQL_TS(                                          \
                           "a.acknowledged_at") ","                                                \
                                                " 'acknowledged_by', a.acknowledged_by, "          \
                                                "'ack_comment', a.ack_comment,"                    \
                                                " 'escalated_at', " API_SQL_TS(                    \
                                                    "a.escalated_at") ","                          \
                                                                      " 'resolved_at',"            \
                                                                      " " API_SQL_TS(              \
                                                                          "a.resolved_at") ", "    \
                                                                                           "'reso" \
                                                                                           "lved_" \
                                                                                           "by', " \
                                                                                           "a."    \
                                                                                           "resol" \
                                                                                           "ved_"  \
                                                                                           "by,"   \
                                                                                           " '"    \
                                                                                           "resol" \
                                                                                           "ve_"   \
                                                                                           "comme" \
                                                                                           "nt', " \
                                                                                           "a."    \
                                                                                           "resol" \
                                                                                           "ve_"   \
                                                                                           "comme" \
                                                                                           "nt)"

#define ALERT_FROM                                                                                 \
    " FROM alert a JOIN alert_rule r ON r.id = a.rule_id JOIN device d ON d.id = a.device_id"      \
    " LEFT JOIN site s ON s.id = d.site_id"

/* Reads an optional query parameter into buf; 1 present, 0 absent, or the 400 it sent. */
static int optional(struct api_req *r, const char *name, char *buf, size_t cap)
{
    int got = api_query(r, name, buf, cap);
    if (got < 0)
        return api_error(r, 400, "bad_parameter", "%s is too long", name);
    return got;
}

int h_alerts(struct api_req *r)
{
    /* clang-format off */
    static const char sql[] =
        "WITH f AS (SELECT a.id, a.opened_at" ALERT_FROM
        " WHERE " API_SQL_DEVICE_SCOPE
        " AND ($3::text IS NULL OR ($3 = 'unresolved' AND a.state <> 'resolved') OR a.state = $3)"
        " AND ($4::text IS NULL OR a.use_case = $4)"
        " AND ($5::text IS NULL OR d.dev_eui = $5)"
        " AND ($6::text IS NULL OR a.severity = $6)"
        " AND ($7::text IS NULL OR r.name = $7))"
        " SELECT (SELECT count(*) FROM f), coalesce((SELECT json_agg(" ALERT_JSON
        "  ORDER BY a.opened_at DESC, a.id DESC)" ALERT_FROM
        "  WHERE a.id IN (SELECT id FROM f ORDER BY opened_at DESC, id DESC LIMIT $8 OFFSET $9)),"
        " '[]')::text";
    /* clang-format on */
    static const char *const states[] = { "open", "acknowledged", "resolved", "unresolved" };
    static const char *const severities[] = { "info", "warning", "critical" };
    char state[16], uc[40], eui_in[40], eui[17], sev[16], rule[80], lim[24], off[24];
    const char *p[9] = { alert_use_cases(r), api_scope_devices(r) };
    long limit, offset;
    int rc, got;

    if ((rc = api_page(r, &limit, &offset)) != 0)
        return rc;
    if ((got = optional(r, "state", state, sizeof(state))) > 1)
        return got;
    if (got == 1) {
        size_t i = 0;
        while (i < 4 && strcmp(state, states[i]) != 0)
            i++;
        if (i == 4)
            return api_error(r, 400, "bad_parameter",
                             "state is open, acknowledged, resolved or unresolved");
        p[2] = state;
    }
    if ((got = optional(r, "use_case", uc, sizeof(uc))) > 1)
        return got;
    p[3] = got == 1 ? uc : NULL;
    if ((got = optional(r, "dev_eui", eui_in, sizeof(eui_in))) > 1)
        return got;
    if (got == 1) {
        if ((rc = api_dev_eui(r, eui_in, eui)) != 0)
            return rc;
        p[4] = eui;
    }
    if ((got = optional(r, "severity", sev, sizeof(sev))) > 1)
        return got;
    if (got == 1) {
        size_t i = 0;
        while (i < 3 && strcmp(sev, severities[i]) != 0)
            i++;
        if (i == 3)
            return api_error(r, 400, "bad_parameter", "severity is info, warning or critical");
        p[5] = sev;
    }
    if ((got = optional(r, "rule", rule, sizeof(rule))) > 1)
        return got;
    p[6] = got == 1 ? rule : NULL;
    snprintf(lim, sizeof(lim), "%ld", limit);
    snprintf(off, sizeof(off), "%ld", offset);
    p[7] = lim;
    p[8] = off;

    PGresult *res = api_sql(r, "alerts", sql, 9, p);
    if (res == NULL)
        return 500;
    json_t *items = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
    json_int_t total = (json_int_t)strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    if (!json_is_array(items)) {
        json_decref(items);
        return api_error(r, 500, "internal", "the alerts could not be read");
    }
    return api_json(r, 200,
                    json_pack("{s:o, s:I, s:I, s:I}", "items", items, "limit", (json_int_t)limit,
                              "offset", (json_int_t)offset, "total", total));
}

/* The alert id of the path: a positive integer. Returns 0, or the 400 it sent. */
static int alert_id(struct api_req *r, char out[24])
{
    char *end;
    long long id = strtoll(r->param[0], &end, 10);
    if (r->param[0][0] == '\0' || *end != '\0' || id <= 0)
        return api_error(r, 400, "bad_parameter", "the alert id is a positive integer");
    snprintf(out, 24, "%lld", id);
    return 0;
}

int h_alert(struct api_req *r)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT (" ALERT_JSON "::jsonb || jsonb_build_object('events', coalesce((SELECT"
        "  jsonb_agg(jsonb_build_object('kind', e.kind, 'at', " API_SQL_TS("e.at") ","
        "  'actor', e.actor, 'comment', e.comment, 'value', e.value) ORDER BY e.id)"
        "  FROM alert_event e WHERE e.alert_id = a.id), '[]')))::text" ALERT_FROM
        " WHERE a.id = $3 AND " API_SQL_DEVICE_SCOPE;
    /* clang-format on */
    char id[24];
    int rc = alert_id(r, id);
    if (rc != 0)
        return rc;
    const char *p[3] = { alert_use_cases(r), api_scope_devices(r), id };
    PGresult *res = api_sql(r, "alert", sql, 3, p);
    if (res == NULL)
        return 500;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return api_error(r, 404, "not_found", "no alert %s for this key", id);
    }
    json_t *alert = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    if (alert == NULL)
        return api_error(r, 500, "internal", "the alert could not be read");
    return api_json(r, 200, alert);
}

/* Maps the engine's answer to a status. */
static int answer(struct api_req *r, natsMsg *reply)
{
    json_t *j = json_loadb(mue_bus_msg_data(reply), mue_bus_msg_len(reply), 0, NULL);
    const char *error = json_string_value(json_object_get(j, "error"));
    const char *reason = json_string_value(json_object_get(j, "reason"));
    json_t *alert = json_object_get(j, "alert");
    int status;

    if (j == NULL)
        status = api_error(r, 502, "bad_gateway", "the alert engine's answer is not JSON");
    else if (error == NULL && json_is_object(alert))
        status = api_json(r, 200, json_incref(alert));
    else if (error != NULL && strcmp(error, "not_found") == 0)
        status = api_error(r, 404, "not_found", "%s", reason ? reason : "no such alert");
    else if (error != NULL && strcmp(error, "conflict") == 0)
        status = api_error(r, 409, "conflict", "%s", reason ? reason : "not in that state");
    else if (error != NULL && strcmp(error, "bad_request") == 0)
        status = api_error(r, 400, "bad_request", "%s", reason ? reason : "refused");
    else
        status = api_error(r, 503, "unavailable", "%s",
                           reason ? reason : "the alert engine could not do it now");
    json_decref(j);
    return status;
}

/* POST /v1/alerts/{id}/ack and /resolve: {"comment": "..."} (optional). */
static int command(struct api_req *r, const char *action)
{
    static const char visible[] = "SELECT 1 FROM alert a JOIN device d ON d.id = a.device_id"
                                  " WHERE a.id = $3 AND " API_SQL_DEVICE_SCOPE;
    char id[24], subject[64], why[64];
    json_t *body = NULL, *req;
    natsMsg *reply = NULL;
    int rc = alert_id(r, id);

    if (rc != 0)
        return rc;
    if (mg_get_request_info(r->conn)->content_length > 0 &&
        (rc = api_body_json(r, 4096, &body)) != 0)
        return rc;
    const char *comment;
    if (alert_body_comment(body, &comment, why, sizeof(why)) < 0) {
        json_decref(body);
        return api_error(r, 400, "bad_body", "%s", why);
    }
    const char *p[3] = { alert_use_cases(r), api_scope_devices(r), id };
    PGresult *res = api_sql(r, "alert scope", visible, 3, p);
    if (res == NULL) {
        json_decref(body);
        return 500;
    }
    int found = PQntuples(res) == 1;
    PQclear(res);
    if (!found) {
        json_decref(body);
        return api_error(r, 404, "not_found", "no alert %s for this key", id);
    }
    req = json_pack("{s:I, s:s, s:I, s:s}", "alert_id", (json_int_t)strtoll(id, NULL, 10), "actor",
                    r->who.name, "key_id", (json_int_t)r->who.key_id, "comment", comment);
    json_decref(body);
    char *text = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    /* The engine answers once its change is committed; the database connection is not needed
     * meanwhile. */
    api_release_db(r);
    snprintf(subject, sizeof(subject), MUE_SUBJ_ALERTCMD_FMT, action);
    struct mue_bus *bus = api_bus();
    rc = bus == NULL ? MUE_EBUS : mue_bus_request(bus, subject, text, strlen(text), 5000, &reply);
    free(text);
    if (rc == MUE_ETIMEDOUT)
        return api_error(r, 503, "unavailable", "the alert engine did not answer; try again");
    if (rc < 0)
        return api_error(r, 503, "unavailable", "the bus is unavailable; try again");
    rc = answer(r, reply);
    natsMsg_Destroy(reply);
    return rc;
}

int h_alert_ack(struct api_req *r)
{
    return command(r, "ack");
}

int h_alert_resolve(struct api_req *r)
{
    return command(r, "resolve");
}
