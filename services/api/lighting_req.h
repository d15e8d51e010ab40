/* lighting_req.h - mue-lighting's bus requests as mue-api makes them (docs/lighting.md, "Requests
 * on the bus"): what the API checks before asking, the request bodies, the call, and the status an
 * answer becomes. Everything but lighting_req_ask is pure.
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_REQ_H
#define LIGHTING_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* How long a handler waits for mue-lighting's answer, and a public indicator (which answers
 * without the lighting part rather than keep the public waiting). */
#define LIGHTING_REQ_TIMEOUT_MS   5000
#define LIGHTING_REQ_INDICATOR_MS 2000

/* The largest body of a program, a calendar, an assignment or an override. */
#define LIGHTING_REQ_BODY_MAX (64 * 1024)

/* A program's or a calendar's id: 1 to 63 of A-Z a-z 0-9 _ . : - (lighting_program's CHECK). */
bool lighting_req_id_is_valid(const char *id);

/* A group's name: a lower-case letter or digit, then up to 63 of a-z 0-9 _ . - (device_group's
 * CHECK). */
bool lighting_req_group_is_valid(const char *name);

/* Reads a calendar date "YYYY-MM-DD" (a real date, years 1..9999) into days since 1970-01-01.
 * Returns 0, or -1 with *days untouched. */
int lighting_req_date_parse(const char *s, int64_t *days);

/* Writes the date of 'days' (since 1970-01-01) as "YYYY-MM-DD". */
void lighting_req_date_format(int64_t days, char out[11]);

/* The local (Europe/Paris) date of the instant t_s, as days since 1970-01-01. */
int64_t lighting_req_local_day(int64_t t_s);

/* A request: 'fields' (stolen; an object) with "actor" set to "key:<key_name>" and "key_id" to
 * key_id (null when 0), whatever the fields held under those names, so a caller cannot speak for
 * another. Returns the request (the caller's reference). */
json_t *lighting_req_new(json_t *fields, const char *key_name, int64_t key_id);

/* A PUT of a program or a calendar: the document's "id" must be path_id, or absent (then it is
 * set to path_id). Returns 0 with 'doc' completed, or -1 with the reason in why. */
int lighting_req_doc_id(json_t *doc, const char *path_id, const char *what, char *why, size_t cap);

/* PUT /v1/lighting/assignments/{group}: the body {"calendar", "priority"?} (a "group" member, if
 * any, must be the path's; priority a whole number, its range mue-lighting's) becomes the fields
 * {"group", "calendar", "priority"?}. Returns 0 with
 * *out set (the caller's), or -1 with the reason in why. 'body' is borrowed. */
int lighting_req_assignment(json_t *body, const char *group, json_t **out, char *why, size_t cap);

/* POST /v1/lighting/overrides: only the members of override.create; "group" (a group's name) or
 * "dev_euis" (1 to 1000 DevEUIs of 16 hex digits, written lower-case), not both. The rest (level,
 * times, reason...) is mue-lighting's to check. Returns 0 with *out set (the caller's), or -1
 * with the reason in why. 'body' is borrowed. */
int lighting_req_override(json_t *body, json_t **out, char *why, size_t cap);

/* The HTTP status of an answer: ok_status when it carries no "error" (201 rather than 200 when it
 * says "created": true); 400 for bad_request, 404 not_found, 409 conflict, and 503 for
 * unavailable or an error this API does not know; 502 when the answer is not a JSON object.
 * *error and *reason point into the answer (NULL without an error or a reason). */
int lighting_req_status(json_t *answer, int ok_status, const char **error, const char **reason);

/* Sends 'req' (borrowed) to mue-lighting as 'verb' and waits up to timeout_ms. Returns 0 with
 * *answer set (the caller's; it may be any JSON, or NULL when it did not parse: see
 * lighting_req_status), MUE_ETIMEDOUT when nobody answered in time, or MUE_EBUS when the bus is
 * down. */
int lighting_req_ask(const char *verb, json_t *req, long timeout_ms, json_t **answer);

/* The public indicator's groups (an array of objects with "group"; modified) completed with the
 * energy of their day from the answer of 'energy' (its "days", borrowed; NULL when mue-lighting
 * did not answer): each group gets "energy" {"planned_wh", "full_wh", "saving_wh", "saving_pct",
 * "measured_wh"} or null when the answer has no day for it. Returns the totals over the groups
 * with energy in the same shape (measured_wh: null unless some group has it), or JSON null when
 * there is no answer (a new reference). */
json_t *lighting_req_energy_merge(json_t *groups, json_t *days);

#endif
