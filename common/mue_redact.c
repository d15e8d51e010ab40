/* mue_redact.c - secrets kept out of logs: the credentials written into URLs.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "mue_redact.h"

/* Where a URL's authority ends: a path, a query, a fragment, the next URL of a list, a blank. */
static size_t authority_len(const char *s)
{
    return strcspn(s, "/?#, \t\r\n");
}

char *mue_redact_url(char *out, size_t cap, const char *text)
{
    size_t o = 0;

    if (cap == 0)
        return out;
    while (*text != '\0' && o + 1 < cap) {
        const char *sep = strstr(text, "://"), *auth, *at = NULL;
        size_t n, len;

        if (sep == NULL) {
            n = strlen(text);
        } else {
            auth = sep + 3;
            len = authority_len(auth);
            for (size_t i = 0; i < len; i++)
                if (auth[i] == '@')
                    at = auth + i; /* the last '@': a password may hold one unescaped */
            n = (size_t)(auth - text);
        }
        /* The text up to the authority (or to the end), then "***" in place of the credentials. */
        if (n > cap - 1 - o)
            n = cap - 1 - o;
        memcpy(out + o, text, n);
        o += n;
        text += n;
        if (sep == NULL || o + 1 >= cap)
            break;
        if (at != NULL) {
            n = strlen("***") < cap - 1 - o ? strlen("***") : cap - 1 - o;
            memcpy(out + o, "***", n);
            o += n;
            text = at;
        }
    }
    out[o] = '\0';
    return out;
}
