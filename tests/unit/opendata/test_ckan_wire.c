/* test_ckan_wire.c - the CKAN push's pure half: names, checks, action URLs, bodies, multipart,
 * answers, resource lookup, retry waits.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include <jansson.h>

#include "ckan_wire.h"
#include "mue_err.h"
#include "../mue_test.h"

static const char *const tags[] = { "velo", "comptage" };
static const struct ckan_resource res[] = {
    { "a.csv", "CSV file", "CSV", "http://x/a.csv", NULL },
    { "a.geojson", NULL, "GeoJSON", "http://x/a.geojson", NULL },
};

static struct ckan_package pkg(void)
{
    struct ckan_package p = { .name = "comptages-velo",
                              .title = "Comptages",
                              .notes = "n",
                              .license_id = "fr-lo",
                              .url = "http://x/",
                              .frequency = "daily",
                              .tags = tags,
                              .ntags = 2,
                              .temporal_start = "2026-01-01",
                              .res = res,
                              .nres = 2 };
    return p;
}

static void test_names_ckan_accepts(void)
{
    MUE_ASSERT(ckan_wire_name_is_valid("comptages-velo_2026"));
    MUE_ASSERT(ckan_wire_name_is_valid("ab"));
    MUE_ASSERT(!ckan_wire_name_is_valid("a"));
    MUE_ASSERT(!ckan_wire_name_is_valid("Comptages"));
    MUE_ASSERT(!ckan_wire_name_is_valid("vélo"));
    MUE_ASSERT(!ckan_wire_name_is_valid("a b"));
    MUE_ASSERT(!ckan_wire_name_is_valid(""));
    MUE_ASSERT(!ckan_wire_name_is_valid(NULL));
    char long_name[102];
    memset(long_name, 'a', 101);
    long_name[101] = '\0';
    MUE_ASSERT(!ckan_wire_name_is_valid(long_name));
    long_name[100] = '\0';
    MUE_ASSERT(ckan_wire_name_is_valid(long_name));
}

static void test_check_package_refuses_what_would_break_idempotence(void)
{
    struct ckan_package p = pkg();
    struct ckan_resource twice[2] = { res[0], res[0] }, nourl[1] = { res[0] };
    char err[256];

    MUE_ASSERT_INT_EQ(ckan_wire_check_package(&p, err, sizeof(err)), MUE_OK);
    p.res = twice;
    MUE_ASSERT_INT_EQ(ckan_wire_check_package(&p, err, sizeof(err)), MUE_EINVAL);
    MUE_ASSERT(strstr(err, "two resources are named \"a.csv\"") != NULL);
    nourl[0].url = "";
    p.res = nourl;
    p.nres = 1;
    MUE_ASSERT_INT_EQ(ckan_wire_check_package(&p, err, sizeof(err)), MUE_EINVAL);
    p = pkg();
    p.title = NULL;
    MUE_ASSERT_INT_EQ(ckan_wire_check_package(&p, err, sizeof(err)), MUE_EINVAL);
    p = pkg();
    p.nres = -1;
    MUE_ASSERT_INT_EQ(ckan_wire_check_package(&p, err, sizeof(err)), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(ckan_wire_check_package(NULL, err, sizeof(err)), MUE_EINVAL);
}

static void test_action_urls(void)
{
    char url[128], tiny[20];

    MUE_ASSERT_INT_EQ(ckan_wire_action_url("https://trouver.datasud.fr/", "package_patch", NULL,
                                           url, sizeof(url)),
                      MUE_OK);
    MUE_ASSERT_STR_EQ(url, "https://trouver.datasud.fr/api/3/action/package_patch");
    MUE_ASSERT_INT_EQ(ckan_wire_action_url("http://127.0.0.1:5000/ckan", "package_show", "a b&c=é",
                                           url, sizeof(url)),
                      MUE_OK);
    MUE_ASSERT_STR_EQ(url,
                      "http://127.0.0.1:5000/ckan/api/3/action/package_show?id=a%20b%26c%3D%C3%A9");
    MUE_ASSERT_INT_EQ(
        ckan_wire_action_url("http://127.0.0.1:5000", "package_show", "x", tiny, sizeof(tiny)),
        MUE_E2BIG);
}

static void test_package_bodies_for_create_and_patch(void)
{
    struct ckan_package p = pkg();
    json_t *create = ckan_wire_package_body(&p, "amp", NULL);
    json_t *patch = ckan_wire_package_body(&p, "amp", "uuid-1");
    json_t *extras = json_object_get(create, "extras");

    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(create, "name")), "comptages-velo");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(create, "owner_org")), "amp");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(create, "license_id")), "fr-lo");
    MUE_ASSERT(json_object_get(create, "id") == NULL);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(
                          json_array_get(json_object_get(create, "tags"), 1), "name")),
                      "comptage");
    /* frequency and temporal_start; temporal_end is NULL and left out */
    MUE_ASSERT_UINT_EQ(json_array_size(extras), 2);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(json_array_get(extras, 0), "key")),
                      "frequency");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(json_array_get(extras, 1), "value")),
                      "2026-01-01");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(patch, "id")), "uuid-1");
    MUE_ASSERT(json_object_get(patch, "owner_org") == NULL);
    MUE_ASSERT(json_object_get(patch, "resources") == NULL); /* a patch keeps them */
    json_decref(create);
    json_decref(patch);
}

