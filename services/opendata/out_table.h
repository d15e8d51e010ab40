/* out_table.h - a dataset's rows as CSV, GeoJSON and JSON files.
 *
 * CSV: RFC 4180, UTF-8, comma, a header line, the columns of the rows as they come (source.h).
 * GeoJSON (RFC 7946): one Feature per row, a Point [longitude, latitude] (geometry null for a
 * row without a position), every other column a property. JSON: an array of one object per row.
 * Numbers are JSON numbers, a missing value is empty (CSV) or null (JSON). The two JSON formats
 * keep the array-file layout (one item per line, the opening and the closing on their own lines)
 * that lets monthly parts be joined line by line (publish.h).
 * SPDX-License-Identifier: MIT */
#ifndef OUT_TABLE_H
#define OUT_TABLE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

/* Each returns 0, or -errno when the file cannot be written. */
int out_csv(FILE *f, const PGresult *res, bool header);
int out_geojson(FILE *f, const PGresult *res);
int out_json(FILE *f, const PGresult *res);

/* Writes 's' as a JSON string (quotes and escapes included). */
void out_json_string(FILE *f, const char *s);

/* The first and last lines of the array-file layouts. */
#define OUT_GEOJSON_OPEN  "{\"type\":\"FeatureCollection\",\"features\":["
#define OUT_GEOJSON_CLOSE "]}"
#define OUT_JSON_OPEN     "["
#define OUT_JSON_CLOSE    "]"

#endif
