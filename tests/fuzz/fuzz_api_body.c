/* fuzz_api_body.c - libFuzzer target: mue-api's JSON request bodies on any bytes. The bytes go
 * through body_parse as api_body_json hands them over, then through the checker of every body
 * family (an alert's ack or resolve, a rule's edit, a device's POST and PUT, a lighting program or
 * calendar, an assignment, an override); whatever a checker accepts is checked against the rules
 * it promises, written out again here.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "alert_body.h"
#include "body.h"
#include "device_body.h"
#include "fuzz_text.h"
#include "lighting_req.h"
#include "query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PATH_EUI   "a84041000181854b"
#define PATH_ID    "cp-weekday"
#define PATH_GROUP "main-street"

static bool is_in(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return true;
    return false;
}

static bool is_digits(const char *s, size_t n)
{
    return strspn(s, "0123456789") >= n;
}

/* HH:MM from 00:00 to 24:00, two digits each. */
static bool is_hhmm(const char *s)
{
    int h, m;

    if (s == NULL || strlen(s) != 5 || !is_digits(s, 2) || s[2] != ':' || !is_digits(s + 3, 2))
        return false;
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    return h <= 24 && m <= 59 && (h < 24 || m == 0);
}

/* A refusal says why, in a terminated text. */
static void check_refusal(const char *why, size_t cap)
{
    if (why[0] == '\0' || memchr(why, '\0', cap) == NULL)
        abort();
}

static void check_comment(const json_t *body)
{
    const json_t *v = json_object_get(body, "comment");
    const char *comment = NULL;
    char why[64] = "";
    int rc = alert_body_comment(body, &comment, why, sizeof(why));

    if (rc == 0) {
        if (comment == NULL || strlen(comment) > ALERT_BODY_TEXT_MAX)
            abort();
        if (json_is_string(v) ? strcmp(comment, json_string_value(v)) != 0 : comment[0] != '\0')
            abort();
    } else if (rc == -1) {
        check_refusal(why, sizeof(why));
        if (v == NULL || json_is_null(v))
            abort();
    } else {
        abort();
    }
}

/* What a rule's edit may hold, field by field (alert_body.h). */
static bool rule_field_ok(const char *key, const json_t *v)
{
    static const char *const numbers[] = { "threshold", "hysteresis", "silence_factor" };
    static const char *const integers[] = { "duration_s", "window_s", "escalate_after_s" };
    static const char *const severities[] = { "info", "warning", "critical" };

    if (is_in(key, numbers, 3))
        return json_is_null(v) || (json_is_number(v) && isfinite(json_number_value(v)));
    if (is_in(key, integers, 3))
        return json_is_null(v) || (json_is_integer(v) && json_integer_value(v) >= 0 &&
                                   json_integer_value(v) <= 366 * 86400);
    if (strcmp(key, "title") == 0 || strcmp(key, "description") == 0)
        return json_is_string(v) && json_string_length(v) <= ALERT_BODY_TEXT_MAX &&
               (key[0] != 't' || json_string_length(v) > 0);
    if (strcmp(key, "enabled") == 0 || strcmp(key, "auto_resolve") == 0)
        return json_is_boolean(v);
    if (strcmp(key, "severity") == 0)
        return json_is_string(v) && is_in(json_string_value(v), severities, 3);
    if (strcmp(key, "active_from") == 0 || strcmp(key, "active_to") == 0)
        return json_is_null(v) || is_hhmm(json_string_value(v));
    return false;
}

