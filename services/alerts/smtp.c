/* smtp.c - a small SMTP client (RFC 5321): one session per message, every wait bounded.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mue_base64.h"
#include "mue_buf.h"
#include "mue_err.h"
#include "mue_localtime.h"
#include "mue_time.h"
#include "smtp.h"

#define REPLY_LINE_MAX  1000 /* RFC 5321 4.5.3.1.5: a reply line, CRLF included */
#define REPLY_LINES_MAX 64   /* an EHLO answer lists a dozen extensions at most */
#define TEXT_LINE_MAX   998  /* RFC 5322 2.1.1: a line of the message without its CRLF */
#define MESSAGE_MAX     (4 * 1024 * 1024)
#define ADDRESS_MAX     254 /* RFC 5321 4.5.3.1.3: a path is 256 octets with its brackets */
#define SUBJECT_MAX     900
/* Bytes of subject per RFC 2047 encoded-word: 39 bytes make 52 base64 characters, so
 * "Subject: =?UTF-8?B?...?=" stays within the 76 characters RFC 2047 allows a line. */
#define WORD_RAW_MAX 39

struct session {
    int fd;
    long timeout_ms;
    char in[2 * REPLY_LINE_MAX];
    size_t in_start, in_end;
    char *err;
    size_t errcap;
    bool *permanent;
};

struct reply {
    int code;
    char text[256];      /* the first line's text, for error messages */
    bool eight_bit_mime; /* an EHLO answer listed 8BITMIME */
};

__attribute__((format(printf, 4, 5))) static int fail(struct session *s, int rc, bool permanent,
                                                      const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(s->err, s->errcap, fmt, ap);
    va_end(ap);
    *s->permanent = permanent;
    return rc;
}

/* --- checks of what the caller gives: nothing goes out unless all of it is sound */

/* True when 's' is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF). */
static bool is_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p != '\0') {
        unsigned c = *p, n, min;
        uint32_t cp;

        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1, min = 0x80, cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2, min = 0x800, cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3, min = 0x10000, cp = c & 0x07;
        } else {
            return false;
        }
        for (unsigned i = 1; i <= n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        p += n + 1;
    }
    return true;
}

static bool is_ascii(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* An address goes between '<' and '>' in commands and into the To header: printable ASCII only,
 * nothing that could end the path or the header, and an '@' with something on both sides. */
static bool valid_address(const char *a)
{
    const char *at;
    size_t len;

    if (a == NULL)
        return false;
    len = strlen(a);
    at = strrchr(a, '@');
    if (len == 0 || len > ADDRESS_MAX || at == NULL || at == a || at[1] == '\0')
        return false;
    for (const char *p = a; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == ',')
            return false;
    }
    return true;
}

static bool valid_helo(const char *h)
{
    size_t len = strlen(h);

    if (len == 0 || len > 255)
        return false;
    for (; *h != '\0'; h++)
        if ((unsigned char)*h <= 0x20 || (unsigned char)*h >= 0x7f)
            return false;
    return true;
}

/* A subject is one header line: any control character (CR, LF above all) could start another. */
static bool valid_subject(const char *t)
{
    if (t == NULL || strlen(t) > SUBJECT_MAX || !is_utf8(t))
        return false;
    for (; *t != '\0'; t++)
        if ((unsigned char)*t < 0x20 || (unsigned char)*t == 0x7f)
            return false;
    return true;
}

