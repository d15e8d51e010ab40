/* tokens.c - device tokens: only their hash is kept, so reading the bucket gives no way in.
 * Keys: "<sha256 hex>" -> DevEUI (what mue-ingest looks up), "device.<DevEUI>" -> that hash
 * (to revoke or replace a device's token). SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "mue_base64.h"
#include "mue_err.h"
#include "mue_kv.h"
#include "mue_sha256.h"
#include "tokens.h"

static int random_bytes(uint8_t *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t n = getrandom(buf + got, len - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        got += (size_t)n;
    }
    return 0;
}

/* base64 -> base64url without padding: safe in a header, a URL or a shell. */
static void to_base64url(char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '+')
            *s = '-';
        else if (*s == '/')
            *s = '_';
        else if (*s == '=')
            *s = '\0';
    }
}

int tokens_revoke(struct mue_kv *kv, const char *dev_eui)
{
    char key[64], hash[72];
    int rc;

    snprintf(key, sizeof(key), "device.%s", dev_eui);
    rc = mue_kv_get(kv, key, hash, sizeof(hash));
    if (rc < 0)
        return rc;
    rc = mue_kv_delete(kv, hash);
    if (rc < 0 && rc != MUE_ENOENT)
        return rc;
    return mue_kv_delete(kv, key);
}

int tokens_issue(struct mue_kv *kv, const char *dev_eui, char token[TOKENS_LEN + 1])
{
    uint8_t raw[32];
    char b64[48], hash[65], key[64];
    int rc;

    rc = random_bytes(raw, sizeof(raw));
    if (rc < 0)
        return rc;
    if (mue_base64_encode(raw, sizeof(raw), b64, sizeof(b64)) < 0)
        return MUE_E2BIG;
    to_base64url(b64);
    rc = tokens_revoke(kv, dev_eui);
    if (rc < 0 && rc != MUE_ENOENT)
        return rc;
    mue_sha256_hex(b64, strlen(b64), hash);
    snprintf(key, sizeof(key), "device.%s", dev_eui);
    /* The device entry first: a crash in between leaves an entry naming a token that does not
     * work, never a working token that no entry can revoke. */
    rc = mue_kv_put(kv, key, hash);
    if (rc == 0)
        rc = mue_kv_put(kv, hash, dev_eui);
    if (rc < 0)
        return rc;
    memcpy(token, b64, TOKENS_LEN + 1);
    return 0;
}
