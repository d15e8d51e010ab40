/* test_ckan.c - ckan_push against mue-fake-ckan on a free loopback port: a first push creates,
 * a second updates in place, failures are retried without duplicates, a wrong key and a portal
 * that is down end in clear errors, and an upload arrives whole.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "ckan.h"
#include "mue_err.h"
#include "mue_http_client.h"
#include "mue_sha256.h"
#include "../c/server_test.h"

#define KEY "test-key-4f1c9a"

static char fake_bin[1024];
static char tmp_dir[64];
static int passed, failed;

static void check(int cond, const char *what, const char *detail)
{
    if (cond) {
        printf("ok - %s\n", what);
        passed++;
    } else {
        printf("not ok - %s%s%s\n", what, detail != NULL ? ": " : "", detail != NULL ? detail : "");
        failed++;
    }
}

/* A running mue-fake-ckan. */
struct fake {
    pid_t pid;
    int port;
    char url[64];
    char log[128];
};

static bool port_answers(int port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    bool ok;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((uint16_t)port);
    ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

/* Starts the fake with 'extra' options (NULL-terminated, may be NULL). Returns 0, or -1. */
static int fake_start(struct fake *f, const char *name, const char *const *extra)
{
    char listen_addr[32];
    const char *argv[16];
    int fd, n = 0;

    f->port = loopback_port(0, &fd);
    snprintf(listen_addr, sizeof(listen_addr), "127.0.0.1:%d", f->port);
    snprintf(f->url, sizeof(f->url), "http://%s", listen_addr);
    snprintf(f->log, sizeof(f->log), "%s/%s.jsonl", tmp_dir, name);
    argv[n++] = fake_bin;
    argv[n++] = "--listen";
    argv[n++] = listen_addr;
    argv[n++] = "--key";
    argv[n++] = KEY;
    argv[n++] = "--log";
    argv[n++] = f->log;
    for (; extra != NULL && *extra != NULL && n < 15; extra++)
        argv[n++] = *extra;
    argv[n] = NULL;
    f->pid = fork();
    if (f->pid == 0) {
        execv(fake_bin, (char *const *)argv);
        _exit(127);
    }
    for (int i = 0; i < 100 && f->pid > 0; i++) {
        if (port_answers(f->port))
            return 0;
        usleep(50 * 1000);
    }
    fprintf(stderr, "mue-fake-ckan (%s) did not listen on %d\n", fake_bin, f->port);
    return -1;
}

/* Stops it with SIGTERM. Returns its exit status (0: a clean exit), or -1. */
static int fake_stop(struct fake *f)
{
    int status;

    if (f->pid <= 0)
        return -1;
    kill(f->pid, SIGTERM);
    if (waitpid(f->pid, &status, 0) != f->pid)
        return -1;
    f->pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* GET /_state: {"packages": [...], "calls": N}, or NULL. */
static json_t *fake_state(const struct fake *f)
{
    static char body[1 << 20];
    char url[96];
    struct mue_http_req req = { .method = "GET", .url = url, .timeout_ms = 5000 };
    struct mue_http_resp resp = { .body = body, .cap = sizeof(body) };

    snprintf(url, sizeof(url), "%s/_state", f->url);
    if (mue_http_request(&req, &resp) != 0 || resp.status != 200)
        return NULL;
    return json_loadb(resp.body, resp.len, 0, NULL);
}

/* How many lines of the fake's log have this action and status. */
static int log_count(const struct fake *f, const char *action, int status)
{
    char line[1024], want[128];
    FILE *in = fopen(f->log, "r");
    int n = 0;

    snprintf(want, sizeof(want), "\"action\":\"%s\",\"status\":%d,", action, status);
    while (in != NULL && fgets(line, sizeof(line), in) != NULL)
        if (strstr(line, want) != NULL)
            n++;
    if (in != NULL)
        fclose(in);
    return n;
}

static const char *const tags[] = { "comptage", "mobilite" };

static struct ckan_resource three[] = {
    { "comptages-velo.csv", "Comptages, CSV", "CSV", "http://mue.example/opendata/c/c.csv", NULL },
    { "comptages-velo.geojson", "Sites, GeoJSON", "GeoJSON",
      "http://mue.example/opendata/c/c.geojson", NULL },
    { "comptages-velo.jsonld", "NGSI-LD", "JSON-LD", "http://mue.example/opendata/c/c.jsonld",
      NULL },
};

static struct ckan_package package(const struct ckan_resource *res, int nres)
{
    struct ckan_package p = {
        .name = "comptages-velo",
        .title = "Comptages vélo",
        .notes = "Passages de vélos par site et par heure.",
        .license_id = "fr-lo",
        .url = "http://mue.example/opendata/",
        .frequency = "daily",
        .tags = tags,
        .ntags = 2,
        .temporal_start = "2026-01-01T00:00:00Z",
        .res = res,
        .nres = nres,
    };
    return p;
}

static struct ckan_portal portal(const struct fake *f)
{
    struct ckan_portal p = {
        .url = f->url,
        .api_key = KEY,
        .owner_org = "metropole-amp",
        .timeout_ms = 5000,
        .max_attempts = 6,
        .backoff_ms = 10,
    };
    return p;
}

static json_t *only_package(json_t *state)
{
    json_t *pkgs = json_object_get(state, "packages");
    return json_array_size(pkgs) == 1 ? json_array_get(pkgs, 0) : NULL;
}

static int nresources(json_t *pkg)
{
    return (int)json_array_size(json_object_get(pkg, "resources"));
}

static const char *resource_field(json_t *pkg, const char *name, const char *field)
{
    size_t i;
    json_t *r;

    json_array_foreach(json_object_get(pkg, "resources"), i,
                       r) if (strcmp(json_string_value(json_object_get(r, "name")), name) ==
                              0) return json_string_value(json_object_get(r, field));
    return NULL;
}

static void test_create_then_update(void)
{
    struct fake f;
    struct ckan_portal p;
    struct ckan_package pkg = package(three, 3);
    struct ckan_resource four[4];
    struct ckan_result r1, r2, r3;
    json_t *state, *pk;
    char detail[700];
    int rc;

    if (fake_start(&f, "update", NULL) < 0) {
        check(0, "mue-fake-ckan starts", fake_bin);
        return;
    }
    p = portal(&f);
    rc = ckan_push(&p, &pkg, &r1);
    snprintf(detail, sizeof(detail), "rc=%d created=%d res_created=%d error=%s", rc, r1.created,
             r1.resources_created, r1.error);
    check(rc == 0 && r1.created && r1.resources_created == 3 && r1.resources_updated == 0 &&
              r1.package_id[0] != '\0' && r1.retries == 0,
          "a first push creates the package and its 3 resources", detail);
    state = fake_state(&f);
    pk = only_package(state);
    check(pk != NULL && nresources(pk) == 3 &&
              strcmp(json_string_value(json_object_get(pk, "id")), r1.package_id) == 0 &&
              strcmp(json_string_value(json_object_get(pk, "owner_org")), "metropole-amp") == 0 &&
              strcmp(json_string_value(
                         json_object_get(json_array_get(json_object_get(pk, "tags"), 1), "name")),
                     "mobilite") == 0 &&
              json_array_size(json_object_get(pk, "extras")) == 2,
          "the portal holds the package with its owner, tags, extras and 3 resources", NULL);
    json_decref(state);

    memcpy(four, three, sizeof(three));
    four[1].url = "http://mue.example/opendata/c/c-v2.geojson";
    four[3] = (struct ckan_resource){ "comptages-velo.json", "JSON", "JSON",
                                      "http://mue.example/opendata/c/c.json", NULL };
    pkg = package(four, 4);
    pkg.title = "Comptages vélo (AMP)";
    rc = ckan_push(&p, &pkg, &r2);
    snprintf(detail, sizeof(detail), "rc=%d created=%d res_created=%d res_updated=%d error=%s", rc,
             r2.created, r2.resources_created, r2.resources_updated, r2.error);
    check(rc == 0 && !r2.created && r2.resources_created == 1 && r2.resources_updated == 3 &&
              strcmp(r2.package_id, r1.package_id) == 0,
          "a second push patches the package, updates 3 resources and creates the new one", detail);
    rc = ckan_push(&p, &pkg, &r3);
    check(rc == 0 && !r3.created && r3.resources_created == 0 && r3.resources_updated == 4,
          "a third, identical push creates nothing", r3.error);
    state = fake_state(&f);
    pk = only_package(state);
    check(pk != NULL && nresources(pk) == 4 &&
              strcmp(json_string_value(json_object_get(pk, "title")), "Comptages vélo (AMP)") ==
                  0 &&
              strcmp(resource_field(pk, "comptages-velo.geojson", "url"),
                     "http://mue.example/opendata/c/c-v2.geojson") == 0,
          "/_state has one package, 4 resources, the new title and the changed url", NULL);
    json_decref(state);
    check(log_count(&f, "package_create", 200) == 1 && log_count(&f, "package_patch", 200) == 2,
          "one package_create, then package_patch on each later push", NULL);
    check(fake_stop(&f) == 0, "mue-fake-ckan exits cleanly on SIGTERM", NULL);
}

/* Pushes the 3-resource package to a fake started with 'extra' and checks that one package with 3
 * resources came of it, whatever the failures. */
static void push_through_failures(const char *name, const char *const *extra, const char *what)
{
    struct fake f;
    struct ckan_portal p;
    struct ckan_package pkg = package(three, 3);
    struct ckan_result r1, r2 = { 0 };
    json_t *state, *pk;
    char detail[700];
    int rc;

    if (fake_start(&f, name, extra) < 0) {
        check(0, "mue-fake-ckan starts", fake_bin);
        return;
    }
    p = portal(&f);
    rc = ckan_push(&p, &pkg, &r1);
    if (rc == 0) /* and again: the second push finds everything the first one made */
        rc = ckan_push(&p, &pkg, &r2);
    state = fake_state(&f);
    pk = only_package(state);
    snprintf(detail, sizeof(detail),
             "rc=%d retries=%d calls=%d packages=%zu resources=%d updated=%d error=%.150s %.150s",
             rc, r1.retries, r1.calls, json_array_size(json_object_get(state, "packages")),
             pk != NULL ? nresources(pk) : -1, r2.resources_updated, r1.error, r2.error);
    check(rc == 0 && r1.retries > 0 && r1.created && r1.resources_created == 3 &&
              r2.resources_updated == 3 && pk != NULL && nresources(pk) == 3,
          what, detail);
    json_decref(state);
    fake_stop(&f);
}

static void test_failures_are_retried(void)
{
    static const char *const fail3[] = { "--fail", "3", NULL };
    static const char *const every2[] = { "--fail-every", "2", NULL };
    static const char *const lose2[] = { "--lose-every", "2", NULL };

    push_through_failures("fail3", fail3, "with the first 3 calls failing (500) the push succeeds");
    push_through_failures("every2", every2,
                          "with every 2nd call failing (500) there is no duplicate package or "
                          "resource");
    push_through_failures("lose2", lose2,
                          "with every 2nd call done but its answer lost (502), creates are not "
                          "repeated");
}

static void test_a_wrong_key_is_a_clear_error(void)
{
    struct fake f;
    struct ckan_portal p;
    struct ckan_package pkg = package(three, 3);
    struct ckan_result r;
    json_t *state;
    char detail[700];
    int rc;

    if (fake_start(&f, "wrongkey", NULL) < 0) {
        check(0, "mue-fake-ckan starts", fake_bin);
        return;
    }
    p = portal(&f);
    p.api_key = "not-the-key-123";
    rc = ckan_push(&p, &pkg, &r);
    snprintf(detail, sizeof(detail), "rc=%d calls=%d error=%s", rc, r.calls, r.error);
    check(rc == MUE_EAUTH && r.calls == 1 && r.retries == 0 && strstr(r.error, "403") != NULL &&
              strstr(r.error, "not-the-key") == NULL,
          "a wrong key fails at once with the portal's 403, the key not in the error", detail);
    state = fake_state(&f);
    check(state != NULL && json_array_size(json_object_get(state, "packages")) == 0,
          "a wrong key creates nothing", NULL);
    json_decref(state);
    p.api_key = NULL;
    rc = ckan_push(&p, &pkg, &r);
    snprintf(detail, sizeof(detail), "rc=%d error=%s", rc, r.error);
    check(rc == MUE_EAUTH && strstr(r.error, "package_create") != NULL,
          "without a key the read works and the create is refused", detail);
    fake_stop(&f);
}

static void test_a_portal_that_is_down(void)
{
    struct ckan_portal p = {
        .api_key = KEY, .timeout_ms = 1000, .max_attempts = 3, .backoff_ms = 20
    };
    struct ckan_package pkg = package(three, 3);
    struct ckan_result r;
    char url[64], detail[400];
    long long t0;
    int fd, rc;

    snprintf(url, sizeof(url), "http://127.0.0.1:%d", loopback_port(0, &fd));
    p.url = url;
    t0 = mono_ms();
    rc = ckan_push(&p, &pkg, &r);
    snprintf(detail, sizeof(detail), "rc=%d calls=%d retries=%d error=%s", rc, r.calls, r.retries,
             r.error);
    check(rc == -ECONNREFUSED && r.calls == 3 && r.retries == 2 &&
              strstr(r.error, "gave up after 3 attempts") != NULL && mono_ms() - t0 >= 20 + 40,
          "a portal that is down ends in an error after max_attempts, with backoff between",
          detail);
}

static void test_an_upload_arrives_whole(void)
{
    struct fake f;
    struct ckan_portal p;
    struct ckan_resource res[2] = {
        three[0],
        { "comptages-velo-export.csv", "Export", "CSV",
          "http://mue.example/opendata/c/comptages-velo-export.csv", NULL },
    };
    struct ckan_package pkg = package(res, 2);
    struct ckan_result r;
    char path[128], digest[2 * MUE_SHA256_LEN + 1], detail[400];
    static char data[300000];
    json_t *state, *pk;
    FILE *out;
    int rc;

    /* Bytes of every value, and text that looks like multipart delimiters. */
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (char)((i * 2654435761u) >> 13);
    memcpy(data + 1000, "\r\n--mue-ckan-\r\n--\r\n", 19);
    snprintf(path, sizeof(path), "%s/export.csv", tmp_dir);
    out = fopen(path, "wb");
    if (out == NULL || fwrite(data, 1, sizeof(data), out) != sizeof(data) || fclose(out) != 0) {
        check(0, "the upload file is written", path);
        return;
    }
    res[1].upload_path = path;
    if (fake_start(&f, "upload", NULL) < 0) {
        check(0, "mue-fake-ckan starts", fake_bin);
        return;
    }
    p = portal(&f);
    rc = ckan_push(&p, &pkg, &r);
    mue_sha256_hex(data, sizeof(data), digest);
    state = fake_state(&f);
    pk = only_package(state);
    snprintf(detail, sizeof(detail), "rc=%d error=%s sha256=%s", rc, r.error,
             pk != NULL ? resource_field(pk, res[1].name, "sha256") : "(no package)");
    check(rc == 0 && pk != NULL && nresources(pk) == 2 &&
              json_integer_value(
                  json_object_get(json_array_get(json_object_get(pk, "resources"), 1), "size")) ==
                  (json_int_t)sizeof(data) &&
              strcmp(resource_field(pk, res[1].name, "sha256"), digest) == 0 &&
              strcmp(resource_field(pk, res[1].name, "url_type"), "upload") == 0,
          "an upload arrives with the right size and sha256", detail);
    check(pk != NULL && strstr(resource_field(pk, res[1].name, "url"),
                               "/download/comptages-velo-export.csv") != NULL,
          "an upload is named after its URL's last segment", NULL);
    json_decref(state);

    data[5] ^= 0x55; /* a new export of the same file: resource_update uploads it again */
    out = fopen(path, "wb");
    if (out != NULL) {
        fwrite(data, 1, 1000, out);
        fclose(out);
    }
    rc = ckan_push(&p, &pkg, &r);
    mue_sha256_hex(data, 1000, digest);
    state = fake_state(&f);
    pk = only_package(state);
    check(rc == 0 && r.resources_updated == 2 && pk != NULL && nresources(pk) == 2 &&
              strcmp(resource_field(pk, res[1].name, "sha256"), digest) == 0,
          "a changed file is uploaded again into the same resource", r.error);
    json_decref(state);
    unlink(path);
    fake_stop(&f);
}

static void test_bad_input_makes_no_call(void)
{
    struct ckan_portal p = { .url = "http://127.0.0.1:9", .timeout_ms = 1000, .max_attempts = 1 };
    struct ckan_resource twice[2] = { three[0], three[0] };
    struct ckan_package pkg = package(three, 3);
    struct ckan_result r;
    int rc;

    pkg.name = "Comptages Vélo";
    rc = ckan_push(&p, &pkg, &r);
    check(rc == MUE_EINVAL && r.calls == 0 && strstr(r.error, "name") != NULL,
          "a package name CKAN refuses is an error before any call", r.error);
    pkg = package(twice, 2);
    rc = ckan_push(&p, &pkg, &r);
    check(rc == MUE_EINVAL && r.calls == 0 && strstr(r.error, "two resources") != NULL,
          "two resources of one name are an error before any call", r.error);
    p.url = "ftp://portal";
    pkg = package(three, 3);
    rc = ckan_push(&p, &pkg, &r);
    check(rc == MUE_EINVAL && r.calls == 0, "a portal URL that is not http(s) is refused", r.error);
}

int main(int argc, char **argv)
{
    const char *env = getenv("MUE_FAKE_CKAN");
    char self[1024];

    (void)argc;
    /* build/tests/integration/opendata/test_ckan -> build/bin/mue-fake-ckan */
    snprintf(self, sizeof(self), "%s", argv[0]);
    if (env != NULL && env[0] != '\0')
        snprintf(fake_bin, sizeof(fake_bin), "%s", env);
    else
        snprintf(fake_bin, sizeof(fake_bin), "%s/../../../bin/mue-fake-ckan", dirname(self));
    if (access(fake_bin, X_OK) != 0) {
        fprintf(stderr, "%s is missing: make build/bin/mue-fake-ckan (or set MUE_FAKE_CKAN)\n",
                fake_bin);
        printf("ckan: 0 passed, 1 failed\n");
        return 1;
    }
    snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/mue-ckan-test.XXXXXX");
    if (mkdtemp(tmp_dir) == NULL) {
        printf("ckan: 0 passed, 1 failed\n");
        return 1;
    }
    mue_http_client_init();
    test_create_then_update();
    test_failures_are_retried();
    test_a_wrong_key_is_a_clear_error();
    test_a_portal_that_is_down();
    test_an_upload_arrives_whole();
    test_bad_input_makes_no_call();
    if (failed == 0) { /* kept for reading when something failed */
        const char *const logs[] = { "update", "fail3", "every2", "lose2", "wrongkey", "upload" };
        char path[160];
        for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
            snprintf(path, sizeof(path), "%s/%s.jsonl", tmp_dir, logs[i]);
            unlink(path);
        }
        rmdir(tmp_dir);
    } else {
        fprintf(stderr, "the fake portal's logs are in %s\n", tmp_dir);
    }
    printf("ckan: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
