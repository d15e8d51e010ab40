/* h_ind_lighting.c - the street lighting's public indicator (GET /v1/indicators/lighting): per
 * assigned group, yesterday's energy and its saving against a photocell's dusk-to-dawn (asked of
 * mue-lighting on the bus), the lamps in fault and the configuration commands not yet applied;
 * and the same over the whole fleet.
 *
 * A lamp is in fault while an alert of lighting.lamp_failure or lighting.lamp_error_alert on it
 * is unresolved: these rules do not resolve by themselves (a controller sees a failed lamp only
 * while commanded on, so by day its signal falls back with nothing repaired), so an alert stays
 * until someone has checked the lamp, which is what "in fault" means to the public. The latest
 * lamp_failure values would show every broken lamp as repaired each morning. A cabinet whose
 * lighting.cabinet_power_loss alert is unresolved is counted apart: a whole street is dark.
 * Commands pending are lighting_command rows still pending, queued or sent.
 * When mue-lighting does not answer, "energy" is null and the rest is still answered.
 * SPDX-License-Identifier: MIT */
#include <time.h>

#include "h_ind.h"
#include "lighting_req.h"

/* clang-format off */
/* $1, $2 the scope. One JSON object: the fleet's counts and "groups", the assigned groups with
 * their own (a lamp may be in several groups). */
static const char lighting_sql[] =
    "WITH dev AS (SELECT d.id FROM device d WHERE d.use_case = 'lighting' AND " API_SQL_DEVICE_SCOPE
    "), fault AS (SELECT DISTINCT a.device_id, r.name = 'lighting.cabinet_power_loss' AS power"
    " FROM alert a JOIN alert_rule r ON r.id = a.rule_id"
    " WHERE a.state <> 'resolved' AND a.device_id IN (SELECT id FROM dev) AND r.name IN"
    " ('lighting.lamp_failure', 'lighting.lamp_error_alert', 'lighting.cabinet_power_loss')"
    "), pend AS (SELECT c.device_id, count(*) AS n FROM lighting_command c"
    " WHERE c.state IN ('pending', 'queued', 'sent') AND c.device_id IN (SELECT id FROM dev)"
    " GROUP BY 1)"
    " SELECT json_build_object("
    " 'devices', (SELECT count(*) FROM dev),"
    " 'lamps_in_fault', (SELECT count(DISTINCT device_id) FROM fault WHERE NOT power),"
    " 'cabinets_without_power', (SELECT count(DISTINCT device_id) FROM fault WHERE power),"
    " 'commands_pending', (SELECT coalesce(sum(n), 0) FROM pend),"
    " 'groups', coalesce((SELECT json_agg(json_build_object("
    "  'group', g.name, 'title', g.title, 'calendar', a.calendar_id,"
    "  'lamps', (SELECT count(*) FROM device_group_member m"
    "   WHERE m.group_name = g.name AND m.device_id IN (SELECT id FROM dev)),"
    "  'lamps_in_fault', (SELECT count(DISTINCT f.device_id) FROM fault f"
    "   JOIN device_group_member m ON m.device_id = f.device_id"
    "   WHERE m.group_name = g.name AND NOT f.power),"
    "  'commands_pending', (SELECT coalesce(sum(p.n), 0) FROM pend p"
    "   JOIN device_group_member m ON m.device_id = p.device_id WHERE m.group_name = g.name))"
    "  ORDER BY g.name)"
    "  FROM lighting_assignment a JOIN device_group g ON g.name = a.group_name), '[]'))::text";
/* clang-format on */

int h_ind_lighting(struct api_req *r)
{
    const char *params[2] = { api_scope_use_cases(r), api_scope_devices(r) };
    json_t *body, *answer = NULL, *req;
    char day[11];
    int rc;

    if ((rc = ind_use_case_scope(r, "lighting")) != 0)
        return rc;
    PGresult *res = api_sql(r, "lighting indicators", lighting_sql, 2, params);
    if (res == NULL)
        return 500;
    body = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    if (!json_is_object(body)) {
        json_decref(body);
        return api_error(r, 500, "internal", "the lighting indicators could not be read");
    }
    api_release_db(r);
    lighting_req_date_format(lighting_req_local_day((int64_t)time(NULL)) - 1, day);
    /* A read of the public's: no actor to audit. */
    req = json_pack("{s:s, s:s}", "from", day, "to", day);
    rc = lighting_req_ask("energy", req, LIGHTING_REQ_INDICATOR_MS, &answer);
    json_decref(req);
    json_t *days = rc == 0 && json_object_get(answer, "error") == NULL
                       ? json_object_get(answer, "days")
                       : NULL;
    json_object_set_new(body, "energy",
                        lighting_req_energy_merge(json_object_get(body, "groups"), days));
    json_decref(answer);
    json_object_set_new(body, "day", json_string(day));
    return api_json(r, 200, body);
}