/* Splits "host:port", "[v6]:port" or "host" into its parts. Returns 0, or MUE_EINVAL. */
static int parse_server(const char *server, char *host, size_t hcap, char *port, size_t pcap)
{
    const char *h = server, *colon, *p;
    size_t hlen;
    long v = 0;

    if (server == NULL || server[0] == '\0')
        return MUE_EINVAL;
    if (server[0] == '[') {
        const char *close = strchr(server, ']');
        if (close == NULL || (close[1] != '\0' && close[1] != ':'))
            return MUE_EINVAL;
        h = server + 1;
        hlen = (size_t)(close - h);
        colon = close[1] == ':' ? close + 1 : NULL;
    } else {
        colon = strchr(server, ':');
        if (colon != NULL && strchr(colon + 1, ':') != NULL)
            return MUE_EINVAL; /* an IPv6 address needs its brackets to carry a port */
        hlen = colon != NULL ? (size_t)(colon - server) : strlen(server);
    }
    if (hlen == 0 || hlen >= hcap)
        return MUE_EINVAL;
    for (size_t i = 0; i < hlen; i++)
        if ((unsigned char)h[i] <= 0x20 || (unsigned char)h[i] >= 0x7f)
            return MUE_EINVAL;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    p = colon != NULL ? colon + 1 : "25";
    if (p[0] == '\0' || strlen(p) > 5)
        return MUE_EINVAL;
    for (const char *q = p; *q != '\0'; q++) {
        if (*q < '0' || *q > '9')
            return MUE_EINVAL;
        v = v * 10 + (*q - '0');
    }
    if (v < 1 || v > 65535)
        return MUE_EINVAL;
    snprintf(port, pcap, "%ld", v);
    return MUE_OK;
}

/* --- the connection: non-blocking socket, poll() against a deadline */

/* Waits for 'events' on the socket until 'deadline' (monotonic ms). Returns 0, MUE_ETIMEDOUT or
 * -errno. */
static int wait_fd(int fd, short events, int64_t deadline)
{
    for (;;) {
        struct pollfd pfd = { fd, events, 0 };
        int64_t left = deadline - mue_time_mono_ms();
        int n;

        if (left <= 0)
            return MUE_ETIMEDOUT;
        n = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
        if (n > 0)
            return MUE_OK;
        if (n < 0 && errno != EINTR)
            return -errno;
    }
}

static int connect_one(const struct addrinfo *ai, long timeout_ms, int *fd_out)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    int rc = MUE_OK, soerr = 0;
    socklen_t len = sizeof(soerr);

    if (fd < 0)
        return -errno;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
        if (errno != EINPROGRESS) {
            rc = -errno;
            goto out;
        }
        rc = wait_fd(fd, POLLOUT, mue_time_mono_ms() + timeout_ms);
        if (rc == MUE_OK && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
            rc = -errno;
        else if (rc == MUE_OK && soerr != 0)
            rc = -soerr;
    }
out:
    if (rc != MUE_OK) {
        close(fd);
        return rc;
    }
    *fd_out = fd;
    return MUE_OK;
}

static int open_connection(struct session *s, const char *server)
{
    char host[256], port[8];
    struct addrinfo hints, *list = NULL;
    int rc, gai;

    if (parse_server(server, host, sizeof(host), port, sizeof(port)) != MUE_OK)
        return fail(s, MUE_EINVAL, true, "bad SMTP server \"%.100s\" (want host:port)", server);
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    gai = getaddrinfo(host, port, &hints, &list);
    if (gai != 0)
        return fail(s, -EHOSTUNREACH, false, "SMTP server %s: %s", host, gai_strerror(gai));
    rc = -EHOSTUNREACH;
    for (const struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next) {
        rc = connect_one(ai, s->timeout_ms, &s->fd);
        if (rc == MUE_OK)
            break;
    }
    freeaddrinfo(list);
    if (rc != MUE_OK)
        return fail(s, rc, false, "cannot connect to SMTP server %s:%s: %s", host, port,
                    mue_strerror(rc));
    return MUE_OK;
}

static int write_all(struct session *s, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(s->fd, data, len, MSG_NOSIGNAL);
        int rc;

        if (n > 0) {
            data += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return fail(s, -errno, false, "SMTP write: %s", strerror(errno));
        /* The deadline starts again with each progress: it bounds a stall, not a long message. */
        rc = wait_fd(s->fd, POLLOUT, mue_time_mono_ms() + s->timeout_ms);
        if (rc != MUE_OK)
            return fail(s, rc, false, "SMTP write: %s", mue_strerror(rc));
    }
    return MUE_OK;
}

