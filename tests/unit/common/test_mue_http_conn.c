/* test_mue_http_conn.c - the kept-alive client against a scripted raw-socket server in this
 * process: reuse, chunked bodies, Connection: close, a connection the server dropped, Retry-After,
 * timeouts and refusals.
 * SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mue_err.h"
#include "mue_http_conn.h"
#include "../mue_test.h"

/* The server's script: for each request it reads, it writes answers[i]; a NULL answer closes the
 * connection without a word, "" reads the request and answers nothing (a stalled server). */
struct script {
    const char *answers[8];
    int n;
    int listen_fd, port;
    int accepts, requests;
    char last_request[2048];
};

static int listening_socket(int *port)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 4) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
        return -1;
    *port = ntohs(sa.sin_port);
    return fd;
}

/* Reads one request (head and Content-Length body). Returns 0, or -1 when the peer closed. */
static int read_request(int fd, char *buf, size_t cap)
{
    size_t used = 0;
    char *end = NULL;

    while (end == NULL) {
        ssize_t n = read(fd, buf + used, cap - 1 - used);
        if (n <= 0)
            return -1;
        used += (size_t)n;
        buf[used] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    char *cl = strcasestr(buf, "Content-Length:");
    size_t want = (size_t)(end + 4 - buf) + (cl ? strtoul(cl + 15, NULL, 10) : 0);
    while (used < want) {
        ssize_t n = read(fd, buf + used, cap - 1 - used);
        if (n <= 0)
            return -1;
        used += (size_t)n;
    }
    buf[used] = '\0';
    return 0;
}

static void *serve(void *arg)
{
    struct script *s = arg;
    int fd = -1;

    for (int i = 0; i < s->n; i++) {
        if (fd < 0) {
            fd = accept(s->listen_fd, NULL, NULL);
            s->accepts++;
        }
        if (read_request(fd, s->last_request, sizeof(s->last_request)) < 0) {
            close(fd);
            fd = -1;
            i--;
            continue;
        }
        s->requests++;
        if (s->answers[i] == NULL) {
            close(fd);
            fd = -1;
            continue;
        }
        if (s->answers[i][0] == '\0') {
            sleep(1);
            continue;
        }
        if (write(fd, s->answers[i], strlen(s->answers[i])) < 0)
            break;
        if (strstr(s->answers[i], "Connection: close") != NULL) {
            close(fd);
            fd = -1;
        }
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

static struct mue_http_conn *conn;
static char url[64];
static pthread_t server;

static void start(struct script *s)
{
    s->listen_fd = listening_socket(&s->port);
    MUE_ASSERT(s->listen_fd >= 0);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/base", s->port);
    MUE_ASSERT_INT_EQ(mue_http_conn_new(&conn, url), MUE_OK);
    pthread_create(&server, NULL, serve, s);
}

static void finish(struct script *s)
{
    mue_http_conn_free(conn);
    conn = NULL;
    pthread_join(server, NULL);
    close(s->listen_fd);
}

static int post(const char *body, struct mue_http_conn_resp *r, long timeout_ms)
{
    const char *headers[] = { "Authorization: Bearer s3cret", NULL };

    return mue_http_conn_request(conn, "POST", "/v1/x?event=up", headers, "application/json", body,
                                 strlen(body), timeout_ms, r);
}

#define OK_202 "HTTP/1.1 202 Accepted\r\nContent-Length: 15\r\n\r\n{\"status\":\"ok\"}"

static void test_keeps_the_connection(void)
{
    struct script s = { .answers = { OK_202, OK_202, OK_202 }, .n = 3 };
    char body[64];
    struct mue_http_conn_resp r = { .body = body, .cap = sizeof(body) };

    start(&s);
    for (int i = 0; i < 3; i++) {
        MUE_ASSERT_INT_EQ(post("{\"a\":1}", &r, 2000), MUE_OK);
        MUE_ASSERT_INT_EQ(r.status, 202);
        MUE_ASSERT_STR_EQ(body, "{\"status\":\"ok\"}");
    }
    finish(&s);
    MUE_ASSERT_INT_EQ(s.accepts, 1);
    MUE_ASSERT(strstr(s.last_request, "POST /base/v1/x?event=up HTTP/1.1\r\n") == s.last_request);
    MUE_ASSERT(strstr(s.last_request, "Authorization: Bearer s3cret\r\n") != NULL);
    MUE_ASSERT(strstr(s.last_request, "Content-Length: 7\r\n\r\n{\"a\":1}") != NULL);
}

static void test_chunked_and_truncated_bodies(void)
{
    struct script s = { .answers = { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                     "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
                                     OK_202 },
                        .n = 2 };
    char body[64], small[5];
    struct mue_http_conn_resp r = { .body = body, .cap = sizeof(body) };
    struct mue_http_conn_resp rs = { .body = small, .cap = sizeof(small) };

    start(&s);
    MUE_ASSERT_INT_EQ(post("x", &r, 2000), MUE_OK);
    MUE_ASSERT_INT_EQ(r.status, 200);
    MUE_ASSERT_STR_EQ(body, "hello world");
    /* A body longer than the buffer is read whole (the connection stays usable) and cut. */
    MUE_ASSERT_INT_EQ(post("x", &rs, 2000), MUE_OK);
    MUE_ASSERT_INT_EQ(rs.status, 202);
    MUE_ASSERT_STR_EQ(small, "{\"st");
    finish(&s);
    MUE_ASSERT_INT_EQ(s.accepts, 1);
}

static void test_dials_again_after_a_close(void)
{
    /* The server says it closes, then silently drops a kept connection: both are dialled again,
     * the second by sending the request once more. */
    struct script s = { .answers = { "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 3\r\n"
                                     "Connection: close\r\nContent-Length: 0\r\n\r\n",
                                     OK_202, NULL, OK_202 },
                        .n = 4 };
    char body[64];
    struct mue_http_conn_resp r = { .body = body, .cap = sizeof(body) };

    start(&s);
    MUE_ASSERT_INT_EQ(post("1", &r, 2000), MUE_OK);
    MUE_ASSERT_INT_EQ(r.status, 503);
    MUE_ASSERT_INT_EQ(r.retry_after_s, 3);
    MUE_ASSERT_INT_EQ(post("2", &r, 2000), MUE_OK);
    MUE_ASSERT_INT_EQ(r.status, 202);
    MUE_ASSERT_INT_EQ(r.retry_after_s, -1);
    MUE_ASSERT_INT_EQ(post("3", &r, 2000), MUE_OK);
    MUE_ASSERT_INT_EQ(r.status, 202);
    finish(&s);
    MUE_ASSERT_INT_EQ(s.accepts, 3);
    MUE_ASSERT_INT_EQ(s.requests, 4);
}

static void test_timeouts_and_refusals(void)
{
    struct script s = { .answers = { "" }, .n = 1 };
    char body[16];
    struct mue_http_conn_resp r = { .body = body, .cap = sizeof(body) };
    const char *bad[] = { "X-Evil: a\r\nInjected: b", NULL };
    struct mue_http_conn *c2;
    int port;

    start(&s);
    MUE_ASSERT_INT_EQ(post("x", &r, 200), MUE_ETIMEDOUT);
    MUE_ASSERT_INT_EQ(mue_http_conn_request(conn, "GET", "/", bad, NULL, "", 0, 200, &r),
                      MUE_EINVAL);
    finish(&s);

    /* Nothing listens on a port just closed. */
    close(listening_socket(&port));
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    MUE_ASSERT_INT_EQ(mue_http_conn_new(&c2, url), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_http_conn_request(c2, "GET", "/", NULL, NULL, "", 0, 200, &r),
                      -ECONNREFUSED);
    mue_http_conn_free(c2);
    MUE_ASSERT_INT_EQ(mue_http_conn_new(&c2, "https://127.0.0.1:1"), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_http_conn_new(&c2, "not a url"), MUE_EINVAL);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_keeps_the_connection),
        MUE_TEST(test_chunked_and_truncated_bodies),
        MUE_TEST(test_dials_again_after_a_close),
        MUE_TEST(test_timeouts_and_refusals),
    };

    return mue_test_run("test_mue_http_conn", tests);
}
