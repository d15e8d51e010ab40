/* mue-fake-ckan.c - a small CKAN portal standing for DataSud in tests: the action API's
 * package_show, package_create, package_patch, resource_create and resource_update (JSON bodies,
 * and multipart/form-data uploads whose size and sha256 it keeps), with CKAN's answer shapes and
 * errors; it can fail calls on purpose (or do them and lose the answer), logs each call as one JSON
 * line, and shows all it holds on GET /_state. SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include <civetweb.h>
#include <jansson.h>

#include "mue_buf.h"
#include "mue_sha256.h"
#include "mue_signal.h"

#define BODY_MAX      (64L * 1024 * 1024)
#define ACTION_PREFIX "/api/3/action/"

static const char *api_key = "";
static const char *listen_addr;
static long fail_first, fail_every, lose_every;
static FILE *log_file;
/* civetweb serves on several threads: one lock over the state, the counter and the log. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long ncalls;
static json_t *packages; /* array of package objects, each with its "resources" */

/* What one request brought: its fields, and the file of an upload. */
struct request {
    json_t *params;   /* object */
    const char *file; /* into the body buffer; NULL without an upload */
    size_t file_len;
    char filename[256];
};

static void new_id(char out[37])
{
    uint8_t b[16] = { 0 };

    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
        for (size_t i = 0; i < sizeof(b); i++)
            b[i] = (uint8_t)rand();
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4, as CKAN's uuid4 ids */
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

static int send_json(struct mg_connection *conn, int status, json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS), len[24];

    snprintf(len, sizeof(len), "%zu", text != NULL ? strlen(text) : 0);
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Content-Type", "application/json;charset=utf-8", -1);
    mg_response_header_add(conn, "Content-Length", len, -1);
    mg_response_header_send(conn);
    if (text != NULL)
        mg_write(conn, text, strlen(text));
    free(text);
    json_decref(doc);
    return status;
}

/* An answer is built into *answer (sent by the caller); each builder returns its status. */
static int ok(json_t **answer, const char *action, json_t *result)
{
    *answer = json_pack("{s:s, s:b, s:o}", "help", action, "success", 1, "result", result);
    return 200;
}

/* CKAN's failure: {"success": false, "error": {"__type": type, "message": message}}, or with a
 * field error {"__type": "Validation Error", field: [message]}. */
static int fail(json_t **answer, int status, const char *type, const char *field,
                const char *message)
{
    json_t *error = json_pack("{s:s}", "__type", type);

    if (field != NULL)
        json_object_set_new(error, field, json_pack("[s]", message));
    else
        json_object_set_new(error, "message", json_string(message));
    *answer = json_pack("{s:b, s:o}", "success", 0, "error", error);
    return status;
}

static void log_call(const char *action, int status, const char *name, const char *id)
{
    json_t *line = json_pack("{s:s, s:i, s:s?, s:s?}", "action", action, "status", status, "name",
                             name, "id", id);
    char *text = json_dumps(line, JSON_COMPACT);

    if (text != NULL) {
        fprintf(log_file, "%s\n", text);
        fflush(log_file);
    }
    free(text);
    json_decref(line);
}

static json_t *find_package(const char *name_or_id)
{
    size_t i;
    json_t *p;

    json_array_foreach(packages, i, p)
    {
        const char *id = json_string_value(json_object_get(p, "id"));
        const char *name = json_string_value(json_object_get(p, "name"));
        if (name_or_id != NULL && ((id != NULL && strcmp(id, name_or_id) == 0) ||
                                   (name != NULL && strcmp(name, name_or_id) == 0)))
            return p;
    }
    return NULL;
}

static json_t *find_resource(const char *id, json_t **package)
{
    size_t i, j;
    json_t *p, *r;

    json_array_foreach(packages, i, p)
    {
        json_array_foreach(json_object_get(p, "resources"), j, r)
        {
            if (id != NULL && strcmp(json_string_value(json_object_get(r, "id")), id) == 0) {
                *package = p;
                return r;
            }
        }
    }
    return NULL;
}

static bool name_is_valid(const char *name)
{
    size_t n = 0;

    for (; name != NULL && name[n] != '\0'; n++)
        if (!((name[n] >= 'a' && name[n] <= 'z') || (name[n] >= '0' && name[n] <= '9') ||
              name[n] == '-' || name[n] == '_'))
            return false;
    return n >= 2 && n <= 100;
}

static const char *param(const struct request *rq, const char *key)
{
    return json_string_value(json_object_get(rq->params, key));
}

