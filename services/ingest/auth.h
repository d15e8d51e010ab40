/* auth.h - who may post: a network server's shared secret, or a device's own token.
 * SPDX-License-Identifier: MIT */
#ifndef AUTH_H
#define AUTH_H

#include <stdbool.h>
#include <stddef.h>

struct mg_connection;
struct mue_kv;

/* The token after "Authorization: Bearer ", or NULL when the header is missing or of another
 * scheme. Borrowed from the request. */
const char *auth_bearer(const struct mg_connection *conn);

/* True when 'given' equals 'expected'. Runs in a time that depends only on the length of
 * 'expected', so timing says nothing about how much of a guess was right. */
bool auth_secret_matches(const char *given, const char *expected);

/* Looks a device token up in the bucket of device tokens (MUE_KV_DEVICE_TOKENS, keyed by the
 * SHA-256 of the token: the bucket never holds a usable token). Writes the device's DevEUI into
 * dev_eui[17]. Returns 0, MUE_EAUTH for an unknown token, or MUE_EBUS when the bucket cannot be
 * read. */
int auth_device_token(struct mue_kv *tokens, const char *token, char dev_eui[17]);

#endif
