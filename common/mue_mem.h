/* mue_mem.h - allocation that aborts on out-of-memory (the redis choice): no NULL paths to test.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_MEM_H
#define MUE_MEM_H

#include <stddef.h>

/* Each logs process.oom and aborts when the allocator fails; they never return NULL.
 * Untrusted sizes must be validated by the caller before calling them. */
void *mue_xmalloc(size_t size);
void *mue_xcalloc(size_t n, size_t size);
void *mue_xrealloc(void *ptr, size_t size);
char *mue_xstrdup(const char *s);
char *mue_xstrndup(const char *s, size_t n);

#endif
