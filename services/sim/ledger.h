/* ledger.h - the ledger of a simulator run: one CSV line per uplink posted, so that a test can
 * prove what the database holds is exactly what was sent (mue-sim reconcile).
 * SPDX-License-Identifier: MIT */
#ifndef LEDGER_H
#define LEDGER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The outcome column. */
#define LEDGER_ACCEPTED  "accepted"
#define LEDGER_DUPLICATE "duplicate"
#define LEDGER_REJECTED  "rejected"
#define LEDGER_FAILED    "failed"

struct ledger_entry {
    int64_t time_us;
    char dev_eui[17];
    uint32_t fcnt;
    unsigned fport;
    char outcome[12];
    int http_status; /* 0 when no answer came */
    int attempts;
    bool repeat;     /* a deliberate second post of the same uplink */
    int64_t posted_us;   /* wall clock when the first attempt was sent (benchmarks: to the row) */
    int64_t answered_us; /* wall clock when the last attempt's answer came, 0 when none did */
};

/* Writes the header line. */
void ledger_header(FILE *f);

/* Writes one line (the caller serialises writers). */
void ledger_write(FILE *f, const struct ledger_entry *e);

/* Parses one line (the header and blank lines give MUE_ENOENT). Returns 0 or MUE_EDECODE. */
int ledger_parse(const char *line, struct ledger_entry *e);

#endif
