/* device_body.h - the body of POST /v1/devices and PUT /v1/devices/{dev_eui} checked field by
 * field without a connection: a JSON object in, the fields to write (normalised) or the reason for
 * a 400 that names the field out. Whether the use case and the site exist is the database's to
 * say (h_devices_edit.c).
 * SPDX-License-Identifier: MIT */
#ifndef DEVICE_BODY_H
#define DEVICE_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* Checks 'body' (borrowed; an object). For a POST ('create'), its dev_eui (16 hexadecimal digits)
 * is written lower-cased into eui, and name, model and use_case are required; for a PUT, eui is
 * the path's (lower-case), a dev_eui member must be it in any case, active is one of the fields
 * and at least one member is needed. The fields: name (1 to 200 characters), model
 * ([a-z0-9-]{1,63}), use_case ([a-z][a-z0-9_]{0,31}), network (chirpstack, tts, thingpark,
 * liveobjects, senml), site_id (>= 1 or null), latitude and longitude (in range, or null; numbers
 * become reals), params (an object), expected_period_s (1..2147483647 or null), active (true or
 * false); text holds no NUL. Returns 0 with *set (the fields given, dev_eui aside; the caller's
 * reference), or -1 with *set NULL and the reason in why. */
int device_body_check(json_t *body, bool create, char eui[17], json_t **set, char *why, size_t cap);

#endif