/* Reads one line (its CRLF or LF removed) before 'deadline'. Returns its length, or a code. */
static int read_line(struct session *s, char *line, size_t cap, int64_t deadline)
{
    for (;;) {
        char *lf = memchr(s->in + s->in_start, '\n', s->in_end - s->in_start);
        ssize_t n;
        int rc;

        if (lf != NULL) {
            size_t len = (size_t)(lf - (s->in + s->in_start));
            size_t keep = len > 0 && lf[-1] == '\r' ? len - 1 : len;
            if (keep >= cap)
                return fail(s, -EPROTO, false, "SMTP reply line too long");
            memcpy(line, s->in + s->in_start, keep);
            line[keep] = '\0';
            s->in_start += len + 1;
            return (int)keep;
        }
        if (s->in_start > 0) {
            memmove(s->in, s->in + s->in_start, s->in_end - s->in_start);
            s->in_end -= s->in_start;
            s->in_start = 0;
        }
        if (s->in_end == sizeof(s->in))
            return fail(s, -EPROTO, false, "SMTP reply line too long");
        n = recv(s->fd, s->in + s->in_end, sizeof(s->in) - s->in_end, 0);
        if (n > 0) {
            s->in_end += (size_t)n;
            continue;
        }
        if (n == 0)
            return fail(s, -ECONNRESET, false, "the SMTP server closed the connection");
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return fail(s, -errno, false, "SMTP read: %s", strerror(errno));
        rc = wait_fd(s->fd, POLLIN, deadline);
        if (rc != MUE_OK)
            return fail(s, rc, false, "no SMTP reply within %ld ms", s->timeout_ms);
    }
}

/* Copies a reply's text as one printable line (it ends up in logs and in the database). */
static void copy_text(char *out, size_t cap, const char *in)
{
    size_t n = 0;

    for (; *in != '\0' && n + 1 < cap; in++)
        out[n++] = (unsigned char)*in < 0x20 || (unsigned char)*in >= 0x7f ? '?' : *in;
    out[n] = '\0';
}

/* The code of a reply line "ddd", "ddd text" or "ddd-text", or -1 when it is not one. */
static int reply_code(const char *line, int len)
{
    if (len < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '9' ||
        line[2] < '0' || line[2] > '9' || (len > 3 && line[3] != ' ' && line[3] != '-'))
        return -1;
    return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

/* Reads one reply, all its lines ("250-..." up to "250 ..."), within the session's timeout. */
static int read_reply(struct session *s, struct reply *r)
{
    char line[REPLY_LINE_MAX];
    int64_t deadline = mue_time_mono_ms() + s->timeout_ms;

    memset(r, 0, sizeof(*r));
    for (int i = 0; i < REPLY_LINES_MAX; i++) {
        int len = read_line(s, line, sizeof(line), deadline);
        int code = len < 0 ? -1 : reply_code(line, len);
        const char *text = len > 4 ? line + 4 : "";

        if (len < 0)
            return len;
        if (code < 0 || (i > 0 && code != r->code)) {
            copy_text(r->text, sizeof(r->text), line);
            return fail(s, -EPROTO, false, "not an SMTP reply: \"%.80s\"", r->text);
        }
        if (i == 0)
            copy_text(r->text, sizeof(r->text), text);
        else if (strncasecmp(text, "8BITMIME", 8) == 0 && (text[8] == '\0' || text[8] == ' '))
            r->eight_bit_mime = true;
        r->code = code;
        if (len == 3 || line[3] == ' ')
            return MUE_OK;
    }
    return fail(s, -EPROTO, false, "SMTP reply of more than %d lines", REPLY_LINES_MAX);
}

/* Sends a command line and reads its reply. */
__attribute__((format(printf, 3, 4))) static int command(struct session *s, struct reply *r,
                                                         const char *fmt, ...)
{
    char line[REPLY_LINE_MAX];
    va_list ap;
    int n, rc;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof(line) - 2, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(line) - 2)
        return fail(s, MUE_EINVAL, true, "SMTP command too long");
    memcpy(line + n, "\r\n", 3);
    rc = write_all(s, line, (size_t)n + 2);
    if (rc == MUE_OK)
        rc = read_reply(s, r);
    return rc;
}