static void test_resource_bodies(void)
{
    json_t *create = ckan_wire_resource_body(&res[1], "pkg-1", NULL);
    json_t *update = ckan_wire_resource_body(&res[0], "pkg-1", "res-9");

    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(create, "package_id")), "pkg-1");
    MUE_ASSERT(json_object_get(create, "id") == NULL);
    MUE_ASSERT(json_object_get(create, "description") == NULL);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(create, "format")), "GeoJSON");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(update, "id")), "res-9");
    MUE_ASSERT(json_object_get(update, "package_id") == NULL);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(update, "url")), "http://x/a.csv");
    json_decref(create);
    json_decref(update);
}

static void test_multipart_body(void)
{
    json_t *fields = json_pack("{s:s, s:s, s:i}", "name", "export.csv", "format", "CSV", "n", 3);
    const char data[] = "a,b\r\n1,2\r\n--not-a-boundary\r\n";
    char ctype[128], expect[1024];
    const char *boundary;
    struct mue_buf body;

    mue_buf_init(&body, 0);
    MUE_ASSERT_INT_EQ(ckan_wire_multipart(fields, "export.csv", data, sizeof(data) - 1, &body,
                                          ctype, sizeof(ctype)),
                      MUE_OK);
    MUE_ASSERT(strncmp(ctype, "multipart/form-data; boundary=mue-ckan-", 39) == 0);
    boundary = ctype + strlen("multipart/form-data; boundary=");
    snprintf(expect, sizeof(expect),
             "--%s\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nexport.csv\r\n"
             "--%s\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nCSV\r\n"
             "--%s\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"export.csv\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n%s\r\n--%s--\r\n",
             boundary, boundary, boundary, data, boundary);
    MUE_ASSERT_STR_EQ(body.data, expect); /* the integer field is skipped */
    mue_buf_reset(&body);
    MUE_ASSERT_INT_EQ(ckan_wire_multipart(fields, "a\"b.csv", data, sizeof(data) - 1, &body, ctype,
                                          sizeof(ctype)),
                      MUE_EINVAL);
    mue_buf_fini(&body);
    json_decref(fields);
}

static void test_multipart_boundary_is_not_in_the_data(void)
{
    json_t *fields = json_object();
    char ctype[128], data[256], first[128];
    struct mue_buf body;

    memset(data, 'x', sizeof(data));
    mue_buf_init(&body, 0);
    MUE_ASSERT_INT_EQ(
        ckan_wire_multipart(fields, "f", data, sizeof(data), &body, ctype, sizeof(ctype)), MUE_OK);
    /* A file that holds the boundary the first try would use gets another one. */
    snprintf(first, sizeof(first), "%s", strstr(ctype, "boundary=") + 9);
    memcpy(data + 10, first, strlen(first));
    mue_buf_reset(&body);
    MUE_ASSERT_INT_EQ(
        ckan_wire_multipart(fields, "f", data, sizeof(data), &body, ctype, sizeof(ctype)), MUE_OK);
    MUE_ASSERT(memmem(data, sizeof(data), strstr(ctype, "boundary=") + 9,
                      strlen(strstr(ctype, "boundary=") + 9)) == NULL);
    mue_buf_fini(&body);
    json_decref(fields);
}

