/* ckan.c - the CKAN push: package_show, then package_create or package_patch, then
 * resource_update or resource_create per resource, each call retried with backoff.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ckan.h"
#include "ckan_wire.h"
#include "mue_buf.h"
#include "mue_err.h"
#include "mue_http_client.h"
#include "mue_log.h"
#include "mue_signal.h"

/* package_show of a package with a few dozen resources is a few tens of kB. */
#define ANSWER_MAX (4 * 1024 * 1024)
/* mue_http_request writes a body in one civetweb call, whose length is an int. */
#define UPLOAD_MAX (512L * 1024 * 1024)

/* One push: the settings, where the counts go, and what every call shares. */
struct push {
    const struct ckan_portal *p;
    struct ckan_result *out;
    char *auth;             /* "Authorization: <key>", or NULL */
    const char *headers[2]; /* auth, NULL */
    char *answer;           /* ANSWER_MAX bytes */
};

struct call {
    const char *action;
    const char *id; /* GET ?id=; NULL for a POST */
    const char *content_type;
    const void *body;
    size_t len;
    /* A create is re-sent only after package_show finds that an earlier attempt, which may have
     * been processed, was not: the package ('resource_name' NULL) or its resource of that name. */
    bool is_create;
    const char *show_id;
    const char *resource_name;
};

static int call_action(struct push *x, const struct call *c, json_t **result);

static void set_error(struct push *x, const char *action, const char *what)
{
    snprintf(x->out->error, sizeof(x->out->error), "%s: %s", action, what);
}

/* Asks whether a create that may have been processed was: 1 with *found (the package, or the
 * resource) when it was, 0 when not, or an error. */
static int find_created(struct push *x, const struct call *c, json_t **found)
{
    struct call show = { .action = "package_show", .id = c->show_id };
    json_t *package = NULL;
    int rc = call_action(x, &show, &package);

    if (rc == MUE_ENOENT)
        return 0;
    if (rc < 0)
        return rc;
    if (c->resource_name == NULL) {
        *found = package;
        return 1;
    }
    json_t *resources = json_object_get(package, "resources"), *r;
    size_t i;
    json_array_foreach(resources, i, r)
    {
        const char *name = json_string_value(json_object_get(r, "name"));
        if (name != NULL && strcmp(name, c->resource_name) == 0) {
            *found = json_incref(r);
            json_decref(package);
            return 1;
        }
    }
    json_decref(package);
    return 0;
}

/* What one answer means: done (0 or a final error), or worth another attempt (1). */
static int judge_answer(struct push *x, const struct call *c, const struct mue_http_resp *resp,
                        json_t **result, int *final)
{
    char what[200];
    int rc;

    if (resp->truncated) {
        snprintf(what, sizeof(what), "HTTP %d, an answer over %d bytes", resp->status, ANSWER_MAX);
        set_error(x, c->action, what);
        *final = MUE_E2BIG;
        return 0;
    }
    rc = ckan_wire_answer_parse(resp->status, resp->body, resp->len, result, what, sizeof(what));
    if (rc == MUE_OK) {
        *final = MUE_OK;
        return 0;
    }
    set_error(x, c->action, what);
    if (resp->status == 429 || resp->status >= 500)
        return 1;
    if (resp->status == 404 && rc == MUE_EINVAL)
        *final = MUE_ENOENT; /* CKAN's own Not Found, not a web server's page for a wrong URL */
    else if (resp->status == 401 || resp->status == 403)
        *final = MUE_EAUTH;
    else
        *final = rc;
    return 0;
}

/* One action, attempted up to max_attempts times. Returns 0 with *result (the answer's "result",
 * the caller's), MUE_ENOENT on a 404 (x->out->error set), or another error. */
