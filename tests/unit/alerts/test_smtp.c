/* test_smtp.c - unit tests of the SMTP client against a scripted relay on a loopback thread:
 * the dialogue, dot-stuffing, the encoded subject, what is permanent and what is not.
 * SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mue_base64.h"
#include "mue_err.h"
#include "mue_time.h"
#include "smtp.h"
#include "../mue_test.h"

/* What the scripted relay answers; NULL fields get a plain success. */
struct relay {
    const char *greeting;
    const char *ehlo; /* may hold several lines, "250-...\r\n250 ..." */
    const char *helo;
    const char *mail;
    const char *rcpt[4]; /* by the recipient's rank */
    const char *data;
    const char *end; /* after the final dot */
    bool silent;     /* accept, then say nothing */
    /* Filled by the relay's thread. */
    int listen_fd;
    int port;
    bool connected;
    char transcript[128 * 1024]; /* every byte the client sent */
    size_t len;
    pthread_t thread;
};

static struct relay relay;

static void say(int fd, const char *reply)
{
    char line[1024];
    int n = snprintf(line, sizeof(line), "%s\r\n", reply);
    if (write(fd, line, (size_t)n) != n)
        return;
}

/* Reads one line into the transcript; returns a pointer to it (NUL-terminated, CRLF kept) or
 * NULL when the client went away or stayed silent for 3 s. */
static const char *next_line(int fd)
{
    size_t start = relay.len;

    while (relay.len + 1 < sizeof(relay.transcript)) {
        struct pollfd p = { fd, POLLIN, 0 };
        char c;
        if (poll(&p, 1, 3000) <= 0 || read(fd, &c, 1) != 1)
            return NULL;
        relay.transcript[relay.len++] = c;
        relay.transcript[relay.len] = '\0';
        if (c == '\n')
            return relay.transcript + start;
    }
    return NULL;
}

static void *relay_main(void *arg)
{
    struct pollfd p = { relay.listen_fd, POLLIN, 0 };
    const char *line;
    int fd, nrcpt = 0;
    bool in_data = false;
    (void)arg;

    if (poll(&p, 1, 3000) <= 0)
        return NULL;
    fd = accept(relay.listen_fd, NULL, NULL);
    if (fd < 0)
        return NULL;
    relay.connected = true;
    if (relay.silent) {
        next_line(fd); /* waits out the client */
        close(fd);
        return NULL;
    }
    say(fd, relay.greeting ? relay.greeting : "220 relay.test ESMTP");
    while ((line = next_line(fd)) != NULL) {
        if (in_data) {
            if (strcmp(line, ".\r\n") == 0) {
                in_data = false;
                say(fd, relay.end ? relay.end : "250 2.0.0 queued as 42");
            }
        } else if (strncmp(line, "EHLO ", 5) == 0) {
            say(fd, relay.ehlo ? relay.ehlo : "250 relay.test");
        } else if (strncmp(line, "HELO ", 5) == 0) {
            say(fd, relay.helo ? relay.helo : "250 relay.test");
        } else if (strncmp(line, "MAIL FROM:", 10) == 0) {
            say(fd, relay.mail ? relay.mail : "250 2.1.0 ok");
        } else if (strncmp(line, "RCPT TO:", 8) == 0) {
            const char *r = nrcpt < 4 ? relay.rcpt[nrcpt] : NULL;
            nrcpt++;
            say(fd, r ? r : "250 2.1.5 ok");
        } else if (strcmp(line, "DATA\r\n") == 0) {
            const char *r = relay.data ? relay.data : "354 go ahead";
            in_data = strncmp(r, "354", 3) == 0;
            say(fd, r);
        } else if (strcmp(line, "QUIT\r\n") == 0) {
            say(fd, "221 2.0.0 bye");
            break;
        } else {
            say(fd, "500 5.5.1 what?");
        }
    }
    close(fd);
    return NULL;
}

