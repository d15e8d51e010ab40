/* mue_buf.c - growable buffers.
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_buf.h"
#include "mue_err.h"
#include "mue_mem.h"

void mue_buf_init(struct mue_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void mue_buf_fini(struct mue_buf *b)
{
    free(b->data);
    mue_buf_init(b, b->max);
}

void mue_buf_reset(struct mue_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static int reserve(struct mue_buf *b, size_t extra)
{
    size_t need;

    if (b->max && (extra > b->max || b->len > b->max - extra))
        return MUE_E2BIG;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return MUE_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    b->data = mue_xrealloc(b->data, cap);
    b->cap = cap;
    return MUE_OK;
}

int mue_buf_append(struct mue_buf *b, const void *data, size_t len)
{
    if (reserve(b, len) < 0)
        return MUE_E2BIG;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return MUE_OK;
}

int mue_buf_append_str(struct mue_buf *b, const char *s)
{
    return mue_buf_append(b, s, strlen(s));
}

int mue_buf_printf(struct mue_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return MUE_EINVAL;
    if (reserve(b, (size_t)n) < 0)
        return MUE_E2BIG;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return MUE_OK;
}

char *mue_buf_steal(struct mue_buf *b)
{
    char *d = b->data;
    if (d == NULL)
        d = mue_xstrdup("");
    mue_buf_init(b, b->max);
    return d;
}
