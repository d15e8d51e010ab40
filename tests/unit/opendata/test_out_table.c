/* test_out_table.c - rows as CSV (quoting, NULL, header), JSON (types, non-finite numbers,
 * escapes) and GeoJSON (points, null geometry), each in the layout monthly parts are joined by.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "out_table.h"
#include "pg_rows.h"
#include "../mue_test.h"

#define PG_BOOL 16

/* Like pg_rows, with a type OID per column: what the export's queries give. */
static PGresult *typed_rows(const char *const *names, const Oid *types, int ncols,
                            const char *const *cells, int nrows)
{
    PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    PGresAttDesc attrs[8];

    if (res == NULL || ncols > 8)
        abort();
    memset(attrs, 0, sizeof(attrs));
    for (int c = 0; c < ncols; c++) {
        attrs[c].name = (char *)names[c];
        attrs[c].typid = types[c];
        attrs[c].typlen = -1;
        attrs[c].atttypmod = -1;
    }
    if (!PQsetResultAttrs(res, ncols, attrs))
        abort();
    for (int r = 0; r < nrows; r++)
        for (int c = 0; c < ncols; c++) {
            const char *v = cells[r * ncols + c];
            if (!PQsetvalue(res, r, c, (char *)v, v ? (int)strlen(v) : -1))
                abort();
        }
    return res;
}

/* The CSV text of 'res'; the caller frees it. */
static char *csv_of(const PGresult *res, bool header)
{
    struct pg_mem m;

    pg_mem_open(&m);
    MUE_ASSERT_INT_EQ(out_csv(m.f, res, header), 0);
    pg_mem_text(&m);
    return m.text;
}

static void test_csv_quotes_what_needs_quoting(void)
{
    static const char *const names[] = { "name", "note", "value" };
    /* One row a line. */
    /* clang-format off */
    static const char *const cells[] = {
        "plain",      "a, b",       "1.5",
        "say \"hi\"", "two\nlines",  NULL,
        "",           "carriage\rreturn", "-0.25",
    };
    /* clang-format on */
    PGresult *res = pg_rows(names, 3, cells, 3);
    char *text = csv_of(res, true);

    MUE_ASSERT_STR_EQ(text, "name,note,value\r\n"
                            "plain,\"a, b\",1.5\r\n"
                            "\"say \"\"hi\"\"\",\"two\nlines\",\r\n"
                            ",\"carriage\rreturn\",-0.25\r\n");
    free(text);
    text = csv_of(res, false);
    MUE_ASSERT_STR_EQ(text, "plain,\"a, b\",1.5\r\n"
                            "\"say \"\"hi\"\"\",\"two\nlines\",\r\n"
                            ",\"carriage\rreturn\",-0.25\r\n");
    free(text);
    PQclear(res);
}

static void test_csv_header_alone_and_quoted_header_names(void)
{
    static const char *const names[] = { "device_eui", "a,b" };
    PGresult *res = pg_rows(names, 2, NULL, 0);
    char *text = csv_of(res, true);

    MUE_ASSERT_STR_EQ(text, "device_eui,\"a,b\"\r\n");
    free(text);
    text = csv_of(res, false);
    MUE_ASSERT_STR_EQ(text, "");
    free(text);
    PQclear(res);
}

static void test_csv_keeps_utf8_as_it_is(void)
{
    static const char *const names[] = { "name" };
    static const char *const cells[] = { "Métropole d'Aix" };
    PGresult *res = pg_rows(names, 1, cells, 1);
    char *text = csv_of(res, true);

    MUE_ASSERT_STR_EQ(text, "name\r\nMétropole d'Aix\r\n");
    free(text);
    PQclear(res);
}

/* The JSON text of 'res' as out_json (or out_geojson) wrote it; the caller frees it. */
static char *json_text_of(const PGresult *res, int geo)
{
    struct pg_mem m;

    pg_mem_open(&m);
    MUE_ASSERT_INT_EQ(geo ? out_geojson(m.f, res) : out_json(m.f, res), 0);
    pg_mem_text(&m);
    return m.text;
}

/* The document out_json (or out_geojson) wrote, parsed: a test fails when it is not JSON. */
static json_t *json_of(const PGresult *res, int geo)
{
    char *text = json_text_of(res, geo);
    json_error_t je;
    json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &je);

    if (doc == NULL) {
        char m[600];
        snprintf(m, sizeof(m), "not JSON: %s: %.400s", je.text, text);
        free(text);
        mue_test_fail(__FILE__, __LINE__, m);
    }
    free(text);
    return doc;
}

