/* body.c - a request body of mue-api read as a JSON object, without a connection.
 * SPDX-License-Identifier: MIT */
#include "body.h"

#include <stdio.h>

#include "mue_http_guard.h"
#include "mue_json_depth.h"

int body_parse(const char *buf, size_t len, json_t **out, char *why, size_t cap)
{
    json_error_t jerr;

    /* Refused before jansson builds it: jansson goes 2048 levels deep, an allocation a byte. */
    if (mue_json_too_deep(buf, len)) {
        *out = NULL;
        mue_http_guard_count(MUE_HTTP_JSON_TOO_DEEP);
        return snprintf(why, cap, "the body nests deeper than %d levels (MUE_API_MAX_JSON_DEPTH)",
                        mue_json_depth_limit()),
               -1;
    }
    /* A key given twice would be read as the last one here and maybe the first elsewhere. */
    *out = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (*out == NULL)
        return snprintf(why, cap, "the body is not JSON: %s (line %d)", jerr.text, jerr.line), -1;
    if (!json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        return snprintf(why, cap, "the body must be a JSON object"), -1;
    }
    return 0;
}
