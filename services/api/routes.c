/* routes.c - the route table of mue-api (the OpenAPI document is made from it) and the matching
 * of a request's path against it.
 * SPDX-License-Identifier: MIT */
#include "routes.h"

#include <string.h>

#include <civetweb.h>

#include "handlers.h"

#define P_EUI                                                                                      \
    {                                                                                              \
        "dev_eui", "path", "string", true, "the device's DevEUI, 16 hex digits"                    \
    }
#define P_UC                                                                                       \
    {                                                                                              \
        "use_case", "path", "string", true, "a use case id (GET /v1/usecases)"                     \
    }
#define P_ALERT                                                                                    \
    {                                                                                              \
        "id", "path", "integer", true, "the alert's id"                                            \
    }
#define P_LIMIT                                                                                    \
    {                                                                                              \
        "limit", "query", "integer", false, "rows per page, 1..1000 (default 100)"                 \
    }
#define P_OFFSET                                                                                   \
    {                                                                                              \
        "offset", "query", "integer", false, "rows to skip (default 0)"                            \
    }

#define P_LIGHT_PROGRAM                                                                            \
    {                                                                                              \
        "id", "path", "string", true, "the program's id (1 to 63 of A-Z a-z 0-9 _ . : -)"          \
    }
#define P_LIGHT_CALENDAR                                                                           \
    {                                                                                              \
        "id", "path", "string", true, "the calendar's id (1 to 63 of A-Z a-z 0-9 _ . : -)"         \
    }
#define P_LIGHT_GROUP                                                                              \
    {                                                                                              \
        "group", "path", "string", true, "a device group's name"                                   \
    }
#define P_LIGHT_OVERRIDE                                                                           \
    {                                                                                              \
        "id", "path", "integer", true, "the override's id"                                         \
    }
/* Who reads the lighting: operators, admins, and directorates whose scope holds lighting (to
 * others it does not exist: 404); who changes it: operators and admins. */
#define LIGHT_READ  API_STAFF
#define LIGHT_WRITE (API_OPERATOR | API_ADMIN)

