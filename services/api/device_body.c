/* device_body.c - the body of a device's registration or change, checked field by field.
 * SPDX-License-Identifier: MIT */
#include "device_body.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const networks[] = { "chirpstack", "tts", "thingpark", "liveobjects", "senml" };

/* Characters (code points) of a UTF-8 string; jansson has checked the encoding. */
static size_t utf8_len(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* A JSON string without NUL (PostgreSQL text holds none), or NULL. */
static const char *str_of(const json_t *v)
{
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
        return NULL;
    return json_string_value(v);
}

static bool only_of(const char *s, const char *set)
{
    return strspn(s, set) == strlen(s);
}

/* Checks one field of the body and adds its value, normalised, to 'set'. Returns 0, or -1 with
 * why. 'create': POST (active is not one of its fields). */
static int check_field(const char *key, json_t *v, bool create, json_t *set, char *why, size_t cap)
{
    const char *s = str_of(v);
    double d;

    if (strcmp(key, "name") == 0) {
        if (s == NULL || utf8_len(s) < 1 || utf8_len(s) > 200)
            return snprintf(why, cap, "name must be a string of 1 to 200 characters"), -1;
    } else if (strcmp(key, "model") == 0) {
        if (s == NULL || strlen(s) < 1 || strlen(s) > 63 ||
            !only_of(s, "abcdefghijklmnopqrstuvwxyz0123456789-"))
            return snprintf(why, cap,
                            "model must be a codec id ([a-z0-9-]{1,63}, e.g. milesight-em310-udl)"),
                   -1;
    } else if (strcmp(key, "use_case") == 0) {
        /* Whether it exists is asked of the database, in the transaction. */
        if (s == NULL || strlen(s) < 1 || strlen(s) > 32 || s[0] < 'a' || s[0] > 'z' ||
            !only_of(s, "abcdefghijklmnopqrstuvwxyz0123456789_"))
            return snprintf(why, cap, "use_case must be the id of a use case (GET /v1/usecases)"),
                   -1;
    } else if (strcmp(key, "network") == 0) {
        size_t i = 0;

        while (s != NULL && i < sizeof(networks) / sizeof(networks[0]) &&
               strcmp(s, networks[i]) != 0)
            i++;
        if (s == NULL || i == sizeof(networks) / sizeof(networks[0]))
            return snprintf(why, cap,
                            "network must be one of chirpstack, tts, thingpark, liveobjects, "
                            "senml"),
                   -1;
    } else if (strcmp(key, "site_id") == 0) {
        if (!json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) < 1))
            return snprintf(why, cap,
                            "site_id must be the id of a site (a whole number >= 1) or null"),
                   -1;
    } else if (strcmp(key, "latitude") == 0 || strcmp(key, "longitude") == 0) {
        double lim = key[1] == 'a' ? 90.0 : 180.0;

        d = json_is_number(v) ? json_number_value(v) : 0.0;
        if (!json_is_null(v) && (!json_is_number(v) || d < -lim || d > lim))
            return snprintf(why, cap, "%s must be a number in -%g..%g or null", key, lim, lim), -1;
        if (json_is_number(v)) {
            json_object_set_new(set, key, json_real(d)); /* 43 and 43.0 alike */
            return 0;
        }
    } else if (strcmp(key, "params") == 0) {
        if (!json_is_object(v))
            return snprintf(why, cap, "params must be an object (installation parameters)"), -1;
    } else if (strcmp(key, "expected_period_s") == 0) {
        if (!json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) < 1 ||
                                 json_integer_value(v) > 2147483647))
            return snprintf(why, cap,
                            "expected_period_s must be a whole number of seconds > 0 or null"),
                   -1;
    } else if (strcmp(key, "active") == 0 && !create) {
        if (!json_is_boolean(v))
            return snprintf(why, cap, "active must be true or false"), -1;
    } else {
        return snprintf(why, cap, "unknown field %s", key), -1;
    }
    json_object_set(set, key, v);
    return 0;
}

/* POST: the body's dev_eui into eui, lower-cased. PUT: a dev_eui member, if any, is the path's.
 * Returns 0, or -1 with why. */
static int check_dev_eui(json_t *body, bool create, char eui[17], char *why, size_t cap)
{
    json_t *v = json_object_get(body, "dev_eui");
    const char *s = str_of(v);

    if (create) {
        if (s == NULL || strlen(s) != 16 || !only_of(s, "0123456789abcdefABCDEF"))
            return snprintf(why, cap, "dev_eui must be 16 hex digits"), -1;
        for (size_t i = 0; i < 16; i++)
            eui[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 'a' : s[i]);
        eui[16] = '\0';
    } else if (v != NULL && (s == NULL || strcasecmp(s, eui) != 0)) {
        return snprintf(why, cap, "dev_eui cannot be changed"), -1;
    }
    return 0;
}

int device_body_check(json_t *body, bool create, char eui[17], json_t **set, char *why, size_t cap)
{
    json_t *v;
    const char *key;

    *set = NULL;
    if (check_dev_eui(body, create, eui, why, cap) < 0)
        return -1;
    *set = json_object();
    json_object_foreach(body, key, v)
    {
        if (strcmp(key, "dev_eui") != 0 && check_field(key, v, create, *set, why, cap) < 0)
            goto fail;
    }
    if (create) {
        static const char *const required[] = { "name", "model", "use_case" };

        for (size_t i = 0; i < 3; i++)
            if (json_object_get(*set, required[i]) == NULL) {
                snprintf(why, cap, "%s is required", required[i]);
                goto fail;
            }
    } else if (json_object_size(body) == 0) {
        snprintf(why, cap, "the body names no field to change");
        goto fail;
    }
    return 0;
fail:
    json_decref(*set);
    *set = NULL;
    return -1;
}
