/* test_publish.c - files renamed into place whole, leftovers swept, monthly parts listed and joined
 * into one valid document.
 * SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "out_table.h"
#include "publish.h"
#include "pg_rows.h"
#include "../mue_test.h"

static char tmp[64]; /* the test's own folder, emptied between tests */
static char dir[96]; /* a folder inside it, as the export has one per dataset */

static void path_of(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static void put(const char *name, const char *text)
{
    char path[512];
    FILE *f;

    path_of(path, sizeof(path), name);
    f = fopen(path, "w");
    MUE_ASSERT(f != NULL);
    fputs(text, f);
    MUE_ASSERT(fclose(f) == 0);
}

/* The whole file, or "-" when there is none. */
static const char *slurp(const char *name)
{
    static char text[4096];
    char path[512];
    FILE *f;
    size_t n;

    path_of(path, sizeof(path), name);
    f = fopen(path, "r");
    if (f == NULL)
        return "-";
    n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* The folder's names, sorted and joined by spaces ("." and ".." left out). */
static const char *listing(void)
{
    static char out[1024];
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);

    out[0] = '\0';
    MUE_ASSERT(n >= 0);
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
            if (out[0])
                strncat(out, " ", sizeof(out) - strlen(out) - 1);
            strncat(out, names[i]->d_name, sizeof(out) - strlen(out) - 1);
        }
        free(names[i]);
    }
    free(names);
    return out;
}

static void empty_dir(void)
{
    struct dirent *e;
    DIR *d = opendir(dir);
    char path[512];

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        path_of(path, sizeof(path), e->d_name);
        unlink(path);
    }
    closedir(d);
}

static void fresh_dir(void)
{
    empty_dir();
    MUE_ASSERT_INT_EQ(pub_mkdir(dir), 0);
    MUE_ASSERT_STR_EQ(listing(), "");
}

static void test_mkdir_makes_parents_and_accepts_an_existing_folder(void)
{
    char deep[160], file[200];
    struct stat st;

    snprintf(deep, sizeof(deep), "%s/a/b/c", tmp);
    MUE_ASSERT_INT_EQ(pub_mkdir(deep), 0);
    MUE_ASSERT(stat(deep, &st) == 0 && S_ISDIR(st.st_mode));
    MUE_ASSERT_INT_EQ(pub_mkdir(deep), 0);
    /* A file where a folder should be is an error, not a success. */
    snprintf(file, sizeof(file), "%s/file", deep);
    MUE_ASSERT(creat(file, 0644) >= 0);
    snprintf(deep, sizeof(deep), "%s/a/b/c/file/d", tmp);
    MUE_ASSERT_INT_EQ(pub_mkdir(deep), -ENOTDIR);
    MUE_ASSERT_INT_EQ(pub_mkdir(""), -ENAMETOOLONG);
    unlink(file);
    snprintf(deep, sizeof(deep), "%s/a/b/c", tmp);
    rmdir(deep);
    snprintf(deep, sizeof(deep), "%s/a/b", tmp);
    rmdir(deep);
    snprintf(deep, sizeof(deep), "%s/a", tmp);
    rmdir(deep);
}

static void test_commit_renames_into_place_and_leaves_no_temporary(void)
{
    struct pub_file p;
    char tmpname[64];

    fresh_dir();
    MUE_ASSERT_INT_EQ(pub_open(&p, dir, "2026-11.csv"), 0);
    fputs("a,b\r\n1,2\r\n", p.f);
    /* Until the commit, a reader sees nothing but the hidden temporary. */
    snprintf(tmpname, sizeof(tmpname), ".2026-11.csv.tmp-%ld", (long)getpid());
    MUE_ASSERT_STR_EQ(listing(), tmpname);
    MUE_ASSERT_INT_EQ(pub_commit(&p), 0);
    MUE_ASSERT(p.f == NULL);
    MUE_ASSERT_STR_EQ(listing(), "2026-11.csv");
    MUE_ASSERT_STR_EQ(slurp("2026-11.csv"), "a,b\r\n1,2\r\n");

    /* A second version replaces the first whole. */
    MUE_ASSERT_INT_EQ(pub_open(&p, dir, "2026-11.csv"), 0);
    fputs("a,b\r\n3,4\r\n", p.f);
    MUE_ASSERT_INT_EQ(pub_commit(&p), 0);
    MUE_ASSERT_STR_EQ(listing(), "2026-11.csv");
    MUE_ASSERT_STR_EQ(slurp("2026-11.csv"), "a,b\r\n3,4\r\n");
}