/* Starts the relay on a free loopback port with the given script. */
static void relay_start(const struct relay *script)
{
    struct sockaddr_in sa;
    socklen_t salen = sizeof(sa);

    relay = *script;
    relay.len = 0;
    relay.connected = false;
    relay.transcript[0] = '\0';
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    relay.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    MUE_ASSERT(relay.listen_fd >= 0);
    MUE_ASSERT(bind(relay.listen_fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    MUE_ASSERT(getsockname(relay.listen_fd, (struct sockaddr *)&sa, &salen) == 0);
    MUE_ASSERT(listen(relay.listen_fd, 4) == 0);
    relay.port = ntohs(sa.sin_port);
    MUE_ASSERT(pthread_create(&relay.thread, NULL, relay_main, NULL) == 0);
}

static void relay_stop(void)
{
    pthread_join(relay.thread, NULL);
    close(relay.listen_fd);
}

static const char *const two_to[] = { "voirie@metropole.test", "astreinte@metropole.test" };

/* A mail to the relay's port. */
static struct smtp_mail mail(char *server, size_t cap, const char *subject, const char *body)
{
    struct smtp_mail m = { server, "mue.test", "alertes@metropole.test", two_to, 2, subject,
                           body,   2000 };

    snprintf(server, cap, "127.0.0.1:%d", relay.port);
    return m;
}

/* The DATA part of the transcript: from after "354"'s command to the final dot line. */
static const char *data_part(void)
{
    const char *p = strstr(relay.transcript, "DATA\r\n");
    return p ? p + 6 : "";
}

/* The value of header 'name' in the DATA part, unfolded, into out. */
static void header(const char *name, char *out, size_t cap)
{
    const char *d = data_part(), *p = d;
    size_t nlen = strlen(name), n = 0;

    out[0] = '\0';
    while (*p != '\0' && strncmp(p, "\r\n", 2) != 0) {
        if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
            p += nlen + 1;
            while (*p == ' ')
                p++;
            for (;;) {
                const char *eol = strstr(p, "\r\n");
                size_t len = (size_t)(eol - p);
                if (n + len + 1 > cap)
                    len = cap - n - 1;
                memcpy(out + n, p, len);
                n += len;
                out[n] = '\0';
                p = eol + 2;
                if (*p != ' ' && *p != '\t')
                    return;
                while (*p == ' ' || *p == '\t')
                    p++;
            }
        }
        p = strstr(p, "\r\n") + 2;
    }
}

/* Decodes a run of "=?UTF-8?B?...?=" words (without spaces between them once unfolded). */
static void decode_words(const char *in, char *out, size_t cap)
{
    size_t n = 0;

    out[0] = '\0';
    while (strncmp(in, "=?UTF-8?B?", 10) == 0) {
        const char *end = strstr(in + 10, "?=");
        int got;
        MUE_ASSERT(end != NULL);
        got = mue_base64_decode(in + 10, (size_t)(end - in - 10), (uint8_t *)out + n, cap - n - 1);
        MUE_ASSERT(got >= 0);
        n += (size_t)got;
        out[n] = '\0';
        in = end + 2;
    }
    MUE_ASSERT_STR_EQ(in, "");
}

static void test_sends_the_dialogue_in_order(void)
{
    struct relay script = { 0 };
    char server[64], err[256];
    bool permanent = true;
    struct smtp_mail m;
    const char *t;

    relay_start(&script);
    m = mail(server, sizeof(server), "Test", "Bonjour\n");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), 0);
    relay_stop();
    MUE_ASSERT_STR_EQ(err, "");
    MUE_ASSERT(!permanent);
    t = relay.transcript;
    MUE_ASSERT(
        strncmp(t,
                "EHLO mue.test\r\nMAIL FROM:<alertes@metropole.test>\r\n"
                "RCPT TO:<voirie@metropole.test>\r\nRCPT TO:<astreinte@metropole.test>\r\n"
                "DATA\r\n",
                strlen("EHLO mue.test\r\nMAIL FROM:<alertes@metropole.test>\r\n"
                       "RCPT TO:<voirie@metropole.test>\r\nRCPT TO:<astreinte@metropole.test>"
                       "\r\nDATA\r\n")) == 0);
    MUE_ASSERT(strstr(t, "\r\n\r\nBonjour\r\n.\r\nQUIT\r\n") != NULL);
}

static void test_dot_stuffs_and_ends_lines_with_crlf(void)
{
    struct relay script = { 0 };
    char server[64], err[256];
    bool permanent;
    struct smtp_mail m;

    relay_start(&script);
    m = mail(server, sizeof(server), "Test", "Bonjour\n.\n.caché\r\nfin");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), 0);
    relay_stop();
    MUE_ASSERT(strstr(data_part(), "\r\n\r\nBonjour\r\n..\r\n..caché\r\nfin\r\n.\r\n") != NULL);
    for (size_t i = 0; i < relay.len; i++)
        if (relay.transcript[i] == '\n')
            MUE_ASSERT(i > 0 && relay.transcript[i - 1] == '\r');
}

