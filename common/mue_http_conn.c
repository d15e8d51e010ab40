/* mue_http_conn.c - a kept-alive HTTP/1.1 client connection: Content-Length and chunked answers,
 * poll() for the time limit, a new dial when the server closed the connection between requests.
 * SPDX-License-Identifier: MIT */
#include "mue_http_conn.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mue_err.h"
#include "mue_http_client.h"
#include "mue_mem.h"
#include "mue_time.h"

#define CONN_HEAD_MAX 8192

struct mue_http_conn {
    struct mue_http_url url;
    int fd;
    bool server_closes; /* the last answer said Connection: close */
    /* Bytes read past the end of the last answer (never, for one request at a time, but a
     * server may send them): the buffer is drained before the next answer. */
    char in[CONN_HEAD_MAX + 1];
    size_t in_len;
};

int mue_http_conn_new(struct mue_http_conn **out, const char *base_url)
{
    struct mue_http_conn *c;
    struct mue_http_url u;

    if (mue_http_url_parse(base_url, &u) < 0 || u.tls)
        return MUE_EINVAL;
    c = mue_xcalloc(1, sizeof(*c));
    c->url = u;
    c->fd = -1;
    *out = c;
    return MUE_OK;
}

static void conn_close(struct mue_http_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->in_len = 0;
    c->server_closes = false;
}

void mue_http_conn_free(struct mue_http_conn *c)
{
    if (c == NULL)
        return;
    conn_close(c);
    free(c);
}

static int conn_dial(struct mue_http_conn *c)
{
    struct addrinfo hints, *res = NULL, *ai;
    char port[8];
    int one = 1, rc = -ECONNREFUSED;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(port, sizeof(port), "%d", c->url.port);
    if (getaddrinfo(c->url.host, port, &hints, &res) != 0)
        return -EHOSTUNREACH;
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);

        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            c->fd = fd;
            rc = MUE_OK;
            break;
        }
        rc = -errno;
        close(fd);
    }
    freeaddrinfo(res);
    return rc;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -ECONNRESET;
        p += w;
        n -= (size_t)w;
    }
    return MUE_OK;
}

/* Reads more bytes into c->in, waiting at most until 'deadline_ms' (monotonic). */
static int read_more(struct mue_http_conn *c, int64_t deadline_ms)
{
    struct pollfd p = { .fd = c->fd, .events = POLLIN };
    int64_t left = deadline_ms - mue_time_mono_ms();
    ssize_t n;

    if (c->in_len >= CONN_HEAD_MAX)
        return -EPROTO;
    if (left <= 0 || poll(&p, 1, (int)left) == 0)
        return MUE_ETIMEDOUT;
    n = recv(c->fd, c->in + c->in_len, CONN_HEAD_MAX - c->in_len, 0);
    if (n <= 0)
        return -ECONNRESET;
    c->in_len += (size_t)n;
    c->in[c->in_len] = '\0';
    return MUE_OK;
}

/* Drops the first 'n' bytes of c->in, keeping it NUL-terminated for the searches. */
static void consume(struct mue_http_conn *c, size_t n)
{
    memmove(c->in, c->in + n, c->in_len - n);
    c->in_len -= n;
    c->in[c->in_len] = '\0';
}

/* Takes 'n' bytes of the body from the front of c->in into resp (what does not fit is dropped). */
static void take_body(struct mue_http_conn *c, size_t n, struct mue_http_conn_resp *resp)
{
    size_t keep = resp->cap > resp->len + 1 ? resp->cap - 1 - resp->len : 0;

    if (keep > n)
        keep = n;
    if (keep > 0)
        memcpy(resp->body + resp->len, c->in, keep);
    resp->len += keep;
    consume(c, n);
}

static int read_sized_body(struct mue_http_conn *c, size_t clen, int64_t deadline,
                           struct mue_http_conn_resp *resp)
{
    while (clen > 0) {
        int rc;

        if (c->in_len == 0 && (rc = read_more(c, deadline)) < 0)
            return rc;
        size_t n = c->in_len < clen ? c->in_len : clen;
        take_body(c, n, resp);
        clen -= n;
    }
    return MUE_OK;
}

/* A chunked body: hex size lines, chunks, a zero chunk and an empty trailer line. */
static int read_chunked_body(struct mue_http_conn *c, int64_t deadline,
                             struct mue_http_conn_resp *resp)
{
    for (;;) {
        char *eol;
        unsigned long size;
        int rc;

        while ((eol = memmem(c->in, c->in_len, "\r\n", 2)) == NULL)
            if ((rc = read_more(c, deadline)) < 0)
                return rc;
        size = strtoul(c->in, NULL, 16);
        consume(c, (size_t)(eol + 2 - c->in));
        if (size == 0)
            break;
        if ((rc = read_sized_body(c, size, deadline, resp)) < 0)
            return rc;
        while (c->in_len < 2)
            if ((rc = read_more(c, deadline)) < 0)
                return rc;
        consume(c, 2);
    }
    /* The trailer ends with an empty line. */
    for (;;) {
        char *eol;
        int rc;

        while ((eol = memmem(c->in, c->in_len, "\r\n", 2)) == NULL)
            if ((rc = read_more(c, deadline)) < 0)
                return rc;
        size_t line = (size_t)(eol + 2 - c->in);
        consume(c, line);
        if (line == 2)
            return MUE_OK;
    }
}

