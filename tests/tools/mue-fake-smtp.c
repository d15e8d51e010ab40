/* mue-fake-smtp.c - a stand-in for the city's mail relay, for tests and the demo: an SMTP server
 * (RFC 5321, one session at a time) that appends each message it accepts to a file as one JSON
 * line {"from", "to": [...], "subject" (RFC 2047 decoded), "body", "headers": {...}}, and can
 * answer 451 to the first N DATA commands so that retries can be tested.
 * SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#include "mue_base64.h"
#include "mue_buf.h"
#include "mue_signal.h"
#include "mue_time.h"

#define LINE_MAX_LEN  1000 /* a command line with its CRLF (RFC 5321 4.5.3.1.4) */
#define MESSAGE_MAX   (10 * 1024 * 1024)
#define IDLE_MS       60000
#define RCPT_MAX      100
#define DATA_LINE_MAX (64 * 1024) /* longer message lines are refused (RFC 5322 says 998) */

struct session {
    int fd;
    char in[64 * 1024];
    size_t start, end;
    bool helo;
    char *from; /* NULL until MAIL FROM */
    char *to[RCPT_MAX];
    int nto;
};

static FILE *out;
static long fail_first;

static void reply(struct session *s, const char *text)
{
    size_t len = strlen(text);
    while (len > 0) {
        ssize_t n = send(s->fd, text, len, MSG_NOSIGNAL);
        if (n <= 0 && errno != EINTR)
            return;
        if (n > 0) {
            text += n;
            len -= (size_t)n;
        }
    }
}

/* Reads a line (its CRLF removed) into 'line' (capacity cap). Returns its length, -2 when it was
 * longer than cap (the rest of it is skipped), -1 on end, error, idle timeout or stop. */
static long read_line(struct session *s, char *line, size_t cap)
{
    int64_t idle_until = mue_time_mono_ms() + IDLE_MS;
    size_t n = 0;
    bool too_long = false;

    for (;;) {
        while (s->start < s->end) {
            char c = s->in[s->start++];
            if (c == '\n') {
                if (n > 0 && line[n - 1] == '\r')
                    n--;
                line[n] = '\0';
                return too_long ? -2 : (long)n;
            }
            if (n + 1 < cap)
                line[n++] = c;
            else
                too_long = true;
        }
        struct pollfd p = { s->fd, POLLIN, 0 };
        int r = poll(&p, 1, 200);
        if (mue_signal_stopping() || mue_time_mono_ms() > idle_until)
            return -1;
        if (r < 0 && errno != EINTR)
            return -1;
        if (r <= 0)
            continue;
        ssize_t got = recv(s->fd, s->in, sizeof(s->in), 0);
        if (got <= 0)
            return -1;
        s->start = 0;
        s->end = (size_t)got;
    }
}

/* The length of the well-formed UTF-8 sequence at 'p' (at most 'left' bytes), or 0. */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
    unsigned c = p[0], n;
    uint32_t cp, min;

    if (c == 0)
        return 0;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 1, min = 0x80, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        n = 2, min = 0x800, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 3, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    if (n >= left)
        return 0;
    for (unsigned k = 1; k <= n; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[k] & 0x3f);
    }
    return cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0 : n + 1;
}

/* Text that jansson takes: bytes that are not UTF-8 (and NULs) become U+FFFD. */
static json_t *json_text(const char *p, size_t len)
{
    struct mue_buf b;
    json_t *j;

    mue_buf_init(&b, 0);
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq((const unsigned char *)p + i, len - i);
        if (n > 0) {
            mue_buf_append(&b, p + i, n);
            i += n;
        } else {
            mue_buf_append(&b, "\xef\xbf\xbd", 3);
            i++;
        }
    }
    j = json_stringn(b.data != NULL ? b.data : "", b.len);
    mue_buf_fini(&b);
    return j;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                  : -1;
}

/* Decodes the encoded-word "=?charset?B|Q?text?=" at 'p' into 'b'. Returns its length in the
 * header, or 0 when 'p' does not start one. The charset is taken to be UTF-8 (mue's). */
