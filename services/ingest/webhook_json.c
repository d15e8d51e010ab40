/* webhook_json.c - typed jansson field access shared by the webhook parsers.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mue_base64.h"
#include "mue_err.h"
#include "mue_http_guard.h"
#include "mue_json_depth.h"
#include "mue_time.h"
#include "webhook_json.h"

int webhook_json_fail(struct webhook_reason *r, const char *where, const char *key,
                      const char *what)
{
    bool has_where = where != NULL && where[0] != '\0';
    bool has_key = key != NULL && key[0] != '\0';

    if (r == NULL || r->buf == NULL || r->cap == 0)
        return MUE_EDECODE;
    /* Truncation is fine: the reason is for a log line, and snprintf always terminates. */
    (void)snprintf(r->buf, r->cap, "%s%s%s%s%s", has_where ? where : "",
                   has_where && has_key ? "." : "", has_key ? key : "",
                   has_where || has_key ? ": " : "", what);
    return MUE_EDECODE;
}

/* Parses one JSON document of the wanted type ('object' or else array). */
static int load_doc(const char *body, size_t len, bool object, json_t **root,
                    struct webhook_reason *r)
{
    json_error_t err;
    json_t *doc;
    char what[80];

    if (body == NULL && len > 0)
        return webhook_json_fail(r, NULL, NULL, "no body");
    if (mue_json_too_deep(body, len)) {
        mue_http_guard_count(MUE_HTTP_JSON_TOO_DEEP);
        snprintf(what, sizeof(what), "JSON nested deeper than %d levels", mue_json_depth_limit());
        return webhook_json_fail(r, NULL, NULL, what);
    }
    /* jansson's own error text quotes the offending token; ours gives only its position so a
     * device's bytes never reach a log line. */
    doc = json_loadb(body == NULL ? "" : body, len, JSON_REJECT_DUPLICATES, &err);
    if (doc == NULL) {
        if (json_error_code(&err) == json_error_duplicate_key)
            snprintf(what, sizeof(what), "duplicate key at line %d", err.line);
        else
            snprintf(what, sizeof(what), "invalid JSON at line %d, column %d", err.line,
                     err.column);
        return webhook_json_fail(r, NULL, NULL, what);
    }
    if (object ? !json_is_object(doc) : !json_is_array(doc)) {
        json_decref(doc);
        return webhook_json_fail(r, NULL, NULL,
                                 object ? "body is not a JSON object" : "body is not a JSON array");
    }
    *root = doc;
    return 0;
}

int webhook_json_load(const char *body, size_t len, json_t **root, struct webhook_reason *r)
{
    return load_doc(body, len, true, root, r);
}

int webhook_json_load_array(const char *body, size_t len, json_t **root, struct webhook_reason *r)
{
    return load_doc(body, len, false, root, r);
}

/* The member, or NULL for absent and JSON null alike. */
static const json_t *member(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    return json_is_null(v) ? NULL : v;
}

int webhook_json_object(const json_t *obj, const char *where, const char *key, bool required,
                        const json_t **out, struct webhook_reason *r)
{
    const json_t *v = member(obj, key);

    if (v == NULL) {
        if (required)
            return webhook_json_fail(r, where, key, "missing");
    } else if (!json_is_object(v)) {
        return webhook_json_fail(r, where, key, "not an object");
    }
    *out = v;
    return 0;
}

int webhook_json_array(const json_t *obj, const char *where, const char *key, bool required,
                       const json_t **out, struct webhook_reason *r)
{
    const json_t *v = member(obj, key);

    if (v == NULL) {
        if (required)
            return webhook_json_fail(r, where, key, "missing");
    } else if (!json_is_array(v)) {
        return webhook_json_fail(r, where, key, "not an array");
    }
    *out = v;
    return 0;
}

int webhook_json_string(const json_t *obj, const char *where, const char *key, bool required,
                        const char **out, struct webhook_reason *r)
{
    const json_t *v = member(obj, key);

    if (v == NULL) {
        if (required)
            return webhook_json_fail(r, where, key, "missing");
        *out = NULL;
        return 0;
    }
    if (!json_is_string(v))
        return webhook_json_fail(r, where, key, "not a string");
    /* Without JSON_ALLOW_NUL jansson rejects "\u0000", so the C string is the whole value. */
    *out = json_string_value(v);
    return 0;
}

