/* mue_http_client.c - HTTP/1.1 requests on civetweb's client API; its error texts become
 * distinct codes here.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <civetweb.h>

#include "mue_buf.h"
#include "mue_err.h"
#include "mue_http_client.h"
#include "mue_time.h"

/* A request head is the method, the path, Host and the caller's few headers (a bearer token). */
#define HEAD_MAX (16 * 1024)
/* What is read and dropped past the caller's buffer before giving up on the rest. */
#define DRAIN_MAX (256 * 1024)

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int tls_ready;

static void init_library(void)
{
    /* One reference for the life of the process: the servers' mg_exit_library calls then never
     * take the library away from a client still working on another thread. */
    unsigned got = mg_init_library(MG_FEATURES_TLS);
    tls_ready = (got & MG_FEATURES_TLS) != 0;
}

void mue_http_client_init(void)
{
    pthread_once(&init_once, init_library);
}

bool mue_http_client_has_tls(void)
{
    mue_http_client_init();
    return tls_ready != 0;
}

static bool is_visible(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
            return false;
    return true;
}

static bool is_host_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '.' || c == '_';
}

static int parse_port(const char *p, size_t n, int *port)
{
    long v = 0;

    if (n == 0 || n > 5)
        return MUE_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)p[i]))
            return MUE_EINVAL;
        v = v * 10 + (p[i] - '0');
    }
    if (v < 1 || v > 65535)
        return MUE_EINVAL;
    *port = (int)v;
    return MUE_OK;
}

int mue_http_url_parse(const char *text, struct mue_http_url *out)
{
    struct mue_http_url u;
    const char *p, *auth_end, *host_end, *host;
    size_t host_len;

    memset(&u, 0, sizeof(u));
    if (text == NULL || !is_visible(text))
        return MUE_EINVAL;
    if (strncasecmp(text, "http://", 7) == 0) {
        p = text + 7;
        u.port = 80;
    } else if (strncasecmp(text, "https://", 8) == 0) {
        p = text + 8;
        u.tls = true;
        u.port = 443;
    } else {
        return MUE_EINVAL;
    }
    auth_end = p + strcspn(p, "/?#");
    if (memchr(p, '@', (size_t)(auth_end - p)) != NULL)
        return MUE_EINVAL; /* credentials in a URL end up in logs */
    if (*p == '[') {
        host = p + 1;
        host_end = memchr(host, ']', (size_t)(auth_end - host));
        if (host_end == NULL)
            return MUE_EINVAL;
        for (const char *c = host; c < host_end; c++)
            if (!isxdigit((unsigned char)*c) && *c != ':' && *c != '.')
                return MUE_EINVAL;
        p = host_end + 1;
    } else {
        host = p;
        host_end = host;
        while (host_end < auth_end && *host_end != ':')
            host_end++;
        for (const char *c = host; c < host_end; c++)
            if (!is_host_char(*c))
                return MUE_EINVAL;
        p = host_end;
    }
    host_len = (size_t)(host_end - host);
    if (host_len == 0 || host_len >= sizeof(u.host))
        return MUE_EINVAL;
    memcpy(u.host, host, host_len);
    if (p < auth_end) {
        if (*p != ':' || parse_port(p + 1, (size_t)(auth_end - p - 1), &u.port) < 0)
            return MUE_EINVAL;
    }
    if (strchr(auth_end, '#') != NULL)
        return MUE_EINVAL;
    if (*auth_end == '?')
        return MUE_EINVAL; /* a query needs a path before it */
    if (strlen(auth_end) >= sizeof(u.path))
        return MUE_EINVAL;
    memcpy(u.path, auth_end, strlen(auth_end) + 1);
    *out = u;
    return MUE_OK;
}

static bool is_method(const char *m)
{
    size_t n = 0;

    for (; m[n] != '\0'; n++)
        if (m[n] < 'A' || m[n] > 'Z' || n >= 16)
            return false;
    return n > 0;
}

