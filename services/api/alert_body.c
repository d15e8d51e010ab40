/* alert_body.c - the bodies of the alert routes checked without a connection.
 * SPDX-License-Identifier: MIT */
#include "alert_body.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int alert_body_comment(const json_t *body, const char **comment, char *why, size_t cap)
{
    const json_t *v = json_object_get(body, "comment");

    *comment = "";
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v) || json_string_length(v) > ALERT_BODY_TEXT_MAX)
        return snprintf(why, cap, "comment is text of at most 2000 bytes"), -1;
    *comment = json_string_value(v);
    return 0;
}

/* active_from, active_to: HH:MM from 00:00 to 24:00, two digits each. sscanf's %2d alone would
 * also take " 7:05", "+1:05" or "21: 5". */
static bool is_hhmm(const char *s)
{
    int h, m;

    if (s == NULL || strlen(s) != 5 || strspn(s, "0123456789") != 2 || s[2] != ':' ||
        strspn(s + 3, "0123456789") != 2)
        return false;
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    return h <= 24 && m <= 59 && (h != 24 || m == 0);
}

int alert_body_rule_edit(json_t *body, char *why, size_t cap)
{
    static const char *const numbers[] = { "threshold", "hysteresis", "silence_factor" };
    static const char *const integers[] = { "duration_s", "window_s", "escalate_after_s" };
    static const char *const texts[] = { "title", "description" };
    const char *key;
    json_t *v;

    if (json_object_size(body) == 0)
        return snprintf(why, cap, "nothing to change"), -1;
    json_object_foreach(body, key, v)
    {
        int known = 0;
        for (size_t i = 0; i < 3; i++) {
            if (strcmp(key, numbers[i]) != 0)
                continue;
            known = 1;
            if (!json_is_null(v) && (!json_is_number(v) || !isfinite(json_number_value(v))))
                return snprintf(why, cap, "%s is a number or null", key), -1;
        }
        for (size_t i = 0; i < 3; i++) {
            if (strcmp(key, integers[i]) != 0)
                continue;
            known = 1;
            if (!json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) < 0 ||
                                     json_integer_value(v) > 366 * 86400))
                return snprintf(why, cap, "%s is a number of seconds or null", key), -1;
        }
        for (size_t i = 0; i < 2; i++) {
            if (strcmp(key, texts[i]) != 0)
                continue;
            known = 1;
            if (!json_is_string(v) || json_string_length(v) > ALERT_BODY_TEXT_MAX ||
                (strcmp(key, "title") == 0 && json_string_length(v) == 0))
                return snprintf(why, cap, "%s is text of at most 2000 bytes", key), -1;
        }
        if (strcmp(key, "enabled") == 0 || strcmp(key, "auto_resolve") == 0) {
            known = 1;
            if (!json_is_boolean(v))
                return snprintf(why, cap, "%s is true or false", key), -1;
        }
        if (strcmp(key, "severity") == 0) {
            const char *s = json_string_value(v);
            known = 1;
            if (s == NULL ||
                (strcmp(s, "info") != 0 && strcmp(s, "warning") != 0 && strcmp(s, "critical") != 0))
                return snprintf(why, cap, "severity is info, warning or critical"), -1;
        }
        if (strcmp(key, "active_from") == 0 || strcmp(key, "active_to") == 0) {
            known = 1;
            if (!json_is_null(v) && !is_hhmm(json_string_value(v)))
                return snprintf(why, cap, "%s is HH:MM (local time) or null", key), -1;
        }
        if (!known)
            return snprintf(why, cap,
                            "%s cannot be changed (only title, description, threshold, "
                            "hysteresis, duration_s, window_s, silence_factor, active_from, "
                            "active_to, severity, escalate_after_s, auto_resolve, enabled)",
                            key),
                   -1;
    }
    return 0;
}
