/* talq_fields.c - the strict readers of TALQ JSON members (strings, arrays, whole numbers, ids,
 * times of day, dates) behind talq_json.c: each refusal names the member and says why.
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mue_err.h"
#include "talq_fields.h"

int talq_fail(struct talq_why *w, const char *path, const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (w->buf != NULL && w->cap > 0)
        snprintf(w->buf, w->cap, "%s%s%s", path, path[0] != '\0' ? ": " : "", msg);
    return MUE_EINVAL;
}

/* A short, printable copy of outside text, for an error message. */
const char *talq_shown(const char *s, char *out, size_t cap)
{
    size_t i = 0;

    for (; s[i] != '\0' && i + 4 < cap; i++)
        out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
    strcpy(out + i, s[i] != '\0' ? "..." : "");
    return out;
}

void talq_member_path(char out[TALQ_PATH_LEN], const char *parent, const char *name)
{
    int n = snprintf(out, TALQ_PATH_LEN, "%s%s%s", parent, parent[0] != '\0' ? "." : "", name);

    if (n >= TALQ_PATH_LEN) /* paths are short by construction; never cut one silently */
        strcpy(out + TALQ_PATH_LEN - 4, "...");
}

void talq_item_path(char out[TALQ_PATH_LEN], const char *parent, size_t i)
{
    int n = snprintf(out, TALQ_PATH_LEN, "%s[%zu]", parent, i);

    if (n >= TALQ_PATH_LEN)
        strcpy(out + TALQ_PATH_LEN - 4, "...");
}

/* 'o' is an object whose members are all in 'known' (NULL-terminated). */
int talq_check_object(json_t *o, const char *path, const char *const *known, struct talq_why *w)
{
    const char *key;
    json_t *value;
    char k[32];

    if (!json_is_object(o))
        return talq_fail(w, path, "must be an object");
    json_object_foreach(o, key, value)
    {
        size_t i = 0;
        while (known[i] != NULL && strcmp(known[i], key) != 0)
            i++;
        if (known[i] == NULL)
            return talq_fail(w, path, "unknown member \"%s\"", TALQ_SHOWN(key, k));
    }
    return 0;
}

/* The string member 'name' of 'o', in *out; NULL when it is absent and optional. */
int talq_get_string(json_t *o, const char *path, const char *name, bool required, const char **out,
                    struct talq_why *w)
{
    json_t *v = json_object_get(o, name);
    char p[TALQ_PATH_LEN];

    *out = NULL;
    talq_member_path(p, path, name);
    if (v == NULL)
        return required ? talq_fail(w, p, "missing") : 0;
    if (!json_is_string(v))
        return talq_fail(w, p, "must be a string");
    *out = json_string_value(v);
    return 0;
}

/* The array member 'name' of 'o' with at most 'max' items, in *out; NULL when absent and
 * optional. */
int talq_get_array(json_t *o, const char *path, const char *name, bool required, size_t max,
                   json_t **out, struct talq_why *w)
{
    json_t *v = json_object_get(o, name);
    char p[TALQ_PATH_LEN];

    *out = NULL;
    talq_member_path(p, path, name);
    if (v == NULL)
        return required ? talq_fail(w, p, "missing") : 0;
    if (!json_is_array(v))
        return talq_fail(w, p, "must be an array");
    if (json_array_size(v) > max)
        return talq_fail(w, p, "%zu items, at most %zu", json_array_size(v), max);
    *out = v;
    return 0;
}

/* The whole-number member 'name' of 'o' in min..max, in *out; 'dflt' when absent and optional.
 * 60.0 counts as whole: TALQ types some of these as floats. */
int talq_get_int(json_t *o, const char *path, const char *name, bool required, int min, int max,
                 int dflt, int *out, struct talq_why *w)
{
    json_t *v = json_object_get(o, name);
    char p[TALQ_PATH_LEN];
    double d;

    talq_member_path(p, path, name);
    *out = dflt;
    if (v == NULL)
        return required ? talq_fail(w, p, "missing") : 0;
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i >= min && i <= max) {
            *out = (int)i;
            return 0;
        }
    } else if (json_is_real(v)) {
        d = json_real_value(v);
        if (d >= min && d <= max && (double)(int)d == d) {
            *out = (int)d;
            return 0;
        }
    }
    return talq_fail(w, p, "must be a whole number from %d to %d", min, max);
}

