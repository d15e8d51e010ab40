/* mue_mem.c - aborting allocators.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mue_mem.h"

static void oom(size_t size)
{
    /* No allocation and no stdio here: the heap is what failed. */
    static const char msg[] = "level=error event=process.oom reason=\"allocation failed\"\n";
    (void)size;
    ssize_t n = write(2, msg, sizeof(msg) - 1);
    (void)n;
    abort();
}

void *mue_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL)
        oom(size);
    return p;
}

void *mue_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL)
        oom(n * size);
    return p;
}

void *mue_xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL)
        oom(size);
    return p;
}

char *mue_xstrdup(const char *s)
{
    return mue_xstrndup(s, strlen(s));
}

char *mue_xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = mue_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}
