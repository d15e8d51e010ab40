/* csv.c - a small RFC 4180 reader for device registry imports.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "mue_buf.h"
#include "mue_err.h"
#include "mue_mem.h"

static char separator_of(const char *text, size_t len)
{
    size_t commas = 0, semis = 0;
    for (size_t i = 0; i < len && text[i] != '\n'; i++) {
        commas += text[i] == ',';
        semis += text[i] == ';';
    }
    return semis > commas ? ';' : ',';
}

static void push_field(struct csv_record *r, struct mue_buf *f)
{
    r->field = mue_xrealloc(r->field, (r->n + 1) * sizeof(char *));
    r->field[r->n++] = mue_buf_steal(f);
}

static void push_record(struct csv *c, struct csv_record *r)
{
    /* A line holding nothing at all is no record. */
    if (r->n == 1 && r->field[0][0] == '\0') {
        free(r->field[0]);
        free(r->field);
    } else {
        c->rec = mue_xrealloc(c->rec, (c->n + 1) * sizeof(*c->rec));
        c->rec[c->n++] = *r;
    }
    memset(r, 0, sizeof(*r));
}

int csv_parse(const char *text, size_t len, struct csv *out, char *reason, size_t cap)
{
    char sep = separator_of(text, len);
    struct csv c = { NULL, 0 };
    struct csv_record r = { NULL, 0, 1 };
    struct mue_buf f;
    size_t line = 1, i = 0;
    int quoted = 0, after_quote = 0;

    mue_buf_init(&f, 0);
    while (i < len) {
        char ch = text[i++];
        if (ch == '\0') {
            snprintf(reason, cap, "line %zu: NUL byte", line);
            goto fail;
        }
        if (quoted) {
            if (ch == '"' && i < len && text[i] == '"') {
                mue_buf_append(&f, "\"", 1);
                i++;
            } else if (ch == '"') {
                quoted = 0;
                after_quote = 1;
            } else {
                line += ch == '\n';
                mue_buf_append(&f, &ch, 1);
            }
            continue;
        }
        if (ch == '\r' && i < len && text[i] == '\n')
            continue; /* CRLF: the \n ends the record */
        if (ch == sep || ch == '\n') {
            push_field(&r, &f);
            after_quote = 0;
            if (ch == '\n') {
                push_record(&c, &r);
                r.line = ++line;
            }
            continue;
        }
        if (after_quote) {
            snprintf(reason, cap, "line %zu: text after a closing quote", line);
            goto fail;
        }
        if (ch == '"' && f.len == 0) {
            quoted = 1;
            continue;
        }
        mue_buf_append(&f, &ch, 1);
    }
    if (quoted) {
        snprintf(reason, cap, "line %zu: quote not closed", r.line);
        goto fail;
    }
    if (f.len > 0 || r.n > 0 || after_quote) {
        push_field(&r, &f);
        push_record(&c, &r);
    }
    mue_buf_fini(&f);
    *out = c;
    return MUE_OK;
fail:
    mue_buf_fini(&f);
    for (size_t k = 0; k < r.n; k++)
        free(r.field[k]);
    free(r.field);
    csv_fini(&c);
    return MUE_EDECODE;
}

void csv_fini(struct csv *c)
{
    for (size_t i = 0; i < c->n; i++) {
        for (size_t k = 0; k < c->rec[i].n; k++)
            free(c->rec[i].field[k]);
        free(c->rec[i].field);
    }
    free(c->rec);
    c->rec = NULL;
    c->n = 0;
}
