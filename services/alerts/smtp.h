/* smtp.h - a small SMTP client (RFC 5321) that hands one plain-text message to a mail relay.
 * SPDX-License-Identifier: MIT */
#ifndef ALERTS_SMTP_H
#define ALERTS_SMTP_H

#include <stdbool.h>
#include <stddef.h>

/* Plain TCP only: no STARTTLS, no AUTH. mue-alerts talks to a relay on the local network (the
 * city's mail server, or a Postfix beside the engine) that accepts mail from it without
 * authentication and does TLS and authentication onwards itself. Do not point it at a server
 * across an untrusted network. */

struct smtp_mail {
    const char *server;    /* "host:port", "[v6addr]:port", or "host" for port 25 */
    const char *helo;      /* the name given in EHLO/HELO; NULL is "localhost" */
    const char *from;      /* the envelope sender and the From header */
    const char *const *to; /* 'nto' envelope recipients, also listed in the To header */
    size_t nto;
    const char *subject; /* UTF-8; RFC 2047-encoded when it is not plain ASCII */
    const char *body;    /* UTF-8, LF (or CRLF) line ends */
    long timeout_ms;     /* the bound of each wait: connecting, each reply, each write */
};

/* Sends one message: EHLO (HELO when EHLO is refused), MAIL FROM, RCPT TO for each recipient,
 * DATA, QUIT. The message has the headers Date (Europe/Paris time), From, To, Subject,
 * Message-ID, MIME-Version, Content-Type text/plain; charset=UTF-8, Content-Transfer-Encoding
 * 8bit and Auto-Submitted: auto-generated (RFC 3834, so that nobody's vacation robot answers),
 * CRLF line ends, dot-stuffing, and body lines longer than 998 bytes broken at a character
 * boundary. BODY=8BITMIME is asked for when the relay offers it and the body is not ASCII.
 *
 * Returns 0 when the relay accepted the message for at least one recipient. 'err' (capacity
 * 'errcap') is then empty, or names the recipients the relay refused: they did not get it, the
 * others did, and sending again would send the others a duplicate.
 *
 * Otherwise returns a negative code, 'err' says what happened in words, and *permanent tells
 * whether sending again can help:
 *   MUE_EINVAL    a bad server, HELO name, address (empty, not ASCII, with a space, CR, LF, '<',
 *                 '>' or ',', no '@'), a subject with a control character, or text that is not
 *                 UTF-8: nothing was sent (permanent);
 *   -EREMOTEIO    the relay refused with a 5xx reply (permanent);
 *   -EAGAIN       the relay refused with a 4xx reply (not permanent);
 *   -EPROTO       the relay's answer is not SMTP, or not the one expected (not permanent);
 *   MUE_ETIMEDOUT, -ECONNREFUSED, -ECONNRESET, -EHOSTUNREACH (the name does not resolve) and
 *                 other -errno from the network (not permanent).
 * Thread-safe. */
int smtp_send(const struct smtp_mail *m, char *err, size_t errcap, bool *permanent);

#endif
