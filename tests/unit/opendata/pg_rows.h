/* pg_rows.h - PGresults built by hand (no server) for the opendata writers' tests, and a file in
 * memory to write them to.
 * SPDX-License-Identifier: MIT */
#ifndef PG_ROWS_H
#define PG_ROWS_H

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PostgreSQL's text and float8 type OIDs. */
#define PG_ROWS_TEXT   25
#define PG_ROWS_FLOAT8 701

/* A result of 'ncols' text columns named 'names' and 'nrows' rows of 'cells' (row by row), a
 * NULL cell being SQL NULL. Abort on failure: a test cannot go on without its rows. */
static inline PGresult *pg_rows(const char *const *names, int ncols, const char *const *cells,
                                int nrows)
{
    PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    PGresAttDesc *attrs = calloc((size_t)ncols, sizeof(*attrs));

    if (res == NULL || attrs == NULL)
        abort();
    for (int c = 0; c < ncols; c++) {
        attrs[c].name = (char *)names[c];
        attrs[c].typid = PG_ROWS_TEXT;
        attrs[c].typlen = -1;
        attrs[c].atttypmod = -1;
    }
    if (!PQsetResultAttrs(res, ncols, attrs))
        abort();
    free(attrs);
    for (int r = 0; r < nrows; r++)
        for (int c = 0; c < ncols; c++) {
            const char *v = cells[r * ncols + c];
            if (!PQsetvalue(res, r, c, (char *)v, v ? (int)strlen(v) : -1))
                abort();
        }
    return res;
}

/* A memory file: write to .f, then pg_mem_text() closes it and returns what was written. */
struct pg_mem {
    FILE *f;
    char *text;
    size_t len;
};

static inline void pg_mem_open(struct pg_mem *m)
{
    m->text = NULL;
    m->len = 0;
    m->f = open_memstream(&m->text, &m->len);
    if (m->f == NULL)
        abort();
}

static inline const char *pg_mem_text(struct pg_mem *m)
{
    if (m->f != NULL) {
        fclose(m->f);
        m->f = NULL;
    }
    return m->text;
}

static inline void pg_mem_free(struct pg_mem *m)
{
    pg_mem_text(m);
    free(m->text);
    m->text = NULL;
}

#endif
