/* mue_hmac.c - HMAC-SHA256 written from RFC 2104 on top of the one-shot mue_sha256.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mue_base64.h"
#include "mue_hmac.h"
#include "mue_log.h"
#include "mue_mem.h"

#define BLOCK_LEN 64 /* SHA-256's block, the length of the padded key */
#define IPAD      0x36
#define OPAD      0x5c

void mue_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t len,
                     uint8_t out[MUE_SHA256_LEN])
{
    uint8_t k0[BLOCK_LEN], outer[BLOCK_LEN + MUE_SHA256_LEN];
    uint8_t *inner;

    /* K0: the key, or its digest when longer than a block, zero-padded to the block. */
    memset(k0, 0, sizeof(k0));
    if (key_len > BLOCK_LEN)
        mue_sha256(key, key_len, k0);
    else if (key_len > 0)
        memcpy(k0, key, key_len);

    if (len > SIZE_MAX - BLOCK_LEN) {
        mue_log_error("hmac.too_long", "len=%zu", len);
        abort();
    }
    /* H((K0 ^ ipad) || msg): one buffer, since mue_sha256 takes the whole message at once. */
    inner = mue_xmalloc(BLOCK_LEN + len);
    for (size_t i = 0; i < BLOCK_LEN; i++)
        inner[i] = (uint8_t)(k0[i] ^ IPAD);
    if (len > 0)
        memcpy(inner + BLOCK_LEN, msg, len);
    /* H((K0 ^ opad) || H(inner)): the inner digest lands right behind the outer pad. */
    mue_sha256(inner, BLOCK_LEN + len, outer + BLOCK_LEN);
    explicit_bzero(inner, BLOCK_LEN);
    free(inner);
    for (size_t i = 0; i < BLOCK_LEN; i++)
        outer[i] = (uint8_t)(k0[i] ^ OPAD);
    mue_sha256(outer, sizeof(outer), out);
    explicit_bzero(k0, sizeof(k0));
    explicit_bzero(outer, sizeof(outer));
}

void mue_hmac_sha256_hex(const void *key, size_t key_len, const void *msg, size_t len,
                         char out[2 * MUE_SHA256_LEN + 1])
{
    uint8_t mac[MUE_SHA256_LEN];

    mue_hmac_sha256(key, key_len, msg, len, mac);
    mue_hex_encode(mac, sizeof(mac), out, 2 * MUE_SHA256_LEN + 1);
}
