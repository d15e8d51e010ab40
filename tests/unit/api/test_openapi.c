/* test_openapi.c - the OpenAPI document of mue-api against the route table it is made from:
 * every route in it as declared, nothing else, every path parameter documented.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../mue_test.h"
#include "auth.h"
#include "openapi.h"
#include "routes.h"

static json_t *doc;

static json_t *load(void)
{
    size_t len;
    const char *text = openapi_document(&len);
    json_error_t err;

    MUE_ASSERT(text != NULL);
    MUE_ASSERT_UINT_EQ(strlen(text), len);
    json_decref(doc);
    doc = json_loadb(text, len, 0, &err);
    if (doc == NULL)
        fprintf(stderr, "  json: %s at %d\n", err.text, err.position);
    MUE_ASSERT(doc != NULL);
    return doc;
}

static void lower(const char *in, char *out, size_t cap)
{
    size_t i = 0;

    for (; in[i] != '\0' && i < cap - 1; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    out[i] = '\0';
}

static json_t *operation_of(const struct api_route *rt)
{
    char m[16];

    lower(rt->method, m, sizeof(m));
    return json_object_get(json_object_get(json_object_get(doc, "paths"), rt->pattern), m);
}

static const char *str_at(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void test_the_document_parses_with_its_header(void)
{
    json_t *d = load(), *bearer;

    MUE_ASSERT_STR_EQ(str_at(d, "openapi"), "3.0.3");
    MUE_ASSERT_STR_EQ(str_at(json_object_get(d, "info"), "title"), "mue API");
    MUE_ASSERT_STR_EQ(str_at(json_object_get(d, "info"), "version"), "1");
    MUE_ASSERT_UINT_EQ(json_array_size(json_object_get(d, "servers")), 1);
    MUE_ASSERT_STR_EQ(str_at(json_array_get(json_object_get(d, "servers"), 0), "url"), "/");
    bearer = json_object_get(json_object_get(json_object_get(d, "components"), "securitySchemes"),
                             "bearer");
    MUE_ASSERT_STR_EQ(str_at(bearer, "type"), "http");
    MUE_ASSERT_STR_EQ(str_at(bearer, "scheme"), "bearer");
}

static void test_every_route_is_there_with_its_method_summary_and_roles(void)
{
    load();
    for (size_t i = 0; i < api_nroutes; i++) {
        const struct api_route *rt = &api_routes[i];
        json_t *op = operation_of(rt), *roles, *v;
        unsigned bits = 0;
        size_t k;

        if (op == NULL)
            fprintf(stderr, "  missing: %s %s\n", rt->method, rt->pattern);
        MUE_ASSERT(op != NULL);
        MUE_ASSERT_STR_EQ(str_at(op, "summary"), rt->summary);
        roles = json_object_get(op, "x-mue-roles");
        MUE_ASSERT(json_is_array(roles) && json_array_size(roles) > 0);
        json_array_foreach(roles, k, v)
        {
            unsigned bit = auth_role_parse(json_string_value(v) ? json_string_value(v) : "");
            MUE_ASSERT(bit != 0);
            MUE_ASSERT((bits & bit) == 0); /* each role once */
            bits |= bit;
        }
        MUE_ASSERT_UINT_EQ(bits, rt->roles);
    }
}

static void test_nothing_else_is_in_it(void)
{
    json_t *item, *op;
    const char *path, *method;
    size_t n = 0;

    load();
    json_object_foreach(json_object_get(doc, "paths"), path, item)
    {
        json_object_foreach(item, method, op)
        {
            bool found = false;
            char m[16];
            for (size_t i = 0; i < api_nroutes && !found; i++) {
                lower(api_routes[i].method, m, sizeof(m));
                found = strcmp(api_routes[i].pattern, path) == 0 && strcmp(m, method) == 0;
            }
            if (!found)
                fprintf(stderr, "  not a route: %s %s\n", method, path);
            MUE_ASSERT(found);
            n++;
        }
    }
    MUE_ASSERT_UINT_EQ(n, api_nroutes);
}

/* The parameter 'name' of 'op' that is 'in' ("path", "query"), or NULL. */
static json_t *param_of(json_t *op, const char *name, const char *in)
{
    json_t *p;
    size_t k;

    json_array_foreach(json_object_get(op, "parameters"), k, p)
    {
        const char *pn = str_at(p, "name"), *pin = str_at(p, "in");
        if (pn != NULL && pin != NULL && strcmp(pn, name) == 0 && strcmp(pin, in) == 0)
            return p;
    }
    return NULL;
}

static void test_every_path_segment_name_has_a_required_path_parameter(void)
{
    load();
    for (size_t i = 0; i < api_nroutes; i++) {
        json_t *op = operation_of(&api_routes[i]), *p;
        size_t in_path = 0, declared = 0, k;

        MUE_ASSERT(op != NULL);
        for (const char *s = strchr(api_routes[i].pattern, '{'); s != NULL;
             s = strchr(s + 1, '{')) {
            char name[64];
            size_t len = strcspn(s + 1, "}");
            MUE_ASSERT(s[1 + len] == '}' && len > 0 && len < sizeof(name));
            memcpy(name, s + 1, len);
            name[len] = '\0';
            p = param_of(op, name, "path");
            if (p == NULL)
                fprintf(stderr, "  %s: no path parameter %s\n", api_routes[i].pattern, name);
            MUE_ASSERT(p != NULL);
            MUE_ASSERT(json_is_true(json_object_get(p, "required")));
            in_path++;
        }
        /* and no path parameter that is not in the path */
        json_array_foreach(json_object_get(op, "parameters"), k, p)
        {
            const char *pin = str_at(p, "in");
            if (pin != NULL && strcmp(pin, "path") == 0)
                declared++;
        }
        MUE_ASSERT_UINT_EQ(declared, in_path);
    }
}

