/* payload_hex.h - downlink payloads as the hex text the database's encode()/decode() speak.
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_PAYLOAD_HEX_H
#define LIGHTING_PAYLOAD_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Writes n bytes as 2n lower-case hex digits and a '\0' into out (2n + 1 bytes). */
void payload_to_hex(const uint8_t *b, size_t n, char *out);
/* Reads hex digits into at most cap bytes. Returns how many were read (a bad pair reads as 0). */
size_t payload_from_hex(const char *hex, uint8_t *out, size_t cap);

#endif
