/* test_outbound_webhook.c - unit tests of the outgoing webhooks: the signature of a known body, the
 * request a receiver gets, and which answers are worth a retry.
 * SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mue_err.h"
#include "mue_hmac.h"
#include "outbound_webhook.h"
#include "../mue_test.h"

/* A receiver on a loopback thread: takes one request, answers 'status' with 'answer'. */
struct receiver {
    int status;
    const char *answer;
    int listen_fd;
    int port;
    char request[16384]; /* head and body as received */
    size_t len;
    const char *body; /* into request */
    pthread_t thread;
};

static struct receiver rcv;

static void *receiver_main(void *arg)
{
    struct pollfd p = { rcv.listen_fd, POLLIN, 0 };
    char reply[1024];
    const char *head_end = NULL, *cl;
    size_t want = 0;
    int fd, n;
    (void)arg;

    if (poll(&p, 1, 3000) <= 0)
        return NULL;
    fd = accept(rcv.listen_fd, NULL, NULL);
    if (fd < 0)
        return NULL;
    while (rcv.len + 1 < sizeof(rcv.request)) {
        struct pollfd q = { fd, POLLIN, 0 };
        ssize_t got;
        if (poll(&q, 1, 3000) <= 0)
            break;
        got = read(fd, rcv.request + rcv.len, sizeof(rcv.request) - 1 - rcv.len);
        if (got <= 0)
            break;
        rcv.len += (size_t)got;
        rcv.request[rcv.len] = '\0';
        if (head_end == NULL && (head_end = strstr(rcv.request, "\r\n\r\n")) != NULL) {
            cl = strcasestr(rcv.request, "\r\nContent-Length:");
            want = cl != NULL && cl < head_end ? strtoul(cl + 17, NULL, 10) : 0;
            rcv.body = head_end + 4;
        }
        if (head_end != NULL && rcv.len >= (size_t)(rcv.body - rcv.request) + want)
            break;
    }
    n = snprintf(reply, sizeof(reply),
                 "HTTP/1.1 %d Whatever\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
                 "Connection: close\r\n\r\n%s",
                 rcv.status, strlen(rcv.answer), rcv.answer);
    if (write(fd, reply, (size_t)n) != n)
        perror("receiver write");
    close(fd);
    return NULL;
}

