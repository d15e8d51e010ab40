/* test_mue_http_guard.c - a real civetweb server with the guard's callbacks, spoken to over raw
 * sockets: too many headers, a head too large, too slow (first and on a kept connection), not
 * HTTP, a refused body left unread, civetweb's own 404; each answer JSON and each refusal counted.
 * SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <civetweb.h>

#include "mue_http_guard.h"
#include "mue_log.h"
#include "mue_time.h"
#include "../loopback.h"
#include "../mue_test.h"

#define MAX_HEADERS 10

static int handle_ok(struct mg_connection *conn, void *cbdata)
{
    char buf[256];

    (void)cbdata;
    if (mue_http_guard_headers(conn, MAX_HEADERS) != 0)
        return 431;
    while (mg_read(conn, buf, sizeof(buf)) > 0)
        ;
    mg_response_header_start(conn, 200);
    mg_response_header_add(conn, "Content-Length", "3", -1);
    mg_response_header_send(conn);
    mg_write(conn, "ok\n", 3);
    return 200;
}

/* Says the body stays unread, then answers as usual. */
static int handle_unread_ok(struct mg_connection *conn, void *cbdata)
{
    (void)cbdata;
    mue_http_guard_body_unread(conn);
    mg_response_header_start(conn, 200);
    mg_response_header_add(conn, "Content-Length", "3", -1);
    mg_response_header_send(conn);
    mg_write(conn, "ok\n", 3);
    return 200;
}

/* Refuses without reading the body, as a 401 or a 413 does. */
static int handle_refuse(struct mg_connection *conn, void *cbdata)
{
    (void)cbdata;
    mue_http_guard_body_unread(conn);
    return mue_http_guard_refuse(conn, 403, "forbidden", "not for you");
}

static int quiet_log(const struct mg_connection *conn, const char *message)
{
    (void)conn;
    (void)message;
    return 1;
}

struct server {
    struct mg_context *ctx;
    int port;
};

/* A server on 127.0.0.1 with the guard, the given timeouts and head size. */
static void start(struct server *s, const char *request_ms, const char *keepalive_ms,
                  const char *head_bytes)
{
    char listen[32];
    /* clang-format off */
    const char *options[] = { "listening_ports", listen, "num_threads", "4",
                              "request_timeout_ms", request_ms, "enable_keep_alive", "yes",
                              "keep_alive_timeout_ms", keepalive_ms,
                              "max_request_size", head_bytes, NULL };
    /* clang-format on */
    struct mg_callbacks cb;

    s->port = free_port();
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", s->port);
    memset(&cb, 0, sizeof(cb));
    cb.log_message = quiet_log;
    mue_http_guard_callbacks(&cb);
    s->ctx = mg_start(&cb, NULL, options);
    MUE_ASSERT(s->ctx != NULL);
    mg_set_request_handler(s->ctx, "/ok$", handle_ok, NULL);
    mg_set_request_handler(s->ctx, "/refuse$", handle_refuse, NULL);
    mg_set_request_handler(s->ctx, "/unread-ok$", handle_unread_ok, NULL);
}

static int dial(int port)
{
    struct sockaddr_in sa;
    struct timeval tv = { 5, 0 };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((uint16_t)port);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void send_all(int fd, const char *text, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n <= 0)
            return;
        text += n;
        len -= (size_t)n;
    }
}

static void send_str(int fd, const char *text)
{
    send_all(fd, text, strlen(text));
}

/* Reads one answer with a Content-Length; returns its status, the whole answer in out. */
static int read_answer(int fd, char *out, size_t cap)
{
    size_t used = 0;
    int status = -1;

    out[0] = '\0';
    while (used + 1 < cap) {
        ssize_t n = read(fd, out + used, cap - 1 - used);
        char *sep, *clen;
        if (n <= 0)
            break;
        used += (size_t)n;
        out[used] = '\0';
        sep = strstr(out, "\r\n\r\n");
        clen = strstr(out, "Content-Length: ");
        if (sep != NULL && clen != NULL && clen < sep &&
            used >= (size_t)(sep + 4 - out) + strtoul(clen + 16, NULL, 10))
            break;
    }
    if (sscanf(out, "HTTP/1.%*d %d", &status) != 1)
        status = -1;
    return status;
}

/* True when the server closes 'fd' within 'ms'. */
static bool closed_within(int fd, int ms)
{
    struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
    char c;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return read(fd, &c, 1) == 0;
}