static void test_answers(void)
{
    json_t *result = NULL;
    char err[256];
    const char *okay = "{\"help\": \"h\", \"success\": true, \"result\": {\"id\": \"p1\"}}";
    const char *notfound = "{\"success\": false, \"error\": {\"__type\": \"Not Found Error\", "
                           "\"message\": \"Not found\"}}";
    const char *inuse = "{\"success\": false, \"error\": {\"__type\": \"Validation Error\", "
                        "\"name\": [\"That URL is already in use.\"]}}";

    MUE_ASSERT_INT_EQ(ckan_wire_answer_parse(200, okay, strlen(okay), &result, err, sizeof(err)),
                      MUE_OK);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(result, "id")), "p1");
    json_decref(result);
    MUE_ASSERT_INT_EQ(
        ckan_wire_answer_parse(404, notfound, strlen(notfound), &result, err, sizeof(err)),
        MUE_EINVAL);
    MUE_ASSERT(result == NULL);
    MUE_ASSERT_STR_EQ(err, "HTTP 404 Not Found Error: Not found");
    MUE_ASSERT_INT_EQ(ckan_wire_answer_parse(409, inuse, strlen(inuse), &result, err, sizeof(err)),
                      MUE_EINVAL);
    MUE_ASSERT_STR_EQ(err, "HTTP 409 Validation Error; name: That URL is already in use.");
    MUE_ASSERT_INT_EQ(ckan_wire_answer_parse(502, "<html>", 6, &result, err, sizeof(err)),
                      MUE_EDECODE);
    MUE_ASSERT(strstr(err, "not a CKAN answer") != NULL);
    /* success true with an error status, or no result, is not a success */
    MUE_ASSERT_INT_EQ(ckan_wire_answer_parse(500, okay, strlen(okay), &result, err, sizeof(err)),
                      MUE_EINVAL);
    MUE_ASSERT_INT_EQ(
        ckan_wire_answer_parse(200, "{\"success\": true}", 17, &result, err, sizeof(err)),
        MUE_EDECODE);
}

static void test_resource_lookup_by_name(void)
{
    json_t *p = json_loads("{\"resources\": [{\"id\": \"r1\", \"name\": \"a.csv\"}, {\"name\": "
                           "\"b.csv\"}, {\"id\": \"r3\", \"name\": \"b.csv\"}, {\"id\": \"r4\", "
                           "\"name\": \"a.csv\"}]}",
                           0, NULL);

    MUE_ASSERT_STR_EQ(ckan_wire_resource_id(p, "a.csv"), "r1");
    MUE_ASSERT_STR_EQ(ckan_wire_resource_id(p, "b.csv"), "r3"); /* one without an id is skipped */
    MUE_ASSERT(ckan_wire_resource_id(p, "c.csv") == NULL);
    MUE_ASSERT(ckan_wire_resource_id(NULL, "a.csv") == NULL);
    json_decref(p);
}

static void test_waits_double_up_to_the_cap_and_honour_retry_after(void)
{
    MUE_ASSERT_INT_EQ(ckan_wire_wait_ms(500, 1, -1), 500);
    MUE_ASSERT_INT_EQ(ckan_wire_wait_ms(500, 2, -1), 1000);
    MUE_ASSERT_INT_EQ(ckan_wire_wait_ms(500, 4, -1), 4000);
    MUE_ASSERT_INT_EQ(ckan_wire_wait_ms(500, 40, -1), CKAN_BACKOFF_CAP_MS);
    MUE_ASSERT_INT_EQ(ckan_wire_wait_ms(500, 1, 7), 7000);
    MUE_ASSERT_INT_EQ(ckan_wire_wait_ms(5000, 2, 1), 10000);
    MUE_ASSERT_INT_EQ(ckan_wire_wait_ms(0, 3, -1), 0);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_names_ckan_accepts),
        MUE_TEST(test_check_package_refuses_what_would_break_idempotence),
        MUE_TEST(test_action_urls),
        MUE_TEST(test_package_bodies_for_create_and_patch),
        MUE_TEST(test_resource_bodies),
        MUE_TEST(test_multipart_body),
        MUE_TEST(test_multipart_boundary_is_not_in_the_data),
        MUE_TEST(test_answers),
        MUE_TEST(test_resource_lookup_by_name),
        MUE_TEST(test_waits_double_up_to_the_cap_and_honour_retry_after),
    };
    return mue_test_run("ckan_wire", tests);
}