/* Turns a reply that is not the one expected into the session's error. */
static int refused(struct session *s, const struct reply *r, const char *what)
{
    if (r->code / 100 == 4)
        return fail(s, -EAGAIN, false, "%s: %d %s", what, r->code, r->text);
    if (r->code / 100 == 5)
        return fail(s, -EREMOTEIO, true, "%s: %d %s", what, r->code, r->text);
    return fail(s, -EPROTO, false, "%s: unexpected reply %d %s", what, r->code, r->text);
}

/* --- the message */

/* RFC 5322 3.3, in the metropolis's time: "Thu, 28 Nov 2024 23:09:41 +0100". */
static void format_date(char *out, size_t cap)
{
    static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    struct mue_localtime lt;
    int off_min;

    mue_localtime_from_utc((int64_t)time(NULL), &lt);
    off_min = lt.utc_offset_s / 60;
    snprintf(out, cap, "%s, %d %s %04d %02d:%02d:%02d +%02d%02d", days[lt.wday], lt.day,
             months[lt.month - 1], lt.year, lt.hour, lt.minute, lt.second, off_min / 60,
             off_min % 60);
}

/* The byte length of the UTF-8 character that starts with 'lead' (the text was checked). */
static size_t utf8_char_len(unsigned char lead)
{
    return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/* Subject: plain when it is printable ASCII that cannot be mistaken for an encoded-word, else
 * RFC 2047 B encoded-words of whole characters, one per folded line. */
static int append_subject(struct mue_buf *b, const char *subject)
{
    size_t len = strlen(subject), i = 0;
    int rc = mue_buf_append_str(b, "Subject: ");

    if (is_ascii(subject) && strstr(subject, "=?") == NULL) {
        if (rc == MUE_OK)
            rc = mue_buf_append_str(b, subject);
        return rc == MUE_OK ? mue_buf_append_str(b, "\r\n") : rc;
    }
    while (rc == MUE_OK && i < len) {
        char word[4 * WORD_RAW_MAX / 3 + 4];
        size_t n = 0;

        while (i + n < len) {
            size_t c = utf8_char_len((unsigned char)subject[i + n]);
            if (n + c > WORD_RAW_MAX)
                break;
            n += c;
        }
        mue_base64_encode((const uint8_t *)subject + i, n, word, sizeof(word));
        rc = mue_buf_printf(b, "%s=?UTF-8?B?%s?=", i > 0 ? "\r\n " : "", word);
        i += n;
    }
    return rc == MUE_OK ? mue_buf_append_str(b, "\r\n") : rc;
}

static int append_to(struct mue_buf *b, const struct smtp_mail *m)
{
    size_t col = 4;
    int rc = mue_buf_append_str(b, "To: ");

    for (size_t i = 0; rc == MUE_OK && i < m->nto; i++) {
        size_t alen = strlen(m->to[i]);
        if (i > 0) {
            /* Fold before an address that would carry the line past 78 characters. */
            bool fold = col + 2 + alen > 78;
            rc = mue_buf_append_str(b, fold ? ",\r\n " : ", ");
            col = fold ? 1 : col + 2;
        }
        if (rc == MUE_OK)
            rc = mue_buf_append_str(b, m->to[i]);
        col += alen;
    }
    return rc == MUE_OK ? mue_buf_append_str(b, "\r\n") : rc;
}

/* One line of text (no line end in it): broken into pieces of at most 998 bytes at character
 * boundaries, each dot-stuffed (RFC 5321 4.5.2) and ended with CRLF. */
static int append_text_line(struct mue_buf *b, const char *line, size_t len)
{
    int rc = MUE_OK;

    do {
        size_t n = 0;
        while (n < len) {
            size_t c = utf8_char_len((unsigned char)line[n]);
            if (n + c > TEXT_LINE_MAX - 1) /* room for a stuffed dot */
                break;
            n += c;
        }
        if (n > 0 && line[0] == '.')
            rc = mue_buf_append(b, ".", 1);
        if (rc == MUE_OK)
            rc = mue_buf_append(b, line, n);
        if (rc == MUE_OK)
            rc = mue_buf_append(b, "\r\n", 2);
        line += n;
        len -= n;
    } while (rc == MUE_OK && len > 0);
    return rc;
}

/* The body: LF, CRLF and lone CR all end a line; the last line needs no line end. */
static int append_body(struct mue_buf *b, const char *body)
{
    const char *p = body;
    int rc = MUE_OK;

    while (rc == MUE_OK && *p != '\0') {
        size_t len = strcspn(p, "\r\n");
        rc = append_text_line(b, p, len);
        p += len;
        if (p[0] == '\r' && p[1] == '\n')
            p += 2;
        else if (*p != '\0')
            p++;
    }
    return rc;
}

static void message_id(char *out, size_t cap, const char *from)
{
    uint8_t rnd[8];
    char hex[17];

    if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
        uint64_t v = (uint64_t)mue_time_now_us() ^ ((uint64_t)getpid() << 40);
        memcpy(rnd, &v, sizeof(rnd));
    }
    mue_hex_encode(rnd, sizeof(rnd), hex, sizeof(hex));
    snprintf(out, cap, "<%lld.%s@%s>", (long long)time(NULL), hex, strrchr(from, '@') + 1);
}

