/* mue_http_client.h - one HTTP/1.1 request to another party's API (a network server, an open-data
 * portal), on civetweb's client, with errors a retry rule can tell apart.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_HTTP_CLIENT_H
#define MUE_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

/* Where the CA certificates that https servers are checked against live (Debian's bundle). */
#define MUE_HTTP_CA_FILE "/etc/ssl/certs/ca-certificates.crt"

/* A parsed base URL: http[s]://host[:port][/prefix]. */
struct mue_http_url {
    bool tls;
    char host[256]; /* a name, an IPv4 address, or an IPv6 address without its brackets */
    int port;       /* given, else 80 or 443 */
    char path[768]; /* the rest: "" or "/prefix..." (no query or fragment) */
};

/* Parses 'text'. Only the http and https schemes, no user info, a port in 1..65535, nothing but
 * visible ASCII characters. Returns 0 and fills *out, or MUE_EINVAL (out untouched). */
int mue_http_url_parse(const char *text, struct mue_http_url *out);

struct mue_http_req {
    const char *method;         /* "POST", "GET", ... */
    const char *url;            /* absolute: http[s]://host[:port]/path */
    const char *const *headers; /* "Name: value" lines without CRLF, NULL-terminated; or NULL */
    const char *content_type;   /* NULL when there is no body */
    const void *body;
    size_t body_len;
    long timeout_ms;     /* the wait for the answer once the request is sent */
    const char *ca_file; /* https: CA bundle; NULL is MUE_HTTP_CA_FILE */
};

struct mue_http_resp {
    int status; /* the HTTP status code */
    char *body; /* the caller's buffer, 'cap' bytes; NUL-terminated when cap > 0 */
    size_t cap;
    size_t len;         /* bytes of the answer's body kept */
    bool truncated;     /* the body was longer than cap - 1 bytes: the rest was read and dropped */
    long retry_after_s; /* the answer's Retry-After in seconds, or -1 */
    /* The whole request was handed to the connection. On a failure with 'sent' set the server may
     * have acted on it all the same (a timeout or a reset while waiting for the answer); without
     * it, the server cannot have (nothing listened, the connection or TLS failed first). */
    bool sent;
    char error[160]; /* when the call fails: what went wrong, in words (never body bytes) */
};

/* Makes the civetweb library usable from this process (the client needs its thread-local keys and
 * TLS). Idempotent and cheap after the first call, which keeps its reference to the library for
 * the life of the process; mue_http_request calls it itself. The very first call must not race
 * with another thread's mg_init_library: call it from main() before starting threads. */
void mue_http_client_init(void);

/* True when https can be used. civetweb loads libssl at run time, by name; Debian bookworm's
 * civetweb 1.15 looks for symbols that OpenSSL 3 no longer exports (SSL_get_peer_certificate),
 * so there it is false, and an https API must be reached through a TLS-terminating proxy. */
bool mue_http_client_has_tls(void);

/* Sends one request (with "Connection: close") and reads the answer, its body bounded by
 * resp->cap. Returns 0 when an answer came, whatever its status (resp->status); otherwise a
 * negative code, resp->error set, and resp->sent telling whether the request had gone out whole:
 *   MUE_EINVAL       bad URL, method or header (a CR or LF in one); never sent;
 *   MUE_ETIMEDOUT    no connection within civetweb's connect limit (10 s; not sent), or no answer
 *                    within 'timeout_ms' (sent: the request may have been processed, so a retry
 *                    must first find out whether it was);
 *   -ECONNREFUSED    nothing listens there; never sent;
 *   -EHOSTUNREACH    the host name does not resolve, or no route to it; never sent;
 *   -ECONNRESET      the connection broke while sending (not sent) or before a complete answer
 *                    (sent; resp->status is set when the break came inside the body);
 *   -EPROTO          TLS failed (certificate, handshake; not sent), or the answer is not HTTP
 *                    (sent);
 *   -EPROTONOSUPPORT an https URL while TLS is unavailable (see mue_http_client_has_tls); never
 *                    sent.
 * A server that stalls in the middle of the body holds the call up to civetweb's 30 s read limit.
 * https servers' certificate chains are verified against req->ca_file; civetweb 1.15 does not
 * compare the certificate's name with the host. Thread-safe. */
int mue_http_request(const struct mue_http_req *req, struct mue_http_resp *resp);

#endif