static void test_writes_the_mime_headers(void)
{
    struct relay script = { 0 };
    char server[64], err[256], v[512];
    bool permanent;
    struct smtp_mail m;

    relay_start(&script);
    m = mail(server, sizeof(server), "Test", "x");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), 0);
    relay_stop();
    header("From", v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "alertes@metropole.test");
    header("To", v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "voirie@metropole.test, astreinte@metropole.test");
    header("Content-Type", v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "text/plain; charset=UTF-8");
    header("Content-Transfer-Encoding", v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "8bit");
    header("MIME-Version", v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "1.0");
    header("Message-ID", v, sizeof(v));
    MUE_ASSERT(v[0] == '<' && strstr(v, "@metropole.test>") != NULL);
    header("Date", v, sizeof(v));
    /* "Thu, 28 Nov 2024 23:09:41 +0100": a day name, a comma, Paris's offset. */
    MUE_ASSERT(strlen(v) >= 29 && v[3] == ',');
    MUE_ASSERT(strstr(v, " +0100") != NULL || strstr(v, " +0200") != NULL);
}

static void test_encodes_a_non_ascii_subject_in_whole_characters(void)
{
    static const char subject[] = "[mue] Alerte critique : Conteneur presque plein — "
                                  "pav-aix-001 (+2 événements) ééééééééééééééééééééé";
    struct relay script = { 0 };
    char server[64], err[256], v[1024], decoded[1024];
    bool permanent;
    struct smtp_mail m;
    const char *d, *eol;

    relay_start(&script);
    m = mail(server, sizeof(server), subject, "x");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), 0);
    relay_stop();
    header("Subject", v, sizeof(v));
    MUE_ASSERT(strncmp(v, "=?UTF-8?B?", 10) == 0);
    decode_words(v, decoded, sizeof(decoded));
    MUE_ASSERT_STR_EQ(decoded, subject);
    /* Every line of the header block is within RFC 2047's 76 characters. */
    for (d = data_part(); strncmp(d, "\r\n", 2) != 0; d = eol + 2) {
        eol = strstr(d, "\r\n");
        if (strncmp(d, "Subject:", 8) == 0 || d[0] == ' ')
            MUE_ASSERT((size_t)(eol - d) <= 76);
    }
}

static void test_leaves_an_ascii_subject_plain(void)
{
    struct relay script = { 0 };
    char server[64], err[256], v[256];
    bool permanent;
    struct smtp_mail m;

    relay_start(&script);
    m = mail(server, sizeof(server), "[mue] Alerte : pluie > 20 mm", "x");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), 0);
    relay_stop();
    header("Subject", v, sizeof(v));
    MUE_ASSERT_STR_EQ(v, "[mue] Alerte : pluie > 20 mm");
}

static void test_reads_a_multi_line_ehlo_reply_and_asks_for_8bitmime(void)
{
    struct relay script = { .ehlo = "250-relay.test greets mue.test\r\n250-SIZE 10240000\r\n"
                                    "250-8BITMIME\r\n250 ENHANCEDSTATUSCODES" };
    char server[64], err[256];
    bool permanent;
    struct smtp_mail m;

    relay_start(&script);
    m = mail(server, sizeof(server), "Test", "résolue\n");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), 0);
    relay_stop();
    MUE_ASSERT(strstr(relay.transcript, "MAIL FROM:<alertes@metropole.test> BODY=8BITMIME\r\n") !=
               NULL);
}

static void test_does_not_ask_for_8bitmime_for_an_ascii_body(void)
{
    struct relay script = { .ehlo = "250-relay.test\r\n250 8BITMIME" };
    char server[64], err[256];
    bool permanent;
    struct smtp_mail m;

    relay_start(&script);
    m = mail(server, sizeof(server), "Test", "resolue\n");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), 0);
    relay_stop();
    MUE_ASSERT(strstr(relay.transcript, "MAIL FROM:<alertes@metropole.test>\r\n") != NULL);
}

static void test_falls_back_to_helo_when_ehlo_is_refused(void)
{
    struct relay script = { .ehlo = "502 5.5.2 command not implemented" };
    char server[64], err[256];
    bool permanent;
    struct smtp_mail m;

    relay_start(&script);
    m = mail(server, sizeof(server), "Test", "x");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), 0);
    relay_stop();
    MUE_ASSERT(strstr(relay.transcript, "EHLO mue.test\r\nHELO mue.test\r\nMAIL FROM:") != NULL);
}

