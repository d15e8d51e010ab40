/* tokens.h - bearer tokens of the devices that post SenML to mue-ingest themselves.
 * SPDX-License-Identifier: MIT */
#ifndef TOKENS_H
#define TOKENS_H

struct mue_kv;

/* A token: 32 random bytes in base64url without padding. */
#define TOKENS_LEN 43

/* Makes a new token for 'dev_eui' (16 lowercase hex digits) and records its SHA-256 in the
 * bucket of device tokens; the device's previous token stops working. The token itself is
 * stored nowhere: it is written to token[TOKENS_LEN + 1] for the operator to give the device.
 * Returns 0, or MUE_EBUS / a -errno from the random source. */
int tokens_issue(struct mue_kv *kv, const char *dev_eui, char token[TOKENS_LEN + 1]);

/* Revokes the token of 'dev_eui'. Returns 0, MUE_ENOENT when it has none, or MUE_EBUS. */
int tokens_revoke(struct mue_kv *kv, const char *dev_eui);

#endif
