/* mue_base64.h - standard base64 (RFC 4648, with or without padding) and hex.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_BASE64_H
#define MUE_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Decodes base64 'in' (length 'len') into 'out' (capacity 'cap'). Accepts the standard and the
 * URL-safe alphabets, missing padding, no whitespace. Returns the number of bytes written, or
 * MUE_EDECODE for a bad character or length, MUE_E2BIG when 'out' is too small. */
int mue_base64_decode(const char *in, size_t len, uint8_t *out, size_t cap);

/* Encodes with padding into 'out' (cap >= 4*ceil(len/3)+1). Returns the length, or MUE_E2BIG. */
int mue_base64_encode(const uint8_t *in, size_t len, char *out, size_t cap);

/* Decodes hex digits (either case, even count) into 'out'. Returns bytes, MUE_EDECODE, MUE_E2BIG.
 */
int mue_hex_decode(const char *in, size_t len, uint8_t *out, size_t cap);

/* Encodes lowercase hex into 'out' (cap >= 2*len+1). Returns the length, or MUE_E2BIG. */
int mue_hex_encode(const uint8_t *in, size_t len, char *out, size_t cap);

#endif
