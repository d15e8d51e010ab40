/* openapi.h - the OpenAPI 3.0.3 document of mue-api, made from the route table (routes.c) so that
 * it lists exactly the routes the server answers.
 * SPDX-License-Identifier: MIT */
#ifndef OPENAPI_H
#define OPENAPI_H

#include <stddef.h>

/* The document as compact JSON, made on the first call (any thread; later calls wait for it) and
 * the same bytes for the life of the process. Each route gives its path and method, summary,
 * parameters, the content types of its 200 and the Error schema of its 400, 401, 403 and 404,
 * its security (a bearer key, optional on the routes open to the public) and "x-mue-roles", the
 * names of the roles it admits. Returns the text with *len set, or NULL when it could not be
 * made (out of memory). */
const char *openapi_document(size_t *len);

#endif