static int call_action(struct push *x, const struct call *c, json_t **result)
{
    const struct ckan_portal *p = x->p;
    char url[1200];
    struct mue_http_req req = {
        .method = c->id != NULL ? "GET" : "POST",
        .url = url,
        .headers = x->headers,
        .content_type = c->content_type,
        .body = c->body,
        .body_len = c->len,
        .timeout_ms = p->timeout_ms,
        .ca_file = p->ca_file,
    };
    struct mue_http_resp resp = { .body = x->answer, .cap = ANSWER_MAX };
    bool maybe_done = false;
    int rc = MUE_OK;

    *result = NULL;
    if (ckan_wire_action_url(p->url, c->action, c->id, url, sizeof(url)) < 0) {
        set_error(x, c->action, "the portal URL is too long");
        return MUE_EINVAL;
    }
    for (int attempt = 1;; attempt++) {
        long wait;
        int final = MUE_OK;
        if (maybe_done && c->is_create) {
            rc = find_created(x, c, result);
            if (rc != 0)
                return rc > 0 ? MUE_OK : rc;
            maybe_done = false; /* not processed: sending again makes one, not two */
        }
        x->out->calls++;
        rc = mue_http_request(&req, &resp);
        if (rc == MUE_OK) {
            if (judge_answer(x, c, &resp, result, &final) == 0)
                return final;
            rc = -EIO;
            /* A gateway's 502 or 504 may come after the portal did the work; CKAN's own 500 rolls
             * its transaction back, and a 429 or 503 refused before doing anything. */
            maybe_done = resp.status == 502 || resp.status == 504;
        } else {
            char what[200];
            snprintf(what, sizeof(what), "%s (%s)", resp.error, mue_strerror(rc));
            set_error(x, c->action, what);
            if (rc == MUE_EINVAL || rc == -EPROTONOSUPPORT)
                return rc; /* no attempt can fix the URL or the missing TLS */
            maybe_done = resp.sent;
        }
        if (attempt >= p->max_attempts) {
            char last[sizeof(x->out->error)];
            snprintf(last, sizeof(last), "%s", x->out->error);
            snprintf(x->out->error, sizeof(x->out->error), "gave up after %d attempts: %.220s",
                     attempt, last);
            return rc;
        }
        if (resp.status == 429 || resp.status >= 500) {
            if (resp.retry_after_s > CKAN_RETRY_AFTER_MAX_S) {
                char what[120];
                snprintf(what, sizeof(what), "HTTP %d, the portal asks to wait %ld s", resp.status,
                         resp.retry_after_s);
                set_error(x, c->action, what);
                return rc;
            }
            wait = ckan_wire_wait_ms(p->backoff_ms, attempt, resp.retry_after_s);
        } else {
            wait = ckan_wire_wait_ms(p->backoff_ms, attempt, -1);
        }
        mue_log_warn("ckan.call_retried", "action=%s attempt=%d wait_ms=%ld reason=\"%s\"",
                     c->action, attempt, wait, x->out->error);
        x->out->retries++;
        if (mue_signal_sleep_ms(wait)) {
            set_error(x, c->action, "stopped while waiting to retry");
            return -EINTR;
        }
    }
}

static int post_json(struct push *x, const char *action, json_t *body, const struct call *tmpl,
                     json_t **result)
{
    struct call c = *tmpl;
    char *text = json_dumps(body, JSON_COMPACT);
    int rc;

    if (text == NULL) {
        set_error(x, action, "cannot encode the request (not UTF-8?)");
        return MUE_EINVAL;
    }
    c.action = action;
    c.content_type = "application/json";
    c.body = text;
    c.len = strlen(text);
    rc = call_action(x, &c, result);
    free(text);
    return rc;
}

/* Reads a whole file to upload. Returns 0 and *data (the caller's), or an error. */
static int read_upload(struct push *x, const char *path, char **data, size_t *len)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    char what[200];
    int rc = MUE_OK;

    *data = NULL;
    if (f == NULL || fstat(fileno(f), &st) != 0) {
        rc = errno != 0 ? -errno : -EIO;
        snprintf(what, sizeof(what), "cannot read %.120s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = MUE_EINVAL;
        snprintf(what, sizeof(what), "%.120s is not a regular file", path);
        goto out;
    }
    if (st.st_size > UPLOAD_MAX) {
        rc = MUE_E2BIG;
        snprintf(what, sizeof(what), "%.120s is over %ld bytes", path, UPLOAD_MAX);
        goto out;
    }
    *len = (size_t)st.st_size;
    *data = malloc(*len > 0 ? *len : 1);
    if (*data == NULL)
        abort(); /* OOM aborts, as mue_xmalloc does */
    if (fread(*data, 1, *len, f) != *len) {
        rc = -EIO;
        snprintf(what, sizeof(what), "cannot read %.120s: it changed while being read", path);
    }
out:
    if (rc != MUE_OK) {
        set_error(x, "upload", what);
        free(*data);
        *data = NULL;
    }
    if (f != NULL)
        fclose(f);
    return rc;
}

