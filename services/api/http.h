/* http.h - settings of mue-api's answers shared by every request (api.h has the answers).
 * SPDX-License-Identifier: MIT */
#ifndef HTTP_H
#define HTTP_H

#include "api.h"

/* The Access-Control-Allow-Origin of every answer ("*", an origin), or NULL/"" for none. Set once
 * before the server starts. */
void http_set_cors(const char *origin);

/* Adds the headers every answer carries (CORS). */
void http_common_headers(struct mg_connection *conn);

#endif