static void test_abort_leaves_the_previous_file_untouched(void)
{
    struct pub_file p;

    fresh_dir();
    put("data.json", "[\n]\n");
    MUE_ASSERT_INT_EQ(pub_open(&p, dir, "data.json"), 0);
    fputs("[\n{\"half\":", p.f);
    fflush(p.f);
    pub_abort(&p);
    MUE_ASSERT(p.f == NULL);
    MUE_ASSERT_STR_EQ(listing(), "data.json");
    MUE_ASSERT_STR_EQ(slurp("data.json"), "[\n]\n");
    /* Once more, and on a file never opened: nothing to do, nothing broken. */
    pub_abort(&p);
    memset(&p, 0, sizeof(p));
    pub_abort(&p);
    MUE_ASSERT_INT_EQ(pub_commit(&p), -EBADF);
    MUE_ASSERT_STR_EQ(listing(), "data.json");
}

static void test_open_in_a_missing_folder_fails_with_errno(void)
{
    struct pub_file p;
    char missing[128];

    snprintf(missing, sizeof(missing), "%s/nope", tmp);
    MUE_ASSERT_INT_EQ(pub_open(&p, missing, "a.csv"), -ENOENT);
    MUE_ASSERT(p.f == NULL);
    pub_abort(&p);
}

static void test_sweep_removes_only_temporaries(void)
{
    fresh_dir();
    put(".x.tmp-123", "half");
    put(".2026-11.csv.tmp-99999", "half");
    put("x.tmp-123", "a file someone named so");
    put(".x.tmp", "not ours");
    put(".hidden", "not ours");
    put("2026-11.csv", "a,b\r\n");
    MUE_ASSERT_INT_EQ(pub_sweep(dir), 2);
    MUE_ASSERT_STR_EQ(listing(), ".hidden .x.tmp 2026-11.csv x.tmp-123");
    MUE_ASSERT_INT_EQ(pub_sweep(dir), 0);
    MUE_ASSERT_INT_EQ(pub_sweep("/nonexistent/mue"), 0);
}

/* The names pub_parts found, joined by spaces. */
static const char *parts(const char *suffix)
{
    static char out[512];
    char **names = NULL;
    int n = pub_parts(dir, suffix, &names);

    out[0] = '\0';
    MUE_ASSERT(n >= 0);
    MUE_ASSERT(n > 0 || names == NULL);
    for (int i = 0; i < n; i++) {
        if (i)
            strncat(out, " ", sizeof(out) - strlen(out) - 1);
        strncat(out, names[i], sizeof(out) - strlen(out) - 1);
    }
    pub_names_free(names, n);
    return out;
}

static void test_parts_are_the_months_of_one_suffix_sorted(void)
{
    char *sentinel[1], **names = sentinel;

    fresh_dir();
    put("2026-11.csv", "");
    put("2025-12.csv", "");
    put("2026-01.csv", "");
    put("2026-11.csv.bak", "");
    put("x2026-11.csv", "");
    put("2026-11-measures.csv", "");
    put("2026-10-measures.csv", "");
    put("2026-1x.csv", "");
    put("2026_11.csv", "");
    put(".2026-11.csv.tmp-1", "");
    put("2026-11.geojson", "");
    put("all.csv", "");
    MUE_ASSERT_STR_EQ(parts(".csv"), "2025-12.csv 2026-01.csv 2026-11.csv");
    MUE_ASSERT_STR_EQ(parts("-measures.csv"), "2026-10-measures.csv 2026-11-measures.csv");
    MUE_ASSERT_STR_EQ(parts(".geojson"), "2026-11.geojson");
    MUE_ASSERT_STR_EQ(parts(".json"), "");
    MUE_ASSERT_INT_EQ(pub_parts("/nonexistent/mue", ".csv", &names), 0);
    MUE_ASSERT(names == NULL);
}

/* Joins 'names' with pub_join_csv into 'm' (pg_mem_free it); returns what pub_join_csv did. */
static int join_csv(struct pg_mem *m, char **names, int n)
{
    pg_mem_open(m);
    return pub_join_csv(m->f, dir, names, n);
}

