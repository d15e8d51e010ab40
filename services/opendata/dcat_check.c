/* dcat_check.c - syntax checks on the catalogue's input, so a bad field is refused with its name
 * instead of ending up as a document a harvester cannot parse.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "dcat_check.h"

bool dcat_is_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        unsigned int c = *p;
        int more;
        unsigned int cp, min;

        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            more = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            more = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            more = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        p++;
        for (int i = 0; i < more; i++, p++) {
            if ((*p & 0xC0) != 0x80) /* also stops at the terminating NUL */
                return false;
            cp = (cp << 6) | (*p & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
    }
    return true;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool dcat_is_iri(const char *s)
{
    const char *p = s;

    if (!s || !is_alpha(*p))
        return false;
    while (is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (*p != ':' || p[1] == '\0')
        return false;
    for (p = s; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f || strchr("<>\"{}|^`\\", *p))
            return false;
    return dcat_is_utf8(s);
}

/* Reads exactly 'n' digits as a number in [lo, hi]; advances *p. */
static bool digits(const char **p, int n, int lo, int hi)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!is_digit((*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return v >= lo && v <= hi;
}

static bool date_part(const char **p)
{
    return digits(p, 4, 0, 9999) && *(*p)++ == '-' && digits(p, 2, 1, 12) && *(*p)++ == '-' &&
           digits(p, 2, 1, 31);
}

const char *dcat_date_type(const char *s)
{
    const char *p = s;

    if (!s || !date_part(&p))
        return NULL;
    if (*p == '\0')
        return "xsd:date";
    if (*p++ != 'T' || !digits(&p, 2, 0, 23) || *p++ != ':' || !digits(&p, 2, 0, 59) ||
        *p++ != ':' || !digits(&p, 2, 0, 59))
        return NULL;
    if (*p == '.') {
        p++;
        if (!is_digit(*p))
            return NULL;
        while (is_digit(*p))
            p++;
    }
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        p++;
        if (!digits(&p, 2, 0, 14) || *p++ != ':' || !digits(&p, 2, 0, 59))
            return NULL;
    }
    return *p == '\0' ? "xsd:dateTime" : NULL;
}

bool dcat_is_slug(const char *s)
{
    if (!s || !*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    for (const char *p = s; *p; p++)
        if (!is_alpha(*p) && !is_digit(*p) && !strchr("._-", *p))
            return false;
    return true;
}

/* RFC 6838 restricted-name: a letter or digit, then up to 126 of these. */
static bool restricted_name(const char **p)
{
    int n = 0;

    if (!is_alpha(**p) && !is_digit(**p))
        return false;
    while (is_alpha(**p) || is_digit(**p) || (**p && strchr("!#$&-^_.+", **p))) {
        (*p)++;
        n++;
    }
    return n <= 127;
}

bool dcat_is_media_type(const char *s)
{
    const char *p = s;

    return s && restricted_name(&p) && *p++ == '/' && restricted_name(&p) && *p == '\0';
}