/* A GET of /ok with 'extra' headers besides Host. */
static int get_with_headers(int port, int extra, char *out, size_t cap)
{
    char *req = malloc(64 + (size_t)extra * 32);
    int fd = dial(port), status;
    size_t n = (size_t)sprintf(req, "GET /ok HTTP/1.1\r\nHost: x\r\n");

    for (int i = 0; i < extra; i++)
        n += (size_t)sprintf(req + n, "X-Extra-%d: v\r\n", i);
    n += (size_t)sprintf(req + n, "Connection: close\r\n\r\n");
    send_all(fd, req, n);
    status = read_answer(fd, out, cap);
    close(fd);
    free(req);
    return status;
}

static struct server shared;

static int shared_port(void)
{
    if (shared.ctx == NULL)
        start(&shared, "300", "900", "2048");
    return shared.port;
}

static void test_headers_up_to_the_limit_pass_one_more_is_431(void)
{
    char out[2048];
    long long before = mue_http_guard_counted(MUE_HTTP_TOO_MANY_HEADERS);
    int port = shared_port();

    /* Host and Connection are two of them */
    MUE_ASSERT_INT_EQ(get_with_headers(port, MAX_HEADERS - 2, out, sizeof(out)), 200);
    MUE_ASSERT_INT_EQ(get_with_headers(port, MAX_HEADERS - 1, out, sizeof(out)), 431);
    MUE_ASSERT(strstr(out, "Content-Type: application/json") != NULL);
    MUE_ASSERT(strstr(out, "Connection: close") != NULL);
    MUE_ASSERT(strstr(out, "{\"error\":\"too_many_headers\",\"reason\":\"more than 10 header "
                           "fields\"}") != NULL);
    MUE_ASSERT_INT_EQ(mue_http_guard_counted(MUE_HTTP_TOO_MANY_HEADERS), before + 1);
}

/* civetweb keeps 64 and drops the rest: whatever the limit asked, that is refused. */
static void test_headers_civetweb_would_drop_are_refused_whatever_the_limit(void)
{
    char out[8192];
    int fd = dial(shared_port()), status;
    char req[4096];
    size_t n = (size_t)sprintf(req, "GET /ok HTTP/1.1\r\nHost: x\r\n");

    for (int i = 0; i < 70; i++)
        n += (size_t)sprintf(req + n, "X-%d: v\r\n", i);
    n += (size_t)sprintf(req + n, "\r\n");
    send_all(fd, req, n);
    status = read_answer(fd, out, sizeof(out));
    close(fd);
    MUE_ASSERT_INT_EQ(status, 431);
    MUE_ASSERT(strstr(out, "more than 10 header fields") != NULL);
}

static void test_a_head_over_max_request_size_is_400_naming_the_size(void)
{
    char out[2048], req[4096];
    long long before = mue_http_guard_counted(MUE_HTTP_BAD_HEAD);
    int fd = dial(shared_port()), status;
    int n = snprintf(req, sizeof(req), "GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: %03000d\r\n\r\n", 0);

    send_all(fd, req, (size_t)n);
    status = read_answer(fd, out, sizeof(out));
    close(fd);
    MUE_ASSERT_INT_EQ(status, 400);
    MUE_ASSERT(strstr(out, "\"error\":\"bad_request\"") != NULL);
    MUE_ASSERT(strstr(out, "larger than 2048 bytes") != NULL);
    MUE_ASSERT_INT_EQ(mue_http_guard_counted(MUE_HTTP_BAD_HEAD), before + 1);
}

static void test_control_bytes_are_400_at_once_not_a_timeout(void)
{
    char out[2048];
    long long timeouts = mue_http_guard_counted(MUE_HTTP_HEAD_TIMEOUT);
    int fd = dial(shared_port()), status;
    int64_t t0 = mue_time_mono_ms();

    send_all(fd, "\x16\x03\x01\x00\xa5\x01\x00", 7); /* a TLS hello on a plain port */
    status = read_answer(fd, out, sizeof(out));
    close(fd);
    MUE_ASSERT_INT_EQ(status, 400);
    MUE_ASSERT(mue_time_mono_ms() - t0 < 250);
    MUE_ASSERT(strstr(out, "holds bytes HTTP does not allow") != NULL);
    MUE_ASSERT_INT_EQ(mue_http_guard_counted(MUE_HTTP_HEAD_TIMEOUT), timeouts);
}