static void test_a_5xx_refusal_is_permanent(void)
{
    struct relay script = { .mail = "550 5.7.1 sender not allowed" };
    char server[64], err[256];
    bool permanent = false;
    struct smtp_mail m;

    relay_start(&script);
    m = mail(server, sizeof(server), "Test", "x");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), -EREMOTEIO);
    relay_stop();
    MUE_ASSERT(permanent);
    MUE_ASSERT_STR_EQ(err, "MAIL FROM: 550 5.7.1 sender not allowed");
    MUE_ASSERT(strstr(relay.transcript, "RCPT TO") == NULL);
}

static void test_a_4xx_refusal_is_not_permanent(void)
{
    struct relay script = { .end = "451 4.3.0 queue full, try later" };
    char server[64], err[256];
    bool permanent = true;
    struct smtp_mail m;

    relay_start(&script);
    m = mail(server, sizeof(server), "Test", "x");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), -EAGAIN);
    relay_stop();
    MUE_ASSERT(!permanent);
    MUE_ASSERT_STR_EQ(err, "end of data: 451 4.3.0 queue full, try later");
}

static void test_a_4xx_to_data_is_not_permanent(void)
{
    struct relay script = { .data = "451 4.7.1 greylisted" };
    char server[64], err[256];
    bool permanent = true;
    struct smtp_mail m;

    relay_start(&script);
    m = mail(server, sizeof(server), "Test", "x");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), -EAGAIN);
    relay_stop();
    MUE_ASSERT(!permanent);
    MUE_ASSERT(strstr(err, "451") != NULL);
}

static void test_a_refused_recipient_leaves_the_others_served(void)
{
    struct relay script = { .rcpt = { "550 5.1.1 no such user" } };
    char server[64], err[256];
    bool permanent = true;
    struct smtp_mail m;

    relay_start(&script);
    m = mail(server, sizeof(server), "Test", "x");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), 0);
    relay_stop();
    MUE_ASSERT(!permanent);
    MUE_ASSERT_STR_EQ(err, "refused by the relay: voirie@metropole.test (550 5.1.1 no such user)");
    MUE_ASSERT(strstr(relay.transcript, "\r\n.\r\nQUIT\r\n") != NULL);
}

static void test_every_recipient_refused_sends_nothing(void)
{
    struct relay script = { .rcpt = { "550 5.1.1 no such user", "553 5.1.3 bad address" } };
    char server[64], err[256];
    bool permanent = false;
    struct smtp_mail m;

    relay_start(&script);
    m = mail(server, sizeof(server), "Test", "x");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), -EREMOTEIO);
    relay_stop();
    MUE_ASSERT(permanent);
    MUE_ASSERT(strstr(relay.transcript, "DATA") == NULL);
}

/* Nothing listens on the port: the server string is checked, the addresses too, and nothing is
 * sent; a refused header must fail before any connection. */
static void expect_refused_input(struct smtp_mail m)
{
    char err[256];
    bool permanent = false;

    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), MUE_EINVAL);
    MUE_ASSERT(permanent);
    MUE_ASSERT(err[0] != '\0');
}

static void test_refuses_header_injection_before_connecting(void)
{
    static const char *const evil_to[] = { "a@b.test>\r\nRCPT TO:<c@d.test" };
    static const char *const bracket_to[] = { "a@b.test>" };
    static const char *const space_to[] = { "a b@c.test" };
    static const char *const no_at[] = { "voirie" };
    struct smtp_mail m = { "127.0.0.1:1", "mue.test", "alertes@metropole.test", two_to, 2, "Test",
                           "corps\n",     500 };
    struct smtp_mail bad = m;

    bad.subject = "Test\r\nBcc: everyone@metropole.test";
    expect_refused_input(bad);
    bad = m;
    bad.subject = "Test\nX: y";
    expect_refused_input(bad);
    bad = m;
    bad.from = "alertes@metropole.test>";
    expect_refused_input(bad);
    bad = m;
    bad.to = evil_to;
    bad.nto = 1;
    expect_refused_input(bad);
    bad.to = bracket_to;
    expect_refused_input(bad);
    bad.to = space_to;
    expect_refused_input(bad);
    bad.to = no_at;
    expect_refused_input(bad);
    bad = m;
    bad.nto = 0;
    expect_refused_input(bad);
    bad = m;
    bad.subject = "caf\xe9"; /* Latin-1, not UTF-8 */
    expect_refused_input(bad);
    bad = m;
    bad.body = "\xc3\x28";
    expect_refused_input(bad);
    bad = m;
    bad.helo = "mue test";
    expect_refused_input(bad);
    bad = m;
    bad.server = "127.0.0.1:99999";
    expect_refused_input(bad);
    bad.server = "::1:25";
    expect_refused_input(bad);
}

