/* webhook_json.h - typed jansson field access for the webhook parsers; failures name the field.
 * SPDX-License-Identifier: MIT */
#ifndef WEBHOOK_JSON_H
#define WEBHOOK_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* The caller's reason buffer; 'buf' may be NULL when 'cap' is 0. */
struct webhook_reason {
    char *buf;
    size_t cap;
};

/* In every accessor below, 'where' names 'obj' in reasons ("" for the root, "rxInfo[2]", ...),
 * 'key' is the member read, and a JSON null counts as absent: network servers omit or null
 * empty fields interchangeably. Each returns 0, or MUE_EDECODE after writing
 * "<where>.<key>: <what>" to 'r'. Returned json_t and string pointers are borrowed from 'obj'. */

/* Writes "<where>.<key>: <what>" (parts left out when empty or NULL), always NUL-terminated and
 * truncated to r->cap. Returns MUE_EDECODE so callers can 'return webhook_json_fail(...)'. */
int webhook_json_fail(struct webhook_reason *r, const char *where, const char *key,
                      const char *what);

/* Parses 'len' bytes of 'body' (not NUL-terminated) as one JSON object no deeper than the
 * process's limit (mue_json_depth_limit(), MUE_INGEST_MAX_JSON_DEPTH): deeper bodies are refused
 * before jansson builds them, as a 64 KiB body of '[' would cost thousands of allocations, and
 * counted (mue_http_refused_total{reason="json_too_deep"}). Duplicate keys are an error, as they
 * would let two readers see two different uplinks. Returns 0 and *root (the caller's, to
 * json_decref), or MUE_EDECODE; the reason gives a position, never body bytes. */
int webhook_json_load(const char *body, size_t len, json_t **root, struct webhook_reason *r);

/* The same for a body that must be a JSON array (a SenML pack). */
int webhook_json_load_array(const char *body, size_t len, json_t **root, struct webhook_reason *r);

/* *out = the member as an object / array, or NULL when absent and not 'required'. */
int webhook_json_object(const json_t *obj, const char *where, const char *key, bool required,
                        const json_t **out, struct webhook_reason *r);
int webhook_json_array(const json_t *obj, const char *where, const char *key, bool required,
                       const json_t **out, struct webhook_reason *r);

/* *out = the member's text (NUL-terminated, valid UTF-8), or NULL when absent and not 'required'.
 */
int webhook_json_string(const json_t *obj, const char *where, const char *key, bool required,
                        const char **out, struct webhook_reason *r);

/* An integer in 0..UINT32_MAX; absent gives 0 (ChirpStack and TTS omit zero values). */
int webhook_json_u32(const json_t *obj, const char *where, const char *key, uint32_t *out,
                     struct webhook_reason *r);

/* A number (integer or real); absent gives 0. The _i32 variant rounds to the nearest int32. */
int webhook_json_double(const json_t *obj, const char *where, const char *key, double *out,
                        struct webhook_reason *r);
int webhook_json_i32(const json_t *obj, const char *where, const char *key, int32_t *out,
                     struct webhook_reason *r);

/* An unsigned 64-bit value given as a string of decimal digits (the protobuf JSON mapping of
 * uint64) or as a JSON integer; absent gives 0. */
int webhook_json_u64(const json_t *obj, const char *where, const char *key, uint64_t *out,
                     struct webhook_reason *r);

/* A required EUI-64 as exactly 16 hex digits, stored lowercase into out[17]. */
int webhook_json_eui(const json_t *obj, const char *where, const char *key, char out[17],
                     struct webhook_reason *r);

/* Optional base64 bytes into out (capacity 'cap'); absent gives *len = 0. */
int webhook_json_base64(const json_t *obj, const char *where, const char *key, uint8_t *out,
                        size_t cap, size_t *len, struct webhook_reason *r);

/* An optional RFC 3339 time; *found says whether it was present. */
int webhook_json_time(const json_t *obj, const char *where, const char *key, int64_t *out_us,
                      bool *found, struct webhook_reason *r);

/* An optional JSON object kept as compact text into out (capacity cap); absent gives "". Fails
 * when it is not an object or its text does not fit. */
int webhook_json_object_text(const json_t *obj, const char *where, const char *key, char *out,
                             size_t cap, struct webhook_reason *r);

/* Copies 'src' into dst (capacity cap > 0), cut at a UTF-8 character boundary when too long. */
void webhook_json_copy_text(char *dst, size_t cap, const char *src);

/* True when 's' is 1..max_len printable ASCII characters without spaces: safe to put in an id
 * that ends up in NATS headers, logs and SQL keys. */
bool webhook_json_is_token(const char *s, size_t max_len);

/* Like webhook_json_u32 / webhook_json_double, but the value may also be a string holding the
 * number ("FPort": "1", "LrrRSSI": "-80.000000"), as ThingPark writes them in some versions; an
 * empty string counts as absent. Strings must be plain decimal text: no spaces, "inf" or hex. */
int webhook_json_u32_lenient(const json_t *obj, const char *where, const char *key, uint32_t *out,
                             struct webhook_reason *r);
int webhook_json_double_lenient(const json_t *obj, const char *where, const char *key, double *out,
                                struct webhook_reason *r);

#endif
