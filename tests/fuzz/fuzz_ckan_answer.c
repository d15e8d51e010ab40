/* fuzz_ckan_answer.c - libFuzzer target: a CKAN portal's answer bodies (package_show,
 * package_create, resource_create/update, error bodies) read as the push reads them, on any bytes.
 * Input: an optional "NNN\n" status line, then the body; without it the status is 200.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ckan_wire.h"
#include "mue_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int read_status(const uint8_t **data, size_t *size)
{
    int status = 0;

    if (*size < 4 || (*data)[3] != '\n')
        return 200;
    for (int i = 0; i < 3; i++) {
        if ((*data)[i] < '0' || (*data)[i] > '9')
            return 200;
        status = status * 10 + ((*data)[i] - '0');
    }
    *data += 4;
    *size -= 4;
    return status;
}

/* What ckan_wire_resource_id must find: the id of the first resource of that name with an id. */
static const char *first_id(const json_t *package, const char *name)
{
    json_t *r;
    size_t i;

    json_array_foreach(json_object_get(package, "resources"), i, r)
    {
        const char *n = json_string_value(json_object_get(r, "name"));
        const char *id = json_string_value(json_object_get(r, "id"));
        if (n != NULL && id != NULL && strcmp(n, name) == 0)
            return id;
    }
    return NULL;
}

/* The push looks its resources up by name in the package it got back. */
static void check_lookup(const json_t *package)
{
    json_t *r;
    size_t i;

    if (ckan_wire_resource_id(package, "") != first_id(package, ""))
        abort();
    json_array_foreach(json_object_get(package, "resources"), i, r)
    {
        const char *name = json_string_value(json_object_get(r, "name"));
        if (name != NULL && ckan_wire_resource_id(package, name) != first_id(package, name))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* As ckan.c reads it: a 200-byte error text, and a short one to test the cut. */
    static const size_t errlens[] = { 200, 8, 1 };
    int status = read_status(&data, &size);

    for (size_t k = 0; k < sizeof(errlens) / sizeof(*errlens); k++) {
        char err[200];
        json_t *result = json_null(); /* must be reset to NULL on a refusal */
        int rc;

        memset(err, 'x', sizeof(err));
        rc = ckan_wire_answer_parse(status, (const char *)data, size, &result, err, errlens[k]);
        if (rc == MUE_OK) {
            if (result == NULL || status < 200 || status > 299)
                abort();
            check_lookup(result);
            json_decref(result);
            continue;
        }
        if ((rc != MUE_EDECODE && rc != MUE_EINVAL) || result != NULL)
            abort();
        /* A refusal always says why, its text ending within the buffer. */
        if (memchr(err, '\0', errlens[k]) == NULL || (errlens[k] > 1 && err[0] == '\0'))
            abort();
    }
    return 0;
}
