/* decoded.c - the network server's decoded object, through a key-to-quantity map.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "decoded.h"
#include "mue_err.h"
#include "quantity.h"

/* Follows a dotted path; returns the member or NULL. */
static const json_t *at_path(const json_t *root, const char *path)
{
    char key[128];
    const json_t *cur = root;

    while (cur != NULL && *path != '\0') {
        size_t n = strcspn(path, ".");
        if (n == 0 || n >= sizeof(key))
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        cur = json_object_get(cur, key);
        path += n;
        if (*path == '.')
            path++;
    }
    return cur;
}

/* Reads one map entry's quantity, scale and offset. */
static int entry(const char *path, const json_t *spec, const char **quantity, double *scale,
                 double *offset, struct codec_result *res)
{
    const json_t *q = spec, *k, *c;

    *scale = 1.0;
    *offset = 0.0;
    if (json_is_object(spec)) {
        q = json_object_get(spec, "quantity");
        k = json_object_get(spec, "scale");
        c = json_object_get(spec, "offset");
        if ((k != NULL && !json_is_number(k)) || (c != NULL && !json_is_number(c)))
            return codec_fail(res, "decoded_map %s: scale and offset must be numbers", path);
        if (k != NULL)
            *scale = json_number_value(k);
        if (c != NULL)
            *offset = json_number_value(c);
    }
    if (!json_is_string(q))
        return codec_fail(res, "decoded_map %s: no quantity", path);
    *quantity = json_string_value(q);
    if (quantity_find(*quantity) == NULL)
        return codec_fail(res, "decoded_map %s: '%.40s' is not a quantity of the vocabulary", path,
                          *quantity);
    return MUE_OK;
}

int decoded_apply(const char *decoded_json, const json_t *map, struct codec_result *res)
{
    json_error_t jerr;
    json_t *root;
    const char *path;
    const json_t *spec;
    size_t added = 0;
    int rc = MUE_OK;

    if (!json_is_object(map))
        return codec_fail(res, "decoded_map must be an object of path: quantity");
    if (decoded_json == NULL || decoded_json[0] == '\0')
        return codec_fail(res, "the network server sent no decoded object to map");
    root = json_loads(decoded_json, 0, &jerr);
    if (!json_is_object(root)) {
        json_decref(root);
        return codec_fail(res, "the decoded object is not a JSON object");
    }
    json_object_foreach((json_t *)map, path, spec)
    {
        const char *quantity = NULL;
        double scale, offset, v;
        const json_t *val = at_path(root, path);

        rc = entry(path, spec, &quantity, &scale, &offset, res);
        if (rc < 0)
            break;
        if (val == NULL || json_is_null(val))
            continue;
        if (json_is_boolean(val))
            v = json_is_true(val) ? 1.0 : 0.0;
        else if (json_is_number(val))
            v = json_number_value(val) * scale + offset;
        else {
            rc = codec_fail(res, "decoded value at %.60s is not a number", path);
            break;
        }
        if (!isfinite(v)) {
            rc = codec_fail(res, "decoded value at %.60s is not finite", path);
            break;
        }
        rc = codec_add(res, quantity, v);
        if (rc < 0)
            break;
        added++;
    }
    json_decref(root);
    if (rc == MUE_OK && added == 0)
        rc = codec_fail(res, "no mapped key is present in the decoded object");
    return rc < 0 ? MUE_EDECODE : MUE_OK;
}