static void check_rule_edit(json_t *body)
{
    char why[256] = "";
    const char *key;
    json_t *v;
    bool all_ok = json_object_size(body) > 0;
    int rc = alert_body_rule_edit(body, why, sizeof(why));

    json_object_foreach(body, key, v)
    {
        all_ok = all_ok && rule_field_ok(key, v);
    }
    if (rc == 0 && !all_ok)
        abort();
    if (rc == -1)
        check_refusal(why, sizeof(why));
    if (rc != 0 && rc != -1)
        abort();
    if (rc == -1 && all_ok)
        abort(); /* refused a good edit */
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* A JSON string without NUL. */
static const char *text_of(const json_t *v)
{
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
        return NULL;
    return json_string_value(v);
}

/* Every field a device's body set holds, as device_body.h promises. */
static void check_device_set(json_t *set, bool create)
{
    static const char *const networks[] = { "chirpstack", "tts", "thingpark", "liveobjects",
                                            "senml" };
    const char *key, *s;
    json_t *v;

    json_object_foreach(set, key, v)
    {
        s = text_of(v);
        if (strcmp(key, "name") == 0) {
            if (s == NULL || utf8_chars(s) < 1 || utf8_chars(s) > 200 || !is_utf8(s))
                abort();
        } else if (strcmp(key, "model") == 0) {
            if (s == NULL || strlen(s) < 1 || strlen(s) > 63 ||
                strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(s))
                abort();
        } else if (strcmp(key, "use_case") == 0) {
            /* The same rule as a ?use_case= of the query string. */
            if (s == NULL || !query_use_case_is_valid(s))
                abort();
        } else if (strcmp(key, "network") == 0) {
            if (s == NULL || !is_in(s, networks, 5))
                abort();
        } else if (strcmp(key, "site_id") == 0) {
            if (!json_is_null(v) && !(json_is_integer(v) && json_integer_value(v) >= 1))
                abort();
        } else if (strcmp(key, "latitude") == 0 || strcmp(key, "longitude") == 0) {
            double lim = key[1] == 'a' ? 90 : 180;
            if (!json_is_null(v) && !(json_is_real(v) && fabs(json_real_value(v)) <= lim))
                abort();
        } else if (strcmp(key, "params") == 0) {
            if (!json_is_object(v))
                abort();
        } else if (strcmp(key, "expected_period_s") == 0) {
            if (!json_is_null(v) && !(json_is_integer(v) && json_integer_value(v) >= 1 &&
                                      json_integer_value(v) <= 2147483647))
                abort();
        } else if (strcmp(key, "active") == 0 && !create) {
            if (!json_is_boolean(v))
                abort();
        } else {
            abort(); /* dev_eui, or a field nobody may set */
        }
    }
}

static void check_device(json_t *body, bool create)
{
    char eui[17], why[512] = "";
    json_t *set = NULL, *given = json_object_get(body, "dev_eui");
    int rc;

    memcpy(eui, PATH_EUI, sizeof(eui));
    rc = device_body_check(body, create, eui, &set, why, sizeof(why));
    if (rc == -1) {
        check_refusal(why, sizeof(why));
        if (set != NULL)
            abort();
        return;
    }
    if (rc != 0 || !json_is_object(set))
        abort();
    check_device_set(set, create);
    if (create) {
        if (!is_lower_hex(eui, 16) || text_of(given) == NULL ||
            strcasecmp(text_of(given), eui) != 0)
            abort();
        if (!json_object_get(set, "name") || !json_object_get(set, "model") ||
            !json_object_get(set, "use_case"))
            abort();
    } else {
        if (strcmp(eui, PATH_EUI) != 0 || json_object_size(body) == 0)
            abort();
        if (given != NULL && (text_of(given) == NULL || strcasecmp(text_of(given), eui) != 0))
            abort();
    }
    /* Every member but dev_eui was checked and kept. */
    if (json_object_size(set) != json_object_size(body) - (given != NULL))
        abort();
    json_decref(set);
}

static void check_doc_id(const json_t *body)
{
    json_t *doc = json_deep_copy(body);
    char why[160] = "";
    int rc = lighting_req_doc_id(doc, PATH_ID, "program", why, sizeof(why));
    const char *id = json_string_value(json_object_get(doc, "id"));

    if (rc == 0 && (id == NULL || strcmp(id, PATH_ID) != 0))
        abort();
    if (rc == -1)
        check_refusal(why, sizeof(why));
    if (rc != 0 && rc != -1)
        abort();
    json_decref(doc);
}

static void check_assignment(json_t *body)
{
    static const char *const members[] = { "group", "calendar", "priority" };
    json_t *out = NULL, *p;
    char why[160] = "";
    const char *key, *group, *calendar;
    json_t *v;
    int rc = lighting_req_assignment(body, PATH_GROUP, &out, why, sizeof(why));

    if (rc == -1) {
        check_refusal(why, sizeof(why));
        return;
    }
    if (rc != 0 || !json_is_object(out))
        abort();
    json_object_foreach(out, key, v)
    {
        if (!is_in(key, members, 3))
            abort();
    }
    group = json_string_value(json_object_get(out, "group"));
    calendar = json_string_value(json_object_get(out, "calendar"));
    if (group == NULL || strcmp(group, PATH_GROUP) != 0 || calendar == NULL ||
        !lighting_req_id_is_valid(calendar))
        abort();
    p = json_object_get(out, "priority");
    if (p != NULL && !json_is_integer(p))
        abort();
    json_decref(out);
}

static void check_override(json_t *body)
{
    static const char *const members[] = { "group",     "dev_euis",   "level",
                                           "starts_at", "expires_at", "duration_s",
                                           "priority",  "reason",     "comment" };
    json_t *out = NULL, *group, *euis, *e;
    char why[200] = "";
    const char *key;
    json_t *v;
    size_t i;
    int rc = lighting_req_override(body, &out, why, sizeof(why));

    if (rc == -1) {
        check_refusal(why, sizeof(why));
        return;
    }
    if (rc != 0 || !json_is_object(out))
        abort();
    json_object_foreach(out, key, v)
    {
        if (!is_in(key, members, 9))
            abort();
    }
    group = json_object_get(out, "group");
    euis = json_object_get(out, "dev_euis");
    if ((group == NULL) == (euis == NULL))
        abort(); /* one of the two */
    if (group != NULL &&
        (!json_is_string(group) || !lighting_req_group_is_valid(json_string_value(group))))
        abort();
    if (euis != NULL &&
        (!json_is_array(euis) || json_array_size(euis) < 1 || json_array_size(euis) > 1000))
        abort();
    json_array_foreach(euis, i, e)
    {
        if (!json_is_string(e) || !is_lower_hex(json_string_value(e), 16))
            abort();
    }
    json_decref(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The body as api_body_json reads it: bytes without a NUL after them, in a buffer of their
     * own size so that reading past them is caught. */
    char *buf = malloc(size > 0 ? size : 1);
    json_t *body = NULL;
    char why[256] = "", *before, *after;
    int rc;

    memcpy(buf, data, size);
    rc = body_parse(buf, size, &body, why, sizeof(why));
    free(buf);
    if (rc == -1) {
        check_refusal(why, sizeof(why));
        if (body != NULL)
            abort();
        return 0;
    }
    if (rc != 0 || !json_is_object(body))
        abort();
    before = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    check_comment(body);
    check_rule_edit(body);
    check_device(body, true);
    check_device(body, false);
    check_doc_id(body);
    check_assignment(body);
    check_override(body);
    /* No checker may change the body it was lent. */
    after = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    if (before == NULL || after == NULL || strcmp(before, after) != 0)
        abort();
    free(before);
    free(after);
    json_decref(body);
    check_comment(NULL);
    return 0;
}
