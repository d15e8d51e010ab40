/* ckan_wire.c - what the CKAN push writes to and reads from the portal, as pure functions.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "ckan_wire.h"
#include "mue_err.h"
#include "mue_sha256.h"

bool ckan_wire_name_is_valid(const char *name)
{
    size_t n = 0;

    if (name == NULL)
        return false;
    for (; name[n] != '\0'; n++) {
        char c = name[n];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return n >= 2 && n <= 100;
}

static bool is_blank(const char *s)
{
    return s == NULL || s[0] == '\0';
}

int ckan_wire_check_package(const struct ckan_package *pkg, char *err, size_t errlen)
{
    if (pkg == NULL) {
        snprintf(err, errlen, "no package");
        return MUE_EINVAL;
    }
    if (!ckan_wire_name_is_valid(pkg->name)) {
        snprintf(err, errlen,
                 "package name \"%.100s\" is not 2-100 of lowercase letters, digits, - and _",
                 pkg->name != NULL ? pkg->name : "(none)");
        return MUE_EINVAL;
    }
    if (is_blank(pkg->title)) {
        snprintf(err, errlen, "package %s has no title", pkg->name);
        return MUE_EINVAL;
    }
    if (pkg->ntags < 0 || pkg->nres < 0 || (pkg->ntags > 0 && pkg->tags == NULL) ||
        (pkg->nres > 0 && pkg->res == NULL)) {
        snprintf(err, errlen, "package %s: bad tag or resource count", pkg->name);
        return MUE_EINVAL;
    }
    for (int i = 0; i < pkg->ntags; i++)
        if (is_blank(pkg->tags[i])) {
            snprintf(err, errlen, "package %s: tag %d is empty", pkg->name, i);
            return MUE_EINVAL;
        }
    for (int i = 0; i < pkg->nres; i++) {
        const struct ckan_resource *r = &pkg->res[i];
        if (is_blank(r->name) || is_blank(r->url)) {
            snprintf(err, errlen, "package %s: resource %d needs a name and a url", pkg->name, i);
            return MUE_EINVAL;
        }
        /* Resources are matched by name: two of one name would update each other forever. */
        for (int j = 0; j < i; j++)
            if (strcmp(pkg->res[j].name, r->name) == 0) {
                snprintf(err, errlen, "package %s: two resources are named \"%.80s\"", pkg->name,
                         r->name);
                return MUE_EINVAL;
            }
    }
    return MUE_OK;
}

static bool is_unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

int ckan_wire_action_url(const char *base, const char *action, const char *id, char *out,
                         size_t cap)
{
    struct mue_buf b;
    size_t blen = strlen(base);
    int rc;

    while (blen > 0 && base[blen - 1] == '/')
        blen--;
    mue_buf_init(&b, cap > 0 ? cap - 1 : 1);
    rc = mue_buf_append(&b, base, blen);
    if (rc == 0)
        rc = mue_buf_printf(&b, "/api/3/action/%s", action);
    if (rc == 0 && id != NULL) {
        rc = mue_buf_append_str(&b, "?id=");
        for (const unsigned char *c = (const unsigned char *)id; rc == 0 && *c != '\0'; c++)
            rc = is_unreserved(*c) ? mue_buf_append(&b, c, 1) : mue_buf_printf(&b, "%%%02X", *c);
    }
    if (rc == 0 && cap > 0)
        memcpy(out, b.data != NULL ? b.data : "", b.len + 1);
    mue_buf_fini(&b);
    return rc == 0 && cap > 0 ? MUE_OK : MUE_E2BIG;
}

static void set_str(json_t *o, const char *key, const char *value)
{
    if (value != NULL)
        json_object_set_new(o, key, json_string(value));
}

static void add_extra(json_t *extras, const char *key, const char *value)
{
    if (value != NULL)
        json_array_append_new(extras, json_pack("{s:s, s:s}", "key", key, "value", value));
}

json_t *ckan_wire_package_body(const struct ckan_package *pkg, const char *owner_org,
                               const char *package_id)
{
    json_t *o = json_object(), *tags = json_array(), *extras = json_array();

    if (package_id != NULL)
        set_str(o, "id", package_id);
    else
        set_str(o, "owner_org", owner_org);
    set_str(o, "name", pkg->name);
    set_str(o, "title", pkg->title);
    set_str(o, "notes", pkg->notes);
    set_str(o, "license_id", pkg->license_id);
    set_str(o, "url", pkg->url);
    for (int i = 0; i < pkg->ntags; i++)
        json_array_append_new(tags, json_pack("{s:s}", "name", pkg->tags[i]));
    add_extra(extras, "frequency", pkg->frequency);
    add_extra(extras, "temporal_start", pkg->temporal_start);
    add_extra(extras, "temporal_end", pkg->temporal_end);
    /* Both lists are sent even when empty: a patch replaces them, so a tag removed from the
     * definition leaves the portal too. */
    json_object_set_new(o, "tags", tags);
    json_object_set_new(o, "extras", extras);
    return o;
}

json_t *ckan_wire_resource_body(const struct ckan_resource *r, const char *package_id,
                                const char *resource_id)
{
    json_t *o = json_object();

    if (resource_id != NULL)
        set_str(o, "id", resource_id);
    else
        set_str(o, "package_id", package_id);
    set_str(o, "name", r->name);
    set_str(o, "description", r->description);
    set_str(o, "format", r->format);
    set_str(o, "url", r->url);
    return o;
}

