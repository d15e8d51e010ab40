/* query.h - the values of mue-api's query strings read and checked without a connection: text in,
 * a value or a refusal out. http.c and the handlers turn a refusal into a 400; the fuzz target
 * tests/fuzz/fuzz_api_query.c drives every function here on any bytes.
 * SPDX-License-Identifier: MIT */
#ifndef QUERY_H
#define QUERY_H

#include <stdbool.h>
#include <stddef.h>

/* The parameter 'name' of 'query' (the raw query string; NULL when there is none) URL-decoded
 * into buf ('+' is a space). Names match regardless of case; the first occurrence counts.
 * Returns 1 when present, 0 when absent, -1 when the value does not fit in cap - 1 bytes or holds
 * a NUL (%00), which would cut it short. */
int query_get(const char *query, const char *name, char *buf, size_t cap);

/* A whole decimal number in [lo, hi], as strtol reads one (leading blanks and a sign allowed),
 * with nothing after it. Returns 0 with *out set, or -1 with *out untouched. */
int query_long(const char *text, long lo, long hi, long *out);

/* ?limit= (1..1000, default 100) and ?offset= (0..1000000000, default 0) of 'query'. Returns 0
 * with both set, or -1 with the reason in why. */
int query_page(const char *query, long *limit, long *offset, char *why, size_t cap);

/* A DevEUI: exactly 16 hexadecimal digits, any case. Returns 0 with it lower-cased into out, or
 * -1 with out untouched. */
int query_dev_eui(const char *in, char out[17]);

/* A use case's id as the registry allows it: [a-z][a-z0-9_]{0,31}. */
bool query_use_case_is_valid(const char *s);

/* A quantity name as the vocabulary spells them (docs/quantities.md): a letter, then letters,
 * digits or '_', 64 at most. */
bool query_quantity_is_valid(const char *s);

/* A month YYYY-MM, years 1970 to 9999. */
bool query_month_is_valid(const char *s);

/* A real calendar date YYYY-MM-DD (years 1..9999), so that SQL never refuses it. */
bool query_date_is_valid(const char *s);

/* An INSEE commune code: five characters, the second one A or B for Corsica. */
bool query_insee_is_valid(const char *s);

#endif