static const char *const typed_names[] = { "name", "value", "ok", "count" };
static const Oid typed_types[] = { PG_ROWS_TEXT, PG_ROWS_FLOAT8, PG_BOOL, 20 /* int8 */ };

static void test_json_writes_numbers_booleans_and_null(void)
{
    /* One row a line. */
    /* clang-format off */
    static const char *const cells[] = {
        "a", "41.25",  "t", "12",
        "b", "-1e-05", "f", "0",
        "c", NULL,     NULL, NULL,
    };
    /* clang-format on */
    PGresult *res = typed_rows(typed_names, typed_types, 4, cells, 3);
    json_t *doc = json_of(res, 0), *row;

    MUE_ASSERT_INT_EQ(json_array_size(doc), 3);
    row = json_array_get(doc, 0);
    MUE_ASSERT(json_is_real(json_object_get(row, "value")));
    MUE_ASSERT_DBL_NEAR(json_real_value(json_object_get(row, "value")), 41.25, 0);
    MUE_ASSERT(json_is_true(json_object_get(row, "ok")));
    MUE_ASSERT(json_is_integer(json_object_get(row, "count")));
    MUE_ASSERT_INT_EQ(json_integer_value(json_object_get(row, "count")), 12);
    row = json_array_get(doc, 1);
    MUE_ASSERT_DBL_NEAR(json_real_value(json_object_get(row, "value")), -1e-5, 1e-18);
    MUE_ASSERT(json_is_false(json_object_get(row, "ok")));
    row = json_array_get(doc, 2);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(row, "name")), "c");
    MUE_ASSERT(json_is_null(json_object_get(row, "value")));
    MUE_ASSERT(json_is_null(json_object_get(row, "ok")));
    MUE_ASSERT(json_is_null(json_object_get(row, "count")));
    MUE_ASSERT_INT_EQ(json_object_size(row), 4);
    json_decref(doc);
    PQclear(res);
}

static void test_json_writes_non_finite_floats_as_null(void)
{
    /* One row a line. */
    /* clang-format off */
    static const char *const cells[] = {
        "nan",  "NaN",       "t", "1",
        "inf",  "Infinity",  "t", "2",
        "-inf", "-Infinity", "t", "3",
    };
    /* clang-format on */
    PGresult *res = typed_rows(typed_names, typed_types, 4, cells, 3);
    json_t *doc = json_of(res, 0);

    MUE_ASSERT_INT_EQ(json_array_size(doc), 3);
    for (size_t i = 0; i < 3; i++)
        MUE_ASSERT(json_is_null(json_object_get(json_array_get(doc, i), "value")));
    json_decref(doc);
    PQclear(res);
}

static void test_json_escapes_text_and_names(void)
{
    static const char *const names[] = { "na\"me", "text" };
    static const char *const cells[] = {
        "q\"uote",
        "back\\slash, tab\t, newline\n, cr\r, bell\a, esc\x1b, unit\x1f, é",
    };
    PGresult *res = pg_rows(names, 2, cells, 1);
    json_t *doc = json_of(res, 0), *row = json_array_get(doc, 0);
    char *text = json_text_of(res, 0);

    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(row, "na\"me")), "q\"uote");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(row, "text")), cells[1]);
    /* Control characters never reach the file raw: a part stays one item per line. */
    MUE_ASSERT(strstr(text, "\\u0007") != NULL && strstr(text, "\\u001b") != NULL);
    MUE_ASSERT(strstr(text, "\\t") != NULL && strstr(text, "\\n") != NULL);
    for (const char *p = text; *p; p++)
        MUE_ASSERT(*p == '\n' || (unsigned char)*p >= 0x20);
    free(text);
    json_decref(doc);
    PQclear(res);
}

static void test_json_keeps_the_array_file_layout(void)
{
    static const char *const names[] = { "id" };
    static const char *const cells[] = { "1", "2" };
    PGresult *two = pg_rows(names, 1, cells, 2), *none = pg_rows(names, 1, NULL, 0);
    char *text = json_text_of(two, 0);

    MUE_ASSERT_STR_EQ(text, "[\n{\"id\":\"1\"},\n{\"id\":\"2\"}\n]\n");
    free(text);
    text = json_text_of(none, 0);
    MUE_ASSERT_STR_EQ(text, OUT_JSON_OPEN "\n" OUT_JSON_CLOSE "\n");
    free(text);
    text = json_text_of(none, 1);
    MUE_ASSERT_STR_EQ(text, OUT_GEOJSON_OPEN "\n" OUT_GEOJSON_CLOSE "\n");
    free(text);
    PQclear(two);
    PQclear(none);
}

