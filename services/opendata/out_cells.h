/* out_cells.h - reading a source's rows by column name, as the file writers do.
 * SPDX-License-Identifier: MIT */
#ifndef OUT_CELLS_H
#define OUT_CELLS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

/* The index of the column named by the first 'len' bytes of 'name', or -1. */
int out_find_col(const PGresult *res, const char *name, size_t len);

/* The text of a cell, or NULL when it is SQL NULL or 'col' is -1. */
const char *out_cell(const PGresult *res, int row, int col);

/* Parses a whole finite number (no blank before or after). False for NULL, "", "NaN"... */
bool out_parse_number(const char *s, double *out);

#endif