static int build_message(const struct smtp_mail *m, struct mue_buf *b)
{
    char date[64], id[320];
    int rc;

    format_date(date, sizeof(date));
    message_id(id, sizeof(id), m->from);
    rc = mue_buf_printf(b, "Date: %s\r\nFrom: %s\r\n", date, m->from);
    if (rc == MUE_OK)
        rc = append_to(b, m);
    if (rc == MUE_OK)
        rc = append_subject(b, m->subject);
    if (rc == MUE_OK)
        rc = mue_buf_printf(b,
                            "Message-ID: %s\r\nMIME-Version: 1.0\r\n"
                            "Content-Type: text/plain; charset=UTF-8\r\n"
                            "Content-Transfer-Encoding: 8bit\r\n"
                            "Auto-Submitted: auto-generated\r\n\r\n",
                            id);
    if (rc == MUE_OK)
        rc = append_body(b, m->body);
    if (rc == MUE_OK)
        rc = mue_buf_append_str(b, ".\r\n");
    return rc;
}

static int validate(struct session *s, const struct smtp_mail *m, const char *helo)
{
    if (!valid_helo(helo))
        return fail(s, MUE_EINVAL, true, "bad HELO name \"%.64s\"", helo);
    if (!valid_address(m->from))
        return fail(s, MUE_EINVAL, true, "bad sender address");
    if (m->nto == 0 || m->to == NULL)
        return fail(s, MUE_EINVAL, true, "no recipient");
    for (size_t i = 0; i < m->nto; i++)
        if (!valid_address(m->to[i]))
            return fail(s, MUE_EINVAL, true, "bad recipient address (recipient %zu)", i + 1);
    if (!valid_subject(m->subject))
        return fail(s, MUE_EINVAL, true, "bad subject (control character, not UTF-8 or too long)");
    if (m->body == NULL || !is_utf8(m->body))
        return fail(s, MUE_EINVAL, true, "body is not UTF-8");
    return MUE_OK;
}

/* RCPT TO for each recipient. Returns how many the relay accepted (0 after setting the error),
 * or a code; 'refusals' lists the others. */