/* A header line must stay one line: a CR or LF in it would let a value add headers of its own. */
static bool is_header_line(const char *h)
{
    const char *colon = strchr(h, ':');

    if (colon == NULL || colon == h || strpbrk(h, "\r\n") != NULL)
        return false;
    for (const char *c = h; c < colon; c++)
        if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f)
            return false;
    return true;
}

static int fail(struct mue_http_resp *resp, int code, const char *what)
{
    snprintf(resp->error, sizeof(resp->error), "%s", what);
    return code;
}

static int build_head(const struct mue_http_req *req, const struct mue_http_url *u,
                      struct mue_buf *head)
{
    bool default_port = u->port == (u->tls ? 443 : 80);
    bool v6 = strchr(u->host, ':') != NULL;
    int rc;

    rc = mue_buf_printf(head, "%s %s HTTP/1.1\r\nHost: %s%s%s", req->method,
                        u->path[0] != '\0' ? u->path : "/", v6 ? "[" : "", u->host, v6 ? "]" : "");
    if (rc == 0 && !default_port)
        rc = mue_buf_printf(head, ":%d", u->port);
    if (rc == 0)
        rc = mue_buf_append_str(head, "\r\nUser-Agent: mue\r\nConnection: close\r\n");
    if (rc == 0 && req->content_type != NULL)
        rc = mue_buf_printf(head, "Content-Type: %s\r\n", req->content_type);
    /* A POST without a body still says so, or some servers wait for one. */
    if (rc == 0 &&
        (req->body_len > 0 || req->content_type != NULL || strcmp(req->method, "POST") == 0 ||
         strcmp(req->method, "PUT") == 0 || strcmp(req->method, "PATCH") == 0))
        rc = mue_buf_printf(head, "Content-Length: %zu\r\n", req->body_len);
    for (const char *const *h = req->headers; rc == 0 && h != NULL && *h != NULL; h++)
        rc = mue_buf_printf(head, "%s\r\n", *h);
    if (rc == 0)
        rc = mue_buf_append_str(head, "\r\n");
    return rc;
}

/* civetweb reports a failed connection only in words; they are its own fixed texts. */
static int connect_error(const char *ebuf)
{
    if (strstr(ebuf, "timeout") != NULL)
        return MUE_ETIMEDOUT;
    if (strstr(ebuf, strerror(ECONNREFUSED)) != NULL)
        return -ECONNREFUSED;
    if (strstr(ebuf, "SSL") != NULL || strstr(ebuf, "TLS") != NULL)
        return -EPROTO;
    return -EHOSTUNREACH; /* "host not found", unreachable network or host */
}

static long retry_after(const struct mg_response_info *ri)
{
    for (int i = 0; i < ri->num_headers; i++) {
        const char *v = ri->http_headers[i].value;
        long s = 0;
        size_t n = 0;
        if (ri->http_headers[i].name == NULL || v == NULL ||
            strcasecmp(ri->http_headers[i].name, "Retry-After") != 0)
            continue;
        /* Delay-seconds only; the HTTP-date form is rare from APIs and is ignored. */
        for (; isdigit((unsigned char)v[n]) && n < 7; n++)
            s = s * 10 + (v[n] - '0');
        return n > 0 && v[n] == '\0' ? s : -1;
    }
    return -1;
}

static int read_body(struct mg_connection *conn, const struct mg_response_info *ri,
                     struct mue_http_resp *resp)
{
    char scratch[4096];
    size_t dropped = 0;
    long long total = 0;

    for (;;) {
        size_t room = resp->cap > 0 ? resp->cap - 1 - resp->len : 0;
        char *dst = room > 0 ? resp->body + resp->len : scratch;
        size_t want = room > 0 ? room : sizeof(scratch);
        int n = mg_read(conn, dst, want);
        if (n < 0)
            return fail(resp, -ECONNRESET, "the connection broke inside the answer's body");
        if (n == 0)
            break;
        total += n;
        if (room > 0) {
            resp->len += (size_t)n;
        } else {
            resp->truncated = true;
            dropped += (size_t)n;
            if (dropped > DRAIN_MAX)
                break;
        }
    }
    if (resp->cap > 0)
        resp->body[resp->len] = '\0';
    if (!resp->truncated && ri->content_length >= 0 && total < ri->content_length)
        return fail(resp, -ECONNRESET, "the answer's body is shorter than its length");
    return MUE_OK;
}