/* resource_create ('rid' NULL) or resource_update of one resource, linked or uploaded. */
static int push_resource(struct push *x, const struct ckan_resource *r, const char *package_id,
                         const char *rid)
{
    const char *action = rid != NULL ? "resource_update" : "resource_create";
    struct call c = { .is_create = rid == NULL, .show_id = package_id, .resource_name = r->name };
    json_t *fields = ckan_wire_resource_body(r, package_id, rid), *result = NULL;
    char content_type[128], *data = NULL;
    const char *filename;
    struct mue_buf body;
    size_t len = 0;
    int rc;

    mue_buf_init(&body, 0);
    if (r->upload_path == NULL) {
        rc = post_json(x, action, fields, &c, &result);
        goto out;
    }
    rc = read_upload(x, r->upload_path, &data, &len);
    if (rc < 0)
        goto out;
    /* The file's name is the url's last segment: a bare name, or the public URL's file. */
    filename = strrchr(r->url, '/') != NULL ? strrchr(r->url, '/') + 1 : r->url;
    rc = ckan_wire_multipart(fields, filename[0] != '\0' ? filename : r->name, data, len, &body,
                             content_type, sizeof(content_type));
    if (rc < 0) {
        set_error(x, action, "cannot encode the upload (a quote or line break in a name?)");
        goto out;
    }
    c.action = action;
    c.content_type = content_type;
    c.body = body.data;
    c.len = body.len;
    rc = call_action(x, &c, &result);
out:
    if (rc == MUE_OK) {
        if (rid != NULL)
            x->out->resources_updated++;
        else
            x->out->resources_created++;
    }
    json_decref(result);
    json_decref(fields);
    free(data);
    mue_buf_fini(&body);
    return rc;
}

/* package_show, then package_patch or package_create. Returns 0 and *package as shown before the
 * patch (its resources are what the portal held), or an error. */
static int push_package(struct push *x, const struct ckan_package *pkg, json_t **package)
{
    struct call show = { .action = "package_show", .id = pkg->name };
    struct call create = { .is_create = true, .show_id = pkg->name };
    struct call patch = { 0 };
    json_t *body = NULL, *patched = NULL;
    const char *id;
    int rc;

    rc = call_action(x, &show, package);
    if (rc == MUE_ENOENT) {
        body = ckan_wire_package_body(pkg, x->p->owner_org, NULL);
        rc = post_json(x, "package_create", body, &create, package);
        x->out->created = rc == MUE_OK;
        goto out;
    }
    if (rc < 0)
        goto out;
    id = json_string_value(json_object_get(*package, "id"));
    if (id == NULL) {
        set_error(x, "package_show", "a package without an id");
        rc = MUE_EDECODE;
        goto out;
    }
    body = ckan_wire_package_body(pkg, NULL, id);
    rc = post_json(x, "package_patch", body, &patch, &patched);
out:
    if (rc < 0) {
        json_decref(*package);
        *package = NULL;
    }
    json_decref(patched);
    json_decref(body);
    return rc;
}

static int check_portal(const struct ckan_portal *p, char *err, size_t errlen)
{
    struct mue_http_url u;

    if (p == NULL || p->url == NULL || mue_http_url_parse(p->url, &u) < 0) {
        snprintf(err, errlen, "the portal URL is not an http(s) URL");
        return MUE_EINVAL;
    }
    if (p->max_attempts < 1 || p->timeout_ms <= 0 || p->backoff_ms < 0) {
        snprintf(err, errlen, "max_attempts must be >= 1, timeout_ms > 0, backoff_ms >= 0");
        return MUE_EINVAL;
    }
    if (p->api_key != NULL && strpbrk(p->api_key, "\r\n") != NULL) {
        snprintf(err, errlen, "the API key holds a line break"); /* never the key itself */
        return MUE_EINVAL;
    }
    return MUE_OK;
}

int ckan_push(const struct ckan_portal *p, const struct ckan_package *pkg, struct ckan_result *out)
{
    struct push x = { .p = p, .out = out };
    json_t *package = NULL;
    const char *id;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = check_portal(p, out->error, sizeof(out->error));
    if (rc == MUE_OK)
        rc = ckan_wire_check_package(pkg, out->error, sizeof(out->error));
    if (rc < 0)
        return rc;
    if (p->api_key != NULL && p->api_key[0] != '\0') {
        size_t n = strlen("Authorization: ") + strlen(p->api_key) + 1;
        x.auth = malloc(n);
        if (x.auth == NULL)
            abort(); /* OOM aborts, as mue_xmalloc does */
        snprintf(x.auth, n, "Authorization: %s", p->api_key);
        x.headers[0] = x.auth;
    }
    x.answer = malloc(ANSWER_MAX);
    if (x.answer == NULL)
        abort();
    rc = push_package(&x, pkg, &package);
    if (rc < 0)
        goto out;
    id = json_string_value(json_object_get(package, "id"));
    if (id == NULL || strlen(id) >= sizeof(out->package_id)) {
        set_error(&x, "package", "the portal's answer has no usable package id");
        rc = MUE_EDECODE;
        goto out;
    }
    snprintf(out->package_id, sizeof(out->package_id), "%s", id);
    for (int i = 0; i < pkg->nres && rc == MUE_OK; i++)
        rc = push_resource(&x, &pkg->res[i], out->package_id,
                           ckan_wire_resource_id(package, pkg->res[i].name));
out:
    if (rc == MUE_ENOENT)
        rc = MUE_EINVAL; /* a resource gone between show and update: the portal refused */
    json_decref(package);
    free(x.auth);
    free(x.answer);
    return rc;
}
