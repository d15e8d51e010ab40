/* mue_json_depth.h - how deep a JSON text nests, found before any parser builds it; the one
 * nesting limit of the process's JSON bodies.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_JSON_DEPTH_H
#define MUE_JSON_DEPTH_H

#include <stdbool.h>
#include <stddef.h>

/* What a body may nest unless the service says otherwise: no network server, device or
 * dashboard nests more than a handful of levels, and jansson would go to 2048. */
#define MUE_JSON_DEPTH_DEFAULT 32

/* Sets the process's limit (levels of objects and arrays; values below 1 are taken as 1).
 * Call once at start, before the servers run; read by every thread after. */
void mue_json_depth_set_limit(int levels);

/* The process's limit, MUE_JSON_DEPTH_DEFAULT unless set. */
int mue_json_depth_limit(void);

/* True when 'len' bytes of JSON text (no NUL needed) open more than 'levels' objects and arrays
 * inside one another, counted outside strings. It stops at the first level too many, so a body
 * of '[' costs one pass over its head. Says nothing about validity: the parser decides that. */
bool mue_json_deeper_than(const char *text, size_t len, int levels);

/* The same against the process's limit. */
bool mue_json_too_deep(const char *text, size_t len);

#endif
