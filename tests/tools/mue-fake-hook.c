/* mue-fake-hook.c - a stand-in for a directorate's webhook receiver, for tests and the demo: it
 * takes mue-alerts' POSTs, checks X-Mue-Signature (HMAC-SHA256 of "<X-Mue-Timestamp>.<body>"
 * under the shared secret), appends one JSON line {"signature_ok", "timestamp", "body"} per
 * accepted request to a file, and answers 204; or 500 to the first N requests, which are then not
 * recorded (the receiver failed: it did not take them).
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>
#include <jansson.h>

#include "mue_buf.h"
#include "mue_hmac.h"
#include "mue_signal.h"

#define BODY_MAX (1024 * 1024)

static const char *secret = "";
static long fail_first;
static FILE *out;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Compares without an early exit, as a real receiver must (no timing oracle on the secret). */
static bool same(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = la != lb;

    for (size_t i = 0; i < la && i < lb; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

static bool signature_ok(const char *ts, const char *sig, const char *body, size_t len)
{
    struct mue_buf text;
    char want[7 + 64 + 1] = "sha256=";
    bool ok;

    if (ts == NULL || sig == NULL || ts[0] == '\0')
        return false;
    mue_buf_init(&text, 0);
    mue_buf_printf(&text, "%s.", ts);
    mue_buf_append(&text, body, len);
    mue_hmac_sha256_hex(secret, strlen(secret), text.data, text.len, want + 7);
    ok = same(sig, want);
    mue_buf_fini(&text);
    return ok;
}

static int answer(struct mg_connection *conn, int status)
{
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Content-Length", "0", -1);
    mg_response_header_send(conn);
    return status;
}

static int handle(struct mg_connection *conn, void *cbdata)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *ts = mg_get_header(conn, "X-Mue-Timestamp");
    const char *sig = mg_get_header(conn, "X-Mue-Signature");
    char *buf = malloc(BODY_MAX), *text;
    size_t len = 0;
    int n, status = 204;
    bool ok;
    json_t *line, *body;
    (void)cbdata;

    if (buf == NULL)
        return answer(conn, 500);
    if (strcmp(ri->request_method, "POST") != 0) {
        free(buf);
        return answer(conn, 405);
    }
    while (len < BODY_MAX && (n = mg_read(conn, buf + len, BODY_MAX - len)) > 0)
        len += (size_t)n;
    ok = signature_ok(ts, sig, buf, len);

    pthread_mutex_lock(&lock);
    if (fail_first > 0) {
        fail_first--;
        status = 500;
        fprintf(stderr, "mue-fake-hook: answered 500 on purpose (signature_ok=%d)\n", ok);
    } else {
        body = json_loadb(buf, len, 0, NULL);
        line = json_pack("{s:b, s:o, s:o}", "signature_ok", ok, "timestamp",
                         ts != NULL ? json_integer(strtoll(ts, NULL, 10)) : json_null(), "body",
                         body != NULL ? body : json_null());
        if (body == NULL) { /* not JSON: kept as text so that a test can see what came */
            json_t *raw = json_stringn(buf, len);
            json_object_set_new(line, "raw", raw != NULL ? raw : json_string("(not UTF-8)"));
        }
        text = json_dumps(line, JSON_COMPACT | JSON_SORT_KEYS);
        if (text != NULL) {
            fprintf(out, "%s\n", text);
            fflush(out);
        }
        free(text);
        json_decref(line);
        fprintf(stderr, "mue-fake-hook: %s %s, %zu bytes, signature_ok=%d\n", ri->request_method,
                ri->local_uri, len, ok);
    }
    pthread_mutex_unlock(&lock);
    free(buf);
    return answer(conn, status);
}

static void usage(FILE *f)
{
    fputs("Usage: mue-fake-hook --listen ADDR:PORT --secret S --out FILE [--fail-first N]\n"
          "Takes webhook POSTs on any path, checks X-Mue-Signature against S, appends\n"
          "{\"signature_ok\", \"timestamp\", \"body\"} per request to FILE and answers 204;\n"
          "--fail-first N answers 500 to the first N requests (not recorded).\n"
          "Stops on SIGTERM or SIGINT.\n",
          f);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "listen", required_argument, NULL, 'l' }, { "secret", required_argument, NULL, 's' },
        { "out", required_argument, NULL, 'o' },    { "fail-first", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
    };
    const char *options[] = { "listening_ports", NULL, "num_threads", "4", NULL };
    const char *out_path = NULL;
    struct mg_context *ctx;
    char *end;
    int c;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            options[1] = optarg;
            break;
        case 's':
            secret = optarg;
            break;
        case 'o':
            out_path = optarg;
            break;
        case 'f':
            fail_first = strtol(optarg, &end, 10);
            if (*end != '\0' || fail_first < 0) {
                usage(stderr);
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (options[1] == NULL || out_path == NULL || optind != argc) {
        usage(stderr);
        return 2;
    }
    out = fopen(out_path, "a");
    if (out == NULL) {
        fprintf(stderr, "mue-fake-hook: cannot open %s: %s\n", out_path, strerror(errno));
        return 1;
    }
    mue_signal_init();
    mg_init_library(0);
    ctx = mg_start(NULL, NULL, options);
    if (ctx == NULL) {
        fprintf(stderr, "mue-fake-hook: cannot listen on %s\n", options[1]);
        fclose(out);
        return 1;
    }
    mg_set_request_handler(ctx, "/", handle, NULL);
    while (!mue_signal_sleep_ms(1000))
        ;
    mg_stop(ctx);
    mg_exit_library();
    fclose(out);
    return 0;
}
