/* test_mue_admin.c - unit tests for the admin endpoint: /healthz, /metrics, 404, port conflicts.
 * SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "mue_admin.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_metrics.h"
#include "../loopback.h"
#include "../mue_test.h"

/* What the health callback answers; the server calls it on its own thread. */
struct health {
    int rc;
    const char *reason;
    int calls;
};

static int health_cb(void *arg, char *reason, size_t cap)
{
    struct health *h = arg;

    int rc = __atomic_load_n(&h->rc, __ATOMIC_RELAXED);

    __atomic_fetch_add(&h->calls, 1, __ATOMIC_RELAXED);
    if (rc < 0)
        snprintf(reason, cap, "%s", h->reason);
    return rc;
}

/* 'raw' holds the answer: the head (NUL-terminated where the blank line was), then the body. */
struct response {
    int status;
    char *raw;
    const char *head;
    const char *body;
};

static void response_fini(struct response *r)
{
    free(r->raw);
    r->raw = NULL;
}

/* GET 'path' from 127.0.0.1:'port' with a plain HTTP/1.1 request. Returns 0, or -1 when the
 * connection failed or the answer was not HTTP. */
static int http_get(int port, const char *path, struct response *r)
{
    struct sockaddr_in sa;
    struct timeval tv = { 5, 0 };
    char req[512], *raw, *sep;
    size_t used = 0, cap = 1 << 20;
    ssize_t n;
    int fd, rc = -1;

    r->status = -1;
    r->raw = NULL;
    r->head = r->body = "";
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((uint16_t)port);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        close(fd);
        return -1;
    }
    snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n",
             path, port);
    if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
        close(fd);
        return -1;
    }
    raw = calloc(cap + 1, 1);
    while (used < cap && (n = read(fd, raw + used, cap - used)) > 0)
        used += (size_t)n;
    close(fd);
    sep = strstr(raw, "\r\n\r\n");
    if (sep != NULL && sscanf(raw, "HTTP/1.%*d %d", &r->status) == 1) {
        sep[2] = '\0';
        r->raw = raw;
        r->head = raw;
        r->body = sep + 4;
        return 0;
    }
    free(raw);
    return rc;
}

/* Opens the admin endpoint on 127.0.0.1 at a free port; returns that port. */
static int open_admin(struct mue_admin **a, struct health *h)
{
    char listen[32];
    int port = free_port();

    MUE_ASSERT(port > 0);
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
    MUE_ASSERT_INT_EQ(mue_admin_open(a, listen, h ? health_cb : NULL, h), MUE_OK);
    return port;
}

/* One server for the tests that only make requests; each sets what the callback answers. */
static struct health shared_health;
static struct mue_admin *shared_admin;
static int shared_port;

static int shared_server(int rc, const char *reason)
{
    if (shared_admin == NULL)
        shared_port = open_admin(&shared_admin, &shared_health);
    shared_health.reason = reason;
    __atomic_store_n(&shared_health.rc, rc, __ATOMIC_RELAXED);
    __atomic_store_n(&shared_health.calls, 0, __ATOMIC_RELAXED);
    return shared_port;
}

static void test_healthz_answers_200_ok_when_healthy(void)
{
    struct response r;
    int got = http_get(shared_server(0, NULL), "/healthz", &r);

    MUE_ASSERT_INT_EQ(got, 0);
    MUE_ASSERT_INT_EQ(r.status, 200);
    MUE_ASSERT_STR_EQ(r.body, "{\"status\":\"ok\"}\n");
    MUE_ASSERT(strstr(r.head, "Content-Type: application/json") != NULL);
    MUE_ASSERT_INT_EQ(shared_health.calls, 1);
    response_fini(&r);
}

