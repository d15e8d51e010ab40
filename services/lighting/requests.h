/* requests.h - mue-lighting's answers to the requests on mue.lighting.req.<verb>: programs,
 * calendars, assignments, overrides, plans, commands and energy (docs/lighting.md, "Requests on
 * the bus").
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_REQUESTS_H
#define LIGHTING_REQUESTS_H

#include <stddef.h>

struct mue_db;

/* Answers one request. 'verb' is the subject's tail after "mue.lighting.req." (e.g.
 * "program.put"); body/len the request (a JSON object; an empty body reads as {}). Returns a
 * malloc'd JSON text (never NULL), the answer or {"error":...,"reason":...} with error one of
 * bad_request, not_found, conflict, unavailable. A change is written with its audit_log row in one
 * transaction. Sets *changed to 1 when schedules changed (the service recompiles), else leaves it.
 * Not thread-safe on one db: one connection per thread. */
char *lighting_request(struct mue_db *db, const char *verb, const char *body, size_t len,
                       int *changed);

#endif