int webhook_json_u32(const json_t *obj, const char *where, const char *key, uint32_t *out,
                     struct webhook_reason *r)
{
    const json_t *v = member(obj, key);
    json_int_t n;

    if (v == NULL) {
        *out = 0;
        return 0;
    }
    /* 3.0 is a real to jansson: the protobuf JSON mapping never writes counters that way. */
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return webhook_json_fail(r, where, key, "not an unsigned integer");
    n = json_integer_value(v);
    if (n > (json_int_t)UINT32_MAX)
        return webhook_json_fail(r, where, key, "out of range");
    *out = (uint32_t)n;
    return 0;
}

int webhook_json_double(const json_t *obj, const char *where, const char *key, double *out,
                        struct webhook_reason *r)
{
    const json_t *v = member(obj, key);

    if (v == NULL) {
        *out = 0;
        return 0;
    }
    if (!json_is_number(v))
        return webhook_json_fail(r, where, key, "not a number");
    *out = json_number_value(v);
    return 0;
}

int webhook_json_i32(const json_t *obj, const char *where, const char *key, int32_t *out,
                     struct webhook_reason *r)
{
    double d;
    int rc = webhook_json_double(obj, where, key, &d, r);

    if (rc < 0)
        return rc;
    /* TTS sends RSSI as a float, ChirpStack as an int; the bounds keep lround() defined. */
    if (!(d > -2147483648.5 && d < 2147483647.5))
        return webhook_json_fail(r, where, key, "out of range");
    *out = (int32_t)lround(d);
    return 0;
}

int webhook_json_u64(const json_t *obj, const char *where, const char *key, uint64_t *out,
                     struct webhook_reason *r)
{
    const json_t *v = member(obj, key);
    const char *s;
    uint64_t n = 0;

    if (v == NULL) {
        *out = 0;
        return 0;
    }
    if (json_is_integer(v)) {
        if (json_integer_value(v) < 0)
            return webhook_json_fail(r, where, key, "not an unsigned integer");
        *out = (uint64_t)json_integer_value(v);
        return 0;
    }
    if (!json_is_string(v))
        return webhook_json_fail(r, where, key, "not an unsigned integer");
    s = json_string_value(v);
    if (s[0] == '\0')
        return webhook_json_fail(r, where, key, "not an unsigned integer");
    for (; *s != '\0'; s++) {
        unsigned digit;
        if (*s < '0' || *s > '9')
            return webhook_json_fail(r, where, key, "not an unsigned integer");
        digit = (unsigned)(*s - '0');
        if (n > (UINT64_MAX - digit) / 10)
            return webhook_json_fail(r, where, key, "out of range");
        n = n * 10 + digit;
    }
    *out = n;
    return 0;
}

int webhook_json_eui(const json_t *obj, const char *where, const char *key, char out[17],
                     struct webhook_reason *r)
{
    const char *s;
    char eui[17];
    int rc = webhook_json_string(obj, where, key, true, &s, r);

    if (rc < 0)
        return rc;
    if (strlen(s) != 16)
        return webhook_json_fail(r, where, key, "not 16 hex digits");
    for (int i = 0; i < 16; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return webhook_json_fail(r, where, key, "not 16 hex digits");
        eui[i] = c;
    }
    /* One spelling everywhere: subjects, database keys and registry lookups compare bytes. */
    eui[16] = '\0';
    memcpy(out, eui, sizeof(eui));
    return 0;
}

int webhook_json_base64(const json_t *obj, const char *where, const char *key, uint8_t *out,
                        size_t cap, size_t *len, struct webhook_reason *r)
{
    const char *s;
    char what[48];
    int n, rc = webhook_json_string(obj, where, key, false, &s, r);

    if (rc < 0)
        return rc;
    if (s == NULL) {
        *len = 0;
        return 0;
    }
    n = mue_base64_decode(s, strlen(s), out, cap);
    if (n == MUE_E2BIG) {
        snprintf(what, sizeof(what), "payload larger than %zu bytes", cap);
        return webhook_json_fail(r, where, key, what);
    }
    if (n < 0)
        return webhook_json_fail(r, where, key, "not base64");
    *len = (size_t)n;
    return 0;
}