static void test_healthz_answers_503_with_the_reason_when_unhealthy(void)
{
    struct response r;
    int got = http_get(shared_server(MUE_EBUS, "nats disconnected"), "/healthz", &r);

    MUE_ASSERT_INT_EQ(got, 0);
    MUE_ASSERT_INT_EQ(r.status, 503);
    MUE_ASSERT_STR_EQ(r.body, "{\"status\":\"unavailable\",\"reason\":\"nats disconnected\"}\n");
    MUE_ASSERT(strstr(r.head, "Content-Type: application/json") != NULL);
    response_fini(&r);
}

static void test_healthz_escapes_quotes_in_the_reason(void)
{
    struct response r;
    int got = http_get(shared_server(MUE_EDB, "db said \"no\"\n"), "/healthz", &r);

    MUE_ASSERT_INT_EQ(got, 0);
    MUE_ASSERT_INT_EQ(r.status, 503);
    MUE_ASSERT_STR_EQ(r.body, "{\"status\":\"unavailable\",\"reason\":\"db said \\\"no\\\"?\"}\n");
    response_fini(&r);
}

static void test_healthz_follows_the_callback_from_request_to_request(void)
{
    struct response r1, r2, r3;
    int port = shared_server(0, "x");
    int g1, g2, g3;

    g1 = http_get(port, "/healthz", &r1);
    __atomic_store_n(&shared_health.rc, MUE_EDB, __ATOMIC_RELAXED);
    g2 = http_get(port, "/healthz", &r2);
    __atomic_store_n(&shared_health.rc, 0, __ATOMIC_RELAXED);
    g3 = http_get(port, "/healthz", &r3);
    MUE_ASSERT_INT_EQ(g1 | g2 | g3, 0);
    MUE_ASSERT_INT_EQ(r1.status, 200);
    MUE_ASSERT_INT_EQ(r2.status, 503);
    MUE_ASSERT_INT_EQ(r3.status, 200);
    MUE_ASSERT_INT_EQ(shared_health.calls, 3);
    response_fini(&r1);
    response_fini(&r2);
    response_fini(&r3);
}

static void test_healthz_without_a_callback_is_ok(void)
{
    struct mue_admin *a = NULL;
    struct response r;
    int port = open_admin(&a, NULL);
    int got = http_get(port, "/healthz", &r);

    mue_admin_close(a);
    MUE_ASSERT_INT_EQ(got, 0);
    MUE_ASSERT_INT_EQ(r.status, 200);
    MUE_ASSERT_STR_EQ(r.body, "{\"status\":\"ok\"}\n");
    response_fini(&r);
}

static void test_metrics_returns_the_registered_counters(void)
{
    struct mue_metric *m =
        mue_metrics_counter("mue_test_admin_requests_total", "route=\"x\"", "requests seen");
    struct response r;
    int got;

    mue_metric_add(m, 3);
    got = http_get(shared_server(0, NULL), "/metrics", &r);
    MUE_ASSERT_INT_EQ(got, 0);
    MUE_ASSERT_INT_EQ(r.status, 200);
    MUE_ASSERT(strstr(r.head, "Content-Type: text/plain") != NULL);
    MUE_ASSERT(strstr(r.body, "# TYPE mue_test_admin_requests_total counter\n") != NULL);
    MUE_ASSERT(strstr(r.body, "\nmue_test_admin_requests_total{route=\"x\"} 3\n") != NULL);
    response_fini(&r);
}

/* A scraper learns what /healthz would say, so that an alert rule can see a sick service. */
static void test_metrics_tell_the_health(void)
{
    struct response r1, r2;
    int g1 = http_get(shared_server(0, NULL), "/metrics", &r1);
    int g2 = http_get(shared_server(MUE_EDB, "postgresql unreachable"), "/metrics", &r2);

    MUE_ASSERT_INT_EQ(g1, 0);
    MUE_ASSERT_INT_EQ(g2, 0);
    MUE_ASSERT(strstr(r1.body, "# TYPE mue_healthy gauge\nmue_healthy 1\n") != NULL);
    MUE_ASSERT(strstr(r2.body, "# TYPE mue_healthy gauge\nmue_healthy 0\n") != NULL);
    MUE_ASSERT_INT_EQ(r2.status, 200);
    response_fini(&r1);
    response_fini(&r2);
}