/* The package's fields a caller may set (CKAN has more; these are the ones mue sends). */
static void apply_package_fields(json_t *pkg, const json_t *params)
{
    static const char *const keys[] = { "name",      "title", "notes",  "license_id", "url",
                                        "owner_org", "tags",  "extras", "private",    "version" };

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *v = json_object_get(params, keys[i]);
        if (v != NULL)
            json_object_set(pkg, keys[i], v);
    }
    json_object_set_new(
        pkg, "num_resources",
        json_integer((json_int_t)json_array_size(json_object_get(pkg, "resources"))));
}

/* Fills a resource from the request: name, description, format, url; an upload replaces the url
 * with the portal's download address and records the file's size and sha256. */
static void apply_resource_fields(json_t *res, const struct request *rq, const char *package_id)
{
    static const char *const keys[] = { "name", "description", "format", "url" };
    const char *id = json_string_value(json_object_get(res, "id"));

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *v = json_object_get(rq->params, keys[i]);
        json_object_set_new(res, keys[i], json_is_string(v) ? json_copy(v) : json_string(""));
    }
    if (rq->file != NULL) {
        char digest[2 * MUE_SHA256_LEN + 1], url[600];
        mue_sha256_hex(rq->file, rq->file_len, digest);
        snprintf(url, sizeof(url), "http://%s/dataset/%s/resource/%s/download/%s", listen_addr,
                 package_id, id, rq->filename);
        json_object_set_new(res, "url", json_string(url));
        json_object_set_new(res, "url_type", json_string("upload"));
        json_object_set_new(res, "size", json_integer((json_int_t)rq->file_len));
        json_object_set_new(res, "sha256", json_string(digest));
    } else {
        json_object_set_new(res, "url_type", json_null());
        json_object_del(res, "size");
        json_object_del(res, "sha256");
    }
}

/* Runs one action on the state (under the lock). Returns the status of the answer it builds in
 * *answer; *name and *id say what it touched, for the log. */
static int run_action(json_t **answer, const char *action, const struct request *rq,
                      const char **name, const char **id)
{
    json_t *pkg, *res;
    char new[37];

    if (strcmp(action, "package_show") == 0) {
        pkg = find_package(param(rq, "id"));
        *name = param(rq, "id");
        if (pkg == NULL)
            return fail(answer, 404, "Not Found Error", NULL, "Not found");
        *id = json_string_value(json_object_get(pkg, "id"));
        return ok(answer, action, json_deep_copy(pkg));
    }
    if (strcmp(action, "package_create") == 0) {
        *name = param(rq, "name");
        if (!name_is_valid(*name))
            return fail(answer, 409, "Validation Error", "name",
                        "Must be purely lowercase alphanumeric (ascii) characters and these "
                        "symbols: -_");
        if (find_package(*name) != NULL)
            return fail(answer, 409, "Validation Error", "name", "That URL is already in use.");
        new_id(new);
        pkg = json_pack("{s:s, s:s, s:s, s:[], s:[], s:[]}", "id", new, "title", *name, "state",
                        "active", "tags", "extras", "resources");
        apply_package_fields(pkg, rq->params);
        json_array_append_new(packages, pkg);
        *id = json_string_value(json_object_get(pkg, "id"));
        return ok(answer, action, json_deep_copy(pkg));
    }
    if (strcmp(action, "package_patch") == 0) {
        pkg = find_package(param(rq, "id"));
        *id = param(rq, "id");
        if (pkg == NULL)
            return fail(answer, 404, "Not Found Error", NULL, "Not found");
        *name = param(rq, "name");
        if (*name != NULL &&
            (!name_is_valid(*name) || (find_package(*name) != NULL && find_package(*name) != pkg)))
            return fail(answer, 409, "Validation Error", "name", "That URL is already in use.");
        apply_package_fields(pkg, rq->params);
        *name = json_string_value(json_object_get(pkg, "name"));
        return ok(answer, action, json_deep_copy(pkg));
    }
    if (strcmp(action, "resource_create") == 0) {
        *name = param(rq, "name");
        pkg = find_package(param(rq, "package_id"));
        if (pkg == NULL)
            return fail(answer, 404, "Not Found Error", NULL, "Not found: the package_id");
        if (rq->file == NULL && param(rq, "url") == NULL)
            return fail(answer, 409, "Validation Error", "url", "Missing value");
        new_id(new);
        res = json_pack("{s:s, s:s}", "id", new, "package_id",
                        json_string_value(json_object_get(pkg, "id")));
        apply_resource_fields(res, rq, json_string_value(json_object_get(pkg, "id")));
        json_array_append_new(json_object_get(pkg, "resources"), res);
        apply_package_fields(pkg, NULL);
        *id = json_string_value(json_object_get(res, "id"));
        return ok(answer, action, json_deep_copy(res));
    }
    if (strcmp(action, "resource_update") == 0) {
        *id = param(rq, "id");
        res = find_resource(*id, &pkg);
        if (res == NULL)
            return fail(answer, 404, "Not Found Error", NULL, "Not found: Resource was not found.");
        apply_resource_fields(res, rq, json_string_value(json_object_get(pkg, "id")));
        *name = json_string_value(json_object_get(res, "name"));
        return ok(answer, action, json_deep_copy(res));
    }
    return fail(answer, 400, "Bad request", NULL, "Bad request - Action name not known");
}