int webhook_json_time(const json_t *obj, const char *where, const char *key, int64_t *out_us,
                      bool *found, struct webhook_reason *r)
{
    const char *s;
    int rc = webhook_json_string(obj, where, key, false, &s, r);

    if (rc < 0)
        return rc;
    *found = s != NULL;
    if (s == NULL)
        return 0;
    if (mue_time_parse(s, out_us) < 0)
        return webhook_json_fail(r, where, key, "not an RFC 3339 time");
    return 0;
}

void webhook_json_copy_text(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);

    if (n >= cap) {
        n = cap - 1;
        /* Back off to the lead byte of the character that would be split: half a character is
         * invalid UTF-8, which PostgreSQL and protobuf consumers reject. */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

bool webhook_json_is_token(const char *s, size_t max_len)
{
    size_t n = 0;

    for (; s[n] != '\0'; n++) {
        if (n >= max_len || (unsigned char)s[n] <= 0x20 || (unsigned char)s[n] >= 0x7f)
            return false;
    }
    return n > 0;
}

int webhook_json_object_text(const json_t *obj, const char *where, const char *key, char *out,
                             size_t cap, struct webhook_reason *r)
{
    const json_t *o = NULL;
    size_t need;
    int rc = webhook_json_object(obj, where, key, false, &o, r);

    out[0] = '\0';
    if (rc < 0 || o == NULL)
        return rc;
    need = json_dumpb(o, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (need == 0 || need >= cap)
        return webhook_json_fail(r, where, key, "decoded object too large");
    json_dumpb(o, out, cap, JSON_COMPACT | JSON_PRESERVE_ORDER);
    out[need] = '\0';
    return 0;
}

/* Reads a string of decimal digits into an unsigned value; "" counts as absent (ThingPark fills
 * fields it has no value for with ""). */
int webhook_json_u32_lenient(const json_t *obj, const char *where, const char *key, uint32_t *out,
                             struct webhook_reason *r)
{
    const json_t *v = member(obj, key);
    const char *s;
    uint64_t n = 0;

    if (v == NULL || json_is_integer(v))
        return webhook_json_u32(obj, where, key, out, r);
    if (!json_is_string(v))
        return webhook_json_fail(r, where, key, "not an unsigned integer");
    for (s = json_string_value(v); *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return webhook_json_fail(r, where, key, "not an unsigned integer");
        n = n * 10 + (uint64_t)(*s - '0');
        if (n > UINT32_MAX)
            return webhook_json_fail(r, where, key, "out of range");
    }
    *out = (uint32_t)n;
    return 0;
}

/* [+-]digits[.digits][(e|E)[+-]digits], with at least one digit before the exponent: what a
 * number printed by a network server looks like. sscanf alone would also take "inf", "nan",
 * hex floats and leading spaces. */
static bool is_decimal(const char *s)
{
    size_t digits = 0;

    if (*s == '+' || *s == '-')
        s++;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    if (digits == 0)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (*s < '0' || *s > '9')
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

int webhook_json_double_lenient(const json_t *obj, const char *where, const char *key, double *out,
                                struct webhook_reason *r)
{
    const json_t *v = member(obj, key);
    const char *s;
    double d;

    if (v == NULL || json_is_number(v))
        return webhook_json_double(obj, where, key, out, r);
    if (!json_is_string(v))
        return webhook_json_fail(r, where, key, "not a number");
    s = json_string_value(v);
    if (s[0] == '\0') {
        *out = 0;
        return 0;
    }
    if (!is_decimal(s))
        return webhook_json_fail(r, where, key, "not a number");
    /* The services never call setlocale(), so "%lf" reads '.' as the decimal point. */
    if (sscanf(s, "%lf", &d) != 1 || !isfinite(d))
        return webhook_json_fail(r, where, key, "out of range");
    *out = d;
    return 0;
}