const struct api_route api_routes[] = {
    { "GET",
      "/v1/usecases",
      API_ANYONE,
      h_usecases,
      "Use cases, each with its number of devices and the time of its latest measurement",
      "application/json",
      { { 0 } } },
    { "GET",
      "/v1/sites",
      API_ANYONE,
      h_sites,
      "Sites (places that group devices)",
      "application/json",
      { { "use_case", "query", "string", false, "only the sites of this use case" },
        P_LIMIT,
        P_OFFSET } },
    { "GET",
      "/v1/devices",
      API_ANYONE,
      h_devices,
      "Devices with their health (last seen, battery, signal)",
      "application/json",
      { { "use_case", "query", "string", false, "only the devices of this use case" },
        { "site", "query", "integer", false, "only the devices of this site id" },
        P_LIMIT,
        P_OFFSET } },
    { "GET",
      "/v1/devices/{dev_eui}",
      API_ANYONE,
      h_device,
      "One device with its health",
      "application/json",
      { P_EUI } },
    { "GET",
      "/v1/devices/{dev_eui}/latest",
      API_ANYONE,
      h_device_latest,
      "The latest value of each quantity of a device",
      "application/json",
      { P_EUI } },
    { "GET",
      "/v1/usecases/{use_case}/latest",
      API_ANYONE,
      h_usecase_latest,
      "The latest values of every device of a use case, as JSON or as GeoJSON for maps",
      "application/json, application/geo+json",
      { P_UC,
        { "format", "query", "string", false, "json (default) or geojson" },
        { "quantity", "query", "string", false, "only this quantity" } } },
    { "GET",
      "/v1/usecases/{use_case}/assessment",
      API_STAFF | API_PARTNER,
      h_assessment,
      "The pilot's monthly assessment of a use case: data completeness and availability per "
      "device, alerts raised and their time to acknowledge, the use case's key figures",
      "application/json, text/csv",
      { P_UC,
        { "month", "query", "string", false,
          "the month, YYYY-MM, Paris time (default: the current month so far)" },
        { "format", "query", "string", false, "json (default) or csv" } } },
    { "GET",
      "/v1/devices/{dev_eui}/series",
      API_ANYONE,
      h_series,
      "A series of one quantity over any range, raw or aggregated per hour or day from the "
      "rollups, as JSON or CSV, streamed",
      "application/json, text/csv",
      { P_EUI,
        { "quantity", "query", "string", true, "the quantity (docs/quantities.md)" },
        { "from", "query", "string", true, "start, RFC 3339 (included)" },
        { "to", "query", "string", false, "end, RFC 3339 (excluded; default now)" },
        { "bucket", "query", "string", false,
          "raw, hour, day, or auto (default: raw up to 2 days, hour up to 90 days, else day)" },
        { "agg", "query", "string", false,
          "mean (default), min, max, sum, count, first, last, energetic_mean (dB levels)" },
        { "format", "query", "string", false, "json (default) or csv" } } },
    { "POST",
      "/v1/devices",
      API_ADMIN,
      h_device_create,
      "Register a device (JSON body: dev_eui, name, model, use_case, and optionally network, "
      "site_id, latitude, longitude, params, expected_period_s)",
      "application/json",
      { { 0 } } },
    { "PUT",
      "/v1/devices/{dev_eui}",
      API_ADMIN,
      h_device_update,
      "Change a device (JSON body: any of name, model, use_case, network, site_id, latitude, "
      "longitude, params, expected_period_s, active)",
      "application/json",
      { P_EUI } },
    { "DELETE",
      "/v1/devices/{dev_eui}",
      API_ADMIN,
      h_device_delete,
      "Take a device out of service (it is deactivated; its measurements are kept)",
      "application/json",
      { P_EUI } },
    { "GET",
      "/v1/indicators/waste",
      API_ANYONE,
      h_ind_waste,
      "Waste containers: by fill class, fill rate, predicted date full, the ones to collect today",
      "application/json",
      { { "commune", "query", "string", false, "only this commune (INSEE code)" } } },
    { "GET",
      "/v1/indicators/water",
      API_ANYONE,
      h_ind_water,
      "River stations: current level against the station's vigilance thresholds, rise rate, "
      "quality",
      "application/json",
      { { 0 } } },
    { "GET",
      "/v1/indicators/noise",
      API_ANYONE,
      h_ind_noise,
      "Noise sites: Lday, Levening, Lnight, Lden of a day, and the hourly profile",
      "application/json",
      { { "day", "query", "string", false,
          "the day, YYYY-MM-DD (default: yesterday, Paris time)" } } },
    { "GET",
      "/v1/indicators/counting",
      API_ANYONE,
      h_ind_counting,
      "Counters: today, yesterday and this year per counter and direction",
      "application/json",
      { { 0 } } },
    { "GET",
      "/v1/indicators/heat",
      API_ANYONE,
      h_ind_heat,
      "Heat islands: each sensor's night minimum, tropical and heatwave nights, island intensity",
      "application/json",
      { { "night", "query", "string", false, "the night, YYYY-MM-DD (default: last night)" } } },
    { "GET",
      "/v1/indicators/lighting",
      API_ANYONE,
      h_ind_lighting,
      "Street lighting: yesterday's energy and saving per assigned group, lamps in fault "
      "(unresolved lamp failure alerts), cabinets without power, configuration commands pending",
      "application/json",
      { { 0 } } },
    { "GET",
      "/v1/counters/{dev_eui}/display",
      API_ANYONE,
      h_counter_display,
      "What a counter's public display shows: today's and this year's count",
      "application/json",
      { P_EUI } },
    { "GET",
      "/v1/live",
      API_ANYONE,
      h_live,
      "Server-Sent Events of new measurements of a use case or a device (event: measurement), "
      "and for keys that may read alerts its alert events (event: alert); or, with alerts=only, "
      "the alert events alone of every use case in the key's scope",
      "text/event-stream",
      { { "use_case", "query", "string", false, "the measurements of this use case" },
        { "dev_eui", "query", "string", false, "the measurements of this device" },
        { "alerts", "query", "string", false,
          "only: alert events alone, of every use case the key may read (not with use_case or "
          "dev_eui)" } } },
    { "GET",
      "/v1/me",
      API_ANYONE,
      h_me,
      "Who the caller is: role and scope",
      "application/json",
      { { 0 } } },
    { "GET",
      "/v1/openapi.json",
      API_ANYONE,
      h_openapi,
      "This API's OpenAPI 3 document",
      "application/json",
      { { 0 } } },
    { "GET",
      "/v1/alerts",
      API_STAFF | API_PARTNER,
      h_alerts,
      "Alerts, newest first, in the caller's scope (a lighting operator: lighting)",
      "application/json",
      { { "state", "query", "string", false, "open, acknowledged, resolved or unresolved" },
        { "use_case", "query", "string", false, "only this use case" },
        { "dev_eui", "query", "string", false, "only this device" },
        { "severity", "query", "string", false, "info, warning or critical" },
        { "rule", "query", "string", false, "only this rule (its name)" },
        P_LIMIT,
        P_OFFSET } },
    { "GET",
      "/v1/alerts/{id}",
      API_STAFF | API_PARTNER,
      h_alert,
      "One alert with its events (opened, acknowledged, escalated, resolved)",
      "application/json",
      { P_ALERT } },
    { "POST",
      "/v1/alerts/{id}/ack",
      API_DIRECTORATE | API_OPERATOR | API_ADMIN,
      h_alert_ack,
      "Acknowledge an open alert (JSON body, optional: comment); done by the alert engine, "
      "audited under the caller's key; 409 when it is not open",
      "application/json",
      { P_ALERT } },
    { "POST",
      "/v1/alerts/{id}/resolve",
      API_DIRECTORATE | API_OPERATOR | API_ADMIN,
      h_alert_resolve,
      "Resolve an alert by hand (JSON body, optional: comment); it does not come back before "
      "its condition has cleared; 409 when already resolved",
      "application/json",
      { P_ALERT } },
    { "GET",
      "/v1/alert-rules",
      API_DIRECTORATE | API_ADMIN,
      h_alert_rules,
      "Alert rules (a directorate: those of its use cases), with their unresolved alerts",
      "application/json",
      { { "use_case", "query", "string", false, "only this use case" } } },
    { "PUT",
      "/v1/alert-rules/{name}",
      API_DIRECTORATE | API_ADMIN,
      h_alert_rule_update,
      "Change a rule (JSON body: any of title, description, threshold, hysteresis, duration_s, "
      "window_s, silence_factor, active_from, active_to, severity, escalate_after_s, "
      "auto_resolve, enabled); audited, applied by the engines at once",
      "application/json",
      { { "name", "path", "string", true, "the rule's name, e.g. waste.full" } } },
    { "GET",
      "/v1/deadletters",
      API_DIRECTORATE | API_OPERATOR | API_ADMIN,
      h_deadletters,
      "Dead letters: uplinks a stage refused (unknown_device, decode_failed...), newest first, "
      "in the caller's scope (an admin also sees unknown devices); at most 5000 entries are read "
      "(truncated: true when that bound stopped the reading)",
      "application/json",
      { { "dev_eui", "query", "string", false, "only this device's" },
        { "stage", "query", "string", false, "only this stage's, e.g. normalizer" },
        { "code", "query", "string", false, "only this code, e.g. unknown_device" },
        { "limit", "query", "integer", false, "entries, 1..500 (default 50)" } } },
    { "GET",
      "/v1/lighting/programs",
      LIGHT_READ,
      h_lighting_programs,
      "Lighting control programs (TALQ ControlProgram JSON, with updated_at and updated_by)",
      "application/json",
      { { 0 } } },
    { "PUT",
      "/v1/lighting/programs/{id}",
      LIGHT_WRITE,
      h_lighting_program_put,
      "Create or replace a control program (JSON body: the TALQ ControlProgram; its id, if given, "
      "is the path's); 201 when created; audited, the lamps recompiled at once",
      "application/json",
      { P_LIGHT_PROGRAM } },
    { "DELETE",
      "/v1/lighting/programs/{id}",
      LIGHT_WRITE,
      h_lighting_program_delete,
      "Delete a control program; 409 while a calendar names it",
      "application/json",
      { P_LIGHT_PROGRAM } },
    { "GET",
      "/v1/lighting/calendars",
      LIGHT_READ,
      h_lighting_calendars,
      "Lighting calendars (TALQ Calendar JSON: ordered rules picking a program per date)",
      "application/json",
      { { 0 } } },
    { "PUT",
      "/v1/lighting/calendars/{id}",
      LIGHT_WRITE,
      h_lighting_calendar_put,
      "Create or replace a calendar (JSON body: the TALQ Calendar; its id, if given, is the "
      "path's); 201 when created; 400 when it names a program that does not exist",
      "application/json",
      { P_LIGHT_CALENDAR } },
    { "DELETE",
      "/v1/lighting/calendars/{id}",
      LIGHT_WRITE,
      h_lighting_calendar_delete,
      "Delete a calendar; 409 while it is assigned to a group",
      "application/json",
      { P_LIGHT_CALENDAR } },
    { "GET",
      "/v1/lighting/assignments",
      LIGHT_READ,
      h_lighting_assignments,
      "Which calendar drives each group of lamps, with its priority and number of lamps",
      "application/json",
      { { 0 } } },
    { "PUT",
      "/v1/lighting/assignments/{group}",
      LIGHT_WRITE,
      h_lighting_assignment_put,
      "Assign a calendar to a group (JSON body: calendar, and optionally priority: a lamp in "
      "several assigned groups follows the highest)",
      "application/json",
      { P_LIGHT_GROUP } },
    { "DELETE",
      "/v1/lighting/assignments/{group}",
      LIGHT_WRITE,
      h_lighting_assignment_delete,
      "Remove a group's assignment (its lamps follow their other groups', or go dark)",
      "application/json",
      { P_LIGHT_GROUP } },
    { "GET",
      "/v1/lighting/overrides",
      LIGHT_READ,
      h_lighting_overrides,
      "Lighting overrides, newest first",
      "application/json",
      { { "active", "query", "boolean", false,
          "true: only those in force or to come, not cancelled" } } },
    { "POST",
      "/v1/lighting/overrides",
      LIGHT_WRITE,
      h_lighting_override_create,
      "Override the schedule (JSON body: group or dev_euis, level, starts_at (default now), "
      "expires_at or duration_s, priority, reason: event, maintenance, emergency or other, "
      "comment); 201; audited, the lamps told at once",
      "application/json",
      { { 0 } } },
    { "POST",
      "/v1/lighting/overrides/{id}/cancel",
      LIGHT_WRITE,
      h_lighting_override_cancel,
      "Cancel an override: its lamps return to their program; 409 when already cancelled or "
      "expired",
      "application/json",
      { P_LIGHT_OVERRIDE } },
    { "GET",
      "/v1/lighting/plan",
      LIGHT_READ,
      h_lighting_plan,
      "A lamp's plan of a day (program, sun, the minutes its level changes, energy) or a group's "
      "(each lamp's program and energy)",
      "application/json",
      { { "dev_eui", "query", "string", false, "the lamp (or group)" },
        { "group", "query", "string", false, "the group (or dev_eui)" },
        { "date", "query", "string", false, "the day, YYYY-MM-DD, Paris time (default today)" } } },
    { "GET",
      "/v1/lighting/commands",
      LIGHT_READ,
      h_lighting_commands,
      "Configuration commands compiled for the lamps, newest first, with what each device "
      "accepted",
      "application/json",
      { { "dev_eui", "query", "string", false, "only this device's" },
        { "state", "query", "string", false,
          "pending, queued, sent, acknowledged, failed, expired or superseded" },
        { "limit", "query", "integer", false, "rows, 1..1000 (default 100)" } } },
    { "GET",
      "/v1/lighting/energy",
      LIGHT_READ,
      h_lighting_energy,
      "Planned, full-power and measured energy and the saving per assigned group and day",
      "application/json",
      { { "group", "query", "string", false, "only this group" },
        { "from", "query", "string", false,
          "first day, YYYY-MM-DD, Paris time (default yesterday)" },
        { "to", "query", "string", false,
          "last day, YYYY-MM-DD (default: from; at most 366 days)" } } },
    { "GET",
      "/v1/opendata/datasets",
      API_ANYONE,
      h_opendata_datasets,
      "The datasets mue-opendata publishes (open ones for everyone; restricted ones for admins "
      "and their use case's directorates): definition, files' folder under /opendata/, periods "
      "covered, last export run (with its progress while it runs) and CKAN pushes",
      "application/json",
      { { 0 } } },
    { "GET",
      "/v1/opendata/runs",
      API_ANYONE,
      h_opendata_runs,
      "Export runs, newest first: start, end, periods written, rows, monthly parts done of the "
      "total, files, outcome (running, ok, failed, interrupted) and the reason of a failure",
      "application/json",
      { { "dataset", "query", "string", false, "only this dataset's" },
        { "state", "query", "string", false, "running, ok, failed or interrupted" },
        P_LIMIT, P_OFFSET } },
    { "GET",
      "/v1/audit",
      API_ADMIN,
      h_audit,
      "The audit log of operators' actions, newest first",
      "application/json",
      { P_LIMIT, P_OFFSET } },
};
const size_t api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);

