/* mue_buf.h - a growable byte buffer with a ceiling (curl's dynbuf "toobig").
 * SPDX-License-Identifier: MIT */
#ifndef MUE_BUF_H
#define MUE_BUF_H

#include <stddef.h>

struct mue_buf {
    char *data; /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    size_t max; /* 0 = no ceiling */
};

/* Starts empty. 'max' bounds the length; appends past it fail with MUE_E2BIG. */
void mue_buf_init(struct mue_buf *b, size_t max);
void mue_buf_fini(struct mue_buf *b);
void mue_buf_reset(struct mue_buf *b);

/* Each returns 0, or MUE_E2BIG (the buffer unchanged) past the ceiling. */
int mue_buf_append(struct mue_buf *b, const void *data, size_t len);
int mue_buf_append_str(struct mue_buf *b, const char *s);
int mue_buf_printf(struct mue_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Hands the data to the caller (to free()) and leaves the buffer empty. Never NULL. */
char *mue_buf_steal(struct mue_buf *b);

#endif
