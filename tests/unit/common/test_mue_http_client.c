/* test_mue_http_client.c - URLs parsed; requests against a civetweb server and raw sockets in this
 * process: statuses, bodies, bounds, timeouts and each kind of connection failure.
 * SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <civetweb.h>

#include "mue_err.h"
#include "mue_http_client.h"
#include "mue_time.h"
#include "../loopback.h"
#include "../mue_test.h"

static struct mg_context *server;
static int server_port;

static void answer(struct mg_connection *conn, int status, const char *extra_header,
                   const char *body)
{
    char clen[24];

    snprintf(clen, sizeof(clen), "%zu", strlen(body));
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Content-Type", "application/json", -1);
    mg_response_header_add(conn, "Content-Length", clen, -1);
    if (extra_header != NULL)
        mg_response_header_add(conn, "Retry-After", extra_header, -1);
    mg_response_header_send(conn);
    mg_write(conn, body, strlen(body));
}

/* Echoes what it got: method, path, the headers that matter, the body. */
static int handle_echo(struct mg_connection *conn, void *cbdata)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *auth = mg_get_header(conn, "Authorization");
    const char *ctype = mg_get_header(conn, "Content-Type");
    const char *host = mg_get_header(conn, "Host");
    char body[512] = "", out[1200];
    int n = 0, r;
    (void)cbdata;

    while (n < (int)sizeof(body) - 1 &&
           (r = mg_read(conn, body + n, sizeof(body) - 1 - (size_t)n)) > 0)
        n += r;
    body[n] = '\0';
    snprintf(out, sizeof(out),
             "{\"method\":\"%s\",\"uri\":\"%s\",\"auth\":\"%s\",\"ctype\":\"%s\","
             "\"host\":\"%s\",\"clen\":%lld,\"body\":%s}",
             ri->request_method, ri->local_uri, auth ? auth : "", ctype ? ctype : "",
             host ? host : "", ri->content_length, n > 0 ? body : "null");
    answer(conn, 200, NULL, out);
    return 200;
}

static int handle_status(struct mg_connection *conn, void *cbdata)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    int status = atoi(ri->local_uri + strlen("/status/"));
    (void)cbdata;

    answer(conn, status,
           status == 503   ? "7"
           : status == 429 ? "Fri, 07 Nov 2025 08:00:00 GMT"
                           : NULL,
           "{\"code\":13,\"message\":\"it went wrong\"}");
    return status;
}

static int handle_big(struct mg_connection *conn, void *cbdata)
{
    static char big[100000];
    (void)cbdata;

    memset(big, 'a', sizeof(big) - 1);
    answer(conn, 200, NULL, big);
    return 200;
}

static int handle_slow(struct mg_connection *conn, void *cbdata)
{
    struct timespec ts = { 1, 500000000L };
    (void)cbdata;

    nanosleep(&ts, NULL);
    answer(conn, 200, NULL, "{}");
    return 200;
}

/* A raw peer: accepts one connection, reads the request, writes 'reply' (may be ""), closes. */
struct raw_peer {
    int fd;
    const char *reply;
    pthread_t thread;
};

static void *raw_peer_run(void *arg)
{
    struct raw_peer *p = arg;
    char buf[2048];
    int c = accept(p->fd, NULL, NULL);

    if (c >= 0) {
        struct timeval tv = { 2, 0 };
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        (void)read(c, buf, sizeof(buf));
        if (p->reply[0] != '\0')
            (void)write(c, p->reply, strlen(p->reply));
        close(c);
    }
    return NULL;
}

static int raw_peer_start(struct raw_peer *p, const char *reply)
{
    int port = loopback_port(1, &p->fd);

    p->reply = reply;
    MUE_ASSERT(port > 0);
    MUE_ASSERT(pthread_create(&p->thread, NULL, raw_peer_run, p) == 0);
    return port;
}

static void raw_peer_stop(struct raw_peer *p)
{
    pthread_join(p->thread, NULL);
    close(p->fd);
}

static struct mue_http_req post(const char *url)
{
    static const char *const headers[] = { "Authorization: Bearer s3cret", NULL };
    struct mue_http_req r = {
        "POST", url, headers, "application/json", "{\"a\":1}", 7, 2000, NULL
    };
    return r;
}