/* Matches 'path' against 'pattern', copying {name} segments into r->param (URL-decoded). */
static bool path_matches(const char *pattern, const char *path, struct api_req *r)
{
    const char *p = pattern, *s = path;
    size_t n = 0;

    while (*p != '\0' && *s != '\0') {
        if (*p == '{') {
            size_t len = strcspn(s, "/");
            const char *close = strchr(p, '}');

            if (close == NULL || len == 0 || len >= sizeof(r->param[0]) || n == API_MAX_PATH_PARAMS)
                return false;
            if (mg_url_decode(s, (int)len, r->param[n], (int)sizeof(r->param[0]), 0) < 0)
                return false;
            n++;
            p = close + 1;
            s += len;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    if (*p != '\0' || *s != '\0')
        return false;
    r->nparams = n;
    return true;
}

const struct api_route *routes_match(const char *method, const char *path, struct api_req *r,
                                     bool *path_known)
{
    *path_known = false;
    for (size_t i = 0; i < api_nroutes; i++) {
        if (!path_matches(api_routes[i].pattern, path, r))
            continue;
        /* HEAD is GET without the body. */
        if (strcmp(api_routes[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(api_routes[i].method, "GET") == 0))
            return &api_routes[i];
        *path_known = true;
    }
    return NULL;
}
