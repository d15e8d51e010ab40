/* fuzz_text.h - what the webhook fuzz targets check of every text a parser hands on.
 * SPDX-License-Identifier: MIT */
#ifndef FUZZ_TEXT_H
#define FUZZ_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Names may be cut to fit: the cut must never leave half a UTF-8 character behind. */
static inline bool is_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p != 0) {
        int more = *p < 0x80             ? 0
                   : (*p & 0xe0) == 0xc0 ? 1
                   : (*p & 0xf0) == 0xe0 ? 2
                   : (*p & 0xf8) == 0xf0 ? 3
                                         : -1;
        if (more < 0)
            return false;
        p++;
        for (; more > 0; more--, p++)
            if ((*p & 0xc0) != 0x80)
                return false;
    }
    return true;
}

/* NUL-terminated within 'cap' bytes, and UTF-8. */
static inline bool is_text(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL && is_utf8(s);
}

/* Printable ASCII without spaces: what may go into NATS headers and SQL keys. */
static inline bool is_token(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);

    if (n == 0 || n == cap)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    return true;
}

static inline bool is_lower_hex(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

#endif
