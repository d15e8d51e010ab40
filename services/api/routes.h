/* routes.h - every route of mue-api in one table: method, path pattern, who may call it, its
 * handler, and what the OpenAPI document says of it.
 * SPDX-License-Identifier: MIT */
#ifndef ROUTES_H
#define ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"

/* A query or path parameter, as documented (and, for enum and ranges, checked by the handler). */
struct api_param {
    const char *name;
    const char *in;   /* "path" or "query" */
    const char *type; /* "string", "integer", "number", "boolean" */
    bool required;
    const char *description;
};

#define API_MAX_PARAMS 10

struct api_route {
    const char *method;  /* "GET", "POST", "PUT", "DELETE" */
    const char *pattern; /* "/v1/devices/{dev_eui}/series": a {name} matches one segment */
    unsigned roles;      /* the API_* bits allowed */
    api_handler_fn handler;
    const char *summary;
    const char *produces; /* "application/json" or "application/json, text/csv" */
    struct api_param params[API_MAX_PARAMS];
};

extern const struct api_route api_routes[];
extern const size_t api_nroutes;

/* Finds the route of 'method' and 'path', filling r->param with the {name} segments (decoded).
 * Returns it; NULL with *path_known set when the path matches a route of another method (405),
 * or clear (404). A path segment longer than the room for it does not match. */
const struct api_route *routes_match(const char *method, const char *path, struct api_req *r,
                                     bool *path_known);

#endif
