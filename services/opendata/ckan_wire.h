/* ckan_wire.h - the pure half of the CKAN push: action URLs, request bodies (JSON and
 * multipart/form-data), CKAN's answers read into a result or an error text, retry waits.
 * SPDX-License-Identifier: MIT */
#ifndef CKAN_WIRE_H
#define CKAN_WIRE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ckan.h"
#include "mue_buf.h"

/* The longest wait between two attempts, whatever the doubling reached. */
#define CKAN_BACKOFF_CAP_MS 30000L
/* A Retry-After above this is not waited for: the push gives up and says so. */
#define CKAN_RETRY_AFTER_MAX_S 300L

/* True for a name CKAN accepts: 2 to 100 of lowercase ASCII letters, digits, '-' and '_'. */
bool ckan_wire_name_is_valid(const char *name);

/* Checks what ckan_push needs before any call: a valid name, a title, resources each with a name
 * (unique within the package) and a url, no negative counts. Returns 0, or MUE_EINVAL with 'err'
 * saying what. */
int ckan_wire_check_package(const struct ckan_package *pkg, char *err, size_t errlen);

/* "<base>/api/3/action/<action>", the base's trailing slashes dropped, and "?id=<id>" (percent-
 * encoded) when 'id' is not NULL. Returns 0, or MUE_E2BIG when it does not fit 'cap'. */
int ckan_wire_action_url(const char *base, const char *action, const char *id, char *out,
                         size_t cap);

/* The body of package_create ('package_id' NULL: with owner_org when not NULL) or of package_patch
 * (with "id": package_id; the owner is left as it is). Absent (NULL) fields are left out. A new
 * reference, the caller's. */
json_t *ckan_wire_package_body(const struct ckan_package *pkg, const char *owner_org,
                               const char *package_id);

/* The fields of resource_create ('resource_id' NULL: with "package_id") or of resource_update (with
 * "id"): name, description, format, url; all strings. A new reference, the caller's. */
json_t *ckan_wire_resource_body(const struct ckan_resource *r, const char *package_id,
                                const char *resource_id);

/* Encodes 'fields' (an object of strings; other values are skipped) then the file 'data' as the
 * part "upload" named 'filename', into 'body' (appended), with a boundary found nowhere in the
 * data. Writes the Content-Type (with its boundary) into 'content_type'. Returns 0, MUE_EINVAL
 * (a field name or file name with a quote, CR or LF), or MUE_E2BIG. */
int ckan_wire_multipart(const json_t *fields, const char *filename, const void *data, size_t len,
                        struct mue_buf *body, char *content_type, size_t ctlen);

/* Reads an answer of status 'status'. Success ({"success": true, "result": ...} with a 2xx):
 * returns 0 and *result, a new reference. Otherwise returns MUE_EDECODE when the body is not
 * CKAN's JSON, else MUE_EINVAL, and writes into 'err' the error's type and message (or its
 * field errors: "name: That URL is already in use."). */
int ckan_wire_answer_parse(int status, const char *body, size_t len, json_t **result, char *err,
                           size_t errlen);

/* The id of the package's first resource named 'name', or NULL. Borrowed from 'package'. */
const char *ckan_wire_resource_id(const json_t *package, const char *name);

/* The wait before attempt n+1 (n >= 1 attempts made): backoff_ms doubled n-1 times, capped at
 * CKAN_BACKOFF_CAP_MS, and at least 'retry_after_s' seconds when it is >= 0. */
long ckan_wire_wait_ms(long backoff_ms, int attempts_made, long retry_after_s);

#endif
