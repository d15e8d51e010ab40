/* payload_hex.c - payload bytes to and from hex text.
 * SPDX-License-Identifier: MIT */
#include "payload_hex.h"

#include <string.h>

static const char digits[] = "0123456789abcdef";

void payload_to_hex(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 0x0F];
    }
    out[2 * n] = '\0';
}

static int nibble(char c)
{
    const char *p = c != '\0' ? strchr(digits, c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c) : NULL;

    return p != NULL ? (int)(p - digits) : 0;
}

size_t payload_from_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex) / 2;

    if (n > cap)
        n = cap;
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
    return n;
}
