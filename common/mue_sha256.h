/* mue_sha256.h - SHA-256 (FIPS 180-4) of a byte string, raw or as lowercase hex.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_SHA256_H
#define MUE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define MUE_SHA256_LEN 32

/* The digest of 'len' bytes at 'data' (which may be NULL when len is 0) into out[32]. One call
 * hashes the whole message: mue hashes short secrets (device tokens), never streams. */
void mue_sha256(const void *data, size_t len, uint8_t out[MUE_SHA256_LEN]);

/* The same digest as 64 lowercase hex digits and a NUL into out[65]. */
void mue_sha256_hex(const void *data, size_t len, char out[2 * MUE_SHA256_LEN + 1]);

#endif