static void test_a_head_that_never_ends_is_408_after_request_timeout(void)
{
    char out[2048];
    long long before = mue_http_guard_counted(MUE_HTTP_HEAD_TIMEOUT);
    int fd = dial(shared_port()), status;
    int64_t t0 = mue_time_mono_ms(), took;

    send_str(fd, "GET /ok HTTP/1.1\r\nHost: x\r\nX-Slow: a");
    status = read_answer(fd, out, sizeof(out));
    took = mue_time_mono_ms() - t0;
    MUE_ASSERT(closed_within(fd, 1000));
    close(fd);
    MUE_ASSERT_INT_EQ(status, 408);
    MUE_ASSERT(took >= 280 && took < 1500);
    MUE_ASSERT(strstr(out, "{\"error\":\"request_timeout\",\"reason\":\"the request head did "
                           "not arrive within 300 ms\"}") != NULL);
    MUE_ASSERT_INT_EQ(mue_http_guard_counted(MUE_HTTP_HEAD_TIMEOUT), before + 1);
}

/* On a kept connection civetweb waits keep_alive_timeout_ms for the next head. */
static void test_a_slow_second_head_is_408_after_the_keep_alive_timeout(void)
{
    char out[2048];
    int fd = dial(shared_port()), first, second;
    int64_t t0, took;

    send_str(fd, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
    first = read_answer(fd, out, sizeof(out));
    t0 = mue_time_mono_ms();
    send_str(fd, "GET /ok HTTP/1.1\r\nHost: x\r\nX-Slow: a");
    second = read_answer(fd, out, sizeof(out));
    took = mue_time_mono_ms() - t0;
    close(fd);
    MUE_ASSERT_INT_EQ(first, 200);
    MUE_ASSERT_INT_EQ(second, 408);
    MUE_ASSERT(took >= 850 && took < 2500);
    MUE_ASSERT(strstr(out, "within 900 ms") != NULL);
}

/* A refused request's body is not read to the end: the connection closes after the answer. */
static void test_a_refusal_that_leaves_the_body_unread_closes_the_connection(void)
{
    struct server slow;
    char out[2048];
    int fd, status;
    int64_t t0;

    start(&slow, "5000", "5000", "2048"); /* civetweb would wait 5 s for each silence */
    fd = dial(slow.port);
    send_str(fd, "POST /refuse HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc");
    t0 = mue_time_mono_ms();
    status = read_answer(fd, out, sizeof(out));
    MUE_ASSERT_INT_EQ(status, 403);
    MUE_ASSERT(strstr(out, "Connection: close") != NULL);
    MUE_ASSERT(closed_within(fd, 2000));
    MUE_ASSERT(mue_time_mono_ms() - t0 < 2000);
    close(fd);
    mg_stop(slow.ctx);
}

/* Without a body there is nothing left unread: the connection is kept for the next request. */
static void test_no_body_announced_keeps_the_connection(void)
{
    char out[2048];
    int fd = dial(shared_port());
    int first, second;

    send_str(fd, "GET /unread-ok HTTP/1.1\r\nHost: x\r\n\r\n");
    first = read_answer(fd, out, sizeof(out));
    MUE_ASSERT(strstr(out, "Connection: close") == NULL);
    send_str(fd, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
    second = read_answer(fd, out, sizeof(out));
    close(fd);
    MUE_ASSERT_INT_EQ(first, 200);
    MUE_ASSERT_INT_EQ(second, 200);
}

static void test_civetweb_own_404_is_json_and_no_refusal(void)
{
    char out[2048];
    long long before = mue_http_guard_counted(MUE_HTTP_BAD_HEAD);
    int fd = dial(shared_port()), status;

    send_str(fd, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
    status = read_answer(fd, out, sizeof(out));
    close(fd);
    MUE_ASSERT_INT_EQ(status, 404);
    MUE_ASSERT(strstr(out, "{\"error\":\"not_found\",") != NULL);
    MUE_ASSERT_INT_EQ(mue_http_guard_counted(MUE_HTTP_BAD_HEAD), before);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_headers_up_to_the_limit_pass_one_more_is_431),
        MUE_TEST(test_headers_civetweb_would_drop_are_refused_whatever_the_limit),
        MUE_TEST(test_a_head_over_max_request_size_is_400_naming_the_size),
        MUE_TEST(test_control_bytes_are_400_at_once_not_a_timeout),
        MUE_TEST(test_a_head_that_never_ends_is_408_after_request_timeout),
        MUE_TEST(test_a_slow_second_head_is_408_after_the_keep_alive_timeout),
        MUE_TEST(test_a_refusal_that_leaves_the_body_unread_closes_the_connection),
        MUE_TEST(test_no_body_announced_keeps_the_connection),
        MUE_TEST(test_civetweb_own_404_is_json_and_no_refusal),
    };
    int rc;

    mg_init_library(0);
    rc = mue_test_run("mue_http_guard", tests);
    if (shared.ctx != NULL)
        mg_stop(shared.ctx);
    mg_exit_library();
    return rc;
}
