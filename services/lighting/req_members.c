/* req_members.c - strict readers of a request's members: each refusal names the member and says
 * what it must be, so that a typo never passes for a default.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "mue_localtime.h"
#include "req_common.h"
#include "talq_fields.h"

/* The member, or NULL when it is absent or null (an optional member not given). */
static json_t *member(const struct req *r, const char *name)
{
    json_t *v = json_object_get(r->body, name);

    return json_is_null(v) ? NULL : v;
}

static json_t *missing(const char *name)
{
    return req_fail("bad_request", "%s: missing", name);
}

json_t *req_only(const struct req *r, const char *const *known)
{
    const char *key;
    json_t *value;

    json_object_foreach(r->body, key, value)
    {
        size_t i = 0;

        if (strcmp(key, "actor") == 0 || strcmp(key, "key_id") == 0)
            continue;
        while (known[i] != NULL && strcmp(known[i], key) != 0)
            i++;
        if (known[i] == NULL)
            return req_fail("bad_request", "unknown member \"%.64s\"", key);
    }
    return NULL;
}

json_t *req_string(const struct req *r, const char *name, bool required, bool empty_ok, size_t max,
                   const char **out)
{
    json_t *v = member(r, name);
    size_t len;

    if (v == NULL)
        return required ? missing(name) : NULL;
    len = json_string_length(v);
    /* A NUL inside would cut the text short in SQL's hands: refused like any bad string. */
    if (!json_is_string(v) || len > max || (len == 0 && !empty_ok) ||
        strlen(json_string_value(v)) != len)
        return req_fail("bad_request", "%s: must be a text of %s to %zu bytes", name,
                        empty_ok ? "0" : "1", max);
    *out = json_string_value(v);
    return NULL;
}

json_t *req_int(const struct req *r, const char *name, bool required, long long min, long long max,
                long long *out)
{
    json_t *v = member(r, name);

    if (v == NULL)
        return required ? missing(name) : NULL;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return req_fail("bad_request", "%s: must be a whole number from %lld to %lld", name, min,
                        max);
    *out = json_integer_value(v);
    return NULL;
}

json_t *req_bool(const struct req *r, const char *name, bool *out)
{
    json_t *v = member(r, name);

    if (v == NULL)
        return NULL;
    if (!json_is_boolean(v))
        return req_fail("bad_request", "%s: must be true or false", name);
    *out = json_is_true(v);
    return NULL;
}

json_t *req_id(const struct req *r, const char *name, const char **out)
{
    const char *s = NULL;
    json_t *err = req_string(r, name, true, false, LIGHT_ID_MAX - 1, &s);

    if (err == NULL && !talq_is_id(s))
        err = req_fail("bad_request", "%s: \"%s\" is not an id (1 to 63 of A-Z a-z 0-9 _ . : -)",
                       name, s);
    if (err == NULL)
        *out = s;
    return err;
}

bool req_is_group_name(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 64 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
        return false;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (!(islower(c) || isdigit(c) || c == '_' || c == '.' || c == '-'))
            return false;
    }
    return true;
}

json_t *req_group(const struct req *r, const char *name, bool required, const char **out)
{
    const char *s = NULL;
    json_t *err = req_string(r, name, required, false, REQ_GROUP_MAX, &s);

    if (err != NULL || s == NULL)
        return err;
    if (!req_is_group_name(s))
        return req_fail("bad_request", "%s: \"%.72s\" is not a group name (a-z 0-9 _ . -)", name,
                        s);
    *out = s;
    return NULL;
}

bool req_is_dev_eui(const char *s, char out[17])
{
    if (strlen(s) != 16 || strspn(s, "0123456789abcdefABCDEF") != 16)
        return false;
    for (int i = 0; i < 16; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[16] = '\0';
    return true;
}

json_t *req_dev_eui(const struct req *r, const char *name, bool required, char out[17])
{
    const char *s = NULL;
    json_t *err = req_string(r, name, required, false, 64, &s);

    if (err == NULL && s != NULL && !req_is_dev_eui(s, out))
        err = req_fail("bad_request", "%s: \"%s\" is not a DevEUI (16 hex digits)", name, s);
    if (err == NULL && s == NULL)
        out[0] = '\0';
    return err;
}

json_t *req_date(const struct req *r, const char *name, bool required, int64_t *out)
{
    const char *s = NULL;
    json_t *err = req_string(r, name, required, false, 32, &s);
    int y, m, d, y2, m2, d2;
    char tail;

    if (err != NULL || s == NULL)
        return err;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || strspn(s, "0123456789") != 4 ||
        strspn(s + 5, "0123456789") != 2 || strspn(s + 8, "0123456789") != 2 ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1970 || y > 2200 || m < 1 ||
        m > 12 || d < 1 || d > 31)
        return req_fail("bad_request", "%s: \"%s\" is not a date YYYY-MM-DD", name, s);
    *out = mue_localtime_days_from_civil(y, m, d);
    mue_localtime_civil_from_days(*out, &y2, &m2, &d2);
    if (y2 != y || m2 != m || d2 != d)
        return req_fail("bad_request", "%s: %s is not a day of the calendar", name, s);
    return NULL;
}
