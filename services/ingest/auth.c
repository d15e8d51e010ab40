/* auth.c - bearer secrets compared in constant time; device tokens looked up by their hash.
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <strings.h>

#include <civetweb.h>

#include "auth.h"
#include "mue_err.h"
#include "mue_kv.h"
#include "mue_sha256.h"

const char *auth_bearer(const struct mg_connection *conn)
{
    const char *h = mg_get_header(conn, "Authorization");

    if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return h;
}

bool auth_secret_matches(const char *given, const char *expected)
{
    size_t lg = strlen(given), le = strlen(expected);
    unsigned char diff = (unsigned char)(lg != le);

    for (size_t i = 0; i < le; i++)
        diff |= (unsigned char)(expected[i] ^ (i < lg ? given[i] : 0));
    return diff == 0;
}

static bool is_dev_eui(const char *s)
{
    return strlen(s) == 16 && strspn(s, "0123456789abcdef") == 16;
}

int auth_device_token(struct mue_kv *tokens, const char *token, char dev_eui[17])
{
    char key[65], value[64];
    int rc;

    /* Real tokens are 43 characters (32 random bytes, base64url); the bound keeps a hostile
     * header from costing more than one hash of a few hundred bytes. */
    if (token == NULL || token[0] == '\0' || strlen(token) > 256)
        return MUE_EAUTH;
    mue_sha256_hex(token, strlen(token), key);
    rc = mue_kv_get(tokens, key, value, sizeof(value));
    if (rc == MUE_EBUS)
        return MUE_EBUS; /* the device may retry: its token may well be good */
    if (rc < 0)
        return MUE_EAUTH; /* absent, or a value no DevEUI fits in */
    if (!is_dev_eui(value))
        return MUE_EAUTH; /* written by hand or by another version: not trusted */
    memcpy(dev_eui, value, 17);
    return 0;
}
