/* mue_base64.c - base64 (RFC 4648 standard and URL-safe alphabets) and hex, both ways.
 * SPDX-License-Identifier: MIT */
#include <limits.h>

#include "mue_base64.h"
#include "mue_err.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Range tests rather than a 256-entry table: no locale, no signed-char indexing, easy to read. */
static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    /* Network servers and browsers disagree on the alphabet; both are unambiguous. */
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int mue_base64_decode(const char *in, size_t len, uint8_t *out, size_t cap)
{
    size_t pad = 0, n, rem, need, o = 0;
    uint32_t acc = 0;
    unsigned bits = 0;

    if (len > 0 && in[len - 1] == '=') {
        pad = 1;
        if (len > 1 && in[len - 2] == '=')
            pad = 2;
    }
    /* Padding only ever completes a 4-character quantum; "Zg=" is neither padded nor bare. */
    if (pad > 0 && len % 4 != 0)
        return MUE_EDECODE;
    n = len - pad;
    rem = n % 4;
    /* One character carries 6 bits: not even one byte. */
    if (rem == 1)
        return MUE_EDECODE;
    need = n / 4 * 3 + (rem > 0 ? rem - 1 : 0);
    /* The size is known before any character is read, so a too-small buffer is never written. */
    if (need > cap || need > INT_MAX)
        return MUE_E2BIG;

    for (size_t i = 0; i < n; i++) {
        int v = b64_value((unsigned char)in[i]);
        if (v < 0)
            return MUE_EDECODE;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    /* Leftover bits of the last quantum are not required to be zero (RFC 4648 §3.5 allows
     * either): rejecting them would drop uplinks from sloppy encoders for no gain. */
    return (int)o;
}

int mue_base64_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
    size_t need, o = 0, i = 0;

    if (len > (size_t)INT_MAX / 4 * 3)
        return MUE_E2BIG;
    need = (len + 2) / 3 * 4;
    if (cap < need + 1)
        return MUE_E2BIG;

    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = b64_alphabet[v >> 18];
        out[o++] = b64_alphabet[(v >> 12) & 63];
        out[o++] = b64_alphabet[(v >> 6) & 63];
        out[o++] = b64_alphabet[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = b64_alphabet[v >> 18];
        out[o++] = b64_alphabet[(v >> 12) & 63];
        out[o++] = '=';
        out[o++] = '=';
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = b64_alphabet[v >> 18];
        out[o++] = b64_alphabet[(v >> 12) & 63];
        out[o++] = b64_alphabet[(v >> 6) & 63];
        out[o++] = '=';
    }
    out[o] = '\0';
    return (int)o;
}

int mue_hex_decode(const char *in, size_t len, uint8_t *out, size_t cap)
{
    if (len % 2 != 0)
        return MUE_EDECODE;
    if (len / 2 > cap || len / 2 > INT_MAX)
        return MUE_E2BIG;
    for (size_t i = 0; i < len; i += 2) {
        int hi = hex_value((unsigned char)in[i]);
        int lo = hex_value((unsigned char)in[i + 1]);
        if (hi < 0 || lo < 0)
            return MUE_EDECODE;
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    return (int)(len / 2);
}

int mue_hex_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
    static const char digits[] = "0123456789abcdef";

    if (len > INT_MAX / 2 || cap < 2 * len + 1)
        return MUE_E2BIG;
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
    return (int)(2 * len);
}
