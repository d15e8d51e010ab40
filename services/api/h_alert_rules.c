/* h_alert_rules.c - alert rules, read and edited by admins and by the directorates for their own
 * use cases. An edit is audited and announced on mue.alertrules.changed, so the engines apply it
 * at once (docs/alerts.md explains every field).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_body.h"
#include "handlers.h"
#include "mue_bus.h"
#include "mue_subjects.h"

#define RULE_JSON                                                                                  \
    "json_build_object('name', r.name, 'title', r.title, 'description', r.description,"            \
    " 'use_case', r.use_case, 'model', r.model, 'group', r.group_name,"                            \
    " 'dev_eui', (SELECT dev_eui FROM device WHERE id = r.device_id), 'kind', r.kind,"             \
    " 'quantity', r.quantity, 'op', r.op, 'threshold', r.threshold,"                               \
    " 'threshold_param', r.threshold_param, 'hysteresis', r.hysteresis,"                           \
    " 'duration_s', r.duration_s, 'window_s', r.window_s, 'silence_factor', r.silence_factor,"     \
    " 'active_from', to_char(r.active_from, 'HH24:MI'), 'active_to', to_char(r.active_to, "        \
    "'HH24:MI'), 'severity', r.severity, 'escalate_after_s', r.escalate_after_s,"                  \
    " 'auto_resolve', r.auto_resolve, 'enabled', r.enabled,"                                       \
    " 'unresolved', (SELECT count(*) FROM alert a WHERE a.rule_id = r.id"                          \
    "  AND a.state <> 'resolved'), 'updated_at', " API_SQL_TS("r.updated_at") ")"

/* A directorate's rules are those of its use cases; an admin's, all. */
#define RULE_SCOPE "($1::text[] IS NULL OR r.use_case = ANY($1::text[]))"

int h_alert_rules(struct api_req *r)
{
    static const char sql[] = "SELECT coalesce(json_agg(" RULE_JSON " ORDER BY r.use_case, r.name),"
                              " '[]')::text FROM alert_rule r WHERE " RULE_SCOPE
                              " AND ($2::text IS NULL OR r.use_case = $2)";
    char uc[40];
    int got = api_query(r, "use_case", uc, sizeof(uc));
    if (got < 0)
        return api_error(r, 400, "bad_parameter", "use_case is too long");
    const char *p[2] = { api_scope_use_cases(r), got == 1 ? uc : NULL };
    PGresult *res = api_sql(r, "alert rules", sql, 2, p);
    if (res == NULL)
        return 500;
    json_t *items = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    if (!json_is_array(items)) {
        json_decref(items);
        return api_error(r, 500, "internal", "the rules could not be read");
    }
    return api_json(r, 200, json_pack("{s:o}", "items", items));
}

/* Each field from the body ($3) when it is there, else as it was. */
#define FROM_BODY(col, cast)                                                                       \
    " " col " = CASE WHEN $3::jsonb ? '" col "' THEN ($3::jsonb ->> '" col "')::" cast             \
    " ELSE " col " END,"

int h_alert_rule_update(struct api_req *r)
{
    /* clang-format off */
    static const char sql[] =
        "UPDATE alert_rule r SET"
        FROM_BODY("title", "text") FROM_BODY("description", "text")
        FROM_BODY("threshold", "float8") FROM_BODY("hysteresis", "float8")
        FROM_BODY("duration_s", "integer") FROM_BODY("window_s", "integer")
        FROM_BODY("silence_factor", "float8") FROM_BODY("active_from", "time")
        FROM_BODY("active_to", "time") FROM_BODY("severity", "text")
        FROM_BODY("escalate_after_s", "integer") FROM_BODY("auto_resolve", "boolean")
        FROM_BODY("enabled", "boolean")
        " updated_at = now()"
        " WHERE r.name = $2 AND " RULE_SCOPE
        " RETURNING (" RULE_JSON ")::text";
    /* clang-format on */
    json_t *body = NULL;
    char why[256];
    int rc = api_body_json(r, 8192, &body);

    if (rc != 0)
        return rc;
    if (alert_body_rule_edit(body, why, sizeof(why)) < 0) {
        json_decref(body);
        return api_error(r, 400, "bad_body", "%s", why);
    }
    /* The change and its audit row commit together, or neither does. */
    PGresult *res = api_sql(r, "BEGIN", "BEGIN", 0, NULL);
    if (res == NULL) {
        json_decref(body);
        return 500;
    }
    PQclear(res);
    char *text = json_dumps(body, JSON_COMPACT);
    const char *p[3] = { api_scope_use_cases(r), r->param[0], text };
    res = PQexecParams(r->db, sql, 3, NULL, p, NULL, NULL, 0);
    free(text);
    json_t *rule = NULL;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        /* A CHECK of alert_rule refused the combination (a threshold rule without threshold,
         * a window with one end...): the caller's mistake, in the database's words. */
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (state != NULL && (strncmp(state, "23", 2) == 0 || strncmp(state, "22", 2) == 0))
            rc = api_error(r, 400, "bad_body", "the rule would be invalid: %s",
                           PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
        else
            rc = api_db_error(r, "alert rule update", res);
    } else if (PQntuples(res) == 0) {
        rc = api_error(r, 404, "not_found", "no rule %s for this key", r->param[0]);
    } else if ((rule = json_loads(PQgetvalue(res, 0, 0), 0, NULL)) == NULL) {
        rc = api_error(r, 500, "internal", "the rule could not be read back");
    } else if (api_audit(r, "rule.update", r->param[0], body) != 0) {
        rc = api_error(r, 500, "internal", "the change could not be audited; nothing changed");
    } else {
        rc = 0;
    }
    PQclear(res);
    json_decref(body);
    res = PQexec(r->db, rc == 0 ? "COMMIT" : "ROLLBACK");
    if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = api_db_error(r, "alert rule commit", res);
    PQclear(res);
    if (rc != 0) {
        json_decref(rule);
        return rc;
    }
    struct mue_bus *bus = api_bus();
    if (bus != NULL)
        (void)mue_bus_notify(bus, MUE_SUBJ_ALERTRULES_CHANGED, "", 0);
    return api_json(r, 200, rule);
}