static void test_urls_parse_into_scheme_host_port_and_path(void)
{
    struct mue_http_url u;

    MUE_ASSERT_INT_EQ(mue_http_url_parse("http://chirpstack-rest-api:8090", &u), MUE_OK);
    MUE_ASSERT_INT_EQ(u.tls, 0);
    MUE_ASSERT_STR_EQ(u.host, "chirpstack-rest-api");
    MUE_ASSERT_INT_EQ(u.port, 8090);
    MUE_ASSERT_STR_EQ(u.path, "");
    MUE_ASSERT_INT_EQ(mue_http_url_parse("HTTPS://eu1.cloud.thethings.network/api/v3", &u), MUE_OK);
    MUE_ASSERT_INT_EQ(u.tls, 1);
    MUE_ASSERT_INT_EQ(u.port, 443);
    MUE_ASSERT_STR_EQ(u.path, "/api/v3");
    MUE_ASSERT_INT_EQ(mue_http_url_parse("http://127.0.0.1/x?y=1", &u), MUE_OK);
    MUE_ASSERT_INT_EQ(u.port, 80);
    MUE_ASSERT_STR_EQ(u.path, "/x?y=1");
    MUE_ASSERT_INT_EQ(mue_http_url_parse("http://[::1]:8080/", &u), MUE_OK);
    MUE_ASSERT_STR_EQ(u.host, "::1");
    MUE_ASSERT_INT_EQ(u.port, 8080);
    MUE_ASSERT_STR_EQ(u.path, "/");
}

static void test_bad_urls_are_refused_and_leave_out_untouched(void)
{
    static const char *const bad[] = {
        "",
        "chirpstack:8090",
        "ftp://host/",
        "http://",
        "http:///x",
        "http://:80/",
        "http://host:0/",
        "http://host:65536/",
        "http://host:8a/",
        "http://host:/",
        "http://user:pw@host/",
        "http://host/a b",
        "http://ho st/",
        "http://host/\r\nX: y",
        "http://host/#frag",
        "http://host?x",
        "http://[::1/",
        "http://[zz]/",
        "http://h\xc3\xa9te/",
    };
    struct mue_http_url u;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&u, 0x5a, sizeof(u));
        if (mue_http_url_parse(bad[i], &u) != MUE_EINVAL) {
            char m[128];
            snprintf(m, sizeof(m), "accepted \"%s\"", bad[i]);
            mue_test_fail(__FILE__, __LINE__, m);
        }
        MUE_ASSERT_INT_EQ(u.port, 0x5a5a5a5a);
    }
    MUE_ASSERT_INT_EQ(mue_http_url_parse(NULL, &u), MUE_EINVAL);
}

static void test_post_sends_method_path_headers_and_body(void)
{
    char url[96], body[2048];
    struct mue_http_req req;
    struct mue_http_resp resp = { .body = body, .cap = sizeof(body) };
    char host[64];

    snprintf(url, sizeof(url), "http://127.0.0.1:%d/echo/devices/x/queue", server_port);
    req = post(url);
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_OK);
    MUE_ASSERT_INT_EQ(resp.status, 200);
    MUE_ASSERT_INT_EQ(resp.truncated, 0);
    MUE_ASSERT_INT_EQ(resp.retry_after_s, -1);
    MUE_ASSERT_UINT_EQ(resp.len, strlen(body));
    MUE_ASSERT(strstr(body, "\"method\":\"POST\"") != NULL);
    MUE_ASSERT(strstr(body, "\"uri\":\"/echo/devices/x/queue\"") != NULL);
    MUE_ASSERT(strstr(body, "\"auth\":\"Bearer s3cret\"") != NULL);
    MUE_ASSERT(strstr(body, "\"ctype\":\"application/json\"") != NULL);
    MUE_ASSERT(strstr(body, "\"clen\":7,\"body\":{\"a\":1}") != NULL);
    snprintf(host, sizeof(host), "\"host\":\"127.0.0.1:%d\"", server_port);
    MUE_ASSERT(strstr(body, host) != NULL);
}

static void test_get_without_body_and_without_content_type(void)
{
    char url[96], body[2048];
    struct mue_http_req req = { "GET", url, NULL, NULL, NULL, 0, 2000, NULL };
    struct mue_http_resp resp = { .body = body, .cap = sizeof(body) };

    snprintf(url, sizeof(url), "http://127.0.0.1:%d/echo", server_port);
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_OK);
    MUE_ASSERT_INT_EQ(resp.status, 200);
    MUE_ASSERT(strstr(body, "\"method\":\"GET\"") != NULL);
    MUE_ASSERT(strstr(body, "\"auth\":\"\"") != NULL);
    MUE_ASSERT(strstr(body, "\"body\":null") != NULL);
}