static void test_parameters_follow_the_table(void)
{
    load();
    for (size_t i = 0; i < api_nroutes; i++) {
        const struct api_route *rt = &api_routes[i];
        json_t *op = operation_of(rt), *params = json_object_get(op, "parameters");
        size_t n = 0;

        MUE_ASSERT(json_is_array(params));
        for (; n < API_MAX_PARAMS && rt->params[n].name != NULL; n++) {
            json_t *p = param_of(op, rt->params[n].name, rt->params[n].in);
            MUE_ASSERT(p != NULL);
            MUE_ASSERT_STR_EQ(str_at(json_object_get(p, "schema"), "type"), rt->params[n].type);
            MUE_ASSERT_STR_EQ(str_at(p, "description"), rt->params[n].description);
            MUE_ASSERT(json_is_boolean(json_object_get(p, "required")));
            MUE_ASSERT(json_is_true(json_object_get(p, "required")) == rt->params[n].required);
        }
        MUE_ASSERT_UINT_EQ(json_array_size(params), n);
    }
}

static void test_responses_and_security_follow_the_roles(void)
{
    static const char *const codes[] = { "200", "400", "401", "403", "404" };

    load();
    for (size_t i = 0; i < api_nroutes; i++) {
        const struct api_route *rt = &api_routes[i];
        json_t *op = operation_of(rt), *resp = json_object_get(op, "responses"), *sec, *ok, *err;
        bool open = (rt->roles & API_PUBLIC) != 0, keyless = false, bearer = false;
        json_t *s;
        size_t k;

        for (size_t c = 0; c < sizeof(codes) / sizeof(codes[0]); c++)
            MUE_ASSERT(json_object_get(resp, codes[c]) != NULL);
        err = json_object_get(json_object_get(json_object_get(resp, "404"), "content"),
                              "application/json");
        MUE_ASSERT_STR_EQ(str_at(json_object_get(err, "schema"), "$ref"),
                          "#/components/schemas/Error");
        /* The 200 answer lists exactly the route's media types. */
        ok = json_object_get(json_object_get(resp, "200"), "content");
        {
            static const char *const types[] = { "application/json", "text/csv",
                                                 "application/geo+json", "text/event-stream" };
            size_t listed = 0;

            for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
                bool declared = strstr(rt->produces, types[t]) != NULL;

                MUE_ASSERT((json_object_get(ok, types[t]) != NULL) == declared);
                listed += declared;
            }
            MUE_ASSERT_INT_EQ(json_object_size(ok), listed);
        }
        sec = json_object_get(op, "security");
        MUE_ASSERT(json_is_array(sec));
        json_array_foreach(sec, k, s)
        {
            if (json_object_size(s) == 0)
                keyless = true;
            else if (json_is_array(json_object_get(s, "bearer")))
                bearer = true;
        }
        MUE_ASSERT(bearer);
        MUE_ASSERT(keyless == open);
    }
}

static void test_the_error_schema_has_error_and_reason(void)
{
    json_t *e =
        json_object_get(json_object_get(json_object_get(load(), "components"), "schemas"), "Error");
    json_t *props = json_object_get(e, "properties");

    MUE_ASSERT_STR_EQ(str_at(json_object_get(props, "error"), "type"), "string");
    MUE_ASSERT_STR_EQ(str_at(json_object_get(props, "reason"), "type"), "string");
    MUE_ASSERT_UINT_EQ(json_array_size(json_object_get(e, "required")), 2);
}

static void test_operation_ids_are_unique(void)
{
    json_t *seen = json_object();

    load();
    for (size_t i = 0; i < api_nroutes; i++) {
        const char *id = str_at(operation_of(&api_routes[i]), "operationId");
        MUE_ASSERT(id != NULL && id[0] != '\0');
        MUE_ASSERT(json_object_get(seen, id) == NULL);
        json_object_set_new(seen, id, json_true());
    }
    json_decref(seen);
}

static void *get_doc(void *arg)
{
    size_t len;

    (void)arg;
    return (void *)openapi_document(&len);
}

/* Runs first, so that the threads race for the first build. */
static void test_every_call_and_thread_gets_the_same_bytes(void)
{
    pthread_t t[8];
    void *got[8];
    size_t len1, len2;
    const char *a, *b;

    for (size_t i = 0; i < 8; i++)
        MUE_ASSERT_INT_EQ(pthread_create(&t[i], NULL, get_doc, NULL), 0);
    a = openapi_document(&len1);
    b = openapi_document(&len2);
    MUE_ASSERT(a != NULL && a == b && len1 == len2);
    for (size_t i = 0; i < 8; i++) {
        pthread_join(t[i], &got[i]);
        MUE_ASSERT(got[i] == a);
    }
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_every_call_and_thread_gets_the_same_bytes),
        MUE_TEST(test_the_document_parses_with_its_header),
        MUE_TEST(test_every_route_is_there_with_its_method_summary_and_roles),
        MUE_TEST(test_nothing_else_is_in_it),
        MUE_TEST(test_every_path_segment_name_has_a_required_path_parameter),
        MUE_TEST(test_parameters_follow_the_table),
        MUE_TEST(test_responses_and_security_follow_the_roles),
        MUE_TEST(test_the_error_schema_has_error_and_reason),
        MUE_TEST(test_operation_ids_are_unique),
    };
    int rc = mue_test_run("openapi", tests);

    json_decref(doc);
    return rc;
}