/* Finds 'what' in a part's headers ("name=\"...\""), copied into out. */
static bool header_value(const char *head, size_t len, const char *what, char *out, size_t cap)
{
    char key[32];
    const char *p, *end;

    snprintf(key, sizeof(key), " %s=\"", what);
    p = memmem(head, len, key, strlen(key));
    if (p == NULL)
        return false;
    p += strlen(key);
    end = memchr(p, '"', len - (size_t)(p - head));
    if (end == NULL || (size_t)(end - p) >= cap)
        return false;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
    return true;
}

/* Parses a multipart/form-data body into rq: text fields, and the part "upload" as the file.
 * Returns 0, or -1 when the body does not follow the format. */
static int parse_multipart(const char *ctype, const char *body, size_t len, struct request *rq)
{
    const char *b = strstr(ctype, "boundary="), *p, *end = body + len;
    char delim[128];
    size_t dlen;

    if (b == NULL)
        return -1;
    b += strlen("boundary=");
    dlen = strcspn(b, "\"; ");
    if (*b == '"')
        dlen = strcspn(++b, "\"");
    if (dlen == 0 || dlen > 100)
        return -1;
    snprintf(delim, sizeof(delim), "\r\n--%.*s", (int)dlen, b);
    dlen += 4;
    /* The first delimiter has no CRLF before it when it opens the body. */
    if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
        p = body + dlen - 2;
    else if ((p = memmem(body, len, delim, dlen)) != NULL)
        p += dlen;
    else
        return -1;
    for (;;) {
        const char *head, *content, *next;
        char field[128], filename[256];
        if (end - p >= 2 && memcmp(p, "--", 2) == 0)
            return 0; /* the closing delimiter */
        if (end - p < 2 || memcmp(p, "\r\n", 2) != 0)
            return -1;
        head = p + 2;
        content = memmem(head, (size_t)(end - head), "\r\n\r\n", 4);
        if (content == NULL)
            return -1;
        if (!header_value(head, (size_t)(content - head), "name", field, sizeof(field)))
            return -1;
        content += 4;
        next = memmem(content, (size_t)(end - content), delim, dlen);
        if (next == NULL)
            return -1;
        if (header_value(head, (size_t)(content - head), "filename", filename, sizeof(filename))) {
            if (strcmp(field, "upload") != 0)
                return -1;
            rq->file = content;
            rq->file_len = (size_t)(next - content);
            snprintf(rq->filename, sizeof(rq->filename), "%s", filename);
        } else {
            json_t *v = json_stringn(content, (size_t)(next - content));
            if (v == NULL)
                return -1; /* not UTF-8 */
            json_object_set_new(rq->params, field, v);
        }
        p = next + dlen;
    }
}

/* The key the caller presented: CKAN reads Authorization, and X-CKAN-API-Key of old. */
static const char *presented_key(struct mg_connection *conn)
{
    const char *k = mg_get_header(conn, "Authorization");
    return k != NULL ? k : mg_get_header(conn, "X-CKAN-API-Key");
}

static int handle_action(struct mg_connection *conn, void *cbdata)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *action = "", *ctype, *key, *name = NULL, *id = NULL;
    struct request rq = { .params = json_object() };
    json_t *answer = NULL;
    struct mue_buf body;
    char buf[8192], value[512];
    int n, status;
    bool bad = false, is_write;
    (void)cbdata;

    if (strncmp(ri->local_uri, ACTION_PREFIX, strlen(ACTION_PREFIX)) == 0)
        action = ri->local_uri + strlen(ACTION_PREFIX);
    mue_buf_init(&body, (size_t)BODY_MAX);
    while ((n = mg_read(conn, buf, sizeof(buf))) > 0)
        if (mue_buf_append(&body, buf, (size_t)n) < 0)
            bad = true;
    ctype = mg_get_header(conn, "Content-Type");
    if (ri->query_string != NULL &&
        mg_get_var(ri->query_string, strlen(ri->query_string), "id", value, sizeof(value)) >= 0)
        json_object_set_new(rq.params, "id", json_string(value));
    if (!bad && body.len > 0 && ctype != NULL &&
        strncasecmp(ctype, "multipart/form-data", 19) == 0) {
        bad = parse_multipart(ctype, body.data, body.len, &rq) < 0;
    } else if (!bad && body.len > 0) {
        json_t *doc = json_loadb(body.data, body.len, 0, NULL);
        bad = !json_is_object(doc);
        if (!bad)
            json_object_update(rq.params, doc);
        json_decref(doc);
    }
    key = presented_key(conn);
    is_write = strcmp(action, "package_show") != 0;

    pthread_mutex_lock(&lock);
    ncalls++;
    if ((long)ncalls <= fail_first || (fail_every > 0 && ncalls % (unsigned long)fail_every == 0))
        status = fail(&answer, 500, "Internal Server Error", NULL, "failing on purpose");
    else if (bad)
        status = fail(&answer, 400, "Bad request", NULL, "Bad request - JSON Error: bad body");
    else if ((key != NULL && strcmp(key, api_key) != 0) || (key == NULL && is_write))
        status = fail(&answer, 403, "Authorization Error", NULL,
                      "Access denied: User not authorized to perform this action");
    else
        status = run_action(&answer, action, &rq, &name, &id);
    /* A gateway that lost the portal's answer: the action was done, the caller cannot tell. */
    if (status == 200 && lose_every > 0 && ncalls % (unsigned long)lose_every == 0) {
        json_decref(answer);
        status = fail(&answer, 502, "Bad Gateway", NULL, "the answer was lost on purpose");
    }
    log_call(action, status, name, id);
    pthread_mutex_unlock(&lock);
    send_json(conn, status, answer);

    json_decref(rq.params);
    mue_buf_fini(&body);
    return status;
}