static void test_error_statuses_are_answers_with_their_body_and_retry_after(void)
{
    char url[96], body[256];
    struct mue_http_req req;
    struct mue_http_resp resp = { .body = body, .cap = sizeof(body) };

    snprintf(url, sizeof(url), "http://127.0.0.1:%d/status/503", server_port);
    req = post(url);
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_OK);
    MUE_ASSERT_INT_EQ(resp.status, 503);
    MUE_ASSERT_INT_EQ(resp.retry_after_s, 7);
    MUE_ASSERT_STR_EQ(body, "{\"code\":13,\"message\":\"it went wrong\"}");
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/status/404", server_port);
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_OK);
    MUE_ASSERT_INT_EQ(resp.status, 404);
    MUE_ASSERT_INT_EQ(resp.retry_after_s, -1);
    /* The date form of Retry-After is not read. */
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/status/429", server_port);
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_OK);
    MUE_ASSERT_INT_EQ(resp.status, 429);
    MUE_ASSERT_INT_EQ(resp.retry_after_s, -1);
}

static void test_a_long_body_is_cut_to_the_buffer_and_flagged(void)
{
    char url[96], body[100];
    struct mue_http_req req;
    struct mue_http_resp resp = { .body = body, .cap = sizeof(body) };

    snprintf(url, sizeof(url), "http://127.0.0.1:%d/big", server_port);
    req = post(url);
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_OK);
    MUE_ASSERT_INT_EQ(resp.status, 200);
    MUE_ASSERT_INT_EQ(resp.truncated, 1);
    MUE_ASSERT_UINT_EQ(resp.len, 99);
    MUE_ASSERT_UINT_EQ(strlen(body), 99);
    /* No buffer at all: the status still comes. */
    resp.body = NULL;
    resp.cap = 0;
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_OK);
    MUE_ASSERT_INT_EQ(resp.status, 200);
    MUE_ASSERT_UINT_EQ(resp.len, 0);
}

static void test_a_silent_server_times_out_near_the_timeout(void)
{
    char url[96], body[64];
    struct mue_http_req req;
    struct mue_http_resp resp = { .body = body, .cap = sizeof(body) };
    int64_t t0, took;

    snprintf(url, sizeof(url), "http://127.0.0.1:%d/slow", server_port);
    req = post(url);
    req.timeout_ms = 300;
    t0 = mue_time_mono_ms();
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_ETIMEDOUT);
    took = mue_time_mono_ms() - t0;
    MUE_ASSERT(took >= 290 && took < 1200);
    MUE_ASSERT(resp.error[0] != '\0');
}

static void test_nothing_listening_is_connection_refused(void)
{
    char url[96], body[64];
    struct mue_http_req req;
    struct mue_http_resp resp = { .body = body, .cap = sizeof(body) };
    int fd, port = loopback_port(0, &fd);

    snprintf(url, sizeof(url), "http://127.0.0.1:%d/x", port);
    req = post(url);
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), -ECONNREFUSED);
    MUE_ASSERT(strstr(resp.error, "127.0.0.1") != NULL);
}

static void test_an_unknown_host_is_unreachable(void)
{
    char body[64];
    struct mue_http_req req = post("http://no-such-host.invalid/x");
    struct mue_http_resp resp = { .body = body, .cap = sizeof(body) };

    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), -EHOSTUNREACH);
}

static void test_a_peer_that_closes_without_answering_is_a_reset(void)
{
    struct raw_peer p;
    char url[96], body[64];
    struct mue_http_req req;
    struct mue_http_resp resp = { .body = body, .cap = sizeof(body) };

    snprintf(url, sizeof(url), "http://127.0.0.1:%d/x", raw_peer_start(&p, ""));
    req = post(url);
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), -ECONNRESET);
    raw_peer_stop(&p);
}

static void test_an_answer_that_is_not_http_is_a_protocol_error(void)
{
    struct raw_peer p;
    char url[96], body[64];
    struct mue_http_req req;
    struct mue_http_resp resp = { .body = body, .cap = sizeof(body) };

    snprintf(url, sizeof(url), "http://127.0.0.1:%d/x",
             raw_peer_start(&p, "SSH-2.0-OpenSSH_9.2\r\n\r\n"));
    req = post(url);
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), -EPROTO);
    raw_peer_stop(&p);
}

