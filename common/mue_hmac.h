/* mue_hmac.h - HMAC-SHA256 (RFC 2104, FIPS 198-1) of a byte string, raw or as lowercase hex.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_HMAC_H
#define MUE_HMAC_H

#include <stddef.h>
#include <stdint.h>

#include "mue_sha256.h"

/* The HMAC-SHA256 of 'len' bytes at 'msg' under the key of 'key_len' bytes at 'key' into
 * out[32]. Either pointer may be NULL when its length is 0. A key longer than SHA-256's 64-byte
 * block is hashed first, as RFC 2104 says. The message is copied once behind the inner key pad
 * (mue_sha256 hashes in one call), so this is meant for the short bodies mue signs, not streams.
 * The key material is wiped from the stack and the heap before returning. Thread-safe. */
void mue_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t len,
                     uint8_t out[MUE_SHA256_LEN]);

/* The same HMAC as 64 lowercase hex digits and a NUL into out[65]. */
void mue_hmac_sha256_hex(const void *key, size_t key_len, const void *msg, size_t len,
                         char out[2 * MUE_SHA256_LEN + 1]);

#endif