int mue_http_request(const struct mue_http_req *req, struct mue_http_resp *resp)
{
    struct mue_http_url u;
    struct mue_buf head;
    struct mg_connection *conn = NULL;
    const struct mg_response_info *ri;
    char ebuf[160] = "";
    int64_t t0;
    int rc = MUE_OK;

    resp->status = 0;
    resp->len = 0;
    resp->truncated = false;
    resp->retry_after_s = -1;
    resp->sent = false;
    resp->error[0] = '\0';
    if (resp->cap > 0)
        resp->body[0] = '\0';
    mue_buf_init(&head, HEAD_MAX);
    if (req->timeout_ms <= 0)
        return fail(resp, MUE_EINVAL, "timeout must be positive");
    if (req->method == NULL || !is_method(req->method))
        return fail(resp, MUE_EINVAL, "bad method");
    if (mue_http_url_parse(req->url, &u) < 0)
        return fail(resp, MUE_EINVAL, "bad URL");
    if (req->content_type != NULL && strpbrk(req->content_type, "\r\n") != NULL)
        return fail(resp, MUE_EINVAL, "bad content type");
    for (const char *const *h = req->headers; h != NULL && *h != NULL; h++)
        if (!is_header_line(*h))
            return fail(resp, MUE_EINVAL, "bad header line");
    if (build_head(req, &u, &head) < 0) {
        rc = fail(resp, MUE_EINVAL, "request head too large");
        goto out;
    }
    mue_http_client_init();
    if (u.tls) {
        struct mg_client_options o;
        if (!tls_ready) {
            rc = fail(resp, -EPROTONOSUPPORT,
                      "https is not available: civetweb could not load "
                      "libssl");
            goto out;
        }
        memset(&o, 0, sizeof(o));
        o.host = u.host;
        o.port = u.port;
        o.server_cert = req->ca_file != NULL ? req->ca_file : MUE_HTTP_CA_FILE;
        o.host_name = u.host; /* SNI */
        conn = mg_connect_client_secure(&o, ebuf, sizeof(ebuf));
    } else {
        conn = mg_connect_client(u.host, u.port, 0, ebuf, sizeof(ebuf));
    }
    if (conn == NULL) {
        rc = fail(resp, connect_error(ebuf), ebuf[0] ? ebuf : "connection failed");
        goto out;
    }
    if (mg_write(conn, head.data, head.len) != (int)head.len ||
        (req->body_len > 0 && mg_write(conn, req->body, req->body_len) != (int)req->body_len)) {
        rc = fail(resp, -ECONNRESET, "the connection broke while sending the request");
        goto out;
    }
    /* From here on a failure is ambiguous: the server has all it needs to act. */
    resp->sent = true;
    t0 = mue_time_mono_ms();
    if (mg_get_response(conn, ebuf, sizeof(ebuf), (int)req->timeout_ms) < 0) {
        /* civetweb says "No data received" for a silent server and a closed connection alike:
         * the clock tells them apart. */
        if (mue_time_mono_ms() - t0 >= req->timeout_ms - 10)
            rc = fail(resp, MUE_ETIMEDOUT, "no answer within the timeout");
        else if (strstr(ebuf, "No data") != NULL)
            rc = fail(resp, -ECONNRESET, "the connection closed without an answer");
        else
            rc = fail(resp, -EPROTO, "not an HTTP answer");
        goto out;
    }
    ri = mg_get_response_info(conn);
    if (ri == NULL || ri->status_code < 100 || ri->status_code > 999) {
        rc = fail(resp, -EPROTO, "not an HTTP answer (no status)");
        goto out;
    }
    resp->status = ri->status_code;
    resp->retry_after_s = retry_after(ri);
    if (strcmp(req->method, "HEAD") != 0)
        rc = read_body(conn, ri, resp);
out:
    if (conn != NULL)
        mg_close_connection(conn);
    mue_buf_fini(&head);
    return rc;
}