static int send_recipients(struct session *s, const struct smtp_mail *m, char *refusals, size_t cap)
{
    struct reply r;
    size_t used = 0;
    int accepted = 0, rc = MUE_OK;
    bool transient = false;

    refusals[0] = '\0';
    for (size_t i = 0; i < m->nto; i++) {
        rc = command(s, &r, "RCPT TO:<%s>", m->to[i]);
        if (rc != MUE_OK)
            return rc;
        if (r.code / 100 == 2) {
            accepted++;
            continue;
        }
        if (r.code / 100 != 4 && r.code / 100 != 5)
            return refused(s, &r, "RCPT TO");
        transient = transient || r.code / 100 == 4;
        if (used < cap) {
            int n = snprintf(refusals + used, cap - used, "%s%s (%d %s)", used > 0 ? ", " : "",
                             m->to[i], r.code, r.text);
            used = n < 0 ? cap : used + (size_t)n;
        }
    }
    if (accepted == 0)
        return fail(s, transient ? -EAGAIN : -EREMOTEIO, !transient,
                    "every recipient was refused: %s", refusals);
    return accepted;
}

int smtp_send(const struct smtp_mail *m, char *err, size_t errcap, bool *permanent)
{
    struct session s = { .fd = -1, .timeout_ms = m->timeout_ms > 0 ? m->timeout_ms : 30000 };
    const char *helo = m->helo != NULL && m->helo[0] != '\0' ? m->helo : "localhost";
    struct mue_buf msg;
    struct reply r;
    char refusals[512];
    bool eight_bit;
    int rc;

    s.err = err;
    s.errcap = errcap;
    s.permanent = permanent;
    *permanent = false;
    if (errcap > 0)
        err[0] = '\0';
    mue_buf_init(&msg, MESSAGE_MAX);
    rc = validate(&s, m, helo);
    if (rc != MUE_OK)
        goto out;
    if (build_message(m, &msg) != MUE_OK) {
        rc = fail(&s, MUE_EINVAL, true, "message larger than %d bytes", MESSAGE_MAX);
        goto out;
    }
    rc = open_connection(&s, m->server);
    if (rc != MUE_OK)
        goto out;

    rc = read_reply(&s, &r);
    if (rc == MUE_OK && r.code != 220)
        rc = refused(&s, &r, "greeting");
    if (rc != MUE_OK)
        goto out;
    rc = command(&s, &r, "EHLO %s", helo);
    if (rc == MUE_OK && r.code / 100 == 5) /* a server of RFC 821's time: HELO, no extensions */
        rc = command(&s, &r, "HELO %s", helo);
    if (rc == MUE_OK && r.code / 100 != 2)
        rc = refused(&s, &r, "EHLO/HELO");
    if (rc != MUE_OK)
        goto out;
    /* RFC 6152: an 8-bit body is announced to a relay that takes it; one that does not announce
     * 8BITMIME gets it all the same (a local relay passes it on). */
    eight_bit = r.eight_bit_mime && !is_ascii(m->body);
    rc = command(&s, &r, "MAIL FROM:<%s>%s", m->from, eight_bit ? " BODY=8BITMIME" : "");
    if (rc == MUE_OK && r.code / 100 != 2)
        rc = refused(&s, &r, "MAIL FROM");
    if (rc != MUE_OK)
        goto out;
    rc = send_recipients(&s, m, refusals, sizeof(refusals));
    if (rc < 0)
        goto out;
    rc = command(&s, &r, "DATA");
    if (rc == MUE_OK && r.code != 354)
        rc = refused(&s, &r, "DATA");
    if (rc == MUE_OK)
        rc = write_all(&s, msg.data, msg.len);
    if (rc == MUE_OK)
        rc = read_reply(&s, &r);
    if (rc == MUE_OK && r.code / 100 != 2)
        rc = refused(&s, &r, "end of data");
    if (rc != MUE_OK)
        goto out;
    /* The message is the relay's now: how QUIT goes changes nothing. */
    (void)command(&s, &r, "QUIT");
    *permanent = false;
    if (errcap > 0)
        err[0] = '\0';
    if (refusals[0] != '\0')
        snprintf(err, errcap, "refused by the relay: %s", refusals);
out:
    if (s.fd >= 0)
        close(s.fd);
    mue_buf_fini(&msg);
    return rc;
}