static void test_join_csv_keeps_one_header(void)
{
    char n0[] = "2026-10.csv", n1[] = "2026-11.csv", n2[] = "2026-12.csv", n3[] = "2026-09.csv";
    char *names[] = { n0, n1, n2 };
    struct pg_mem m;

    fresh_dir();
    put("2026-10.csv", "a,b\r\n1,2\r\n3,4\r\n");
    put("2026-11.csv", "a,b\r\n"); /* a month without rows */
    put("2026-12.csv", "a,b\r\n5,\"x\r\ny\"\r\n");
    MUE_ASSERT_INT_EQ(join_csv(&m, names, 3), 0);
    MUE_ASSERT_STR_EQ(pg_mem_text(&m), "a,b\r\n1,2\r\n3,4\r\n5,\"x\r\ny\"\r\n");
    pg_mem_free(&m);
    MUE_ASSERT_INT_EQ(join_csv(&m, names + 1, 1), 0);
    MUE_ASSERT_STR_EQ(pg_mem_text(&m), "a,b\r\n");
    pg_mem_free(&m);
    MUE_ASSERT_INT_EQ(join_csv(&m, names, 0), 0);
    MUE_ASSERT_STR_EQ(pg_mem_text(&m), "");
    pg_mem_free(&m);

    names[1] = n3;
    MUE_ASSERT_INT_EQ(join_csv(&m, names, 3), -ENOENT);
    pg_mem_free(&m);
}

/* A month written before a column was added cannot be joined with the newer ones: the whole
 * history would have rows of two shapes under one header. */
static void test_join_csv_refuses_months_of_other_columns(void)
{
    char n0[] = "2026-10.csv", n1[] = "2026-11.csv";
    char *names[] = { n0, n1 };
    struct pg_mem m;

    fresh_dir();
    put("2026-10.csv", "a,b\r\n1,2\r\n");
    put("2026-11.csv", "a,b,c\r\n3,4,5\r\n");
    MUE_ASSERT_INT_EQ(join_csv(&m, names, 2), -EPROTO);
    pg_mem_free(&m);
}

/* Writes a part of 'nrows' rows of (id, name) with out_json, or with out_geojson when 'geo'. */
static void put_part(const char *name, int first, int nrows, int geo)
{
    static const char *const cols[] = { "id", "name", "latitude", "longitude" };
    const char *cells[4 * 8];
    char ids[8][12];
    struct pub_file p;
    PGresult *res;

    MUE_ASSERT(nrows <= 8);
    for (int r = 0; r < nrows; r++) {
        snprintf(ids[r], sizeof(ids[r]), "%d", first + r);
        cells[4 * r] = ids[r];
        cells[4 * r + 1] = r % 2 ? "a \"quoted\", name" : "plain";
        cells[4 * r + 2] = r % 2 ? "43.5" : NULL;
        cells[4 * r + 3] = r % 2 ? "5.4" : NULL;
    }
    res = pg_rows(cols, 4, cells, nrows);
    MUE_ASSERT_INT_EQ(pub_open(&p, dir, name), 0);
    MUE_ASSERT_INT_EQ(geo ? out_geojson(p.f, res) : out_json(p.f, res), 0);
    MUE_ASSERT_INT_EQ(pub_commit(&p), 0);
    PQclear(res);
}

/* Joins 'names' as array files and parses the result; NULL when it is not valid JSON. */
static json_t *join_array(char **names, int n, int geo, int *rc)
{
    struct pg_mem m;
    json_error_t je;
    json_t *doc;

    pg_mem_open(&m);
    *rc = pub_join_array(m.f, dir, names, n, geo ? OUT_GEOJSON_OPEN : OUT_JSON_OPEN,
                         geo ? OUT_GEOJSON_CLOSE : OUT_JSON_CLOSE);
    doc = json_loads(pg_mem_text(&m), 0, &je);
    if (doc == NULL)
        fprintf(stderr, "  not JSON (%s):\n%s\n", je.text, m.text);
    pg_mem_free(&m);
    return doc;
}

/* What pub_join_array returns for 'names' joined as JSON array files. */
static int join_rc(char **names, int n)
{
    int rc;

    json_decref(join_array(names, n, 0, &rc));
    return rc;
}

static void test_join_array_makes_one_json_document(void)
{
    char n0[] = "2026-09.json", n1[] = "2026-10.json", n2[] = "2026-11.json";
    char *names[] = { n0, n1, n2 };
    json_t *doc;
    int rc;

    fresh_dir();
    put_part("2026-09.json", 1, 2, 0);
    put_part("2026-10.json", 3, 0, 0); /* an empty part */
    put_part("2026-11.json", 3, 3, 0);
    doc = join_array(names, 3, 0, &rc);
    MUE_ASSERT_INT_EQ(rc, 0);
    MUE_ASSERT(json_is_array(doc));
    MUE_ASSERT_INT_EQ(json_array_size(doc), 5);
    for (size_t i = 0; i < 5; i++) {
        char id[12];
        snprintf(id, sizeof(id), "%zu", i + 1);
        MUE_ASSERT_STR_EQ(json_string_value(json_object_get(json_array_get(doc, i), "id")), id);
    }
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(json_array_get(doc, 1), "name")),
                      "a \"quoted\", name");
    json_decref(doc);

    /* Empty parts only, or none at all: still a document, an empty array. */
    doc = join_array(names + 1, 1, 0, &rc);
    MUE_ASSERT_INT_EQ(rc, 0);
    MUE_ASSERT(json_is_array(doc) && json_array_size(doc) == 0);
    json_decref(doc);
    doc = join_array(names, 0, 0, &rc);
    MUE_ASSERT_INT_EQ(rc, 0);
    MUE_ASSERT(json_is_array(doc) && json_array_size(doc) == 0);
    json_decref(doc);
}

