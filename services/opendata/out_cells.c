/* out_cells.c - reading a source's rows by column name.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "out_cells.h"

int out_find_col(const PGresult *res, const char *name, size_t len)
{
    for (int c = 0; c < PQnfields(res); c++) {
        const char *n = PQfname(res, c);
        if (strlen(n) == len && strncmp(n, name, len) == 0)
            return c;
    }
    return -1;
}

const char *out_cell(const PGresult *res, int row, int col)
{
    if (col < 0 || PQgetisnull(res, row, col))
        return NULL;
    return PQgetvalue(res, row, col);
}

bool out_parse_number(const char *s, double *out)
{
    char *end;
    double v;

    if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
        return false;
    v = strtod(s, &end);
    if (*end != '\0' || !isfinite(v))
        return false;
    *out = v;
    return true;
}
