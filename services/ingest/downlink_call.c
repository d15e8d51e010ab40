/* downlink_call.c - what the network servers' API calls share: the URL under a base, the bearer
 * header, the error text of an answer.
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "downlink.h"
#include "downlink_call.h"
#include "mue_err.h"
#include "webhook_json.h"

void downlink_call_fini(struct downlink_call *call)
{
    free(call->body);
    call->body = NULL;
    call->body_len = 0;
}

int downlink_call_url(struct downlink_call *call, const char *base, const char *fmt, ...)
{
    char path[512];
    size_t n = strlen(base);
    va_list ap;
    int w;

    while (n > 0 && base[n - 1] == '/')
        n--; /* "https://host/" and "https://host" name the same API */
    va_start(ap, fmt);
    w = vsnprintf(path, sizeof(path), fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= sizeof(path))
        return MUE_E2BIG;
    w = snprintf(call->url, sizeof(call->url), "%.*s%s", (int)n, base, path);
    return w < 0 || (size_t)w >= sizeof(call->url) ? MUE_E2BIG : MUE_OK;
}

int downlink_call_bearer(struct downlink_call *call, const char *secret)
{
    int w;

    call->authorization[0] = '\0';
    if (secret == NULL || secret[0] == '\0')
        return MUE_OK; /* the server will answer 401, which says what is missing */
    w = snprintf(call->authorization, sizeof(call->authorization), "Authorization: Bearer %s",
                 secret);
    return w < 0 || (size_t)w >= sizeof(call->authorization) ? MUE_E2BIG : MUE_OK;
}

int downlink_call_set_body(struct downlink_call *call, json_t *doc)
{
    call->body = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (call->body == NULL)
        return MUE_ENOMEM;
    call->body_len = strlen(call->body);
    return MUE_OK;
}

void downlink_error_message(const char *body, size_t len, char *out, size_t cap)
{
    json_t *doc = NULL;
    const char *msg = NULL;
    struct webhook_reason r = { NULL, 0 };

    if (cap == 0)
        return;
    out[0] = '\0';
    if (webhook_json_load(body, len, &doc, &r) < 0)
        return; /* an HTML page from a proxy says nothing worth keeping */
    if (webhook_json_string(doc, "", "message", false, &msg, &r) == 0 && msg != NULL) {
        webhook_json_copy_text(out, cap, msg);
        for (char *c = out; *c != '\0'; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                *c = '?';
    }
    json_decref(doc);
}