/* Ids are short tokens, safe in NATS subjects, SQL keys and device configurations. */
bool talq_is_id(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n >= LIGHT_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == ':' || c == '-'))
            return false;
    }
    return true;
}

int talq_get_id(json_t *o, const char *path, const char *name, bool required,
                char out[LIGHT_ID_MAX], struct talq_why *w)
{
    const char *s;
    char p[TALQ_PATH_LEN], k[32];
    int rc = talq_get_string(o, path, name, required, &s, w);

    if (rc < 0 || s == NULL)
        return rc;
    if (!talq_is_id(s)) {
        talq_member_path(p, path, name);
        return talq_fail(w, p, "\"%s\" is not an id (1 to %d characters of A-Z a-z 0-9 _ . : -)",
                         TALQ_SHOWN(s, k), LIGHT_ID_MAX - 1);
    }
    snprintf(out, LIGHT_ID_MAX, "%s", s);
    return 0;
}

/* Exactly 'n' decimal digits at s, as *v. */
static bool digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

/* "hh:mm:ss" or "hh:mm" as a clock minute. */
int talq_get_time(json_t *o, const char *path, const char *name, int *minute, struct talq_why *w)
{
    const char *s;
    char p[TALQ_PATH_LEN], k[32];
    int h, m, sec = 0, rc = talq_get_string(o, path, name, true, &s, w);
    size_t n;

    if (rc < 0)
        return rc;
    talq_member_path(p, path, name);
    n = strlen(s);
    if ((n != 5 && n != 8) || !digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &m) ||
        (n == 8 && (s[5] != ':' || !digits(s + 6, 2, &sec))))
        return talq_fail(w, p, "\"%s\" is not hh:mm:ss", TALQ_SHOWN(s, k));
    if (h > 23 || m > 59 || sec > 59)
        return talq_fail(w, p, "%s is not a time of day", s);
    if (sec != 0)
        return talq_fail(w, p, "%s has seconds; the lamps' clock counts whole minutes", s);
    *minute = h * 60 + m;
    return 0;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "yyyy-mm-dd", "--mm-dd" or "---dd", as far as 'forms' allows; *form tells which it was. */
int talq_get_md(json_t *o, const char *path, const char *name, unsigned forms, struct light_md *out,
                unsigned *form, struct talq_why *w)
{
    static const int month_len[13] = { 31, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const char *s;
    char p[TALQ_PATH_LEN], k[32];
    int y = 0, m = 0, d = 0, rc = talq_get_string(o, path, name, true, &s, w);
    size_t n;

    if (rc < 0)
        return rc;
    talq_member_path(p, path, name);
    n = strlen(s);
    if ((forms & TALQ_DATED) && n == 10 && digits(s, 4, &y) && s[4] == '-' &&
        digits(s + 5, 2, &m) && s[7] == '-' && digits(s + 8, 2, &d) && y > 0)
        *form = TALQ_DATED;
    else if ((forms & TALQ_YEARLY) && n == 7 && strncmp(s, "--", 2) == 0 && digits(s + 2, 2, &m) &&
             s[4] == '-' && digits(s + 5, 2, &d))
        *form = TALQ_YEARLY;
    else if ((forms & TALQ_MONTHLY) && n == 5 && strncmp(s, "---", 3) == 0 && digits(s + 3, 2, &d))
        *form = TALQ_MONTHLY;
    else
        return talq_fail(w, p, "\"%s\" is not %s", TALQ_SHOWN(s, k),
                         forms == (TALQ_DATED | TALQ_YEARLY) ? "yyyy-mm-dd or --mm-dd"
                                                             : "--mm-dd or ---dd");
    if (*form != TALQ_MONTHLY && (m < 1 || m > 12))
        return talq_fail(w, p, "%s has no month %d", s, m);
    if (d < 1 || d > month_len[m] || (*form == TALQ_DATED && m == 2 && d == 29 && !is_leap(y)))
        return talq_fail(w, p, "%s is not a day of the calendar", s);
    out->year = y;
    out->month = m;
    out->day = d;
    return 0;
}