static void test_a_body_cut_short_of_its_length_is_a_reset(void)
{
    struct raw_peer p;
    char url[96], body[64];
    struct mue_http_req req;
    struct mue_http_resp resp = { .body = body, .cap = sizeof(body) };

    snprintf(url, sizeof(url), "http://127.0.0.1:%d/x",
             raw_peer_start(&p, "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{\"id\":"));
    req = post(url);
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), -ECONNRESET);
    raw_peer_stop(&p);
}

/* Where civetweb can load libssl the handshake with a plain server fails; where it cannot
 * (Debian bookworm: OpenSSL 3) https is refused before connecting. Either way nothing is sent in
 * clear text to an https URL. */
static void test_https_to_a_plain_server_never_falls_back_to_clear_text(void)
{
    char url[96], body[64];
    struct mue_http_req req;
    struct mue_http_resp resp = { .body = body, .cap = sizeof(body) };

    snprintf(url, sizeof(url), "https://127.0.0.1:%d/echo", server_port);
    req = post(url);
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp),
                      mue_http_client_has_tls() ? -EPROTO : -EPROTONOSUPPORT);
    MUE_ASSERT_INT_EQ(resp.status, 0);
}

/* A CR or LF would let a value (a token from the environment) add headers of its own. */
static void test_header_injection_and_bad_arguments_send_nothing(void)
{
    static const char *const injected[] = { "Authorization: Bearer x\r\nX-Admin: 1", NULL };
    static const char *const no_colon[] = { "Authorization Bearer x", NULL };
    char url[96], body[64];
    struct mue_http_req req;
    struct mue_http_resp resp = { .body = body, .cap = sizeof(body) };

    snprintf(url, sizeof(url), "http://127.0.0.1:%d/echo", server_port);
    req = post(url);
    req.headers = injected;
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_EINVAL);
    req.headers = no_colon;
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_EINVAL);
    req = post(url);
    req.content_type = "text/plain\nX: y";
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_EINVAL);
    req = post(url);
    req.method = "post";
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_EINVAL);
    req = post("not a url");
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_EINVAL);
    req = post(url);
    req.timeout_ms = 0;
    MUE_ASSERT_INT_EQ(mue_http_request(&req, &resp), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(resp.status, 0);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_urls_parse_into_scheme_host_port_and_path),
        MUE_TEST(test_bad_urls_are_refused_and_leave_out_untouched),
        MUE_TEST(test_post_sends_method_path_headers_and_body),
        MUE_TEST(test_get_without_body_and_without_content_type),
        MUE_TEST(test_error_statuses_are_answers_with_their_body_and_retry_after),
        MUE_TEST(test_a_long_body_is_cut_to_the_buffer_and_flagged),
        MUE_TEST(test_a_silent_server_times_out_near_the_timeout),
        MUE_TEST(test_nothing_listening_is_connection_refused),
        MUE_TEST(test_an_unknown_host_is_unreachable),
        MUE_TEST(test_a_peer_that_closes_without_answering_is_a_reset),
        MUE_TEST(test_an_answer_that_is_not_http_is_a_protocol_error),
        MUE_TEST(test_a_body_cut_short_of_its_length_is_a_reset),
        MUE_TEST(test_https_to_a_plain_server_never_falls_back_to_clear_text),
        MUE_TEST(test_header_injection_and_bad_arguments_send_nothing),
    };
    char listen[32];
    const char *options[] = { "listening_ports", listen, "num_threads", "4", NULL };
    struct mg_callbacks cb;
    int fd, rc;

    signal(SIGPIPE, SIG_IGN);
    mue_http_client_init();
    server_port = loopback_port(0, &fd);
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", server_port);
    memset(&cb, 0, sizeof(cb));
    server = mg_start(&cb, NULL, options);
    if (server == NULL) {
        fprintf(stderr, "cannot start the test server on %s\n", listen);
        return 1;
    }
    mg_set_request_handler(server, "/echo", handle_echo, NULL);
    mg_set_request_handler(server, "/status/", handle_status, NULL);
    mg_set_request_handler(server, "/big$", handle_big, NULL);
    mg_set_request_handler(server, "/slow$", handle_slow, NULL);
    rc = mue_test_run("mue_http_client", tests);
    mg_stop(server);
    return rc;
}