static void receiver_start(int status, const char *answer)
{
    struct sockaddr_in sa;
    socklen_t salen = sizeof(sa);

    memset(&rcv, 0, sizeof(rcv));
    rcv.status = status;
    rcv.answer = answer;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    rcv.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    MUE_ASSERT(rcv.listen_fd >= 0);
    MUE_ASSERT(bind(rcv.listen_fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    MUE_ASSERT(getsockname(rcv.listen_fd, (struct sockaddr *)&sa, &salen) == 0);
    MUE_ASSERT(listen(rcv.listen_fd, 4) == 0);
    rcv.port = ntohs(sa.sin_port);
    MUE_ASSERT(pthread_create(&rcv.thread, NULL, receiver_main, NULL) == 0);
}

static void receiver_stop(void)
{
    pthread_join(rcv.thread, NULL);
    close(rcv.listen_fd);
}

/* The value of a request header, copied into out ("" when absent). */
static void request_header(const char *name, char *out, size_t cap)
{
    char key[64];
    const char *p, *eol;

    snprintf(key, sizeof(key), "\r\n%s:", name);
    out[0] = '\0';
    p = strcasestr(rcv.request, key);
    if (p == NULL)
        return;
    p += strlen(key);
    while (*p == ' ')
        p++;
    eol = strstr(p, "\r\n");
    snprintf(out, cap, "%.*s", (int)(eol - p), p);
}

/* Values from Python's hmac module over "<ts>.<body>". */
static void test_signs_the_timestamp_and_the_body(void)
{
    static const char body[] = "{\"channel\":\"voirie\",\"events\":[]}";
    char sig[WEBHOOK_SIGNATURE_LEN];

    webhook_signature("whsec-test", 1732831781, body, strlen(body), sig);
    MUE_ASSERT_STR_EQ(sig,
                      "sha256=233dc8a5edbbe3e25b391f7f6cd834b31df0da68f2a85c5d883d4b8d9180c30a");
    /* Another timestamp, the same body: another signature (a replay with a fresh time fails). */
    webhook_signature("whsec-test", 1732831782, body, strlen(body), sig);
    MUE_ASSERT(
        strcmp(sig, "sha256=233dc8a5edbbe3e25b391f7f6cd834b31df0da68f2a85c5d883d4b8d9180c30a") !=
        0);
}

static void test_an_empty_secret_and_body_still_sign(void)
{
    char sig[WEBHOOK_SIGNATURE_LEN];

    webhook_signature("", 0, NULL, 0, sig);
    MUE_ASSERT_STR_EQ(sig,
                      "sha256=b849d5a581847b281957065739df36df2463d1977ea8d6e1e4e6cf33fadc68c3");
}

static void test_posts_signed_json_a_receiver_can_check(void)
{
    static const char body[] =
        "{\"channel\":\"voirie\",\"group\":\"3:17\",\"events\":[{\"event_id\":1}]}";
    char url[64], err[256], ts[32], sig[128], ctype[64], want[WEBHOOK_SIGNATURE_LEN];
    bool permanent = true;
    long long t;

    receiver_start(204, "");
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hooks/mue", rcv.port);
    MUE_ASSERT_INT_EQ(
        webhook_post(url, "s3cret", body, strlen(body), 2000, err, sizeof(err), &permanent), 0);
    receiver_stop();
    MUE_ASSERT(!permanent);
    MUE_ASSERT(strncmp(rcv.request, "POST /hooks/mue HTTP/1.", 23) == 0);
    MUE_ASSERT_STR_EQ(rcv.body, body);
    request_header("Content-Type", ctype, sizeof(ctype));
    MUE_ASSERT_STR_EQ(ctype, "application/json");
    request_header("X-Mue-Timestamp", ts, sizeof(ts));
    t = strtoll(ts, NULL, 10);
    MUE_ASSERT(llabs(t - (long long)time(NULL)) <= 5);
    request_header("X-Mue-Signature", sig, sizeof(sig));
    webhook_signature("s3cret", t, body, strlen(body), want);
    MUE_ASSERT_STR_EQ(sig, want);
}

/* Posts to a receiver answering 'status'; checks the code and whether it is permanent. */
static void expect_answer(int status, int want_rc, bool want_permanent)
{
    char url[64], err[256];
    bool permanent = !want_permanent;

    receiver_start(status, "{\"error\":\"no\"}");
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", rcv.port);
    MUE_ASSERT_INT_EQ(webhook_post(url, "k", "{}", 2, 2000, err, sizeof(err), &permanent), want_rc);
    receiver_stop();
    if (want_rc != 0) {
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "HTTP %d", status);
        MUE_ASSERT(strncmp(err, prefix, strlen(prefix)) == 0);
        MUE_ASSERT(strstr(err, "{\"error\":\"no\"}") != NULL);
    }
    MUE_ASSERT_INT_EQ(permanent, want_permanent);
}

static void test_2xx_is_success(void)
{
    expect_answer(200, 0, false);
    expect_answer(202, 0, false);
}

static void test_4xx_is_permanent(void)
{
    expect_answer(400, MUE_EINVAL, true);
    expect_answer(401, MUE_EAUTH, true);
    expect_answer(404, MUE_ENOENT, true);
    expect_answer(422, MUE_EINVAL, true);
}

static void test_408_429_and_5xx_are_worth_a_retry(void)
{
    expect_answer(408, -EAGAIN, false);
    expect_answer(429, -EAGAIN, false);
    expect_answer(500, -EAGAIN, false);
    expect_answer(503, -EAGAIN, false);
}

static void test_a_refused_connection_is_worth_a_retry(void)
{
    char url[64], err[256];
    bool permanent = true;
    int port;

    receiver_start(204, "");
    port = rcv.port;
    shutdown(rcv.listen_fd, SHUT_RDWR);
    receiver_stop();
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
    MUE_ASSERT_INT_EQ(webhook_post(url, "k", "{}", 2, 1000, err, sizeof(err), &permanent),
                      -ECONNREFUSED);
    MUE_ASSERT(!permanent);
    MUE_ASSERT(err[0] != '\0');
}

static void test_an_unusable_url_is_permanent(void)
{
    char err[256];
    bool permanent = false;

    MUE_ASSERT_INT_EQ(
        webhook_post("ftp://example.test/x", "k", "{}", 2, 1000, err, sizeof(err), &permanent),
        MUE_EINVAL);
    MUE_ASSERT(permanent);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_signs_the_timestamp_and_the_body),
        MUE_TEST(test_an_empty_secret_and_body_still_sign),
        MUE_TEST(test_posts_signed_json_a_receiver_can_check),
        MUE_TEST(test_2xx_is_success),
        MUE_TEST(test_4xx_is_permanent),
        MUE_TEST(test_408_429_and_5xx_are_worth_a_retry),
        MUE_TEST(test_a_refused_connection_is_worth_a_retry),
        MUE_TEST(test_an_unusable_url_is_permanent),
    };
    signal(SIGPIPE, SIG_IGN);
    return mue_test_run("webhook", tests);
}