static void test_join_array_makes_one_feature_collection(void)
{
    char n0[] = "2026-10.geojson", n1[] = "2026-11.geojson", n2[] = "2026-12.geojson";
    char *names[] = { n0, n1, n2 };
    json_t *doc, *features, *second;
    int rc;

    fresh_dir();
    put_part("2026-10.geojson", 1, 1, 1);
    put_part("2026-11.geojson", 2, 2, 1);
    put_part("2026-12.geojson", 4, 0, 1);
    doc = join_array(names, 3, 1, &rc);
    MUE_ASSERT_INT_EQ(rc, 0);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(doc, "type")), "FeatureCollection");
    features = json_object_get(doc, "features");
    MUE_ASSERT_INT_EQ(json_array_size(features), 3);
    MUE_ASSERT(json_is_null(json_object_get(json_array_get(features, 0), "geometry")));
    second = json_object_get(json_array_get(features, 2), "geometry");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(second, "type")), "Point");
    MUE_ASSERT_DBL_NEAR(
        json_number_value(json_array_get(json_object_get(second, "coordinates"), 0)), 5.4, 1e-12);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(
                          json_object_get(json_array_get(features, 2), "properties"), "id")),
                      "3");
    json_decref(doc);
}

static void test_join_array_refuses_a_part_not_in_the_layout(void)
{
    char n0[] = "2026-10.json", n1[] = "2026-11.json", n2[] = "2026-12.json";
    char *names[] = { n0, n1 };

    fresh_dir();
    put_part("2026-10.json", 1, 2, 0);
    /* One JSON document, but not one item per line. */
    put("2026-11.json", "[{\"id\":\"3\"},\n{\"id\":\"4\"}]\n");
    MUE_ASSERT_INT_EQ(join_rc(names, 2), -EPROTO);

    /* An item on the opening line would be lost without a word. */
    put("2026-11.json", "[{\"id\":\"3\"},\n{\"id\":\"4\"}\n]\n");
    MUE_ASSERT_INT_EQ(join_rc(names, 2), -EPROTO);

    put("2026-11.json", "[\n{\"id\":\"3\"},\n"); /* cut short: no closing line */
    MUE_ASSERT_INT_EQ(join_rc(names, 2), -EPROTO);

    put("2026-11.json", ""); /* not even an opening */
    MUE_ASSERT_INT_EQ(join_rc(names, 2), -EPROTO);

    /* A GeoJSON part is not a JSON part. */
    put_part("2026-11.json", 3, 1, 1);
    MUE_ASSERT_INT_EQ(join_rc(names, 2), -EPROTO);

    names[1] = n2;
    MUE_ASSERT_INT_EQ(join_rc(names, 2), -ENOENT);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_mkdir_makes_parents_and_accepts_an_existing_folder),
        MUE_TEST(test_commit_renames_into_place_and_leaves_no_temporary),
        MUE_TEST(test_abort_leaves_the_previous_file_untouched),
        MUE_TEST(test_open_in_a_missing_folder_fails_with_errno),
        MUE_TEST(test_sweep_removes_only_temporaries),
        MUE_TEST(test_parts_are_the_months_of_one_suffix_sorted),
        MUE_TEST(test_join_csv_keeps_one_header),
        MUE_TEST(test_join_csv_refuses_months_of_other_columns),
        MUE_TEST(test_join_array_makes_one_json_document),
        MUE_TEST(test_join_array_makes_one_feature_collection),
        MUE_TEST(test_join_array_refuses_a_part_not_in_the_layout),
    };
    int rc;

    snprintf(tmp, sizeof(tmp), "/tmp/mue-publish-XXXXXX");
    if (mkdtemp(tmp) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(dir, sizeof(dir), "%s/capteurs", tmp);
    rc = mue_test_run("publish", tests);
    empty_dir();
    rmdir(dir);
    rmdir(tmp);
    return rc;
}