static size_t decode_word(const char *p, struct mue_buf *b)
{
    const char *cs_end, *text, *end;
    char enc;

    if (strncmp(p, "=?", 2) != 0 || (cs_end = strchr(p + 2, '?')) == NULL)
        return 0;
    enc = cs_end[1];
    if ((enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q') || cs_end[2] != '?')
        return 0;
    text = cs_end + 3;
    if ((end = strstr(text, "?=")) == NULL)
        return 0;
    if (enc == 'B' || enc == 'b') {
        uint8_t raw[1024];
        int n = mue_base64_decode(text, (size_t)(end - text), raw, sizeof(raw));
        if (n < 0)
            return 0;
        mue_buf_append(b, raw, (size_t)n);
    } else {
        for (const char *q = text; q < end; q++) {
            if (*q == '_') {
                mue_buf_append(b, " ", 1);
            } else if (*q == '=' && end - q > 2 && hex_value(q[1]) >= 0 && hex_value(q[2]) >= 0) {
                char c = (char)(hex_value(q[1]) * 16 + hex_value(q[2]));
                mue_buf_append(b, &c, 1);
                q += 2;
            } else {
                mue_buf_append(b, q, 1);
            }
        }
    }
    return (size_t)(end + 2 - p);
}

/* RFC 2047 6.2: encoded-words decoded, the white space between two adjacent ones dropped. */
static json_t *decode_header(const char *v)
{
    struct mue_buf b;
    json_t *j;
    bool after_word = false;

    mue_buf_init(&b, 0);
    for (const char *p = v; *p != '\0';) {
        size_t ws = strspn(p, " \t"), n;
        const char *tok = p + ws;
        struct mue_buf word;

        mue_buf_init(&word, 0);
        n = *tok != '\0' ? decode_word(tok, &word) : 0;
        if (n > 0) {
            if (!after_word)
                mue_buf_append(&b, p, ws);
            mue_buf_append(&b, word.data != NULL ? word.data : "", word.len);
            p = tok + n;
        } else {
            mue_buf_append(&b, p, ws + (*tok != '\0' ? 1 : 0));
            p = tok + (*tok != '\0' ? 1 : 0);
        }
        after_word = n > 0;
        mue_buf_fini(&word);
    }
    j = json_text(b.data != NULL ? b.data : "", b.len);
    mue_buf_fini(&b);
    return j;
}

/* The address between '<' and '>' of "FROM:<a@b> BODY=8BITMIME", or NULL. */
static char *path_of(const char *arg)
{
    const char *lt = strchr(arg, '<'), *gt = lt != NULL ? strchr(lt, '>') : NULL;

    if (gt == NULL)
        return NULL;
    return strndup(lt + 1, (size_t)(gt - lt - 1));
}

static void reset(struct session *s)
{
    free(s->from);
    s->from = NULL;
    for (int i = 0; i < s->nto; i++)
        free(s->to[i]);
    s->nto = 0;
}

/* Splits the message into headers (unfolded, decoded) and body (LF line ends), and writes its
 * JSON line. */
static void record(struct session *s, const char *msg, size_t len)
{
    json_t *line = json_object(), *to = json_array(), *headers = json_object();
    const char *p = msg, *end = msg + len, *body;
    char *text;

    for (int i = 0; i < s->nto; i++)
        json_array_append_new(to, json_text(s->to[i], strlen(s->to[i])));
    json_object_set_new(line, "from", json_text(s->from, strlen(s->from)));
    json_object_set_new(line, "to", to);
    json_object_set_new(line, "subject", json_string(""));
    /* Headers up to the first empty line; a line starting with white space continues one. */
    while (p < end && *p != '\n') {
        struct mue_buf v;
        const char *eol = memchr(p, '\n', (size_t)(end - p)), *colon;
        char name[128];

        if (eol == NULL)
            eol = end;
        colon = memchr(p, ':', (size_t)(eol - p));
        if (colon == NULL || (size_t)(colon - p) >= sizeof(name)) {
            p = eol + 1;
            continue;
        }
        snprintf(name, sizeof(name), "%.*s", (int)(colon - p), p);
        mue_buf_init(&v, 0);
        mue_buf_append(&v, colon + 1 + strspn(colon + 1, " \t"),
                       (size_t)(eol - colon - 1 - strspn(colon + 1, " \t")));
        for (p = eol + 1; p < end && (*p == ' ' || *p == '\t');) {
            eol = memchr(p, '\n', (size_t)(end - p));
            if (eol == NULL)
                eol = end;
            mue_buf_append(&v, p, (size_t)(eol - p)); /* unfolding removes the CRLF only */
            p = eol + 1;
        }
        if (strcasecmp(name, "Subject") == 0)
            json_object_set_new(line, "subject", decode_header(v.data ? v.data : ""));
        json_object_set_new(headers, name, json_text(v.data ? v.data : "", v.len));
        mue_buf_fini(&v);
    }
    body = p < end ? p + 1 : end;
    json_object_set_new(line, "body", json_text(body, (size_t)(end - body)));
    json_object_set_new(line, "headers", headers);
    text = json_dumps(line, JSON_COMPACT | JSON_SORT_KEYS);
    if (text != NULL) {
        fprintf(out, "%s\n", text);
        fflush(out);
    }
    fprintf(stderr, "mue-fake-smtp: message from %s to %d recipient(s), %zu bytes\n", s->from,
            s->nto, len);
    free(text);
    json_decref(line);
}

/* Reads the message up to its lone dot: dot-stuffing undone, CRLF made LF. Returns 0, -1 when
 * the client went away, -2 when it was too large (read to its end all the same). */
static int read_data(struct session *s, struct mue_buf *msg)
{
    static char line[DATA_LINE_MAX];
    int rc = 0;

    for (;;) {
        long n = read_line(s, line, sizeof(line));
        const char *l = line;
        if (n == -1)
            return -1;
        if (n == -2)
            rc = -2;
        if (strcmp(line, ".") == 0)
            return rc;
        if (l[0] == '.')
            l++;
        if (rc == 0 && (mue_buf_append_str(msg, l) != 0 || mue_buf_append(msg, "\n", 1) != 0))
            rc = -2;
    }
}

static void session(int fd)
{
    struct session *s = calloc(1, sizeof(*s));
    char line[LINE_MAX_LEN + 1];
    long n;

    s->fd = fd;
    reply(s, "220 mue-fake-smtp ESMTP ready\r\n");
    while ((n = read_line(s, line, sizeof(line))) != -1) {
        if (n == -2) {
            reply(s, "500 5.5.6 line too long\r\n");
        } else if (strncasecmp(line, "EHLO ", 5) == 0 && line[5] != '\0') {
            reset(s);
            s->helo = true;
            reply(s, "250-mue-fake-smtp greets you\r\n250-8BITMIME\r\n250-SIZE 10485760\r\n"
                     "250 ENHANCEDSTATUSCODES\r\n");
        } else if (strncasecmp(line, "HELO ", 5) == 0 && line[5] != '\0') {
            reset(s);
            s->helo = true;
            reply(s, "250 mue-fake-smtp\r\n");
        } else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
            char *path = path_of(line + 10);
            if (!s->helo || s->from != NULL) {
                reply(s, "503 5.5.1 bad sequence of commands\r\n");
            } else if (path == NULL) {
                reply(s, "501 5.1.7 bad sender address syntax\r\n");
            } else {
                s->from = path;
                path = NULL;
                reply(s, "250 2.1.0 ok\r\n");
            }
            free(path);
        } else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
            char *path = path_of(line + 8);
            if (s->from == NULL) {
                reply(s, "503 5.5.1 need MAIL before RCPT\r\n");
            } else if (path == NULL || path[0] == '\0' || strchr(path, '@') == NULL) {
                reply(s, "501 5.1.3 bad recipient address syntax\r\n");
            } else if (s->nto == RCPT_MAX) {
                reply(s, "452 4.5.3 too many recipients\r\n");
            } else {
                s->to[s->nto++] = path;
                path = NULL;
                reply(s, "250 2.1.5 ok\r\n");
            }
            free(path);
        } else if (strcasecmp(line, "DATA") == 0) {
            struct mue_buf msg;
            int rc;
            if (s->nto == 0) {
                reply(s, "503 5.5.1 need RCPT before DATA\r\n");
                continue;
            }
            if (fail_first > 0) {
                fail_first--;
                fprintf(stderr, "mue-fake-smtp: DATA refused on purpose (451)\n");
                reply(s, "451 4.3.0 fake failure, try again later\r\n");
                reset(s);
                continue;
            }
            reply(s, "354 end data with <CR><LF>.<CR><LF>\r\n");
            mue_buf_init(&msg, MESSAGE_MAX);
            rc = read_data(s, &msg);
            if (rc == 0)
                record(s, msg.data != NULL ? msg.data : "", msg.len);
            mue_buf_fini(&msg);
            if (rc == -1)
                break;
            reply(s, rc == 0 ? "250 2.0.0 queued\r\n" : "552 5.3.4 message too big\r\n");
            reset(s);
        } else if (strcasecmp(line, "RSET") == 0) {
            reset(s);
            reply(s, "250 2.0.0 ok\r\n");
        } else if (strncasecmp(line, "NOOP", 4) == 0) {
            reply(s, "250 2.0.0 ok\r\n");
        } else if (strncasecmp(line, "VRFY", 4) == 0) {
            reply(s, "252 2.5.0 cannot verify, will try\r\n");
        } else if (strcasecmp(line, "QUIT") == 0) {
            reply(s, "221 2.0.0 bye\r\n");
            break;
        } else {
            reply(s, "500 5.5.2 command not recognized\r\n");
        }
    }
    reset(s);
    close(fd);
    free(s);
}