static void test_breaks_long_lines_at_character_boundaries(void)
{
    struct relay script = { 0 };
    char server[64], err[256], *body = malloc(3001);
    bool permanent;
    struct smtp_mail m;
    const char *d, *eol;
    size_t total = 0;

    MUE_ASSERT(body != NULL);
    body[0] = 'a'; /* shifts the 2-byte characters so that 998 falls inside one */
    for (size_t i = 1; i + 1 < 3000; i += 2)
        memcpy(body + i, "\xc3\xa9", 2);
    body[2999] = '\0';
    relay_start(&script);
    m = mail(server, sizeof(server), "Test", body);
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), 0);
    relay_stop();
    d = strstr(data_part(), "\r\n\r\n") + 4;
    for (; strncmp(d, ".\r\n", 3) != 0; d = eol + 2) {
        eol = strstr(d, "\r\n");
        MUE_ASSERT(eol != NULL);
        MUE_ASSERT((size_t)(eol - d) <= 998);
        MUE_ASSERT(((unsigned char)*d & 0xc0) != 0x80); /* no line starts inside a character */
        total += (size_t)(eol - d);
    }
    MUE_ASSERT_UINT_EQ(total, 2999);
    free(body);
}

static void test_a_silent_server_times_out(void)
{
    struct relay script = { .silent = true };
    char server[64], err[256];
    bool permanent = true;
    struct smtp_mail m;
    int64_t t0;

    relay_start(&script);
    m = mail(server, sizeof(server), "Test", "x");
    m.timeout_ms = 300;
    t0 = mue_time_mono_ms();
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), MUE_ETIMEDOUT);
    MUE_ASSERT(mue_time_mono_ms() - t0 < 2000);
    relay_stop();
    MUE_ASSERT(!permanent);
    MUE_ASSERT(relay.connected);
}

static void test_a_server_that_does_not_speak_smtp_is_a_protocol_error(void)
{
    struct relay script = { .greeting = "HTTP/1.1 400 Bad Request" };
    char server[64], err[256];
    bool permanent = true;
    struct smtp_mail m;

    relay_start(&script);
    m = mail(server, sizeof(server), "Test", "x");
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), -EPROTO);
    relay_stop();
    MUE_ASSERT(!permanent);
}

static void test_a_refused_connection_is_not_permanent(void)
{
    struct relay script = { .silent = true };
    char server[64], err[256];
    bool permanent = true;
    struct smtp_mail m;
    int port;

    /* A port that was free a moment ago and has nothing listening now. */
    relay_start(&script);
    port = relay.port;
    shutdown(relay.listen_fd, SHUT_RDWR);
    relay_stop();
    m = mail(server, sizeof(server), "Test", "x");
    snprintf(server, sizeof(server), "127.0.0.1:%d", port);
    MUE_ASSERT_INT_EQ(smtp_send(&m, err, sizeof(err), &permanent), -ECONNREFUSED);
    MUE_ASSERT(!permanent);
    MUE_ASSERT(strstr(err, "cannot connect") != NULL);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_sends_the_dialogue_in_order),
        MUE_TEST(test_dot_stuffs_and_ends_lines_with_crlf),
        MUE_TEST(test_writes_the_mime_headers),
        MUE_TEST(test_encodes_a_non_ascii_subject_in_whole_characters),
        MUE_TEST(test_leaves_an_ascii_subject_plain),
        MUE_TEST(test_reads_a_multi_line_ehlo_reply_and_asks_for_8bitmime),
        MUE_TEST(test_does_not_ask_for_8bitmime_for_an_ascii_body),
        MUE_TEST(test_falls_back_to_helo_when_ehlo_is_refused),
        MUE_TEST(test_a_5xx_refusal_is_permanent),
        MUE_TEST(test_a_4xx_refusal_is_not_permanent),
        MUE_TEST(test_a_4xx_to_data_is_not_permanent),
        MUE_TEST(test_a_refused_recipient_leaves_the_others_served),
        MUE_TEST(test_every_recipient_refused_sends_nothing),
        MUE_TEST(test_refuses_header_injection_before_connecting),
        MUE_TEST(test_breaks_long_lines_at_character_boundaries),
        MUE_TEST(test_a_silent_server_times_out),
        MUE_TEST(test_a_server_that_does_not_speak_smtp_is_a_protocol_error),
        MUE_TEST(test_a_refused_connection_is_not_permanent),
    };
    signal(SIGPIPE, SIG_IGN); /* the relay answers clients that may have gone */
    return mue_test_run("smtp", tests);
}
