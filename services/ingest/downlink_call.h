/* downlink_call.h - helpers the network servers' call builders share (downlink_call.c).
 * SPDX-License-Identifier: MIT */
#ifndef DOWNLINK_CALL_H
#define DOWNLINK_CALL_H

#include <jansson.h>

#include "downlink.h"

/* call->url = 'base' (trailing slashes dropped) followed by the formatted path. Returns 0, or
 * MUE_E2BIG. */
int downlink_call_url(struct downlink_call *call, const char *base, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* call->authorization = "Authorization: Bearer <secret>", or "" when there is no secret. Returns
 * 0, or MUE_E2BIG. */
int downlink_call_bearer(struct downlink_call *call, const char *secret);

/* call->body = compact JSON text of 'doc', which it takes ownership of. Returns 0, or MUE_ENOMEM.
 */
int downlink_call_set_body(struct downlink_call *call, json_t *doc);

#endif