static void test_unknown_path_is_404(void)
{
    struct response r1, r2;
    int port = shared_server(0, NULL);
    int g1 = http_get(port, "/nothing-here", &r1);
    int g2 = http_get(port, "/", &r2);

    MUE_ASSERT_INT_EQ(g1, 0);
    MUE_ASSERT_INT_EQ(r1.status, 404);
    MUE_ASSERT_INT_EQ(g2, 0);
    MUE_ASSERT_INT_EQ(r2.status, 404);
    response_fini(&r1);
    response_fini(&r2);
}

static void test_close_of_null_is_fine(void)
{
    mue_admin_close(NULL);
}

static void test_second_open_on_the_same_port_fails_with_einval(void)
{
    struct mue_admin *a = NULL, *b = (struct mue_admin *)&b;
    struct response r;
    char listen[32];
    int port = open_admin(&a, NULL), rc, got;

    snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
    mue_log_min_level = MUE_LOG_ERROR + 1; /* the expected admin.listen_failed line */
    rc = mue_admin_open(&b, listen, NULL, NULL);
    mue_log_min_level = MUE_LOG_INFO;
    got = http_get(port, "/healthz", &r); /* the first one still serves */
    mue_admin_close(a);
    MUE_ASSERT_INT_EQ(rc, MUE_EINVAL);
    MUE_ASSERT(b == (struct mue_admin *)&b); /* out untouched */
    MUE_ASSERT_INT_EQ(got, 0);
    MUE_ASSERT_INT_EQ(r.status, 200);
    response_fini(&r);
}

static void test_open_on_a_bad_address_fails_with_einval(void)
{
    struct mue_admin *a = NULL;
    int rc;

    mue_log_min_level = MUE_LOG_ERROR + 1;
    rc = mue_admin_open(&a, "not-a-port", NULL, NULL);
    mue_log_min_level = MUE_LOG_INFO;
    MUE_ASSERT_INT_EQ(rc, MUE_EINVAL);
    MUE_ASSERT(a == NULL);
}

static void test_port_is_free_again_after_close(void)
{
    struct mue_admin *a = NULL, *b = NULL;
    struct response r;
    char listen[32];
    int port = open_admin(&a, NULL), got;

    mue_admin_close(a);
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
    MUE_ASSERT_INT_EQ(mue_admin_open(&b, listen, NULL, NULL), MUE_OK);
    got = http_get(port, "/healthz", &r);
    mue_admin_close(b);
    MUE_ASSERT_INT_EQ(got, 0);
    MUE_ASSERT_INT_EQ(r.status, 200);
    response_fini(&r);
}

static void test_civetweb_log_callback_logs_and_returns_1(void)
{
    MUE_ASSERT_INT_EQ(mue_admin_civetweb_log(NULL, "socket error"), 1);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_healthz_answers_200_ok_when_healthy),
        MUE_TEST(test_healthz_answers_503_with_the_reason_when_unhealthy),
        MUE_TEST(test_healthz_escapes_quotes_in_the_reason),
        MUE_TEST(test_healthz_follows_the_callback_from_request_to_request),
        MUE_TEST(test_healthz_without_a_callback_is_ok),
        MUE_TEST(test_metrics_returns_the_registered_counters),
        MUE_TEST(test_metrics_tell_the_health),
        MUE_TEST(test_unknown_path_is_404),
        MUE_TEST(test_close_of_null_is_fine),
        MUE_TEST(test_second_open_on_the_same_port_fails_with_einval),
        MUE_TEST(test_open_on_a_bad_address_fails_with_einval),
        MUE_TEST(test_port_is_free_again_after_close),
        MUE_TEST(test_civetweb_log_callback_logs_and_returns_1),
    };
    int rc = mue_test_run("mue_admin", tests);

    mue_admin_close(shared_admin);
    return rc;
}