static void test_geojson_points_and_null_geometry(void)
{
    static const char *const names[] = { "device_eui", "latitude", "longitude", "level" };
    static const Oid types[] = { PG_ROWS_TEXT, PG_ROWS_FLOAT8, PG_ROWS_FLOAT8, PG_ROWS_FLOAT8 };
    /* One row a line. */
    /* clang-format off */
    static const char *const cells[] = {
        "a840", "43.5297", "5.4474", "12.5",
        "b841", NULL,      NULL,     "NaN",
        "c842", "43.1",    NULL,     NULL, /* half a position is none */
    };
    /* clang-format on */
    PGresult *res = typed_rows(names, types, 4, cells, 3);
    json_t *doc = json_of(res, 1), *features, *f, *coords, *props;

    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(doc, "type")), "FeatureCollection");
    features = json_object_get(doc, "features");
    MUE_ASSERT_INT_EQ(json_array_size(features), 3);

    f = json_array_get(features, 0);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(f, "type")), "Feature");
    coords = json_object_get(json_object_get(f, "geometry"), "coordinates");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(json_object_get(f, "geometry"), "type")),
                      "Point");
    MUE_ASSERT_INT_EQ(json_array_size(coords), 2);
    MUE_ASSERT_DBL_NEAR(json_number_value(json_array_get(coords, 0)), 5.4474, 1e-12); /* lon */
    MUE_ASSERT_DBL_NEAR(json_number_value(json_array_get(coords, 1)), 43.5297, 1e-12);
    props = json_object_get(f, "properties");
    /* The position is the geometry, not a property. */
    MUE_ASSERT_INT_EQ(json_object_size(props), 2);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(props, "device_eui")), "a840");
    MUE_ASSERT_DBL_NEAR(json_number_value(json_object_get(props, "level")), 12.5, 0);

    f = json_array_get(features, 1);
    MUE_ASSERT(json_is_null(json_object_get(f, "geometry")));
    props = json_object_get(f, "properties");
    MUE_ASSERT_INT_EQ(json_object_size(props), 2);
    MUE_ASSERT(json_is_null(json_object_get(props, "level")));
    MUE_ASSERT(json_object_get(props, "latitude") == NULL);

    f = json_array_get(features, 2);
    MUE_ASSERT(json_is_null(json_object_get(f, "geometry")));
    json_decref(doc);
    PQclear(res);
}

static void test_geojson_without_position_columns(void)
{
    static const char *const names[] = { "group_name", "energy_kwh" };
    static const Oid types[] = { PG_ROWS_TEXT, PG_ROWS_FLOAT8 };
    static const char *const cells[] = { "Aix centre", "140.5" };
    PGresult *res = typed_rows(names, types, 2, cells, 1);
    json_t *doc = json_of(res, 1), *f;

    f = json_array_get(json_object_get(doc, "features"), 0);
    MUE_ASSERT(json_is_null(json_object_get(f, "geometry")));
    MUE_ASSERT_STR_EQ(
        json_string_value(json_object_get(json_object_get(f, "properties"), "group_name")),
        "Aix centre");
    MUE_ASSERT_INT_EQ(json_object_size(json_object_get(f, "properties")), 2);
    json_decref(doc);
    PQclear(res);
}

static void test_a_write_error_is_reported(void)
{
    static const char *const names[] = { "id" };
    static const char *const cells[] = { "1" };
    PGresult *res = pg_rows(names, 1, cells, 1);
    FILE *f = fopen("/dev/full", "w");

    if (f == NULL) {
        PQclear(res);
        return; /* no /dev/full here: nothing to learn */
    }
    setvbuf(f, NULL, _IONBF, 0);
    MUE_ASSERT(out_csv(f, res, true) < 0);
    fclose(f);
    PQclear(res);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_csv_quotes_what_needs_quoting),
        MUE_TEST(test_csv_header_alone_and_quoted_header_names),
        MUE_TEST(test_csv_keeps_utf8_as_it_is),
        MUE_TEST(test_json_writes_numbers_booleans_and_null),
        MUE_TEST(test_json_writes_non_finite_floats_as_null),
        MUE_TEST(test_json_escapes_text_and_names),
        MUE_TEST(test_json_keeps_the_array_file_layout),
        MUE_TEST(test_geojson_points_and_null_geometry),
        MUE_TEST(test_geojson_without_position_columns),
        MUE_TEST(test_a_write_error_is_reported),
    };
    return mue_test_run("out_table", tests);
}
