/* mue_redact.h - secrets kept out of logs: the credentials written into URLs.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_REDACT_H
#define MUE_REDACT_H

#include <stddef.h>

/* Copies 'text' into 'out' (size 'cap', always NUL-terminated, cut if need be) with the user
 * information of every URL in it replaced by three stars: the "user:pass" of
 * "nats://user:pass@host:4222", the "token" of "https://token@host/x"; each URL of a list
 * ("nats://a@h1,nats://b@h2") has its own hidden. Text without a "scheme://...@" authority is
 * copied as it is. Returns 'out'. */
char *mue_redact_url(char *out, size_t cap, const char *text);

#endif