static int handle_state(struct mg_connection *conn, void *cbdata)
{
    json_t *state;
    (void)cbdata;

    pthread_mutex_lock(&lock);
    /* A copy: the answer is written after the lock is released. */
    state =
        json_pack("{s:o, s:I}", "packages", json_deep_copy(packages), "calls", (json_int_t)ncalls);
    pthread_mutex_unlock(&lock);
    return send_json(conn, 200, state);
}

static void usage(FILE *f)
{
    fputs("Usage: mue-fake-ckan --listen ADDR:PORT --key KEY --log FILE [--fail N] "
          "[--fail-every M] [--lose-every M]\n"
          "A CKAN portal for tests: package_show (GET ?id=), package_create, package_patch,\n"
          "resource_create and resource_update (JSON, or multipart with the file in \"upload\")\n"
          "under /api/3/action/, writes needing \"Authorization: KEY\". Logs each call as\n"
          "{\"action\", \"status\", \"name\", \"id\"} to FILE; GET /_state shows all packages.\n"
          "--fail N answers the first N calls 500, --fail-every M every Mth call (neither\n"
          "is done); --lose-every M does every Mth call but answers it 502 (a lost answer).\n"
          "Stops on SIGTERM or SIGINT.\n",
          f);
}

static bool parse_count(const char *text, long *out)
{
    char *end;

    errno = 0;
    *out = strtol(text, &end, 10);
    return errno == 0 && end != text && *end == '\0' && *out >= 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "listen", required_argument, NULL, 'l' },
        { "key", required_argument, NULL, 'k' },
        { "log", required_argument, NULL, 'o' },
        { "fail", required_argument, NULL, 'f' },
        { "fail-every", required_argument, NULL, 'e' },
        { "lose-every", required_argument, NULL, 'L' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *options[] = { "listening_ports", NULL, "num_threads", "4", NULL };
    const char *log_path = NULL;
    struct mg_context *ctx;
    int c;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        bool good = true;
        switch (c) {
        case 'l':
            listen_addr = options[1] = optarg;
            break;
        case 'k':
            api_key = optarg;
            break;
        case 'o':
            log_path = optarg;
            break;
        case 'f':
            good = parse_count(optarg, &fail_first);
            break;
        case 'e':
            good = parse_count(optarg, &fail_every);
            break;
        case 'L':
            good = parse_count(optarg, &lose_every);
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            good = false;
        }
        if (!good) {
            usage(stderr);
            return 2;
        }
    }
    if (options[1] == NULL || log_path == NULL || api_key[0] == '\0' || optind != argc) {
        usage(stderr);
        return 2;
    }
    log_file = fopen(log_path, "a");
    if (log_file == NULL) {
        fprintf(stderr, "mue-fake-ckan: cannot open %s: %s\n", log_path, strerror(errno));
        return 1;
    }
    packages = json_array();
    mue_signal_init();
    mg_init_library(0);
    ctx = mg_start(NULL, NULL, options);
    if (ctx == NULL) {
        fprintf(stderr, "mue-fake-ckan: cannot listen on %s\n", options[1]);
        fclose(log_file);
        return 1;
    }
    mg_set_request_handler(ctx, "/api/3/action", handle_action, NULL);
    mg_set_request_handler(ctx, "/_state$", handle_state, NULL);
    while (!mue_signal_sleep_ms(1000))
        ;
    mg_stop(ctx);
    mg_exit_library();
    json_decref(packages);
    fclose(log_file);
    return 0;
}
