/* body.h - a request body of mue-api read as JSON without a connection: bytes in, an object or
 * the reason for a 400 out. api_body_json (http.c) reads the bytes and answers the refusal; the
 * checks of each resource's fields are beside it (alert_body.h, device_body.h, lighting_req.h).
 * SPDX-License-Identifier: MIT */
#ifndef BODY_H
#define BODY_H

#include <stddef.h>

#include <jansson.h>

/* Parses the len bytes of buf (no NUL needed) as a JSON object; a key given twice is refused.
 * Returns 0 with *out set (the caller's reference), or -1 with *out NULL and the reason in why. */
int body_parse(const char *buf, size_t len, json_t **out, char *why, size_t cap);

#endif