static int listen_on(const char *addr)
{
    char host[256];
    const char *colon = strrchr(addr, ':');
    struct addrinfo hints, *ai = NULL;
    int fd = -1, one = 1;

    if (colon == NULL || (size_t)(colon - addr) >= sizeof(host))
        return -1;
    snprintf(host, sizeof(host), "%.*s", (int)(colon - addr), addr);
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    if (getaddrinfo(host[0] != '\0' ? host : NULL, colon + 1, &hints, &ai) != 0)
        return -1;
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
                    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 16) != 0)) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    return fd;
}

static void usage(FILE *f)
{
    fputs("Usage: mue-fake-smtp --listen ADDR:PORT --out FILE [--fail-first N]\n"
          "Accepts SMTP sessions one at a time and appends each message as a JSON line\n"
          "{\"from\", \"to\", \"subject\", \"body\", \"headers\"} to FILE. --fail-first N answers\n"
          "451 to the first N DATA commands. Stops on SIGTERM or SIGINT.\n",
          f);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "listen", required_argument, NULL, 'l' },
        { "out", required_argument, NULL, 'o' },
        { "fail-first", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *listen_addr = NULL, *out_path = NULL;
    char *end;
    int c, lfd;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            listen_addr = optarg;
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
    if (listen_addr == NULL || out_path == NULL || optind != argc) {
        usage(stderr);
        return 2;
    }
    out = fopen(out_path, "a");
    if (out == NULL) {
        fprintf(stderr, "mue-fake-smtp: cannot open %s: %s\n", out_path, strerror(errno));
        return 1;
    }
    lfd = listen_on(listen_addr);
    if (lfd < 0) {
        fprintf(stderr, "mue-fake-smtp: cannot listen on %s\n", listen_addr);
        fclose(out);
        return 1;
    }
    mue_signal_init();
    while (!mue_signal_stopping()) {
        struct pollfd p = { lfd, POLLIN, 0 };
        int fd;
        if (poll(&p, 1, 200) <= 0)
            continue;
        fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0)
            session(fd);
    }
    close(lfd);
    fclose(out);
    return 0;
}