/* The value of header 'name' in the head (NUL-terminated, lines ending CRLF), or NULL. */
static const char *header_value(const char *head, const char *name)
{
    size_t nlen = strlen(name);

    for (const char *p = strstr(head, "\r\n"); p != NULL; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, name, nlen) == 0 && p[2 + nlen] == ':') {
            const char *v = p + 3 + nlen;
            while (*v == ' ' || *v == '\t')
                v++;
            return v;
        }
    }
    return NULL;
}

static int read_answer(struct mue_http_conn *c, int64_t deadline, struct mue_http_conn_resp *resp)
{
    char *end, head[CONN_HEAD_MAX + 1];
    const char *v;
    int rc;

    while ((end = strstr(c->in, "\r\n\r\n")) == NULL)
        if ((rc = read_more(c, deadline)) < 0)
            return rc;
    size_t hlen = (size_t)(end + 4 - c->in);
    memcpy(head, c->in, hlen - 2);
    head[hlen - 2] = '\0';
    consume(c, hlen);
    if (sscanf(head, "HTTP/1.%*1[01] %3d", &resp->status) != 1)
        return -EPROTO;
    v = header_value(head, "Retry-After");
    resp->retry_after_s = v ? strtol(v, NULL, 10) : -1;
    v = header_value(head, "Connection");
    c->server_closes = v != NULL && strncasecmp(v, "close", 5) == 0;
    v = header_value(head, "Transfer-Encoding");
    if (v != NULL && strncasecmp(v, "chunked", 7) == 0)
        return read_chunked_body(c, deadline, resp);
    v = header_value(head, "Content-Length");
    if (v != NULL)
        return read_sized_body(c, (size_t)strtoull(v, NULL, 10), deadline, resp);
    if (resp->status == 204 || resp->status == 304)
        return MUE_OK;
    /* No length: the body runs to the end of the connection. */
    c->server_closes = true;
    while ((rc = read_more(c, deadline)) == MUE_OK)
        take_body(c, c->in_len, resp);
    return rc == -ECONNRESET ? MUE_OK : rc;
}

static bool bad_header(const char *h)
{
    return h != NULL && strpbrk(h, "\r\n") != NULL;
}

int mue_http_conn_request(struct mue_http_conn *c, const char *method, const char *path,
                          const char *const *headers, const char *content_type, const void *body,
                          size_t len, long timeout_ms, struct mue_http_conn_resp *resp)
{
    char head[4096];
    int n, rc;
    int64_t deadline = mue_time_mono_ms() + timeout_ms;

    resp->status = 0;
    resp->len = 0;
    resp->retry_after_s = -1;
    if (resp->cap > 0)
        resp->body[0] = '\0';
    if (bad_header(method) || bad_header(path) || bad_header(content_type))
        return MUE_EINVAL;
    n = snprintf(head, sizeof(head), "%s %s%s HTTP/1.1\r\nHost: %s:%d\r\n", method, c->url.path,
                 path, c->url.host, c->url.port);
    for (const char *const *h = headers; h != NULL && *h != NULL && n > 0; h++) {
        if (bad_header(*h))
            return MUE_EINVAL;
        n += snprintf(head + n, sizeof(head) - (size_t)n, "%s\r\n", *h);
        if ((size_t)n >= sizeof(head))
            return MUE_EINVAL;
    }
    if (content_type != NULL)
        n += snprintf(head + n, sizeof(head) - (size_t)n, "Content-Type: %s\r\n", content_type);
    if (n > 0 && (size_t)n < sizeof(head))
        n += snprintf(head + n, sizeof(head) - (size_t)n, "Content-Length: %zu\r\n\r\n", len);
    if (n <= 0 || (size_t)n >= sizeof(head))
        return MUE_EINVAL;
    /* A kept connection the server has closed since shows up as a failed first write or read:
     * the request is tried once more on a new connection when nothing of the answer came. */
    for (int attempt = 0; attempt < 2; attempt++) {
        bool reused = c->fd >= 0;

        if (c->fd < 0 && (rc = conn_dial(c)) < 0)
            return rc;
        rc = write_all(c->fd, head, (size_t)n);
        if (rc == MUE_OK)
            rc = write_all(c->fd, body, len);
        if (rc == MUE_OK)
            rc = read_answer(c, deadline, resp);
        if (rc == MUE_OK) {
            if (resp->cap > 0)
                resp->body[resp->len] = '\0';
            if (c->server_closes)
                conn_close(c);
            return MUE_OK;
        }
        conn_close(c);
        if (!(reused && rc == -ECONNRESET && resp->status == 0))
            return rc;
    }
    return rc;
}