/* A quoted name in a part's header must not end its quote or its line. */
static bool is_header_safe(const char *s)
{
    return strpbrk(s, "\"\r\n") == NULL;
}

int ckan_wire_multipart(const json_t *fields, const char *filename, const void *data, size_t len,
                        struct mue_buf *body, char *content_type, size_t ctlen)
{
    char boundary[80], digest[2 * MUE_SHA256_LEN + 1];
    const char *key;
    json_t *value;
    int rc = 0, n;

    if (!is_header_safe(filename))
        return MUE_EINVAL;
    /* Derived from the data, so the same upload is the same body; checked against the data all
     * the same, so that no file can end its own part early. */
    mue_sha256_hex(data, len, digest);
    for (unsigned salt = 0;; salt++) {
        snprintf(boundary, sizeof(boundary), "mue-ckan-%.32s-%u", digest, salt);
        if (len == 0 || memmem(data, len, boundary, strlen(boundary)) == NULL)
            break;
    }
    n = snprintf(content_type, ctlen, "multipart/form-data; boundary=%s", boundary);
    if (n < 0 || (size_t)n >= ctlen)
        return MUE_E2BIG;
    json_object_foreach((json_t *)fields, key, value)
    {
        if (!json_is_string(value))
            continue;
        if (!is_header_safe(key))
            return MUE_EINVAL;
        rc = mue_buf_printf(body, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n",
                            boundary, key);
        if (rc == 0)
            rc = mue_buf_append(body, json_string_value(value), json_string_length(value));
        if (rc == 0)
            rc = mue_buf_append_str(body, "\r\n");
        if (rc != 0)
            return rc;
    }
    rc = mue_buf_printf(body,
                        "--%s\r\nContent-Disposition: form-data; name=\"upload\"; "
                        "filename=\"%s\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                        boundary, filename);
    if (rc == 0)
        rc = mue_buf_append(body, data, len);
    if (rc == 0)
        rc = mue_buf_printf(body, "\r\n--%s--\r\n", boundary);
    return rc;
}

/* CKAN's error object: {"__type": "...", "message": "..."} or field errors {"name": ["..."]}. */
static void describe_error(const json_t *error, char *err, size_t errlen)
{
    const char *type = json_string_value(json_object_get(error, "__type"));
    const char *message = json_string_value(json_object_get(error, "message"));
    struct mue_buf b;
    const char *key;
    json_t *value;

    mue_buf_init(&b, errlen > 0 ? errlen - 1 : 1);
    mue_buf_append_str(&b, type != NULL ? type : "error");
    if (message != NULL)
        mue_buf_printf(&b, ": %s", message);
    json_object_foreach((json_t *)error, key, value)
    {
        const char *first = json_string_value(json_array_get(value, 0));
        if (first == NULL)
            first = json_string_value(value);
        if (strcmp(key, "__type") == 0 || strcmp(key, "message") == 0 || first == NULL)
            continue;
        /* A piece that would pass the ceiling is left out: the first ones say enough. */
        mue_buf_printf(&b, "; %s: %s", key, first);
    }
    snprintf(err, errlen, "%s", b.data != NULL ? b.data : "");
    mue_buf_fini(&b);
}

int ckan_wire_answer_parse(int status, const char *body, size_t len, json_t **result, char *err,
                           size_t errlen)
{
    json_t *root = json_loadb(body, len, 0, NULL), *success, *error;
    int rc;

    *result = NULL;
    success = json_object_get(root, "success");
    if (!json_is_boolean(success)) {
        snprintf(err, errlen, "HTTP %d, not a CKAN answer (%zu bytes)", status, len);
        json_decref(root);
        return MUE_EDECODE;
    }
    if (json_is_true(success) && status >= 200 && status < 300) {
        *result = json_incref(json_object_get(root, "result"));
        rc = *result != NULL ? MUE_OK : MUE_EDECODE;
        if (rc != MUE_OK)
            snprintf(err, errlen, "HTTP %d, a CKAN answer without a result", status);
        json_decref(root);
        return rc;
    }
    error = json_object_get(root, "error");
    if (json_is_object(error)) {
        char what[220];
        describe_error(error, what, sizeof(what));
        snprintf(err, errlen, "HTTP %d %s", status, what);
    } else {
        snprintf(err, errlen, "HTTP %d, unsuccessful without an error", status);
    }
    json_decref(root);
    return MUE_EINVAL;
}

const char *ckan_wire_resource_id(const json_t *package, const char *name)
{
    json_t *resources = json_object_get(package, "resources"), *r;
    size_t i;

    json_array_foreach(resources, i, r)
    {
        const char *rname = json_string_value(json_object_get(r, "name"));
        const char *id = json_string_value(json_object_get(r, "id"));
        if (rname != NULL && id != NULL && strcmp(rname, name) == 0)
            return id;
    }
    return NULL;
}

long ckan_wire_wait_ms(long backoff_ms, int attempts_made, long retry_after_s)
{
    long wait = backoff_ms > 0 ? backoff_ms : 0;

    for (int i = 1; i < attempts_made && wait < CKAN_BACKOFF_CAP_MS; i++)
        wait *= 2;
    if (wait > CKAN_BACKOFF_CAP_MS)
        wait = CKAN_BACKOFF_CAP_MS;
    if (retry_after_s >= 0 && retry_after_s * 1000 > wait)
        wait = retry_after_s * 1000;
    return wait;
}
