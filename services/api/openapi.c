/* openapi.c - GET /v1/openapi.json: the OpenAPI 3.0.3 document, made once from the route table so
 * that what is documented and what is answered cannot drift apart.
 * SPDX-License-Identifier: MIT */
#include "openapi.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

#include "auth.h"
#include "handlers.h"
#include "http.h"
#include "mue_log.h"
#include "routes.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char *doc; /* kept for the life of the process */
static size_t doc_len;

/* The roles of a route by name, in the order of their bits. */
static json_t *role_names(unsigned roles)
{
    json_t *a = json_array();

    for (unsigned bit = 1; bit <= API_ADMIN; bit <<= 1)
        if (roles & bit)
            json_array_append_new(a, json_string(auth_role_name(bit)));
    return a;
}

/* "GET /v1/devices/{dev_eui}/series" -> "get_v1_devices_dev_eui_series": unique per route. */
static json_t *operation_id(const struct api_route *rt)
{
    char id[256];
    size_t n = 0;

    for (const char *s = rt->method; *s != '\0' && n < sizeof(id) - 1; s++)
        id[n++] = (char)tolower((unsigned char)*s);
    for (const char *s = rt->pattern; *s != '\0' && n < sizeof(id) - 1; s++) {
        if (isalnum((unsigned char)*s))
            id[n++] = (char)tolower((unsigned char)*s);
        else if (*s != '{' && *s != '}' && id[n - 1] != '_')
            id[n++] = '_';
    }
    while (n > 0 && id[n - 1] == '_')
        n--;
    id[n] = '\0';
    return json_string(id);
}

static json_t *parameters(const struct api_route *rt)
{
    json_t *a = json_array();

    for (size_t i = 0; i < API_MAX_PARAMS && rt->params[i].name != NULL; i++) {
        const struct api_param *p = &rt->params[i];
        json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:{s:s}, s:s}", "name", p->name, "in",
                                           p->in, "required", p->required, "schema", "type",
                                           p->type, "description", p->description));
    }
    return a;
}

/* The 200's content: one entry per type of "application/json, text/csv". */
static json_t *content(const char *produces)
{
    json_t *c = json_object();
    char type[64];

    for (const char *s = produces; *s != '\0';) {
        size_t n = strcspn(s, ",");
        int len = (int)(n < sizeof(type) ? n : sizeof(type) - 1);
        const char *schema;

        snprintf(type, sizeof(type), "%.*s", len, s);
        schema = strstr(type, "json") != NULL ? "object" : "string";
        json_object_set_new(c, type, json_pack("{s:{s:s}}", "schema", "type", schema));
        s += n;
        while (*s == ',' || *s == ' ')
            s++;
    }
    return c;
}

static json_t *responses(const struct api_route *rt)
{
    static const char *const errors[][2] = {
        { "400", "a parameter is missing or wrong (the reason names it)" },
        { "401", "no API key where one is needed, or an unknown or revoked key" },
        { "403", "the key's role may not call this route" },
        { "404", "no such object, or not in the caller's scope" },
    };
    json_t *o =
        json_pack("{s:{s:s, s:o}}", "200", "description", "OK", "content", content(rt->produces));

    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
        json_object_set_new(o, errors[i][0],
                            json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", errors[i][1],
                                      "content", "application/json", "schema", "$ref",
                                      "#/components/schemas/Error"));
    return o;
}

static json_t *operation(const struct api_route *rt)
{
    /* The public may call it without a key; a key is still welcome (it sets the scope). */
    json_t *security = (rt->roles & API_PUBLIC) ? json_pack("[{}, {s:[]}]", "bearer")
                                                : json_pack("[{s:[]}]", "bearer");

    return json_pack("{s:o, s:s, s:o, s:o, s:o, s:o}", "operationId", operation_id(rt), "summary",
                     rt->summary, "parameters", parameters(rt), "responses", responses(rt),
                     "security", security, "x-mue-roles", role_names(rt->roles));
}

static json_t *build(void)
{
    json_t *paths = json_object();

    for (size_t i = 0; i < api_nroutes; i++) {
        const struct api_route *rt = &api_routes[i];
        json_t *item = json_object_get(paths, rt->pattern);
        char method[16];
        size_t n = 0;

        for (; rt->method[n] != '\0' && n < sizeof(method) - 1; n++)
            method[n] = (char)tolower((unsigned char)rt->method[n]);
        method[n] = '\0';
        if (item == NULL) {
            item = json_object();
            json_object_set_new(paths, rt->pattern, item);
        }
        json_object_set_new(item, method, operation(rt));
    }
    return json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:{s:{s:{s:s, s:s, s:s}}, s:{s:{s:s, s:[ss], "
        "s:{s:{s:s}, s:{s:s}}}}}}",
        "openapi", "3.0.3", "info", "title", "mue API", "version", "1", "description",
        "The data of the metropolis' sensors for the directorates, the operators, partners and "
        "the public. Without a key a caller is the public; a key (Authorization: Bearer) gives "
        "its role and scope. x-mue-roles lists the roles each route admits.",
        "servers", "url", "/", "paths", paths, "components", "securitySchemes", "bearer", "type",
        "http", "scheme", "bearer", "description", "an API key (mue-admin keys create)", "schemas",
        "Error", "type", "object", "required", "error", "reason", "properties", "error", "type",
        "string", "reason", "type", "string");
}

static void make(void)
{
    json_t *d = build();

    doc = d != NULL ? json_dumps(d, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    doc_len = doc != NULL ? strlen(doc) : 0;
    json_decref(d);
    if (doc == NULL)
        mue_log_error("api.openapi_failed", "reason=\"the document could not be made\"");
}

const char *openapi_document(size_t *len)
{
    pthread_once(&once, make);
    *len = doc_len;
    return doc;
}

int h_openapi(struct api_req *r)
{
    size_t len;
    const char *text = openapi_document(&len);
    char clen[24];

    if (text == NULL)
        return api_error(r, 500, "internal", "the OpenAPI document could not be made");
    /* The same bytes for every caller and request: sent as they are, caches may keep them. */
    snprintf(clen, sizeof(clen), "%zu", len);
    mg_response_header_start(r->conn, 200);
    mg_response_header_add(r->conn, "Content-Type", "application/json", -1);
    mg_response_header_add(r->conn, "Content-Length", clen, -1);
    mg_response_header_add(r->conn, "Cache-Control", "public, max-age=300", -1);
    http_common_headers(r->conn);
    mg_response_header_send(r->conn);
    if (strcmp(r->method, "HEAD") != 0)
        mg_write(r->conn, text, len);
    return 200;
}
