/* csv.h - RFC 4180 CSV text into records of fields (quotes, doubled quotes, CRLF), with the
 * separator found on the header line (',' or ';', as French spreadsheets write it).
 * SPDX-License-Identifier: MIT */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>

struct csv_record {
    char **field; /* each NUL-terminated */
    size_t n;
    size_t line; /* where the record starts, 1-based, for messages */
};

struct csv {
    struct csv_record *rec;
    size_t n;
};

/* Parses 'len' bytes of 'text'. Empty lines are skipped. Returns 0 and fills *out (release with
 * csv_fini), or MUE_EDECODE with a reason naming the line in 'reason' (an unterminated quote, a
 * character after a closing quote, a NUL byte). */
int csv_parse(const char *text, size_t len, struct csv *out, char *reason, size_t cap);

void csv_fini(struct csv *c);

#endif
