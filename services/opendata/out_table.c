/* out_table.c - a dataset's rows as CSV, GeoJSON and JSON files.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "out_table.h"

/* PostgreSQL type OIDs whose text is a JSON number or boolean. */
enum {
    OID_BOOL = 16,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_NUMERIC = 1700
};

static int is_number_type(Oid t)
{
    return t == OID_INT8 || t == OID_INT2 || t == OID_INT4 || t == OID_FLOAT4 || t == OID_FLOAT8 ||
           t == OID_NUMERIC;
}

static int done(FILE *f)
{
    return ferror(f) ? -(errno ? errno : EIO) : 0;
}

static void csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int out_csv(FILE *f, const PGresult *res, bool header)
{
    int ncols = PQnfields(res), nrows = PQntuples(res);

    if (header) {
        for (int c = 0; c < ncols; c++) {
            if (c)
                fputc(',', f);
            csv_field(f, PQfname(res, c));
        }
        fputs("\r\n", f);
    }
    for (int r = 0; r < nrows; r++) {
        for (int c = 0; c < ncols; c++) {
            if (c)
                fputc(',', f);
            if (!PQgetisnull(res, r, c))
                csv_field(f, PQgetvalue(res, r, c));
        }
        fputs("\r\n", f);
    }
    return done(f);
}

void out_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

/* A cell as a JSON value. PostgreSQL spells non-finite floats NaN, Infinity: JSON has no such
 * numbers, so they are null like a missing value. */
static void json_value(FILE *f, const PGresult *res, int r, int c)
{
    const char *v = PQgetvalue(res, r, c);
    Oid t = PQftype(res, c);

    if (PQgetisnull(res, r, c) || (is_number_type(t) && strpbrk(v, "NnIi") != NULL))
        fputs("null", f);
    else if (is_number_type(t))
        fputs(v, f);
    else if (t == OID_BOOL)
        fputs(v[0] == 't' ? "true" : "false", f);
    else
        out_json_string(f, v);
}

/* Writes the columns of row 'r' as JSON members, skipping 'skip_a' and 'skip_b'. */
static void json_members(FILE *f, const PGresult *res, int r, int skip_a, int skip_b)
{
    int first = 1;

    for (int c = 0; c < PQnfields(res); c++) {
        if (c == skip_a || c == skip_b)
            continue;
        if (!first)
            fputc(',', f);
        first = 0;
        out_json_string(f, PQfname(res, c));
        fputc(':', f);
        json_value(f, res, r, c);
    }
}

int out_json(FILE *f, const PGresult *res)
{
    int nrows = PQntuples(res);

    fputs(OUT_JSON_OPEN "\n", f);
    for (int r = 0; r < nrows; r++) {
        fputc('{', f);
        json_members(f, res, r, -1, -1);
        fputs(r + 1 < nrows ? "},\n" : "}\n", f);
    }
    fputs(OUT_JSON_CLOSE "\n", f);
    return done(f);
}

int out_geojson(FILE *f, const PGresult *res)
{
    int nrows = PQntuples(res), lat = PQfnumber(res, "latitude"), lon = PQfnumber(res, "longitude");

    fputs(OUT_GEOJSON_OPEN "\n", f);
    for (int r = 0; r < nrows; r++) {
        fputs("{\"type\":\"Feature\",\"geometry\":", f);
        if (lat >= 0 && lon >= 0 && !PQgetisnull(res, r, lat) && !PQgetisnull(res, r, lon))
            fprintf(f, "{\"type\":\"Point\",\"coordinates\":[%s,%s]}", PQgetvalue(res, r, lon),
                    PQgetvalue(res, r, lat));
        else
            fputs("null", f);
        fputs(",\"properties\":{", f);
        json_members(f, res, r, lat, lon);
        fputs(r + 1 < nrows ? "}},\n" : "}}\n", f);
    }
    fputs(OUT_GEOJSON_CLOSE "\n", f);
    return done(f);
}
